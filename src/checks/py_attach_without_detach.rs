//! `py/attach-without-detach`: `opentelemetry.context.attach(...)` whose token is not detached in the `finally:` of a
//! `try` that starts right after it (or encloses it): discarded tokens, tokens collected for bulk detach, a detach
//! outside `finally`, or none in the function. The context-manager shape (`__enter__`/`__exit__`) and a function
//! that returns its token are fine.
use tree_sitter::Node;

use crate::analysis::python::{enclosing_function, enclosing_scope, positional_arg, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};
use crate::syntax::{self, ancestors, contains, named_children, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/attach-without-detach",
    captures: &[],
    vars: &["token", "fix"],
    variants: &["discarded", "collected", "no-finally", "late-try"],
    labels: &["detach"],
    run: CheckFn::Match(run),
};

/// The safe and unsafe fixes' description (the display-only suggestions name their own shape).
const WRAP: &str = "wrap the rest of the block in `try:` / `finally: detach(token)`";

const ENTER: &[&str] = &["__enter__", "__aenter__", "setUp", "asyncSetUp", "setup_method", "setup", "setup_class"];
const EXIT: &[&str] = &["__exit__", "__aexit__", "tearDown", "asyncTearDown", "teardown_method", "teardown", "teardown_class"];
/// Module-level hooks a test runner calls in pairs on the same thread (pytest plugin and module/function fixtures,
/// unittest module fixtures): an attach in the first with a detach in the second lasts exactly that span of the run,
/// the module-level form of the setUp/tearDown shape.
const HOOK_PAIRS: &[(&str, &str)] = &[
    ("pytest_sessionstart", "pytest_sessionfinish"),
    ("pytest_configure", "pytest_unconfigure"),
    ("pytest_runtest_setup", "pytest_runtest_teardown"),
    ("setup_module", "teardown_module"),
    ("setup_function", "teardown_function"),
    ("setUpModule", "tearDownModule"),
];
const COLLECT: &[&str] = &["append", "add", "extend", "insert", "appendleft", "put", "put_nowait", "push"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, captures: &Captures<'t>) -> Option<Hit> {
    let hit = find(cx, call, captures)?;
    Some(if hit.edits.is_some() && !hit.vars.iter().any(|(name, _)| *name == "fix") { hit.var("fix", WRAP) } else { hit })
}

fn find<'t>(cx: &FileCx<'t>, call: Node<'t>, _: &Captures<'t>) -> Option<Hit> {
    let py = cx.py();
    let callee = call.child_by_field_name("function")?;
    if !py.resolves_to(callee, &["opentelemetry.context.attach"]) {
        return None;
    }
    // `attach(Context())`: a deliberate reset to an empty context, nothing of a span leaks
    let resets = positional_arg(call, 0).is_some_and(|a| {
        a.kind() == "call"
            && a.child_by_field_name("arguments").is_some_and(|args| args.named_child_count() == 0)
            && a.child_by_field_name("function").is_some_and(|f| {
                py.resolves_to(f, &["opentelemetry.context.Context", "opentelemetry.context.context.Context"]) || py.text(f) == "Context"
            })
    });
    // inside `with start_as_current_span(...)` / `use_span(...)`: the block's exit resets the context to what it was
    // before the block, this attach included
    if resets || py.span_with(call).is_some() {
        return None;
    }
    let at = callee.byte_range();
    let parent = call.parent()?;
    match parent.kind() {
        "expression_statement" => {
            if restores_saved_context(py, call) || saved_context_restored_after(py, call) {
                return None;
            }
            let mut hit = Hit::at(at).var("token", "the token").variant("discarded");
            let token = fresh_name(enclosing_scope(call), py);
            if let Some(detach) = detach_callee(py, callee) {
                if let Some(mut edits) = wrap_rest_in_try(cx, parent, &token, &format!("{detach}({token})"), None) {
                    edits.push(Edit::insert(call.start_byte(), format!("{token} = ")));
                    // a detach the code never had: code after the block loses the context it may rely on
                    hit = hit.edits(edits).applicability(Applicability::Unsafe);
                }
            }
            Some(hit)
        }
        "argument_list" | "list" | "tuple" | "set" => {
            let collected = parent.kind() != "argument_list"
                || parent.parent().and_then(|c| c.child_by_field_name("function")).is_some_and(|f| {
                    f.kind() == "attribute" && f.child_by_field_name("attribute").is_some_and(|a| COLLECT.contains(&cx.text(a)))
                });
            if collected {
                let hit = Hit::at(at).var("token", "the token").variant("collected");
                Some(match exit_stack_suggestion(cx, py, call, callee, parent) {
                    Some(edits) => hit.var("fix", EXIT_STACK).edits(edits).applicability(Applicability::DisplayOnly),
                    None => hit,
                })
            } else {
                None // passed on to a callee that owns it (e.g. `stack.callback(detach, attach(ctx))`)
            }
        }
        "assignment" => assigned(cx, py, call, callee, parent),
        _ => None,
    }
}

