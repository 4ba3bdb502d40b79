//! Inline test expectations: a comment `expect: <rule-id>[, <rule-id>...]` expects those findings on the line the
//! comment applies to, as a suppression directive does ([`crate::comment_lines::target_line`]): its own line when it
//! trails code, else the next line of code. Read from real comment nodes, so an `expect:` inside a string is not an
//! expectation.
use tree_sitter::Parser;

use crate::comment_lines::{target_line, Lines};
use crate::lang::Lang;
use crate::syntax::Preorder;

/// `(1-based line, rule id)` pairs, sorted.
pub fn parse(lang: Lang, source: &str) -> Result<Vec<(usize, String)>, String> {
    let mut parser = Parser::new();
    parser.set_language(&lang.grammar()).map_err(|e| e.to_string())?;
    let tree = parser.parse(source, None).ok_or("no tree")?;
    let lines = Lines::new(source);
    let mut out = Vec::new();
    for node in Preorder::new(tree.root_node()) {
        if !lang.is_comment_kind(node.kind()) {
            continue;
        }
        let text = &source[node.byte_range()];
        let Some(at) = text.find("expect:") else { continue };
        let ids = text[at + "expect:".len()..].trim().trim_end_matches("*/").trim();
        let target = target_line(node, &lines, lang);
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.push((target, id.to_string()));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expectation_applies_to_its_own_line_or_the_next_line_of_code() {
        let py = "f()  # expect: a\n# expect: b, c\n\n# note\ng()\ns = '# expect: d'\n";
        assert_eq!(parse(Lang::Python, py), Ok(vec![(1, "a".into()), (5, "b".into()), (5, "c".into())]));
        // a Rust line comment's node holds its line ending: the next line is still the one after it
        let rs = "fn f() {\n    // expect: x\n    g();\n}\n";
        assert_eq!(parse(Lang::Rust, rs), Ok(vec![(3, "x".into())]));
        let js = "/* expect: y */\nh();\n";
        assert_eq!(parse(Lang::JavaScript, js), Ok(vec![(2, "y".into())]));
    }
}
