//! The project index: the cheap facts of other modules that a file's rules ask about (does an imported function do
//! traced work, what an imported global was constructed from), computed lazily — a module is parsed only when a
//! rule asks about one of its names, and once per run, shared by every thread.
pub mod js_module;
pub mod js_resolve;
pub mod js_workspace;
pub mod py_callers;
pub mod py_module;
pub mod py_resolve;
pub mod rs_sources;
pub mod sources;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::analysis::{JsExport, ProjectFacts, RemoteCaller};
use js_module::JsModule;
use js_resolve::PathMap;
use js_workspace::Workspace;
use py_callers::PySources;
use py_module::{PyFunction, PyModule};
use rs_sources::{RsCrate, RsFile};
use sources::SourceFile;

/// How many calls deep a question follows project functions across modules (and re-exports).
const DEPTH: usize = 4;

/// A module's facts, parsed by the first thread that asks (`None`: unreadable, too large or not Python).
type ModuleCell = Arc<OnceLock<Option<Arc<PyModule>>>>;
/// A value computed once by the first thread that asks, shared by the others (`None`: unreadable or absent).
type Once<T> = Arc<OnceLock<Option<Arc<T>>>>;

/// One run's index of the project modules its files import.
#[derive(Default)]
pub struct ProjectIndex {
    /// Module file → its facts, parsed once.
    python: Mutex<HashMap<PathBuf, ModuleCell>>,
    /// Rust crate root → its source files, listed once.
    rust_crates: Mutex<HashMap<PathBuf, Once<RsCrate>>>,
    /// Rust source file → its text (and tree, parsed when a question's name occurs in it), read once.
    rust_files: Mutex<HashMap<PathBuf, Once<RsFile>>>,
    /// Python top-level package directory → its modules, listed once.
    py_sources: Mutex<HashMap<PathBuf, Once<PySources>>>,
    /// Python module → its text (and tree, parsed when a question's name occurs in it), read once.
    py_files: Mutex<HashMap<PathBuf, Once<SourceFile>>>,
    /// JS/TS module file → its exports, parsed once.
    js_modules: Mutex<HashMap<PathBuf, Once<JsModule>>>,
    /// tsconfig/jsconfig file → its `paths`/`baseUrl`, read once.
    ts_configs: Mutex<HashMap<PathBuf, Once<PathMap>>>,
    /// JS workspace root → its member packages, listed once.
    js_workspaces: Mutex<HashMap<PathBuf, Once<Workspace>>>,
    /// Directory of a JS/TS module → the workspace root above it, looked up once.
    js_workspace_roots: Mutex<HashMap<PathBuf, Once<PathBuf>>>,
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let modules = self.python.lock().map(|m| m.len()).unwrap_or(0);
        let rust = self.rust_files.lock().map(|m| m.len()).unwrap_or(0);
        let js = self.js_modules.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("ProjectIndex").field("python_modules", &modules).field("rust_files", &rust).field("js_modules", &js).finish()
    }
}

impl ProjectIndex {
    pub fn new() -> Arc<ProjectIndex> {
        Arc::new(ProjectIndex::default())
    }

    /// The index as the file at `file` sees it (its imports resolve from there).
    pub fn view(self: &Arc<Self>, file: &Path) -> Arc<dyn ProjectFacts> {
        Arc::new(FileView { index: Arc::clone(self), file: crate::files::absolute(file) })
    }

    /// The facts of the Python module at `path`, parsed on first use.
    fn python_module(&self, path: &Path) -> Option<Arc<PyModule>> {
        let cell = {
            let mut modules = self.python.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(modules.entry(path.to_path_buf()).or_default())
        };
        cell.get_or_init(|| PyModule::read(path).map(Arc::new)).clone()
    }

    /// A value of `map` computed once for `key` by the first thread that asks.
    fn once<T>(map: &Mutex<HashMap<PathBuf, Once<T>>>, key: &Path, make: impl FnOnce() -> Option<T>) -> Option<Arc<T>> {
        let cell = {
            let mut cells = map.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(cells.entry(key.to_path_buf()).or_default())
        };
        cell.get_or_init(|| make().map(Arc::new)).clone()
    }