fn assigned(cx: &FileCx<'_>, py: &PyFacts, call: Node<'_>, callee: Node<'_>, assignment: Node<'_>) -> Option<Hit> {
    let left = assignment.child_by_field_name("left")?;
    let stmt = assignment.parent().filter(|p| p.kind() == "expression_statement")?;
    let token = cx.text(left);
    let scope = enclosing_scope(call);
    let at = callee.byte_range();

    if is_context_manager_shape(cx, call) || is_paired_hook(cx, call) || returns_token(scope, token, py) {
        return None;
    }
    // try right after the attach, or around it, with the detach in its finally
    let next = next_statement(stmt);
    if next.is_some_and(|t| t.kind() == "try_statement" && finally_detaches(py, t, token).is_some()) {
        return None;
    }
    let enclosing_try = ancestors(stmt).take_while(|a| a.id() != scope.id()).any(|a| {
        a.kind() == "try_statement"
            && a.child_by_field_name("body").is_some_and(|b| contains(b, stmt))
            && finally_detaches(py, a, token).is_some()
    });
    if enclosing_try {
        return None;
    }

    let detaches = detach_calls(py, scope, token);
    let in_finally = detaches.iter().find(|d| ancestors(**d).any(|a| a.kind() == "finally_clause"));
    let hit = Hit::at(at).var("token", format!("`{token}`"));
    if let Some(d) = in_finally {
        let hit = hit.variant("late-try").label("detach", *d);
        return Some(match widen_try(cx, stmt, *d) {
            Some(edits) => hit.edits(edits),
            None => hit,
        });
    }
    let detach_text = match detaches.first() {
        Some(d) => cx.text(*d).to_string(),
        None => match detach_callee(py, callee) {
            Some(f) => format!("{f}({token})"),
            None => return Some(hit),
        },
    };
    let mut hit = match detaches.first() {
        Some(d) => hit.variant("no-finally").label("detach", *d),
        None => hit,
    };
    if left.kind() == "identifier" {
        if let Some(edits) = wrap_rest_in_try(cx, stmt, token, &detach_text, detaches.first().copied()) {
            hit = hit.edits(edits);
            if detaches.is_empty() {
                // a detach the code never had: code after the block loses the context it may rely on
                hit = hit.applicability(Applicability::Unsafe);
            }
            return Some(hit);
        }
    }
    // the token outlives the function (kept on `self`, stored, handed to a helper): no mechanical fix, only the shape
    if detaches.is_empty() {
        if let Some(detach) = detach_callee(py, callee) {
            if let Some(edits) = one_function_suggestion(cx, py, stmt, left, &detach) {
                hit = hit.var("fix", ONE_FUNCTION).edits(edits).applicability(Applicability::DisplayOnly);
            }
        }
    }
    Some(hit)
}

const EXIT_STACK: &str = "detach through a `contextlib.ExitStack`: make the collection one (`contextlib.ExitStack()`) and `close()` it where the tokens were detached; it detaches in reverse order, and runs every callback even if one raises";
const ONE_FUNCTION: &str = "attach and detach in one function, around the work that needs the context, instead of keeping the token for another function to detach (the callers change: a person decides)";

/// `tokens.append(attach(ctx))` → `tokens.callback(detach, attach(ctx))`: the collection becomes an `ExitStack`, whose
/// `close()` detaches in reverse order and runs every callback even when one raises. `None` for collectors that are
/// not a single-item add, or when detach cannot be named.
fn exit_stack_suggestion(cx: &FileCx<'_>, py: &PyFacts, attach: Node<'_>, callee: Node<'_>, args: Node<'_>) -> Option<Vec<Edit>> {
    let collect = args.parent().filter(|c| c.kind() == "call")?;
    let method = collect.child_by_field_name("function")?.child_by_field_name("attribute")?;
    if !matches!(cx.text(method), "append" | "add" | "appendleft" | "put" | "put_nowait" | "push") || args.named_child_count() != 1 {
        return None;
    }
    let detach = detach_callee(py, callee)?;
    Some(vec![Edit::replace(method.byte_range(), "callback"), Edit::insert(attach.start_byte(), format!("{detach}, "))])
}

