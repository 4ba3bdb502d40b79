//! `--add-ignore[=REASON]`: writes a `ctxlint-ignore[...]` comment above every current finding, so a team can turn
//! ctxlint on for an old codebase today and fix later. Keeps each line's indentation and the file's line endings,
//! is idempotent (suppressed findings get no second comment), and writes atomically.
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::finding::Finding;
use crate::lang::{Family, Lang};
use crate::suppress::{UNUSED_RULE, WITHOUT_REASON_RULE};
use crate::syntax;
use crate::write::write_if_unchanged;

/// What `--add-ignore` did.
#[derive(Debug, Default)]
pub struct Added {
    pub comments: usize,
    pub files: usize,
    /// Files left alone, with why.
    pub skipped: Vec<String>,
}

/// The new text of one file with a suppression comment above each line that has unsuppressed findings.
pub fn with_comments(source: &str, lang: Lang, lines: &BTreeMap<usize, BTreeSet<String>>, reason: Option<&str>) -> String {
    let eol = syntax::line_ending(source);
    let marker = match lang.family() {
        Family::Python => "#",
        Family::Js | Family::Rust => "//",
    };
    let index = crate::position::LineIndex::new(source);
    let mut out = source.to_string();
    // from the bottom up, so earlier offsets stay valid
    for (line, ids) in lines.iter().rev() {
        let start = index.line_start(line - 1);
        let indent = syntax::line_indent(source, start);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let reason = reason.map(|r| format!(": {r}")).unwrap_or_default();
        out.insert_str(start, &format!("{indent}{marker} ctxlint-ignore[{}]{reason}{eol}", ids.join(", ")));
    }
    out
}

/// Adds the comments for `findings` (unsuppressed ones, of rules other than the suppression rules themselves).
pub fn apply(findings: &[Finding], reason: Option<&str>) -> Added {
    let mut by_file: BTreeMap<&PathBuf, (&Finding, BTreeMap<usize, BTreeSet<String>>)> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.suppressed.is_none() && &*f.rule != UNUSED_RULE && &*f.rule != WITHOUT_REASON_RULE) {
        let entry = by_file.entry(&f.path).or_insert_with(|| (f, BTreeMap::new()));
        entry.1.entry(f.start.line).or_default().insert(f.rule.to_string());
    }
    let mut added = Added::default();
    for (path, (first, lines)) in by_file {
        let Some(lang) = Lang::from_path(path) else { continue };
        let new = with_comments(&first.source, lang, &lines, reason);
        match write_if_unchanged(path, &first.source, &new) {
            Ok(()) => {
                added.files += 1;
                added.comments += lines.len();
            }
            Err(why) => added.skipped.push(format!("{}: {why}", path.display())),
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_indentation_and_line_endings() {
        let src = "def f():\r\n\tif x:\r\n\t\tasyncio.create_task(g())\r\n";
        let lines = BTreeMap::from([(3, BTreeSet::from(["py/dangling-task".to_string()]))]);
        assert_eq!(
            with_comments(src, Lang::Python, &lines, Some("legacy")),
            "def f():\r\n\tif x:\r\n\t\t# ctxlint-ignore[py/dangling-task]: legacy\r\n\t\tasyncio.create_task(g())\r\n"
        );
        let js = "function f() {\n  setTimeout(cb, 1);\n}\n";
        let lines = BTreeMap::from([(2, BTreeSet::from(["js/unbound-timer".to_string(), "js/floating-promise".to_string()]))]);
        assert_eq!(
            with_comments(js, Lang::JavaScript, &lines, None),
            "function f() {\n  // ctxlint-ignore[js/floating-promise, js/unbound-timer]\n  setTimeout(cb, 1);\n}\n"
        );
    }
}
