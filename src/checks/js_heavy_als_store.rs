//! `js/heavy-als-store`: `als.run(x, ...)` / `als.enterWith(x)` where `x` is a whole request, response, body, koa
//! context or event object, which then stays reachable from every async operation the request starts.
use tree_sitter::Node;

use super::js_common::parameter_names;
use crate::analysis::js::{arguments, callee_object, is_function};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::{ancestors, named_children, unparen};

pub static CHECK: CheckDef = CheckDef {
    rule: "js/heavy-als-store",
    captures: &["method"],
    vars: &["object"],
    variants: &[],
    labels: &["object"],
    run: CheckFn::Match(run),
};

/// Names of whole request-scoped objects.
const HEAVY: &[&str] = &["req", "request", "res", "response", "event"];
/// Members that are whole bodies or wrapped requests: `req.body`, `ctx.request`.
const HEAVY_MEMBERS: &[&str] = &["body", "request", "req", "res", "response", "raw"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let store = arguments(call).into_iter().next()?;
    let facts = cx.js();
    let receiver = callee_object(call)?;
    if !facts.is_als(receiver) {
        return None;
    }
    let heavy = heavy_part(cx, call, unparen(store))?;
    let callee = call.child_by_field_name("function").unwrap_or(call);
    Some(Hit::at(callee.byte_range()).var("object", cx.text(heavy)).label("object", heavy))
}

/// The part of the store that is a whole request-scoped object: the store itself, or a property of an object
/// literal (`{ req }`, `{ request: req, id }`).
fn heavy_part<'t>(cx: &FileCx<'_>, call: Node<'t>, store: Node<'t>) -> Option<Node<'t>> {
    if is_heavy(cx, call, store) {
        return Some(store);
    }
    if store.kind() != "object" {
        return None;
    }
    named_children(store).find_map(|p| {
        let value = match p.kind() {
            "shorthand_property_identifier" => p,
            "pair" => unparen(p.child_by_field_name("value")?),
            _ => return None,
        };
        is_heavy(cx, call, value).then_some(value)
    })
}

fn is_heavy(cx: &FileCx<'_>, call: Node<'_>, expr: Node<'_>) -> bool {
    let text = cx.text(expr);
    match expr.kind() {
        "identifier" | "shorthand_property_identifier" => HEAVY.contains(&text) || (text == "ctx" && is_koa_ctx(cx, call)),
        // req.body, request.body, ctx.request, ctx.req, request.raw
        "member_expression" => {
            let (Some(object), Some(property)) = (expr.child_by_field_name("object"), expr.child_by_field_name("property")) else {
                return false;
            };
            let object = cx.text(object);
            let whole_object = HEAVY.contains(&object) || (object == "ctx" && is_koa_ctx(cx, call));
            whole_object && HEAVY_MEMBERS.contains(&cx.text(property))
        }
        _ => false,
    }
}

/// `ctx` is a koa context (a whole request and response) when it is a parameter of a middleware `(ctx, next)` or the
/// file uses koa; an OpenTelemetry `Context` named `ctx` is light.
fn is_koa_ctx(cx: &FileCx<'_>, call: Node<'_>) -> bool {
    let facts = cx.js();
    if cx.js().imports_any(&["koa", "@koa/router", "koa-router"]) {
        return true;
    }
    ancestors(call).filter(|n| is_function(*n)).any(|f| {
        let params = parameter_names(f, facts);
        params.first().is_some_and(|p| p == "ctx") && params.iter().any(|p| p == "next")
    })
}
