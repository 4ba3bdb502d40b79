//! The fixes of `py/executor-without-context` for the hand-offs whose callable runs many times or elsewhere: one
//! context copy per call for `map` and its kin, `functools.partial(copy_context().run, fn)` for a callable called
//! once later (`apply_async`, `add_done_callback`), one copy per submit where one `Context` was shared, the copy
//! hoisted out of a submitted lambda into the caller, and the display-only `start()` override for a Thread subclass.
use tree_sitter::Node;

use super::py_common::{copy_context_for_fix, is_copy_context_call, stdlib_member_for_fix};
use crate::analysis::python::enclosing_function;
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::syntax::{self, ancestors, named_children, Preorder};

/// `pool.map(fn, items)` → `ctx = copy_context()` before the statement and `pool.map(lambda *a: ctx.copy().run(fn,
/// *a), items)`: each call runs in its own copy of the caller's context. A callable that is already a context's
/// `run` (`copy_context().run`, `ctx.run`) becomes `lambda *a: ctx.copy().run(*a)`.
pub fn per_call_copy(cx: &FileCx<'_>, call: Node<'_>, callable: Node<'_>) -> Option<Vec<Edit>> {
    let run_of = run_object(cx, callable);
    // `ctx.run` on a context the caller copied: copy it per call, no new binding
    if let Some(obj) = run_of.filter(|o| o.kind() == "identifier") {
        let name = cx.text(obj);
        return Some(vec![Edit::replace(callable.byte_range(), format!("lambda *a: {name}.copy().run(*a)"))]);
    }
    // a callable made by an expression (`make_handler()`, `partial(ctx.run, fn)`) would be made again at each call
    if run_of.is_none() && !matches!(callable.kind(), "identifier" | "attribute" | "lambda") {
        return None;
    }
    let (bind, name, import) = bind_copy_before(cx, call)?;
    let lambda = match run_of {
        Some(_) => format!("lambda *a: {name}.copy().run(*a)"),
        None => format!("lambda *a: {name}.copy().run({}, *a)", cx.text(callable)),
    };
    let mut edits = vec![bind, Edit::replace(callable.byte_range(), lambda)];
    edits.extend(import);
    Some(edits)
}

/// `apply_async(fn, args)` / `add_done_callback(fn)` → `functools.partial(contextvars.copy_context().run, fn)`: the
/// copy is made in the caller, once for the one call the callable gets.
pub fn partial_copy(cx: &FileCx<'_>, callable: Node<'_>) -> Option<Vec<Edit>> {
    if run_object(cx, callable).is_some() {
        return None;
    }
    let (copy, copy_import) = copy_context_for_fix(cx);
    let (partial, partial_import) = partial_for_fix(cx);
    let mut edits = vec![Edit::replace(callable.byte_range(), format!("{partial}({copy}().run, {})", cx.text(callable)))];
    edits.extend(copy_import);
    edits.extend(partial_import);
    Some(edits)
}

/// One `Context` shared by several submits (`submit(ctx.run, fn)` in a loop or after another): `ctx.copy().run`, a
/// copy of it per submit. `run` is the `ctx.run` attribute (the callable, or the first argument of its `partial`).
pub fn copy_per_submit(run: Node<'_>) -> Option<Vec<Edit>> {
    let obj = run.child_by_field_name("object").filter(|o| o.kind() == "identifier")?;
    Some(vec![Edit::insert(obj.end_byte(), ".copy()")])
}

/// `submit(lambda: copy_context().run(fn))`: the copy made in the worker is hoisted to the caller (`ctx =
/// copy_context()` before the statement, `ctx.run` in the lambda; `ctx.copy().run` when the lambda runs many times).
pub fn hoist_copy(cx: &FileCx<'_>, call: Node<'_>, copy: Node<'_>, many: bool) -> Option<Vec<Edit>> {
    let (bind, name, import) = bind_copy_before(cx, call)?;
    let hoisted = if many { format!("{name}.copy()") } else { name };
    let mut edits = vec![bind, Edit::replace(copy.byte_range(), hoisted)];
    edits.extend(import);
    Some(edits)
}

