//! The fix that carries the current span (or OpenTelemetry context) into a closure run on another thread: bind it
//! before the statement that spawns (`let span = tracing::Span::current();`) and enter it first thing inside the
//! closure (`let _guard = span.entered();`), keeping the closure's body and formatting.
use tree_sitter::Node;

use crate::analysis::rust::{is_separate_body, RustFacts};
use crate::fix::Edit;
use crate::syntax::{self, ancestors, named_children};

/// What is carried: the `tracing` span or the OpenTelemetry context current at the spawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    Span,
    Context,
}

/// The edits that carry `carried` into `work` (the closure, or a function path, handed to the spawn `call`), or
/// `None` when there is no statement of the same body to bind it before (`span.in_scope(|| thread::spawn(..))`:
/// the binding would run outside the scope) or the work is an expression a closure cannot wrap unchanged.
pub fn edits(rs: &RustFacts<'_>, call: Node<'_>, work: Node<'_>, carried: Carried) -> Option<Vec<Edit>> {
    let source = rs.source;
    let statement = enclosing_statement(call)?;
    let scope = ancestors(call).find(|a| a.kind() == "function_item").unwrap_or_else(|| syntax::root(call));
    let name = fresh_name(rs, scope, carried);
    let guard = fresh_guard(rs, work);
    let (current, enter) = match carried {
        Carried::Span if rs.uses.get("Span").is_some_and(|p| p == "tracing::Span") => ("Span::current()", "entered"),
        Carried::Span => ("tracing::Span::current()", "entered"),
        Carried::Context if rs.uses.get("Context").is_some_and(|p| p == "opentelemetry::Context") => ("Context::current()", "attach"),
        Carried::Context => ("opentelemetry::Context::current()", "attach"),
    };
    let enter_stmt = format!("let {guard} = {name}.{enter}();");
    let mut out = vec![bind_before(source, statement, &format!("let {name} = {current};"))];
    match work.kind() {
        "closure_expression" => {
            let body = work.child_by_field_name("body")?;
            out.extend(enter_first(source, body, &enter_stmt));
        }
        // a function or a closure bound earlier: call it inside a closure that enters first
        "identifier" | "scoped_identifier" => {
            let f = syntax::text(work, source);
            out.push(Edit::replace(work.byte_range(), format!("move || {{ {enter_stmt} {f}() }}")));
        }
        _ => return None,
    }
    Some(out)
}

/// The statement of a block that holds `call` without a closure, async block or function between them (code there
/// runs elsewhere or later).
fn enclosing_statement(call: Node<'_>) -> Option<Node<'_>> {
    let mut node = call;
    loop {
        let parent = node.parent()?;
        if parent.kind() == "block" {
            return Some(node);
        }
        if is_separate_body(parent) {
            return None;
        }
        node = parent;
    }
}

/// `let ...;` on its own line before `statement`, indented like it (or before it on the same line when something
/// precedes it there).
fn bind_before(source: &str, statement: Node<'_>, binding: &str) -> Edit {
    let at = statement.start_byte();
    let line_start = source[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if source[line_start..at].trim().is_empty() {
        let eol = syntax::line_ending(source);
        let indent = syntax::line_indent(source, at);
        Edit::insert(at, format!("{binding}{eol}{indent}"))
    } else {
        Edit::insert(at, format!("{binding} "))
    }
}

/// `enter` as the first statement of a closure's body: on its own line in a multi-line block (after the `{` line,
/// indented like the block's first statement), inline in a one-line block, and an expression body wrapped in a block.
fn enter_first(source: &str, body: Node<'_>, enter: &str) -> Vec<Edit> {
    if body.kind() != "block" {
        return vec![Edit::insert(body.start_byte(), format!("{{ {enter} ")), Edit::insert(body.end_byte(), " }")];
    }
    let open = body.start_byte() + 1;
    let first = named_children(body).find(|c| !c.kind().ends_with("comment"));
    match first.map(|f| &source[open..f.start_byte()]) {
        // after the end of the `{` line, so that a comment there stays on it
        Some(between) if between.contains(['\n', '\r']) => {
            let eol = syntax::line_ending(source);
            let indent = first.map_or("", |f| syntax::line_indent(source, f.start_byte()));
            let line_end = open + between.find(['\n', '\r']).unwrap_or(0);
            vec![Edit::insert(line_end, format!("{eol}{indent}{enter}"))]
        }
        _ => vec![Edit::insert(open, format!(" {enter}"))],
    }
}

/// The first of `span`, `current_span`, `parent_span`, `span2`, ... (`cx`, ... for a context) that no identifier of
/// `scope` uses, so the binding shadows nothing the code reads.
fn fresh_name(rs: &RustFacts<'_>, scope: Node<'_>, carried: Carried) -> String {
    let base = match carried {
        Carried::Span => ["span", "current_span", "parent_span"],
        Carried::Context => ["cx", "current_cx", "parent_cx"],
    };
    let taken = |name: &str| syntax::find_first(scope, |_| false, |n| n.kind() == "identifier" && rs.text(n) == name).is_some();
    let numbered = (2..).map(|i| format!("{}{i}", base[0]));
    base.iter().map(|s| s.to_string()).chain(numbered).find(|n| !taken(n)).unwrap_or_else(|| base[0].to_string())
}

/// `_guard`, or `_span_guard` when the closure already names a `_guard`.
fn fresh_guard(rs: &RustFacts<'_>, work: Node<'_>) -> &'static str {
    let taken = syntax::find_first(work, |_| false, |n| n.kind() == "identifier" && rs.text(n) == "_guard").is_some();
    if taken {
        "_span_guard"
    } else {
        "_guard"
    }
}
