//! `py/background-task-in-span`: a Starlette/FastAPI background task added inside a span the handler opens itself,
//! without handing it the context: the task runs after the response, with the ROOT context.
use tree_sitter::Node;

use crate::analysis::python::enclosing_function;
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::{named_children, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/background-task-in-span",
    captures: &["method", "class"],
    vars: &["call"],
    variants: &[],
    labels: &["span"],
    run: CheckFn::Match(run),
};

/// Calls whose result is a context to hand on.
const CONTEXT_SOURCES: &[&str] = &["get_current", "extract", "set_span_in_context", "copy_context"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let py = cx.py();
    if !py.imports.values().any(|q| q.starts_with("starlette") || q.starts_with("fastapi")) {
        return None;
    }
    let func = call.child_by_field_name("function")?;
    if caps.get("method").is_some() {
        let receiver = func.child_by_field_name("object")?;
        let is_tasks = py.constructed_from(receiver).is_some_and(|q| q.ends_with("BackgroundTasks"))
            || cx.text(receiver).rsplit('.').next().is_some_and(|w| w.to_ascii_lowercase().contains("task"));
        if !is_tasks {
            return None;
        }
    } else if !py.resolve(func).is_some_and(|q| q.ends_with(".BackgroundTask")) {
        return None;
    }
    // a span opened in the handler itself: a `with` block around the call, or a span decorator on the handler
    let handler = enclosing_function(call);
    let span = py.span_with(call).or_else(|| handler.and_then(|h| py.span_decorator(h)))?;
    if hands_context(cx, call, handler) {
        return None;
    }
    Some(Hit::at(func.byte_range()).var("call", format!("{}(…)", crate::template::one_line(cx.text(func)))).label("span", span))
}

/// Is the task handed a context: a `get_current()`-style call as an argument, or a name the handler assigned from
/// one (or that is called `ctx`/`context`-something).
fn hands_context(cx: &FileCx<'_>, call: Node<'_>, handler: Option<Node<'_>>) -> bool {
    let py = cx.py();
    let Some(args) = call.child_by_field_name("arguments") else { return false };
    let captured: Vec<String> = handler
        .map(|h| {
            Preorder::new(h)
                .filter(|n| n.kind() == "assignment")
                .filter(|n| n.child_by_field_name("right").and_then(|r| py.call_name(r)).is_some_and(|c| CONTEXT_SOURCES.contains(&c)))
                .filter_map(|n| n.child_by_field_name("left").map(|l| cx.text(l).to_string()))
                .collect()
        })
        .unwrap_or_default();
    named_children(args).any(|a| {
        let value = if a.kind() == "keyword_argument" { a.child_by_field_name("value") } else { Some(a) };
        let Some(value) = value else { return false };
        if py.call_name(value).is_some_and(|c| CONTEXT_SOURCES.contains(&c)) {
            return true;
        }
        let text = cx.text(value);
        value.kind() == "identifier" && (captured.iter().any(|c| c == text) || text.contains("ctx") || text.contains("context"))
    })
}
