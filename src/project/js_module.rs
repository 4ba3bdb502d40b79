//! The facts one JS/TS module gives the project index: what each exported name is (an `async` function, a binding
//! constructed with `new Queue(..)` and where that class came from), and its re-exports (`export { x } from './y'`,
//! `export * from './y'`, an imported name exported again), for ES modules and CommonJS `module.exports`/`exports.x`.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tree_sitter::{Node, Parser};

use crate::analysis::js::context_use::{calls_named, implicit_context_use};
use crate::analysis::js::JsFacts;
use crate::analysis::JsExport;
use crate::lang::Lang;
use crate::syntax::{named_children, unparen};

#[derive(Debug, Default)]
pub struct JsModule {
    pub path: PathBuf,
    /// Exported name (`default` for the default export) → what it is, for names defined in the module.
    pub exports: HashMap<String, JsExport>,
    /// Exported name → (specifier, name there) for names the module exports from another module.
    pub reexports: HashMap<String, (String, String)>,
    /// `export * from '<specifier>'`.
    pub star_from: Vec<String>,
}

impl JsModule {
    /// Reads and indexes the module at `path`; `None` when it cannot be read, is too large, or is not JS/TS.
    pub fn read(path: &Path) -> Option<JsModule> {
        let lang = Lang::from_path(path).filter(|l| l.family() == crate::lang::Family::Js)?;
        let source = super::sources::read_source(path)?;
        JsModule::index(path, lang, &source)
    }

    fn index(path: &Path, lang: Lang, source: &str) -> Option<JsModule> {
        let mut parser = Parser::new();
        parser.set_language(&lang.grammar()).ok()?;
        let tree = parser.parse(source, None)?;
        let facts = JsFacts::collect(tree.root_node(), source);
        let mut module = JsModule { path: path.to_path_buf(), ..JsModule::default() };
        for node in named_children(tree.root_node()) {
            match node.kind() {
                "export_statement" => module.export_statement(&facts, node),
                "expression_statement" => {
                    if let Some(a) = node.named_child(0).filter(|a| a.kind() == "assignment_expression") {
                        module.commonjs(&facts, a);
                    }
                }
                _ => {}
            }
        }
        Some(module)
    }

    fn export_statement(&mut self, facts: &JsFacts<'_>, node: Node<'_>) {
        let source = node.child_by_field_name("source").and_then(|s| string_value(facts, s));
        let is_default = (0..node.child_count()).filter_map(|i| node.child(i)).any(|c| c.kind() == "default");
        if let Some(decl) = node.child_by_field_name("declaration") {
            for name in declared_names(facts, decl) {
                let exported = if is_default { "default".to_string() } else { name.clone() };
                self.define(facts, exported, &name);
            }
            return;
        }
        if is_default {
            if let Some(value) = node.child_by_field_name("value").map(unparen) {
                if value.kind() == "identifier" {
                    self.define(facts, "default".into(), facts.text(value));
                } else if crate::analysis::js::is_function(value) {
                    self.exports.insert("default".into(), function_export(facts, value));
                }
            }
            return;
        }
        let clause = named_children(node).find(|c| c.kind() == "export_clause");
        match (clause, source) {
            (Some(clause), source) => {
                for spec in named_children(clause).filter(|s| s.kind() == "export_specifier") {
                    let Some(local) = spec.child_by_field_name("name").map(|n| facts.text(n).to_string()) else { continue };
                    let exported = spec.child_by_field_name("alias").map_or(local.clone(), |a| facts.text(a).to_string());
                    match &source {
                        Some(from) => {
                            self.reexports.insert(exported, (from.clone(), local));
                        }
                        None => self.define(facts, exported, &local),
                    }
                }
            }
            // export * from './y'
            (None, Some(from)) => self.star_from.push(from),
            (None, None) => {}
        }
    }

    /// `module.exports = { a, b: c }`, `module.exports.a = ..`, `exports.a = ..`.
    fn commonjs(&mut self, facts: &JsFacts<'_>, assignment: Node<'_>) {
        let (Some(left), Some(right)) = (assignment.child_by_field_name("left"), assignment.child_by_field_name("right")) else {
            return;
        };
        let target = facts.text(left);
        let right = unparen(right);
        if target == "module.exports" {
            if right.kind() == "object" {
                for prop in named_children(right) {
                    match prop.kind() {
                        "shorthand_property_identifier" => {
                            let name = facts.text(prop).to_string();
                            self.define(facts, name.clone(), &name);
                        }
                        "pair" => {
                            let key = prop.child_by_field_name("key").map(|k| facts.text(k).to_string());
                            let value = prop.child_by_field_name("value").map(unparen);
                            if let (Some(key), Some(value)) = (key, value.filter(|v| v.kind() == "identifier")) {
                                self.define(facts, key, facts.text(value));
                            }
                        }
                        _ => {}
                    }
                }
            } else if right.kind() == "identifier" {
                self.define(facts, "default".into(), facts.text(right));
            }
            return;
        }
        let name = target.strip_prefix("module.exports.").or_else(|| target.strip_prefix("exports."));
        if let Some(name) = name.filter(|n| !n.contains('.')) {
            if right.kind() == "identifier" {
                self.define(facts, name.to_string(), facts.text(right));
            } else if crate::analysis::js::is_function(right) {
                self.exports.insert(name.to_string(), function_export(facts, right));
            } else if right.kind() == "new_expression" {
                let constructed = constructor(facts, right);
                self.exports.insert(name.to_string(), JsExport { constructed, ..JsExport::default() });
            }
        }
    }

