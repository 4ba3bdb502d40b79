//! `py/executor-without-context`: work handed to another thread without the caller's contextvars
//! (`ThreadPoolExecutor.submit/map`, `loop.run_in_executor`, `threading.Thread/Timer` and subclasses,
//! `multiprocessing` `ThreadPool`, `add_done_callback` on a submitted future), and the two traps of the fix:
//! `copy_context()` inside the submitted lambda, and one copied `Context` shared by concurrent submissions.
use tree_sitter::Node;

use super::py_common::{copy_context_for_fix, in_loop_without, is_copy_context_call};
use super::py_executor_fix;
use crate::analysis::python::{enclosing_function, positional_arg, PyFacts};
use crate::analysis::RemoteCaller;
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};
use crate::syntax::{self, named_children, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/executor-without-context",
    captures: &["method", "class"],
    vars: &["call", "fix", "caller", "place", "why"],
    variants: &["copy-inside", "reused", "subclass", "unresolved"],
    labels: &["copy", "work", "scope", "remote"],
    run: CheckFn::Match(run),
};

const THREAD_POOLS: &[&str] = &["concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"];
const PROCESS_POOLS: &[&str] = &["concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"];
const MP_THREAD_POOLS: &[&str] = &["multiprocessing.pool.ThreadPool", "multiprocessing.dummy.Pool"];
const MP_METHODS: &[&str] = &["apply_async", "map_async", "apply", "imap", "imap_unordered", "starmap", "starmap_async"];
const MANY_CALLS: &[&str] = &["map", "map_async", "imap", "imap_unordered", "starmap", "starmap_async"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pool {
    Thread,
    Process,
    MpThread,
    Unknown,
}

/// How the hand-off is shaped, for the fix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The callable is a positional argument that `ctx.run` can precede (`submit`, `run_in_executor`).
    Prepend,
    /// `Thread(target=fn)` / `Timer(t, fn)`: the callable moves into `args=`.
    ThreadTarget,
    /// No automatic edit.
    Other,
}

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    enclosing_function(call)?;
    let py = cx.py();
    let func = call.child_by_field_name("function")?;

    let (callable, shape, method) = if let Some(method) = caps.get("method") {
        let method = cx.text(method);
        let receiver = func.child_by_field_name("object")?;
        match method {
            "run_in_executor" => {
                if positional_arg(call, 0).is_some_and(|e| pool_kind(py, e) == Pool::Process) {
                    return None;
                }
                (positional_arg(call, 1), Shape::Prepend, method)
            }
            "add_done_callback" => {
                if !is_thread_future(py, receiver, call) {
                    return None;
                }
                (positional_arg(call, 0), Shape::Other, method)
            }
            "submit" | "map" => {
                match pool_kind(py, receiver) {
                    Pool::Thread => {}
                    Pool::MpThread if method == "map" => {}
                    _ => return None,
                }
                (positional_arg(call, 0), if method == "submit" { Shape::Prepend } else { Shape::Other }, method)
            }
            m if MP_METHODS.contains(&m) => {
                if pool_kind(py, receiver) != Pool::MpThread {
                    return None;
                }
                (positional_arg(call, 0).or_else(|| py.keyword_arg(call, "func")), Shape::Other, method)
            }
            _ => return None,
        }
    } else {
        let local = cx.text(func);
        let is_thread = py.resolves_to(func, &["threading.Thread"])
            || (py.classes.contains_key(local) && py.class_extends(local, &["threading.Thread"]));
        let is_timer =
            py.resolves_to(func, &["threading.Timer"]) || (py.classes.contains_key(local) && py.class_extends(local, &["threading.Timer"]));
        if is_timer {
            (positional_arg(call, 1).or_else(|| py.keyword_arg(call, "function")), Shape::ThreadTarget, "Timer")
        } else if is_thread {
            match py.keyword_arg(call, "target").or_else(|| positional_arg(call, 1)) {
                Some(t) => (Some(t), Shape::ThreadTarget, "Thread"),
                None if py.classes.contains_key(local) && subclass_runs_without_context(cx, local) => {
                    let run = subclass_run(cx, local);
                    // the threading instrumentation wraps `Thread.run`, not a subclass's own `run()` (its witness)
                    let evidence = evidence(cx, call, None, run, cx.py_runtime.instruments("threading"))?;
                    let hit = Hit::at(func.byte_range()).var("call", format!("{local}(…)")).variant("subclass");
                    // no mechanical fix: the override changes the class for every caller (a person decides)
                    let hit = match run.and_then(|r| py_executor_fix::subclass_start(cx, r)) {
                        Some(edits) => hit.var("fix", SUBCLASS_START).edits(edits).applicability(Applicability::DisplayOnly),
                        None => hit,
                    };
                    return Some(evidence.label(hit));
                }
                None => return None,
            }
        } else {
            return None;
        }
    };
    let callable = callable?;
    let call_text = format!("{}(…)", cx.text(func));
    // what the runtime carries (the project's Python runtime model, or an activation in this file): the threading
    // instrumentation carries Thread, Timer and the pools, logfire the pools only, nothing the multiprocessing
    // ThreadPool; and the threading instrumentation's own package drives unpropagated hand-offs on purpose
    let rt = &cx.py_runtime;
    let carried_by_runtime = rt.instruments("threading")
        || match method {
            _ if MP_METHODS.contains(&method) => false,
            "Thread" | "Timer" => rt.threads_carry_context || py.activates_thread_instrumentation(),
            _ => rt.threads_carry_context || rt.thread_pools_carry_context || py.activates_thread_instrumentation(),
        };

    let many = MANY_CALLS.contains(&method);
    match classify(cx, callable, call, many) {
        Carry::Yes => None,
        // sharing one copied Context between concurrent calls raises: a crash, wherever it is
        Carry::Reused(at) => {
            let hit = Hit::at(func.byte_range()).var("call", call_text).variant("reused").label("copy", at);
            let edits = if many {
                py_executor_fix::per_call_copy(cx, call, callable).map(|e| (e, PER_CALL))
            } else {
                context_run(cx, callable).and_then(py_executor_fix::copy_per_submit).map(|e| (e, PER_SUBMIT))
            };
            Some(with_edits(hit, edits))
        }
        Carry::CopyInside(copy) => {
            let evidence = evidence(cx, call, Some(callable), py.callable_body(callable), carried_by_runtime)?;
            let hit = Hit::at(func.byte_range()).var("call", call_text).variant("copy-inside").label("copy", copy);
            let edits = py_executor_fix::hoist_copy(cx, call, copy, many).map(|e| (e, HOIST));
            Some(evidence.label(with_edits(hit, edits)))
        }
        Carry::No => {
            // `submit(stale_ctx.run, fn, ...)`: the work is `fn`
            let target = match callable.child_by_field_name("attribute") {
                Some(a) if cx.text(a) == "run" && callable.child_by_field_name("object").is_some_and(|o| holds_context(cx, o)) => {
                    callable.next_named_sibling().unwrap_or(callable)
                }
                _ => callable,
            };
            let body = py.callable_body(target);
            let evidence = evidence(cx, call, Some(target), body, carried_by_runtime)?;
            let mut hit = Hit::at(func.byte_range()).var("call", call_text);
            if body.is_none() && evidence.work.is_none() {
                hit = hit.variant("unresolved");
            }
            if target.id() != callable.id() {
                // a stale context's `run`: which context is right is for a person to say; show the caller's copy
                let (copy, import) = copy_context_for_fix(cx);
                let mut edits = vec![Edit::replace(callable.byte_range(), format!("{copy}().run"))];
                edits.extend(import);
                let hit = hit.var("fix", STALE).edits(edits).applicability(Applicability::DisplayOnly);
                return Some(evidence.label(hit));
            }
            let edits = match shape {
                Shape::Other if many => py_executor_fix::per_call_copy(cx, call, callable).map(|e| (e, PER_CALL)),
                Shape::Other => py_executor_fix::partial_copy(cx, callable).map(|e| (e, PARTIAL)),
                _ => fix_edits(cx, call, callable, shape).map(|e| (e, RUN_IN_COPY)),
            };
            Some(evidence.label(with_edits(hit, edits)))
        }
    }
}

