//! `rs/guard-dropped-at-once`: `let _ = span.enter();`, `let _ = span.entered();`, `let _ = cx.attach();` or
//! `span.enter();` as a statement: the guard is dropped at the end of the statement, so nothing after it runs in the
//! span (or the attached context).
use tree_sitter::Node;

use crate::analysis::rust::{awaits_between, enclosing_body, is_async_body};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};
use crate::template;

pub static CHECK: CheckDef = CheckDef {
    rule: "rs/guard-dropped-at-once",
    captures: &[],
    vars: &["call", "guard"],
    variants: &["statement", "attach", "async"],
    labels: &["next"],
    run: CheckFn::Match(run),
};

/// The name the fix gives the guard.
const GUARD: &str = "_guard";

fn run<'t>(cx: &FileCx<'t>, stmt: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let rs = cx.rs();
    let (call, pattern) = match stmt.kind() {
        "let_declaration" => {
            let pattern = stmt.child_by_field_name("pattern")?;
            // `let _g = span.enter()` keeps the guard: rs/guard-across-await's business
            if pattern.kind() != "_" && cx.text(pattern) != "_" {
                return None;
            }
            // `let _ = span.enter() else { .. }` is not a guard binding
            if stmt.child_by_field_name("alternative").is_some() || stmt.child_by_field_name("type").is_some() {
                return None;
            }
            (stmt.child_by_field_name("value")?, Some(pattern))
        }
        _ => (stmt.named_child(0)?, None),
    };
    if !uses_tracing(cx.text(cx.root())) {
        return None;
    }
    let callee = call.child_by_field_name("function")?;
    let method = match callee.kind() {
        "field_expression" => {
            // `room.enter(user)` is another API: span and context guards take no arguments
            if call.child_by_field_name("arguments").is_some_and(|a| a.named_child_count() > 0) {
                return None;
            }
            // `let _ = rt.enter()` drops a runtime guard: another bug, and not about the span
            if rs.is_runtime_enter(call) {
                return None;
            }
            rs.method_name(call)?
        }
        _ => {
            if !cx.text(callee).ends_with("Context::attach") {
                return None;
            }
            "attach"
        }
    };
    let receiver = callee.child_by_field_name("value");
    if method == "attach" && !receiver.is_none_or(|r| is_context(cx.text(r))) {
        return None;
    }
    let shown = match receiver {
        Some(r) => format!("{}.{method}()", receiver_text(cx, r)),
        None => template::shorten(&template::one_line(cx.text(call))),
    };
    let mut hit = Hit::at(stmt.byte_range()).var("call", shown).var("guard", GUARD);
    if pattern.is_none() {
        hit = hit.variant("statement");
    } else if method == "attach" {
        hit = hit.variant("attach");
    }
    if let Some(next) = stmt.next_named_sibling().filter(|n| n.kind() != "line_comment" && n.kind() != "block_comment") {
        hit = hit.label("next", next);
    }
    // the fix: name the guard, so it lives to the end of the block; a temporary span (`info_span!(..).enter()`) is
    // entered by value instead, since a borrow of a temporary cannot outlive the statement
    let mut edits = match pattern {
        Some(p) => vec![Edit::replace(p.byte_range(), GUARD)],
        None => vec![Edit::insert(stmt.start_byte(), format!("let {GUARD} = "))],
    };
    if method == "enter" && receiver.is_some_and(|r| is_temporary(r)) {
        if let Some(name) = callee.child_by_field_name("field") {
            edits.push(Edit::replace(name.byte_range(), "entered"));
        }
    }
    hit = hit.edits(edits);
    // in an async body with an `.await` after it, a kept guard is held across that await (rs/guard-across-await), and
    // a spawned future holding it is no longer `Send`: show the fix, do not apply it
    if let (Some(body), Some(block)) = (enclosing_body(stmt), stmt.parent()) {
        if is_async_body(body) && !awaits_between(block, stmt.end_byte(), block.end_byte()).is_empty() {
            hit = hit.variant("async").applicability(Applicability::DisplayOnly);
        }
    }
    Some(hit)
}

/// Does the file use `tracing` or OpenTelemetry (a path or `use` of either crate, a span macro): `enter()` /
/// `attach()` of other libraries are not span guards.
fn uses_tracing(source: &str) -> bool {
    ["tracing::", "use tracing", "opentelemetry::", "use opentelemetry", "span!(", "#[instrument"].iter().any(|t| source.contains(t))
}

/// The receiver as the message quotes it: on one line, a macro's arguments elided (`info_span!(…)`).
fn receiver_text(cx: &FileCx<'_>, receiver: Node<'_>) -> String {
    if receiver.kind() == "macro_invocation" {
        if let Some(name) = receiver.child_by_field_name("macro") {
            return format!("{}!(…)", template::one_line(cx.text(name)));
        }
    }
    template::shorten(&template::one_line(cx.text(receiver)))
}

/// Is the receiver of `.attach()` an OpenTelemetry context: `cx`, `ctx`, `parent_cx`, `self.context`,
/// `Context::current_with_span(..)`, `cx.clone()`.
fn is_context(receiver: &str) -> bool {
    let text = receiver.trim_end_matches(".clone()");
    if text.contains("Context::") || text.contains("with_span(") || text.contains("with_value(") || text.contains("with_baggage(") {
        return true;
    }
    let last = text.rsplit(['.', ':']).next().unwrap_or(text).trim_start_matches('_').to_ascii_lowercase();
    last == "cx" || last == "ctx" || last.ends_with("_cx") || last.ends_with("_ctx") || last.contains("context")
}

/// Is the expression a temporary (a call or macro), not a place that outlives the statement.
fn is_temporary(receiver: Node<'_>) -> bool {
    matches!(receiver.kind(), "call_expression" | "macro_invocation")
}
