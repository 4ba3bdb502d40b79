//! `js/unbound-listener`: an event listener registered in a span scope that starts a span or reads the active
//! context, on an emitter fired from elsewhere: the listener runs in the context of whoever calls `emit`. An emitter
//! the same function makes is fired by its own I/O, in the context it was made in (silent, except under `stack`).
use tree_sitter::Node;

use super::js_common::{
    bind_wrapper, context_api_for_fix, implicit_context_use, is_context_bind_of, parameter_names, BindKind, ContextUse,
};
use super::shown;
use crate::analysis::js::{arguments, callee_object, enclosing_function, is_function, JsFacts, ScopeKind};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::jsmodel::JsModel;
use crate::syntax::{self, unparen, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "js/unbound-listener",
    captures: &["method"],
    vars: &["call", "model", "does", "outcome"],
    variants: &["emitter-bound-late"],
    labels: &["scope", "use", "bind"],
    run: CheckFn::Match(run),
};

/// Calls that fire or feed an emitter: a listener on an emitter the same function creates and fires is called
/// from this context.
const FIRES: &[&str] = &["emit", "write", "end", "push", "destroy", "abort", "dispatchEvent"];

/// Emitters of HTTP request handlers and client callbacks that `@opentelemetry/instrumentation-http` binds to the
/// request's context under AsyncLocalStorage.
const HTTP_CLIENT_CALLS: &[&str] = &["get", "request"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    if cx.js_model == JsModel::Zone {
        return None;
    }
    let method = caps.get("method")?;
    let facts = cx.js();
    let args = arguments(call);
    let (Some(event), Some(listener)) = (args.first().copied(), args.get(1).copied()) else { return None };
    let emitter = callee_object(call).map(unparen)?;
    // `events.on(emitter, 'x')` / `events.once(emitter, 'x')` are async iterators / promises, not listeners
    if facts.string_value(listener).is_some() {
        return None;
    }
    let event_name = facts.string_value(event);
    if event_name == Some("request") {
        return None; // a server's request handler: a scope of its own
    }
    let (scope_fn, scope) = facts.span_scope_function(call)?;

    // bound listener: context.bind works under every model that has a manager; AsyncResource/ALS binding only
    // under AsyncLocalStorage (the stack manager does not see async_hooks)
    let listener = unparen(listener);
    let inner = match bind_wrapper(facts, listener) {
        Some((BindKind::Context, _)) => return None,
        Some((BindKind::AsyncResource, _)) if cx.js_model == JsModel::AsyncLocalStorage => return None,
        Some((BindKind::AsyncResource, inner)) => inner,
        None => listener,
    };
    let body = facts.callback_body(inner)?;
    let use_site = implicit_context_use(facts, body)?;
    let context_use = ContextUse::of(facts, body);

    let func = enclosing_function(call).unwrap_or(scope_fn);
    match origin(func, emitter, call, facts) {
        // its own I/O and timers run in the context it was made in, which is this one (oracle node 10
        // ok-stream-on-data-written-in-span; an ioredis client made in the span fires 'ready' in it): under
        // AsyncLocalStorage; under `none` nothing is kept anywhere, so there is nothing this listener loses
        Origin::Inline | Origin::Here if cx.js_model != JsModel::Stack => return None,
        // under `stack` only a synchronous emit from here keeps it: fired, written or ended by this function
        Origin::Here if fired_here(func, facts.text(emitter), facts) => return None,
        _ => {}
    }
    if cx.js_model == JsModel::AsyncLocalStorage && is_http_emitter(scope_fn, scope.kind, call, emitter, facts) {
        return None;
    }
    // context.bind(ctx, emitter): patches the emitter's on/addListener, under AsyncLocalStorage, when it runs first
    let mut late_bind = None;
    let mut early_bind = None;
    for bind in emitter_binds(cx, emitter) {
        if enclosing_function(bind) == Some(func) && bind.start_byte() > call.end_byte() {
            late_bind.get_or_insert(bind);
        } else {
            early_bind.get_or_insert(bind);
        }
    }
    if early_bind.is_some() && cx.js_model == JsModel::AsyncLocalStorage {
        return None;
    }

    let callee = call.child_by_field_name("function").unwrap_or(method);
    // a chained `x\n  .on(...)` is reported on the `.on` line
    let at = if cx.text(callee).contains('\n') { method.byte_range() } else { callee.byte_range() };
    let shown_event = event_name.map_or_else(|| shown::expression(event, cx.source), |e| format!("'{e}'"));
    let shown_emitter = shown::expression(emitter, cx.source);
    let mut hit = Hit::at(at)
        .var("call", format!("{shown_emitter}.{}({shown_event}, …)", cx.text(method)))
        .var("model", cx.js_model.name())
        .var("does", context_use.does())
        .var(
            "outcome",
            match context_use {
                ContextUse::StartsSpan => "its spans get another request's span or ROOT as parent",
                ContextUse::ReadsContext => "what it reads is another request's context, or ROOT",
            },
        )
        .label("scope", scope.node)
        .label("use", use_site.child_by_field_name("function").unwrap_or(use_site));
    if let Some(bind) = late_bind {
        hit = hit.variant("emitter-bound-late").label("bind", bind);
    } else if let Some(bind) = early_bind {
        hit = hit.label("bind", bind);
    }
    if let Some((ctx, import)) = context_api_for_fix(cx).filter(|_| !removed_by_reference(cx, listener)) {
        let wrapped = format!("{ctx}.bind({ctx}.active(), {})", cx.text(listener));
        let mut edits = vec![Edit::replace(listener.byte_range(), wrapped)];
        edits.extend(import);
        hit = hit.edits(edits);
    }
    Some(hit)
}