// the fix's description, by shape
const STALE: &str =
    "run it in a copy of the caller's context instead of the one captured earlier (unless that one is meant: a person decides)";
const RUN_IN_COPY: &str = "run the callable in `contextvars.copy_context().run`, one fresh copy per call";
const PER_CALL: &str = "copy the caller's context once and run each call in its own copy (`ctx.copy().run`)";
const PER_SUBMIT: &str = "run each hand-off in its own copy of the context (`ctx.copy().run`)";
const PARTIAL: &str = "bind a copy of the caller's context to the callable: `functools.partial(contextvars.copy_context().run, fn)`";
const HOIST: &str = "copy the context in the caller, before the hand-off, not in the worker";
const SUBCLASS_START: &str = "override `start()` to copy the caller's context and run `run()` in it (changes the class for every caller)";

fn with_edits(hit: Hit, edits: Option<(Vec<Edit>, &'static str)>) -> Hit {
    match edits {
        Some((edits, what)) => hit.var("fix", what).edits(edits),
        None => hit,
    }
}

/// The `ctx.run` of a callable that runs in a context: the callable itself, or the first argument of its
/// `functools.partial(ctx.run, ...)`.
fn context_run<'t>(cx: &FileCx<'_>, callable: Node<'t>) -> Option<Node<'t>> {
    let run = if callable.kind() == "call" { positional_arg(callable, 0)? } else { callable };
    (run.kind() == "attribute" && run.child_by_field_name("attribute").is_some_and(|a| cx.text(a) == "run")).then_some(run)
}

/// What shows that a hand-off loses a context that matters (spec v2): the context at the hand-off (a span scope or
/// handler, else none) and the work on the far side that uses it (else unresolvable).
struct Evidence<'t> {
    scope: Option<Node<'t>>,
    work: Option<Node<'t>>,
    /// No context in this file, but another module calls the function from a span scope or handler (the project
    /// index): the enclosing function's name, and that caller.
    remote: Option<(Node<'t>, RemoteCaller)>,
}

impl Evidence<'_> {
    fn label(&self, mut hit: Hit) -> Hit {
        if let Some(work) = self.work {
            hit = hit.label("work", work.child_by_field_name("function").unwrap_or(work));
        }
        if let Some(scope) = self.scope {
            hit = hit.label("scope", scope.child_by_field_name("name").unwrap_or(scope));
        }
        if let Some((name, remote)) = &self.remote {
            hit = hit.var("caller", remote.caller.clone()).var("place", remote.place.clone()).var("why", remote.why).label("remote", *name);
        }
        hit
    }
}

