//! What a JS/TS function does with the OpenTelemetry context: the first call that starts a span or reads the
//! active context implicitly, and whether it calls a function by name (`extract`, `inject`), following same-file
//! functions it calls two levels deep.
use std::collections::HashSet;

use tree_sitter::Node;

use super::{arguments, callee_object, is_function, JsFacts};
use crate::syntax::{self, unparen, Preorder};

/// The first call in `func`'s body (or in same-file functions it calls, two levels deep) that starts a span or
/// reads the active context implicitly. Calls that are handed an explicit context do not count, nor does code
/// inside `context.with(ctx, ...)` with a captured `ctx`.
pub fn implicit_context_use<'t>(facts: &JsFacts, func: Node<'t>) -> Option<Node<'t>> {
    let mut visited = HashSet::new();
    find_use(facts, func, 0, &mut visited, false)
}

/// What a callback does with the context, as a message says it: it starts a span (somewhere in its body or the
/// same-file functions it calls, as [`implicit_context_use`] follows them), or it only reads the active context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextUse {
    StartsSpan,
    ReadsContext,
}

impl ContextUse {
    /// How `func` (a callback with an implicit context use) uses the context.
    pub fn of(facts: &JsFacts, func: Node<'_>) -> ContextUse {
        let mut visited = HashSet::new();
        if find_use(facts, func, 0, &mut visited, true).is_some() {
            ContextUse::StartsSpan
        } else {
            ContextUse::ReadsContext
        }
    }

    /// What it does: "starts a span" / "reads the active context".
    pub fn does(self) -> &'static str {
        match self {
            ContextUse::StartsSpan => "starts a span",
            ContextUse::ReadsContext => "reads the active context",
        }
    }
}

fn find_use<'t>(facts: &JsFacts, func: Node<'t>, depth: usize, visited: &mut HashSet<usize>, spans_only: bool) -> Option<Node<'t>> {
    if !visited.insert(func.id()) {
        return None;
    }
    // a function's body, or a whole program / block searched as is
    let body = func.child_by_field_name("body").unwrap_or(func);
    let mut walk = Preorder::new(body);
    let mut callees = Vec::new();
    while let Some(node) = walk.next() {
        if node.kind() != "call_expression" {
            continue;
        }
        let args = arguments(node);
        let object = callee_object(node);
        match facts.callee_name(node) {
            Some("startSpan") if args.len() < 3 => return Some(node),
            Some("startActiveSpan") if args.len() < 4 => return Some(node),
            Some("getActiveSpan") if !spans_only => return Some(node),
            Some("active") if !spans_only && object.is_some_and(|o| facts.is_context_api(o)) => return Some(node),
            Some("getStore") if !spans_only && object.is_some_and(|o| facts.is_als(o)) => return Some(node),
            Some("with") if object.is_some_and(|o| facts.is_context_api(o)) => {
                // context.with(ctx, fn): explicit unless ctx is read from the active context right there
                if args.first().is_some_and(|a| !reads_active(facts, *a)) {
                    walk.skip_children();
                }
            }
            _ => {
                if depth < 2 {
                    if let Some(f) = node.child_by_field_name("function") {
                        callees.push(f);
                    }
                }
            }
        }
    }
    for callee in callees {
        let callee = unparen(callee);
        let local = callee.kind() == "identifier" || (callee.kind() == "member_expression" && facts.text(callee).starts_with("this."));
        if !local {
            continue;
        }
        if let Some(target) = facts.callback_body(callee) {
            if let Some(found) = find_use(facts, target, depth + 1, visited, spans_only) {
                return Some(found);
            }
        }
    }
    None
}

/// Is `expr` a `context.active()` call (possibly inside `trace.setSpan(context.active(), ..)`).
pub fn reads_active(facts: &JsFacts, expr: Node<'_>) -> bool {
    syntax::find_first(expr, is_function, |n| {
        n.kind() == "call_expression" && facts.callee_name(n) == Some("active") && callee_object(n).is_some_and(|o| facts.is_context_api(o))
    })
    .is_some()
}

/// Does `func` (its whole body, nested callbacks included) or a same-file function it calls (two levels deep) call a
/// function or method named one of `names` (`extract`, `inject`).
pub fn calls_named(facts: &JsFacts, func: Node<'_>, names: &[&str]) -> bool {
    let mut seen = HashSet::new();
    calls_named_in(facts, func, names, 0, &mut seen)
}

fn calls_named_in(facts: &JsFacts, node: Node<'_>, names: &[&str], depth: usize, seen: &mut HashSet<usize>) -> bool {
    if !seen.insert(node.id()) {
        return false;
    }
    let mut callees = Vec::new();
    for n in Preorder::new(node) {
        if n.kind() != "call_expression" {
            continue;
        }
        if facts.callee_name(n).is_some_and(|c| names.contains(&c)) {
            return true;
        }
        if depth < 2 {
            if let Some(f) = n.child_by_field_name("function") {
                callees.push(f);
            }
        }
    }
    callees.into_iter().any(|callee| {
        let callee = unparen(callee);
        let local = callee.kind() == "identifier" || facts.text(callee).starts_with("this.");
        local && facts.callback_body(callee).is_some_and(|f| calls_named_in(facts, f, names, depth + 1, seen))
    })
}
