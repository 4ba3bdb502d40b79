//! `--add-ignore[=REASON]`: writes a `ctxlint-ignore[...]` comment above every current finding, so a team can turn
//! ctxlint on for an old codebase today and fix later. Keeps each line's indentation and the file's line endings,
//! is idempotent (suppressed findings get no second comment), and writes atomically.
//!
//! A comment goes where a comment is valid: above the finding's line, or when that line starts inside a string,
//! template literal or JSX text or continues the line before it, above the nearest line before it that does not (the
//! suppression there covers the finding, see [`crate::suppress`]). The new text is parsed again and the file is left
//! alone when anything but the new comments changed.
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use tree_sitter::{Node, Tree};

use crate::comment_lines::{can_hold_comment, comment_line, Lines};
use crate::engine::Workspace;
use crate::finding::Finding;
use crate::fix::write::write_if_unchanged;
use crate::fix::Edit;
use crate::lang::Lang;
use crate::suppress::{UNUSED_RULE, WITHOUT_REASON_RULE};
use crate::syntax::{self, Preorder};

/// What `--add-ignore` did.
#[derive(Debug, Default)]
pub struct Added {
    pub comments: usize,
    pub files: usize,
    /// Files left alone, with why.
    pub skipped: Vec<String>,
    /// Files left alone on purpose (a comment would have changed their code), with why.
    pub notices: Vec<String>,
}

/// The new text of one file with a suppression comment above each of `lines` (1-based), each naming its ids.
pub fn with_comments(source: &str, lang: Lang, lines: &BTreeMap<usize, BTreeSet<String>>, reason: Option<&str>) -> String {
    insert_comments(source, lang, lines, reason).0
}

/// [`with_comments`], and where each new comment (from its marker to its end) lies in the new text.
fn insert_comments(
    source: &str,
    lang: Lang,
    lines: &BTreeMap<usize, BTreeSet<String>>,
    reason: Option<&str>,
) -> (String, Vec<Range<usize>>) {
    let eol = syntax::line_ending(source);
    let marker = lang.line_comment();
    let lines_of = Lines::new(source);
    let reason = reason.map(|r| format!(": {r}")).unwrap_or_default();
    let mut out = String::with_capacity(source.len() + 64 * lines.len());
    let mut comments = Vec::with_capacity(lines.len());
    let mut copied = 0;
    for (line, ids) in lines {
        // the first line starts after a byte order mark, which must stay at byte 0
        let start = lines_of.start(line.saturating_sub(1)).max(syntax::text_start(source)).max(copied);
        out.push_str(&source[copied..start]);
        copied = start;
        out.push_str(syntax::line_indent(source, start));
        let at = out.len();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        out.push_str(&format!("{marker} ctxlint-ignore[{}]{reason}", ids.join(", ")));
        comments.push(at..out.len());
        out.push_str(eol);
    }
    out.push_str(&source[copied..]);
    (out, comments)
}

/// The lines (1-based) the comments go above, each with the ids of the findings it covers: a finding's own line,
/// or the nearest line above it that can hold a comment.
fn comment_lines(tree: &Tree, source: &str, lang: Lang, lines: &BTreeMap<usize, BTreeSet<String>>) -> BTreeMap<usize, BTreeSet<String>> {
    let lines_of = Lines::new(source);
    let mut out: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (line, ids) in lines {
        out.entry(comment_line(tree.root_node(), lang, &lines_of, *line)).or_default().extend(ids.iter().cloned());
    }
    out
}