/// The v2 evidence for a thread hand-off at `call` of `callable`, whose `body` the file may show (`None`: defined
/// elsewhere; then the project index may know it), or `None` when the finding would not be a real bug: the runtime
/// carries the context (an active threading instrumentation), the callable resolves to a body that uses no
/// context, the hand-off starts a long-lived background worker outside a span scope, or no context is shown and the
/// far side does no visible traced work.
fn evidence<'t>(
    cx: &FileCx<'t>,
    call: Node<'t>,
    callable: Option<Node<'t>>,
    body: Option<Node<'t>>,
    carried_by_runtime: bool,
) -> Option<Evidence<'t>> {
    let py = cx.py();
    if carried_by_runtime {
        return None;
    }
    // the far side's traced work as the file shows it
    let shown = body.and_then(|b| py.traced_work(b));
    // a Sentry span: sentry-sdk's default ThreadingIntegration carries its scope through `Thread.start` and
    // `ThreadPoolExecutor.submit` (sentry_sdk/integrations/threading.py, 2.75.0), so it is no context lost here
    let lexical = py.span_scope(call).filter(|s| !cx.text(*s).starts_with("sentry_sdk."));
    if lexical.is_none() && (py.starts_background_worker(call) || body.is_some_and(|b| rearms_itself(py, b))) {
        return None;
    }
    let scope = lexical.or_else(|| py.context_at(call)).filter(|s| !cx.text(*s).starts_with("sentry_sdk."));
    // no context shown: the callers may be traced only when the far side visibly does traced work in this file
    // (spec v2, rule 1: "shown in the file, not assumed"; another module's work is not shown here), or when another
    // module of the package calls this function from a span scope or handler (the project index, asked last)
    let func = enclosing_function(call)?;
    let ask_callers = scope.is_none() && shown.is_none();
    if scope.is_none() && py.is_test_function(func) {
        return None;
    }
    // a module-level function, or a method of a module-level class (`Some(class)`), for the callers' question
    let owner = match ask_callers {
        true => Some(caller_owner(cx, func)?),
        false => None,
    };
    // the far side's work as the project index knows it (another module's function), asked only now that a context
    // is shown or may be: each question can parse a module
    let work = match body {
        Some(body) => Some(shown.or_else(|| py.traced_work_in_project(body))?),
        None => match callable.map(|c| (c, py.imported_work(c))) {
            Some((c, Some(true))) => Some(c),
            Some((_, Some(false))) => return None,
            _ => None,
        },
    };
    let remote = match ask_callers {
        true => {
            let name = func.child_by_field_name("name")?;
            Some((name, cx.project.as_ref()?.py_traced_caller(cx.text(name), owner.flatten())?))
        }
        false => None,
    };
    Some(Evidence { scope, work, remote })
}

