//! The Rust part of the project index: a crate's source files (under the `src/` of the nearest `Cargo.toml`), each
//! file's module path (`src/sink/writer.rs` → `sink::writer` under the crate root), and the calls of a function from the crate's
//! other files that are made inside a span scope there. A file is read only when a question names a function, parsed
//! only when its text contains that name, and both at most once per run.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tree_sitter::Node;

use super::sources::{list_files, SourceFile};
use crate::analysis::rust::RustFacts;
use crate::analysis::RemoteCaller;
use crate::lang::Lang;
use crate::syntax::{ancestors, compact, Preorder};

/// One crate: its root directory and source files.
#[derive(Debug)]
pub struct RsCrate {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    /// Files that a `#[path = "..."] mod name;` declares, with their module path; found on first use (it reads every
    /// file, as the first question about the crate's callers does anyway).
    path_modules: std::sync::OnceLock<HashMap<PathBuf, Vec<String>>>,
}

/// One source file of a crate, read on first use and parsed when a question's name occurs in it.
pub struct RsFile {
    /// The module path from the crate root as segments (`["a", "b"]`; empty for the crate root).
    pub module: Vec<String>,
    pub file: SourceFile,
}

impl RsCrate {
    /// The nearest ancestor of `file` with a `Cargo.toml`: the crate's root.
    pub fn root_of(file: &Path) -> Option<PathBuf> {
        file.ancestors().skip(1).find(|d| d.join("Cargo.toml").is_file()).map(Path::to_path_buf)
    }

    /// The crate at `root`, with the `.rs` files under its `src/`.
    pub fn list(root: PathBuf) -> Option<RsCrate> {
        let files = list_files(&root.join("src"), "rs")?;
        Some(RsCrate { root, files, path_modules: std::sync::OnceLock::new() })
    }

    /// The module path of the crate file `file`: the one a `#[path]` attribute gives it, or else the one its place
    /// in the file tree gives ([`module_path`]).
    pub fn module_of(&self, file: &Path) -> Vec<String> {
        let declared = self.path_modules.get_or_init(|| self.find_path_modules());
        declared.get(file).cloned().unwrap_or_else(|| module_path(&self.root, file))
    }

    /// Every `#[path = "x.rs"] mod name;` of the crate's files, resolved against the declaring file's directory
    /// (one level: a file declared so takes the declaring module's path plus `name`).
    fn find_path_modules(&self) -> HashMap<PathBuf, Vec<String>> {
        let mut out = HashMap::new();
        for file in &self.files {
            let Some(source) = super::sources::read_source(file) else { continue };
            if !source.contains("#[path") {
                continue;
            }
            let Some(dir) = file.parent() else { continue };
            for (path, name) in path_attributes(&source) {
                let mut module = module_path(&self.root, file);
                module.push(name);
                out.insert(crate::files::lexically_clean(&dir.join(path)), module);
            }
        }
        out
    }
}

/// The `(path, module name)` of each `#[path = "..."] mod name;` in `source`, other attributes and a visibility
/// between them allowed; `mod name { .. }` blocks and `cfg_attr` paths are not read.
fn path_attributes(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("#[path") {
        rest = &rest[at + "#[path".len()..];
        let Some(value) = rest.trim_start().strip_prefix('=').map(str::trim_start).and_then(|v| v.strip_prefix('"')) else {
            continue;
        };
        let Some(end) = value.find('"') else { break };
        let path = &value[..end];
        let Some(close) = value[end..].find(']') else { break };
        let mut after = value[end + close + 1..].trim_start();
        // further attributes (`#[cfg(unix)]`) and a visibility
        while after.starts_with("#[") {
            let Some(e) = after.find(']') else { break };
            after = after[e + 1..].trim_start();
        }
        if let Some(v) = after.strip_prefix("pub") {
            after = v.trim_start();
            if after.starts_with('(') {
                after = after.find(')').map_or("", |e| &after[e + 1..]).trim_start();
            }
        }
        let Some(decl) = after.strip_prefix("mod ") else { continue };
        let name: String = decl.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let terminated = decl.trim_start()[name.len()..].trim_start().starts_with(';');
        if !name.is_empty() && terminated {
            out.push((path.to_string(), name));
        }
    }
    out
}

/// The module path of a crate file: `src/lib.rs`, `src/main.rs` → `[]`; `src/a/mod.rs`, `src/a.rs` → `["a"]`;
/// `src/a/b.rs` → `["a", "b"]`. A file under `src/bin/` is its own crate root.
pub fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let Ok(rel) = file.strip_prefix(root.join("src")) else { return Vec::new() };
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.first().is_some_and(|p| p == "bin") {
        return Vec::new();
    }
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
        if !(matches!(stem.as_str(), "mod") || (parts.is_empty() && matches!(stem.as_str(), "lib" | "main"))) {
            parts.push(stem);
        }
    }
    parts
}

