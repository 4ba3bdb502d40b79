//! Inline test expectations: a comment `expect: <rule-id>[, <rule-id>...]` expects those findings on its own line
//! when it trails code, or on the next line of code when it stands alone. Read from real comment nodes, so an
//! `expect:` inside a string is not an expectation.
use tree_sitter::Parser;

use crate::lang::Lang;
use crate::syntax::Preorder;

/// `(1-based line, rule id)` pairs, sorted.
pub fn parse(lang: Lang, source: &str) -> Result<Vec<(usize, String)>, String> {
    let mut parser = Parser::new();
    parser.set_language(&lang.grammar()).map_err(|e| e.to_string())?;
    let tree = parser.parse(source, None).ok_or("no tree")?;
    let lines: Vec<&str> = source.split('\n').collect();
    let mut out = Vec::new();
    let walk = Preorder::new(tree.root_node());
    for node in walk {
        if !lang.is_comment_kind(node.kind()) {
            continue;
        }
        let text = &source[node.byte_range()];
        let Some(at) = text.find("expect:") else { continue };
        let ids = text[at + "expect:".len()..].trim().trim_end_matches("*/").trim();
        let row = node.start_position().row;
        let before = lines.get(row).map(|l| &l[..node.start_position().column.min(l.len())]).unwrap_or("");
        let target = if before.trim().is_empty() {
            // the next line that holds code (not blank, not only a comment)
            let mut r = node.end_position().row + 1;
            while r < lines.len() && is_blank_or_comment(lang, lines[r]) {
                r += 1;
            }
            r
        } else {
            row
        };
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.push((target + 1, id.to_string()));
        }
    }
    out.sort();
    Ok(out)
}

fn is_blank_or_comment(lang: Lang, line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || match lang {
            Lang::Python => t.starts_with('#'),
            _ => t.starts_with("//"),
        }
}
