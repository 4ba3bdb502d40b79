//! JavaScript/TypeScript facts: how the file names the OpenTelemetry API, which functions are `async`, which
//! AsyncLocalStorage instances it makes, and which functions run in a span scope (span callbacks, `context.with`,
//! `als.run`, and the request handlers of express, fastify, koa, NestJS and `http.createServer`), including
//! callbacks passed by name.
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::syntax::{self, ancestors, named_children, unparen, Preorder};

/// How a function came to be a span scope, with the node to point a label at.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'t> {
    pub kind: ScopeKind,
    pub node: Node<'t>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// The callback of `tracer.startActiveSpan(...)`.
    ActiveSpan,
    /// The callback of `context.with(...)`.
    ContextWith,
    /// The callback of `als.run(...)`.
    AlsRun,
    /// A request handler that HTTP auto-instrumentation runs inside a server span.
    Handler,
    /// A function that starts a span itself.
    StartsSpan,
}

impl ScopeKind {
    pub fn describe(self) -> &'static str {
        match self {
            ScopeKind::ActiveSpan => "the span is active in this callback",
            ScopeKind::ContextWith => "the context is active in this callback",
            ScopeKind::AlsRun => "the store is active in this callback",
            ScopeKind::Handler => "request handler: runs inside the server span",
            ScopeKind::StartsSpan => "this function starts a span",
        }
    }
}

const FUNCTION_KINDS: &[&str] = &[
    "arrow_function",
    "function_expression",
    "function",
    "function_declaration",
    "generator_function",
    "generator_function_declaration",
    "method_definition",
];

const ROUTE_METHODS: &[&str] = &["get", "post", "put", "delete", "del", "patch", "all", "head", "options", "use", "route"];
const NEST_DECORATORS: &[&str] = &["Get", "Post", "Put", "Delete", "Patch", "All", "Head", "Options", "MessagePattern", "EventPattern"];
const OTEL_API: &[&str] = &["@opentelemetry/api"];
const PROMISE_MODULES: &[&str] = &[
    "fs/promises",
    "node:fs/promises",
    "timers/promises",
    "node:timers/promises",
    "dns/promises",
    "node:dns/promises",
    "stream/promises",
    "node:stream/promises",
];

pub fn is_function(node: Node<'_>) -> bool {
    FUNCTION_KINDS.contains(&node.kind())
}

/// True for the function and every kind that opens its own `this`/async body.
pub fn is_async(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .take_while(|c| c.kind() != "formal_parameters" && c.kind() != "statement_block")
        .any(|c| c.kind() == "async");
    found
}

/// The nearest enclosing function of a node.
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    ancestors(node).find(|n| is_function(*n))
}

/// The name a function is known by: its declared name, the variable or property it is assigned to, or its method name.
pub fn function_name<'s>(func: Node<'_>, source: &'s str) -> Option<&'s str> {
    if let Some(name) = func.child_by_field_name("name") {
        return Some(syntax::text(name, source));
    }
    let parent = func.parent()?;
    match parent.kind() {
        "variable_declarator" => parent.child_by_field_name("name").filter(|n| n.kind() == "identifier").map(|n| syntax::text(n, source)),
        "pair" => parent.child_by_field_name("key").map(|n| syntax::text(n, source)),
        "public_field_definition" | "field_definition" => {
            parent.child_by_field_name("name").or_else(|| parent.child_by_field_name("property")).map(|n| syntax::text(n, source))
        }
        _ => None,
    }
}

/// The string value of a string literal node (without quotes).
pub fn string_value<'s>(node: Node<'_>, source: &'s str) -> Option<&'s str> {
    match node.kind() {
        "string" => {
            let t = syntax::text(node, source);
            Some(t.get(1..t.len().saturating_sub(1)).unwrap_or(""))
        }
        "template_string" => {
            let t = syntax::text(node, source);
            Some(t.get(1..t.len().saturating_sub(1)).unwrap_or(""))
        }
        _ => None,
    }
}