/// Where an emitter comes from, as far as the function that registers the listener shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Made in the receiver itself: `fs.createReadStream(p).on(...)`, `AbortSignal.timeout(5).addEventListener(...)`.
    Inline,
    /// Bound earlier in the same function to something it makes: `new X(...)`, `X.createClient(...)`,
    /// `createClient(...)`, `await X.connect(...)`, any factory call (`const c = makeClient()`, `this.c = new X()`).
    Here,
    /// A parameter, a module-level or captured emitter, a property: fired from wherever.
    Elsewhere,
}

fn origin(func: Node<'_>, emitter: Node<'_>, call: Node<'_>, facts: &JsFacts<'_>) -> Origin {
    if matches!(emitter.kind(), "call_expression" | "new_expression") {
        return Origin::Inline;
    }
    if !matches!(emitter.kind(), "identifier" | "member_expression") {
        return Origin::Elsewhere;
    }
    let name = facts.text(emitter);
    let Some(body) = func.child_by_field_name("body") else { return Origin::Elsewhere };
    // `new X(..)` or a call that makes one; not `require(..)`, nor a getter (`getBus()`, `pool.getConnection()`),
    // which hands out an emitter made earlier, elsewhere
    let made = |value: Option<Node<'_>>| {
        let Some(v) = value.map(unparen) else { return false };
        let v = if v.kind() == "await_expression" { v.named_child(0).map_or(v, unparen) } else { v };
        match v.kind() {
            "new_expression" => true,
            "call_expression" => facts.callee_name(v).is_some_and(|name| name != "require" && !name.starts_with("get")),
            _ => false,
        }
    };
    let bound_here = syntax::find_first(body, is_function, |n| {
        if n.start_byte() >= call.start_byte() {
            return false;
        }
        match n.kind() {
            "variable_declarator" => {
                n.child_by_field_name("name").is_some_and(|d| facts.text(d) == name) && made(n.child_by_field_name("value"))
            }
            "assignment_expression" => {
                n.child_by_field_name("left").is_some_and(|l| facts.text(l) == name) && made(n.child_by_field_name("right"))
            }
            _ => false,
        }
    });
    if bound_here.is_some() {
        Origin::Here
    } else {
        Origin::Elsewhere
    }
}

/// Does the function fire, write or end the emitter `name` itself, or pipe into it: then (under `stack` too) its
/// events come from this context.
fn fired_here(func: Node<'_>, name: &str, facts: &JsFacts<'_>) -> bool {
    let Some(body) = func.child_by_field_name("body") else { return false };
    Preorder::new(body).any(|n| {
        if n.kind() != "call_expression" {
            return false;
        }
        let on_emitter = callee_object(n).is_some_and(|o| facts.text(unparen(o)) == name);
        let method = facts.callee_name(n).unwrap_or("");
        (on_emitter && FIRES.contains(&method))
            // src.pipe(emitter) / pipeline(a, emitter, ...) feed it
            || ((method == "pipe" || method == "pipeline")
                && arguments(n).iter().any(|a| facts.text(unparen(*a)) == name))
    })
}

/// `req`/`res` of a request handler, `ctx.req`/`request.raw` style wrappers, and the `res` of an `http.get(..., (res) =>
/// ...)` callback: instrumentation-http binds these emitters to the request's context.
fn is_http_emitter(scope_fn: Node<'_>, kind: ScopeKind, call: Node<'_>, emitter: Node<'_>, facts: &JsFacts<'_>) -> bool {
    let text = facts.text(emitter);
    let root = text.split('.').next().unwrap_or(text);
    if kind == ScopeKind::Handler && parameter_names(scope_fn, facts).iter().any(|p| p == root) {
        return true;
    }
    // the response of an http client call made in this scope
    for f in syntax::ancestors(call).filter(|n| is_function(*n)) {
        let client = f.parent().and_then(|a| a.parent()).filter(|c| c.kind() == "call_expression").is_some_and(|c| {
            callee_object(c).is_some_and(|o| matches!(facts.text(o), "http" | "https"))
                && facts.callee_name(c).is_some_and(|m| HTTP_CLIENT_CALLS.contains(&m))
        });
        if client && parameter_names(f, facts).iter().any(|p| p == root) {
            return true;
        }
        if f == scope_fn {
            break;
        }
    }
    false
}

/// Every `context.bind(ctx, <emitter>)` in the file whose second argument is this emitter's text.
fn emitter_binds<'t>(cx: &FileCx<'t>, emitter: Node<'_>) -> Vec<Node<'t>> {
    let name = syntax::text(emitter, cx.source);
    Preorder::new(cx.root()).filter(|n| n.kind() == "call_expression" && is_context_bind_of(cx.js(), *n, name)).collect()
}

/// Does the file remove this named listener again (`off`, `removeListener`, `removeEventListener`): a bound copy would
/// not be removed.
fn removed_by_reference(cx: &FileCx<'_>, listener: Node<'_>) -> bool {
    let facts = cx.js();
    if is_function(listener) {
        return false;
    }
    let name = cx.text(listener);
    Preorder::new(cx.root()).any(|n| {
        n.kind() == "call_expression"
            && matches!(facts.callee_name(n), Some("off" | "removeListener" | "removeEventListener"))
            && arguments(n).iter().any(|a| cx.text(unparen(*a)) == name)
    })
}
