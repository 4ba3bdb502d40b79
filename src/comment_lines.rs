//! Where comments stand among a file's lines: the line a comment applies to, and the lines a comment of its own can
//! stand before (not inside a string, template literal, JSX text or comment, nor after a continued line). Suppression
//! directives, `--add-ignore` and the fixtures' `expect:` comments all read lines this way.
use tree_sitter::Node;

use crate::lang::Lang;
use crate::position::LineIndex;
use crate::syntax;

/// The lines of a source text, with `\n`, `\r\n` and lone `\r` line endings.
pub struct Lines<'s> {
    source: &'s str,
    index: LineIndex,
    count: usize,
}

impl<'s> Lines<'s> {
    pub fn new(source: &'s str) -> Self {
        let index = LineIndex::new(source);
        let count = index.line_of(source.len()) + 1;
        Lines { source, index, count }
    }

    /// How many lines there are (a final line ending starts one more, empty line).
    pub fn count(&self) -> usize {
        self.count
    }

    /// Where 0-based line `line` starts.
    pub fn start(&self, line: usize) -> usize {
        if line >= self.count {
            return self.source.len();
        }
        self.index.line_start(line)
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset.min(self.source.len()))
    }

    /// The text of 0-based line `line`, without its line ending.
    pub fn text(&self, line: usize) -> &'s str {
        let start = self.start(line);
        let end = self.start(line + 1);
        self.source[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// The line a comment applies to (1-based): its own line when it trails code or code follows it there (a block
/// comment), else the next line of code. A `ctxlint-ignore[...]` directive and an `expect:` of the fixtures both
/// apply to this line.
pub fn target_line(comment: Node<'_>, lines: &Lines<'_>, lang: Lang) -> usize {
    let source = lines.source;
    let start = comment.start_byte();
    // a line comment's node may hold its line ending
    let end = start + source[comment.byte_range()].trim_end_matches(['\n', '\r']).len();
    let row = lines.line_of(start);
    // a byte order mark is not code
    let line_start = lines.start(row).max(syntax::text_start(source)).min(start);
    if !source[line_start..start].trim().is_empty() {
        return row + 1;
    }
    let end_row = lines.line_of(end);
    let after = source[end..].split(['\n', '\r']).next().unwrap_or("").trim();
    if !after.is_empty() && !is_comment_only(after, lang) {
        return end_row + 1;
    }
    let mut r = end_row + 1;
    while r < lines.count() {
        let t = lines.text(r).trim();
        if !t.is_empty() && !is_comment_only(t, lang) {
            break;
        }
        r += 1;
    }
    r + 1
}

/// Is a trimmed line (or rest of one) a line comment and nothing else.
pub fn is_comment_only(trimmed: &str, lang: Lang) -> bool {
    trimmed.starts_with(lang.line_comment())
}

/// Can a comment on a line of its own stand before 0-based line `line`? Not when the line starts inside a string, a
/// template literal, JSX text or a comment (the comment would become part of them), nor when the line before ends
/// with a backslash that continues it (the comment would end the statement).
pub fn can_hold_comment(root: Node<'_>, lang: Lang, lines: &Lines<'_>, line: usize) -> bool {
    if line == 0 || line >= lines.count() {
        return true;
    }
    let at = lines.start(line);
    let before = lines.text(line - 1);
    if before.ends_with('\\') {
        let backslash = lines.start(line - 1) + before.len() - 1;
        if !inside_text(root, lang, backslash) {
            return false;
        }
    }
    !inside_text(root, lang, at)
}

/// Is byte `at` inside a string, template literal, JSX text or comment (and not back in code inside one of them, like
/// a template's `${...}` or a JSX `{...}`)?
fn inside_text(root: Node<'_>, lang: Lang, at: usize) -> bool {
    let mut node = root.descendant_for_byte_range(at, at);
    while let Some(n) = node {
        if n.start_byte() < at && at < n.end_byte() {
            match n.kind() {
                "template_substitution" | "jsx_expression" => return false,
                "string"
                | "template_string"
                | "string_literal"
                | "raw_string_literal"
                | "char_literal"
                | "regex"
                | "jsx_element"
                | "jsx_fragment"
                | "jsx_opening_element"
                | "jsx_closing_element"
                | "jsx_self_closing_element"
                | "jsx_text" => return true,
                kind if lang.is_comment_kind(kind) => return true,
                _ => {}
            }
        }
        node = n.parent();
    }
    false
}

/// The 1-based line above which a comment for a finding on 1-based `line` goes: that line, or when it cannot hold a
/// comment (see [`can_hold_comment`]), the nearest line above it that can; a line directive there covers `line`.
pub fn comment_line(root: Node<'_>, lang: Lang, lines: &Lines<'_>, line: usize) -> usize {
    let mut at = line.saturating_sub(1);
    while at > 0 && !can_hold_comment(root, lang, lines, at) {
        at -= 1;
    }
    at + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(lang: Lang, source: &str) -> tree_sitter::Tree {
        crate::engine::Workspace::default().parse(lang, source).expect("parses")
    }

    #[test]
    fn a_comment_for_a_line_inside_a_string_goes_above_the_statement() {
        let source = "def f():\n    x = 1\n    print(\"\"\"\n    a\n    \"\"\", g())\n";
        let tree = tree(Lang::Python, source);
        let lines = Lines::new(source);
        let at = |line| comment_line(tree.root_node(), Lang::Python, &lines, line);
        assert_eq!((at(1), at(2), at(3), at(4), at(5)), (1, 2, 3, 3, 3));
    }
}