/// The one-function shape for a token that outlives its function: the token in a local, the statements that hand it
/// on removed, and a `try:` / `finally: detach(token)` after the attach around the rest of the block (or around a
/// `...` placeholder for the work when nothing else follows). `None` outside a block or when a multi-line string
/// would be re-indented.
fn one_function_suggestion(cx: &FileCx<'_>, py: &PyFacts, stmt: Node<'_>, left: Node<'_>, detach: &str) -> Option<Vec<Edit>> {
    stmt.parent().filter(|p| matches!(p.kind(), "block" | "module"))?;
    let token_text = cx.text(left);
    let token = if left.kind() == "identifier" { token_text.to_string() } else { fresh_name(enclosing_scope(stmt), py) };
    let mentions = |n: Node<'_>| Preorder::new(n).any(|d| matches!(d.kind(), "identifier" | "attribute") && cx.text(d) == token_text);
    let mut rest = Vec::new();
    let mut next = stmt.next_named_sibling();
    while let Some(n) = next {
        if n.kind() != "comment" {
            if Preorder::new(n).any(|d| d.kind() == "string" && d.start_position().row != d.end_position().row) {
                return None;
            }
            rest.push(n);
        }
        next = n.next_named_sibling();
    }
    let indent = syntax::line_indent(cx.source, stmt.start_byte());
    let unit = indent_unit(cx, stmt, indent);
    let eol = syntax::line_ending(cx.source);
    let kept: Vec<&str> = rest.iter().filter(|n| !mentions(**n)).map(|n| cx.text(*n)).collect();
    let mut body = String::new();
    if kept.is_empty() {
        body.push_str(&format!("{indent}{unit}...  # the work that needs this context"));
    }
    for text in kept {
        if !body.is_empty() {
            body.push_str(eol);
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                body.push('\n');
            }
            if !line.trim().is_empty() {
                body.push_str(if i == 0 { indent } else { "" });
                body.push_str(unit);
            }
            body.push_str(line);
        }
    }
    let block = format!("{eol}{indent}try:{eol}{body}{eol}{indent}finally:{eol}{indent}{unit}{detach}({token})");
    let mut edits = Vec::new();
    if left.kind() != "identifier" {
        edits.push(Edit::replace(left.byte_range(), token.clone()));
    }
    // a comment that trails the attach on its line stays on it
    let start = stmt
        .next_named_sibling()
        .filter(|n| n.kind() == "comment" && n.start_position().row == stmt.end_position().row)
        .map_or(stmt.end_byte(), |c| c.end_byte());
    let end = rest.last().map_or(start, |n| n.end_byte().max(start));
    edits.push(Edit::replace(start..end, block));
    Some(edits)
}

/// `attach` in `__enter__` (or a test's setUp) with a detach in the same class's `__exit__` (or tearDown).
fn is_context_manager_shape(cx: &FileCx<'_>, call: Node<'_>) -> bool {
    let Some(func) = enclosing_function(call) else { return false };
    let name = func.child_by_field_name("name").map(|n| cx.text(n)).unwrap_or("");
    let Some(class_body) = ancestors(func).find(|a| a.kind() == "class_definition").and_then(|c| c.child_by_field_name("body")) else {
        return false;
    };
    let methods: Vec<(&str, Node<'_>)> = named_children(class_body)
        .map(|m| if m.kind() == "decorated_definition" { m.child_by_field_name("definition").unwrap_or(m) } else { m })
        .filter(|m| m.kind() == "function_definition")
        .filter_map(|m| m.child_by_field_name("name").map(|n| (cx.text(n), m)))
        .collect();
    let calls_self = |m: Node<'_>, target: &str| {
        let wanted = format!("self.{target}");
        syntax::find_first(m, |_| false, |n| n.kind() == "call" && n.child_by_field_name("function").is_some_and(|f| cx.text(f) == wanted))
            .is_some()
    };
    let detaches = |m: Node<'_>| {
        syntax::find_first(
            m,
            |_| false,
            |n| n.kind() == "call" && n.child_by_field_name("function").is_some_and(|f| cx.text(f).ends_with("detach")),
        )
        .is_some()
    };
    // the attach runs on entry: in `__enter__`-like methods, in `__init__` of a context manager, or in a helper they call
    let on_entry = ENTER.contains(&name) || name == "__init__" || methods.iter().any(|(n, m)| ENTER.contains(n) && calls_self(*m, name));
    // and the detach on exit: in `__exit__`-like methods, or in a helper they call
    on_entry
        && methods
            .iter()
            .any(|(n, m)| EXIT.contains(n) && (detaches(*m) || methods.iter().any(|(h, hm)| detaches(*hm) && calls_self(*m, h))))
}

