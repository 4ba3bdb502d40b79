//! Helpers shared by the Python checks: recognising `copy_context()`, loops, and adding a top-level import.
use tree_sitter::Node;

use crate::analysis::python::PyFacts;
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::syntax::{self, ancestors, contains};

/// Is `node` a call of `contextvars.copy_context()` (however imported).
pub fn is_copy_context_call(py: &PyFacts, node: Node<'_>, source: &str) -> bool {
    node.kind() == "call"
        && node.child_by_field_name("function").is_some_and(|f| {
            py.resolves_to(f, source, &["contextvars.copy_context"])
                || matches!(syntax::text(f, source), "copy_context" | "contextvars.copy_context")
        })
}

/// Loops between `node` and `scope` (nearest first): `for`, `while`, and comprehensions.
pub fn enclosing_loops<'t>(node: Node<'t>, scope: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    ancestors(node).take_while(move |a| a.id() != scope.id()).filter(|a| {
        matches!(
            a.kind(),
            "for_statement"
                | "while_statement"
                | "list_comprehension"
                | "set_comprehension"
                | "dictionary_comprehension"
                | "generator_expression"
        )
    })
}

/// Is `node` inside a loop (below `scope`) that does not also contain `other`.
pub fn in_loop_without(node: Node<'_>, other: Node<'_>, scope: Node<'_>) -> bool {
    enclosing_loops(node, scope).any(|l| !contains(l, other))
}

/// How a fix calls `copy_context`, plus an `import contextvars` edit when the file has neither import.
pub fn copy_context_for_fix(cx: &FileCx<'_>) -> (String, Option<Edit>) {
    let py = cx.py();
    let mut locals: Vec<(&String, &String)> = py.imports.iter().collect();
    locals.sort();
    if let Some((local, _)) = locals.iter().find(|(_, q)| q.as_str() == "contextvars.copy_context") {
        return (local.to_string(), None);
    }
    if let Some((local, _)) = locals.iter().find(|(_, q)| q.as_str() == "contextvars") {
        return (format!("{local}.copy_context"), None);
    }
    (String::from("contextvars.copy_context"), Some(add_import(cx, "import contextvars")))
}

/// An edit that adds `line` after the file's leading imports (first in a file without them, after its byte order
/// mark if it has one: CPython rejects a mark anywhere else).
pub fn add_import(cx: &FileCx<'_>, line: &str) -> Edit {
    let eol = syntax::line_ending(cx.source);
    let start = syntax::text_start(cx.source);
    match cx.py().import_insert_at {
        at if at <= start => Edit::insert(start, format!("{line}{eol}")),
        at => Edit::insert(at, format!("{eol}{line}")),
    }
}
