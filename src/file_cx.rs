//! What a check sees of one file: its text, tree, language, JS context-manager model, and facts computed once on
//! first use (imports, span scopes) and shared by every rule of the file.
use std::cell::OnceCell;

use tree_sitter::{Node, Tree};

use std::sync::Arc;

use crate::analysis::{js::JsFacts, python::PyFacts, rust::RustFacts, ProjectFacts};
use crate::jsmodel::{JsModel, JsProject};
use crate::lang::Lang;
use crate::position::LineIndex;
use crate::pymodel::PyRuntime;

/// The runtime models of a file's project: what carries the context across its boundaries.
#[derive(Debug, Clone)]
pub struct Runtime {
    pub js: JsProject,
    pub py: PyRuntime,
    /// The other modules of the file's project, as the project index sees them from this file (`None`: the file
    /// alone, `--no-project`).
    pub project: Option<Arc<dyn ProjectFacts>>,
}

pub struct FileCx<'a> {
    pub source: &'a str,
    pub tree: &'a Tree,
    pub lang: Lang,
    pub js_model: JsModel,
    /// The JS project (model and package.json dependencies); bare for other languages.
    pub js_project: JsProject,
    /// What the Python runtime carries (instrumentations the project activates); default for other languages.
    pub py_runtime: PyRuntime,
    /// The other modules of the project (see [`Runtime::project`]).
    pub project: Option<Arc<dyn ProjectFacts>>,
    lines: OnceCell<LineIndex>,
    js: OnceCell<JsFacts<'a>>,
    py: OnceCell<PyFacts<'a>>,
    rs: OnceCell<RustFacts<'a>>,
}

impl<'a> FileCx<'a> {
    pub fn new(source: &'a str, tree: &'a Tree, lang: Lang, runtime: Runtime) -> Self {
        let Runtime { js: js_project, py: py_runtime, project } = runtime;
        FileCx {
            source,
            tree,
            lang,
            js_model: js_project.model,
            js_project,
            py_runtime,
            project,
            lines: OnceCell::new(),
            js: OnceCell::new(),
            py: OnceCell::new(),
            rs: OnceCell::new(),
        }
    }

    pub fn root(&self) -> Node<'a> {
        self.tree.root_node()
    }

    pub fn text(&self, node: Node<'_>) -> &'a str {
        crate::syntax::text(node, self.source)
    }

    pub fn text_range(&self, range: std::ops::Range<usize>) -> &'a str {
        self.source.get(range).unwrap_or("")
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.source))
    }

    /// JavaScript/TypeScript facts of the file (imports, async functions, span scopes).
    pub fn js(&self) -> &JsFacts<'a> {
        self.js.get_or_init(|| JsFacts::collect(self.root(), self.source))
    }

    /// Python facts of the file (import aliases, bindings).
    pub fn py(&self) -> &PyFacts<'a> {
        self.py.get_or_init(|| PyFacts::collect(self.root(), self.source).with_project(self.project.clone()))
    }

    /// Rust facts of the file (`use` aliases, imports the fixes need).
    pub fn rs(&self) -> &RustFacts<'a> {
        self.rs.get_or_init(|| RustFacts::collect(self.root(), self.source))
    }
}