/// `attach` in the first of a test runner's paired module-level hooks ([`HOOK_PAIRS`]) whose partner, in the same
/// file, detaches.
fn is_paired_hook(cx: &FileCx<'_>, call: Node<'_>) -> bool {
    let top_level = |f: &Node<'_>| {
        let outer = f.parent().filter(|p| p.kind() == "decorated_definition").and_then(|d| d.parent()).or(f.parent());
        outer.is_some_and(|p| p.kind() == "module")
    };
    let Some(func) = enclosing_function(call).filter(top_level) else { return false };
    let name = func.child_by_field_name("name").map_or("", |n| cx.text(n));
    let Some((_, partner)) = HOOK_PAIRS.iter().find(|(first, _)| *first == name) else { return false };
    let py = cx.py();
    named_children(cx.root())
        .map(|d| if d.kind() == "decorated_definition" { d.child_by_field_name("definition").unwrap_or(d) } else { d })
        .filter(|d| d.kind() == "function_definition" && d.child_by_field_name("name").is_some_and(|n| cx.text(n) == *partner))
        .any(|d| Preorder::new(d).any(|n| n.kind() == "call" && is_detach(py, n)))
}

/// Does the function return the token to its caller: `return token`, or inside a tuple, list or dict it returns.
fn returns_token(scope: Node<'_>, token: &str, py: &PyFacts<'_>) -> bool {
    // the token itself, or a name assigned a value that holds it (`tokens = [name_token, ctx_token]`)
    let holders: Vec<&str> = syntax::find_all(scope, |n| n.kind() == "function_definition", |n| n.kind() == "assignment")
        .into_iter()
        .filter(|a| {
            a.child_by_field_name("right")
                .is_some_and(|r| syntax::find_first(r, |_| false, |n| n.kind() == "identifier" && py.text(n) == token).is_some())
        })
        .filter_map(|a| a.child_by_field_name("left").filter(|l| l.kind() == "identifier").map(|l| py.text(l)))
        .collect();
    let is_token = |n: Node<'_>| py.text(n) == token || holders.contains(&py.text(n));
    syntax::find_first(
        scope,
        |n| n.kind() == "function_definition",
        |n| {
            n.kind() == "return_statement"
                && n.named_child(0).is_some_and(|v| {
                    is_token(v)
                        || (matches!(v.kind(), "expression_list" | "tuple" | "list" | "dictionary")
                            && named_children(v).any(|item| {
                                is_token(item) || (item.kind() == "pair" && item.child_by_field_name("value").is_some_and(is_token))
                            }))
                })
        },
    )
    .is_some()
}

fn next_statement(stmt: Node<'_>) -> Option<Node<'_>> {
    let mut next = stmt.next_named_sibling();
    while let Some(n) = next {
        if n.kind() != "comment" {
            return Some(n);
        }
        next = n.next_named_sibling();
    }
    None
}

/// A detach of `token` in the `finally:` of `try_stmt`.
/// A call in the `finally:` of `try_stmt` that detaches `token`: `detach(token)`, or a helper given the token among
/// its arguments (`_cleanup(span, ctx, token)`, `_detach(context, token)`): the helper detaches.
fn finally_detaches<'t>(py: &PyFacts, try_stmt: Node<'t>, token: &str) -> Option<Node<'t>> {
    let fin = named_children(try_stmt).find(|c| c.kind() == "finally_clause")?;
    detach_calls(py, fin, token).into_iter().next().or_else(|| {
        syntax::find_first(
            fin,
            |_| false,
            |n| {
                n.kind() == "call"
                    && n.child_by_field_name("arguments").is_some_and(|args| {
                        named_children(args).any(|a| {
                            let value = if a.kind() == "keyword_argument" { a.child_by_field_name("value") } else { Some(a) };
                            value.is_some_and(|v| py.text(v) == token)
                        })
                    })
            },
        )
    })
}

fn is_detach(py: &PyFacts, call: Node<'_>) -> bool {
    call.kind() == "call"
        && call
            .child_by_field_name("function")
            .is_some_and(|f| py.resolves_to(f, &["opentelemetry.context.detach"]) || py.text(f).ends_with("detach"))
}

