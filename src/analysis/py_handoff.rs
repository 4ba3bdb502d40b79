//! Python hand-off evidence (rule spec v2, "evidence on both sides of the hand-off"): does code have a context to
//! hand off (a lexical span scope, a request or message handler, or a function the file calls from one), does a
//! hand-off start a long-lived background worker, and does a handed-off callable do work that uses the context
//! (starts spans, reads the context, or calls an auto-instrumented client).
use std::collections::HashSet;

use tree_sitter::Node;

use super::py_spans::{decorators, is_function};
use super::python::{enclosing_function, PyFacts};
use crate::syntax::{ancestors, named_children, Preorder};

/// How far the same-file call graph is followed: callers of a function (for its context) and callees of a body
/// (for its work).
const DEPTH: usize = 3;

/// Decorators (their last name) that make a function a request, message or task handler when they have a receiver
/// (`@app.get`, `@router.post`, `@bp.route`, `@celery.task`) or stand alone (`@shared_task`, `@api_view`).
const HANDLER_DECORATORS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "websocket",
    "api_route",
    "task",
    "shared_task",
    "api_view",
    "action",
    "view_config",
    "consumer",
    "subscriber",
    "handler",
];
/// Method names of class-based views (Django, DRF, Flask MethodView, tornado, aiohttp).
const VIEW_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "list", "create", "retrieve", "update"];
/// Base-class name endings of class-based views and gRPC servicers.
const VIEW_BASES: &[&str] = &["View", "ViewSet", "APIView", "RequestHandler", "Resource", "Servicer", "Consumer", "Handler"];
/// Functions in which a worker started is a long-lived background worker: constructors, lifecycle and startup.
const LIFECYCLE: &[&str] = &[
    "__init__",
    "__enter__",
    "__aenter__",
    "start",
    "run",
    "main",
    "serve",
    "serve_forever",
    "setup",
    "setUp",
    "startup",
    "lifespan",
    "activate",
];
const LIFECYCLE_PREFIXES: &[&str] = &["start_", "_start", "ensure_", "_ensure", "launch", "_launch", "setup_", "_setup", "init_", "_init"];
/// Calls (their last name) that start a span or read the context.
const CONTEXT_CALLS: &[&str] = &[
    "start_as_current_span",
    "start_span",
    "use_span",
    "get_current_span",
    "get_current",
    "attach",
    "get_baggage",
    "set_baggage",
    "get_all",
    "inject",
];
/// Decorators (their last name) that start a span around the function.
const SPAN_DECORATORS: &[&str] = &["start_as_current_span", "observe", "traceable", "trace", "workflow", "agent", "tool"];
/// Modules whose calls are auto-instrumented clients (HTTP).
const CLIENT_MODULES: &[&str] = &["requests", "httpx", "urllib3", "aiohttp", "urllib.request", "boto3", "botocore"];
/// Method names of auto-instrumented clients: database drivers, message producers, cloud and LLM SDKs.
const CLIENT_METHODS: &[&str] = &[
    "execute",
    "executemany",
    "publish",
    "basic_publish",
    "produce",
    "send_message",
    "invoke_model",
    "converse",
    "converse_stream",
    "urlopen",
    "request",
    "put_object",
    "get_object",
    "upload_file",
    "download_file",
];
/// HTTP-verb methods, a client call when the receiver's name says it is one (`session.get`, `self._client.post`).
const HTTP_VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "request", "stream", "send"];
const CLIENT_WORDS: &[&str] = &["session", "client", "requests", "httpx", "http", "producer"];
/// `.create(...)` of LLM SDKs (`client.chat.completions.create`, `client.messages.create`).
const LLM_RECEIVERS: &[&str] = &["completions", "messages", "embeddings", "responses", "chat"];

/// The SDK activations a file makes, found once per file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Activations {
    /// `ThreadingInstrumentor().instrument()`.
    pub threading: bool,
    /// `sentry_sdk.init(...)` or its `StdlibIntegration`.
    pub sentry: bool,
}

