//! Rust facts: `use` aliases resolved to full paths (`use tokio::spawn as go;` → `go` = `tokio::spawn`), the async
//! body a node belongs to, and span scopes (`#[instrument]` fns, `span.in_scope(|| ..)`, `.instrument(..)`-ed or
//! `.with_context(..)`-ed async blocks, code after `let _g = span.enter()`, and functions that create or enter spans).
use std::collections::HashMap;

use tree_sitter::Node;

use crate::fix::Edit;
use crate::syntax::{self, ancestors, compact, named_children, Preorder};

/// Methods that make a future carry a span or context.
pub const INSTRUMENT_METHODS: &[&str] = &["instrument", "in_current_span", "with_context", "with_current_context"];
/// Methods that enter a span or attach a context for the code that follows or runs inside.
pub const ENTER_METHODS: &[&str] = &["enter", "entered", "in_scope", "attach"];
pub(super) const SPAN_MACROS: &[&str] = &["span", "trace_span", "debug_span", "info_span", "warn_span", "error_span"];
/// Functions in which a task started is a long-lived background worker: constructors, lifecycle and startup (as the
/// Python rules' list: `__init__`, `start()`, `run()`, `serve()`, `main`).
const LIFECYCLE: &[&str] = &["new", "start", "run", "serve", "spawn", "init", "launch", "build"];
const LIFECYCLE_PREFIXES: &[&str] = &["new_", "start_", "spawn_", "launch_", "init_"];

/// Facts about one Rust file.
pub struct RustFacts<'s> {
    pub source: &'s str,
    pub root: Node<'s>,
    /// Local name → full path, from every `use` declaration.
    pub uses: HashMap<String, String>,
    /// The paths of `use path::*;` declarations (`super::sink`), in file order.
    pub glob_uses: Vec<String>,
    /// Where a new `use` goes: after the last top-level `use`, or after inner attributes and leading comments.
    pub use_insert_at: usize,
    /// Whether the file uses `tracing` at all (else a fix uses OpenTelemetry's FutureExt).
    pub uses_tracing: bool,
    /// Function items by name (first one wins), built on first use (`rust_callers`).
    pub(super) function_index: std::cell::OnceCell<HashMap<&'s str, Node<'s>>>,
}

