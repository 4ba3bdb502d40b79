//! `py/span-not-current`: an OpenTelemetry span started with `tracer.start_span(...)` (a `with` target, or assigned
//! to a name) that is never made current, followed while it is open by spans started in the same function without
//! its context: they get the span that was current before as parent, not this one.
use tree_sitter::Node;

use super::py_common::add_import;
use crate::analysis::py_spans::{is_function, own_yields};
use crate::analysis::python::{enclosing_scope, positional_arg, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};
use crate::syntax::{ancestors, contains, named_children, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/span-not-current",
    captures: &[],
    vars: &["call", "name", "child", "fix"],
    variants: &["assigned"],
    labels: &["child", "end"],
    run: CheckFn::Match(run),
};

/// The calls that start an OpenTelemetry span (on a tracer).
const STARTS: &[&str] = &["start_span", "start_as_current_span"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let py = cx.py();
    let func = call.child_by_field_name("function")?;
    if !func.child_by_field_name("object").is_some_and(|r| py.is_otel_tracer(r)) {
        return None;
    }
    let call_text = format!("{}(…)", crate::template::one_line(cx.text(func)));
    let parent = call.parent()?;
    // `with tracer.start_span(...) [as span]:`
    let item = match parent.kind() {
        "with_item" => Some(parent),
        "as_pattern" => parent.parent().filter(|p| p.kind() == "with_item"),
        _ => None,
    };
    if let Some(item) = item {
        let with = ancestors(item).find(|a| a.kind() == "with_statement")?;
        let body = with.child_by_field_name("body")?;
        let name = (parent.kind() == "as_pattern")
            .then(|| parent.child_by_field_name("alias"))
            .flatten()
            .map(|a| a.named_child(0).unwrap_or(a))
            .filter(|a| a.kind() == "identifier")
            .map(|a| cx.text(a));
        // `with tracer.start_span(..) as span, trace.use_span(span):` makes it current after all
        let clause = named_children(with).find(|c| c.kind() == "with_clause")?;
        let other_current = named_children(clause).filter(|i| i.id() != item.id()).any(|i| makes_current(py, i));
        if other_current || made_current(py, body, name.unwrap_or("\0"), 0, usize::MAX) {
            return None;
        }
        let children = children_in(py, body, 0, usize::MAX, None);
        let first = *children.first()?;
        let hit = Hit::at(func.byte_range()).var("call", call_text).var("child", child_text(cx, first)).label("child", first);
        // `start_as_current_span` takes every argument `start_span` takes, and its `with` block ends the span as
        // `Span.__exit__` does; not in a generator that yields in the block, where a current span leaks to the caller
        let attr = func.child_by_field_name("attribute")?;
        let yields_inside = enclosing_fn(call).is_some_and(|f| own_yields(f).iter().any(|y| contains(body, *y)));
        let hit = hit
            .var("fix", "start the span with `start_as_current_span`, which makes it current for the block")
            .edits(vec![Edit::replace(attr.byte_range(), "start_as_current_span")]);
        return Some(if yields_inside { hit.applicability(Applicability::DisplayOnly) } else { hit });
    }
    // `span = tracer.start_span(...)` (a name or an attribute), open until its `.end()` in the same scope
    if parent.kind() != "assignment" || parent.child_by_field_name("right").map(|r| r.id()) != Some(call.id()) {
        return None;
    }
    let target = parent.child_by_field_name("left").filter(|l| matches!(l.kind(), "identifier" | "attribute"))?;
    let name = cx.text(target);
    let scope = enclosing_scope(call);
    let from = parent.end_byte();
    let end_call = Preorder::new(scope).find(|n| {
        n.start_byte() >= from
            && n.kind() == "call"
            && py.call_name(*n) == Some("end")
            && n.child_by_field_name("function").and_then(|f| f.child_by_field_name("object")).is_some_and(|o| cx.text(o) == name)
            && same_scope(*n, scope)
    });
    let to = end_call.map_or(scope.end_byte(), |e| e.start_byte());
    if made_current(py, scope, name, from, to) {
        return None;
    }
    let block = parent.parent().filter(|s| s.kind() == "expression_statement").and_then(|s| s.parent());
    let children = children_in(py, scope, from, to, block);
    let first = *children.first()?;
    let mut hit = Hit::at(func.byte_range())
        .variant("assigned")
        .var("call", call_text)
        .var("name", name)
        .var("child", child_text(cx, first))
        .label("child", first);
    if let Some(end) = end_call {
        hit = hit.label("end", end);
    }
    // display only: which of the spans should nest under `name` is the author's decision
    let (set_span, import) = set_span_in_context(cx);
    let mut edits: Vec<Edit> = children.iter().filter_map(|c| with_context(*c, &format!("{set_span}({name})"))).collect();
    if edits.is_empty() {
        return Some(hit);
    }
    edits.extend(import);
    Some(
        hit.var("fix", format!("start the spans inside it with `context={set_span}({name})`"))
            .edits(edits)
            .applicability(Applicability::DisplayOnly),
    )
}

