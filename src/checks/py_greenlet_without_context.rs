//! `py/greenlet-without-context`: `gevent.spawn(fn)`, `gevent.spawn_later(t, fn)` or a gevent `Pool`/`Group`
//! `.spawn(fn)` in a span scope or handler: a new greenlet starts with an empty contextvars context, so its spans are
//! new traces, unless the callable is `run` of a context copied in the caller.
use tree_sitter::Node;

use super::py_common::{copy_context_for_fix, is_copy_context_call};
use crate::analysis::python::{enclosing_function, positional_arg, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::Edit;

pub static CHECK: CheckDef = CheckDef {
    rule: "py/greenlet-without-context",
    captures: &[],
    vars: &["call"],
    variants: &[],
    labels: &["scope", "work"],
    run: CheckFn::Match(run),
};

const SPAWN: &[&str] = &["gevent.spawn", "gevent.Greenlet.spawn", "gevent.greenlet.Greenlet.spawn"];
const SPAWN_LATER: &[&str] = &["gevent.spawn_later", "gevent.Greenlet.spawn_later", "gevent.greenlet.Greenlet.spawn_later"];
const POOLS: &[&str] = &["gevent.pool.Pool", "gevent.pool.Group"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let py = cx.py();
    let func = call.child_by_field_name("function")?;
    let index = if py.resolves_to(func, SPAWN) || is_pool_spawn(py, func) {
        0
    } else if py.resolves_to(func, SPAWN_LATER) {
        1
    } else {
        return None;
    };
    let callable = positional_arg(call, index)?;
    if runs_in_copied_context(py, callable, call) {
        return None;
    }
    // the context: a lexical span scope, or a handler (or a function the file calls from one), but not a long-lived
    // worker started at startup outside a span scope
    let lexical = py.span_scope(call);
    if lexical.is_none() && py.starts_background_worker(call) {
        return None;
    }
    let scope = lexical.or_else(|| py.context_at(call))?;
    // the far side: a body the file shows must do traced work; one defined elsewhere may
    let body = py.callable_body(callable);
    let work = match body {
        Some(b) => Some(py.traced_work(b)?),
        None => None,
    };
    let mut hit = Hit::at(func.byte_range())
        .var("call", format!("{}(…)", crate::template::one_line(cx.text(func))))
        .label("scope", scope.child_by_field_name("name").unwrap_or(scope));
    if let Some(work) = work {
        hit = hit.label("work", work.child_by_field_name("function").unwrap_or(work));
    }
    // one fresh copy per spawn: `gevent.spawn(contextvars.copy_context().run, fn, *args)`
    let (copy, import) = copy_context_for_fix(cx);
    let mut edits = vec![Edit::insert(callable.start_byte(), format!("{copy}().run, "))];
    edits.extend(import);
    Some(hit.edits(edits))
}

/// `<pool>.spawn` on a gevent `Pool`/`Group` (by its construction, or made in place: `Pool(4).spawn`).
fn is_pool_spawn(py: &PyFacts<'_>, func: Node<'_>) -> bool {
    if func.child_by_field_name("attribute").map(|a| py.text(a)) != Some("spawn") {
        return false;
    }
    let Some(receiver) = func.child_by_field_name("object") else { return false };
    if receiver.kind() == "call" {
        return receiver.child_by_field_name("function").is_some_and(|f| py.resolves_to(f, POOLS));
    }
    py.constructed_from(receiver).is_some_and(|q| POOLS.contains(&q))
}

/// Is the callable `run` of a context copied in the caller: `copy_context().run`, `ctx.copy().run`, or `ctx.run`
/// with `ctx` assigned from `copy_context()` in the function (or named like a context: the code manages it).
fn runs_in_copied_context(py: &PyFacts<'_>, callable: Node<'_>, call: Node<'_>) -> bool {
    if callable.kind() != "attribute" || callable.child_by_field_name("attribute").map(|a| py.text(a)) != Some("run") {
        return false;
    }
    let Some(obj) = callable.child_by_field_name("object") else { return false };
    if is_copy_context_call(py, obj) || py.call_name(obj) == Some("copy") {
        return true;
    }
    let name = py.text(obj);
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    if last.contains("ctx") || last.contains("context") {
        return true;
    }
    enclosing_function(call).is_some_and(|f| py.assigned(f, name, |_, v| is_copy_context_call(py, v)).is_some())
}