/// The callee's property name for `a.b(...)`, or its identifier for `b(...)`.
pub fn callee_name<'s>(call: Node<'_>, source: &'s str) -> Option<&'s str> {
    let f = unparen(call.child_by_field_name("function")?);
    match f.kind() {
        "identifier" => Some(syntax::text(f, source)),
        "member_expression" => f.child_by_field_name("property").map(|p| syntax::text(p, source)),
        _ => None,
    }
}

/// The receiver of `a.b(...)`.
pub fn callee_object(call: Node<'_>) -> Option<Node<'_>> {
    let f = unparen(call.child_by_field_name("function")?);
    (f.kind() == "member_expression").then(|| f.child_by_field_name("object")).flatten()
}

pub fn arguments<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    call.child_by_field_name("arguments").map(|a| named_children(a).filter(|n| n.kind() != "comment").collect()).unwrap_or_default()
}

/// Facts about one JS/TS file.
pub struct JsFacts {
    /// Local names of the OpenTelemetry `context` API (`context`, or an alias).
    pub context_names: HashSet<String>,
    /// Local names of the whole `@opentelemetry/api` module (`api` in `api.context`).
    pub api_names: HashSet<String>,
    /// Whether the file imports `@opentelemetry/api` with ES `import { ... }` or a top-level `const { ... } =
    /// require(...)`: (byte offset after the last named specifier), for adding `context` to it.
    pub api_named_import_end: Option<usize>,
    /// Names of `async` functions declared in the file → their byte range (for labels).
    pub async_functions: HashMap<String, std::ops::Range<usize>>,
    /// Names of `async` class methods → their byte range.
    pub async_methods: HashMap<String, std::ops::Range<usize>>,
    /// Named functions (declarations, `const f = () => ...`, methods) → their byte range.
    pub functions: HashMap<String, std::ops::Range<usize>>,
    /// Texts of AsyncLocalStorage instances (`als`, `this.storage`).
    pub als_names: HashSet<String>,
    /// Local names of promise-API modules (`fsp` in `import fsp from 'fs/promises'`).
    pub promise_namespaces: HashSet<String>,
    /// Functions imported from promise-API modules (`readFile`, or `sleep` for `setTimeout as sleep`).
    pub promise_functions: HashSet<String>,
    /// Functions (by node id) passed directly to a scope opener.
    scope_callbacks: HashMap<usize, (ScopeKind, usize, usize)>,
    /// Function names passed by name to a scope opener.
    scope_callback_names: HashMap<String, (ScopeKind, usize, usize)>,
    /// Memo: does a function (by node id) start a span itself.
    starts_span: RefCell<HashMap<usize, bool>>,
    /// Every module the file imports or requires (`node:` prefix removed).
    pub modules: HashSet<String>,
    /// Local names of imported members → (module, exported name): `Worker` → (`bullmq`, `Worker`). Default and
    /// namespace imports map to the exported names `default` and `*`.
    pub imported: HashMap<String, (String, String)>,
    /// Bindings assigned a `new` expression → the constructor's last name: `worker` / `this.queue` / `queue` (for a
    /// class field) → `Worker` / `Queue`.
    pub constructed: HashMap<String, String>,
    /// Whether the file is an ES module (uses `import`/`export`).
    pub is_esm: bool,
    /// Whether the file uses CommonJS `require`.
    pub uses_require: bool,
    /// End of the last top-level import statement or top-level `require` declaration.
    pub last_import_end: Option<usize>,
    /// Where a new import can go when there is none: after a shebang / 'use strict' prologue.
    pub prologue_end: usize,
}

