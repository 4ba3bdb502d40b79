//! `js/floating-promise`: a statement that makes a promise and drops it (not awaited, returned, `void`-ed, assigned,
//! passed on, or given a rejection handler) inside a span scope. Promise-ness is read from syntax: same-file
//! `async` functions and methods, `.then`/`.finally` chains, `new Promise`, `Promise.all`-style combinators,
//! `fetch`, async `startActiveSpan` callbacks, and the `fs/promises` / `timers/promises` APIs; with the project index,
//! `async` functions another module of the project exports.
use std::ops::Range;

use tree_sitter::Node;

use crate::analysis::js::{arguments, callee_object, enclosing_function, is_async, is_function, is_generator, JsFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::jsmodel::JsModel;
use crate::syntax::unparen;

pub static CHECK: CheckDef = CheckDef {
    rule: "js/floating-promise",
    captures: &[],
    vars: &["call", "model", "scope", "also"],
    variants: &["stack"],
    labels: &["scope", "decl"],
    run: CheckFn::Match(run),
};

const COMBINATORS: &[&str] = &["all", "allSettled", "race", "any"];

fn run<'t>(cx: &FileCx<'t>, expr: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let facts = cx.js();
    let evidence = promise_evidence(cx, facts, expr)?;
    let scope = facts.span_scope(expr)?;

    let call = match expr.kind() {
        "call_expression" => expr.child_by_field_name("function").map(|f| super::shown::callee(f, cx.source)),
        _ => None,
    };
    let mut hit = Hit::at(head(expr, facts))
        .var("call", call.unwrap_or_else(|| "new Promise(…)".to_string()))
        .var("model", cx.js_model.name())
        .var("scope", scope.kind.describe())
        .label("scope", scope.node);
    if cx.js_model == JsModel::Stack {
        hit = hit.variant("stack");
    }
    if let Some(decl) = evidence {
        hit.labels.push(("decl", decl));
    }
    let func = enclosing_function(expr);
    let edits = match func {
        Some(func) if is_async(func) => Some((vec![Edit::insert(expr.start_byte(), "await ")], "")),
        // a sync function: made `async` too, so that it can wait (it then returns a promise)
        Some(func) => make_async(cx, func)
            .map(|make| (vec![make, Edit::insert(expr.start_byte(), "await ")], ", making the enclosing function `async`")),
        None => None,
    };
    match edits {
        Some((edits, also)) => hit = hit.edits(edits).var("also", also),
        None => hit = hit.var("also", ""),
    }
    Some(hit)
}

/// The edit that makes a sync function `async`: `async ` before an arrow function, a function expression or
/// declaration, or a method's name (after `static` / `private`). `None` for what cannot be async: a constructor,
/// a getter or setter, a generator (it would become an async generator).
fn make_async(cx: &FileCx<'_>, func: Node<'_>) -> Option<Edit> {
    if is_generator(func) {
        return None;
    }
    match func.kind() {
        "arrow_function" | "function_expression" | "function" | "function_declaration" => Some(Edit::insert(func.start_byte(), "async ")),
        "method_definition" => {
            let name = func.child_by_field_name("name")?;
            let mut cursor = func.walk();
            let accessor = func.children(&mut cursor).take_while(|c| c.id() != name.id()).any(|c| matches!(c.kind(), "get" | "set"));
            (!accessor && cx.text(name) != "constructor").then(|| Edit::insert(name.start_byte(), "async "))
        }
        _ => None,
    }
}

/// The first line of a node, for a primary label that does not cover a whole multi-line callback.
fn head(node: Node<'_>, facts: &JsFacts<'_>) -> Range<usize> {
    let text = facts.text(node);
    let len = text.find(['\n', '\r']).unwrap_or(text.len());
    node.start_byte()..node.start_byte() + len
}

/// `Some(declaration)` when `expr` evidently makes a promise that nobody handles (`Some(None)` when there is no
/// declaration to point at), `None` otherwise.
fn promise_evidence(cx: &FileCx<'_>, facts: &JsFacts, expr: Node<'_>) -> Option<Option<Range<usize>>> {
    let expr = unparen(expr);
    if expr.kind() == "new_expression" {
        let ctor = expr.child_by_field_name("constructor")?;
        return (facts.text(ctor) == "Promise").then_some(None);
    }
    if expr.kind() != "call_expression" {
        return None;
    }
    let name = facts.callee_name(expr)?;
    let args = arguments(expr);
    let object = callee_object(expr).map(unparen);
    match (name, object) {
        ("catch", Some(_)) if !args.is_empty() => None,
        ("then", Some(_)) if args.len() >= 2 => None,
        ("then" | "finally", Some(_)) => Some(None),
        (n, None) => {
            if let Some(decl) = facts.async_functions.get(n) {
                Some(Some(first_line(decl.clone(), facts)))
            } else if n == "fetch" || facts.promise_functions.contains(n) {
                Some(None)
            } else {
                // an `async` function another module of the project exports (the project index)
                imported_async(cx, facts, n, None).then_some(None)
            }
        }
        (n, Some(obj)) => {
            let obj_text = facts.text(obj);
            if obj.kind() == "this" {
                return facts.async_methods.get(n).map(|d| Some(first_line(d.clone(), facts)));
            }
            if obj_text == "Promise" && COMBINATORS.contains(&n) {
                return Some(None);
            }
            if facts.promise_namespaces.contains(obj_text) || obj_text.ends_with("fs.promises") {
                return Some(None);
            }
            if n == "startActiveSpan" && args.last().is_some_and(|cb| is_function(unparen(*cb)) && is_async(unparen(*cb))) {
                return Some(None);
            }
            // `mailer.sendReceipt(..)` on a namespace import of a project module
            (obj.kind() == "identifier" && imported_async(cx, facts, obj_text, Some(n))).then_some(None)
        }
    }
}

/// Is the imported `local` (or, for a namespace import, its `member`) an `async` function that a module of the
/// project exports: asked of the project index, so never with `--no-project`.
fn imported_async(cx: &FileCx<'_>, facts: &JsFacts, local: &str, member: Option<&str>) -> bool {
    let Some(project) = cx.project.as_ref() else { return false };
    let Some((module, name)) = facts.imported_name(local, member) else { return false };
    project.js_export(module, name).is_some_and(|e| e.is_async)
}

fn first_line(range: Range<usize>, facts: &JsFacts<'_>) -> Range<usize> {
    let text = facts.source.get(range.clone()).unwrap_or("");
    let len = text.find(['\n', '\r']).unwrap_or(text.len());
    range.start..range.start + len
}
