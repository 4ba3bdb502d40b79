//! `js/unbound-timer`: a timer or microtask callback scheduled in a span scope that starts a span or reads the active
//! context, under a context manager (`stack`, `none`) that does not carry the context into it.
use super::js_common::{context_api_for_fix, implicit_context_use, reads_active, ContextUse};
use tree_sitter::Node;

use crate::analysis::js::{arguments, await_before, callee_object, enclosing_function};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};
use crate::jsmodel::JsModel;
use crate::syntax::unparen;

pub static CHECK: CheckDef = CheckDef {
    rule: "js/unbound-timer",
    captures: &["timer"],
    vars: &["model", "does", "outcome", "fix"],
    variants: &["bind-after-await"],
    labels: &["scope", "use", "await"],
    run: CheckFn::Match(run),
};

const GLOBALS: &[&str] = &["window", "globalThis", "global", "self", "timers"];

/// The safe fix's description (the display-only suggestion after an `await` names its own shape).
const WRAP: &str = "wrap the callback in `context.bind(context.active(), ...)`";
const CAPTURE: &str =
    "capture the context before the first `await` (`const ctx = context.active()` at the top of the span scope's function) and bind that";

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let hit = find(cx, call, caps)?;
    Some(if hit.edits.is_some() && !hit.vars.iter().any(|(name, _)| *name == "fix") { hit.var("fix", WRAP) } else { hit })
}

fn find<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    if !matches!(cx.js_model, JsModel::Stack | JsModel::None) {
        return None;
    }
    let timer = caps.get("timer")?;
    let callback = arguments(call).into_iter().next()?;
    let facts = cx.js();
    let callee = call.child_by_field_name("function").unwrap_or(timer);
    let name = cx.text(timer);
    match callee_object(call).map(|o| cx.text(o)) {
        Some("process") if name == "nextTick" => {}
        Some(obj) if name != "nextTick" && GLOBALS.contains(&obj) => {}
        None if name != "nextTick" && !facts.promise_functions.contains(name) => {}
        _ => return None,
    }
    let scope = facts.span_scope(call)?;
    let model_var = cx.js_model.name();

    let callback = unparen(callback);
    // context.bind(ctx, cb): bound, unless it binds the ROOT context read after an `await` (stack model)
    if callback.kind() == "call_expression" && facts.callee_name(callback) == Some("bind") {
        if let Some(obj) = callee_object(callback) {
            if facts.is_context_api(obj) {
                let args = arguments(callback);
                let after_await = enclosing_function(call).and_then(|f| await_before(f, callback.start_byte()));
                if cx.js_model == JsModel::Stack && args.first().is_some_and(|a| reads_active(facts, *a)) {
                    if let Some(aw) = after_await {
                        let hit = Hit::at(callee.byte_range())
                            .var("model", model_var)
                            .variant("bind-after-await")
                            .label("scope", scope.node)
                            .label("await", aw);
                        return Some(match capture_before_await(cx, call, obj, args[0]) {
                            Some(edits) => hit.var("fix", CAPTURE).edits(edits).applicability(Applicability::DisplayOnly),
                            None => hit,
                        });
                    }
                }
                return None;
            }
        }
    }
    // AsyncResource.bind(fn) / als.bind(fn) do not help under `stack`: look at the function they wrap
    let inner = if callback.kind() == "call_expression" && facts.callee_name(callback) == Some("bind") {
        let args = arguments(callback);
        match (args.len(), callee_object(callback)) {
            (1, Some(obj)) if cx.text(obj).contains("AsyncResource") || facts.is_als(obj) || cx.text(obj) == "AsyncLocalStorage" => args[0],
            _ => callback,
        }
    } else {
        callback
    };
    let body = facts.callback_body(inner)?;
    let use_site = implicit_context_use(facts, body)?;
    let context_use = ContextUse::of(facts, body);

    let mut hit = Hit::at(callee.byte_range())
        .var("model", model_var)
        .var("does", context_use.does())
        .var(
            "outcome",
            match context_use {
                ContextUse::StartsSpan => "its spans become new traces",
                ContextUse::ReadsContext => "it finds no active span or context",
            },
        )
        .label("scope", scope.node)
        .label("use", use_site.child_by_field_name("function").unwrap_or(use_site));
    if let Some((ctx, import)) = context_api_for_fix(cx) {
        let wrapped = format!("{ctx}.bind({ctx}.active(), {})", cx.text(callback));
        let mut edits = vec![Edit::replace(callback.byte_range(), wrapped)];
        edits.extend(import);
        hit = hit.edits(edits);
    }
    Some(hit)
}

/// `context.bind(context.active(), cb)` after an `await` → `const ctx = context.active();` as the first statement of
/// the enclosing function (which runs before any of its awaits, inside the span scope) and `context.bind(ctx, cb)`.
/// `None` when the function has no statement block or already uses the name.
fn capture_before_await(cx: &FileCx<'_>, call: Node<'_>, api: Node<'_>, active: Node<'_>) -> Option<Vec<Edit>> {
    let func = enclosing_function(call)?;
    let body = func.child_by_field_name("body").filter(|b| b.kind() == "statement_block")?;
    let first = body.named_child(0)?;
    let name = ["ctx", "activeContext", "spanContext"]
        .into_iter()
        .find(|n| !crate::syntax::Preorder::new(func).any(|d| d.kind() == "identifier" && cx.text(d) == *n))?;
    let indent = crate::syntax::line_indent(cx.source, first.start_byte());
    let eol = crate::syntax::line_ending(cx.source);
    Some(vec![
        Edit::insert(first.start_byte(), format!("const {name} = {}.active();{eol}{indent}", cx.text(api))),
        Edit::replace(active.byte_range(), name.to_string()),
    ])
}