/// Who owns `func` for the question "which other module calls it from a span scope or handler": the module
/// (`Some(None)`, a module-level function) or a module-level class (`Some(Some(class))`, a method); `None` for a
/// nested function.
fn caller_owner<'t>(cx: &FileCx<'t>, func: Node<'t>) -> Option<Option<&'t str>> {
    let outer = |n: Node<'t>| n.parent().and_then(|p| if p.kind() == "decorated_definition" { p.parent() } else { Some(p) });
    let parent = outer(func)?;
    if parent.kind() == "module" {
        return Some(None);
    }
    let class = parent.parent().filter(|c| parent.kind() == "block" && c.kind() == "class_definition")?;
    if outer(class)?.kind() != "module" {
        return None;
    }
    Some(Some(cx.text(class.child_by_field_name("name")?)))
}

/// A poller: the body starts a `Timer` or `Thread` again (a timer that re-arms itself).
fn rearms_itself(py: &PyFacts<'_>, body: Node<'_>) -> bool {
    Preorder::new(body).any(|n| {
        n.kind() == "call" && n.child_by_field_name("function").is_some_and(|f| py.resolves_to(f, &["threading.Timer", "threading.Thread"]))
    })
}

/// The `run()` method of a same-file Thread subclass.
fn subclass_run<'t>(cx: &FileCx<'t>, class: &str) -> Option<Node<'t>> {
    let def = syntax::find_first(
        cx.root(),
        |_| false,
        |n| n.kind() == "class_definition" && n.child_by_field_name("name").is_some_and(|c| cx.text(c) == class),
    )?;
    let body = def.child_by_field_name("body")?;
    named_children(body)
        .map(|m| if m.kind() == "decorated_definition" { m.child_by_field_name("definition").unwrap_or(m) } else { m })
        .find(|m| m.kind() == "function_definition" && m.child_by_field_name("name").is_some_and(|n| cx.text(n) == "run"))
}

fn pool_kind(py: &PyFacts, receiver: Node<'_>) -> Pool {
    let qualified = if receiver.kind() == "call" {
        receiver.child_by_field_name("function").and_then(|f| py.resolve(f))
    } else {
        py.constructed_from(receiver).map(str::to_string).or_else(|| {
            // a pool imported from another module of the project, named for one (the rule's trigger words say so)
            let name = py.text(receiver).to_ascii_lowercase();
            (name.contains("pool") || name.contains("executor")).then(|| py.imported_construction(receiver)).flatten()
        })
    };
    match qualified.as_deref() {
        Some(q) if THREAD_POOLS.contains(&q) => Pool::Thread,
        Some(q) if PROCESS_POOLS.contains(&q) => Pool::Process,
        Some(q) if MP_THREAD_POOLS.contains(&q) => Pool::MpThread,
        Some(q) if q.starts_with("local:") => {
            let class = &q["local:".len()..];
            if py.class_extends(class, THREAD_POOLS) {
                Pool::Thread
            } else if py.class_extends(class, PROCESS_POOLS) {
                Pool::Process
            } else {
                Pool::Unknown
            }
        }
        Some(_) => Pool::Unknown,
        None => {
            // an executor passed in or made elsewhere: trust a name that says it is a thread pool
            let text = py.text(receiver);
            let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
            if last.contains("thread") && (last.contains("pool") || last.contains("executor")) {
                Pool::Thread
            } else {
                Pool::Unknown
            }
        }
    }
}

/// Is `receiver` a future from a thread pool's `submit`: the call itself, or a name assigned from it in the function.
fn is_thread_future(py: &PyFacts, receiver: Node<'_>, call: Node<'_>) -> bool {
    let is_submit = |n: Node<'_>| {
        n.kind() == "call"
            && n.child_by_field_name("function").is_some_and(|f| {
                f.kind() == "attribute"
                    && f.child_by_field_name("attribute").is_some_and(|a| py.text(a) == "submit")
                    && f.child_by_field_name("object").is_some_and(|o| pool_kind(py, o) == Pool::Thread)
            })
    };
    if is_submit(receiver) {
        return true;
    }
    if receiver.kind() != "identifier" {
        return false;
    }
    let name = py.text(receiver);
    let Some(func) = enclosing_function(call) else { return false };
    py.assigned(func, name, |_, value| is_submit(value)).is_some()
}

