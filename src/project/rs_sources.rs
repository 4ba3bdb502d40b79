//! The Rust part of the project index: a crate's source files (under the `src/` of the nearest `Cargo.toml`), each
//! file's module path (`src/sink/writer.rs` → `sink::writer` under the crate root), and the calls of a function from the crate's
//! other files that are made inside a span scope there. A file is read only when a question names a function, parsed
//! only when its text contains that name, and both at most once per run.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tree_sitter::{Node, Parser, Tree};

use crate::analysis::rust::RustFacts;
use crate::analysis::RemoteCaller;
use crate::lang::Lang;
use crate::syntax::{ancestors, compact, Preorder};

/// Files larger than this are not indexed (generated code).
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Crates with more source files than this are not searched (a monorepo's vendored tree).
const MAX_FILES: usize = 5_000;

/// One crate: its root directory and source files.
#[derive(Debug)]
pub struct RsCrate {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
}

/// One source file of a crate, read on first use and parsed when a question's name occurs in it.
pub struct RsFile {
    pub path: PathBuf,
    /// The module path from the crate root as segments (`["a", "b"]`; empty for the crate root).
    pub module: Vec<String>,
    pub source: String,
    tree: OnceLock<Option<Tree>>,
}

impl RsCrate {
    /// The crate around `file`: the nearest ancestor with a `Cargo.toml`, and the `.rs` files under its `src/`.
    pub fn around(file: &Path) -> Option<RsCrate> {
        let root = file.ancestors().skip(1).find(|d| d.join("Cargo.toml").is_file())?.to_path_buf();
        let mut files = Vec::new();
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_dir() {
                    dirs.push(path);
                } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                    if files.len() > MAX_FILES {
                        return None;
                    }
                }
            }
        }
        files.sort();
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
        if std::fs::metadata(path).ok()?.len() > MAX_FILE_BYTES {
            return None;
        }
        let source = std::fs::read_to_string(path).ok()?;
        Some(RsFile { path: path.to_path_buf(), module: module_path(root, path), source, tree: OnceLock::new() })
    }

    /// The file's tree, parsed by the first thread that asks.
    fn tree(&self) -> Option<&Tree> {
        self.tree
            .get_or_init(|| {
                let mut parser = Parser::new();
                parser.set_language(&Lang::Rust.grammar()).ok()?;
                parser.parse(&self.source, None)
            })
            .as_ref()
    }

    /// A call in this file of `target` (the function's full path from the crate root, `sink::build` or
    /// `sink::Sink::build`) made inside a span scope, or in a function that a same-file caller calls from one.
    pub fn traced_call(&self, target: &[String], crate_root: &Path) -> Option<RemoteCaller> {
        let name = target.last()?;
        if !self.source.contains(name.as_str()) {
            return None;
        }
        let tree = self.tree()?;
        let rs = RustFacts::collect(tree.root_node(), &self.source);
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
                let line = self.source[..call.start_byte()].matches('\n').count() + 1;
                let shown = self.path.strip_prefix(crate_root).unwrap_or(&self.path).display().to_string();
                let caller = func.and_then(|f| f.child_by_field_name("name")).map_or("", |n| rs.text(n)).to_string();
                return Some(RemoteCaller { place: format!("{shown}:{line}"), caller, why: scope.why });
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