impl RsFile {
    pub fn read(krate: &RsCrate, path: &Path) -> Option<RsFile> {
        Some(RsFile { module: krate.module_of(path), file: SourceFile::read(path, Lang::Rust)? })
    }

    /// A call in this file of `target` (the function's full path from the crate root, `sink::build` or
    /// `sink::Sink::build`) made inside a span scope, or in a function that a same-file caller calls from one.
    pub fn traced_call(&self, target: &[String], crate_root: &Path) -> Option<RemoteCaller> {
        let name = target.last()?;
        if !self.file.source.contains(name.as_str()) {
            return None;
        }
        let tree = self.file.tree()?;
        let rs = RustFacts::collect(tree.root_node(), &self.file.source);
        for call in Preorder::new(tree.root_node()).filter(|n| n.kind() == "call_expression") {
            let Some(callee) = call.child_by_field_name("function") else { continue };
            if !matches!(callee.kind(), "identifier" | "scoped_identifier") || !rs.text(callee).ends_with(name.as_str()) {
                continue;
            }
            let named = self.full_path(&rs, callee) == target
                // a bare name that a `use path::*;` brings in
                || (callee.kind() == "identifier"
                    && !rs.uses.contains_key(rs.text(callee))
                    && rs.glob_uses.iter().any(|g| {
                        let mut path = self.absolute(g, false);
                        path.push(name.clone());
                        path == target
                    }));
            if !named {
                continue;
            }
            let func = ancestors(call).find(|a| a.kind() == "function_item");
            let scope = rs.span_scope(call).or_else(|| func.and_then(|f| rs.caller_span_scope(f)).map(|c| c.scope));
            if let Some(scope) = scope {
                let caller = func.and_then(|f| f.child_by_field_name("name")).map_or("", |n| rs.text(n)).to_string();
                return Some(RemoteCaller { place: self.file.place(call.start_byte(), crate_root), caller, why: scope.why });
            }
        }
        None
    }

    /// The full path a callee names, as segments from the crate root: `use` aliases expanded, paths from `crate`,
    /// `self` and `super` made absolute, and a bare name of this module's own items prefixed with the module.
    fn full_path(&self, rs: &RustFacts<'_>, callee: Node<'_>) -> Vec<String> {
        let resolved = rs.resolve(callee);
        let bare = compact(rs.text(callee)) == resolved && !resolved.contains("::");
        self.absolute(&resolved, bare)
    }

    /// A path as written in this module (from the crate root, `self`, `super`, or bare), as segments from the crate root.
    fn absolute(&self, resolved: &str, bare: bool) -> Vec<String> {
        let mut segments: Vec<&str> = resolved.split("::").collect();
        let mut out: Vec<String> = Vec::new();
        match segments.first().copied() {
            Some("crate") => {
                segments.remove(0);
            }
            Some("self") => {
                segments.remove(0);
                out = self.module.clone();
            }
            Some("super") => {
                out = self.module.clone();
                while segments.first() == Some(&"super") {
                    segments.remove(0);
                    out.pop();
                }
            }
            _ if bare => out = self.module.clone(),
            // another crate's path, or a type of this module (`Sink::build`): relative to this module
            _ => out = self.module.clone(),
        }
        out.extend(segments.into_iter().map(str::to_string));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{module_path, path_attributes};
    use std::path::Path;

    #[test]
    fn path_attributes_are_read_with_their_module_names() {
        let source = "#[path = \"platform/linux.rs\"]\nmod sys;\n#[cfg(unix)]\n#[path=\"a/b.rs\"] #[allow(dead_code)] pub(crate) mod ab;\n\
                      #[path = \"x.rs\"]\nmod inline { }\n#[path = \"broken\n";
        assert_eq!(
            path_attributes(source),
            vec![("platform/linux.rs".to_string(), "sys".to_string()), ("a/b.rs".to_string(), "ab".to_string())]
        );
    }

    #[test]
    fn module_paths_follow_the_file_tree() {
        let root = Path::new("/c");
        let m = |p: &str| module_path(root, Path::new(p)).join("::");
        assert_eq!(m("/c/src/lib.rs"), "");
        assert_eq!(m("/c/src/main.rs"), "");
        assert_eq!(m("/c/src/sink.rs"), "sink");
        assert_eq!(m("/c/src/sink/mod.rs"), "sink");
        assert_eq!(m("/c/src/sink/writer.rs"), "sink::writer");
        assert_eq!(m("/c/src/bin/tool.rs"), "");
        assert_eq!(m("/c/tests/it.rs"), "");
    }
}