enum Carry<'t> {
    Yes,
    No,
    CopyInside(Node<'t>),
    Reused(Node<'t>),
}

/// Does the callable run in a context copied in the caller?
fn classify<'t>(cx: &FileCx<'_>, callable: Node<'t>, call: Node<'t>, many: bool) -> Carry<'t> {
    let py = cx.py();
    match callable.kind() {
        "call" => {
            // functools.partial(ctx.run, fn, ...)
            let f = callable.child_by_field_name("function");
            let is_partial =
                f.is_some_and(|f| py.resolves_to(f, &["functools.partial"]) || matches!(cx.text(f), "partial" | "functools.partial"));
            match (is_partial, positional_arg(callable, 0)) {
                (true, Some(inner)) => classify(cx, inner, call, many),
                _ => Carry::No,
            }
        }
        "attribute" if callable.child_by_field_name("attribute").is_some_and(|a| cx.text(a) == "run") => {
            let Some(obj) = callable.child_by_field_name("object") else { return Carry::No };
            if is_copy_context_call(py, obj) || is_context_copy(cx, obj) {
                return if many { Carry::Reused(obj) } else { Carry::Yes };
            }
            // a name that says it holds a context (`ctx`, `self._context`) is one the code manages itself;
            // `job.run` or `self.server.run` is just a method called `run`
            let named_context = named_like_context(obj, py);
            if obj.kind() != "identifier" {
                return if named_context { Carry::Yes } else { Carry::No };
            }
            let name = cx.text(obj);
            let Some(func) = enclosing_function(call) else { return Carry::Yes };
            let assign = py.assigned(func, name, |a, value| a.start_byte() < call.start_byte() && is_copy_context_call(py, value));
            let Some(assign) = assign else {
                // a context captured at module level (startup) is not the caller's
                let at_module_level = |a: Node<'_>| {
                    a.parent().is_some_and(|s| s.kind() == "expression_statement" && s.parent().is_some_and(|m| m.id() == cx.root().id()))
                };
                let module_level = py.assigned(cx.root(), name, |a, value| at_module_level(a) && is_copy_context_call(py, value)).is_some();
                return if module_level || !named_context { Carry::No } else { Carry::Yes };
            };
            if many || in_loop_without(call, assign, func) || earlier_handoff_with(func, call, &format!("{name}.run"), py) {
                Carry::Reused(assign)
            } else {
                Carry::Yes
            }
        }
        "lambda" => {
            let Some(body) = callable.child_by_field_name("body") else { return Carry::No };
            if let Some(copy) = syntax::find_first(body, |_| false, |n| is_copy_context_call(py, n)) {
                return Carry::CopyInside(copy);
            }
            // `lambda: ctx.run(fn)`; an object's `.run` (`pipeline.run(**kw)`) is not `Context.run`
            let runs_ctx = syntax::find_first(
                body,
                |_| false,
                |n| {
                    n.kind() == "call"
                        && n.child_by_field_name("function").is_some_and(|f| {
                            f.kind() == "attribute"
                                && f.child_by_field_name("attribute").is_some_and(|a| cx.text(a) == "run")
                                && f.child_by_field_name("object")
                                    .is_some_and(|o| is_copy_context_call(py, o) || holds_context(cx, o) || is_context_copy(cx, o))
                        })
                },
            );
            if runs_ctx.is_some() {
                Carry::Yes
            } else {
                Carry::No
            }
        }
        _ => Carry::No,
    }
}

/// Another hand-off before `call` in the function that passes the same `ctx.run` (and is not awaited at once).
fn earlier_handoff_with(func: Node<'_>, call: Node<'_>, run_text: &str, py: &PyFacts<'_>) -> bool {
    let walk = Preorder::new(func);
    for n in walk {
        if n.start_byte() >= call.start_byte() {
            break;
        }
        if n.kind() == "attribute"
            && py.text(n) == run_text
            && n.parent().is_some_and(|p| matches!(p.kind(), "argument_list" | "keyword_argument"))
        {
            let outer = n.parent().and_then(|p| if p.kind() == "keyword_argument" { p.parent() } else { Some(p) }).and_then(|a| a.parent());
            let awaited = outer.and_then(|c| c.parent()).is_some_and(|p| p.kind() == "await");
            if !awaited {
                return true;
            }
        }
    }
    false
}

