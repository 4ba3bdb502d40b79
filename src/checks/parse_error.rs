//! `parse-error`: the first ERROR or MISSING node of a file that tree-sitter could not parse cleanly.
use crate::check_api::{CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::Preorder;

pub static CHECK: CheckDef =
    CheckDef { rule: "parse-error", captures: &[], vars: &["what"], variants: &[], labels: &[], run: CheckFn::File(run) };

fn run(cx: &FileCx<'_>) -> Vec<Hit> {
    let root = cx.root();
    if !root.has_error() {
        return Vec::new();
    }
    let mut walk = Preorder::new(root);
    while let Some(node) = walk.next() {
        if !node.has_error() && !node.is_missing() {
            walk.skip_children();
            continue;
        }
        if node.is_missing() {
            let at = node.start_byte();
            return vec![Hit::at(at..at).var("what", format!("missing `{}`", node.kind()))];
        }
        if node.is_error() {
            let text = cx.text(node);
            let first = text.split(['\n', '\r']).next().unwrap_or("");
            let end = node.start_byte() + first.len().max(1).min(text.len());
            let shown: String = first.trim().chars().take(30).collect();
            let what = if shown.is_empty() { "unexpected input".to_string() } else { format!("unexpected `{shown}`") };
            return vec![Hit::at(node.start_byte()..end).var("what", what)];
        }
    }
    Vec::new()
}
