//! Hover: a rule's documentation on a diagnostic's range, and on a rule id inside a `ctxlint-ignore[...]` comment.
use std::ops::Range;

use serde_json::{json, Value};

use super::encoding::PositionMap;
use crate::finding::Finding;
use crate::registry::Rule;

/// The hover at byte `offset` of `text`, if a finding or a suppression comment's rule id is there.
pub fn hover(text: &str, findings: &[Finding], offset: usize, map: &PositionMap<'_>) -> Option<Value> {
    let registry = crate::registry::builtin().ok()?;
    // a rule id in a suppression comment first: the comment may be an `unused-suppression` finding as a whole
    let (rule, range) = suppressed_id_at(text, offset).and_then(|(id, range)| registry.get(id).map(|r| (r, range))).or_else(|| {
        findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.range.start <= offset && offset <= f.range.end)
            .find_map(|f| registry.get(&f.rule).map(|r| (r, f.range.clone())))
    })?;
    Some(json!({"contents": {"kind": "markdown", "value": docs(rule)}, "range": map.range(&range)}))
}

/// A rule's docs as Markdown: its id, severity, fix and summary, the sections of `ctxlint rule <id>`, the page's URL.
pub fn docs(rule: &Rule) -> String {
    let s = &rule.spec;
    let fix = s.fix.as_ref().map_or_else(|| "none".to_string(), |f| format!("{} ({})", f.applicability.as_str(), f.description));
    format!(
        "**{id}** ({sev}; fix: {fix})\n\n{summary}\n\n{sections}\n[Documentation]({url})\n",
        id = rule.id,
        sev = s.severity.as_str(),
        summary = s.summary,
        sections = crate::docs::rule_sections(rule),
        url = crate::docs::rule_url(rule),
    )
}

/// The rule id of a `ctxlint-ignore[a, b]` comment under `offset`, and its bytes.
fn suppressed_id_at(text: &str, offset: usize) -> Option<(&str, Range<usize>)> {
    let offset = offset.min(text.len());
    let line_start = text[..crate::position::floor_char_boundary(text, offset)].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[line_start..].find(['\n', '\r']).map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    for (at, _) in line.match_indices("ctxlint-ignore[") {
        let open = at + "ctxlint-ignore[".len();
        let Some(close) = line[open..].find(']') else { continue };
        let mut start = open;
        for part in line[open..open + close].split(',') {
            let trimmed = part.trim();
            let id_start = line_start + start + (part.len() - part.trim_start().len());
            let id = id_start..id_start + trimmed.len();
            if !trimmed.is_empty() && id.start <= offset && offset <= id.end {
                return Some((trimmed, id));
            }
            start += part.len() + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_inside_suppression_comments() {
        let text = "x = 1\n# ctxlint-ignore[py/dangling-task,  js/unbound-timer]: why\n";
        let at = text.find("js/unbound").expect("there") + 3;
        assert_eq!(suppressed_id_at(text, at), Some(("js/unbound-timer", at - 3..at - 3 + "js/unbound-timer".len())));
        assert_eq!(suppressed_id_at(text, text.find("py/").expect("there")).map(|(id, _)| id), Some("py/dangling-task"));
        assert_eq!(suppressed_id_at(text, text.find("why").expect("there")), None);
        assert_eq!(suppressed_id_at(text, 2), None);
    }
}
