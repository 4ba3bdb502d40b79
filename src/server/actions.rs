//! Code actions: a finding's fix as a `quickfix` (safe ones preferred, unsafe ones labelled unsafe, display-only ones
//! not offered), "ignore `<rule>` on this line" (the comment `--add-ignore` writes, its reason selectable), and
//! `source.fixAll.ctxlint`: the safe fixes, what `--fix` does.
use std::ops::Range;
use std::path::Path;

use gen_lsp_types::TextEdit;
use serde_json::{json, Value};

use super::capabilities::{Client, FIX_ALL_KIND, SELECT_REASON};
use super::diagnostics::diagnostic;
use super::encoding::PositionMap;
use super::settings::ClientSettings;
use crate::finding::Finding;
use crate::fix::{sorted_edits, Applicability, Edit};
use crate::lang::Lang;
use crate::suppress::{UNUSED_RULE, WITHOUT_REASON_RULE};

/// The placeholder reason of an inserted suppression comment.
pub const REASON: &str = "reason";

/// One document, for its code actions.
pub struct Target<'a> {
    pub uri: &'a str,
    pub version: i32,
    pub text: &'a str,
    pub path: &'a Path,
    pub map: &'a PositionMap<'a>,
}

/// The code actions for the byte `range` of a document, of the kinds `only` allows (all when `None`).
pub fn code_actions(
    target: &Target<'_>,
    findings: &[Finding],
    range: Range<usize>,
    only: Option<&[String]>,
    settings: &ClientSettings,
    client: &Client,
) -> Vec<Value> {
    let mut actions = Vec::new();
    let touching = findings.iter().filter(|f| f.suppressed.is_none() && f.range.start <= range.end && range.start <= f.range.end);
    if allowed("quickfix", only) {
        for finding in touching {
            actions.extend(fix_action(target, finding));
            actions.extend(ignore_action(target, finding, client));
        }
    }
    if allowed(FIX_ALL_KIND, only) && findings.iter().any(|f| settings.policy().fix_of(f).is_some()) {
        match fix_all(target.path, target.text, settings, target.map) {
            Ok(Some(edit)) => actions.push(json!({
                "title": if settings.unsafe_fixes { "ctxlint: fix all (safe and unsafe fixes)" } else { "ctxlint: fix all safe fixes" },
                "kind": FIX_ALL_KIND,
                "edit": changes(target.uri, vec![edit]),
            })),
            Ok(None) => {}
            // a fix-all that cannot be made is not offered; the diagnostics still tell
            Err(_) => {}
        }
    }
    actions
}

/// Does `only` (the request's `context.only`) allow an action of `kind`? A kind allows its sub-kinds.
fn allowed(kind: &str, only: Option<&[String]>) -> bool {
    only.is_none_or(|only| only.iter().any(|o| kind == o || kind.strip_prefix(o.as_str()).is_some_and(|rest| rest.starts_with('.'))))
}

fn changes(uri: &str, edits: Vec<TextEdit>) -> Value {
    json!({"changes": {uri: edits}})
}

/// The quickfix of a finding's own fix, unless it is display-only (or its edits do not apply).
fn fix_action(target: &Target<'_>, finding: &Finding) -> Option<Value> {
    let fix = finding.fix.as_ref()?;
    if fix.applicability == Applicability::DisplayOnly || fix.edits.is_empty() {
        return None;
    }
    let edits: Vec<TextEdit> = sorted_edits(target.text, &fix.edits)?.into_iter().map(|e| text_edit(e, target.map)).collect();
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe { format!("ctxlint: {}", fix.description) } else { format!("ctxlint: {} (unsafe fix)", fix.description) };
    Some(json!({
        "title": title,
        "kind": "quickfix",
        "diagnostics": [diagnostic(finding, target.uri, target.map)],
        "isPreferred": safe,
        "edit": changes(target.uri, edits),
    }))
}

fn text_edit(edit: &Edit, map: &PositionMap<'_>) -> TextEdit {
    TextEdit { range: map.range(&edit.range), new_text: edit.replacement.clone() }
}

