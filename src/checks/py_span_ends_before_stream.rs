//! `py/span-ends-before-stream`: a span scope (a span `with` block or a span decorator) that returns a lazily consumed
//! object made inside it (a generator, a generator expression, a `StreamingResponse`, a `stream=True` client call):
//! the span ends when the function returns, before the caller consumes the stream.
use tree_sitter::Node;

use crate::analysis::py_spans::{decorators, own_yields};
use crate::analysis::python::{enclosing_function, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::{ancestors, unparen};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/span-ends-before-stream",
    captures: &[],
    vars: &["value", "kind"],
    variants: &[],
    labels: &["scope", "made"],
    run: CheckFn::Match(run),
};

const STREAMING_RESPONSES: &[&str] = &[
    "starlette.responses.StreamingResponse",
    "fastapi.responses.StreamingResponse",
    "sse_starlette.EventSourceResponse",
    "sse_starlette.sse.EventSourceResponse",
];

fn run<'t>(cx: &FileCx<'t>, ret: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let py = cx.py();
    let func = enclosing_function(ret)?;
    // a generator's own `return` ends its iteration; it returns no stream
    if !own_yields(func).is_empty() {
        return None;
    }
    let scope = match py.span_with(ret) {
        // `use_span(span, end_on_exit=False)` leaves the span open: the stream may end it
        Some(call) if py.keyword_arg(call, "end_on_exit").is_some_and(|v| cx.text(v) == "False") => return None,
        Some(call) => call,
        None => py.span_decorator(func)?,
    };
    let value = ret.named_child(0).map(unparen)?;
    let value = if value.kind() == "await" { value.named_child(0).map(unparen)? } else { value };
    let (made, kind) = match lazy_kind(py, value) {
        Some(kind) => (value, kind),
        // `gen = rows(); return gen`: a name assigned in the same span scope
        None if value.kind() == "identifier" => {
            let name = cx.text(value);
            let assigned = py.assigned(func, name, |a, _| a.start_byte() < ret.start_byte() && in_scope(py, a, scope))?;
            let right = assigned.child_by_field_name("right").map(unparen)?;
            let right = if right.kind() == "await" { right.named_child(0).map(unparen)? } else { right };
            (right, lazy_kind(py, right)?)
        }
        None => return None,
    };
    let head = if scope.kind() == "decorator" { scope } else { scope.child_by_field_name("function").unwrap_or(scope) };
    let shown = crate::template::one_line(cx.text(made.child_by_field_name("function").unwrap_or(made)));
    let value_text = if made.kind() == "call" { format!("{shown}(…)") } else { String::from("a generator expression") };
    // `return <value head>`: one line for the primary range, also for a multi-line call
    let returned = ret.named_child(0).map(unparen).unwrap_or(ret);
    let returned = if returned.kind() == "await" { returned.named_child(0).map(unparen).unwrap_or(returned) } else { returned };
    let end = returned.child_by_field_name("function").unwrap_or(returned).end_byte();
    let mut hit = Hit::at(ret.start_byte()..end).var("value", value_text).var("kind", kind).label("scope", head);
    if made.id() != returned.id() {
        hit = hit.label("made", made);
    }
    Some(hit)
}

/// Is `node` inside the scope that `scope` (a `with` item call or a decorator) opens.
fn in_scope(py: &PyFacts<'_>, node: Node<'_>, scope: Node<'_>) -> bool {
    scope.kind() == "decorator" || py.span_with(node).is_some_and(|c| c.id() == scope.id())
}

/// What lazily consumed object `value` makes, if any.
fn lazy_kind(py: &PyFacts<'_>, value: Node<'_>) -> Option<&'static str> {
    if value.kind() == "generator_expression" {
        return Some("generator");
    }
    if value.kind() != "call" {
        return None;
    }
    let f = value.child_by_field_name("function")?;
    if py.keyword_arg(value, "stream").is_some_and(|v| py.text(v) == "True") {
        return Some("stream");
    }
    if py.resolves_to(f, STREAMING_RESPONSES) {
        return Some("streaming response");
    }
    let def = py.local_function(f)?;
    // a same-file generator function (not a context manager or a fixture, which run their body around one `yield`)
    let yields = own_yields(def);
    let context_manager = decorators(def).iter().any(|d| {
        let name = py.decorator_name(*d);
        let last = name.rsplit('.').next().unwrap_or(name);
        last.ends_with("contextmanager") || last.ends_with("fixture")
    });
    // a method of another class is not `self.f`'s: `local_function` takes `self.f` only as the file's function `f`
    let same_class = f.kind() != "attribute"
        || ancestors(def).find(|a| a.kind() == "class_definition").map(|c| c.id())
            == ancestors(value).find(|a| a.kind() == "class_definition").map(|c| c.id());
    if yields.is_empty() || context_manager || !same_class {
        return None;
    }
    Some(if crate::analysis::py_spans::is_async_def(def) { "async generator" } else { "generator" })
}
