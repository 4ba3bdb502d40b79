//! Python span scopes as far as syntax tells: `with tracer.start_as_current_span(...)` / `with trace.use_span(...)`
//! blocks, functions decorated with `@tracer.start_as_current_span(...)`, and functions that start a span; plus the
//! same-file function lookup the checks use to follow a handler passed by name.
use std::collections::HashSet;

use tree_sitter::Node;

use super::python::PyFacts;
use crate::syntax::{self, ancestors, named_children, Preorder};

/// Calls that make a span current for a `with` block (or as a decorator).
const CURRENT_SPAN: &[&str] = &["start_as_current_span", "use_span"];
/// Vendor APIs whose `with` block makes their span current (in the contextvars a thread hand-off loses and a
/// `yield` leaks): MLflow's fluent tracing, logfire, sentry-sdk, ddtrace.
const VENDOR_CURRENT_SPAN: &[&str] =
    &["mlflow.start_span", "logfire.span", "sentry_sdk.start_span", "sentry_sdk.start_transaction", "ddtrace.tracer.trace"];
/// Decorators that make a generator function a context manager.
const CONTEXT_MANAGER_DECORATORS: &[&str] = &["contextmanager", "asynccontextmanager"];
/// Top-level modules of tracing libraries other than OpenTelemetry, whose tracers are not OpenTelemetry's.
const TRACING_VENDORS: &[&str] =
    &["ddtrace", "sentry_sdk", "mlflow", "logfire", "opentracing", "elasticapm", "newrelic", "beeline", "datadog", "jaeger_client"];
/// Calls that start a span.
const STARTS_SPAN: &[&str] = &["start_as_current_span", "start_span"];

pub fn is_function(node: Node<'_>) -> bool {
    matches!(node.kind(), "function_definition" | "lambda")
}

/// The decorators of a function definition.
pub fn decorators(func: Node<'_>) -> Vec<Node<'_>> {
    match func.parent() {
        Some(p) if p.kind() == "decorated_definition" => named_children(p).filter(|d| d.kind() == "decorator").collect(),
        _ => Vec::new(),
    }
}

/// A `yield` in the function's own body (not in nested functions or lambdas).
pub fn own_yields<'t>(func: Node<'t>) -> Vec<Node<'t>> {
    let Some(body) = func.child_by_field_name("body") else { return Vec::new() };
    syntax::find_all(body, is_function, |n| n.kind() == "yield")
}

/// Is the function `async def`.
pub fn is_async_def(func: Node<'_>) -> bool {
    func.child(0).is_some_and(|c| c.kind() == "async")
}

impl<'s> PyFacts<'s> {
    /// The last name of a call's callee: `tracer.start_as_current_span(...)` → `start_as_current_span`.
    pub fn call_name(&self, call: Node<'_>) -> Option<&'s str> {
        if call.kind() != "call" {
            return None;
        }
        let f = call.child_by_field_name("function")?;
        match f.kind() {
            "identifier" => Some(self.text(f)),
            "attribute" => Some(self.text(f.child_by_field_name("attribute")?)),
            _ => None,
        }
    }

    /// The `with` item call of the nearest `with <span>:` block around `node` in its own function, if any.
    pub fn span_with<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        for a in ancestors(node) {
            if is_function(a) {
                return None;
            }
            if a.kind() == "with_statement" {
                if let Some(call) = self.span_with_item(a) {
                    return Some(call);
                }
            }
        }
        None
    }