impl JsFacts {
    pub fn collect(root: Node<'_>, source: &str) -> JsFacts {
        let mut f = JsFacts {
            context_names: HashSet::new(),
            api_names: HashSet::new(),
            api_named_import_end: None,
            async_functions: HashMap::new(),
            async_methods: HashMap::new(),
            functions: HashMap::new(),
            als_names: HashSet::new(),
            promise_namespaces: HashSet::new(),
            promise_functions: HashSet::new(),
            scope_callbacks: HashMap::new(),
            scope_callback_names: HashMap::new(),
            starts_span: RefCell::new(HashMap::new()),
            modules: HashSet::new(),
            imported: HashMap::new(),
            constructed: HashMap::new(),
            is_esm: false,
            uses_require: false,
            last_import_end: None,
            prologue_end: 0,
        };
        let mut calls = Vec::new();
        let walk = Preorder::new(root);
        for node in walk {
            match node.kind() {
                "import_statement" => f.import_statement(node, source),
                "export_statement" => f.is_esm = true,
                "variable_declarator" => f.variable_declarator(node, source),
                "assignment_expression" => f.assignment(node, source),
                "public_field_definition" | "field_definition" => f.field(node, source),
                "function_declaration"
                | "generator_function_declaration"
                | "method_definition"
                | "arrow_function"
                | "function_expression"
                | "function" => {
                    if let Some(name) = function_name(node, source) {
                        f.functions.entry(name.to_string()).or_insert_with(|| node.byte_range());
                        if is_async(node) {
                            let map = if node.kind() == "method_definition" || node.parent().is_some_and(|p| p.kind().contains("field")) {
                                &mut f.async_methods
                            } else {
                                &mut f.async_functions
                            };
                            map.entry(name.to_string()).or_insert_with(|| node.byte_range());
                        }
                    }
                }
                "call_expression" => calls.push(node),
                _ => {}
            }
        }
        f.prologue_end = prologue_end(root);
        for call in calls {
            f.scope_opener(call, source);
        }
        f
    }

    fn import_statement(&mut self, node: Node<'_>, source: &str) {
        self.is_esm = true;
        if node.parent().is_some_and(|p| p.kind() == "program") {
            self.last_import_end = Some(self.last_import_end.unwrap_or(0).max(node.end_byte()));
        }
        let Some(module) = node.child_by_field_name("source").and_then(|s| string_value(s, source)) else { return };
        self.note_module(module);
        let Some(clause) = named_children(node).find(|c| c.kind() == "import_clause") else { return };
        for part in named_children(clause) {
            match part.kind() {
                // import api from '...'
                "identifier" => self.bind_module(module, syntax::text(part, source)),
                // import * as api from '...'
                "namespace_import" => {
                    if let Some(id) = named_children(part).find(|c| c.kind() == "identifier") {
                        self.bind_module(module, syntax::text(id, source));
                    }
                }
                // import { context as ctx } from '...'
                "named_imports" => {
                    let mut last_end = None;
                    for spec in named_children(part).filter(|s| s.kind() == "import_specifier") {
                        let name = spec.child_by_field_name("name").map(|n| syntax::text(n, source)).unwrap_or("");
                        let local = spec.child_by_field_name("alias").map(|n| syntax::text(n, source)).unwrap_or(name);
                        self.bind_member(module, name, local);
                        last_end = Some(spec.end_byte());
                    }
                    if OTEL_API.contains(&module) && self.api_named_import_end.is_none() {
                        self.api_named_import_end = last_end;
                    }
                }
                _ => {}
            }
        }
    }

    fn bind_module(&mut self, module: &str, local: &str) {
        self.record(module, "*", local);
        if OTEL_API.contains(&module) {
            self.api_names.insert(local.to_string());
        } else if PROMISE_MODULES.contains(&module) {
            self.promise_namespaces.insert(local.to_string());
        }
    }

    fn bind_member(&mut self, module: &str, name: &str, local: &str) {
        self.record(module, name, local);
        if OTEL_API.contains(&module) && name == "context" {
            self.context_names.insert(local.to_string());
        } else if PROMISE_MODULES.contains(&module) {
            self.promise_functions.insert(local.to_string());
        } else if (module == "fs" || module == "node:fs") && name == "promises" {
            self.promise_namespaces.insert(local.to_string());
        }
    }

    /// Records a module the file imports or requires (also for side-effect-only imports).
    fn note_module(&mut self, module: &str) -> String {
        let module = module.strip_prefix("node:").unwrap_or(module).to_string();
        self.modules.insert(module.clone());
        module
    }

