//! Inline suppressions, one syntax for every language, written in that language's comments:
//! `ctxlint-ignore[rule-id, other-id]: reason` on the line before the finding or at the end of its line, and
//! `ctxlint-ignore-file[rule-id]: reason` in the file header (before the first line of code).
//!
//! A line directive also covers the lines after its line that cannot hold a comment of their own (they start inside
//! a string, a template literal, JSX text or a comment, or continue the line before with a backslash): a finding
//! there is suppressed by a comment above the statement that holds it.
use std::ops::Range;

use tree_sitter::Node;

use crate::check_api::{CheckDef, CheckFn, Hit};
use crate::comment_lines::{can_hold_comment, is_comment_only, target_line, Lines};
use crate::finding::{Finding, Suppressed};
use crate::fix::Edit;
use crate::lang::Lang;
use crate::syntax::{named_children, Preorder};

pub const LINE_DIRECTIVE: &str = "ctxlint-ignore";
pub const FILE_DIRECTIVE: &str = "ctxlint-ignore-file";
pub const UNUSED_RULE: &str = "unused-suppression";
pub const WITHOUT_REASON_RULE: &str = "suppression-without-reason";

/// The suppression rules' checks: the engine runs them itself, after the other rules ([`apply`]).
pub static CHECKS: &[&CheckDef] = &[
    &CheckDef { rule: UNUSED_RULE, captures: &[], vars: &["id", "why"], variants: &[], labels: &[], run: CheckFn::Engine },
    &CheckDef { rule: WITHOUT_REASON_RULE, captures: &[], vars: &["ids"], variants: &[], labels: &[], run: CheckFn::Engine },
];

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
    /// The 1-based lines it applies to: `first`, the line it targets, through `last`, the end of the run of lines
    /// after it that cannot hold a comment (`last == first` for most code).
    Lines {
        first: usize,
        last: usize,
    },
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
    let lines = Lines::new(source);
    let mut out = Vec::new();
    for node in Preorder::new(root) {
        if !lang.is_comment_kind(node.kind()) {
            continue;
        }
        let text = &source[node.byte_range()];
        for Parsed { is_file, ids, reason, range } in parse_comment(text, node.start_byte()) {
            let scope = if is_file {
                Scope::File
            } else {
                let first = target_line(node, &lines, lang);
                Scope::Lines { first, last: last_covered(root, lang, &lines, first) }
            };
            let misplaced = is_file && node.start_byte() > header_end;
            out.push(Directive { scope, ids, reason, range, comment: node.byte_range(), misplaced });
        }
    }
    out
}