impl<'s> RustFacts<'s> {
    pub fn collect(root: Node<'s>, source: &'s str) -> RustFacts<'s> {
        let mut f = RustFacts {
            source,
            root,
            uses: HashMap::new(),
            glob_uses: Vec::new(),
            use_insert_at: 0,
            uses_tracing: source.contains("tracing"),
            function_index: std::cell::OnceCell::new(),
        };
        for node in Preorder::new(root) {
            if node.kind() == "use_declaration" {
                if let Some(arg) = node.child_by_field_name("argument") {
                    f.use_tree(arg, "");
                }
            }
        }
        for child in named_children(root) {
            match child.kind() {
                "use_declaration" | "inner_attribute_item" | "line_comment" | "block_comment" | "extern_crate_declaration" => {
                    f.use_insert_at = child.end_byte()
                }
                _ => break,
            }
        }
        if let Some(last_use) = named_children(root).filter(|c| c.kind() == "use_declaration").last() {
            f.use_insert_at = f.use_insert_at.max(last_use.end_byte());
        }
        f
    }

    fn use_tree(&mut self, node: Node<'_>, prefix: &str) {
        let join = |p: &str, s: &str| if p.is_empty() { s.to_string() } else { format!("{p}::{s}") };
        match node.kind() {
            "identifier" | "scoped_identifier" | "crate" | "super" => {
                let path = join(prefix, &compact(self.text(node)));
                let last = path.rsplit("::").next().unwrap_or(&path).to_string();
                self.uses.insert(last, path);
            }
            "self" => {
                let last = prefix.rsplit("::").next().unwrap_or(prefix).to_string();
                self.uses.insert(last, prefix.to_string());
            }
            "use_as_clause" => {
                if let (Some(path), Some(alias)) = (node.child_by_field_name("path"), node.child_by_field_name("alias")) {
                    let alias = self.text(alias);
                    if alias != "_" {
                        self.uses.insert(alias.to_string(), join(prefix, &compact(self.text(path))));
                    } else {
                        // `use tracing::Instrument as _;` still brings the trait into scope
                        self.uses.insert(format!("_{}", self.uses.len()), join(prefix, &compact(self.text(path))));
                    }
                }
            }
            "scoped_use_list" => {
                let base =
                    node.child_by_field_name("path").map(|p| join(prefix, &compact(self.text(p)))).unwrap_or_else(|| prefix.to_string());
                if let Some(list) = node.child_by_field_name("list") {
                    self.use_tree(list, &base);
                }
            }
            "use_list" => {
                for child in named_children(node) {
                    self.use_tree(child, prefix);
                }
            }
            // `use super::sink::*;`, `use super::{*, x}`
            "use_wildcard" => {
                let path = compact(self.text(node));
                let path = path.strip_suffix('*').unwrap_or(&path).trim_end_matches(':');
                self.glob_uses.push(if path.is_empty() { prefix.to_string() } else { join(prefix, path) });
            }
            _ => {}
        }
    }

    /// Where to make the trait `accepts(path)` usable at `node`: `None` when a `use` of a block around `node` or of
    /// its module already imports it; else the edit that adds `use {path};` to that module (inline `mod` bodies
    /// included: a parent module's `use` is not visible in them), or `use {path} as _;` when the trait's name is
    /// already taken there (`use futures::FutureExt;`), so the new import cannot clash.
    pub fn trait_import(&self, node: Node<'_>, accepts: impl Fn(&str) -> bool, path: &str) -> Option<Edit> {
        let eol = syntax::line_ending(self.source);
        let name = path.rsplit("::").next().unwrap_or(path);
        let mut taken = false;
        for scope in syntax::ancestors(node) {
            let module = match scope.kind() {
                "block" => false,
                "source_file" => true,
                "declaration_list" if scope.parent().is_some_and(|p| p.kind() == "mod_item") => true,
                _ => continue,
            };
            let uses: Vec<Node<'_>> = named_children(scope).filter(|c| c.kind() == "use_declaration").collect();
            for decl in &uses {
                let mut bound = RustFacts {
                    source: self.source,
                    root: self.root,
                    uses: HashMap::new(),
                    glob_uses: Vec::new(),
                    use_insert_at: 0,
                    uses_tracing: false,
                    function_index: std::cell::OnceCell::new(),
                };
                if let Some(arg) = decl.child_by_field_name("argument") {
                    bound.use_tree(arg, "");
                }
                if bound.uses.values().any(|p| accepts(p)) {
                    return None;
                }
                taken |= bound.uses.contains_key(name);
            }
            if !module {
                continue;
            }
            let import = if taken { format!("use {path} as _;") } else { format!("use {path};") };
            if scope.kind() == "source_file" {
                // first in a file without `use`s: after its byte order mark, which must stay at byte 0
                let start = syntax::text_start(self.source);
                return Some(match self.use_insert_at {
                    at if at <= start => Edit::insert(start, format!("{import}{eol}")),
                    at => Edit::insert(at, format!("{eol}{import}")),
                });
            }
            // an inline module: after its last `use`, or first in its body, indented like its items
            let first = named_children(scope).find(|c| !matches!(c.kind(), "line_comment" | "block_comment"))?;
            let indent = syntax::line_indent(self.source, first.start_byte());
            return Some(match uses.last() {
                Some(last) => Edit::insert(last.end_byte(), format!("{eol}{indent}{import}")),
                None => Edit::insert(scope.start_byte() + 1, format!("{eol}{indent}{import}")),
            });
        }
        None
    }

    /// The full path of a path expression, with its first segment expanded through `use` aliases.
    pub fn resolve(&self, path: Node<'_>) -> String {
        let text = compact(self.text(path));
        let (first, rest) = match text.split_once("::") {
            Some((f, r)) => (f.to_string(), Some(r.to_string())),
            None => (text.clone(), None),
        };
        match (self.uses.get(&first), rest) {
            (Some(full), Some(rest)) => format!("{full}::{rest}"),
            (Some(full), None) => full.clone(),
            (None, _) => text,
        }
    }
}

/// Is this node an async function, async block or async closure.
pub fn is_async_body(node: Node<'_>) -> bool {
    match node.kind() {
        "async_block" => true,
        "function_item" => named_children(node).any(|c| c.kind() == "function_modifiers" && has_token(c, "async")),
        "closure_expression" => has_token(node, "async"),
        _ => false,
    }
}

