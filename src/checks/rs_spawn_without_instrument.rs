//! `rs/spawn-without-instrument`: work spawned onto a new task or thread from a span scope without carrying the span
//! or context: the future is not `.instrument(..)` / `.in_current_span()` / `.with_context(..)` /
//! `.with_current_context()`, and the closure does not move in a span or context that it enters. Also
//! `tokio::spawn(f())` where `f` is a same-file `#[instrument]` async fn: its span is created inside the new task.
//! Silent for the tasks of a long-lived background worker that run only in the worker's own span. In a function with
//! no span scope of its own, a same-file caller's scope counts when the caller calls it from there.
use tree_sitter::Node;

use super::rs_closure_carry::{self, Carried};
use crate::analysis::rust::{is_async_body, is_separate_body, RustFacts, ENTER_METHODS, INSTRUMENT_METHODS};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::syntax::{self, ancestors, named_children};

pub static CHECK: CheckDef = CheckDef {
    rule: "rs/spawn-without-instrument",
    captures: &["callee", "method"],
    vars: &["spawn", "scope", "carry", "helper", "caller", "place"],
    variants: &["closure", "instrumented-fn"],
    labels: &["caller", "remote", "scope", "fn"],
    run: CheckFn::Match(run),
};

const SPAWN_FNS: &[&str] = &["spawn", "spawn_local", "spawn_blocking", "spawn_fifo"];
const RUNTIMES: &[&str] = &["tokio", "std", "rayon", "async_std", "smol", "actix_rt", "futures", "core"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Work {
    /// A future on a new task.
    Future,
    /// A closure on another thread.
    Closure,
}

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let rs = cx.rs();
    let callee = call.child_by_field_name("function")?;
    let arg = call.child_by_field_name("arguments").and_then(|a| named_children(a).find(|n| !n.kind().ends_with("comment")))?;
    let work = if caps.get("method").is_some() {
        let receiver = callee.child_by_field_name("value").map(|v| cx.text(v)).unwrap_or("");
        if receiver.contains("Command") {
            return None;
        }
        let method = rs.method_name(call).unwrap_or("");
        if method == "spawn_blocking" || arg.kind() == "closure_expression" {
            Work::Closure
        } else {
            Work::Future
        }
    } else {
        let path = cx.rs().resolve(callee);
        let last = path.rsplit("::").next().unwrap_or(&path);
        let first = path.split("::").next().unwrap_or(&path);
        if !SPAWN_FNS.contains(&last) || !RUNTIMES.contains(&first) {
            return None;
        }
        if last == "spawn_blocking" || path.contains("thread") || first == "rayon" {
            Work::Closure
        } else {
            Work::Future
        }
    };
    if carries_span(cx, arg, call, 0) {
        return None;
    }
    let spawn = super::shown::callee(callee, cx.source);
    let at = callee.byte_range();

    let scope = rs.span_scope(call);
    if work == Work::Future {
        // the far side visibly starts a span: flagged in a span scope, and in any function some traced code may call
        // (not in a `main` or a test, which nothing traced calls)
        let caller_may_be_traced = || ancestors(call).find(|a| a.kind() == "function_item").is_some_and(|f| !rs.is_entry_point(f));
        if let Some(attr) = instrumented_async_fn_called(cx, arg).filter(|_| scope.is_some() || caller_may_be_traced()) {
            let hit = Hit::at(at).var("spawn", spawn).variant("instrumented-fn").label("fn", attr);
            return Some(with_fix(cx, hit, arg, false));
        }
    }
    // no span scope here: a same-file caller may call this function (a helper, a builder, a worker-pool
    // constructor) from one, and then the span is current at the spawn
    let (scope, via) = match scope {
        Some(scope) => (scope, None),
        None => {
            let func = ancestors(call).find(|a| a.kind() == "function_item")?;
            // only a caller's span: the spawned work must visibly use it (spec v2, rule 2)
            if !rs.spawned_work_traced(arg) {
                return None;
            }
            let Some(caller) = rs.caller_span_scope(func) else {
                return remote_caller(cx, call, func, spawn, work, arg);
            };
            // the function called at that site: this one, or the first of the chain that leads to it
            let callee = caller.call.child_by_field_name("function").map_or("", |f| cx.text(f));
            let name = callee.rsplit([':', '.']).next().unwrap_or(callee);
            (caller.scope, Some((caller.call, name)))
        }
    };
    if rs.is_background_worker_span(scope.node) {
        return None;
    }
    let mut hit = Hit::at(at).var("spawn", spawn).var("scope", scope.why).label("scope", scope.node);
    if let Some((site, name)) = via {
        hit = hit.var("helper", name).label("caller", site);
    }
    let otel_scope = ["with_context", "attach", "with_current_context"].iter().any(|m| cx.text(scope.node).contains(m));
    if work == Work::Closure {
        return Some(with_closure_fix(cx, hit.variant("closure"), call, arg, otel_scope));
    }
    Some(with_fix(cx, hit, arg, otel_scope))
}