/// The last line (1-based) a directive that targets line `first` covers: `first`, or when the lines after it cannot
/// hold a comment (they are inside its statement's strings or continuations), the last of them.
fn last_covered(root: Node<'_>, lang: Lang, lines: &Lines<'_>, first: usize) -> usize {
    let mut last = first;
    // the 0-based number of the line after 1-based line `last` is `last`
    while last < lines.count() && !can_hold_comment(root, lang, lines, last) {
        last += 1;
    }
    last
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
/// `enabled(id)` tells whether this run reports the rule `id` (`None`: no rule has that id).
pub fn apply(
    findings: &mut [Finding],
    directives: &[Directive],
    enabled: &dyn Fn(&str) -> Option<bool>,
    source: &str,
    lang: Lang,
) -> Vec<(&'static str, Hit)> {
    let mut used = vec![Vec::new(); directives.len()];
    for (d, directive) in directives.iter().enumerate() {
        used[d] = vec![false; directive.ids.len()];
    }
    for finding in findings.iter_mut() {
        for (d, directive) in directives.iter().enumerate() {
            let applies = match directive.scope {
                Scope::File => !directive.misplaced,
                Scope::Lines { first, last } => (first..=last).contains(&finding.start.line),
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
    let unused_on = enabled(UNUSED_RULE) == Some(true);
    for (d, directive) in directives.iter().enumerate() {
        if unused_on {
            for (i, id) in directive.ids.iter().enumerate() {
                if used[d][i] {
                    continue;
                }
                let why = match enabled(&id.id) {
                    None => "no rule has this id",
                    Some(_) if directive.misplaced => "`ctxlint-ignore-file` only works in the file header, before the first line of code",
                    Some(false) => continue, // not run now: cannot tell
                    Some(true) => "no finding of this rule is there to silence",
                };
                let hit = Hit::at(id.range.clone()).var("id", id.id.clone()).var("why", why).edits(removal(directive, i, source, lang));
                out.push((UNUSED_RULE, hit));
            }
        }
        if directive.reason.is_none() && enabled(WITHOUT_REASON_RULE) == Some(true) {
            let ids = directive.ids.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ");
            out.push((WITHOUT_REASON_RULE, Hit::at(directive.range.clone()).var("ids", ids)));
        }
    }
    out
}

/// The edits that remove id `i` from a directive: the id and its comma when others remain, else the directive, the
/// comment when it holds nothing else, and the line when the comment stands alone on it. Code that shares the
/// comment's line (a block comment before or between code) stays, with one of the spaces around the comment.
fn removal(directive: &Directive, i: usize, source: &str, lang: Lang) -> Vec<Edit> {
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
    let start = directive.comment.start;
    // a line comment's node may hold its line ending: that stays
    let end = start + source[directive.comment.clone()].trim_end_matches(['\n', '\r']).len();
    // a byte order mark before the first line stays
    let line_start = source[..start].rfind(['\n', '\r']).map_or(crate::syntax::text_start(source), |p| p + 1);
    let line_end = source[end..].find(['\n', '\r']).map_or(source.len(), |p| end + p);
    let code_before = &source[line_start..start];
    let code_after = &source[end..line_end];
    let before_blank = code_before.trim().is_empty();
    let after_blank = code_after.trim().is_empty();
    // only a line comment after it: the line holds no code (as for `target_line`)
    let after_comment = is_comment_only(code_after.trim_start(), lang);
    let range = if before_blank && (after_blank || after_comment) {
        // the comment is alone on its line (or with other comments): remove the line
        let eol = if source[line_end..].starts_with("\r\n") { 2 } else { usize::from(line_end < source.len()) };
        line_start..line_end + eol
    } else if after_blank {
        // a trailing comment: remove it and the spaces around it
        line_start + code_before.trim_end_matches([' ', '\t']).len()..line_end
    } else if code_after.starts_with([' ', '\t']) {
        // code (or a comment) follows it: remove it and one space after it, else one before it
        start..end + 1
    } else if code_before.ends_with([' ', '\t']) {
        start - 1..end
    } else {
        start..end
    };
    vec![Edit::replace(range, "")]
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

    fn tree(lang: Lang, source: &str) -> tree_sitter::Tree {
        crate::engine::Workspace::default().parse(lang, source).expect("parses")
    }

    /// The text after removing the only id of the first directive of `source`.
    fn removed(lang: Lang, source: &str) -> String {
        let tree = tree(lang, source);
        let directives = collect(tree.root_node(), source, lang);
        let mut out = source.to_string();
        for edit in removal(&directives[0], 0, source, lang).into_iter().rev() {
            out.replace_range(edit.range, &edit.replacement);
        }
        out
    }

    #[test]
    fn removing_a_block_comment_keeps_the_code_on_its_line() {
        let js = Lang::JavaScript;
        assert_eq!(removed(js, "  /* ctxlint-ignore[x]: y */ setInterval(f, 1);\n"), "  setInterval(f, 1);\n");
        assert_eq!(removed(js, "a(); /* ctxlint-ignore[x]: y */ b();\n"), "a(); b();\n");
        assert_eq!(removed(js, "a();/* ctxlint-ignore[x] */b();\n"), "a();b();\n");
        assert_eq!(removed(js, "a(); /* ctxlint-ignore[x] */\nb();\n"), "a();\nb();\n");
        assert_eq!(removed(js, "a(); /* ctxlint-ignore[x] */ // note\n"), "a(); // note\n");
        assert_eq!(removed(js, "a();\n  /* ctxlint-ignore[x] */ // expect: x\nb();\n"), "a();\nb();\n");
        assert_eq!(removed(Lang::Rust, "fn f() {\n    // ctxlint-ignore[x]: y\n    g();\n}\n"), "fn f() {\n    g();\n}\n");
        assert_eq!(removed(Lang::Rust, "fn f() {\n    g(); // ctxlint-ignore[x]\n    h();\n}\n"), "fn f() {\n    g();\n    h();\n}\n");
        // line endings of every kind, and a byte order mark, stay
        assert_eq!(removed(Lang::Python, "a()\r# ctxlint-ignore[x]\rb()\r"), "a()\rb()\r");
        assert_eq!(removed(Lang::Python, "a()\r\n# ctxlint-ignore[x]\r\nb()\r\n"), "a()\r\nb()\r\n");
        assert_eq!(removed(Lang::Python, "\u{feff}# ctxlint-ignore[x]\nb()\n"), "\u{feff}b()\n");
    }

    /// The lines each line directive of `source` covers.
    fn scopes(lang: Lang, source: &str) -> Vec<Scope> {
        collect(tree(lang, source).root_node(), source, lang).into_iter().map(|d| d.scope).collect()
    }

    #[test]
    fn a_directive_covers_the_lines_of_its_statement_that_cannot_hold_a_comment() {
        let lines = |first, last| Scope::Lines { first, last };
        // a block comment before code applies to its own line
        assert_eq!(scopes(Lang::JavaScript, "/* ctxlint-ignore[x] */ f();\ng();\n"), [lines(1, 1)]);
        assert_eq!(scopes(Lang::JavaScript, "/* ctxlint-ignore[x] */ // note\ng();\n"), [lines(2, 2)]);
        // a triple-quoted string, and a backslash continuation
        assert_eq!(scopes(Lang::Python, "# ctxlint-ignore[x]\nprint(\"\"\"\na\n\"\"\", f(),\n  g())\nh()\n"), [lines(2, 4)]);
        assert_eq!(scopes(Lang::Python, "# ctxlint-ignore[x]\nx = 1 + \\\n  f() + \\\n  g()\nh()\n"), [lines(2, 4)]);
        // a backslash in a comment continues nothing
        assert_eq!(scopes(Lang::Python, "# ctxlint-ignore[x]\nf()  # a \\\ng()\n"), [lines(2, 2)]);
        // a template literal, but not the code in its substitution on a line of its own
        assert_eq!(scopes(Lang::JavaScript, "// ctxlint-ignore[x]\nconst s = `\n${f()}\n${\n  g()}`;\n"), [lines(2, 4)]);
        // JSX text, but not the code inside braces
        assert_eq!(
            scopes(Lang::JavaScript, "const e = (\n  // ctxlint-ignore[x]\n  <div>\n    hi {f()}\n    {g(\n      h())}\n  </div>\n);\n"),
            [lines(3, 5)]
        );
        // a Rust raw string
        assert_eq!(scopes(Lang::Rust, "fn f() {\n    // ctxlint-ignore[x]\n    g(r#\"\n\"#, h());\n}\n"), [lines(3, 4)]);
        // lone CR line endings count as lines
        assert_eq!(scopes(Lang::Python, "a()\r# ctxlint-ignore[x]\r\rb()\r"), [lines(4, 4)]);
    }
}