/// Checks the new text against the old one's tree: it must parse no worse, and have exactly the new comments more,
/// each a comment node of its own, on a line that does not continue the one before (tree-sitter-python accepts a
/// comment after a backslash continuation, CPython does not). Else a comment landed inside code (a string, say) and
/// the file must stay as it is.
fn check(ws: &mut Workspace, lang: Lang, old: &Tree, new: &str, comments: &[Range<usize>]) -> Result<(), String> {
    let tree = ws.parse(lang, new).map_err(|e| e.to_string())?;
    let (old_comments, old_errors) = census(old.root_node(), lang);
    let (new_comments, new_errors) = census(tree.root_node(), lang);
    let lines = Lines::new(new);
    let each_a_comment = comments.iter().all(|c| {
        tree.root_node().descendant_for_byte_range(c.start, c.end).is_some_and(|n| {
            lang.is_comment_kind(n.kind()) && n.start_byte() == c.start && new[n.byte_range()].trim_end() == new[c.clone()].trim_end()
        })
    });
    let continues = comments.iter().any(|c| !can_hold_comment(tree.root_node(), lang, &lines, lines.line_of(c.start)));
    if new_comments != old_comments + comments.len() || !each_a_comment {
        Err("a suppression comment would become part of the code (a string, say); left unchanged".to_string())
    } else if new_errors > old_errors || continues {
        Err("a suppression comment would break its syntax; left unchanged".to_string())
    } else {
        Ok(())
    }
}

/// One suppression comment for `rule` on 1-based `line`, as `--add-ignore=REASON` writes it (above that line, or the
/// nearest line above it that can hold a comment): the edit that inserts it, and where `reason` lies in the edit's
/// text (for an editor to select it). `Err` when the comment would become code or break the syntax.
pub fn comment_edit(source: &str, lang: Lang, line: usize, rule: &str, reason: &str) -> Result<(Edit, Range<usize>), String> {
    let mut ws = Workspace::default();
    let tree = ws.parse(lang, source).map_err(|e| e.to_string())?;
    let wanted = BTreeMap::from([(line, BTreeSet::from([rule.to_string()]))]);
    let lines = comment_lines(&tree, source, lang, &wanted);
    let (new, comments) = insert_comments(source, lang, &lines, Some(reason));
    check(&mut ws, lang, &tree, &new, &comments)?;
    let comment = comments.first().ok_or("no line for the comment")?;
    // the comment's line (its indentation, the comment, a line ending) is inserted whole at the start of a line
    let at = comment.start - syntax::line_indent(&new, comment.start).len();
    let inserted = new.len() - source.len();
    let text = new.get(at..at + inserted).ok_or("the comment is not where it was put")?.to_string();
    let reason_end = comment.end - at;
    Ok((Edit::insert(at, text), reason_end - reason.len()..reason_end))
}

/// How many comment nodes and syntax errors (ERROR or MISSING nodes) a tree holds.
fn census(root: Node<'_>, lang: Lang) -> (usize, usize) {
    let (mut comments, mut errors) = (0, 0);
    for node in Preorder::new(root) {
        comments += usize::from(lang.is_comment_kind(node.kind()));
        errors += usize::from(node.is_error() || node.is_missing());
    }
    (comments, errors)
}

