//! The facts one Python module gives the project index: its functions and methods (does each do traced work, which
//! functions it calls), its imports (for re-exports), its classes' bases and its module-level globals' constructors.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tree_sitter::{Node, Parser};

use crate::analysis::python::PyFacts;
use crate::lang::Lang;
use crate::syntax::{named_children, Preorder};

#[derive(Debug, Default)]
pub struct PyModule {
    pub path: PathBuf,
    /// Local name → dotted name, as the module imports it.
    pub imports: HashMap<String, String>,
    /// The modules it imports with `from m import *`, in file order.
    pub globs: Vec<String>,
    /// Module-level functions by name, methods as `Class.method`.
    pub functions: HashMap<String, PyFunction>,
    /// Class → its bases, dotted (imported ones only).
    pub classes: HashMap<String, Vec<String>>,
    /// Module-level global → the dotted name of what constructed it (`io_pool = ThreadPoolExecutor()`).
    pub globals: HashMap<String, String>,
}

#[derive(Debug, Default)]
pub struct PyFunction {
    /// It starts a span, reads the context or calls an auto-instrumented client (or a same-file function that does).
    pub traced: bool,
    /// The imported names it calls or passes on, dotted (`helpers.fetch`, `.client.send`), with those of the
    /// same-file functions it calls (whose own traced work is already in `traced`).
    pub calls: Vec<String>,
    /// It opens a span scope for its caller's `with` block (a span helper).
    pub opens_span: bool,
    /// As a message handler: it starts a span with the current context (or reads the current span), itself or
    /// through the same-file functions it calls, and never calls `extract(...)` there.
    pub starts_unextracted: bool,
}

impl PyModule {
    /// Reads and indexes the module at `path`; `None` when it cannot be read, is too large, or does not parse.
    pub fn read(path: &Path) -> Option<PyModule> {
        let source = super::sources::read_source(path)?;
        let mut parser = Parser::new();
        parser.set_language(&Lang::Python.grammar()).ok()?;
        let tree = parser.parse(&source, None)?;
        let facts = PyFacts::collect(tree.root_node(), &source);
        Some(PyModule::index(path, &facts))
    }

    fn index<'s>(path: &Path, facts: &PyFacts<'s>) -> PyModule {
        let mut module = PyModule {
            path: path.to_path_buf(),
            imports: facts.imports.clone(),
            globs: facts.glob_imports.clone(),
            classes: facts.classes.clone(),
            ..PyModule::default()
        };
        for item in named_children(facts.root).map(definition) {
            match item.kind() {
                "function_definition" => {
                    if let Some(name) = item.child_by_field_name("name") {
                        module.functions.entry(facts.text(name).to_string()).or_insert_with(|| function(facts, item));
                    }
                }
                "class_definition" => {
                    let Some(class) = item.child_by_field_name("name").map(|n| facts.text(n)) else { continue };
                    for method in item.child_by_field_name("body").into_iter().flat_map(named_children).map(definition) {
                        if method.kind() != "function_definition" {
                            continue;
                        }
                        if let Some(name) = method.child_by_field_name("name") {
                            module.functions.entry(format!("{class}.{}", facts.text(name))).or_insert_with(|| function(facts, method));
                        }
                    }
                }
                "expression_statement" => {
                    let Some(assignment) = item.named_child(0).filter(|a| a.kind() == "assignment") else { continue };
                    let (Some(left), Some(right)) = (assignment.child_by_field_name("left"), assignment.child_by_field_name("right"))
                    else {
                        continue;
                    };
                    if left.kind() != "identifier" || right.kind() != "call" {
                        continue;
                    }
                    if let Some(q) = right.child_by_field_name("function").and_then(|f| facts.resolve(f)) {
                        module.globals.insert(facts.text(left).to_string(), q);
                    }
                }
                _ => {}
            }
        }
        module
    }
}

impl PyModule {
    /// Where the module's name `name`, which it does not define, comes from: its import, or else that name in each
    /// module it imports with `*`.
    pub fn origins(&self, name: &str) -> Vec<String> {
        match self.imports.get(name) {
            Some(target) => vec![target.clone()],
            None => self.globs.iter().map(|m| crate::analysis::python::join_module(m, name)).collect(),
        }
    }
}

