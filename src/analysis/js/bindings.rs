//! JavaScript/TypeScript bindings: imports and requires of the OpenTelemetry API and other modules, and what
//! names were constructed from (`new AsyncLocalStorage()`, `new Worker(...)`).
use tree_sitter::Node;

use super::syntax_helpers::arguments;
use super::JsFacts;
use crate::syntax::{named_children, unparen};

const OTEL_API: &[&str] = &["@opentelemetry/api"];
const PROMISE_MODULES: &[&str] = &[
    "fs/promises",
    "node:fs/promises",
    "timers/promises",
    "node:timers/promises",
    "dns/promises",
    "node:dns/promises",
    "stream/promises",
    "node:stream/promises",
];

impl<'s> JsFacts<'s> {
    pub(super) fn import_statement(&mut self, node: Node<'_>) {
        self.is_esm = true;
        if node.parent().is_some_and(|p| p.kind() == "program") {
            self.last_import_end = Some(self.last_import_end.unwrap_or(0).max(node.end_byte()));
        }
        let Some(module) = node.child_by_field_name("source").and_then(|s| self.string_value(s)) else { return };
        self.note_module(module);
        let Some(clause) = named_children(node).find(|c| c.kind() == "import_clause") else { return };
        for part in named_children(clause) {
            match part.kind() {
                // import api from '...'
                "identifier" => self.bind_module(module, self.text(part)),
                // import * as api from '...'
                "namespace_import" => {
                    if let Some(id) = named_children(part).find(|c| c.kind() == "identifier") {
                        self.bind_module(module, self.text(id));
                    }
                }
                // import { context as ctx } from '...'
                "named_imports" => {
                    let mut last_end = None;
                    for spec in named_children(part).filter(|s| s.kind() == "import_specifier") {
                        let name = spec.child_by_field_name("name").map(|n| self.text(n)).unwrap_or("");
                        let local = spec.child_by_field_name("alias").map(|n| self.text(n)).unwrap_or(name);
                        self.bind_member(module, name, local);
                        last_end = Some(spec.end_byte());
                    }
                    if OTEL_API.contains(&module) && self.api_named_import_end.is_none() {
                        self.api_named_import_end = last_end;
                    }
                }
                _ => {}
            }
        }
    }

    pub(super) fn bind_module(&mut self, module: &str, local: &str) {
        self.record(module, "*", local);
        if OTEL_API.contains(&module) {
            self.api_names.insert(local.to_string());
        } else if PROMISE_MODULES.contains(&module) {
            self.promise_namespaces.insert(local.to_string());
        }
    }

    pub(super) fn bind_member(&mut self, module: &str, name: &str, local: &str) {
        self.record(module, name, local);
        if OTEL_API.contains(&module) && name == "context" {
            self.context_names.insert(local.to_string());
        } else if PROMISE_MODULES.contains(&module) {
            self.promise_functions.insert(local.to_string());
        } else if (module == "fs" || module == "node:fs") && name == "promises" {
            self.promise_namespaces.insert(local.to_string());
        }
    }

    /// Records a module the file imports or requires (also for side-effect-only imports).
    pub(super) fn note_module(&mut self, module: &str) -> String {
        let module = module.strip_prefix("node:").unwrap_or(module).to_string();
        self.modules.insert(module.clone());
        module
    }

    pub(super) fn record(&mut self, module: &str, name: &str, local: &str) {
        let module = self.note_module(module);
        self.imported.insert(local.to_string(), (module, name.to_string()));
    }

    pub(super) fn record_new(&mut self, target: &str, value: Node<'_>) {
        if value.kind() != "new_expression" {
            return;
        }
        if let Some(c) = value.child_by_field_name("constructor") {
            let c = self.text(c);
            let class = c.rsplit('.').next().unwrap_or(c);
            self.constructed.insert(target.to_string(), class.to_string());
        }
    }

    /// Was the binding `target` (`worker`, `this.queue`; `queue` also finds `this.queue`) assigned `new <one of classes>`.
    pub fn constructed_as(&self, target: &str, classes: &[&str]) -> bool {
        let found = |t: &str| self.constructed.get(t).is_some_and(|c| classes.contains(&c.as_str()));
        found(target) || target.strip_prefix("this.").is_some_and(found) || found(&format!("this.{target}"))
    }

    /// Does the file import or require any of `modules`.
    pub fn imports_any(&self, modules: &[&str]) -> bool {
        modules.iter().any(|m| self.modules.contains(*m))
    }

    /// The module a local name was imported from, when it was imported as `name` (or is that module's namespace).
    pub fn import_of(&self, local: &str) -> Option<(&str, &str)> {
        self.imported.get(local).map(|(m, n)| (m.as_str(), n.as_str()))
    }

