//! Inline suppressions, one syntax for every language, written in that language's comments:
//! `ctxlint-ignore[rule-id, other-id]: reason` on the line before the finding or at the end of its line, and
//! `ctxlint-ignore-file[rule-id]: reason` in the file header (before the first line of code).
use std::ops::Range;

use tree_sitter::Node;

use crate::checks::Hit;
use crate::engine::EngineOptions;
use crate::finding::{Finding, Suppressed};
use crate::fix::Edit;
use crate::lang::Lang;
use crate::registry::Registry;
use crate::syntax::{named_children, Preorder};

pub const LINE_DIRECTIVE: &str = "ctxlint-ignore";
pub const FILE_DIRECTIVE: &str = "ctxlint-ignore-file";
pub const UNUSED_RULE: &str = "unused-suppression";
pub const WITHOUT_REASON_RULE: &str = "suppression-without-reason";

/// One rule id inside a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedId {
    pub id: String,
    /// Bytes of the id in the source (for reports and for removing it).
    pub range: Range<usize>,
}

/// What a directive covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The 1-based line it applies to.
    Line(usize),
    File,
}

/// One `ctxlint-ignore[...]` or `ctxlint-ignore-file[...]` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub scope: Scope,
    pub ids: Vec<SuppressedId>,
    /// The text after `]:`, if any.
    pub reason: Option<String>,
    /// The directive's bytes (from `ctxlint-ignore` to the end of its reason).
    pub range: Range<usize>,
    /// The comment node that holds it.
    pub comment: Range<usize>,
    /// A file directive outside the header: it suppresses nothing.
    pub misplaced: bool,
}

/// A directive as written in one comment, before its scope is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub is_file: bool,
    pub ids: Vec<SuppressedId>,
    pub reason: Option<String>,
    pub range: Range<usize>,
}

/// Parses the directives of one comment's text (`offset`: where the comment starts in the file).
pub fn parse_comment(text: &str, offset: usize) -> Vec<Parsed> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(LINE_DIRECTIVE).map(|i| i + from) {
        let mut rest_at = at + LINE_DIRECTIVE.len();
        let is_file = text[rest_at..].starts_with("-file");
        if is_file {
            rest_at += "-file".len();
        }
        from = rest_at;
        let Some(after) = text[rest_at..].strip_prefix('[') else { continue };
        let Some(close) = after.find(']') else { continue };
        let list_start = rest_at + 1;
        let mut ids = Vec::new();
        let mut pos = list_start;
        for part in after[..close].split(',') {
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let lead = part.len() - part.trim_start().len();
                let start = offset + pos + lead;
                ids.push(SuppressedId { id: trimmed.to_string(), range: start..start + trimmed.len() });
            }
            pos += part.len() + 1;
        }
        let after_list = list_start + close + 1;
        let mut end = after_list;
        let reason = text[after_list..].strip_prefix(':').map(|r| {
            // the reason runs to the end of the comment (or of its line), without a block comment's closer
            let line_end = r.find(['\n', '\r']).unwrap_or(r.len());
            let raw = &r[..line_end];
            let cleaned = raw.trim_end().trim_end_matches("*/").trim_end_matches("-->").trim();
            end = after_list + 1 + raw.trim_end().len();
            cleaned.to_string()
        });
        let reason = reason.filter(|r| !r.is_empty());
        if !ids.is_empty() {
            out.push(Parsed { is_file, ids, reason, range: offset + at..offset + end });
        }
        from = end.max(from);
    }
    out
}

/// Every directive of a file, from its comment nodes.
pub fn collect(root: Node<'_>, source: &str, lang: Lang) -> Vec<Directive> {
    if !source.contains(LINE_DIRECTIVE) {
        return Vec::new();
    }
    let header_end = header_end(root, lang);
    let lines: Vec<&str> = source.split('\n').collect();
    let mut out = Vec::new();
    for node in Preorder::new(root) {
        if !lang.is_comment_kind(node.kind()) {
            continue;
        }
        let text = &source[node.byte_range()];
        for Parsed { is_file, ids, reason, range } in parse_comment(text, node.start_byte()) {
            let scope = if is_file { Scope::File } else { Scope::Line(target_line(node, &lines, lang)) };
            let misplaced = is_file && node.start_byte() > header_end;
            out.push(Directive { scope, ids, reason, range, comment: node.byte_range(), misplaced });
        }
    }
    out
}

/// The line a line directive applies to: its own line when it trails code, else the next line of code.
fn target_line(comment: Node<'_>, lines: &[&str], lang: Lang) -> usize {
    let row = comment.start_position().row;
    let before = lines.get(row).map(|l| &l[..comment.start_position().column.min(l.len())]).unwrap_or("");
    if !before.trim().is_empty() {
        return row + 1;
    }
    let mut r = comment.end_position().row + 1;
    while r < lines.len() {
        let t = lines[r].trim();
        let comment_only = match lang {
            Lang::Python => t.starts_with('#'),
            _ => t.starts_with("//"),
        };
        if !t.is_empty() && !comment_only {
            break;
        }
        r += 1;
    }
    r + 1
}

/// Where the file header ends: the start of the first node that is not a comment, shebang, docstring or directive.
fn header_end(root: Node<'_>, lang: Lang) -> usize {
    for child in named_children(root) {
        let kind = child.kind();
        let is_header = lang.is_comment_kind(kind)
            || kind == "hash_bang_line"
            || kind == "shebang"
            || kind == "inner_attribute_item"
            || (kind == "expression_statement" && child.named_child(0).is_some_and(|s| s.kind() == "string"));
        if !is_header {
            return child.start_byte();
        }
    }
    usize::MAX
}

