//! `js/unbound-timer`: a timer or microtask callback scheduled in a span scope that starts a span or reads the active
//! context, under a context manager (`stack`, `none`) that does not carry the context into it.
use super::js_common::{context_api_for_fix, implicit_context_use, reads_active};
use super::{Captures, CheckDef, CheckFn, Hit};
use crate::analysis::js::{arguments, await_before, callee_name, callee_object, enclosing_function};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::jsmodel::JsModel;
use crate::syntax::{self, unparen};

pub static CHECK: CheckDef = CheckDef {
    name: "js-unbound-timer",
    captures: &["timer"],
    vars: &["model"],
    variants: &["bind-after-await"],
    labels: &["scope", "use", "await"],
    run: CheckFn::Match(run),
};

const GLOBALS: &[&str] = &["window", "globalThis", "global", "self", "timers"];

fn run(cx: &FileCx<'_>, caps: &Captures<'_>) -> Vec<Hit> {
    if !matches!(cx.js_model, JsModel::Stack | JsModel::None) {
        return Vec::new();
    }
    let (Some(call), Some(timer)) = (caps.get("report"), caps.get("timer")) else { return Vec::new() };
    let Some(callback) = arguments(call).into_iter().next() else { return Vec::new() };
    let source = cx.source;
    let facts = cx.js();
    let callee = call.child_by_field_name("function").unwrap_or(timer);
    let name = cx.text(timer);
    match callee_object(call).map(|o| cx.text(o)) {
        Some("process") if name == "nextTick" => {}
        Some(obj) if name != "nextTick" && GLOBALS.contains(&obj) => {}
        None if name != "nextTick" && !facts.promise_functions.contains(name) => {}
        _ => return Vec::new(),
    }
    let Some(scope) = facts.span_scope(call, source) else { return Vec::new() };
    let model_var = cx.js_model.name();

    let callback = unparen(callback);
    // context.bind(ctx, cb): bound, unless it binds the ROOT context read after an `await` (stack model)
    if callback.kind() == "call_expression" && callee_name(callback, source) == Some("bind") {
        if let Some(obj) = callee_object(callback) {
            if facts.is_context_api(obj, source) {
                let args = arguments(callback);
                let after_await = enclosing_function(call).and_then(|f| await_before(f, callback.start_byte()));
                if cx.js_model == JsModel::Stack && args.first().is_some_and(|a| reads_active(facts, *a, source)) {
                    if let Some(aw) = after_await {
                        return vec![Hit::at(callee.byte_range())
                            .var("model", model_var)
                            .variant("bind-after-await")
                            .label("scope", scope.node)
                            .label("await", aw)];
                    }
                }
                return Vec::new();
            }
        }
    }
    // AsyncResource.bind(fn) / als.bind(fn) do not help under `stack`: look at the function they wrap
    let inner = if callback.kind() == "call_expression" && callee_name(callback, source) == Some("bind") {
        let args = arguments(callback);
        match (args.len(), callee_object(callback)) {
            (1, Some(obj))
                if cx.text(obj).contains("AsyncResource") || facts.is_als(obj, source) || cx.text(obj) == "AsyncLocalStorage" =>
            {
                args[0]
            }
            _ => callback,
        }
    } else {
        callback
    };
    let Some(body) = facts.callback_body(inner, source) else { return Vec::new() };
    let Some(use_site) = implicit_context_use(facts, body, source) else { return Vec::new() };

    let mut hit = Hit::at(callee.byte_range())
        .var("model", model_var)
        .label("scope", scope.node)
        .label("use", use_site.child_by_field_name("function").unwrap_or(use_site));
    if let Some((ctx, import)) = context_api_for_fix(cx) {
        let wrapped = format!("{ctx}.bind({ctx}.active(), {})", syntax::text(callback, source));
        let mut edits = vec![Edit::replace(callback.byte_range(), wrapped)];
        edits.extend(import);
        hit = hit.edits(edits);
    }
    vec![hit]
}