/// A display-only suggestion for a Thread subclass whose `run()` loses the context: a `start()` override that copies
/// the context in the thread that calls `start()` and has the new thread's `run()` run inside it. `None` when the
/// class already defines `start`.
pub fn subclass_start(cx: &FileCx<'_>, run_method: Node<'_>) -> Option<Vec<Edit>> {
    let outer = run_method.parent().filter(|p| p.kind() == "decorated_definition").unwrap_or(run_method);
    let body = outer.parent().filter(|b| b.kind() == "block")?;
    let defines_start = named_children(body).any(|m| {
        let m = if m.kind() == "decorated_definition" { m.child_by_field_name("definition").unwrap_or(m) } else { m };
        m.kind() == "function_definition" && m.child_by_field_name("name").is_some_and(|n| cx.text(n) == "start")
    });
    if defines_start {
        return None;
    }
    let first = named_children(body).find(|m| m.kind() != "comment")?;
    let at = first.start_byte();
    let eol = syntax::line_ending(cx.source);
    let indent = syntax::line_indent(cx.source, at);
    let unit = indent_unit(cx.source, run_method, indent);
    let (copy, import) = copy_context_for_fix(cx);
    let lines = [
        "def start(self):".to_string(),
        format!("{unit}# copied in the thread that calls start(); run() runs inside it in the new thread"),
        format!("{unit}ctx, run = {copy}(), self.run"),
        format!("{unit}self.run = lambda: ctx.run(run)"),
        format!("{unit}super().start()"),
    ];
    let text = lines.join(&format!("{eol}{indent}"));
    let mut edits = vec![Edit::insert(at, format!("{text}{eol}{eol}{indent}"))];
    edits.extend(import);
    Some(edits)
}

/// The indentation one level below `indent`: what the method's body adds to its `def` line.
fn indent_unit<'s>(source: &'s str, method: Node<'_>, indent: &str) -> &'s str {
    let inner = method.child_by_field_name("body").and_then(|b| b.named_child(0)).map(|s| syntax::line_indent(source, s.start_byte()));
    match inner {
        Some(inner) if inner.len() > indent.len() && inner.starts_with(indent) => &inner[indent.len()..],
        _ if indent.starts_with('\t') => "\t",
        _ => "    ",
    }
}

/// The object of a callable `X.run` where `X` is a context: `copy_context()`, or a name bound or named as one.
fn run_object<'t>(cx: &FileCx<'_>, callable: Node<'t>) -> Option<Node<'t>> {
    if callable.kind() != "attribute" || callable.child_by_field_name("attribute").is_none_or(|a| cx.text(a) != "run") {
        return None;
    }
    let obj = callable.child_by_field_name("object")?;
    let py = cx.py();
    let named = cx.text(obj).to_ascii_lowercase();
    let holds = named.contains("ctx") || named.contains("context");
    (is_copy_context_call(py, obj) || (obj.kind() == "identifier" && holds)).then_some(obj)
}

/// `name = copy_context()` as its own line before the statement that holds `call`, with a name the function does not
/// use, and the import it needs. `None` when the call is not in a statement of a block of the same function (a
/// lambda, a one-line `if x: ...` body) or is in a `with` header, where the binding could run in another context.
fn bind_copy_before(cx: &FileCx<'_>, call: Node<'_>) -> Option<(Edit, String, Option<Edit>)> {
    let statement = enclosing_statement(call)?;
    let at = statement.start_byte();
    let line_start = cx.source[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if !cx.source[line_start..at].trim().is_empty() {
        return None;
    }
    let scope = enclosing_function(call).unwrap_or_else(|| cx.root());
    let name = fresh_name(cx, scope);
    let (copy, import) = copy_context_for_fix(cx);
    let eol = syntax::line_ending(cx.source);
    let indent = syntax::line_indent(cx.source, at);
    Some((Edit::insert(at, format!("{name} = {copy}(){eol}{indent}")), name, import))
}

/// The statement of a block (or the module) that holds `call`, with no lambda, function or class between them.
fn enclosing_statement(call: Node<'_>) -> Option<Node<'_>> {
    let mut node = call;
    for parent in ancestors(call).skip(1) {
        match parent.kind() {
            "block" | "module" => return (node.kind() != "with_statement").then_some(node),
            "lambda" | "function_definition" | "class_definition" => return None,
            _ => node = parent,
        }
    }
    None
}

/// The first of `ctx`, `context`, `caller_ctx`, `ctx2`, ... that no identifier of `scope` uses.
fn fresh_name(cx: &FileCx<'_>, scope: Node<'_>) -> String {
    let taken = |name: &str| Preorder::new(scope).any(|n| n.kind() == "identifier" && cx.text(n) == name);
    let numbered = (2..100).map(|i| format!("ctx{i}"));
    ["ctx", "context", "caller_ctx"].into_iter().map(str::to_string).chain(numbered).find(|n| !taken(n)).unwrap_or_else(|| "ctx".into())
}

/// How a fix calls `functools.partial`, plus an `import functools` edit when the file has neither import.
fn partial_for_fix(cx: &FileCx<'_>) -> (String, Option<Edit>) {
    stdlib_member_for_fix(cx, "functools", "partial")
}
