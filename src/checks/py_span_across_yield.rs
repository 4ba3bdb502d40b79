//! `py/span-across-yield`: a generator that holds a current span (a span `with` block or an `attach`) across a
//! `yield`, so the span is current in the caller between items, and span decorators on generator functions, whose
//! span ends before the body runs.
use tree_sitter::Node;

use crate::analysis::py_spans::{decorators, is_function, own_yields};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::{self, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/span-across-yield",
    captures: &[],
    vars: &["kind"],
    variants: &["decorator", "attach"],
    labels: &["yield"],
    run: CheckFn::MatchMany(run),
};

/// Decorators that turn a generator into a context manager (or a fixture that is one): holding the span across the
/// single `yield` is their point.
const CONTEXT_MANAGER_DECORATORS: &[&str] = &["contextmanager", "asynccontextmanager", "fixture", "yield_fixture"];

fn run<'t>(cx: &FileCx<'t>, func: Node<'t>, _: &Captures<'t>) -> Vec<Hit> {
    let py = cx.py();
    let yields = own_yields(func);
    if yields.is_empty() {
        return Vec::new();
    }
    let kind = if crate::analysis::py_spans::is_async_def(func) { "async generator" } else { "generator" };
    let mut hits = Vec::new();
    if let Some(decorator) = py.span_decorator(func) {
        hits.push(Hit::at(decorator.byte_range()).var("kind", kind).variant("decorator").label("yield", yields[0]));
    }
    let Some(body) = func.child_by_field_name("body") else { return hits };
    let exempt = std::cell::OnceCell::new();
    let is_exempt = || *exempt.get_or_init(|| is_context_manager(cx, func) || is_grpc_server_stream(cx, func));
    if !hits.is_empty() && is_exempt() {
        return Vec::new();
    }
    // `with <span>:` blocks that enclose a yield of this generator
    for with in syntax::find_all(body, is_function, |n| n.kind() == "with_statement") {
        let Some(call) = py.span_with_item(with) else { continue };
        // bare `yield` statements only: a hand-made context manager, whose caller's work is meant to run in the span
        if let Some(y) = yields.iter().find(|y| syntax::contains(with, **y) && !is_suspension_point(**y)) {
            if is_exempt() {
                return Vec::new();
            }
            hits.push(Hit::at(call_head(call)).var("kind", kind).label("yield", *y));
        }
    }
    // `token = attach(ctx)` followed by a yield before any detach
    let mut walk = Preorder::new(body);
    while let Some(n) = walk.next() {
        if is_function(n) && n.id() != body.id() {
            walk.skip_children();
            continue;
        }
        // OpenTelemetry's attach only: `event.attach(..)`, `mailbox.attach(..)` and the like hold no context
        let otel_attach = n.kind() == "call"
            && n.child_by_field_name("function").is_some_and(|f| cx.py().resolves_to(f, &["opentelemetry.context.attach"]));
        if !otel_attach {
            continue;
        }
        let next_yield = yields.iter().find(|y| y.start_byte() > n.end_byte());
        let Some(y) = next_yield.filter(|y| !is_suspension_point(**y)) else { continue };
        let detach_between = syntax::find_first(body, is_function, |d| {
            py.call_name(d) == Some("detach") && d.start_byte() > n.end_byte() && d.end_byte() < y.start_byte()
        });
        if detach_between.is_none() {
            if is_exempt() {
                return Vec::new();
            }
            hits.push(Hit::at(call_head(n)).var("kind", kind).variant("attach").label("yield", *y));
        }
    }
    hits
}

/// Generators that are context managers or fixtures (`@contextmanager`, `@pytest.fixture`), and FastAPI dependencies
/// (`Depends(func)` in the same file), which FastAPI wraps in a context manager itself.
fn is_context_manager(cx: &FileCx<'_>, func: Node<'_>) -> bool {
    let py = cx.py();
    if decorators(func).iter().any(|d| {
        let name = py.decorator_name(*d);
        let last = name.rsplit('.').next().unwrap_or(name);
        // also project wrappers named like them: OpenTelemetry's own `@_agnosticcontextmanager`
        CONTEXT_MANAGER_DECORATORS.iter().any(|c| last.ends_with(c))
    }) {
        return true;
    }
    let Some(name) = func.child_by_field_name("name").map(|n| cx.text(n)) else { return false };
    Preorder::new(cx.root()).any(|n| {
        py.call_name(n) == Some("Depends")
            && n.child_by_field_name("arguments").and_then(|a| a.named_child(0)).is_some_and(|a| cx.text(a) == name)
    })
}

/// A bare `yield` statement: it yields no item, so the generator is not a stream but a hand-made context manager
/// (`gen = cm(); next(gen); work(); next(gen, None)`): the caller's work between the two `next` calls is meant to run
/// in the span. `item = yield` (a consumer fed by `send`) is not one.
fn is_suspension_point(y: Node<'_>) -> bool {
    y.named_child_count() == 0 && y.parent().is_some_and(|p| p.kind() == "expression_statement")
}

/// Methods of a gRPC servicer or server interceptor class (a base named `…Servicer` or `…ServerInterceptor`), and
/// functions nested in them: the gRPC server iterates a streaming handler's generator itself, in the RPC's thread or
/// task, and between items runs only its own code that sends the message, so nothing else runs under the span.
fn is_grpc_server_stream(cx: &FileCx<'_>, func: Node<'_>) -> bool {
    syntax::ancestors(func).filter(|a| a.kind() == "class_definition").any(|class| {
        let bases = class.child_by_field_name("superclasses").map_or("", |s| cx.text(s));
        bases
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|b| !b.is_empty() && (b.ends_with("Servicer") || b.ends_with("ServerInterceptor")))
    })
}

/// The callee part of a call, for the primary range: `tracer.start_as_current_span`.
fn call_head(call: Node<'_>) -> std::ops::Range<usize> {
    call.child_by_field_name("function").map_or(call.byte_range(), |f| f.byte_range())
}
