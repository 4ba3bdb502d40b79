//! The Rust part of the project index: a crate's source files (under the `src/` of the nearest `Cargo.toml`), each
//! file's module path (`src/sink/writer.rs` → `sink::writer` under the crate root), and the calls of a function from the crate's
//! other files that are made inside a span scope there. A file is read only when a question names a function, parsed
//! only when its text contains that name, and both at most once per run.
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
        Some(RsCrate { root, files })
    }
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
    pub fn read(root: &Path, path: &Path) -> Option<RsFile> {
        Some(RsFile { module: module_path(root, path), file: SourceFile::read(path, Lang::Rust)? })
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
            if self.full_path(&rs, callee) != target {
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
    use super::module_path;
    use std::path::Path;

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