    fn record(&mut self, module: &str, name: &str, local: &str) {
        let module = self.note_module(module);
        self.imported.insert(local.to_string(), (module, name.to_string()));
    }

    fn record_new(&mut self, target: &str, value: Node<'_>, source: &str) {
        if value.kind() != "new_expression" {
            return;
        }
        if let Some(c) = value.child_by_field_name("constructor") {
            let c = syntax::text(c, source);
            let class = c.rsplit('.').next().unwrap_or(c);
            self.constructed.insert(target.to_string(), class.to_string());
        }
    }

    /// Was the binding `target` (`worker`, `this.queue`; `queue` also finds `this.queue`) assigned `new <one of classes>`.
    pub fn constructed_as(&self, target: &str, classes: &[&str]) -> bool {
        let found = |t: &str| self.constructed.get(t).is_some_and(|c| classes.contains(&c.as_str()));
        found(target) || target.strip_prefix("this.").is_some_and(found) || found(&format!("this.{target}"))
    }

    /// Does the file import or require any of `modules`.
    pub fn imports_any(&self, modules: &[&str]) -> bool {
        modules.iter().any(|m| self.modules.contains(*m))
    }

    /// The module a local name was imported from, when it was imported as `name` (or is that module's namespace).
    pub fn import_of(&self, local: &str) -> Option<(&str, &str)> {
        self.imported.get(local).map(|(m, n)| (m.as_str(), n.as_str()))
    }

