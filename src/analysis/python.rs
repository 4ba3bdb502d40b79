//! Python facts: import aliases resolved to qualified names (`Pool` → `concurrent.futures.ThreadPoolExecutor`),
//! what each name or attribute was constructed from, and the classes the file declares.
use std::collections::HashMap;

use tree_sitter::Node;

use crate::syntax::{self, ancestors, compact, named_children, Preorder};

/// Facts about one Python file, with its text and tree.
pub struct PyFacts<'s> {
    pub source: &'s str,
    pub root: Node<'s>,
    /// Local name → qualified name, from every import in the file.
    pub imports: HashMap<String, String>,
    /// The modules of `from m import *` statements, in file order (`.helpers` for a relative one).
    pub glob_imports: Vec<String>,
    /// Binding text (`pool`, `self._pool`) → qualified name of what it was constructed from (`x = C(...)`,
    /// `with C(...) as x`, `x: C`). Same-file classes are named `local:<Class>`.
    pub constructed: HashMap<String, String>,
    /// The same, per function: (function node id, binding text) → qualified name, so that a name bound in one
    /// function (`executor: Other`) does not hide what it is in another (`with ThreadPoolExecutor() as executor`).
    constructed_in: HashMap<(usize, String), String>,
    /// (class node id, `self.x` / `cls.x`) → qualified constructor: the attributes a class sets (in any method, or
    /// as class attributes and dataclass fields), so that two classes' `self.pool` do not mix.
    constructed_in_class: HashMap<(usize, String), String>,
    /// Function definitions by name (first one wins), built on first use by [`PyFacts::function_named`].
    pub(super) function_index: std::cell::OnceCell<HashMap<&'s str, Node<'s>>>,
    /// Calls by their callee's last name, built on first use by the caller search (`py_handoff`).
    pub(super) call_index: std::cell::OnceCell<HashMap<&'s str, Vec<Node<'s>>>>,
    /// Class definitions by name (first one wins), built on first use by [`PyFacts::class_named`].
    class_index: std::cell::OnceCell<HashMap<&'s str, Node<'s>>>,
    /// Memo of [`PyFacts::context_at`]'s per-function answer, by function node id.
    pub(super) function_contexts: std::cell::RefCell<HashMap<usize, Option<Node<'s>>>>,
    /// Memo of [`PyFacts::own_span_start`]: function node id → the byte range of its first span-starting call.
    pub(super) span_starts: std::cell::RefCell<HashMap<usize, Option<(usize, usize)>>>,
    /// Which SDK activations the file makes (threading instrumentation, sentry), found once on first use.
    pub(super) activations: std::cell::OnceCell<super::py_handoff::Activations>,
    /// Classes declared in the file → their base class names: qualified when imported, as written when declared in
    /// the file.
    pub classes: HashMap<String, Vec<String>>,
    /// End of the leading imports at module level (after docstring and `__future__` imports), for new imports.
    pub import_insert_at: usize,
    /// The leading module-level imports (not `__future__` ones), in file order, to put a new one in its isort block.
    pub leading_imports: Vec<LeadingImport>,
    /// The rest of the project, for names this file imports (`None`: one file alone, or `--no-project`).
    pub project: Option<std::sync::Arc<dyn super::ProjectFacts>>,
}

/// One of a file's leading imports.
#[derive(Debug, Clone)]
pub struct LeadingImport {
    /// The statement's bytes.
    pub start: usize,
    pub end: usize,
    /// The (first) module it imports, `a.b` of `import a.b` or `from a.b import c`; `None` for a relative import.
    pub module: Option<String>,
    /// `from ... import ...` (isort puts these after the plain imports of their block).
    pub from: bool,
}

/// `module.name`, where a relative module that is only dots (`from . import x`) takes no extra dot: `.x`, `..x`.
pub fn join_module(module: &str, name: &str) -> String {
    if module.ends_with('.') {
        format!("{module}{name}")
    } else {
        format!("{module}.{name}")
    }
}