fn has_token(node: Node<'_>, token: &str) -> bool {
    let mut cursor = node.walk();
    let found = node.children(&mut cursor).any(|c| c.kind() == token);
    found
}

/// The nearest function, closure or async block around a node: the body whose code it runs in.
pub fn enclosing_body(node: Node<'_>) -> Option<Node<'_>> {
    ancestors(node).find(|a| matches!(a.kind(), "function_item" | "closure_expression" | "async_block"))
}

/// Nodes that start a separate body: code inside them is not part of the enclosing future.
pub fn is_separate_body(node: Node<'_>) -> bool {
    matches!(node.kind(), "function_item" | "closure_expression" | "async_block")
}

/// The `.await`s of this future in `block` between two offsets (not those of nested closures, async blocks or fns).
pub fn awaits_between(block: Node<'_>, from: usize, to: usize) -> Vec<Node<'_>> {
    syntax::find_all(block, is_separate_body, |n| n.kind() == "await_expression" && n.start_byte() >= from && n.end_byte() <= to)
}

/// Receivers whose `enter()` is a runtime guard, not a span: tokio's `Runtime`, `Handle` and `LocalSet`.
const RUNTIME_RECEIVERS: &[&str] = &["rt", "runtime", "handle", "local", "local_set"];

/// Is `text` a tokio runtime, handle or LocalSet: by a type name in it (`Handle::current()`, `Runtime::new()?`,
/// `tokio::runtime::Builder..`), or by the last segment's name (`rt`, `self.runtime`, `rt.handle()`, `_rt`).
fn is_runtime_value(text: &str) -> bool {
    if ["Handle", "Runtime", "LocalSet", "runtime::"].iter().any(|t| text.contains(t)) {
        return true;
    }
    let text = text.trim_end_matches('?').trim_end_matches(".clone()").trim_end_matches(".unwrap()");
    let last = text.rsplit(['.', ':']).next().unwrap_or(text).trim_end_matches("()").trim_start_matches('_').to_ascii_lowercase();
    // `core.tokio_handle()`, `self.runtime_handle`: a handle named after the runtime
    let runtime_handle = last.ends_with("handle") && (last.contains("tokio") || last.contains("runtime") || last.starts_with("rt"));
    RUNTIME_RECEIVERS.contains(&last.as_str()) || runtime_handle
}

/// Why a node runs in a span scope, with the node to label.
#[derive(Debug, Clone, Copy)]
pub struct RustScope<'t> {
    pub node: Node<'t>,
    pub why: &'static str,
}

impl<'s> RustFacts<'s> {
    /// The source text of a node of this file.
    pub fn text(&self, node: Node<'_>) -> &'s str {
        syntax::text(node, self.source)
    }

    /// The name a `let` pattern binds (`g`, `mut g`, `_g`), or `None` for `_` and destructuring.
    pub fn binding_name(&self, pattern: Node<'_>) -> Option<&'s str> {
        match pattern.kind() {
            "identifier" => Some(self.text(pattern)),
            "mut_pattern" => pattern.named_child(0).and_then(|p| self.binding_name(p)),
            _ => None,
        }
    }

    /// Does the method-call chain ending at `expr` call one of `methods` (`fut.instrument(s).boxed()` has `instrument`).
    pub fn chain_calls(&self, expr: Node<'_>, methods: &[&str]) -> bool {
        let mut node = expr;
        loop {
            match node.kind() {
                "call_expression" => {
                    if self.method_name(node).is_some_and(|m| methods.contains(&m)) {
                        return true;
                    }
                    match node.child_by_field_name("function") {
                        Some(f) if f.kind() == "field_expression" => match f.child_by_field_name("value") {
                            Some(v) => node = v,
                            None => return false,
                        },
                        _ => return false,
                    }
                }
                "parenthesized_expression" | "try_expression" => match node.named_child(0) {
                    Some(inner) => node = inner,
                    None => return false,
                },
                _ => return false,
            }
        }
    }

    /// Does code in `body` (not in nested closures, async blocks or fns) create or enter a span or attach a context?
    fn creates_or_enters_spans<'t>(&self, body: Node<'t>) -> Option<Node<'t>> {
        syntax::find_first(
            body,
            |n| is_separate_body(n) && n.id() != body.id(),
            |n| match n.kind() {
                // a span made only to instrument a future (`fut.instrument(info_span!(..))`) is never current here
                "macro_invocation" => {
                    n.child_by_field_name("macro").is_some_and(|m| {
                        let name = self.text(m);
                        SPAN_MACROS.contains(&name.rsplit("::").next().unwrap_or(name))
                    }) && !self.is_instrument_argument(n, body)
                }
                "call_expression" => {
                    self.enters_span(n, ENTER_METHODS) || self.method_name(n).is_some_and(|m| m == "in_span" || m == "start_with_context")
                }
                _ => false,
            },
        )
    }

    /// A span-entering call (`enter`, `entered`, `in_scope`, `attach`) that is not a runtime guard.
    fn enters_span(&self, call: Node<'_>, methods: &[&str]) -> bool {
        call.kind() == "call_expression" && self.method_name(call).is_some_and(|m| methods.contains(&m)) && !self.is_runtime_enter(call)
    }

    /// The attribute `#[instrument]` / `#[tracing::instrument(..)]` on a function item.
    pub fn instrument_attribute<'t>(&self, func: Node<'t>) -> Option<Node<'t>> {
        let mut prev = func.prev_named_sibling();
        while let Some(p) = prev {
            match p.kind() {
                "attribute_item" => {
                    let attr = p.named_child(0).and_then(|a| a.named_child(0)).map(|n| self.text(n)).unwrap_or("");
                    if attr == "instrument" || attr.ends_with("::instrument") {
                        return Some(p);
                    }
                }
                "line_comment" | "block_comment" => {}
                _ => break,
            }
            prev = p.prev_named_sibling();
        }
        None
    }

    /// Is `node` inside the arguments of an `.instrument(..)`-like call (below `body`)?
    fn is_instrument_argument(&self, node: Node<'_>, body: Node<'_>) -> bool {
        ancestors(node).take_while(|a| a.id() != body.id()).any(|a| {
            a.kind() == "arguments"
                && a.parent().is_some_and(|call| {
                    call.kind() == "call_expression" && self.method_name(call).is_some_and(|m| INSTRUMENT_METHODS.contains(&m))
                })
        })
    }

    /// Is `call` (`x.enter()`) a tokio runtime or LocalSet guard rather than a span: by the receiver's name, its text, or a
    /// `let` earlier in the function that binds it to a runtime value (`let local = LocalSet::new();`).
    pub fn is_runtime_enter(&self, call: Node<'_>) -> bool {
        let Some(receiver) = call.child_by_field_name("function").and_then(|f| f.child_by_field_name("value")) else { return false };
        let text = self.text(receiver);
        if is_runtime_value(text) {
            return true;
        }
        let Some(func) = ancestors(call).find(|a| a.kind() == "function_item") else { return false };
        syntax::find_first(
            func,
            |_| false,
            |n| {
                n.kind() == "let_declaration"
                    && n.end_byte() <= call.start_byte()
                    && n.child_by_field_name("pattern").and_then(|p| self.binding_name(p)) == Some(text)
                    && n.child_by_field_name("value").is_some_and(|v| is_runtime_value(self.text(v)))
            },
        )
        .is_some()
    }

    /// The method name of `recv.method(..)`.
    pub fn method_name(&self, call: Node<'_>) -> Option<&'s str> {
        let f = call.child_by_field_name("function")?;
        (f.kind() == "field_expression").then(|| f.child_by_field_name("field").map(|n| self.text(n))).flatten()
    }

    /// Is the function an entry point that no traced code calls: `fn main`, or a function marked `#[tokio::main]`,
    /// `#[test]`, `#[tokio::test]` (any `main`/`test` attribute, `#[actix_web::main]` and `#[rstest]` style too).
    pub fn is_entry_point(&self, func: Node<'_>) -> bool {
        if func.child_by_field_name("name").is_some_and(|n| self.text(n) == "main") {
            return true;
        }
        let mut prev = func.prev_named_sibling();
        while let Some(p) = prev {
            match p.kind() {
                "attribute_item" => {
                    let attr = p.named_child(0).and_then(|a| a.named_child(0)).map(|n| self.text(n)).unwrap_or("");
                    let last = attr.rsplit("::").next().unwrap_or(attr);
                    if matches!(last, "main" | "test" | "rstest" | "bench") {
                        return true;
                    }
                }
                "line_comment" | "block_comment" => {}
                _ => break,
            }
            prev = p.prev_named_sibling();
        }
        false
    }

    /// Is the span scope at `scope_node` (the `instrument` of an instrumented async block, as [`Self::span_scope`]
    /// returns it) only the own span of a long-lived background worker: the block loops, and it is spawned
    /// (`tokio::spawn(async move { loop { .. } }.instrument(span))`) in a constructor, lifecycle function or entry
    /// point, outside any span scope. Tasks that worker spawns lose the worker's span, which is no request's
    /// context (spec v2, rule 1: a worker started there has no request context to lose).
    pub fn is_background_worker_span(&self, scope_node: Node<'_>) -> bool {
        let Some(field) = scope_node.parent().filter(|f| f.kind() == "field_expression") else { return false };
        let Some(block) = field.child_by_field_name("value").filter(|b| b.kind() == "async_block") else { return false };
        let loops = syntax::find_first(
            block,
            |n| is_separate_body(n) && n.id() != block.id(),
            |n| matches!(n.kind(), "loop_expression" | "while_expression" | "for_expression"),
        )
        .is_some();
        let spawn =
            field.parent().and_then(|instrumented| instrumented.parent()).filter(|a| a.kind() == "arguments").and_then(|a| a.parent());
        let Some(spawn) = spawn.filter(|c| c.kind() == "call_expression") else { return false };
        let spawned = spawn.child_by_field_name("function").is_some_and(|f| {
            let name = self.text(f).rsplit([':', '.']).next().unwrap_or("");
            matches!(name, "spawn" | "spawn_local")
        });
        let Some(func) = ancestors(spawn).find(|a| a.kind() == "function_item") else { return false };
        let name = func.child_by_field_name("name").map_or("", |n| self.text(n));
        let lifecycle = LIFECYCLE.contains(&name) || LIFECYCLE_PREFIXES.iter().any(|p| name.starts_with(p)) || self.is_entry_point(func);
        loops && spawned && lifecycle && self.span_scope(spawn).is_none()
    }

    /// The span scope around `node`, as far as syntax tells.
    pub fn span_scope<'t>(&self, node: Node<'t>) -> Option<RustScope<'t>> {
        let mut child = node;
        for a in ancestors(node) {
            match a.kind() {
                "closure_expression" => {
                    // span.in_scope(|| ..)
                    let call = a.parent().and_then(|args| args.parent()).filter(|c| c.kind() == "call_expression");
                    if let Some(call) = call.filter(|c| self.method_name(*c) == Some("in_scope")) {
                        return Some(RustScope {
                            node: call.child_by_field_name("function").unwrap_or(call),
                            why: "runs inside `in_scope`",
                        });
                    }
                }
                "async_block" => {
                    // async { .. }.instrument(span) / .with_context(cx)
                    let call = a.parent().filter(|f| f.kind() == "field_expression").and_then(|f| f.parent());
                    if let Some(call) = call
                        .filter(|c| c.kind() == "call_expression" && self.method_name(*c).is_some_and(|m| INSTRUMENT_METHODS.contains(&m)))
                    {
                        // point at `instrument` itself, not at the whole multi-line async block
                        return Some(RustScope {
                            node: call.child_by_field_name("function").and_then(|f| f.child_by_field_name("field")).unwrap_or(call),
                            why: "this future is instrumented",
                        });
                    }
                }
                "block" => {
                    // after `let _g = span.enter();` in the same block
                    let entered = named_children(a).take_while(|s| s.end_byte() <= child.start_byte()).find(|s| {
                        s.kind() == "let_declaration"
                            && s.child_by_field_name("value").is_some_and(|v| self.enters_span(v, &["enter", "entered", "attach"]))
                    });
                    if let Some(e) = entered {
                        return Some(RustScope { node: e, why: "the span is entered here" });
                    }
                }
                "function_item" => {
                    if let Some(attr) = self.instrument_attribute(a) {
                        return Some(RustScope { node: attr, why: "`#[instrument]`: the function's span is current" });
                    }
                    // a function that makes spans is a scope because its callers are likely traced; a `main` or a
                    // test has no caller, so only a span it has entered where `node` is (above) counts there
                    if self.is_entry_point(a) {
                        return None;
                    }
                    let body = a.child_by_field_name("body")?;
                    return self
                        .creates_or_enters_spans(body)
                        .map(|n| RustScope { node: n, why: "this function creates or enters a span" });
                }
                _ => {}
            }
            child = a;
        }
        None
    }
}
