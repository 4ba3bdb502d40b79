//! The Python part of the project index's reverse question: which other module of a package calls a module-level
//! function from a span scope or a request/message handler (or from a function a same-file handler or scope calls).
//! The package's files are listed once; a file is read when asked, and parsed only when its text has the name.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tree_sitter::{Parser, Tree};

use super::py_resolve;
use crate::analysis::python::{enclosing_function, PyFacts};
use crate::analysis::RemoteCaller;
use crate::lang::Lang;
use crate::syntax::Preorder;

/// Files larger than this are not read (generated code, vendored modules).
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Packages with more modules than this are not searched.
const MAX_FILES: usize = 5_000;

/// The modules of one top-level package (the outermost directory with an `__init__.py` above a file).
#[derive(Debug)]
pub struct PySources {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
}

impl PySources {
    /// The top-level package directory of `file`; `None` for a module outside any package.
    pub fn package_of(file: &Path) -> Option<PathBuf> {
        let mut dir = file.parent()?;
        if !dir.join("__init__.py").is_file() {
            return None;
        }
        while dir.parent().is_some_and(|p| p.join("__init__.py").is_file()) {
            dir = dir.parent()?;
        }
        Some(dir.to_path_buf())
    }

    /// Lists the `.py` files under the package directory `root`.
    pub fn list(root: &Path) -> Option<PySources> {
        let mut files = Vec::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_dir() {
                    dirs.push(path);
                } else if kind.is_file() && path.extension().is_some_and(|e| e == "py") {
                    files.push(path);
                    if files.len() > MAX_FILES {
                        return None;
                    }
                }
            }
        }
        files.sort();
        Some(PySources { root: root.to_path_buf(), files })
    }
}

/// One module of a package, read on first use and parsed when a question's name occurs in it.
pub struct PyFile {
    pub path: PathBuf,
    pub source: String,
    tree: OnceLock<Option<Tree>>,
}

impl PyFile {
    pub fn read(path: &Path) -> Option<PyFile> {
        if std::fs::metadata(path).ok()?.len() > MAX_FILE_BYTES {
            return None;
        }
        let source = std::fs::read_to_string(path).ok()?;
        Some(PyFile { path: path.to_path_buf(), source, tree: OnceLock::new() })
    }

    fn tree(&self) -> Option<&Tree> {
        self.tree
            .get_or_init(|| {
                let mut parser = Parser::new();
                parser.set_language(&Lang::Python.grammar()).ok()?;
                parser.parse(&self.source, None)
            })
            .as_ref()
    }

    /// A call in this module of the function `name` of the module `target`, made in a span scope or a handler (or a
    /// function a same-file scope or handler calls), outside test code.
    pub fn traced_call(&self, target: &Path, name: &str, shown_from: &Path) -> Option<RemoteCaller> {
        if !self.source.contains(name) {
            return None;
        }
        let tree = self.tree()?;
        let py = PyFacts::collect(tree.root_node(), &self.source);
        for call in Preorder::new(tree.root_node()).filter(|n| n.kind() == "call") {
            let Some(callee) = call.child_by_field_name("function") else { continue };
            let last = match callee.kind() {
                "identifier" => py.text(callee),
                "attribute" => callee.child_by_field_name("attribute").map_or("", |a| py.text(a)),
                _ => continue,
            };
            if last != name {
                continue;
            }
            let Some(dotted) = py.resolve(callee) else { continue };
            let resolved = py_resolve::resolve(&self.path, &dotted);
            if resolved.as_ref().map(|(file, rest)| (file.as_path(), rest.as_slice())) != Some((target, &[name.to_string()][..])) {
                continue;
            }
            let func = enclosing_function(call);
            if func.is_some_and(|f| py.is_test_function(f)) {
                continue;
            }
            if py.context_at(call).is_none() {
                continue;
            }
            let why = if py.span_scope(call).is_some() { "a span scope" } else { "a handler, or called from one" };
            let line = self.source[..call.start_byte()].matches('\n').count() + 1;
            let shown = self.path.strip_prefix(shown_from).unwrap_or(&self.path).display().to_string();
            let caller = func.and_then(|f| f.child_by_field_name("name")).map_or("<module>", |n| py.text(n)).to_string();
            return Some(RemoteCaller { place: format!("{shown}:{line}"), caller, why });
        }
        None
    }
}