impl<'s> PyFacts<'s> {
    pub fn collect(root: Node<'s>, source: &'s str) -> PyFacts<'s> {
        let mut f = PyFacts {
            source,
            root,
            imports: HashMap::new(),
            glob_imports: Vec::new(),
            constructed: HashMap::new(),
            constructed_in: HashMap::new(),
            constructed_in_class: HashMap::new(),
            function_index: std::cell::OnceCell::new(),
            class_index: std::cell::OnceCell::new(),
            call_index: std::cell::OnceCell::new(),
            function_contexts: std::cell::RefCell::new(HashMap::new()),
            span_starts: std::cell::RefCell::new(HashMap::new()),
            activations: std::cell::OnceCell::new(),
            classes: HashMap::new(),
            import_insert_at: 0,
            leading_imports: Vec::new(),
            project: None,
        };
        let mut bindings = Vec::new();
        let walk = Preorder::new(root);
        for node in walk {
            match node.kind() {
                "import_statement" => f.import(node),
                "import_from_statement" => f.import_from(node),
                "assignment" | "with_item" | "typed_parameter" | "typed_default_parameter" | "class_definition" => bindings.push(node),
                _ => {}
            }
        }
        for node in bindings.iter().filter(|n| n.kind() == "class_definition") {
            f.class(*node);
        }
        for node in bindings {
            f.binding(node);
        }
        f.import_insert_at = import_insert_point(root);
        f.leading_imports = leading_imports(root, source);
        f
    }

    /// These facts, answering for imported names from `project`.
    pub fn with_project(mut self, project: Option<std::sync::Arc<dyn super::ProjectFacts>>) -> Self {
        self.project = project;
        self
    }

    fn import(&mut self, node: Node<'_>) {
        for name in named_children(node) {
            match name.kind() {
                // import a.b.c  → binds a
                "dotted_name" => {
                    let full = self.text(name);
                    let first = full.split('.').next().unwrap_or(full).trim();
                    self.imports.insert(first.to_string(), first.to_string());
                }
                // import a.b as x → x = a.b
                "aliased_import" => {
                    if let (Some(n), Some(a)) = (name.child_by_field_name("name"), name.child_by_field_name("alias")) {
                        self.imports.insert(self.text(a).to_string(), compact(self.text(n)));
                    }
                }
                _ => {}
            }
        }
    }

    fn import_from(&mut self, node: Node<'_>) {
        let Some(module) = node.child_by_field_name("module_name") else { return };
        let module = compact(self.text(module));
        if named_children(node).any(|c| c.kind() == "wildcard_import") {
            self.glob_imports.push(module.clone());
        }
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            match name.kind() {
                "dotted_name" => {
                    let n = self.text(name);
                    self.imports.insert(n.to_string(), join_module(&module, n));
                }
                "aliased_import" => {
                    if let (Some(n), Some(a)) = (name.child_by_field_name("name"), name.child_by_field_name("alias")) {
                        self.imports.insert(self.text(a).to_string(), join_module(&module, self.text(n)));
                    }
                }
                _ => {}
            }
        }
    }

    fn class(&mut self, node: Node<'_>) {
        let Some(name) = node.child_by_field_name("name") else { return };
        let bases = node
            .child_by_field_name("superclasses")
            // imported bases by their qualified name, same-file ones by their own
            .map(|s| {
                named_children(s)
                    .filter_map(|b| self.resolve(b).or_else(|| (b.kind() == "identifier").then(|| self.text(b).to_string())))
                    .collect()
            })
            .unwrap_or_default();
        self.classes.insert(self.text(name).to_string(), bases);
    }

    fn binding(&mut self, node: Node<'_>) {
        let (target, value) = match node.kind() {
            "assignment" => {
                let (Some(left), Some(right)) =
                    (node.child_by_field_name("left"), node.child_by_field_name("right").or_else(|| node.child_by_field_name("type")))
                else {
                    return;
                };
                // `x: T = C()`: prefer the value, fall back to the annotation
                let value = node.child_by_field_name("right").unwrap_or(right);
                if value.kind() != "call" {
                    if let Some(t) = node.child_by_field_name("type") {
                        if let Some(q) = self.resolve(t.named_child(0).unwrap_or(t)) {
                            self.record_binding(node, left, q);
                        }
                    }
                    return;
                }
                (left, value)
            }
            "with_item" => {
                let Some(value) = node.child_by_field_name("value").filter(|v| v.kind() == "as_pattern") else { return };
                let (Some(call), Some(alias)) = (value.named_child(0), value.child_by_field_name("alias")) else { return };
                (alias.named_child(0).unwrap_or(alias), call)
            }
            "typed_parameter" | "typed_default_parameter" => {
                let name = node.named_child(0).filter(|n| n.kind() == "identifier");
                let ty = node.child_by_field_name("type");
                if let (Some(name), Some(ty)) = (name, ty) {
                    let ty = ty.named_child(0).unwrap_or(ty);
                    let local = self.text(ty);
                    let q = self.resolve(ty).or_else(|| self.classes.contains_key(local).then(|| format!("local:{local}")));
                    if let Some(q) = q {
                        self.record_binding(node, name, q);
                    }
                }
                return;
            }
            _ => return,
        };
        if value.kind() != "call" {
            return;
        }
        let Some(mut func) = value.child_by_field_name("function") else { return };
        // a dataclass field: `field(default_factory=ThreadPoolExecutor)` / `default_factory=lambda: ThreadPoolExecutor(4)`
        if self.resolves_to(func, &["dataclasses.field"]) || self.resolves_to(func, &["attrs.field", "attr.ib", "attr.attrib"]) {
            let Some(factory) = self.keyword_arg(value, "default_factory").or_else(|| self.keyword_arg(value, "factory")) else { return };
            let made = match factory.kind() {
                "lambda" => {
                    factory.child_by_field_name("body").filter(|b| b.kind() == "call").and_then(|b| b.child_by_field_name("function"))
                }
                _ => Some(factory),
            };
            let Some(made) = made else { return };
            func = made;
        }
        let qualified = self.resolve(func).or_else(|| {
            let t = self.text(func);
            self.classes.contains_key(t).then(|| format!("local:{t}"))
        });
        if let Some(q) = qualified {
            self.record_binding(node, target, q);
        }
    }

    /// The qualified name of a dotted expression (`cf.ThreadPoolExecutor` → `concurrent.futures.ThreadPoolExecutor`),
    /// when its first name comes from an import.
    pub fn resolve(&self, expr: Node<'_>) -> Option<String> {
        match expr.kind() {
            "identifier" => self.imports.get(self.text(expr)).cloned(),
            "attribute" => {
                let object = self.resolve(expr.child_by_field_name("object")?)?;
                Some(format!("{object}.{}", self.text(expr.child_by_field_name("attribute")?)))
            }
            _ => None,
        }
    }

    /// The dotted names `expr` may have in the project: what [`Self::resolve`] gives, or else, for a name that no
    /// import binds and that is no function of the file, that name in each module of a `from m import *`, in file
    /// order (the project index answers for the one that defines it).
    pub fn project_names(&self, expr: Node<'_>) -> Vec<String> {
        if let Some(q) = self.resolve(expr) {
            return vec![q];
        }
        match expr.kind() {
            "identifier" if self.local_function(expr).is_none() => {
                self.glob_imports.iter().map(|m| join_module(m, self.text(expr))).collect()
            }
            "attribute" => {
                let (Some(object), Some(attribute)) = (expr.child_by_field_name("object"), expr.child_by_field_name("attribute")) else {
                    return Vec::new();
                };
                self.project_names(object).into_iter().map(|q| format!("{q}.{}", self.text(attribute))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Does `expr` resolve to one of `names`.
    pub fn resolves_to(&self, expr: Node<'_>, names: &[&str]) -> bool {
        self.resolve(expr).is_some_and(|q| names.contains(&q.as_str()))
    }

    /// Records that the binding `target` (in the statement `at`) was constructed from `q`, file-wide and for its
    /// function.
    fn record_binding(&mut self, at: Node<'_>, target: Node<'_>, q: String) {
        let text = self.text(target).to_string();
        // a class attribute or dataclass field (`pool = ThreadPoolExecutor()`, `_pool: ThreadPoolExecutor =
        // field(...)` in the class body): what the methods reach as `self.pool` / `cls.pool`
        let in_class_body = at
            .parent()
            .filter(|p| p.kind() == "expression_statement")
            .and_then(|s| s.parent())
            .is_some_and(|b| b.kind() == "block" && b.parent().is_some_and(|c| c.kind() == "class_definition"));
        let class = ancestors(at).find(|n| n.kind() == "class_definition").map(|c| c.id());
        if in_class_body && target.kind() == "identifier" {
            for owner in ["self", "cls"] {
                let attr = format!("{owner}.{text}");
                if let Some(class) = class {
                    self.constructed_in_class.entry((class, attr.clone())).or_insert_with(|| q.clone());
                }
                self.constructed.entry(attr).or_insert_with(|| q.clone());
            }
        }
        if let Some(class) = class.filter(|_| text.starts_with("self.") || text.starts_with("cls.")) {
            self.constructed_in_class.entry((class, text.clone())).or_insert_with(|| q.clone());
        }
        if let Some(func) = enclosing_function(at) {
            self.constructed_in.insert((func.id(), text.clone()), q.clone());
        }
        self.constructed.insert(text, q);
    }

    /// What the binding named by `expr`'s text was constructed from: as bound in `expr`'s own function when it is,
    /// else anywhere in the file (attributes set in `__init__`, module globals).
    pub fn constructed_from(&self, expr: Node<'_>) -> Option<&str> {
        let text = self.text(expr);
        if let Some(q) = enclosing_function(expr).and_then(|f| self.constructed_in.get(&(f.id(), text.to_string()))) {
            return Some(q);
        }
        // `self.x` in a class: what this class or a same-file base sets, not another class's attribute of that name
        let class = ancestors(expr).find(|n| n.kind() == "class_definition");
        if let Some(class) = class.filter(|_| text.starts_with("self.") || text.starts_with("cls.")) {
            let mut todo = vec![class];
            let mut seen = Vec::new();
            while let Some(c) = todo.pop() {
                if seen.contains(&c.id()) || seen.len() > 32 {
                    continue;
                }
                seen.push(c.id());
                if let Some(q) = self.constructed_in_class.get(&(c.id(), text.to_string())) {
                    return Some(q);
                }
                let name = c.child_by_field_name("name").map(|n| self.text(n)).unwrap_or("");
                for base in self.classes.get(name).into_iter().flatten() {
                    todo.extend(self.class_named(base));
                }
            }
            // set in a base class of another module (the project index may know), or nowhere in this file
            let local_bases = self.classes.get(class.child_by_field_name("name").map(|n| self.text(n)).unwrap_or(""));
            if local_bases.is_some_and(|b| b.iter().all(|b| self.class_named(b).is_some())) {
                return None;
            }
        }
        self.constructed.get(text).map(String::as_str)
    }

    /// What the name `expr` was assigned from in its own function (`repo = Repo(..)` there), not elsewhere in the
    /// file.
    pub fn constructed_in_function(&self, expr: Node<'_>) -> Option<&str> {
        let func = enclosing_function(expr)?;
        self.constructed_in.get(&(func.id(), self.text(expr).to_string())).map(String::as_str)
    }

    /// The same-file class definition named `name` (a base as [`PyFacts::classes`] records it).
    /// An index built on first use: asked for each `self.x` a check resolves.
    fn class_named(&self, name: &str) -> Option<Node<'s>> {
        let index = self.class_index.get_or_init(|| {
            let mut index = HashMap::new();
            for n in Preorder::new(self.root).filter(|n| n.kind() == "class_definition") {
                if let Some(c) = n.child_by_field_name("name") {
                    index.entry(self.text(c)).or_insert(n);
                }
            }
            index
        });
        index.get(name).copied()
    }

    /// The first assignment `name = value` in `scope` (nested code included) that `accept(assignment, value)` takes.
    pub fn assigned<'t>(&self, scope: Node<'t>, name: &str, accept: impl Fn(Node<'t>, Node<'t>) -> bool) -> Option<Node<'t>> {
        Preorder::new(scope).find(|n| {
            n.kind() == "assignment"
                && n.child_by_field_name("left").is_some_and(|l| self.text(l) == name)
                && n.child_by_field_name("right").is_some_and(|r| accept(*n, r))
        })
    }

    /// The source text of a node of this file.
    pub fn text(&self, node: Node<'_>) -> &'s str {
        syntax::text(node, self.source)
    }

    /// Keyword argument `name=` of a call.
    pub fn keyword_arg<'t>(&self, call: Node<'t>, name: &str) -> Option<Node<'t>> {
        let args = call.child_by_field_name("arguments")?;
        named_children(args).find_map(|a| {
            (a.kind() == "keyword_argument" && a.child_by_field_name("name").is_some_and(|n| self.text(n) == name))
                .then(|| a.child_by_field_name("value"))
                .flatten()
        })
    }

    /// Is `class` (a same-file class name) a subclass of one of `bases` (qualified), directly or through
    /// other same-file classes.
    pub fn class_extends(&self, class: &str, bases: &[&str]) -> bool {
        let mut seen = Vec::new();
        let mut todo = vec![class.to_string()];
        while let Some(c) = todo.pop() {
            if seen.contains(&c) || seen.len() > 32 {
                continue;
            }
            let Some(parents) = self.classes.get(&c) else { continue };
            for p in parents {
                if bases.contains(&p.as_str()) {
                    return true;
                }
                todo.push(p.clone());
            }
            seen.push(c);
        }
        false
    }
}

