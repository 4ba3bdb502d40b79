//! `py/dangling-task`: `asyncio.create_task` / `ensure_future` / `loop.create_task` whose result is dropped (an
//! expression statement, or a name never read again), so the event loop's weak reference is all that keeps the task.
//! `TaskGroup.create_task` is fine: the group holds its tasks.
use tree_sitter::Node;

use crate::analysis::python::{enclosing_scope, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::syntax::{self, ancestors, contains, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "py/dangling-task",
    captures: &["method"],
    vars: &["call"],
    variants: &["unread", "outside-span"],
    labels: &["name"],
    run: CheckFn::Match(run),
};

const TASK_FUNCTIONS: &[&str] =
    &["asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task", "asyncio.tasks.ensure_future"];
const EVENT_LOOPS: &[&str] =
    &["asyncio.AbstractEventLoop", "asyncio.BaseEventLoop", "asyncio.events.AbstractEventLoop", "asyncio.base_events.BaseEventLoop"];
const TASK_GROUPS: &[&str] = &["asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let method = caps.get("method")?;
    let py = cx.py();
    let func = call.child_by_field_name("function")?;
    if !creates_task(py, func, cx.text(method)) {
        return None;
    }
    let call_text = format!("{}(…)", cx.text(func));
    let parent = call.parent()?;
    match parent.kind() {
        "expression_statement" => {
            let indent = syntax::line_indent(cx.source, parent.start_byte());
            let eol = syntax::line_ending(cx.source);
            let keep = format!(
                "task = {call}{eol}{indent}background_tasks.add(task){eol}{indent}task.add_done_callback(background_tasks.discard)",
                call = cx.text(call)
            );
            let hit = Hit::at(func.byte_range()).var("call", call_text).edits(vec![Edit::replace(parent.byte_range(), keep)]);
            // "its spans start after the parent span ended" holds only where there is a parent span
            Some(if py.span_scope(call).is_none() { hit.variant("outside-span") } else { hit })
        }
        "assignment" => {
            let left = parent.child_by_field_name("left").filter(|l| l.kind() == "identifier")?;
            if parent.parent().is_none_or(|p| p.kind() != "expression_statement") {
                return None;
            }
            let name = cx.text(left);
            if name != "_" && is_read_later(enclosing_scope(call), parent, name, py) {
                return None;
            }
            Some(Hit::at(func.byte_range()).var("call", call_text).variant("unread").label("name", left))
        }
        _ => None,
    }
}

/// Does `func` (with `method` its last name) create an asyncio task outside a TaskGroup?
fn creates_task(py: &PyFacts, func: Node<'_>, method: &str) -> bool {
    if py.resolves_to(func, TASK_FUNCTIONS) {
        return true;
    }
    if func.kind() != "attribute" || method != "create_task" {
        return false;
    }
    let Some(receiver) = func.child_by_field_name("object") else { return false };
    // a receiver whose type the file shows must be an event loop
    if let Some(q) = py.constructed_from(receiver) {
        return match q.strip_prefix("local:") {
            Some(class) => py.class_extends(class, EVENT_LOOPS),
            None => !TASK_GROUPS.contains(&q) && (q.starts_with("asyncio.") || q.starts_with("uvloop.")),
        };
    }
    let text = py.text(receiver);
    // `self.create_task(...)` in a class that defines `create_task` and keeps what it creates (a custom loop)
    if matches!(text, "self" | "cls") && own_create_task_keeps_tasks(py, func) {
        return false;
    }
    let last = text.rsplit('.').next().unwrap_or(text).trim_start_matches('_').to_ascii_lowercase();
    !(last == "tg" || last.contains("group") || last.contains("nursery"))
}

/// Is `name` read after `assignment` in `scope` (or anywhere in a loop around it), or declared `global`/`nonlocal`.
fn is_read_later(scope: Node<'_>, assignment: Node<'_>, name: &str, py: &PyFacts<'_>) -> bool {
    let loop_start = ancestors(assignment)
        .take_while(|a| a.id() != scope.id())
        .filter(|a| matches!(a.kind(), "for_statement" | "while_statement"))
        .last()
        .map(|l| l.start_byte());
    let from = loop_start.unwrap_or(assignment.end_byte());
    let walk = Preorder::new(scope);
    for n in walk {
        if n.kind() != "identifier" || py.text(n) != name || contains(assignment, n) {
            continue;
        }
        let declared = n.parent().is_some_and(|p| matches!(p.kind(), "global_statement" | "nonlocal_statement"));
        if declared {
            return true;
        }
        if n.start_byte() < from {
            continue;
        }
        let rebinding =
            n.parent().is_some_and(|p| p.kind() == "assignment" && p.child_by_field_name("left").is_some_and(|l| l.id() == n.id()));
        if !rebinding {
            return true;
        }
    }
    false
}

/// Does the class around `at` define a `create_task` method that keeps the tasks it creates: stores them (in a set,
/// a list, an attribute, a registry call given the task) or returns them to a caller that does.
fn own_create_task_keeps_tasks(py: &PyFacts, at: Node<'_>) -> bool {
    let Some(class) = ancestors(at).find(|a| a.kind() == "class_definition") else { return false };
    let Some(body) = class.child_by_field_name("body") else { return false };
    let method = syntax::named_children(body)
        .map(|m| if m.kind() == "decorated_definition" { m.child_by_field_name("definition").unwrap_or(m) } else { m })
        .find(|m| m.kind() == "function_definition" && m.child_by_field_name("name").is_some_and(|n| py.text(n) == "create_task"));
    let Some(method) = method else { return false };
    Preorder::new(method).any(|n| {
        let t = py.text(n);
        (n.kind() == "call" && (t.contains(".add(") || t.contains(".append(") || t.contains("register")))
            || (n.kind() == "assignment"
                && n.child_by_field_name("left").is_some_and(|l| l.kind() == "subscript" || py.text(l).starts_with("self.")))
    })
}