/// The spawn of a function that another file of the crate calls from a span scope (the project index): labelled at
/// the function's name, with where it is called.
fn remote_caller<'t>(cx: &FileCx<'t>, call: Node<'t>, func: Node<'t>, spawn: String, work: Work, arg: Node<'t>) -> Option<Hit> {
    let rs = cx.rs();
    let name_node = func.child_by_field_name("name")?;
    let remote = cx.project.as_ref()?.rust_traced_caller(cx.text(name_node), rs.impl_owner(func))?;
    let at = call.child_by_field_name("function")?.byte_range();
    let hit = Hit::at(at)
        .var("spawn", spawn)
        .var("scope", remote.why)
        .var("helper", cx.text(name_node))
        .var("caller", remote.caller)
        .var("place", remote.place)
        .label("remote", name_node);
    if work == Work::Closure {
        return Some(with_closure_fix(cx, hit.variant("closure"), call, arg, false));
    }
    Some(with_fix(cx, hit, arg, false))
}

/// Does the spawned work carry the span or context: an instrumented future, or a closure / async block that enters a
/// span or attaches a context it moved in (or gives a span an explicit `parent:`).
fn carries_span(cx: &FileCx<'_>, arg: Node<'_>, call: Node<'_>, depth: usize) -> bool {
    let rs = cx.rs();
    match arg.kind() {
        "call_expression" | "parenthesized_expression" | "try_expression" => rs.chain_calls(arg, INSTRUMENT_METHODS),
        "async_block" | "closure_expression" => enters_captured_span(arg, rs),
        "identifier" if depth == 0 => {
            // let fut = work().instrument(span); tokio::spawn(fut);
            let name = cx.text(arg);
            let Some(func) = ancestors(call).find(|a| a.kind() == "function_item") else { return false };
            let binding = syntax::find_all(
                func,
                |_| false,
                |n| {
                    n.kind() == "let_declaration"
                        && n.end_byte() <= call.start_byte()
                        && n.child_by_field_name("pattern").is_some_and(|p| cx.text(p).trim_start_matches("mut ") == name)
                },
            );
            binding.last().and_then(|l| l.child_by_field_name("value")).is_some_and(|v| carries_span(cx, v, call, depth + 1))
        }
        _ => false,
    }
}