/// The nearest enclosing function definition.
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    ancestors(node).find(|n| n.kind() == "function_definition")
}

/// The function or module a statement belongs to.
pub fn enclosing_scope(node: Node<'_>) -> Node<'_> {
    enclosing_function(node).unwrap_or_else(|| syntax::root(node))
}

/// The n-th positional argument of a call (stops at `*args`).
pub fn positional_arg(call: Node<'_>, n: usize) -> Option<Node<'_>> {
    let args = call.child_by_field_name("arguments")?;
    let positional: Vec<Node<'_>> = named_children(args).filter(|a| a.kind() != "keyword_argument" && a.kind() != "comment").collect();
    if positional.iter().take(n + 1).any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat")) {
        return None;
    }
    positional.get(n).copied()
}

/// The imports [`import_insert_point`] passes over (after the docstring, before the first other statement), without
/// the `__future__` ones.
fn leading_imports(root: Node<'_>, source: &str) -> Vec<LeadingImport> {
    let mut out = Vec::new();
    let mut first = true;
    for child in named_children(root) {
        let is_first = first;
        first = first && child.kind() == "comment";
        let module = match child.kind() {
            "expression_statement" if is_first && child.named_child(0).is_some_and(|s| s.kind() == "string") => continue,
            "comment" | "future_import_statement" => continue,
            "import_statement" => named_children(child)
                .next()
                .and_then(|n| if n.kind() == "aliased_import" { n.child_by_field_name("name") } else { Some(n) })
                .map(|n| compact(syntax::text(n, source))),
            "import_from_statement" => {
                child.child_by_field_name("module_name").filter(|m| m.kind() != "relative_import").map(|m| compact(syntax::text(m, source)))
            }
            _ => break,
        };
        out.push(LeadingImport { start: child.start_byte(), end: child.end_byte(), module, from: child.kind() == "import_from_statement" });
    }
    out
}

/// Where a new top-level import goes: after the module docstring, `__future__` imports and the leading imports; in a
/// file without those, after its leading comments (a shebang or coding line must stay first).
fn import_insert_point(root: Node<'_>) -> usize {
    let mut at = 0;
    let mut leading_comments_end = 0;
    let mut first = true;
    for child in named_children(root) {
        // the docstring is the first statement, after any leading comments (license headers, coding lines)
        let is_first = first;
        first = first && child.kind() == "comment";
        match child.kind() {
            "expression_statement" if is_first && child.named_child(0).is_some_and(|s| s.kind() == "string") => at = child.end_byte(),
            "import_statement" | "import_from_statement" | "future_import_statement" => at = child.end_byte(),
            "comment" if first => leading_comments_end = child.end_byte(),
            "comment" => {}
            _ => break,
        }
    }
    if at == 0 {
        at = leading_comments_end;
    }
    at
}
