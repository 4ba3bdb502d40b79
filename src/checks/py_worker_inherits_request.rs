//! `py/worker-inherits-request`: a long-lived worker task (its coroutine loops forever: `while True:`, `async for`)
//! started from inside a span scope or a request handler: `create_task` copies that first request's context, so
//! every span the worker ever starts lands in that one trace.
use tree_sitter::Node;

use super::py_common::stdlib_member_for_fix;
use crate::analysis::py_spans::is_function;
use crate::analysis::python::{positional_arg, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::syntax::{self, named_children, unparen};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/worker-inherits-request",
    captures: &[],
    vars: &["call", "worker"],
    variants: &[],
    labels: &["scope", "loop", "work"],
    run: CheckFn::Match(run),
};

const TASK_FUNCTIONS: &[&str] =
    &["asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task", "asyncio.tasks.ensure_future"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let py = cx.py();
    let func = call.child_by_field_name("function")?;
    if !creates_task(py, func) || py.keyword_arg(call, "context").is_some() {
        return None;
    }
    // the worker: a same-file coroutine function whose own body loops forever and does traced work
    let coro = positional_arg(call, 0).map(unparen).filter(|c| c.kind() == "call")?;
    let callee = coro.child_by_field_name("function")?;
    let def = py.local_function(callee)?;
    let body = def.child_by_field_name("body")?;
    let forever = unbounded_loop(py, body)?;
    // a worker that sets each item's own context (`attach(extract(item.headers))`) parents its spans right
    if syntax::find_first(forever, |_| false, |n| py.call_name(n).is_some_and(|c| matches!(c, "attach" | "extract"))).is_some() {
        return None;
    }
    let work = py.traced_work(forever)?;
    // a context to keep: a lexical span scope, or a handler (or a function the file calls from one); a worker
    // started at startup (a constructor, `start()`, `main()`, a startup hook) outside a span scope has none
    let outer = crate::analysis::python::enclosing_function(call);
    let lexical = py.span_with(call).or_else(|| outer.and_then(|f| py.span_decorator(f)));
    let scope = match lexical {
        Some(scope) => scope,
        // a lazy `_ensure_worker()` is a start only where the file calls it from: its callers give the context
        None if py.starts_background_worker(call) && !lazy_start(py, call) => return None,
        // a span the function starts only after the task (`main()` starts the worker, then serves) is not copied
        None => py.context_at(call).filter(|s| !(s.kind() == "call" && s.start_byte() > call.start_byte()))?,
    };
    let call_text = format!("{}(…)", crate::template::one_line(cx.text(func)));
    let worker = crate::template::one_line(cx.text(callee));
    let hit = Hit::at(func.byte_range())
        .var("call", call_text)
        .var("worker", worker)
        .label("scope", scope.child_by_field_name("name").unwrap_or(scope))
        .label("loop", loop_head(forever))
        .label("work", work.child_by_field_name("function").unwrap_or(work));
    // `context=` exists on `create_task` (Python 3.11+), not on `ensure_future`
    if py.call_name(call) != Some("create_task") {
        return Some(hit);
    }
    let args = call.child_by_field_name("arguments")?;
    let last = named_children(args).filter(|a| a.kind() != "comment").last()?;
    let (context, import) = empty_context(cx);
    let mut edits = vec![Edit::insert(last.end_byte(), format!(", context={context}()"))];
    edits.extend(import);
    Some(hit.edits(edits))
}

/// Does `func` create an asyncio task: `asyncio.create_task` / `ensure_future` (however imported), or
/// `<loop>.create_task` on a receiver that is an event loop by its name or its construction (not a TaskGroup).
fn creates_task(py: &PyFacts<'_>, func: Node<'_>) -> bool {
    if py.resolves_to(func, TASK_FUNCTIONS) {
        return true;
    }
    let Some(receiver) = func.child_by_field_name("object") else { return false };
    if func.child_by_field_name("attribute").map(|a| py.text(a)) != Some("create_task") {
        return false;
    }
    if receiver.kind() == "call" {
        return py.call_name(receiver).is_some_and(|n| matches!(n, "get_event_loop" | "get_running_loop" | "new_event_loop"));
    }
    match py.constructed_from(receiver) {
        Some(q) => q.starts_with("asyncio.") && !q.ends_with("TaskGroup") && !q.ends_with("Queue"),
        None => py.text(receiver).rsplit('.').next().is_some_and(|l| l.to_ascii_lowercase().contains("loop")),
    }
}

/// The first loop of the function's own body that never ends by its condition: `while True:` / `while 1:`, or an
/// `async for` over a stream or queue.
fn unbounded_loop<'t>(py: &PyFacts<'t>, body: Node<'t>) -> Option<Node<'t>> {
    syntax::find_first(body, is_function, |n| match n.kind() {
        "while_statement" => n.child_by_field_name("condition").is_some_and(|c| matches!(py.text(c), "True" | "1")),
        "for_statement" => n.child(0).is_some_and(|c| c.kind() == "async"),
        _ => false,
    })
}

/// `while True` / `async for x in y` without the body, for the label.
fn loop_head(l: Node<'_>) -> Node<'_> {
    l.child_by_field_name("condition").or_else(|| l.child_by_field_name("right")).unwrap_or(l)
}

/// How the fix names `contextvars.Context`, plus an `import contextvars` when the file has no name for it.
fn empty_context(cx: &FileCx<'_>) -> (String, Option<Edit>) {
    stdlib_member_for_fix(cx, "contextvars", "Context")
}

/// Is the function around `call` a lazy starter (`ensure_worker`, `_ensure_task`), which runs when a caller first needs
/// the worker, not at startup.
fn lazy_start(py: &PyFacts<'_>, call: Node<'_>) -> bool {
    crate::analysis::python::enclosing_function(call)
        .and_then(|f| f.child_by_field_name("name"))
        .is_some_and(|n| py.text(n).trim_start_matches('_').starts_with("ensure"))
}
