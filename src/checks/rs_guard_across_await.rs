//! `rs/guard-across-await`: a `span.enter()` / `span.entered()` / `cx.attach()` guard bound by `let` that is still
//! alive at an `.await` later in the same async body (not dropped before it, not in an inner block that ended).
use tree_sitter::Node;

use crate::analysis::rust::{awaits_between, enclosing_body, is_async_body, RustFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::named_children;

pub static CHECK: CheckDef = CheckDef {
    rule: "rs/guard-across-await",
    captures: &[],
    vars: &["guard", "call"],
    variants: &["attach"],
    labels: &["await"],
    run: CheckFn::Match(run),
};

fn run<'t>(cx: &FileCx<'t>, decl: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let rs = cx.rs();
    let (Some(pattern), Some(call)) = (decl.child_by_field_name("pattern"), decl.child_by_field_name("value")) else { return None };
    // `let _ = span.enter()` drops the guard at once
    let guard = rs.binding_name(pattern)?;
    let callee = call.child_by_field_name("function")?;
    let is_attach = match callee.kind() {
        "field_expression" => {
            // `room.enter(user)` is another API: span and context guards take no arguments
            if call.child_by_field_name("arguments").is_some_and(|a| a.named_child_count() > 0) {
                return None;
            }
            if rs.is_runtime_enter(call) {
                return None;
            }
            rs.method_name(call) == Some("attach")
        }
        _ => {
            if !cx.text(callee).ends_with("Context::attach") {
                return None;
            }
            true
        }
    };
    let body = enclosing_body(decl)?;
    if !is_async_body(body) {
        return None;
    }
    let block = decl.parent()?;
    let end = guard_end(block, decl, guard, rs);
    let awaits = awaits_between(block, decl.end_byte(), end);
    if awaits.is_empty() {
        return None;
    }
    let mut hit = Hit::at(call.byte_range()).var("guard", guard).var("call", cx.text(call));
    if is_attach {
        hit = hit.variant("attach");
    }
    for aw in awaits {
        hit.labels.push(("await", await_keyword(aw)));
    }
    Some(hit)
}

/// Where the guard dies: a `drop(guard)` / `guard.exit()` statement in the same block, or the block's end.
fn guard_end(block: Node<'_>, decl: Node<'_>, guard: &str, rs: &RustFacts<'_>) -> usize {
    for stmt in named_children(block).filter(|s| s.start_byte() >= decl.end_byte()) {
        let expr = match stmt.kind() {
            "expression_statement" => stmt.named_child(0),
            "let_declaration" => stmt.child_by_field_name("value"),
            _ => Some(stmt),
        };
        let Some(call) = expr.filter(|e| e.kind() == "call_expression") else { continue };
        let f = call.child_by_field_name("function").map(|f| rs.text(f)).unwrap_or("");
        let arg = call.child_by_field_name("arguments").and_then(|a| a.named_child(0)).map(|a| rs.text(a));
        let dropped = (f == "drop" || f.ends_with("mem::drop")) && arg == Some(guard);
        let exited = f == format!("{guard}.exit");
        if dropped || exited {
            return stmt.start_byte();
        }
    }
    block.end_byte()
}

/// The `.await` part of an await expression, for the label.
fn await_keyword(aw: Node<'_>) -> std::ops::Range<usize> {
    let end = aw.end_byte();
    let start = aw.named_child(0).map_or(aw.start_byte(), |e| e.end_byte());
    start..end
}