/// "Ignore `<rule>` on this line": a `ctxlint-ignore[<rule>]: reason` comment above the finding's line, the reason a
/// snippet placeholder when the client takes snippet edits, else selected after the edit (`window/showDocument`).
fn ignore_action(target: &Target<'_>, finding: &Finding, client: &Client) -> Option<Value> {
    if &*finding.rule == UNUSED_RULE || &*finding.rule == WITHOUT_REASON_RULE {
        return None;
    }
    let lang = Lang::from_path(target.path)?;
    let (edit, reason) = crate::add_ignore::comment_edit(target.text, lang, finding.start.line, &finding.rule, REASON).ok()?;
    let range = target.map.range(&edit.range);
    let mut action = json!({
        "title": format!("ctxlint: ignore `{}` on this line", finding.rule),
        "kind": "quickfix",
        "diagnostics": [diagnostic(finding, target.uri, target.map)],
        "isPreferred": false,
    });
    if client.snippet_edits {
        let snippet = format!(
            "{}${{1:{REASON}}}{}",
            escape_snippet(&edit.replacement[..reason.start]),
            escape_snippet(&edit.replacement[reason.end..])
        );
        action["edit"] = json!({"documentChanges": [{
            "textDocument": {"uri": target.uri, "version": target.version},
            "edits": [{"range": range, "snippet": {"kind": "snippet", "value": snippet}}],
        }]});
    } else {
        action["edit"] = changes(target.uri, vec![text_edit(&edit, target.map)]);
        if client.show_document {
            // where the reason is once the edit is applied: on the inserted line
            let line = range.start.line;
            let start = range.start.character + target.map.encoding().len(&edit.replacement[..reason.start]);
            let end = start + target.map.encoding().len(REASON);
            action["command"] = json!({
                "title": "select the reason",
                "command": SELECT_REASON,
                "arguments": [{"uri": target.uri, "range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}}],
            });
        }
    }
    Some(action)
}

/// Escapes `$`, `}` and `\` for the text of a snippet.
fn escape_snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The one edit that turns `text` into what `--fix` (with `--unsafe-fixes` when set) makes of it, if anything changes:
/// the changed middle between the unchanged start and end.
pub fn fix_all(path: &Path, text: &str, settings: &ClientSettings, map: &PositionMap<'_>) -> Result<Option<TextEdit>, String> {
    let report =
        super::lint::catch(|| crate::run::lint_stdin(path, text.to_string(), &settings.fix_options()))?.map_err(|e| e.to_string())?;
    if let Some(error) = report.errors.first() {
        return Err(error.clone());
    }
    let Some(fixed) = report.fixed.first() else { return Ok(None) };
    Ok(Some(minimal_edit(text, &fixed.text, map)))
}

/// The edit from `old` to `new`, without their common start and end (cut at character boundaries).
fn minimal_edit(old: &str, new: &str, map: &PositionMap<'_>) -> TextEdit {
    let mut start = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let max_end = old.len().min(new.len()) - start;
    let mut end = old.bytes().rev().zip(new.bytes().rev()).take(max_end).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - end) || !new.is_char_boundary(new.len() - end) {
        end -= 1;
    }
    TextEdit { range: map.range(&(start..old.len() - end)), new_text: new[start..new.len() - end].to_string() }
}

#[cfg(test)]
mod tests {
    use super::super::encoding::Encoding;
    use super::*;

    #[test]
    fn kinds_allow_their_sub_kinds_only() {
        let only = ["source".to_string()];
        assert!(allowed(FIX_ALL_KIND, Some(&only)) && !allowed("quickfix", Some(&only)));
        assert!(!allowed(FIX_ALL_KIND, Some(&["source.fix".to_string()])));
        assert!(allowed("quickfix", None));
    }

    #[test]
    fn the_minimal_edit_keeps_the_common_start_and_end() {
        let old = "aé😀b";
        let map = PositionMap::new(old, Encoding::Utf16);
        let edit = minimal_edit(old, "aé😁b", &map);
        assert_eq!((edit.range.start.character, edit.range.end.character, edit.new_text.as_str()), (2, 4, "😁"));
        let edit = minimal_edit("xx", "xxx", &PositionMap::new("xx", Encoding::Utf8));
        assert_eq!((edit.range.start.character, edit.range.end.character, edit.new_text.as_str()), (2, 2, "x"));
        assert_eq!(escape_snippet("a$b}c\\"), "a\\$b\\}c\\\\");
    }
}
