//! Rust callers in the same file: for code in a function with no span scope of its own (a helper, a builder, a
//! worker-pool constructor), the span scope of a caller that calls it from one, up to a few calls up, cycles cut.
use tree_sitter::Node;

use super::rust::{RustFacts, RustScope};
use crate::syntax::{ancestors, Preorder};

/// How many calls up a caller's span scope is looked for (`handle` → `build_sink` → `spawn_writer`).
const DEPTH: usize = 3;

/// A span scope reached through the callers of a function.
pub struct CallerScope<'t> {
    /// The caller's span scope.
    pub scope: RustScope<'t>,
    /// The call, inside that scope, that leads to the function.
    pub call: Node<'t>,
}

impl<'s> RustFacts<'s> {
    /// The span scope of the nearest same-file caller of `func` (transitively, [`DEPTH`] calls up) that calls it
    /// from inside a span scope. An entry point (`main`, a test) is no caller's scope unless it entered a span.
    pub fn caller_span_scope(&self, func: Node<'s>) -> Option<CallerScope<'s>> {
        let mut seen = vec![func.id()];
        let mut frontier = vec![func];
        for _ in 0..DEPTH {
            let mut next = Vec::new();
            for f in frontier {
                for call in self.calls_of(f) {
                    if let Some(scope) = self.span_scope(call) {
                        return Some(CallerScope { scope, call });
                    }
                    if let Some(caller) = ancestors(call).find(|a| a.kind() == "function_item") {
                        if !seen.contains(&caller.id()) && !self.is_entry_point(caller) {
                            seen.push(caller.id());
                            next.push(caller);
                        }
                    }
                }
            }
            frontier = next;
        }
        None
    }

    /// The type of the `impl` block a function is defined in (`impl<T> Sink<T>` → `Sink`), if any.
    pub fn impl_owner(&self, func: Node<'_>) -> Option<&'s str> {
        ancestors(func).find(|a| a.kind() == "impl_item").and_then(|i| i.child_by_field_name("type")).map(|t| {
            let text = self.text(t);
            text.split('<').next().unwrap_or(text).rsplit("::").next().unwrap_or(text).trim()
        })
    }

    /// The calls of `func` in this file: `name(..)` / `path::name(..)` for a free function; `self.name(..)`,
    /// `Self::name(..)` and `Type::name(..)` for a function in `impl Type` (another receiver's `.name(..)` may be
    /// another type's method, so it is not counted).
    fn calls_of(&self, func: Node<'s>) -> Vec<Node<'s>> {
        let Some(name) = func.child_by_field_name("name").map(|n| self.text(n)) else { return Vec::new() };
        let owner = self.impl_owner(func);
        Preorder::new(self.root)
            .filter(|n| n.kind() == "call_expression")
            .filter(|call| {
                let Some(callee) = call.child_by_field_name("function") else { return false };
                match (callee.kind(), owner) {
                    ("identifier", None) => self.text(callee) == name,
                    ("scoped_identifier", owner) => {
                        let last = callee.child_by_field_name("name").map(|n| self.text(n));
                        let path = callee.child_by_field_name("path").map(|p| self.text(p)).unwrap_or("");
                        let path_last = path.split('<').next().unwrap_or(path).rsplit("::").next().unwrap_or(path);
                        last == Some(name)
                            && match owner {
                                Some(ty) => path_last == "Self" || path_last == ty,
                                None => matches!(path_last, "crate" | "super" | "self") || !path_last.starts_with(char::is_uppercase),
                            }
                    }
                    ("field_expression", Some(_)) => {
                        callee.child_by_field_name("field").is_some_and(|f| self.text(f) == name)
                            && callee.child_by_field_name("value").is_some_and(|v| self.text(v) == "self")
                    }
                    _ => false,
                }
            })
            .collect()
    }
}

impl<'s> RustFacts<'s> {
    /// Does the spawned future or closure visibly do traced work: make a span (`info_span!(..)`, ...) or call a
    /// function of this file that is `#[instrument]`ed or makes one. Evidence for a spawn whose span scope is only a
    /// caller's (spec v2: the far side must use the context); log events alone do not count.
    pub fn spawned_work_traced(&self, work: Node<'_>) -> bool {
        Preorder::new(work).any(|n| match n.kind() {
            "macro_invocation" => self.is_span_macro(n),
            "call_expression" => self.called_function(n).is_some_and(|f| {
                self.instrument_attribute(f).is_some()
                    || f.child_by_field_name("body")
                        .is_some_and(|b| Preorder::new(b).any(|m| m.kind() == "macro_invocation" && self.is_span_macro(m)))
            }),
            _ => false,
        })
    }

    fn is_span_macro(&self, node: Node<'_>) -> bool {
        node.child_by_field_name("macro").is_some_and(|m| {
            let name = self.text(m);
            let last = name.rsplit("::").next().unwrap_or(name);
            super::rust::SPAN_MACROS.contains(&last)
        })
    }

    /// The function of this file a call names: `f(..)`, `path::f(..)`, `self.f(..)`, `Self::f(..)` (by its last name).
    fn called_function(&self, call: Node<'_>) -> Option<Node<'s>> {
        let callee = call.child_by_field_name("function")?;
        let name = match callee.kind() {
            "identifier" => self.text(callee),
            "scoped_identifier" => self.text(callee.child_by_field_name("name")?),
            "field_expression" => self.text(callee.child_by_field_name("field")?),
            _ => return None,
        };
        let index = self.function_index.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            for n in Preorder::new(self.root).filter(|n| n.kind() == "function_item") {
                if let Some(id) = n.child_by_field_name("name") {
                    index.entry(self.text(id)).or_insert(n);
                }
            }
            index
        });
        index.get(name).copied()
    }
}