    /// What the JS/TS module `specifier` names from `from` exports as `name`, through re-exports ([`DEPTH`] deep).
    fn js_export(&self, from: &Path, specifier: &str, name: &str, depth: usize) -> Option<JsExport> {
        let config = js_resolve::nearest_tsconfig(from);
        let paths = config.as_ref().and_then(|c| Self::once(&self.ts_configs, c, || PathMap::read(c)));
        // a bare specifier may name a member package of the workspace
        let bare = !specifier.starts_with('.') && !specifier.starts_with('/');
        let workspace = bare
            .then(|| from.parent())
            .flatten()
            .and_then(|dir| Self::once(&self.js_workspace_roots, dir, || Workspace::root_of(from)))
            .and_then(|root| Self::once(&self.js_workspaces, &root, || Workspace::read(&root)));
        let file = js_resolve::resolve(from, specifier, paths.as_deref(), workspace.as_deref())?;
        let module = Self::once(&self.js_modules, &file, || JsModule::read(&file))?;
        if let Some(export) = module.exports.get(name) {
            return Some(export.clone());
        }
        if depth >= DEPTH {
            return None;
        }
        if let Some((spec, there)) = module.reexports.get(name) {
            return self.js_export(&file, spec, there, depth + 1);
        }
        module.star_from.iter().find_map(|spec| self.js_export(&file, spec, name, depth + 1))
    }

    /// The crate around the Rust file `file`, listed on first use.
    fn rust_crate(&self, file: &Path) -> Option<Arc<RsCrate>> {
        let root = RsCrate::root_of(file)?;
        Self::once(&self.rust_crates, &root, || RsCrate::list(root.clone()))
    }

    /// A Rust source file of `krate`, read on first use.
    fn rust_file(&self, krate: &RsCrate, path: &Path) -> Option<Arc<RsFile>> {
        Self::once(&self.rust_files, path, || RsFile::read(krate, path))
    }

    /// A call, from another module of the package of `from`, of its module-level function `name`, made in a span
    /// scope or a handler there.
    fn py_traced_caller(&self, from: &Path, name: &str, class: Option<&str>) -> Option<RemoteCaller> {
        let root = PySources::package_of(from)?;
        let sources = Self::once(&self.py_sources, &root, || PySources::list(&root))?;
        let shown_from = root.parent().unwrap_or(&root);
        sources.files.iter().filter(|p| p.as_path() != from).find_map(|p| {
            let file = Self::once(&self.py_files, p, || SourceFile::read(p, crate::lang::Lang::Python))?;
            py_callers::traced_call(&file, from, name, class, shown_from)
        })
    }

    /// A call from another file of the crate of `from` to its function `name` (a method of `owner` when given),
    /// made inside a span scope there.
    fn rust_traced_caller(&self, from: &Path, name: &str, owner: Option<&str>) -> Option<RemoteCaller> {
        let krate = self.rust_crate(from)?;
        // a test, example or bench target: no other file of the crate calls into it
        if !from.starts_with(krate.root.join("src")) {
            return None;
        }
        let mut target = krate.module_of(from);
        target.extend(owner.map(str::to_string));
        target.push(name.to_string());
        krate
            .files
            .iter()
            .filter(|p| p.as_path() != from)
            .find_map(|p| self.rust_file(&krate, p).and_then(|f| f.traced_call(&target, &krate.root)))
    }

