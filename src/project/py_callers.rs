//! The Python part of the project index's reverse question: which other module of a package calls a module-level
//! function from a span scope or a request/message handler (or from a function a same-file handler or scope calls).
//! The package's files are listed once; a file is read when asked, and parsed only when its text has the name.
use std::path::{Path, PathBuf};

use super::py_resolve;
use super::sources::{list_files, SourceFile};
use crate::analysis::python::{enclosing_function, PyFacts};
use crate::analysis::RemoteCaller;
use tree_sitter::Node;

use crate::syntax::Preorder;

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
        let files = list_files(root, "py")?;
        Some(PySources { root: root.to_path_buf(), files })
    }
}

/// A call in the module `file` of the function `name` of the module `target` (the method `name` of its class
/// `class` when given), made in a span scope or a handler (or a function a same-file scope or handler calls),
/// outside test code. A method counts only on a receiver that is the class (`Repo.upload(..)`), an instance made
/// right there (`Repo(..).upload(..)`), or a name the calling function assigns from the class (`repo = Repo(..)`).
pub fn traced_call(file: &SourceFile, target: &Path, name: &str, class: Option<&str>, shown_from: &Path) -> Option<RemoteCaller> {
    if !file.source.contains(name) {
        return None;
    }
    let tree = file.tree()?;
    let py = PyFacts::collect(tree.root_node(), &file.source);
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
        let names = |dotted: &str, item: &str| {
            let resolved = py_resolve::resolve(&file.path, dotted);
            resolved.as_ref().map(|(f, rest)| (f.as_path(), rest.as_slice())) == Some((target, &[item.to_string()][..]))
        };
        let names_target = match class {
            // `from pkg.helpers import *` binds the name too
            None => py.project_names(callee).iter().any(|dotted| names(dotted, name)),
            Some(class) => callee.child_by_field_name("object").is_some_and(|object| {
                let made_here = (object.kind() == "call").then(|| object.child_by_field_name("function")).flatten();
                let is_class = |n: Node<'_>| py.project_names(n).iter().any(|dotted| names(dotted, class));
                is_class(object)
                    || made_here.is_some_and(is_class)
                    || py.constructed_in_function(object).is_some_and(|dotted| names(dotted, class))
            }),
        };
        if !names_target {
            continue;
        }
        let func = enclosing_function(call);
        if func.is_some_and(|f| py.is_test_function(f)) || py.context_at(call).is_none() {
            continue;
        }
        let why = if py.span_scope(call).is_some() { "a span scope" } else { "a handler, or called from one" };
        let caller = func.and_then(|f| f.child_by_field_name("name")).map_or("<module>", |n| py.text(n)).to_string();
        return Some(RemoteCaller { place: file.place(call.start_byte(), shown_from), caller, why });
    }
    None
}