/// A same-file Thread subclass whose `run()` does not run in a copied context.
fn subclass_runs_without_context(cx: &FileCx<'_>, class: &str) -> bool {
    let py = cx.py();
    let Some(def) = syntax::find_first(
        cx.root(),
        |_| false,
        |n| n.kind() == "class_definition" && n.child_by_field_name("name").is_some_and(|c| cx.text(c) == class),
    ) else {
        return false;
    };
    let Some(body) = def.child_by_field_name("body") else { return false };
    let defines_run = named_children(body).any(|m| {
        let m = if m.kind() == "decorated_definition" { m.child_by_field_name("definition").unwrap_or(m) } else { m };
        m.kind() == "function_definition" && m.child_by_field_name("name").is_some_and(|n| cx.text(n) == "run")
    });
    defines_run && syntax::find_first(body, |_| false, |n| is_copy_context_call(py, n)).is_none()
}

/// Does the name say it holds a context: `ctx`, `STARTUP_CTX`, `self._context`?
fn named_like_context(obj: Node<'_>, py: &PyFacts<'_>) -> bool {
    let last = py.text(obj).rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    last.contains("ctx") || last.contains("context")
}

/// `ctx.copy()` of a context `ctx`: a fresh copy, like `copy_context()`, each time it is evaluated.
fn is_context_copy(cx: &FileCx<'_>, obj: Node<'_>) -> bool {
    obj.kind() == "call"
        && obj.child_by_field_name("function").is_some_and(|f| {
            f.kind() == "attribute"
                && f.child_by_field_name("attribute").is_some_and(|a| cx.text(a) == "copy")
                && f.child_by_field_name("object").is_some_and(|o| holds_context(cx, o))
        })
}

/// Is `obj` (of `obj.run`) a context: named like one, or assigned a `copy_context()` somewhere in the file?
fn holds_context(cx: &FileCx<'_>, obj: Node<'_>) -> bool {
    let py = cx.py();
    let name = cx.text(obj);
    named_like_context(obj, py) || py.assigned(cx.root(), name, |_, value| is_copy_context_call(py, value)).is_some()
}

/// `submit(fn, a)` → `submit(contextvars.copy_context().run, fn, a)`; `Thread(target=fn)` →
/// `Thread(target=contextvars.copy_context().run, args=(fn,))`; one fresh copy per call, also in loops. `None` when
/// no edit is safe: the callable is already a context's `run`, the thread has `kwargs=` or an `args=` that is not a
/// tuple literal, a positional callable is not the last argument, or the hand-off has no automatic edit.
fn fix_edits(cx: &FileCx<'_>, call: Node<'_>, callable: Node<'_>, shape: Shape) -> Option<Vec<Edit>> {
    let py = cx.py();
    // `stale_ctx.run`: the right context must be chosen by a person (`job.run` is just a method)
    if callable.kind() == "attribute" && callable.child_by_field_name("attribute").is_some_and(|a| cx.text(a) == "run") {
        let obj = callable.child_by_field_name("object")?;
        if holds_context(cx, obj) {
            return None;
        }
    }
    let (copy, import) = copy_context_for_fix(cx);
    let mut edits = match shape {
        Shape::Prepend => vec![Edit::insert(callable.start_byte(), format!("{copy}().run, "))],
        Shape::ThreadTarget => {
            if py.keyword_arg(call, "kwargs").is_some() {
                return None;
            }
            let fn_text = cx.text(callable);
            let mut edits = vec![Edit::replace(callable.byte_range(), format!("{copy}().run"))];
            match py.keyword_arg(call, "args") {
                None => {
                    // after the callable (positional Timer) or its `target=` keyword argument
                    let after = callable.parent().filter(|p| p.kind() == "keyword_argument").unwrap_or(callable);
                    let is_last = after.next_named_sibling().is_none();
                    if !is_last && callable.parent().is_some_and(|p| p.kind() != "keyword_argument") {
                        return None;
                    }
                    edits.push(Edit::insert(after.end_byte(), format!(", args=({fn_text},)")));
                }
                Some(tuple) if tuple.kind() == "tuple" => {
                    if tuple.named_child_count() == 0 {
                        edits.push(Edit::replace(tuple.byte_range(), format!("({fn_text},)")));
                    } else {
                        edits.push(Edit::insert(tuple.start_byte() + 1, format!("{fn_text}, ")));
                    }
                }
                Some(_) => return None,
            }
            edits
        }
        Shape::Other => return None,
    };
    edits.extend(import);
    Some(edits)
}
