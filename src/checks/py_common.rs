//! Helpers shared by the Python checks: recognising `copy_context()`, loops, and adding a top-level import.
use tree_sitter::Node;

use crate::analysis::python::PyFacts;
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::syntax::{self, ancestors, contains};

/// Is `node` a call of `contextvars.copy_context()` (however imported).
pub fn is_copy_context_call(py: &PyFacts, node: Node<'_>) -> bool {
    node.kind() == "call"
        && node.child_by_field_name("function").is_some_and(|f| {
            py.resolves_to(f, &["contextvars.copy_context"]) || matches!(py.text(f), "copy_context" | "contextvars.copy_context")
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
    stdlib_member_for_fix(cx, "contextvars", "copy_context")
}

/// How a fix names `{module}.{member}` of a standard-library module: the file's own name for it
/// (`from contextvars import copy_context`, `import contextvars as cv`), else the dotted name plus an `import {module}`
/// edit.
pub fn stdlib_member_for_fix(cx: &FileCx<'_>, module: &str, member: &str) -> (String, Option<Edit>) {
    let py = cx.py();
    let mut locals: Vec<(&String, &String)> = py.imports.iter().collect();
    locals.sort();
    let qualified = format!("{module}.{member}");
    if let Some((local, _)) = locals.iter().find(|(_, q)| **q == qualified) {
        return (local.to_string(), None);
    }
    if let Some((local, _)) = locals.iter().find(|(_, q)| q.as_str() == module) {
        return (format!("{local}.{member}"), None);
    }
    (qualified, Some(add_stdlib_import(cx, module)))
}

/// An edit that adds `import {module}` (a standard-library module) where isort and ruff's `I001` want it: among the
/// plain imports of the file's standard-library block in alphabetical order, else before that block's `from`
/// imports, else, when the file imports only other modules, as a block of its own before them. A file without
/// leading imports gets it as [`add_import`] puts it.
pub fn add_stdlib_import(cx: &FileCx<'_>, module: &str) -> Edit {
    use crate::analysis::py_stdlib::is_stdlib;
    let eol = syntax::line_ending(cx.source);
    let line = format!("import {module}");
    let imports = &cx.py().leading_imports;
    let Some(first) = imports.first() else { return add_import(cx, &line) };
    let stdlib: Vec<_> = imports.iter().filter(|i| i.module.as_deref().is_some_and(is_stdlib)).collect();
    let Some(first_stdlib) = stdlib.first() else {
        return Edit::insert(first.start, format!("{line}{eol}{eol}"));
    };
    let plain: Vec<_> = stdlib.iter().filter(|i| !i.from).collect();
    let key = module.to_lowercase();
    if let Some(next) = plain.iter().find(|i| i.module.as_deref().is_some_and(|m| m.to_lowercase() > key)) {
        return Edit::insert(next.start, format!("{line}{eol}"));
    }
    match plain.last() {
        Some(last) => Edit::insert(last.end, format!("{eol}{line}")),
        None => Edit::insert(first_stdlib.start, format!("{line}{eol}")),
    }
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