/// The nearest enclosing function definition or lambda.
fn enclosing_fn(node: Node<'_>) -> Option<Node<'_>> {
    ancestors(node).find(|a| a.kind() == "function_definition")
}

/// Is `node` in `scope`'s own code (not in a nested function, lambda or class body).
fn same_scope(node: Node<'_>, scope: Node<'_>) -> bool {
    ancestors(node).take_while(|a| a.id() != scope.id()).all(|a| !is_function(a) && a.kind() != "class_definition")
}

/// Does `node` contain a call that makes a span or context current: `use_span`, `attach`, `*as_current_span`.
fn makes_current(py: &PyFacts<'_>, node: Node<'_>) -> bool {
    Preorder::new(node).any(|n| py.call_name(n).is_some_and(|c| matches!(c, "use_span" | "attach") || c.ends_with("as_current_span")))
}

/// Is the span `name` made current in `scope` between bytes `from` and `to`: `use_span(name)`, or any context
/// `attach(...)` (which may attach a context holding it).
fn made_current(py: &PyFacts<'_>, scope: Node<'_>, name: &str, from: usize, to: usize) -> bool {
    Preorder::new(scope).any(|n| {
        n.start_byte() >= from
            && n.start_byte() < to
            && match py.call_name(n) {
                Some("use_span") => positional_arg(n, 0).is_none_or(|a| py.text(a) == name),
                Some("attach") => true,
                _ => false,
            }
    })
}

/// The span starts in `scope`'s own code between bytes `from` and `to` that take the current context implicitly (no
/// `context=` or second positional argument, no `**kwargs` that may hold one), outside blocks that a span started
/// there makes current (those spans nest under that one).
/// With `within`, only those inside that node (the block of the statement that started the span: not another
/// branch of an `if`).
fn children_in<'t>(py: &PyFacts<'t>, scope: Node<'t>, from: usize, to: usize, within: Option<Node<'t>>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut walk = Preorder::new(scope);
    while let Some(n) = walk.next() {
        if n.id() != scope.id() && (is_function(n) || n.kind() == "class_definition") {
            walk.skip_children();
            continue;
        }
        if n.start_byte() < from || n.start_byte() >= to || n.kind() != "call" {
            continue;
        }
        if !py.call_name(n).is_some_and(|c| STARTS.contains(&c)) || !implicit_start(py, n) {
            continue;
        }
        // a block inside the region that makes a span current parents what its body starts: those nest as written
        let nested = ancestors(n).take_while(|a| a.id() != scope.id()).any(|a| {
            a.kind() == "with_statement"
                && a.start_byte() >= from
                && a.child_by_field_name("body").is_some_and(|b| contains(b, n))
                && named_children(a).find(|c| c.kind() == "with_clause").is_some_and(|c| makes_current(py, c))
        });
        if !nested && within.is_none_or(|w| contains(w, n)) {
            out.push(n);
        }
    }
    out
}

/// A span start on an OpenTelemetry tracer without an explicit context.
fn implicit_start(py: &PyFacts<'_>, call: Node<'_>) -> bool {
    let on_tracer =
        call.child_by_field_name("function").and_then(|f| f.child_by_field_name("object")).is_some_and(|r| py.is_otel_tracer(r));
    let Some(args) = call.child_by_field_name("arguments") else { return false };
    let splat = named_children(args).any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat"));
    on_tracer && !splat && py.keyword_arg(call, "context").is_none() && positional_arg(call, 1).is_none()
}

/// `tracer.start_as_current_span(…)` for the message.
fn child_text(cx: &FileCx<'_>, call: Node<'_>) -> String {
    let f = call.child_by_field_name("function").unwrap_or(call);
    format!("{}(…)", crate::template::one_line(cx.text(f)))
}

/// An edit that adds `context=<ctx>` to a span start's arguments.
fn with_context(call: Node<'_>, ctx: &str) -> Option<Edit> {
    let args = call.child_by_field_name("arguments")?;
    let last = named_children(args).filter(|a| a.kind() != "comment").last()?;
    Some(Edit::insert(last.end_byte(), format!(", context={ctx}")))
}

/// How the fix calls `set_span_in_context`, plus an import when the file has no name for it.
fn set_span_in_context(cx: &FileCx<'_>) -> (String, Option<Edit>) {
    let py = cx.py();
    let mut locals: Vec<(&String, &String)> = py.imports.iter().collect();
    locals.sort();
    if let Some((local, _)) = locals.iter().find(|(_, q)| {
        matches!(q.as_str(), "opentelemetry.trace.set_span_in_context" | "opentelemetry.trace.propagation.set_span_in_context")
    }) {
        return (local.to_string(), None);
    }
    let trace_module = locals.iter().filter(|(_, q)| q.as_str() == "opentelemetry.trace");
    if let Some((local, _)) = trace_module.clone().find(|(l, _)| l.as_str() == "trace").or_else(|| trace_module.clone().next()) {
        return (format!("{local}.set_span_in_context"), None);
    }
    (String::from("trace.set_span_in_context"), Some(add_import(cx, "from opentelemetry import trace")))
}