    /// `require('m')`, `require('m').x` → (module, member).
    fn required<'s>(value: Node<'_>, source: &'s str) -> Option<(&'s str, Option<&'s str>)> {
        let value = unparen(value);
        match value.kind() {
            "call_expression" => {
                let f = value.child_by_field_name("function")?;
                if syntax::text(f, source) != "require" {
                    return None;
                }
                let arg = arguments(value).into_iter().next()?;
                Some((string_value(arg, source)?, None))
            }
            "member_expression" => {
                let (module, member) = Self::required(value.child_by_field_name("object")?, source)?;
                if member.is_some() {
                    return None;
                }
                Some((module, Some(syntax::text(value.child_by_field_name("property")?, source))))
            }
            _ => None,
        }
    }

    fn variable_declarator(&mut self, node: Node<'_>, source: &str) {
        let (Some(name), Some(value)) = (node.child_by_field_name("name"), node.child_by_field_name("value")) else { return };
        let value = unparen(value);
        if let Some((module, member)) = Self::required(value, source) {
            self.uses_require = true;
            self.note_module(module);
            let top_level = node.parent().and_then(|d| d.parent()).is_some_and(|p| p.kind() == "program");
            if top_level {
                let decl_end = node.parent().map_or(node.end_byte(), |d| d.end_byte());
                self.last_import_end = Some(self.last_import_end.unwrap_or(0).max(decl_end));
            }
            match (name.kind(), member) {
                ("identifier", None) => self.bind_module(module, syntax::text(name, source)),
                ("identifier", Some(m)) => self.bind_member(module, m, syntax::text(name, source)),
                ("object_pattern", None) => {
                    // const { trace } = require('@opentelemetry/api'): a fix adds `, context` after the last name
                    // (not after a `...rest`, which must stay last; not in a function, where it would bind locally)
                    let last = named_children(name).filter(|p| p.kind() != "comment").last();
                    if top_level && OTEL_API.contains(&module) && self.api_named_import_end.is_none() {
                        self.api_named_import_end = last.filter(|p| p.kind() != "rest_pattern").map(|p| p.end_byte());
                    }
                    for prop in named_children(name) {
                        match prop.kind() {
                            "shorthand_property_identifier_pattern" => {
                                let n = syntax::text(prop, source);
                                self.bind_member(module, n, n);
                            }
                            "pair_pattern" => {
                                let key = prop.child_by_field_name("key").map(|k| syntax::text(k, source)).unwrap_or("");
                                if let Some(v) = prop.child_by_field_name("value").filter(|v| v.kind() == "identifier") {
                                    self.bind_member(module, key, syntax::text(v, source));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        if name.kind() != "identifier" {
            return;
        }
        let local = syntax::text(name, source);
        self.record_new(local, value, source);
        // const ctxApi = api.context
        if value.kind() == "member_expression" {
            let obj = value.child_by_field_name("object").map(|o| syntax::text(o, source)).unwrap_or("");
            let prop = value.child_by_field_name("property").map(|p| syntax::text(p, source)).unwrap_or("");
            if prop == "context" && self.api_names.contains(obj) {
                self.context_names.insert(local.to_string());
            }
        }
        if is_new_als(value, source) {
            self.als_names.insert(local.to_string());
        }
    }

    fn assignment(&mut self, node: Node<'_>, source: &str) {
        let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) else { return };
        self.record_new(syntax::text(left, source), unparen(right), source);
        if is_new_als(unparen(right), source) {
            self.als_names.insert(syntax::text(left, source).to_string());
        }
    }

    fn field(&mut self, node: Node<'_>, source: &str) {
        let name = node.child_by_field_name("name").or_else(|| node.child_by_field_name("property"));
        if let (Some(name), Some(value)) = (name, node.child_by_field_name("value")) {
            let n = syntax::text(name, source);
            self.record_new(&format!("this.{n}"), unparen(value), source);
            if is_new_als(unparen(value), source) {
                self.als_names.insert(format!("this.{n}"));
                self.als_names.insert(n.to_string());
            }
        }
    }

    /// Is `expr` the OpenTelemetry `context` API: an imported name, `api.context`, or (leniently) any
    /// identifier called `context` or `X.context`, as re-exporting wrappers are common.
    pub fn is_context_api(&self, expr: Node<'_>, source: &str) -> bool {
        let expr = unparen(expr);
        match expr.kind() {
            "identifier" => {
                let t = syntax::text(expr, source);
                t == "context" || self.context_names.contains(t)
            }
            "member_expression" => expr.child_by_field_name("property").is_some_and(|p| syntax::text(p, source) == "context"),
            _ => false,
        }
    }

    /// Is `expr` an AsyncLocalStorage instance the file made, or named like one.
    pub fn is_als(&self, expr: Node<'_>, source: &str) -> bool {
        let t = syntax::text(unparen(expr), source);
        if self.als_names.contains(t) {
            return true;
        }
        let last = t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase();
        last == "als" || last.ends_with("storage") || last.ends_with("_als")
    }

    /// Records the callbacks of calls that open a span scope.
    fn scope_opener(&mut self, call: Node<'_>, source: &str) {
        let Some(name) = callee_name(call, source) else { return };
        let args = arguments(call);
        let object = callee_object(call);
        let opener = call.child_by_field_name("function").unwrap_or(call);
        let mark = |f: &mut JsFacts, arg: Node<'_>, kind: ScopeKind| f.mark_callback(arg, kind, opener, source);
        match name {
            "startActiveSpan" => {
                if let Some(cb) = args.last() {
                    mark(self, *cb, ScopeKind::ActiveSpan);
                }
            }
            // context.with(ROOT_CONTEXT, fn) runs fn with no span on purpose: nothing to lose there
            "with"
                if object.is_some_and(|o| self.is_context_api(o, source))
                    && !args.first().is_some_and(|a| syntax::text(*a, source).ends_with("ROOT_CONTEXT")) =>
            {
                for a in args.iter().skip(1) {
                    mark(self, *a, ScopeKind::ContextWith);
                }
            }
            "run" if object.is_some_and(|o| self.is_als(o, source)) => {
                for a in args.iter().skip(1) {
                    mark(self, *a, ScopeKind::AlsRun);
                }
            }
            "createServer" => {
                if let Some(cb) = args.last() {
                    mark(self, *cb, ScopeKind::Handler);
                }
            }
            "on" | "addListener" if args.first().and_then(|a| string_value(*a, source)) == Some("request") => {
                if let Some(cb) = args.get(1) {
                    mark(self, *cb, ScopeKind::Handler);
                }
            }
            m if ROUTE_METHODS.contains(&m) && object.is_some() => {
                let first = args.first().copied();
                let path_first = first.is_some_and(|a| {
                    string_value(a, source).is_some_and(|s| s.starts_with('/') || s.starts_with('*') || s.is_empty()) || a.kind() == "regex"
                });
                if path_first {
                    for a in args.iter().skip(1) {
                        mark(self, *a, ScopeKind::Handler);
                    }
                } else if m == "use" {
                    for a in &args {
                        let a = unparen(*a);
                        // middleware: (req, res, next) or koa's (ctx, next)
                        let params = a.child_by_field_name("parameters").map_or(0, |p| named_children(p).count());
                        if (is_function(a) && params >= 2) || a.kind() == "identifier" {
                            mark(self, a, ScopeKind::Handler);
                        }
                    }
                } else if m == "route" {
                    // fastify.route({ method, url, handler })
                    if let Some(obj) = first.filter(|a| a.kind() == "object") {
                        for pair in named_children(obj).filter(|p| p.kind() == "pair") {
                            let key = pair.child_by_field_name("key").map(|k| syntax::text(k, source)).unwrap_or("");
                            if key == "handler" {
                                if let Some(v) = pair.child_by_field_name("value") {
                                    mark(self, v, ScopeKind::Handler);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn mark_callback(&mut self, arg: Node<'_>, kind: ScopeKind, opener: Node<'_>, source: &str) {
        let arg = unwrap_bind_this(unparen(arg), source);
        let at = (kind, opener.start_byte(), opener.end_byte());
        if is_function(arg) {
            self.scope_callbacks.insert(arg.id(), at);
        } else if arg.kind() == "identifier" {
            self.scope_callback_names.entry(syntax::text(arg, source).to_string()).or_insert(at);
        } else if arg.kind() == "member_expression" {
            if let Some(p) = arg.child_by_field_name("property") {
                self.scope_callback_names.entry(syntax::text(p, source).to_string()).or_insert(at);
            }
        }
    }

    /// Is `func` itself a span scope, and why.
    pub fn scope_of_function<'t>(&self, func: Node<'t>, source: &str) -> Option<Scope<'t>> {
        let root = syntax::root(func);
        let at_range = |(kind, start, end): (ScopeKind, usize, usize)| {
            let node = root.descendant_for_byte_range(start, end).unwrap_or(func);
            Scope { kind, node }
        };
        if let Some(at) = self.scope_callbacks.get(&func.id()) {
            return Some(at_range(*at));
        }
        if let Some(at) = function_name(func, source).and_then(|n| self.scope_callback_names.get(n)) {
            return Some(at_range(*at));
        }
        if let Some(dec) = nest_route_decorator(func, source) {
            return Some(Scope { kind: ScopeKind::Handler, node: dec });
        }
        if let Some(call) = self.direct_span_start(func, source) {
            return Some(Scope { kind: ScopeKind::StartsSpan, node: call.child_by_field_name("function").unwrap_or(call) });
        }
        None
    }

    /// A `startSpan`/`startActiveSpan` call in the function's own body (not in nested functions).
    fn direct_span_start<'t>(&self, func: Node<'t>, source: &str) -> Option<Node<'t>> {
        if self.starts_span.borrow().get(&func.id()) == Some(&false) {
            return None;
        }
        let body = func.child_by_field_name("body")?;
        let found = syntax::find_first(body, is_function, |n| {
            n.kind() == "call_expression" && matches!(callee_name(n, source), Some("startSpan" | "startActiveSpan"))
        });
        self.starts_span.borrow_mut().insert(func.id(), found.is_some());
        found
    }

    /// The nearest enclosing span scope of a node, if any.
    pub fn span_scope<'t>(&self, node: Node<'t>, source: &str) -> Option<Scope<'t>> {
        self.span_scope_function(node, source).map(|(_, scope)| scope)
    }

    /// The nearest enclosing function that is a span scope, with why it is one.
    pub fn span_scope_function<'t>(&self, node: Node<'t>, source: &str) -> Option<(Node<'t>, Scope<'t>)> {
        ancestors(node).filter(|n| is_function(*n)).find_map(|f| self.scope_of_function(f, source).map(|s| (f, s)))
    }

    /// The function a callback argument refers to: an inline function, a same-file function passed by name, or
    /// `this.method` / `fn.bind(this)`.
    pub fn callback_body<'t>(&self, arg: Node<'t>, source: &str) -> Option<Node<'t>> {
        let arg = unwrap_bind_this(unparen(arg), source);
        if is_function(arg) {
            return Some(arg);
        }
        let name = match arg.kind() {
            "identifier" | "shorthand_property_identifier" => syntax::text(arg, source),
            "member_expression" => syntax::text(arg.child_by_field_name("property")?, source),
            _ => return None,
        };
        let range = self.functions.get(name)?;
        let root = syntax::root(arg);
        let mut node = root.descendant_for_byte_range(range.start, range.end)?;
        while !is_function(node) || node.byte_range() != *range {
            node = node.parent()?;
        }
        Some(node)
    }
}

/// `fn.bind(this)` → `fn`.
pub fn unwrap_bind_this<'t>(node: Node<'t>, source: &str) -> Node<'t> {
    if node.kind() == "call_expression" && callee_name(node, source) == Some("bind") {
        if let Some(obj) = callee_object(node) {
            let obj = unparen(obj);
            if is_function(obj)
                || obj.kind() == "identifier"
                || (obj.kind() == "member_expression" && syntax::text(obj, source).starts_with("this."))
            {
                let args = arguments(node);
                if args.len() <= 1 && args.first().is_none_or(|a| a.kind() == "this") {
                    return obj;
                }
            }
        }
    }
    node
}

fn is_new_als(value: Node<'_>, source: &str) -> bool {
    value.kind() == "new_expression"
        && value.child_by_field_name("constructor").is_some_and(|c| syntax::text(c, source).ends_with("AsyncLocalStorage"))
}

/// A NestJS route decorator (`@Get()`, `@Post('x')`) on a method.
fn nest_route_decorator<'t>(func: Node<'t>, source: &str) -> Option<Node<'t>> {
    if func.kind() != "method_definition" {
        return None;
    }
    let is_route = |d: Node<'_>| {
        let t = syntax::text(d, source).trim_start_matches('@');
        let name = t.split(['(', ' ']).next().unwrap_or("");
        NEST_DECORATORS.contains(&name)
    };
    // Decorators are children of the method, or preceding siblings in the class body.
    if let Some(d) = named_children(func).filter(|c| c.kind() == "decorator").find(|d| is_route(*d)) {
        return Some(d);
    }
    let mut prev = func.prev_named_sibling();
    while let Some(p) = prev {
        if p.kind() != "decorator" {
            break;
        }
        if is_route(p) {
            return Some(p);
        }
        prev = p.prev_named_sibling();
    }
    None
}

/// The end of a leading shebang/`'use strict'` prologue, where a first import may go.
fn prologue_end(root: Node<'_>) -> usize {
    let mut end = 0;
    for child in named_children(root) {
        match child.kind() {
            "hash_bang_line" | "comment" => end = child.end_byte(),
            "expression_statement" if child.named_child(0).is_some_and(|s| s.kind() == "string") => end = child.end_byte(),
            _ => break,
        }
    }
    end
}

/// Any `await` in the function's own body that ends before `offset`: an `await` expression, or a whole
/// `for await (...)` loop that ran before it.
pub fn await_before<'t>(func: Node<'t>, offset: usize) -> Option<Node<'t>> {
    let body = func.child_by_field_name("body")?;
    syntax::find_first(body, is_function, |n| {
        let is_await =
            n.kind() == "await_expression" || (n.kind() == "for_in_statement" && n.child(1).is_some_and(|c| c.kind() == "await"));
        is_await && n.end_byte() <= offset
    })
}