/// The definition inside a decorated one.
fn definition(node: Node<'_>) -> Node<'_> {
    if node.kind() == "decorated_definition" {
        node.child_by_field_name("definition").unwrap_or(node)
    } else {
        node
    }
}

/// The facts of one function: its traced work (same file included), and the imported names it and its same-file
/// callees call or pass on.
fn function<'s>(facts: &PyFacts<'s>, def: Node<'s>) -> PyFunction {
    let traced = facts.traced_work(def).is_some();
    let mut calls = Vec::new();
    let mut bodies = vec![def];
    let mut seen = vec![def.id()];
    // the same-file callees, two levels deep (as the file's own traced work follows them)
    for _ in 0..3 {
        let mut next = Vec::new();
        for body in bodies {
            for call in Preorder::new(body).filter(|n| n.kind() == "call") {
                let callees = call.child_by_field_name("function").into_iter().chain(
                    call.child_by_field_name("arguments")
                        .into_iter()
                        .flat_map(named_children)
                        .filter(|a| matches!(a.kind(), "identifier" | "attribute")),
                );
                for callee in callees {
                    match facts.local_function(callee) {
                        Some(f) if !seen.contains(&f.id()) => {
                            seen.push(f.id());
                            next.push(f);
                        }
                        Some(_) => {}
                        None => {
                            if let Some(q) = facts.resolve(callee) {
                                if !calls.contains(&q) {
                                    calls.push(q);
                                }
                            }
                        }
                    }
                }
            }
        }
        bodies = next;
    }
    let starts_unextracted = facts.implicit_span_start(def).is_some() && !facts.calls_any(def, &["extract"]);
    PyFunction { traced, calls, opens_span: facts.is_span_helper(def), starts_unextracted }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(source: &str) -> PyModule {
        let mut parser = Parser::new();
        parser.set_language(&Lang::Python.grammar()).expect("grammar");
        let tree = parser.parse(source, None).expect("parse");
        let facts = PyFacts::collect(tree.root_node(), source);
        PyModule::index(Path::new("m.py"), &facts)
    }

    #[test]
    fn functions_methods_globals_and_their_calls_are_indexed() {
        let m = index(
            "from concurrent.futures import ThreadPoolExecutor\nimport requests\nfrom .client import send\n\n\
             io_pool = ThreadPoolExecutor(4)\n\n\
             def fetch(url):\n    return requests.get(url)\n\n\
             def relay(x):\n    return _inner(x)\n\n\
             def _inner(x):\n    return send(x)\n\n\
             class Repo(Base):\n    def upload(self, f):\n        return self._put(f)\n\n    def _put(self, f):\n        return len(f)\n",
        );
        assert!(m.functions["fetch"].traced, "requests.get is an auto-instrumented client");
        assert!(!m.functions["relay"].traced);
        assert_eq!(m.functions["relay"].calls, vec![".client.send".to_string()], "a same-file callee's imported calls count");
        assert!(!m.functions["Repo.upload"].traced);
        assert!(m.functions["Repo.upload"].calls.is_empty(), "{:?}", m.functions["Repo.upload"].calls);
        assert_eq!(m.globals["io_pool"], "concurrent.futures.ThreadPoolExecutor");
    }

    #[test]
    fn handlers_that_start_spans_without_extract_are_marked() {
        let m = index(
            "from opentelemetry import trace\nfrom opentelemetry.propagate import extract\n\
             tracer = trace.get_tracer(__name__)\n\n\
             def on_order(ch, method, props, body):\n    _handle(body)\n\n\
             def _handle(body):\n    with tracer.start_as_current_span('order'):\n        pass\n\n\
             def on_refund(ch, method, props, body):\n    ctx = extract(props.headers)\n    with tracer.start_as_current_span('refund', context=ctx):\n        pass\n\n\
             def on_ping(ch, method, props, body):\n    return body\n",
        );
        assert!(m.functions["on_order"].starts_unextracted, "through a same-file callee");
        assert!(!m.functions["on_refund"].starts_unextracted, "extracts");
        assert!(!m.functions["on_ping"].starts_unextracted, "starts no span");
    }
}
