//! JavaScript/TypeScript syntax helpers: function nodes, callees, arguments, string values.
use tree_sitter::Node;

use super::JsFacts;
use crate::syntax::{self, ancestors, named_children, unparen};

/// Every node kind that is a function: declarations, expressions and arrows, generators of both kinds, methods.
const FUNCTION_KINDS: &[&str] = &[
    "arrow_function",
    "function_expression",
    "function",
    "function_declaration",
    "generator_function",
    "generator_function_declaration",
    "method_definition",
];

/// Is the node a function of any kind (`FUNCTION_KINDS`).
pub fn is_function(node: Node<'_>) -> bool {
    FUNCTION_KINDS.contains(&node.kind())
}

/// Is a function node declared `async`: an `async` keyword among its tokens before its parameters and body
/// (`async function f()`, `async () => {}`, `async m() {}`, `async function* g()`).
pub fn is_async(node: Node<'_>) -> bool {
    head_has(node, "async")
}

/// Is a function node a generator (`function* g()`, `async function* g()`, `*m() {}`): a call of an async one
/// returns an async generator, not a promise.
pub fn is_generator(node: Node<'_>) -> bool {
    node.kind().starts_with("generator_function") || head_has(node, "*")
}

/// Does a function's head (its tokens before the parameters and body) hold a token of `kind`.
fn head_has(node: Node<'_>, kind: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .take_while(|c| c.kind() != "formal_parameters" && c.kind() != "statement_block")
        .any(|c| c.kind() == kind);
    found
}

/// The nearest enclosing function of a node.
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    ancestors(node).find(|n| is_function(*n))
}

/// The receiver of `a.b(...)`.
pub fn callee_object(call: Node<'_>) -> Option<Node<'_>> {
    let f = unparen(call.child_by_field_name("function")?);
    (f.kind() == "member_expression").then(|| f.child_by_field_name("object")).flatten()
}

pub fn arguments<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    call.child_by_field_name("arguments").map(|a| named_children(a).filter(|n| n.kind() != "comment").collect()).unwrap_or_default()
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

/// The end of a leading shebang/`'use strict'` prologue, where a first import may go.
pub(super) fn prologue_end(root: Node<'_>) -> usize {
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

impl<'s> JsFacts<'s> {
    /// The name a function is known by: its declared name, the variable or property it is assigned to, or its method name.
    pub fn function_name(&self, func: Node<'_>) -> Option<&'s str> {
        if let Some(name) = func.child_by_field_name("name") {
            return Some(self.text(name));
        }
        let parent = func.parent()?;
        match parent.kind() {
            "variable_declarator" => parent.child_by_field_name("name").filter(|n| n.kind() == "identifier").map(|n| self.text(n)),
            "pair" => parent.child_by_field_name("key").map(|n| self.text(n)),
            "public_field_definition" | "field_definition" => {
                parent.child_by_field_name("name").or_else(|| parent.child_by_field_name("property")).map(|n| self.text(n))
            }
            _ => None,
        }
    }

    /// The string value of a string literal node (without quotes).
    pub fn string_value(&self, node: Node<'_>) -> Option<&'s str> {
        match node.kind() {
            "string" => {
                let t = self.text(node);
                Some(t.get(1..t.len().saturating_sub(1)).unwrap_or(""))
            }
            "template_string" => {
                let t = self.text(node);
                Some(t.get(1..t.len().saturating_sub(1)).unwrap_or(""))
            }
            _ => None,
        }
    }

    /// The callee's property name for `a.b(...)`, or its identifier for `b(...)`.
    pub fn callee_name(&self, call: Node<'_>) -> Option<&'s str> {
        let f = unparen(call.child_by_field_name("function")?);
        match f.kind() {
            "identifier" => Some(self.text(f)),
            "member_expression" => f.child_by_field_name("property").map(|p| self.text(p)),
            _ => None,
        }
    }

    /// `fn.bind(this)` → `fn`.
    pub fn unwrap_bind_this<'t>(&self, node: Node<'t>) -> Node<'t> {
        if node.kind() == "call_expression" && self.callee_name(node) == Some("bind") {
            if let Some(obj) = callee_object(node) {
                let obj = unparen(obj);
                if is_function(obj)
                    || obj.kind() == "identifier"
                    || (obj.kind() == "member_expression" && self.text(obj).starts_with("this."))
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
}
