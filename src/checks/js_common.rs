//! Helpers shared by the JavaScript checks: what starts a span or reads the active context in a callback, and how
//! to name (and if needed import) the OpenTelemetry `context` API in a fix, in the file's own import style.
use std::collections::HashSet;

use tree_sitter::Node;

pub use crate::analysis::js::context_use::{implicit_context_use, reads_active, ContextUse};
use crate::analysis::js::{arguments, callee_object, JsFacts};
use crate::file_cx::FileCx;
use crate::fix::Edit;
use crate::lang::Lang;
use crate::syntax::{self, unparen, Preorder};

/// How a fix names the `context` API, plus the import edit when the file lacks one. `None` when the name
/// `context` is taken by something else in the file, so a fix would bind the wrong thing.
pub fn context_api_for_fix(cx: &FileCx<'_>) -> Option<(String, Option<Edit>)> {
    let facts = cx.js();
    if let Some(name) = sorted_first(&facts.context_names) {
        return Some((name, None));
    }
    if let Some(api) = sorted_first(&facts.api_names) {
        return Some((format!("{api}.context"), None));
    }
    if declares_name(cx.root(), "context", facts) {
        return None;
    }
    let eol = syntax::line_ending(cx.source);
    let (q, semi) = import_style(facts);
    let edit = if let Some(at) = facts.api_named_import_end {
        Edit::insert(at, ", context")
    } else if facts.is_esm || !facts.uses_require || matches!(cx.lang, Lang::TypeScript | Lang::Tsx) {
        import_line(facts, &format!("import {{ context }} from {q}@opentelemetry/api{q}{semi}"), eol)
    } else {
        import_line(facts, &format!("const {{ context }} = require({q}@opentelemetry/api{q}){semi}"), eol)
    };
    Some(("context".to_string(), Some(edit)))
}

/// The quote and statement end of the file's own imports: `"` when its module strings use double quotes, and no `;`
/// when its last import has none (a semicolon-free code style).
fn import_style(facts: &JsFacts) -> (char, &'static str) {
    let double = ["from \"", "require(\"", "import \""].iter().map(|p| facts.source.matches(p).count()).sum::<usize>();
    let single = ["from '", "require('", "import '"].iter().map(|p| facts.source.matches(p).count()).sum::<usize>();
    let quote = if double > single { '"' } else { '\'' };
    let semi = match facts.last_import_end {
        Some(end) if facts.source.as_bytes().get(end.wrapping_sub(1)) != Some(&b';') => "",
        _ => ";",
    };
    (quote, semi)
}

/// An edit that adds `line` after the file's last import, else after its directive prologue, else first (after its
/// byte order mark, which must stay at byte 0).
fn import_line(facts: &JsFacts, line: &str, eol: &str) -> Edit {
    let start = syntax::text_start(facts.source);
    match facts.last_import_end {
        Some(at) if at > start => Edit::insert(at, format!("{eol}{line}")),
        None if facts.prologue_end > start => Edit::insert(facts.prologue_end, format!("{eol}{line}")),
        _ => Edit::insert(start, format!("{line}{eol}")),
    }
}

fn sorted_first(names: &HashSet<String>) -> Option<String> {
    let mut v: Vec<&String> = names.iter().collect();
    v.sort();
    v.first().map(|s| s.to_string())
}

/// Does the file declare `name` itself (a parameter, variable, function or class)?
fn declares_name(root: Node<'_>, name: &str, facts: &JsFacts<'_>) -> bool {
    let walk = Preorder::new(root);
    for node in walk {
        if node.kind() == "identifier" && facts.text(node) == name {
            let parent = node.parent().map(|p| p.kind()).unwrap_or("");
            if matches!(
                parent,
                "formal_parameters"
                    | "required_parameter"
                    | "optional_parameter"
                    | "variable_declarator"
                    | "function_declaration"
                    | "class_declaration"
                    | "shorthand_property_identifier_pattern"
                    | "assignment_pattern"
            ) {
                return true;
            }
            if parent == "arrow_function" && node.prev_sibling().is_none() {
                return true;
            }
        }
    }
    false
}

/// How a callback is bound to a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindKind {
    /// `context.bind(ctx, fn)`: works under every context manager.
    Context,
    /// `AsyncResource.bind(fn)`, `als.bind(fn)`, `AsyncLocalStorage.bind(fn)`, `resource.bind(fn)`: async_hooks
    /// binding, which only AsyncLocalStorage-based managers see.
    AsyncResource,
}

/// When `node` is a bound function, how it is bound and the function it wraps.
pub fn bind_wrapper<'t>(facts: &JsFacts, node: Node<'t>) -> Option<(BindKind, Node<'t>)> {
    let node = unparen(node);
    if node.kind() != "call_expression" || facts.callee_name(node) != Some("bind") {
        return None;
    }
    let object = callee_object(node)?;
    let args = arguments(node);
    if facts.is_context_api(object) {
        return Some((BindKind::Context, *args.get(1)?));
    }
    let text = facts.text(unparen(object));
    let async_hooks = text.ends_with("AsyncResource")
        || text == "AsyncLocalStorage"
        || facts.is_als(object)
        || text.rsplit('.').next().is_some_and(|last| last.to_ascii_lowercase().ends_with("resource"));
    if async_hooks && args.len() == 1 {
        return Some((BindKind::AsyncResource, args[0]));
    }
    None
}

/// Is `call` a `context.bind(ctx, <target>)` whose bound target's text is `target`.
pub fn is_context_bind_of(facts: &JsFacts, call: Node<'_>, target: &str) -> bool {
    facts.callee_name(call) == Some("bind")
        && callee_object(call).is_some_and(|o| facts.is_context_api(o))
        && arguments(call).get(1).is_some_and(|a| facts.text(unparen(*a)) == target)
}

/// The names a function's parameters bind (plain, defaulted, typed, and the top level of destructuring patterns).
pub fn parameter_names(func: Node<'_>, facts: &JsFacts<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = func.child_by_field_name("parameter") {
        out.push(facts.text(p).to_string());
    }
    let Some(params) = func.child_by_field_name("parameters") else { return out };
    for p in syntax::named_children(params) {
        let p = match p.kind() {
            "required_parameter" | "optional_parameter" => p.child_by_field_name("pattern").unwrap_or(p),
            "assignment_pattern" => p.child_by_field_name("left").unwrap_or(p),
            _ => p,
        };
        match p.kind() {
            "identifier" => out.push(facts.text(p).to_string()),
            "object_pattern" | "array_pattern" => {
                for part in syntax::named_children(p) {
                    let n = match part.kind() {
                        "pair_pattern" => part.child_by_field_name("value"),
                        "object_assignment_pattern" => part.child_by_field_name("left"),
                        _ => Some(part),
                    };
                    if let Some(n) = n.filter(|n| matches!(n.kind(), "identifier" | "shorthand_property_identifier_pattern")) {
                        out.push(facts.text(n).to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}
