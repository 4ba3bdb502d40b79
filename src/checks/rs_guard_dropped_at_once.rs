//! `rs/guard-dropped-at-once`: `let _ = span.enter();`, `let _ = span.entered();`, `let _ = cx.attach();` or
//! `span.enter();` as a statement, followed in the same block by work that could use the span: the guard is dropped
//! at the end of the statement, so nothing after it runs in the span (or the attached context).
use tree_sitter::Node;

use crate::analysis::rust::{awaits_between, enclosing_body, is_async_body, RustFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};
use crate::syntax::{self, named_children};
use crate::template;

pub static CHECK: CheckDef = CheckDef {
    rule: "rs/guard-dropped-at-once",
    captures: &[],
    vars: &["call", "guard"],
    variants: &["statement", "attach", "async"],
    labels: &["next"],
    run: CheckFn::Match(run),
};

/// The name the fix gives the guard (numbered when the block already uses it).
const GUARD: &str = "_guard";
const SPAN_MACROS: &[&str] = &["span", "trace_span", "debug_span", "info_span", "warn_span", "error_span"];
/// Methods of a span that only borrow it: a later call of one does not conflict with a kept `enter()` guard.
const BORROWING: &[&str] = &[
    "record",
    "record_all",
    "in_scope",
    "id",
    "metadata",
    "is_disabled",
    "is_none",
    "follows_from",
    "set_parent",
    "set_attribute",
    "add_link",
    "context",
    "clone",
    "enter",
    "field",
    "has_field",
    "with_subscriber",
];
/// Macros that do no traced work (no event, no span, no call of the program's code).
const INERT_MACROS: &[&str] =
    &["format", "vec", "concat", "stringify", "matches", "format_args", "line", "file", "column", "module_path", "cfg", "env"];
/// Methods that do no traced work.
const INERT_METHODS: &[&str] = &[
    "clone",
    "into",
    "to_string",
    "to_owned",
    "len",
    "is_empty",
    "as_str",
    "as_ref",
    "unwrap_or",
    "unwrap_or_default",
    "borrow",
    "iter",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
];

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
            if stmt.child_by_field_name("alternative").is_some() {
                return None;
            }
            (stmt.child_by_field_name("value")?, Some(pattern))
        }
        _ => (stmt.named_child(0)?, None),
    };
    let source = cx.text(cx.root());
    if !source.contains("tracing") && !source.contains("opentelemetry") {
        return None;
    }
    let callee = call.child_by_field_name("function")?;
    let (method, receiver) = match callee.kind() {
        "field_expression" => {
            // `room.enter(user)` is another API: span and context guards take no arguments
            if call.child_by_field_name("arguments").is_some_and(|a| a.named_child_count() > 0) {
                return None;
            }
            // `let _ = rt.enter()` drops a runtime guard: another bug, and not about the span
            if rs.is_runtime_enter(call) {
                return None;
            }
            (rs.method_name(call)?, callee.child_by_field_name("value")?)
        }
        _ => {
            // `let _ = Context::attach(cx);`
            if !rs.resolve(callee).ends_with("Context::attach") {
                return None;
            }
            let arg = call.child_by_field_name("arguments").and_then(|a| a.named_child(0))?;
            ("attach", arg)
        }
    };
    let is_guard = match method {
        "enter" | "entered" => is_span(rs, receiver, 0),
        "attach" => is_context(rs, receiver, 0),
        _ => false,
    };
    if !is_guard {
        return None;
    }
    // the evidence that something needs the span: work after the statement in the same block, which a kept guard
    // would cover; with nothing after it the guard's drop loses nothing
    let block = stmt.parent()?;
    let after: Vec<Node<'t>> = named_children(block)
        .filter(|s| s.start_byte() >= stmt.end_byte() && !matches!(s.kind(), "line_comment" | "block_comment"))
        .collect();
    let next = *after.iter().find(|s| does_work(rs, **s))?;
    let shown = match callee.kind() {
        "field_expression" => format!("{}.{method}()", receiver_text(cx, receiver)),
        _ => template::shorten(&template::one_line(cx.text(call))),
    };
    let guard = guard_name(cx, &after);
    let mut hit = Hit::at(stmt.byte_range()).var("call", shown).var("guard", guard.clone()).label("next", next);
    if pattern.is_none() {
        hit = hit.variant("statement");
    } else if method == "attach" {
        hit = hit.variant("attach");
    }
    // the fix: name the guard, so it lives to the end of the block; a temporary span (`info_span!(..).enter()`) is
    // entered by value instead, since a borrow of a temporary cannot outlive the statement
    let mut edits = match pattern {
        Some(p) => vec![Edit::replace(p.byte_range(), guard)],
        None => vec![Edit::insert(stmt.start_byte(), format!("let {guard} = "))],
    };
    let mut sure = true;
    if method == "enter" {
        match owned_temporary(rs, receiver) {
            Some(true) => {
                if let Some(name) = callee.child_by_field_name("field") {
                    edits.push(Edit::replace(name.byte_range(), "entered"));
                }
            }
            // `self.span().enter()`: a borrowed or an owned span, which syntax cannot tell
            None => sure = false,
            // a place: the kept guard borrows it, so a later move of it would no longer compile
            Some(false) => sure = !moved_later(rs, receiver, &after),
        }
    }
    hit = hit.edits(edits);
    if !sure {
        hit = hit.applicability(Applicability::DisplayOnly);
    }
    // in an async body with an `.await` after it, a kept guard is held across that await (rs/guard-across-await), and
    // a spawned future holding it is no longer `Send`: show the fix, do not apply it
    if enclosing_body(stmt).is_some_and(is_async_body) && !awaits_between(block, stmt.end_byte(), block.end_byte()).is_empty() {
        hit = hit.variant("async").applicability(Applicability::DisplayOnly);
    }
    Some(hit)
}