impl<'s> PyFacts<'s> {
    /// Why code at `node` has a context to hand off: the span `with`/decorator around it, or the handler (or the
    /// function a handler calls) it runs in. `None`: the file shows none.
    pub fn context_at(&self, node: Node<'s>) -> Option<Node<'s>> {
        if let Some(scope) = self.span_scope(node) {
            return Some(scope);
        }
        let func = enclosing_function(node)?;
        if let Some(known) = self.function_contexts.borrow().get(&func.id()) {
            return *known;
        }
        let found = self.function_context(func, 0, &mut HashSet::new());
        self.function_contexts.borrow_mut().insert(func.id(), found);
        found
    }

    /// A handler, or a span scope or handler that calls `func` (same file, [`DEPTH`] callers up).
    fn function_context(&self, func: Node<'s>, depth: usize, seen: &mut HashSet<usize>) -> Option<Node<'s>> {
        if !seen.insert(func.id()) {
            return None;
        }
        if self.is_handler(func) {
            return Some(func);
        }
        if depth >= DEPTH {
            return None;
        }
        let name = self.text(func.child_by_field_name("name")?);
        for &call in self.calls_named(name) {
            let Some(callee) = call.child_by_field_name("function") else { continue };
            if self.local_function(callee).map(|f| f.id()) != Some(func.id()) {
                continue;
            }
            if let Some(scope) = self.span_scope(call) {
                return Some(scope);
            }
            if let Some(found) = enclosing_function(call).and_then(|caller| self.function_context(caller, depth + 1, seen)) {
                return Some(found);
            }
        }
        None
    }

    /// The calls of the file whose callee's last name is `name` (`f(..)`, `x.f(..)`), from an index built on first
    /// use: the caller search asks once per function, and a walk of the whole file each time made big files slow.
    fn calls_named(&self, name: &str) -> &[Node<'s>] {
        let index = self.call_index.get_or_init(|| {
            let mut index: std::collections::HashMap<&'s str, Vec<Node<'s>>> = std::collections::HashMap::new();
            for call in Preorder::new(self.root).filter(|n| n.kind() == "call") {
                let Some(callee) = call.child_by_field_name("function") else { continue };
                let last = match callee.kind() {
                    "identifier" => self.text(callee),
                    "attribute" => callee.child_by_field_name("attribute").map_or("", |a| self.text(a)),
                    _ => continue,
                };
                index.entry(last).or_default().push(call);
            }
            index
        });
        index.get(name).map_or(&[], Vec::as_slice)
    }

    /// Is `func` a request, message or task handler: a route/task decorator, a view or servicer method, or a function
    /// that takes the request (`request`, `req`, or a parameter annotated `Request`/`HttpRequest`).
    pub fn is_handler(&self, func: Node<'s>) -> bool {
        let decorated = decorators(func).into_iter().any(|d| {
            let name = self.decorator_name(d);
            let last = name.rsplit('.').next().unwrap_or(name);
            HANDLER_DECORATORS.contains(&last) && (name.contains('.') || matches!(last, "shared_task" | "api_view" | "task"))
        });
        if decorated {
            return true;
        }
        let name = func.child_by_field_name("name").map_or("", |n| self.text(n));
        if let Some(class) =
            ancestors(func).find(|a| a.kind() == "class_definition" || is_function(*a)).filter(|a| a.kind() == "class_definition")
        {
            let bases = class.child_by_field_name("superclasses").map_or("", |s| self.text(s));
            let view_base =
                bases.split(|c: char| !c.is_alphanumeric() && c != '_').any(|b| VIEW_BASES.iter().any(|v| b.ends_with(v)) && !b.is_empty());
            if view_base && (VIEW_METHODS.contains(&name) || bases.contains("Servicer") || bases.contains("Consumer")) {
                return true;
            }
        }
        let Some(params) = func.child_by_field_name("parameters") else { return false };
        named_children(params).any(|p| {
            let pname = p.child_by_field_name("name").or_else(|| p.named_child(0)).map_or("", |n| self.text(n));
            let annotated = p.child_by_field_name("type").map_or("", |t| self.text(t));
            let bare = if p.kind() == "identifier" { self.text(p) } else { pname };
            matches!(bare, "request" | "req") || annotated.ends_with("Request")
        })
    }

    /// Is `func` test code (pytest/unittest): a test, a method of a test class, or any function of a module that
    /// imports `pytest` or `unittest` — its callers are the test runner, not a traced request.
    pub fn is_test_function(&self, func: Node<'s>) -> bool {
        let name = func.child_by_field_name("name").map_or("", |n| self.text(n));
        let test_module =
            self.imports.values().any(|q| q == "pytest" || q == "unittest" || q.starts_with("pytest.") || q.starts_with("unittest."));
        if name.starts_with("test") || test_module {
            return true;
        }
        ancestors(func).filter(|a| a.kind() == "class_definition").any(|c| {
            let class = c.child_by_field_name("name").map_or("", |n| self.text(n));
            let bases = c.child_by_field_name("superclasses").map_or("", |s| self.text(s));
            class.starts_with("Test") || bases.contains("TestCase")
        })
    }

    /// Does the hand-off `call` (a `Thread`, `Timer`, pool or task creation) start a long-lived background worker:
    /// a `daemon=True` thread, one made a daemon in the same function, or a worker started in a constructor,
    /// lifecycle method or startup hook.
    pub fn starts_background_worker(&self, call: Node<'s>) -> bool {
        if self.keyword_arg(call, "daemon").is_some_and(|d| self.text(d) == "True") {
            return true;
        }
        let Some(func) = enclosing_function(call) else { return true };
        let name = func.child_by_field_name("name").map_or("", |n| self.text(n));
        if LIFECYCLE.contains(&name) || LIFECYCLE_PREFIXES.iter().any(|p| name.starts_with(p)) {
            return true;
        }
        let startup_hook = decorators(func).into_iter().any(|d| {
            let text = self.text(d);
            text.contains("on_event") && text.contains("startup") || self.decorator_name(d).ends_with("on_startup")
        });
        if startup_hook {
            return true;
        }
        // `t = Thread(...)` then `t.daemon = True` / `t.setDaemon(True)` in the same function
        let bound = call
            .parent()
            .filter(|p| p.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("left"))
            .map(|l| self.text(l).to_string());
        bound.is_some_and(|name| {
            Preorder::new(func).any(|n| {
                let t = self.text(n);
                (n.kind() == "assignment" && t.starts_with(&format!("{name}.daemon")) && t.trim_end().ends_with("True"))
                    || (n.kind() == "call" && t.starts_with(&format!("{name}.setDaemon(True")))
            })
        })
    }

    /// The body a handed-off callable runs, when the file shows it: a same-file function or method, a lambda, the
    /// function of a `functools.partial`. `None`: not resolvable here (imported, another object's method, or a
    /// lambda that only calls such code: `lambda: asyncio.run(main())` with `main` imported).
    pub fn callable_body(&self, callable: Node<'s>) -> Option<Node<'s>> {
        match callable.kind() {
            "lambda" => {
                let calls_elsewhere = Preorder::new(callable).filter(|n| n.kind() == "call").any(|n| {
                    n.child_by_field_name("function")
                        .is_some_and(|f| self.local_function(f).is_none() && !self.is_context_or_client_call(n))
                });
                (self.traced_work(callable).is_some() || !calls_elsewhere).then_some(callable)
            }
            "identifier" | "attribute" => self.local_function(callable),
            "call" => {
                let f = callable.child_by_field_name("function")?;
                let partial = self.resolves_to(f, &["functools.partial"]) || matches!(self.text(f), "partial" | "functools.partial");
                let first = callable.child_by_field_name("arguments").and_then(|a| named_children(a).next())?;
                if partial {
                    self.callable_body(first)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// The first call in `body` (nested code included) or in same-file functions it calls ([`DEPTH`] levels) that
    /// uses the context: starts a span, reads the context or baggage, or calls an auto-instrumented client; a
    /// same-file function decorated to start a span counts as its own call. What the file shows, only.
    pub fn traced_work(&self, body: Node<'s>) -> Option<Node<'s>> {
        self.traced_work_in(body, false, 0, &mut HashSet::new())
    }

    /// [`Self::traced_work`], or else a call of a function of another module of the project that does traced work
    /// (by the project index).
    pub fn traced_work_in_project(&self, body: Node<'s>) -> Option<Node<'s>> {
        self.traced_work_in(body, self.project.is_some(), 0, &mut HashSet::new())
    }

    fn traced_work_in(&self, body: Node<'s>, project: bool, depth: usize, seen: &mut HashSet<usize>) -> Option<Node<'s>> {
        if !seen.insert(body.id()) {
            return None;
        }
        if body.kind() == "function_definition" && self.has_span_decorator(body) {
            return Some(body);
        }
        let mut callees = Vec::new();
        for n in Preorder::new(body).filter(|n| n.kind() == "call") {
            if self.is_context_or_client_call(n) {
                return Some(n);
            }
            if depth < DEPTH {
                if let Some(f) = n.child_by_field_name("function") {
                    callees.push(f);
                }
                // a function passed on (`ctx.run(fn, ...)`, `asyncio.run(coro())`) runs too
                for arg in n.child_by_field_name("arguments").map(named_children).into_iter().flatten() {
                    match arg.kind() {
                        "identifier" | "attribute" => callees.push(arg),
                        "call" => callees.extend(arg.child_by_field_name("function")),
                        _ => {}
                    }
                }
            }
        }
        callees.into_iter().find_map(|c| match self.local_function(c) {
            Some(f) => self.traced_work_in(f, project, depth + 1, seen),
            // a function of another module of the project, as the project index knows it
            None => (project && self.imported_work(c) == Some(true)).then_some(c),
        })
    }

    /// Does the imported name `callee` (`fetch`, `helpers.fetch`) resolve to a function of another module of the
    /// project that does traced work (by the project index)? `None`: not project code, or no index.
    pub fn imported_work(&self, callee: Node<'_>) -> Option<bool> {
        let project = self.project.as_ref()?;
        self.project_names(callee).iter().find_map(|q| project.traced_work(q))
    }

    /// What the imported global `expr` names (`io_pool` from `from app.pools import io_pool`) was constructed from in
    /// its own module, by the project index.
    pub fn imported_construction(&self, expr: Node<'_>) -> Option<String> {
        let project = self.project.as_ref()?;
        self.project_names(expr).iter().find_map(|q| project.constructed_from(q))
    }

    fn has_span_decorator(&self, func: Node<'s>) -> bool {
        decorators(func).into_iter().any(|d| {
            let name = self.decorator_name(d);
            SPAN_DECORATORS.contains(&name.rsplit('.').next().unwrap_or(name))
        })
    }

    /// A call that starts a span, reads the context, or goes through an auto-instrumented client.
    fn is_context_or_client_call(&self, call: Node<'s>) -> bool {
        let Some(name) = self.call_name(call) else { return false };
        if CONTEXT_CALLS.contains(&name) {
            return true;
        }
        let Some(f) = call.child_by_field_name("function") else { return false };
        if f.kind() != "attribute" {
            return false;
        }
        if let Some(q) = self.resolve(f) {
            if CLIENT_MODULES.iter().any(|m| q == *m || q.starts_with(&format!("{m}."))) {
                return true;
            }
        }
        let receiver = f.child_by_field_name("object").map_or(String::new(), |o| self.text(o).to_ascii_lowercase());
        let last_receiver = receiver.rsplit('.').next().unwrap_or("").trim_start_matches('_');
        CLIENT_METHODS.contains(&name)
            || (HTTP_VERBS.contains(&name)
                && CLIENT_WORDS.iter().any(|w| last_receiver.contains(w))
                && !self.is_orm_session_call(call, name, last_receiver))
            || (name == "create" && LLM_RECEIVERS.contains(&last_receiver))
    }

    /// `session.get(Model, id)` / `session.delete(row)` on a receiver named only "session": an ORM session's
    /// methods of the same names, unless the first argument looks like a URL (a string, or a name saying url, uri,
    /// endpoint or path) or a `url=` is passed, as for `requests.Session` or aiohttp's `ClientSession`.
    fn is_orm_session_call(&self, call: Node<'s>, name: &str, receiver: &str) -> bool {
        if !matches!(name, "get" | "delete") || CLIENT_WORDS.iter().any(|w| *w != "session" && receiver.contains(w)) {
            return false;
        }
        let Some(args) = call.child_by_field_name("arguments") else { return false };
        let mut named = named_children(args);
        let Some(first) = named.next() else { return true };
        let url_like = |n: Node<'s>| match n.kind() {
            "string" | "concatenated_string" | "binary_operator" => true,
            "identifier" | "attribute" | "subscript" | "call" => {
                let text = self.text(n).to_ascii_lowercase();
                ["url", "uri", "endpoint", "path", "href"].iter().any(|w| text.contains(w))
            }
            _ => false,
        };
        let url_keyword = named_children(args)
            .any(|a| a.kind() == "keyword_argument" && a.child_by_field_name("name").is_some_and(|k| self.text(k) == "url"));
        !(url_like(first) || url_keyword)
    }

    /// Does the file activate the threading instrumentation (`ThreadingInstrumentor().instrument()`), which makes
    /// `Thread`, `Timer` and `ThreadPoolExecutor.submit` carry the caller's context (answered once per file).
    pub fn activates_thread_instrumentation(&self) -> bool {
        self.activations.get_or_init(|| self.find_activations()).threading
    }

    /// Does the file initialise sentry-sdk (`sentry_sdk.init(...)`, or its `StdlibIntegration` named), whose default
    /// `StdlibIntegration` adds the trace headers to every child process's environment (answered once per file).
    pub fn activates_sentry_subprocess_headers(&self) -> bool {
        self.activations.get_or_init(|| self.find_activations()).sentry
    }

    fn find_activations(&self) -> Activations {
        let threading = self.source.contains("ThreadingInstrumentor")
            && Preorder::new(self.root)
                .any(|n| n.kind() == "call" && self.call_name(n) == Some("instrument") && self.text(n).contains("ThreadingInstrumentor"));
        let sentry = self.source.contains("StdlibIntegration")
            || (self.source.contains("sentry_sdk")
                && Preorder::new(self.root).any(|n| n.kind() == "call" && self.text(n).starts_with("sentry_sdk.init(")));
        Activations { threading, sentry }
    }
}