/// A closure or async block whose body enters, attaches or scopes a span/context bound outside it, or creates a span
/// with an explicit `parent:`.
fn enters_captured_span(body: Node<'_>, rs: &RustFacts<'_>) -> bool {
    let locals: Vec<&str> = syntax::find_all(body, |_| false, |n| n.kind() == "let_declaration")
        .into_iter()
        .filter_map(|l| l.child_by_field_name("pattern").map(|p| rs.text(p)))
        .collect();
    syntax::find_first(
        body,
        |_| false,
        |n| match n.kind() {
            "call_expression" => {
                let Some(m) = rs.method_name(n) else { return false };
                if INSTRUMENT_METHODS.contains(&m) {
                    return true;
                }
                if !ENTER_METHODS.contains(&m) {
                    return false;
                }
                let receiver =
                    n.child_by_field_name("function").and_then(|f| f.child_by_field_name("value")).map(|v| rs.text(v)).unwrap_or("");
                let base = receiver.split(['.', '(']).next().unwrap_or(receiver);
                // `Span::current().enter()` inside the new task finds no span; a span made inside (`info_span!(..)`,
                // or bound by a `let` inside) is a new root
                !receiver.contains("::current()")
                    && !receiver.contains("!(")
                    && !locals.iter().any(|l| l.trim_start_matches("mut ") == base)
            }
            "macro_invocation" => rs.text(n).contains("parent:"),
            _ => false,
        },
    )
    .is_some()
}

/// `f(..)` where `f` is an `async fn` of this file with `#[instrument]`: returns that attribute.
fn instrumented_async_fn_called<'t>(cx: &FileCx<'t>, arg: Node<'_>) -> Option<Node<'t>> {
    let rs = cx.rs();
    if arg.kind() != "call_expression" {
        return None;
    }
    let f = arg.child_by_field_name("function")?;
    let name = cx.text(f).rsplit("::").next()?.to_string();
    let func = syntax::find_first(
        cx.root(),
        |_| false,
        |n| n.kind() == "function_item" && n.child_by_field_name("name").is_some_and(|id| cx.text(id) == name) && is_async_body(n),
    )?;
    rs.instrument_attribute(func)
}

/// Whether a fix carries the `tracing` span (else the OpenTelemetry context): not in an OpenTelemetry scope, and the
/// file uses `tracing` or not OpenTelemetry.
fn carries_tracing(cx: &FileCx<'_>, otel_scope: bool) -> bool {
    !otel_scope && (cx.rs().uses_tracing || !cx.source.contains("opentelemetry"))
}

/// Binds the current span (or context) before the statement that spawns the closure and enters it inside.
fn with_closure_fix<'t>(cx: &FileCx<'t>, hit: Hit, call: Node<'t>, work: Node<'t>, otel_scope: bool) -> Hit {
    let (carried, what) = if carries_tracing(cx, otel_scope) {
        (Carried::Span, "bind `Span::current()` before the spawn and enter it first in the closure")
    } else {
        (Carried::Context, "bind `Context::current()` before the spawn and attach it first in the closure")
    };
    match rs_closure_carry::edits(cx.rs(), call, work, carried) {
        Some(edits) => hit.var("carry", what).edits(edits),
        None => hit,
    }
}

/// Appends `.in_current_span()` (tracing) or `.with_current_context()` (an OpenTelemetry scope, or a file without
/// tracing) to the future, adding the trait import when the file lacks it.
fn with_fix(cx: &FileCx<'_>, hit: Hit, arg: Node<'_>, otel_scope: bool) -> Hit {
    if is_separate_body(arg) && arg.kind() == "closure_expression" {
        return hit;
    }
    let rs = cx.rs();
    let tracing = carries_tracing(cx, otel_scope);
    let (method, import) = if tracing {
        (".in_current_span()", "tracing::Instrument")
    } else {
        (".with_current_context()", "opentelemetry::context::FutureExt")
    };
    // the same trait re-exported elsewhere (tracing-futures has its own `Instrument` with `in_current_span`)
    let accepts = |path: &str| {
        if tracing {
            matches!(path, "tracing::Instrument" | "tracing::instrument::Instrument" | "tracing_futures::Instrument")
        } else {
            path.starts_with("opentelemetry") && path.ends_with("::FutureExt")
        }
    };
    let mut edits = vec![Edit::insert(arg.end_byte(), method)];
    edits.extend(rs.trait_import(arg, accepts, import));
    hit.var("carry", format!("append `{method}` to the spawned future")).edits(edits)
}
