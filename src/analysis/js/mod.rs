//! JavaScript/TypeScript facts: how the file names the OpenTelemetry API, which functions are `async`, which
//! AsyncLocalStorage instances it makes, and which functions run in a span scope (span callbacks, `context.with`,
//! `als.run`, and the request handlers of express, fastify, koa, NestJS and `http.createServer`), including
//! callbacks passed by name. The facts are gathered in one walk ([`JsFacts::collect`]); [`syntax`] holds the syntax
//! helpers, [`bindings`] the imports and constructed names, [`scopes`] the span scopes.
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::syntax::{self, Preorder};

mod bindings;
pub mod context_use;
mod scopes;
mod syntax_helpers;

pub use scopes::{Scope, ScopeKind};
use syntax_helpers::prologue_end;
pub use syntax_helpers::{arguments, await_before, callee_object, enclosing_function, is_async, is_function, is_generator};

/// Facts about one JS/TS file, with its text and tree.
pub struct JsFacts<'s> {
    pub source: &'s str,
    pub root: Node<'s>,
    /// Local names of the OpenTelemetry `context` API (`context`, or an alias).
    pub context_names: HashSet<String>,
    /// Local names of the whole `@opentelemetry/api` module (`api` in `api.context`).
    pub api_names: HashSet<String>,
    /// Whether the file imports `@opentelemetry/api` with ES `import { ... }` or a top-level `const { ... } =
    /// require(...)`: (byte offset after the last named specifier), for adding `context` to it.
    pub api_named_import_end: Option<usize>,
    /// Names of `async` functions declared in the file → their byte range (for labels).
    pub async_functions: HashMap<String, std::ops::Range<usize>>,
    /// Names of `async` class methods → their byte range.
    pub async_methods: HashMap<String, std::ops::Range<usize>>,
    /// Named functions (declarations, `const f = () => ...`, methods) → their byte range.
    pub functions: HashMap<String, std::ops::Range<usize>>,
    /// Texts of AsyncLocalStorage instances (`als`, `this.storage`).
    pub als_names: HashSet<String>,
    /// Local names of promise-API modules (`fsp` in `import fsp from 'fs/promises'`).
    pub promise_namespaces: HashSet<String>,
    /// Functions imported from promise-API modules (`readFile`, or `sleep` for `setTimeout as sleep`).
    pub promise_functions: HashSet<String>,
    /// Functions (by node id) passed directly to a scope opener.
    scope_callbacks: HashMap<usize, (ScopeKind, usize, usize)>,
    /// Function names passed by name to a scope opener.
    scope_callback_names: HashMap<String, (ScopeKind, usize, usize)>,
    /// Memo: does a function (by node id) start a span itself.
    starts_span: RefCell<HashMap<usize, bool>>,
    /// Every module the file imports or requires (`node:` prefix removed).
    pub modules: HashSet<String>,
    /// Local names of imported members → (module, exported name): `Worker` → (`bullmq`, `Worker`). Default and
    /// namespace imports map to the exported names `default` and `*`.
    pub imported: HashMap<String, (String, String)>,
    /// Bindings assigned a `new` expression → the constructor's last name: `worker` / `this.queue` / `queue` (for a
    /// class field) → `Worker` / `Queue`.
    pub constructed: HashMap<String, String>,
    /// Whether the file is an ES module (uses `import`/`export`).
    pub is_esm: bool,
    /// Whether the file uses CommonJS `require`.
    pub uses_require: bool,
    /// End of the last top-level import statement or top-level `require` declaration.
    pub last_import_end: Option<usize>,
    /// Where a new import can go when there is none: after a shebang / 'use strict' prologue.
    pub prologue_end: usize,
}

impl<'s> JsFacts<'s> {
    /// The source text of a node of this file.
    pub fn text(&self, node: Node<'_>) -> &'s str {
        syntax::text(node, self.source)
    }

    pub fn collect(root: Node<'s>, source: &'s str) -> JsFacts<'s> {
        let mut f = JsFacts {
            source,
            root,
            context_names: HashSet::new(),
            api_names: HashSet::new(),
            api_named_import_end: None,
            async_functions: HashMap::new(),
            async_methods: HashMap::new(),
            functions: HashMap::new(),
            als_names: HashSet::new(),
            promise_namespaces: HashSet::new(),
            promise_functions: HashSet::new(),
            scope_callbacks: HashMap::new(),
            scope_callback_names: HashMap::new(),
            starts_span: RefCell::new(HashMap::new()),
            modules: HashSet::new(),
            imported: HashMap::new(),
            constructed: HashMap::new(),
            is_esm: false,
            uses_require: false,
            last_import_end: None,
            prologue_end: 0,
        };
        let mut calls = Vec::new();
        let walk = Preorder::new(root);
        for node in walk {
            match node.kind() {
                "import_statement" => f.import_statement(node),
                "export_statement" => f.is_esm = true,
                "variable_declarator" => f.variable_declarator(node),
                "assignment_expression" => f.assignment(node),
                "public_field_definition" | "field_definition" => f.field(node),
                _ if is_function(node) => {
                    if let Some(name) = f.function_name(node) {
                        f.functions.entry(name.to_string()).or_insert_with(|| node.byte_range());
                        // an async generator's call returns an async generator, not a promise
                        if is_async(node) && !is_generator(node) {
                            let map = if node.kind() == "method_definition" || node.parent().is_some_and(|p| p.kind().contains("field")) {
                                &mut f.async_methods
                            } else {
                                &mut f.async_functions
                            };
                            map.entry(name.to_string()).or_insert_with(|| node.byte_range());
                        }
                    }
                }
                "call_expression" => calls.push(node),
                _ => {}
            }
        }
        f.prologue_end = prologue_end(root);
        for call in calls {
            f.scope_opener(call);
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Workspace;
    use crate::lang::Lang;

    #[test]
    fn named_functions_of_every_kind_are_indexed() {
        let source = "function a() {}\nfunction* b() {}\nconst c = () => 1;\nconst d = function () {};\n\
                      const e = function* () {};\nconst f = function* named() {};\nconst g = async function* () {};\n\
                      class K { h() {} }\n";
        let tree = Workspace::default().parse(Lang::JavaScript, source).expect("parses");
        let facts = JsFacts::collect(tree.root_node(), source);
        let mut names: Vec<&str> = facts.functions.keys().map(String::as_str).collect();
        names.sort();
        // generator expressions (`e`, `named`, `g`) too, like generator declarations (`b`)
        assert_eq!(names, ["a", "b", "c", "d", "e", "g", "h", "named"]);
    }
}