/// Every `detach(token)` below `root`, in order.
fn detach_calls<'t>(py: &PyFacts, root: Node<'t>, token: &str) -> Vec<Node<'t>> {
    syntax::find_all(root, |_| false, |n| is_detach(py, n) && positional_arg(n, 0).is_some_and(|a| py.text(a) == token))
}

/// How to call detach, named like the attach (`context.attach` → `context.detach`), when that name is imported.
fn detach_callee(py: &PyFacts, attach: Node<'_>) -> Option<String> {
    if attach.kind() == "attribute" {
        let obj = attach.child_by_field_name("object")?;
        return Some(format!("{}.detach", py.text(obj)));
    }
    let mut names: Vec<(&String, &String)> = py.imports.iter().filter(|(_, q)| q.as_str() == "opentelemetry.context.detach").collect();
    names.sort();
    names.first().map(|(local, _)| local.to_string())
}

/// A name for a new token variable that the scope does not use yet.
fn fresh_name(scope: Node<'_>, py: &PyFacts<'_>) -> String {
    let used = |name: &str| syntax::find_first(scope, |_| false, |n| n.kind() == "identifier" && py.text(n) == name).is_some();
    ["token", "otel_token", "context_token"].iter().find(|n| !used(n)).map_or_else(|| "ctxlint_token".to_string(), |n| n.to_string())
}

/// Wraps the statements after `stmt` in its block in `try:` ... `finally: <detach>`. An existing `detach` must be the
/// block's last statement (it moves into the `finally`). `None` when the shape does not allow a faithful edit.
fn wrap_rest_in_try(cx: &FileCx<'_>, stmt: Node<'_>, token: &str, detach: &str, existing: Option<Node<'_>>) -> Option<Vec<Edit>> {
    let parent = stmt.parent()?;
    if !matches!(parent.kind(), "block" | "module") {
        return None;
    }
    let mut rest: Vec<Node<'_>> = Vec::new();
    let mut next = stmt.next_named_sibling();
    while let Some(n) = next {
        // a comment that trails the attach on its own line stays there
        if !(n.kind() == "comment" && n.start_position().row == stmt.end_position().row) {
            rest.push(n);
        }
        next = n.next_named_sibling();
    }
    while rest.last().is_some_and(|n| n.kind() == "comment") {
        rest.pop();
    }
    // an existing detach ends the region (what follows it stays after the `try`)
    if let Some(d) = existing {
        let at = rest.iter().position(|n| n.kind() == "expression_statement" && n.named_child(0).is_some_and(|c| c.id() == d.id()))?;
        rest.truncate(at + 1);
    }
    let replace_end = rest.last()?.end_byte();
    if existing.is_some() {
        rest.pop();
    }
    while rest.last().is_some_and(|n| n.kind() == "comment") {
        rest.pop();
    }
    let first = rest.first()?;
    let last = rest.last()?;
    let body = cx.source.get(first.start_byte()..last.end_byte())?;
    // a multi-line string would change if indented; another detach of the token would run twice
    let region = (first.start_byte(), last.end_byte());
    let mut walk = Preorder::new(parent);
    while let Some(n) = walk.next() {
        if n.end_byte() <= region.0 || n.start_byte() >= region.1 {
            walk.skip_children();
            continue;
        }
        if n.kind() == "string" && n.start_position().row != n.end_position().row {
            return None;
        }
        if n.kind() == "call" && cx.text(n).contains("detach(") && positional_arg(n, 0).is_some_and(|a| cx.text(a) == token) {
            return None;
        }
        // the token handed to someone else, who may detach it: a finally would detach it twice
        if n.kind() == "identifier" && cx.text(n) == token {
            return None;
        }
    }
    let indent = syntax::line_indent(cx.source, stmt.start_byte());
    let unit = indent_unit(cx, stmt, indent);
    let eol = syntax::line_ending(cx.source);
    let mut wrapped = String::with_capacity(body.len() + 64);
    wrapped.push_str("try:");
    wrapped.push_str(eol);
    wrapped.push_str(indent);
    wrapped.push_str(unit);
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            wrapped.push('\n');
            if !line.trim().is_empty() {
                wrapped.push_str(unit);
            }
        }
        wrapped.push_str(line);
    }
    wrapped.push_str(&format!("{eol}{indent}finally:{eol}{indent}{unit}{detach}"));
    Some(vec![Edit::replace(first.start_byte()..replace_end, wrapped)])
}