    /// Records the exported name `exported` for the module's binding `local`: what the module knows of it, or a
    /// re-export when `local` is itself imported.
    fn define(&mut self, facts: &JsFacts<'_>, exported: String, local: &str) {
        if let Some((module, name)) = facts.imported.get(local).filter(|_| !facts.functions.contains_key(local)) {
            self.reexports.insert(exported, (module.clone(), name.clone()));
            return;
        }
        let is_async = facts.async_functions.contains_key(local);
        let constructed = facts.constructed.get(local).map(|class| {
            let from = facts.imported.get(class).map(|(m, _)| m.clone());
            (class.clone(), from)
        });
        let starts_unextracted =
            facts.functions.get(local).and_then(|range| function_at(facts.root, range)).is_some_and(|f| starts_unextracted(facts, f));
        self.exports.insert(exported, JsExport { is_async, constructed, starts_unextracted });
    }
}

/// What an exported function expression is.
fn function_export(facts: &JsFacts<'_>, func: Node<'_>) -> JsExport {
    let is_async = crate::analysis::js::is_async(func) && !crate::analysis::js::is_generator(func);
    JsExport { is_async, constructed: None, starts_unextracted: starts_unextracted(facts, func) }
}

/// Run as a message handler, does `func` start a span or read the active context implicitly without `extract(...)`?
fn starts_unextracted(facts: &JsFacts<'_>, func: Node<'_>) -> bool {
    implicit_context_use(facts, func).is_some() && !calls_named(facts, func, &["extract"])
}

/// The function whose node spans exactly `range`.
fn function_at<'t>(root: Node<'t>, range: &std::ops::Range<usize>) -> Option<Node<'t>> {
    let mut node = root.descendant_for_byte_range(range.start, range.end)?;
    while !crate::analysis::js::is_function(node) || node.byte_range() != *range {
        node = node.parent()?;
    }
    Some(node)
}

/// The names a declaration binds: a function or class name, or each `const`/`let`/`var` declarator's name.
fn declared_names(facts: &JsFacts<'_>, decl: Node<'_>) -> Vec<String> {
    match decl.kind() {
        "lexical_declaration" | "variable_declaration" => named_children(decl)
            .filter(|d| d.kind() == "variable_declarator")
            .filter_map(|d| d.child_by_field_name("name").filter(|n| n.kind() == "identifier"))
            .map(|n| facts.text(n).to_string())
            .collect(),
        _ => decl.child_by_field_name("name").map(|n| vec![facts.text(n).to_string()]).unwrap_or_default(),
    }
}

/// `new bullmq.Queue(..)` → (`Queue`, the module `bullmq` came from, if imported).
fn constructor(facts: &JsFacts<'_>, new: Node<'_>) -> Option<(String, Option<String>)> {
    let ctor = new.child_by_field_name("constructor")?;
    let text = facts.text(ctor);
    let class = text.rsplit('.').next().unwrap_or(text);
    let head = text.split('.').next().unwrap_or(text);
    let from = facts.imported.get(class).or_else(|| facts.imported.get(head)).map(|(m, _)| m.clone());
    Some((class.to_string(), from))
}

fn string_value(facts: &JsFacts<'_>, node: Node<'_>) -> Option<String> {
    let text = facts.text(node);
    let inner = text.strip_prefix(['"', '\'', '`'])?.strip_suffix(['"', '\'', '`'])?;
    Some(inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(source: &str) -> JsModule {
        JsModule::index(Path::new("m.ts"), Lang::TypeScript, source).expect("parses")
    }

    #[test]
    fn esm_exports_say_what_each_name_is() {
        let m = index(
            "import { Queue } from 'bullmq';\nimport { helper } from './helper';\n\
             export async function a() {}\nexport function b() {}\nexport const c = async () => {};\n\
             export const q = new Queue('q');\nasync function d() {}\nexport { d as renamed, helper };\n\
             export { x } from './x';\nexport * from './all';\nexport default async function () {}\n",
        );
        let is_async = |n: &str| m.exports.get(n).map(|e| e.is_async);
        assert_eq!((is_async("a"), is_async("b"), is_async("c"), is_async("renamed")), (Some(true), Some(false), Some(true), Some(true)));
        assert_eq!(is_async("default"), Some(true));
        assert_eq!(m.exports["q"].constructed, Some(("Queue".to_string(), Some("bullmq".to_string()))));
        assert_eq!(m.reexports["helper"], ("./helper".to_string(), "helper".to_string()));
        assert_eq!(m.reexports["x"], ("./x".to_string(), "x".to_string()));
        assert_eq!(m.star_from, vec!["./all".to_string()]);
    }

    #[test]
    fn commonjs_exports_are_read_too() {
        let m = index(
            "async function send() {}\nfunction fmt() {}\nmodule.exports = { send, format: fmt };\nexports.later = async () => {};\n",
        );
        let is_async = |n: &str| m.exports.get(n).map(|e| e.is_async);
        assert_eq!((is_async("send"), is_async("format"), is_async("later")), (Some(true), Some(false), Some(true)));
    }
}