/// Marks the findings the directives silence, and returns the findings about the directives themselves: ids that
/// silence nothing (`unused-suppression`, with a safe fix that removes them) and, when asked, directives with no reason.
pub fn apply(
    findings: &mut [Finding],
    directives: &[Directive],
    registry: &Registry,
    options: &EngineOptions,
    source: &str,
) -> Vec<(&'static str, Hit)> {
    let mut used = vec![Vec::new(); directives.len()];
    for (d, directive) in directives.iter().enumerate() {
        used[d] = vec![false; directive.ids.len()];
    }
    for finding in findings.iter_mut() {
        for (d, directive) in directives.iter().enumerate() {
            let applies = match directive.scope {
                Scope::File => !directive.misplaced,
                Scope::Line(line) => line == finding.start.line,
            };
            if !applies {
                continue;
            }
            if let Some(i) = directive.ids.iter().position(|id| *id.id == *finding.rule) {
                used[d][i] = true;
                if finding.suppressed.is_none() {
                    finding.suppressed = Some(Suppressed { justification: directive.reason.clone() });
                }
            }
        }
    }
    let mut out = Vec::new();
    let unused_on = registry.get(UNUSED_RULE).is_some_and(|r| options.is_enabled(r));
    for (d, directive) in directives.iter().enumerate() {
        if unused_on {
            for (i, id) in directive.ids.iter().enumerate() {
                if used[d][i] {
                    continue;
                }
                let why = match registry.get(&id.id) {
                    None => "no rule has this id",
                    Some(_) if directive.misplaced => "`ctxlint-ignore-file` only works in the file header, before the first line of code",
                    Some(rule) if !options.is_enabled(rule) => continue, // not run now: cannot tell
                    Some(_) => "no finding of this rule is there to silence",
                };
                let hit = Hit::at(id.range.clone()).var("id", id.id.clone()).var("why", why).edits(removal(directive, i, source));
                out.push((UNUSED_RULE, hit));
            }
        }
        if directive.reason.is_none() && registry.get(WITHOUT_REASON_RULE).is_some_and(|r| options.is_enabled(r)) {
            let ids = directive.ids.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ");
            out.push((WITHOUT_REASON_RULE, Hit::at(directive.range.clone()).var("ids", ids)));
        }
    }
    out
}

/// The edits that remove id `i` from a directive: the id and its comma when others remain, else the directive, the
/// comment when it holds nothing else, and the line when the comment stands alone on it.
fn removal(directive: &Directive, i: usize, source: &str) -> Vec<Edit> {
    let ids = &directive.ids;
    if ids.len() > 1 {
        let range = if i + 1 < ids.len() { ids[i].range.start..ids[i + 1].range.start } else { ids[i - 1].range.end..ids[i].range.end };
        return vec![Edit::replace(range, "")];
    }
    let before = &source[directive.comment.start..directive.range.start];
    let after = &source[directive.range.end..directive.comment.end];
    let only_directive = before.trim_start_matches(['/', '#', '*', '<', '!', '-']).trim().is_empty()
        && after.trim().trim_end_matches("*/").trim_end_matches("-->").trim().is_empty();
    if !only_directive {
        return vec![Edit::replace(directive.range.clone(), "")];
    }
    let line_start = source[..directive.comment.start].rfind('\n').map_or(0, |p| p + 1);
    let code_before = &source[line_start..directive.comment.start];
    if code_before.trim().is_empty() {
        // the comment is alone on its line: remove the line
        let line_end = source[directive.comment.end..].find('\n').map_or(source.len(), |p| directive.comment.end + p + 1);
        vec![Edit::replace(line_start..line_end, "")]
    } else {
        // a trailing comment: remove it and the spaces before it
        let trimmed = code_before.trim_end_matches([' ', '\t']).len();
        vec![Edit::replace(line_start + trimmed..directive.comment.end, "")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_reasons() {
        let got = parse_comment("# ctxlint-ignore[py/dangling-task, parse-error]: fire and forget by design", 10);
        assert_eq!(got.len(), 1);
        let parsed = &got[0];
        assert!(!parsed.is_file);
        assert_eq!(parsed.ids.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["py/dangling-task", "parse-error"]);
        assert_eq!(parsed.ids[0].range, 10 + 17..10 + 17 + "py/dangling-task".len());
        assert_eq!(parsed.reason.as_deref(), Some("fire and forget by design"));
    }

    #[test]
    fn block_comments_file_directives_and_missing_reasons() {
        let got = parse_comment("/* ctxlint-ignore-file[js/floating-promise]: legacy */", 0);
        assert!(got[0].is_file);
        assert_eq!(got[0].reason.as_deref(), Some("legacy"));
        let got = parse_comment("// ctxlint-ignore[js/unbound-timer]", 0);
        assert_eq!(got[0].reason, None);
        let got = parse_comment("// ctxlint-ignore[js/unbound-timer]:   ", 0);
        assert_eq!(got[0].reason, None);
        assert!(parse_comment("// ctxlint-ignore js/unbound-timer", 0).is_empty());
        assert!(parse_comment("// ctxlint-ignore[]: nothing", 0).is_empty());
    }
}