/// A `try` whose `finally:` detaches (`detach`) but starts statements after the attach `stmt`: the statements between
/// move into the `try` body, so that it starts right after the attach. `None` when the `try` is not a later statement
/// of the same block, has `except`/`else` clauses (they would now catch what the moved statements raise), or holds
/// anything the move could change (a comment after `try:`, a multi-line string, the token itself).
fn widen_try(cx: &FileCx<'_>, stmt: Node<'_>, detach: Node<'_>) -> Option<Vec<Edit>> {
    let try_stmt = ancestors(detach).find(|a| a.kind() == "try_statement")?;
    if try_stmt.parent()?.id() != stmt.parent()?.id() {
        return None;
    }
    if named_children(try_stmt).any(|c| matches!(c.kind(), "except_clause" | "except_group_clause" | "else_clause")) {
        return None;
    }
    let body = try_stmt.child_by_field_name("body")?;
    let body_first = body.named_child(0)?;
    let mut between: Vec<Node<'_>> = Vec::new();
    let mut next = stmt.next_named_sibling();
    while let Some(n) = next.filter(|n| n.id() != try_stmt.id()) {
        if !(n.kind() == "comment" && n.start_position().row == stmt.end_position().row) {
            between.push(n);
        }
        next = n.next_named_sibling();
    }
    let (first, last) = (between.first()?, between.last()?);
    // `try:` then the body's first statement, with nothing but white space between
    let header = cx.source.get(try_stmt.start_byte()..body_first.start_byte())?;
    if header.trim_end() != "try:" {
        return None;
    }
    let token = stmt.named_child(0).and_then(|a| a.child_by_field_name("left")).map(|l| cx.text(l))?;
    let moved = Preorder::new(stmt.parent()?).any(|n| {
        n.start_byte() >= first.start_byte()
            && n.end_byte() <= last.end_byte()
            && ((n.kind() == "string" && n.start_position().row != n.end_position().row)
                || (n.kind() == "identifier" && cx.text(n) == token))
    });
    if moved {
        return None;
    }
    let text = cx.source.get(first.start_byte()..last.end_byte())?;
    let indent = syntax::line_indent(cx.source, stmt.start_byte());
    let unit = indent_unit(cx, stmt, indent);
    let eol = syntax::line_ending(cx.source);
    let mut out = format!("try:{eol}{indent}{unit}");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(unit);
            }
        }
        out.push_str(line);
    }
    out.push_str(&format!("{eol}{indent}{unit}"));
    Some(vec![Edit::replace(first.start_byte()..body_first.start_byte(), out)])
}

/// One level of indentation as the file writes it.
fn indent_unit<'s>(cx: &FileCx<'s>, stmt: Node<'_>, indent: &'s str) -> &'static str {
    if indent.contains('\t') {
        return "\t";
    }
    let outer = ancestors(stmt).find(|a| {
        matches!(
            a.kind(),
            "function_definition"
                | "class_definition"
                | "if_statement"
                | "for_statement"
                | "while_statement"
                | "with_statement"
                | "try_statement"
        )
    });
    let outer_len = outer.map_or(0, |o| syntax::line_indent(cx.source, o.start_byte()).len());
    match indent.len().saturating_sub(outer_len) {
        2 => "  ",
        3 => "   ",
        8 => "        ",
        _ => "    ",
    }
}

/// A name assigned the current context earlier in the function (`old = context.get_current()`).
fn saved_context(py: &PyFacts<'_>, call: Node<'_>, name: &str) -> bool {
    let Some(func) = enclosing_function(call) else { return false };
    py.assigned(func, name, |a, value| a.start_byte() < call.start_byte() && py.call_name(value) == Some("get_current")).is_some()
}

/// `attach(old)` where `old` holds the context that was current before: it puts that context back (a restore).
fn restores_saved_context(py: &PyFacts<'_>, call: Node<'_>) -> bool {
    positional_arg(call, 0).is_some_and(|a| a.kind() == "identifier" && saved_context(py, call, py.text(a)))
}

/// An attach in a `try` whose `finally:` puts the saved earlier context back (`finally: attach(old)`).
fn saved_context_restored_after(py: &PyFacts<'_>, call: Node<'_>) -> bool {
    ancestors(call).filter(|a| a.kind() == "try_statement").any(|t| {
        named_children(t).filter(|c| c.kind() == "finally_clause").any(|fin| {
            syntax::find_first(fin, |_| false, |n| n.kind() == "call" && py.call_name(n) == Some("attach") && restores_saved_context(py, n))
                .is_some()
        })
    })
}