    /// The span call among a `with` statement's items: OpenTelemetry's `start_as_current_span`/`use_span`, a helper
    /// named for it (`start_span_as_current_span`), a vendor API that makes its span current (`mlflow.start_span`,
    /// `logfire.span`, `sentry_sdk.start_span`, ddtrace `tracer.trace`), or a project helper that opens such a scope
    /// (a same-file function, or one of another module by the project index; see [`Self::is_span_helper`]).
    /// OpenTelemetry's own item comes first when a `with` has several (`with sentry_sdk.start_transaction(..),
    /// tracer.start_as_current_span(..)`).
    pub fn span_with_item<'t>(&self, with: Node<'t>) -> Option<Node<'t>> {
        let otel = |call: Node<'t>| self.call_name(call).is_some_and(|n| CURRENT_SPAN.contains(&n) || n.ends_with("as_current_span"));
        self.with_item_call(with, otel).or_else(|| self.with_item_call(with, |call| self.other_span_call(call)))
    }

    /// A `with` item call that makes a span current other than OpenTelemetry's own: a vendor API or a project helper.
    fn other_span_call(&self, call: Node<'_>) -> bool {
        self.is_current_span_call(call)
            || call.child_by_field_name("function").is_some_and(|f| match self.local_function(f) {
                Some(def) => self.is_span_helper(def),
                // imported under a name that says so (the trigger words of the rules that need a span scope rely on
                // it: a file without `span` in it is never parsed for them)
                None => {
                    self.text(f).contains("span")
                        && self.project.as_ref().is_some_and(|p| self.project_names(f).iter().any(|q| p.opens_span_scope(q) == Some(true)))
                }
            })
    }

    /// The first call among a `with` statement's items that `accept` takes.
    fn with_item_call<'t>(&self, with: Node<'t>, accept: impl Fn(Node<'t>) -> bool) -> Option<Node<'t>> {
        let clause = named_children(with).find(|c| c.kind() == "with_clause")?;
        named_children(clause).filter(|i| i.kind() == "with_item").find_map(|item| {
            let value = item.child_by_field_name("value")?;
            let call = if value.kind() == "as_pattern" { value.named_child(0)? } else { value };
            (call.kind() == "call" && accept(call)).then_some(call)
        })
    }

    /// A call whose `with` block makes a span current by itself (not a project helper).
    fn is_current_span_call(&self, call: Node<'_>) -> bool {
        self.call_name(call).is_some_and(|n| CURRENT_SPAN.contains(&n) || n.ends_with("as_current_span"))
            || call.child_by_field_name("function").is_some_and(|f| self.resolves_to(f, VENDOR_CURRENT_SPAN))
    }

    /// Does the function open a span scope for its caller's `with` block: a `@contextmanager` that yields inside a
    /// span `with`, or a function that returns such a call (`return tracer.start_as_current_span(name)`).
    pub fn is_span_helper(&self, def: Node<'_>) -> bool {
        let Some(body) = def.child_by_field_name("body") else { return false };
        let is_context_manager =
            decorators(def).iter().any(|d| CONTEXT_MANAGER_DECORATORS.contains(&self.decorator_name(*d).rsplit('.').next().unwrap_or("")));
        if is_context_manager {
            let in_span = |y: Node<'_>| {
                ancestors(y)
                    .take_while(|a| a.id() != def.id())
                    .any(|a| a.kind() == "with_statement" && self.with_item_call(a, |c| self.is_current_span_call(c)).is_some())
            };
            let yields = own_yields(def);
            return !yields.is_empty() && yields.into_iter().all(in_span);
        }
        syntax::find_first(body, is_function, |n| {
            n.kind() == "return_statement" && n.named_child(0).is_some_and(|v| v.kind() == "call" && self.is_current_span_call(v))
        })
        .is_some()
    }

    /// Is `receiver` (of `receiver.start_span(...)`) an OpenTelemetry tracer: a call of `get_tracer(...)`, a binding
    /// constructed from an `opentelemetry` name (`tracer = trace.get_tracer(__name__)`, `tracer: Tracer`), or, in a
    /// file that imports `opentelemetry`, a name that says so (`tracer`, `self._tracer`) and resolves to nothing else
    /// (`from ddtrace import tracer` is not one; neither is `mlflow` or `sentry_sdk`, whose `start_span` make their
    /// span current).
    pub fn is_otel_tracer(&self, receiver: Node<'_>) -> bool {
        let otel = |q: &str| q.starts_with("opentelemetry");
        if receiver.kind() == "call" {
            let Some(f) = receiver.child_by_field_name("function") else { return false };
            return self.call_name(receiver) == Some("get_tracer")
                && match f.kind() {
                    "identifier" => self.resolve(f).is_some_and(|q| otel(&q)),
                    // `trace.get_tracer(..)`, `trace.get_tracer_provider().get_tracer(..)`, `provider.get_tracer(..)`
                    _ => self.resolve(f).is_none_or(|q| otel(&q)) && self.imports_otel(),
                };
        }
        if !matches!(receiver.kind(), "identifier" | "attribute") {
            return false;
        }
        if let Some(q) = self.resolve(receiver) {
            if otel(&q) {
                return true;
            }
            // a tracer of another module of the project (`from app.telemetry import tracer`), as the project index
            // knows it, or named like one; never another vendor's (ddtrace, sentry-sdk, mlflow, logfire, ...)
            if let Some(made) = self.imported_construction(receiver) {
                return otel(&made);
            }
            let top = q.split('.').next().unwrap_or("");
            if TRACING_VENDORS.contains(&top) {
                return false;
            }
        }
        match self.constructed_from(receiver) {
            Some(q) if q.starts_with("local:") => return false,
            Some(q) => return otel(q),
            None => {}
        }
        let text = self.text(receiver);
        let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
        last.contains("tracer") && self.imports_otel()
    }

    /// Does the file import anything of `opentelemetry`.
    pub fn imports_otel(&self) -> bool {
        self.imports.values().any(|q| q.starts_with("opentelemetry"))
    }

    /// The decorator's expression text without `@` and arguments: `@pytest.fixture(scope=..)` → `pytest.fixture`.
    pub fn decorator_name(&self, decorator: Node<'_>) -> &'s str {
        // the expression, not the whole line: a trailing `# type: ignore` is part of the decorator node
        let expr = named_children(decorator).find(|c| c.kind() != "comment").unwrap_or(decorator);
        let expr = if expr.kind() == "call" { expr.child_by_field_name("function").unwrap_or(expr) } else { expr };
        self.text(expr).trim_start_matches('@').trim()
    }

    /// `@tracer.start_as_current_span(...)` on a function.
    pub fn span_decorator<'t>(&self, func: Node<'t>) -> Option<Node<'t>> {
        decorators(func).into_iter().find(|d| self.decorator_name(d.to_owned()).rsplit('.').next() == Some("start_as_current_span"))
    }

    /// A call in the function's own body (not nested functions) that starts a span.
    pub fn own_span_start<'t>(&self, func: Node<'t>) -> Option<Node<'t>> {
        let body = func.child_by_field_name("body")?;
        // remembered per function: every hand-off in a function asks (a walk each time is quadratic in big functions)
        let known = self.span_starts.borrow().get(&func.id()).copied();
        let range = match known {
            Some(range) => range,
            None => {
                let found = syntax::find_first(body, is_function, |n| self.call_name(n).is_some_and(|c| STARTS_SPAN.contains(&c)));
                let range = found.map(|n| (n.start_byte(), n.end_byte()));
                self.span_starts.borrow_mut().insert(func.id(), range);
                range
            }
        }?;
        let mut node = body.descendant_for_byte_range(range.0, range.1)?;
        while node.kind() != "call" || node.byte_range() != (range.0..range.1) {
            node = node.parent()?;
        }
        Some(node)
    }

    /// Why `node` runs in a span scope: the enclosing span `with` item, the function's span decorator, or a span the
    /// enclosing function starts itself.
    pub fn span_scope<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        if let Some(call) = self.span_with(node) {
            return Some(call);
        }
        let func = ancestors(node).find(|a| a.kind() == "function_definition")?;
        self.span_decorator(func).or_else(|| self.own_span_start(func))
    }

    /// The same-file function a callee or callback names: `handle`, `self.handle`, `cls.handle` (first definition wins).
    pub fn local_function(&self, callee: Node<'_>) -> Option<Node<'s>> {
        let name = match callee.kind() {
            "identifier" => self.text(callee),
            "attribute" => {
                let object = self.text(callee.child_by_field_name("object")?);
                if !matches!(object, "self" | "cls") {
                    return None;
                }
                self.text(callee.child_by_field_name("attribute")?)
            }
            _ => return None,
        };
        self.function_named(name)
    }

    /// The first function definition of the file named `name` (an index built on first use: this is asked once per
    /// hand-off and call followed, so a walk of the whole file each time would make big files quadratic).
    pub fn function_named(&self, name: &str) -> Option<Node<'s>> {
        let index = self.function_index.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            for n in Preorder::new(self.root).filter(|n| n.kind() == "function_definition") {
                if let Some(f) = n.child_by_field_name("name") {
                    index.entry(self.text(f)).or_insert(n);
                }
            }
            index
        });
        index.get(name).copied()
    }

    /// The first call in `node` (nested callbacks included) or in same-file functions it calls (two levels deep) that
    /// starts a span or reads the current span/context implicitly: without `context=`.
    pub fn implicit_span_start(&self, node: Node<'s>) -> Option<Node<'s>> {
        let mut seen = HashSet::new();
        self.find_implicit(node, 0, &mut seen)
    }

    fn find_implicit(&self, node: Node<'s>, depth: usize, seen: &mut HashSet<usize>) -> Option<Node<'s>> {
        if !seen.insert(node.id()) {
            return None;
        }
        let mut callees = Vec::new();
        let mut walk = Preorder::new(node);
        while let Some(n) = walk.next() {
            // `with tracer.start_as_current_span(name, context=ctx):` parents everything inside it explicitly
            if n.kind() == "with_statement" && self.span_with_item(n).is_some_and(|c| self.keyword_arg(c, "context").is_some()) {
                walk.skip_children();
                continue;
            }
            let Some(name) = self.call_name(n) else { continue };
            let explicit = || self.keyword_arg(n, "context").is_some();
            match name {
                "start_as_current_span" | "start_span" if !explicit() => return Some(n),
                "get_current_span" if crate::analysis::python::positional_arg(n, 0).is_none() => return Some(n),
                _ => {
                    if depth < 2 {
                        if let Some(f) = n.child_by_field_name("function") {
                            callees.push(f);
                        }
                    }
                }
            }
        }
        callees.into_iter().find_map(|c| self.local_function(c).and_then(|f| self.find_implicit(f, depth + 1, seen)))
    }

    /// Does `node` (nested code included) or a same-file function it calls (two levels deep) call one of `names`.
    pub fn calls_any(&self, node: Node<'_>, names: &[&str]) -> bool {
        let mut seen = HashSet::new();
        self.calls_in(node, names, 0, &mut seen)
    }

    fn calls_in(&self, node: Node<'_>, names: &[&str], depth: usize, seen: &mut HashSet<usize>) -> bool {
        if !seen.insert(node.id()) {
            return false;
        }
        let mut callees = Vec::new();
        for n in Preorder::new(node) {
            let Some(name) = self.call_name(n) else { continue };
            if names.contains(&name) {
                return true;
            }
            if depth < 2 {
                if let Some(f) = n.child_by_field_name("function") {
                    callees.push(f);
                }
            }
        }
        callees.into_iter().any(|c| self.local_function(c).is_some_and(|f| self.calls_in(f, names, depth + 1, seen)))
    }
}