/// Does the statement do work that a current span would cover: a call of a function or method (not a constructor
/// like `Ok(..)` or an accessor like `.len()`), a macro other than the inert ones (events, spans, `println!`), or an
/// `.await`. Nested functions and closures count: code that runs later is not assumed to be inert.
fn does_work(rs: &RustFacts<'_>, stmt: Node<'_>) -> bool {
    syntax::find_first(
        stmt,
        |n| n.kind() == "function_item",
        |n| match n.kind() {
            "await_expression" => true,
            "macro_invocation" => n.child_by_field_name("macro").is_some_and(|m| {
                let name = rs.text(m);
                !INERT_MACROS.contains(&name.rsplit("::").next().unwrap_or(name))
            }),
            "call_expression" => match n.child_by_field_name("function") {
                Some(f) if f.kind() == "field_expression" => rs.method_name(n).is_some_and(|m| !INERT_METHODS.contains(&m)),
                Some(f) => {
                    let text = rs.text(f);
                    let last = text.rsplit("::").next().unwrap_or(text);
                    // `Ok(..)`, `Some(..)`, `Response::Ok(..)` construct a value; `Foo::new(..)` may do anything
                    !last.starts_with(|c: char| c.is_ascii_uppercase())
                }
                None => false,
            },
            _ => false,
        },
    )
    .is_some()
}

/// Is the expression a `tracing` span: a span macro, `Span::current()` / `Span::none()` (through `use` aliases too),
/// a `.span()` accessor, a name or field with `span` in it, or a local bound to one (`let root = info_span!(..)`, a
/// parameter `s: &Span`).
fn is_span(rs: &RustFacts<'_>, expr: Node<'_>, depth: u8) -> bool {
    let expr = syntax::unparen(expr);
    match expr.kind() {
        "macro_invocation" => expr.child_by_field_name("macro").is_some_and(|m| {
            let name = rs.resolve(m);
            SPAN_MACROS.contains(&name.rsplit("::").next().unwrap_or(&name))
        }),
        "call_expression" => match expr.child_by_field_name("function") {
            Some(f) if f.kind() == "field_expression" => match rs.method_name(expr) {
                Some("clone") => f.child_by_field_name("value").is_some_and(|v| is_span(rs, v, depth)),
                Some(m) => m.to_ascii_lowercase().contains("span"),
                None => false,
            },
            Some(f) => {
                let path = rs.resolve(f);
                let mut segments = path.rsplit("::");
                let (_, ty) = (segments.next(), segments.next().unwrap_or(""));
                ty == "Span" || (ty.ends_with("Span") && path.contains("tracing"))
            }
            None => false,
        },
        "field_expression" => expr.child_by_field_name("field").is_some_and(|f| rs.text(f).to_ascii_lowercase().contains("span")),
        "identifier" => {
            let name = rs.text(expr);
            name.to_ascii_lowercase().contains("span")
                || depth < 2
                    && local_binding(rs, expr).is_some_and(|b| match b {
                        Binding::Value(v) => is_span(rs, v, depth + 1),
                        Binding::Type(t) => type_is(rs, t, "Span"),
                    })
        }
        "reference_expression" => expr.child_by_field_name("value").is_some_and(|v| is_span(rs, v, depth)),
        _ => false,
    }
}

/// Is the receiver of `.attach()` an OpenTelemetry context: `cx`, `ctx`, `parent_cx`, `self.context`,
/// `Context::current_with_span(..)`, `cx.clone()`, `span.context()`, or a local bound to one.
fn is_context(rs: &RustFacts<'_>, expr: Node<'_>, depth: u8) -> bool {
    let expr = syntax::unparen(expr);
    let text = rs.text(expr);
    let text = text.trim_end_matches(".clone()");
    if text.contains("Context::")
        || ["with_span(", "with_value(", "with_baggage(", "with_remote_span_context("].iter().any(|t| text.contains(t))
    {
        return true;
    }
    if expr.kind() == "call_expression" {
        // `S::current()` with `use opentelemetry::Context as S`
        if let Some(f) = expr.child_by_field_name("function").filter(|f| f.kind() != "field_expression") {
            return rs.resolve(f).contains("Context::");
        }
    }
    let last = text.rsplit(['.', ':']).next().unwrap_or(text).trim_end_matches("()").trim_start_matches('_').to_ascii_lowercase();
    if last == "cx" || last == "ctx" || last.ends_with("_cx") || last.ends_with("_ctx") || last.contains("context") {
        return true;
    }
    expr.kind() == "identifier"
        && depth < 2
        && local_binding(rs, expr).is_some_and(|b| match b {
            Binding::Value(v) => is_context(rs, v, depth + 1),
            Binding::Type(t) => type_is(rs, t, "Context"),
        })
}