    /// Does `dotted`, as imported in the module at `from`, name a project function doing traced work (itself or
    /// through project functions it calls, [`DEPTH`] deep)? `None`: not a project function.
    fn traced_work(&self, from: &Path, dotted: &str, depth: usize, seen: &mut HashSet<(PathBuf, String)>) -> Option<bool> {
        let (file, rest) = py_resolve::resolve(from, dotted)?;
        let module = self.python_module(&file)?;
        match rest.as_slice() {
            [name] => match module.functions.get(name.as_str()) {
                Some(_) => Some(self.function_traced(&module, name, depth, seen)),
                // re-exported (`from .client import fetch` in a package's `__init__`)
                None if depth < DEPTH => module.origins(name).iter().find_map(|t| self.traced_work(&file, t, depth + 1, seen)),
                None => None,
            },
            [class, method] => {
                let key = format!("{class}.{method}");
                if module.functions.contains_key(key.as_str()) {
                    return Some(self.function_traced(&module, &key, depth, seen));
                }
                // inherited from a base class of another module, or a class re-exported
                let bases = match module.classes.get(class.as_str()) {
                    Some(bases) => bases.clone(),
                    None => module.origins(class),
                };
                if depth >= DEPTH {
                    return None;
                }
                bases.iter().find_map(|b| self.traced_work(&file, &format!("{b}.{method}"), depth + 1, seen))
            }
            _ => None,
        }
    }

    /// Does the function `key` of `module` do traced work: itself (with the same-file functions it calls), or through
    /// the project functions of other modules it calls.
    fn function_traced(&self, module: &PyModule, key: &str, depth: usize, seen: &mut HashSet<(PathBuf, String)>) -> bool {
        if !seen.insert((module.path.clone(), key.to_string())) {
            return false;
        }
        let Some(function) = module.functions.get(key) else { return false };
        if function.traced {
            return true;
        }
        depth < DEPTH && function.calls.iter().any(|c| self.traced_work(&module.path, c, depth + 1, seen) == Some(true))
    }

    /// The facts of the project function `dotted` (as imported in the module at `from`: `name` or `Class.method`),
    /// followed through re-exports, as `pick` reads them. `None`: not a project function.
    fn py_function<T>(&self, from: &Path, dotted: &str, depth: usize, pick: &dyn Fn(&PyFunction) -> T) -> Option<T> {
        let (file, rest) = py_resolve::resolve(from, dotted)?;
        let module = self.python_module(&file)?;
        let key = rest.join(".");
        if let Some(function) = module.functions.get(key.as_str()) {
            return Some(pick(function));
        }
        let [name] = rest.as_slice() else { return None };
        if depth >= DEPTH {
            return None;
        }
        module.origins(name).iter().find_map(|t| self.py_function(&file, t, depth + 1, pick))
    }

    /// What the module global `dotted` (as imported in the module at `from`) was constructed from, followed through
    /// re-exports.
    fn constructed_from(&self, from: &Path, dotted: &str, depth: usize) -> Option<String> {
        let (file, rest) = py_resolve::resolve(from, dotted)?;
        let module = self.python_module(&file)?;
        let [name] = rest.as_slice() else { return None };
        if let Some(q) = module.globals.get(name.as_str()) {
            return Some(q.clone());
        }
        if depth >= DEPTH {
            return None;
        }
        module.origins(name).iter().find_map(|t| self.constructed_from(&file, t, depth + 1))
    }
}

/// The index seen from one file.
#[derive(Debug)]
struct FileView {
    index: Arc<ProjectIndex>,
    file: PathBuf,
}

impl ProjectFacts for FileView {
    fn traced_work(&self, qualified: &str) -> Option<bool> {
        self.index.traced_work(&self.file, qualified, 0, &mut HashSet::new())
    }

    fn constructed_from(&self, qualified: &str) -> Option<String> {
        self.index.constructed_from(&self.file, qualified, 0)
    }

    fn opens_span_scope(&self, qualified: &str) -> Option<bool> {
        self.index.py_function(&self.file, qualified, 0, &|f| f.opens_span)
    }

    fn py_starts_unextracted(&self, qualified: &str) -> Option<bool> {
        self.index.py_function(&self.file, qualified, 0, &|f| f.starts_unextracted)
    }

    fn rust_traced_caller(&self, name: &str, owner: Option<&str>) -> Option<RemoteCaller> {
        self.index.rust_traced_caller(&self.file, name, owner)
    }

    fn js_export(&self, specifier: &str, name: &str) -> Option<JsExport> {
        self.index.js_export(&self.file, specifier, name, 0)
    }

    fn py_traced_caller(&self, name: &str, class: Option<&str>) -> Option<RemoteCaller> {
        self.index.py_traced_caller(&self.file, name, class)
    }
}