    /// The module and exported name that the imported `local` stands for, or, for a namespace import
    /// (`import * as mail`), that its `member` names: `None` when `local` is not imported, or a member is asked of
    /// a named import.
    pub fn imported_name<'a>(&'a self, local: &str, member: Option<&'a str>) -> Option<(&'a str, &'a str)> {
        let (module, exported) = self.import_of(local)?;
        match (member, exported) {
            (Some(member), "*") => Some((module, member)),
            (Some(_), _) => None,
            (None, exported) => Some((module, exported)),
        }
    }

    /// `require('m')`, `require('m').x` → (module, member).
    pub(super) fn required(&self, value: Node<'_>) -> Option<(&'s str, Option<&'s str>)> {
        let value = unparen(value);
        match value.kind() {
            "call_expression" => {
                let f = value.child_by_field_name("function")?;
                if self.text(f) != "require" {
                    return None;
                }
                let arg = arguments(value).into_iter().next()?;
                Some((self.string_value(arg)?, None))
            }
            "member_expression" => {
                let (module, member) = self.required(value.child_by_field_name("object")?)?;
                if member.is_some() {
                    return None;
                }
                Some((module, Some(self.text(value.child_by_field_name("property")?))))
            }
            _ => None,
        }
    }

    pub(super) fn variable_declarator(&mut self, node: Node<'_>) {
        let (Some(name), Some(value)) = (node.child_by_field_name("name"), node.child_by_field_name("value")) else { return };
        let value = unparen(value);
        if let Some((module, member)) = self.required(value) {
            self.uses_require = true;
            self.note_module(module);
            let top_level = node.parent().and_then(|d| d.parent()).is_some_and(|p| p.kind() == "program");
            if top_level {
                let decl_end = node.parent().map_or(node.end_byte(), |d| d.end_byte());
                self.last_import_end = Some(self.last_import_end.unwrap_or(0).max(decl_end));
            }
            match (name.kind(), member) {
                ("identifier", None) => self.bind_module(module, self.text(name)),
                ("identifier", Some(m)) => self.bind_member(module, m, self.text(name)),
                ("object_pattern", None) => {
                    // const { trace } = require('@opentelemetry/api'): a fix adds `, context` after the last name
                    // (not after a `...rest`, which must stay last; not in a function, where it would bind locally)
                    let last = named_children(name).filter(|p| p.kind() != "comment").last();
                    if top_level && OTEL_API.contains(&module) && self.api_named_import_end.is_none() {
                        self.api_named_import_end = last.filter(|p| p.kind() != "rest_pattern").map(|p| p.end_byte());
                    }
                    for prop in named_children(name) {
                        match prop.kind() {
                            "shorthand_property_identifier_pattern" => {
                                let n = self.text(prop);
                                self.bind_member(module, n, n);
                            }
                            "pair_pattern" => {
                                let key = prop.child_by_field_name("key").map(|k| self.text(k)).unwrap_or("");
                                if let Some(v) = prop.child_by_field_name("value").filter(|v| v.kind() == "identifier") {
                                    self.bind_member(module, key, self.text(v));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        if name.kind() != "identifier" {
            return;
        }
        let local = self.text(name);
        self.record_new(local, value);
        // const ctxApi = api.context
        if value.kind() == "member_expression" {
            let obj = value.child_by_field_name("object").map(|o| self.text(o)).unwrap_or("");
            let prop = value.child_by_field_name("property").map(|p| self.text(p)).unwrap_or("");
            if prop == "context" && self.api_names.contains(obj) {
                self.context_names.insert(local.to_string());
            }
        }
        if self.is_new_als(value) {
            self.als_names.insert(local.to_string());
        }
    }

    pub(super) fn assignment(&mut self, node: Node<'_>) {
        let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) else { return };
        self.record_new(self.text(left), unparen(right));
        if self.is_new_als(unparen(right)) {
            self.als_names.insert(self.text(left).to_string());
        }
    }

    pub(super) fn field(&mut self, node: Node<'_>) {
        let name = node.child_by_field_name("name").or_else(|| node.child_by_field_name("property"));
        if let (Some(name), Some(value)) = (name, node.child_by_field_name("value")) {
            let n = self.text(name);
            self.record_new(&format!("this.{n}"), unparen(value));
            if self.is_new_als(unparen(value)) {
                self.als_names.insert(format!("this.{n}"));
                self.als_names.insert(n.to_string());
            }
        }
    }

    /// Is `expr` the OpenTelemetry `context` API: an imported name, `api.context`, or (leniently) any
    /// identifier called `context` or `X.context`, as re-exporting wrappers are common.
    pub fn is_context_api(&self, expr: Node<'_>) -> bool {
        let expr = unparen(expr);
        match expr.kind() {
            "identifier" => {
                let t = self.text(expr);
                t == "context" || self.context_names.contains(t)
            }
            "member_expression" => expr.child_by_field_name("property").is_some_and(|p| self.text(p) == "context"),
            _ => false,
        }
    }

    /// Is `expr` an AsyncLocalStorage instance the file made, or named like one.
    pub fn is_als(&self, expr: Node<'_>) -> bool {
        let t = self.text(unparen(expr));
        if self.als_names.contains(t) {
            return true;
        }
        let last = t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase();
        last == "als" || last.ends_with("storage") || last.ends_with("_als")
    }

    pub(super) fn is_new_als(&self, value: Node<'_>) -> bool {
        value.kind() == "new_expression"
            && value.child_by_field_name("constructor").is_some_and(|c| self.text(c).ends_with("AsyncLocalStorage"))
    }
}
