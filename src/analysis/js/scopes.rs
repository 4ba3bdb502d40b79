//! JavaScript/TypeScript span scopes: span callbacks, `context.with`, `als.run`, and the request handlers of
//! express, fastify, koa, NestJS and `http.createServer`, including callbacks passed by name.
use tree_sitter::Node;

use super::syntax_helpers::{arguments, callee_object, is_function};
use super::JsFacts;
use crate::syntax::{self, ancestors, named_children, unparen};

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

const ROUTE_METHODS: &[&str] = &["get", "post", "put", "delete", "del", "patch", "all", "head", "options", "use", "route"];
const NEST_DECORATORS: &[&str] = &["Get", "Post", "Put", "Delete", "Patch", "All", "Head", "Options", "MessagePattern", "EventPattern"];

impl<'s> JsFacts<'s> {
    /// Records the callbacks of calls that open a span scope.
    pub(super) fn scope_opener(&mut self, call: Node<'_>) {
        let Some(name) = self.callee_name(call) else { return };
        let args = arguments(call);
        let object = callee_object(call);
        let opener = call.child_by_field_name("function").unwrap_or(call);
        let mark = |f: &mut JsFacts, arg: Node<'_>, kind: ScopeKind| f.mark_callback(arg, kind, opener);
        match name {
            "startActiveSpan" => {
                if let Some(cb) = args.last() {
                    mark(self, *cb, ScopeKind::ActiveSpan);
                }
            }
            // context.with(ROOT_CONTEXT, fn) runs fn with no span on purpose: nothing to lose there
            "with"
                if object.is_some_and(|o| self.is_context_api(o))
                    && !args.first().is_some_and(|a| self.text(*a).ends_with("ROOT_CONTEXT")) =>
            {
                for a in args.iter().skip(1) {
                    mark(self, *a, ScopeKind::ContextWith);
                }
            }
            "run" if object.is_some_and(|o| self.is_als(o)) => {
                for a in args.iter().skip(1) {
                    mark(self, *a, ScopeKind::AlsRun);
                }
            }
            "createServer" => {
                if let Some(cb) = args.last() {
                    mark(self, *cb, ScopeKind::Handler);
                }
            }
            "on" | "addListener" if args.first().and_then(|a| self.string_value(*a)) == Some("request") => {
                if let Some(cb) = args.get(1) {
                    mark(self, *cb, ScopeKind::Handler);
                }
            }
            m if ROUTE_METHODS.contains(&m) && object.is_some() => {
                let first = args.first().copied();
                let path_first = first.is_some_and(|a| {
                    self.string_value(a).is_some_and(|s| s.starts_with('/') || s.starts_with('*') || s.is_empty()) || a.kind() == "regex"
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
                            let key = pair.child_by_field_name("key").map(|k| self.text(k)).unwrap_or("");
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

    pub(super) fn mark_callback(&mut self, arg: Node<'_>, kind: ScopeKind, opener: Node<'_>) {
        let arg = self.unwrap_bind_this(unparen(arg));
        let at = (kind, opener.start_byte(), opener.end_byte());
        if is_function(arg) {
            self.scope_callbacks.insert(arg.id(), at);
        } else if arg.kind() == "identifier" {
            self.scope_callback_names.entry(self.text(arg).to_string()).or_insert(at);
        } else if arg.kind() == "member_expression" {
            if let Some(p) = arg.child_by_field_name("property") {
                self.scope_callback_names.entry(self.text(p).to_string()).or_insert(at);
            }
        }
    }

    /// Is `func` itself a span scope, and why.
    pub fn scope_of_function<'t>(&self, func: Node<'t>) -> Option<Scope<'t>> {
        let root = syntax::root(func);
        let at_range = |(kind, start, end): (ScopeKind, usize, usize)| {
            let node = root.descendant_for_byte_range(start, end).unwrap_or(func);
            Scope { kind, node }
        };
        if let Some(at) = self.scope_callbacks.get(&func.id()) {
            return Some(at_range(*at));
        }
        if let Some(at) = self.function_name(func).and_then(|n| self.scope_callback_names.get(n)) {
            return Some(at_range(*at));
        }
        if let Some(dec) = self.nest_route_decorator(func) {
            return Some(Scope { kind: ScopeKind::Handler, node: dec });
        }
        if let Some(call) = self.direct_span_start(func) {
            return Some(Scope { kind: ScopeKind::StartsSpan, node: call.child_by_field_name("function").unwrap_or(call) });
        }
        None
    }

    /// A `startSpan`/`startActiveSpan` call in the function's own body (not in nested functions).
    pub(super) fn direct_span_start<'t>(&self, func: Node<'t>) -> Option<Node<'t>> {
        if self.starts_span.borrow().get(&func.id()) == Some(&false) {
            return None;
        }
        let body = func.child_by_field_name("body")?;
        let found = syntax::find_first(body, is_function, |n| {
            n.kind() == "call_expression" && matches!(self.callee_name(n), Some("startSpan" | "startActiveSpan"))
        });
        self.starts_span.borrow_mut().insert(func.id(), found.is_some());
        found
    }

    /// The nearest enclosing span scope of a node, if any.
    pub fn span_scope<'t>(&self, node: Node<'t>) -> Option<Scope<'t>> {
        self.span_scope_function(node).map(|(_, scope)| scope)
    }

    /// The nearest enclosing function that is a span scope, with why it is one.
    pub fn span_scope_function<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Scope<'t>)> {
        ancestors(node).filter(|n| is_function(*n)).find_map(|f| self.scope_of_function(f).map(|s| (f, s)))
    }

    /// The function a callback argument refers to: an inline function, a same-file function passed by name, or
    /// `this.method` / `fn.bind(this)`.
    pub fn callback_body<'t>(&self, arg: Node<'t>) -> Option<Node<'t>> {
        let arg = self.unwrap_bind_this(unparen(arg));
        if is_function(arg) {
            return Some(arg);
        }
        let name = match arg.kind() {
            "identifier" | "shorthand_property_identifier" => self.text(arg),
            "member_expression" => self.text(arg.child_by_field_name("property")?),
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

    /// A NestJS route decorator (`@Get()`, `@Post('x')`) on a method.
    pub(super) fn nest_route_decorator<'t>(&self, func: Node<'t>) -> Option<Node<'t>> {
        if func.kind() != "method_definition" {
            return None;
        }
        let is_route = |d: Node<'_>| {
            let t = self.text(d).trim_start_matches('@');
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
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use super::{NEST_DECORATORS, ROUTE_METHODS};
    use crate::prefilter::{Builder, Prefilter};

    const TOKEN_GROUPS: &str = include_str!("../../../rules/token-groups.toml");

    fn span_scope_items() -> Vec<String> {
        let groups: HashMap<String, Vec<String>> = toml::from_str(TOKEN_GROUPS).expect("token-groups.toml parses");
        groups.get("js-span-scope").cloned().expect("a js-span-scope group")
    }

    /// The prefilter of a rule that needs `@js-span-scope`.
    fn span_scope_prefilter() -> Prefilter {
        let groups: HashMap<String, Vec<String>> = toml::from_str(TOKEN_GROUPS).expect("token-groups.toml parses");
        let mut builder = Builder::with_groups(groups);
        builder.rule(0, &[vec!["@js-span-scope".to_string()]]).expect("compiles");
        builder.build().expect("builds")
    }

    /// The words of the alternation `(?:a|b|c)` that follows `opening` in the group's route pattern.
    fn alternatives<'p>(pattern: &'p str, opening: &str) -> BTreeSet<&'p str> {
        let start = pattern.find(opening).unwrap_or_else(|| panic!("`{opening}` in the route pattern")) + opening.len();
        let end = start + pattern[start..].find(')').expect("the alternation closes");
        pattern[start..end].split('|').collect()
    }

    /// The prefilter skips a file without a route word; the scope walk takes the same words for routes and NestJS
    /// decorators: the two lists must say the same words.
    #[test]
    fn the_prefilter_route_words_are_the_scope_walks_route_words() {
        let items = span_scope_items();
        let pattern = items.iter().find(|i| i.contains("@(?:")).expect("the route pattern item");
        let methods: BTreeSet<&str> = ROUTE_METHODS.iter().copied().filter(|m| !matches!(*m, "use" | "route")).collect();
        assert_eq!(alternatives(pattern, "/\\b(?:"), methods, "route methods with a path");
        assert_eq!(alternatives(pattern, "@(?:"), NEST_DECORATORS.iter().copied().collect(), "NestJS decorators");
        assert!(pattern.contains("|\\buse"), "`use` (middleware, no path) has an alternative of its own");
        assert!(items.iter().any(|i| i == "route & handler"), "`fastify.route({{ handler }})` has an item of its own");

        let prefilter = span_scope_prefilter();
        let may = |text: &str| prefilter.may_match(0, &mut prefilter.scan(text));
        for m in ROUTE_METHODS {
            let text = match *m {
                "use" => "app.use(auth);".to_string(),
                "route" => "fastify.route({ method: 'GET', url: '/orders', handler });".to_string(),
                m => format!("app.{m}('/orders', list);"),
            };
            assert!(may(&text), "{text}");
        }
        for d in NEST_DECORATORS {
            let text = format!("class C {{ @{d}('orders') list() {{}} }}");
            assert!(may(&text), "{text}");
        }
        assert!(!may("map.get(key); set.delete(key);"), "a method call without a path opens no scope");
    }
}