/// Adds the comments for `findings` (unsuppressed ones, of rules other than the suppression rules themselves).
pub fn apply(findings: &[Finding], reason: Option<&str>) -> Added {
    let mut by_file: BTreeMap<&PathBuf, (&Finding, BTreeMap<usize, BTreeSet<String>>)> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.suppressed.is_none() && &*f.rule != UNUSED_RULE && &*f.rule != WITHOUT_REASON_RULE) {
        let entry = by_file.entry(&f.path).or_insert_with(|| (f, BTreeMap::new()));
        entry.1.entry(f.start.line).or_default().insert(f.rule.to_string());
    }
    let mut added = Added::default();
    let mut ws = Workspace::default();
    for (path, (first, lines)) in by_file {
        let Some(lang) = Lang::from_path(path) else { continue };
        let tree = match ws.parse(lang, &first.source) {
            Ok(tree) => tree,
            Err(why) => {
                added.notices.push(format!("{}: no suppression comments added: {why}", path.display()));
                continue;
            }
        };
        let lines = comment_lines(&tree, &first.source, lang, &lines);
        let (new, comments) = insert_comments(&first.source, lang, &lines, reason);
        if let Err(why) = check(&mut ws, lang, &tree, &new, &comments) {
            added.notices.push(format!("{}: no suppression comments added: {why}", path.display()));
            continue;
        }
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

    #[test]
    fn comments_go_after_a_byte_order_mark_and_keep_lone_cr_line_endings() {
        let lines = BTreeMap::from([(1, BTreeSet::from(["py/dangling-task".to_string()]))]);
        assert_eq!(
            with_comments("\u{feff}asyncio.create_task(g())\n", Lang::Python, &lines, None),
            "\u{feff}# ctxlint-ignore[py/dangling-task]\nasyncio.create_task(g())\n"
        );
        let lines = BTreeMap::from([(3, BTreeSet::from(["py/dangling-task".to_string()]))]);
        assert_eq!(
            with_comments("async def f():\r    x = 1\r    asyncio.create_task(g())\r", Lang::Python, &lines, None),
            "async def f():\r    x = 1\r    # ctxlint-ignore[py/dangling-task]\r    asyncio.create_task(g())\r"
        );
    }

    /// The check of the new text, for comments above `lines` of `old`.
    fn checked(lang: Lang, old: &str, lines: &[usize]) -> Result<String, String> {
        let mut ws = Workspace::default();
        let tree = ws.parse(lang, old).expect("parses");
        let lines: BTreeMap<usize, BTreeSet<String>> = lines.iter().map(|l| (*l, BTreeSet::from(["x/y".to_string()]))).collect();
        let (new, comments) = insert_comments(old, lang, &lines, Some("why"));
        check(&mut ws, lang, &tree, &new, &comments).map(|()| new)
    }

    #[test]
    fn a_comment_that_would_not_be_a_comment_is_refused() {
        let js = "const s = `\n  ${f()}\n`;\n";
        assert_eq!(checked(Lang::JavaScript, js, &[1]), Ok(format!("// ctxlint-ignore[x/y]: why\n{js}")));
        // inside the template, the comment would be text
        assert!(checked(Lang::JavaScript, js, &[2]).is_err_and(|e| e.contains("part of the code")));
        let py = "def f():\n    s = \"\"\"\n    a\n    \"\"\"\n";
        assert!(checked(Lang::Python, py, &[2]).is_ok());
        assert!(checked(Lang::Python, py, &[3]).is_err());
        assert!(checked(Lang::Python, py, &[2, 4]).is_err());
        // after a backslash continuation, the comment would end the statement
        let py = "x = 1 + \\\n    2\n";
        assert!(checked(Lang::Python, py, &[2]).is_err_and(|e| e.contains("break its syntax")), "{:?}", checked(Lang::Python, py, &[2]));
        // a Rust raw string
        let rs = "fn f() {\n    g(r#\"\n\"#);\n}\n";
        assert!(checked(Lang::Rust, rs, &[2]).is_ok());
        assert!(checked(Lang::Rust, rs, &[3]).is_err());
    }

    #[test]
    fn one_comment_as_an_edit_with_its_reason_located() {
        let src = "async def f():\r\n    x = (1,\r\n         asyncio.create_task(g()))\r\n";
        let (edit, reason) = comment_edit(src, Lang::Python, 3, "py/dangling-task", "why").expect("an edit");
        // inside the parentheses a comment may stand on its own line: right above the finding's, with its indentation
        assert_eq!(edit, Edit::insert(29, "         # ctxlint-ignore[py/dangling-task]: why\r\n"));
        assert_eq!(&edit.replacement[reason], "why");
        // inside a string: above the statement that holds it
        let src = "x = \"\"\"\nasyncio.create_task(g())\n\"\"\"\n";
        assert!(comment_edit(src, Lang::Python, 2, "py/dangling-task", "why").is_ok_and(|(e, _)| e.range.start == 0));
    }

    #[test]
    fn a_line_inside_a_statement_gets_its_comment_above_the_statement() {
        let source = "const e = (\n  <div>\n    hi {f()}\n  </div>\n);\n";
        let tree = Workspace::default().parse(Lang::JavaScript, source).expect("parses");
        let lines = BTreeMap::from([(3, BTreeSet::from(["js/a".to_string()])), (2, BTreeSet::from(["js/b".to_string()]))]);
        let at = comment_lines(&tree, source, Lang::JavaScript, &lines);
        assert_eq!(at, BTreeMap::from([(2, BTreeSet::from(["js/a".to_string(), "js/b".to_string()]))]));
    }
}