/// What a local name is bound to, as far as the enclosing function shows.
enum Binding<'t> {
    /// `let name = value;` (the last one before the use)
    Value(Node<'t>),
    /// `name: Type` as a parameter or `let name: Type`
    Type(Node<'t>),
}

fn local_binding<'t>(rs: &RustFacts<'_>, ident: Node<'t>) -> Option<Binding<'t>> {
    let name = rs.text(ident);
    let func = syntax::ancestors(ident).find(|a| matches!(a.kind(), "function_item" | "closure_expression"))?;
    let lets = syntax::find_all(
        func,
        |n| n.kind() == "function_item",
        |n| {
            n.kind() == "let_declaration"
                && n.end_byte() <= ident.start_byte()
                && n.child_by_field_name("pattern").and_then(|p| rs.binding_name(p)) == Some(name)
        },
    );
    if let Some(decl) = lets.last() {
        if let Some(ty) = decl.child_by_field_name("type") {
            return Some(Binding::Type(ty));
        }
        return decl.child_by_field_name("value").map(Binding::Value);
    }
    let params = func.child_by_field_name("parameters")?;
    named_children(params).filter(|p| p.kind() == "parameter").find_map(|p| {
        let bound = p.child_by_field_name("pattern").and_then(|pat| rs.binding_name(pat)) == Some(name);
        bound.then(|| p.child_by_field_name("type")).flatten().map(Binding::Type)
    })
}

/// Is the type (`Span`, `&Span`, `&'a tracing::Span`, an alias of it) the named one of `tracing` / OpenTelemetry.
fn type_is(rs: &RustFacts<'_>, ty: Node<'_>, name: &str) -> bool {
    let mut ty = ty;
    while ty.kind() == "reference_type" {
        match ty.child_by_field_name("type") {
            Some(inner) => ty = inner,
            None => return false,
        }
    }
    if !matches!(ty.kind(), "type_identifier" | "scoped_type_identifier") {
        return false;
    }
    let path = rs.resolve(ty);
    path == name || (path.ends_with(&format!("::{name}")) && (path.contains("tracing") || path.contains("opentelemetry")))
}

/// Whether `enter()`'s receiver is an owned temporary (`info_span!(..)`, `Span::current()`, `span.clone()`: the fix
/// enters it by value with `entered()`), a place that outlives the statement (`span`, `self.span`), or neither
/// tells (`None`: `req.span()` may return a reference or a new span).
fn owned_temporary(rs: &RustFacts<'_>, receiver: Node<'_>) -> Option<bool> {
    let receiver = syntax::unparen(receiver);
    match receiver.kind() {
        "macro_invocation" => Some(true),
        "call_expression" => match receiver.child_by_field_name("function") {
            Some(f) if f.kind() == "field_expression" => (rs.method_name(receiver) == Some("clone")).then_some(true),
            Some(_) => Some(true),
            None => None,
        },
        "identifier" | "field_expression" | "self" => Some(false),
        _ => None,
    }
}

/// Is the place `receiver` used after the statement other than through a borrowing method (`span.record(..)`) or a
/// reference (`&span`): moved (`fut.instrument(span)`, `drop(span)`, `return span`), which a kept guard's borrow forbids.
fn moved_later(rs: &RustFacts<'_>, receiver: Node<'_>, after: &[Node<'_>]) -> bool {
    let place = rs.text(receiver);
    after.iter().any(|stmt| {
        syntax::find_first(
            *stmt,
            |_| false,
            |n| {
                matches!(n.kind(), "identifier" | "field_expression")
                    && rs.text(n) == place
                    && !n.parent().is_some_and(|p| {
                        p.kind() == "reference_expression"
                            || p.kind() == "field_expression"
                                && p.child_by_field_name("value").is_some_and(|v| v.id() == n.id())
                                && p.child_by_field_name("field").is_some_and(|f| BORROWING.contains(&rs.text(f)))
                    })
            },
        )
        .is_some()
    })
}

/// `_guard`, or `_guard2`, `_guard3`.. when the code after the statement already names `_guard`: the fix must not
/// change which guard a later `drop(_guard)` ends.
fn guard_name(cx: &FileCx<'_>, after: &[Node<'_>]) -> String {
    let used = |name: &str| after.iter().any(|s| cx.text(*s).contains(name));
    if !used(GUARD) {
        return GUARD.to_string();
    }
    (2..).map(|i| format!("{GUARD}{i}")).find(|n| !used(n)).unwrap_or_else(|| GUARD.to_string())
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
