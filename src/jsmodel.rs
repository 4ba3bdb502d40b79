//! The JavaScript project a file belongs to: the context-manager model it runs under (which decides whether
//! callbacks keep the context), chosen by the user or detected from the nearest `package.json`, and that manifest's
//! dependency names (which auto-instrumentations propagate for the user).
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Deserialize;

/// How the active context travels across async boundaries in the running program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JsModel {
    /// Node's AsyncLocalStorage (NodeSDK, sdk-trace-node, context-async-hooks): timers and promises keep it.
    #[value(name = "async-local-storage")]
    AsyncLocalStorage,
    /// The browser's StackContextManager: only synchronous code keeps it.
    Stack,
    /// zone.js (context-zone): timers, promise callbacks and listeners keep it; native `await` does not.
    Zone,
    /// No context manager: nothing keeps it.
    None,
}

impl JsModel {
    pub fn name(self) -> &'static str {
        match self {
            JsModel::AsyncLocalStorage => "async-local-storage",
            JsModel::Stack => "stack",
            JsModel::Zone => "zone",
            JsModel::None => "none",
        }
    }
}

/// The user's choice: a fixed model, or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JsModelChoice {
    #[default]
    Auto,
    #[value(name = "async-local-storage")]
    AsyncLocalStorage,
    Stack,
    Zone,
    None,
}

impl JsModelChoice {
    pub fn fixed(self) -> Option<JsModel> {
        match self {
            JsModelChoice::Auto => None,
            JsModelChoice::AsyncLocalStorage => Some(JsModel::AsyncLocalStorage),
            JsModelChoice::Stack => Some(JsModel::Stack),
            JsModelChoice::Zone => Some(JsModel::Zone),
            JsModelChoice::None => Some(JsModel::None),
        }
    }
}

#[derive(Deserialize, Default)]
struct PackageJson {
    #[serde(default)]
    dependencies: HashMap<String, serde_json::Value>,
    #[serde(default, rename = "devDependencies")]
    dev_dependencies: HashMap<String, serde_json::Value>,
}

/// Picks the model from a package.json's dependency names, in the order rules.md gives.
pub fn model_from_dependencies<'a>(names: impl IntoIterator<Item = &'a str> + Clone) -> Option<JsModel> {
    let has = |wanted: &[&str]| names.clone().into_iter().any(|n| wanted.contains(&n));
    if has(&["@opentelemetry/context-zone", "@opentelemetry/context-zone-peer-dep"]) {
        Some(JsModel::Zone)
    } else if has(&["@opentelemetry/sdk-trace-web"]) {
        Some(JsModel::Stack)
    } else if has(&[
        "@opentelemetry/sdk-node",
        "@opentelemetry/sdk-trace-node",
        "@opentelemetry/context-async-hooks",
        "@opentelemetry/auto-instrumentations-node",
    ]) {
        Some(JsModel::AsyncLocalStorage)
    } else {
        None
    }
}

/// What a JS file's project says: its context-manager model and the dependency names of its nearest package.json.
#[derive(Debug, Clone)]
pub struct JsProject {
    pub model: JsModel,
    /// `dependencies` and `devDependencies` names of the nearest valid package.json (empty when there is none).
    pub deps: Arc<HashSet<String>>,
}

impl JsProject {
    /// A project with no package.json.
    pub fn bare(model: JsModel) -> Self {
        JsProject { model, deps: Arc::new(HashSet::new()) }
    }

    /// Does the project depend on `name`.
    pub fn depends_on(&self, name: &str) -> bool {
        self.deps.contains(name)
    }
}

/// Resolves the project of each file, caching what each directory's nearest package.json says.
pub struct JsModelResolver {
    choice: JsModelChoice,
    by_dir: Mutex<HashMap<PathBuf, JsProject>>,
    notices: Mutex<Vec<String>>,
}

impl JsModelResolver {
    pub fn new(choice: JsModelChoice) -> Self {
        JsModelResolver { choice, by_dir: Mutex::new(HashMap::new()), notices: Mutex::new(Vec::new()) }
    }

    /// The project of a file at `path` (which need not exist: stdin buffers use their stated path), with the model
    /// fixed by `choice` unless it is `auto`.
    pub fn project_for(&self, path: &Path, choice: JsModelChoice) -> JsProject {
        let choice = if choice == JsModelChoice::Auto { self.choice } else { choice };
        let mut project = self.detected(path);
        if let Some(fixed) = choice.fixed() {
            project.model = fixed;
        }
        project
    }

    fn detected(&self, path: &Path) -> JsProject {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = dir.canonicalize().unwrap_or(dir);
        // held while manifests are read, so two threads never read the same one
        let mut cache = self.by_dir.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(project) = cache.get(&dir) {
            return project.clone();
        }
        // every directory passed gets the answer too, so each package.json is read once per run
        let (project, passed) = crate::nearest::walk_up(&dir, |d| cache.get(d).cloned(), |d| self.manifest_project(d));
        let project = project.unwrap_or_else(|| JsProject::bare(JsModel::AsyncLocalStorage));
        for d in passed {
            cache.insert(d, project.clone());
        }
        project
    }

    /// What the package.json in `dir` says: `None` when there is none, or it is not valid JSON (detection then looks
    /// further up).
    fn manifest_project(&self, dir: &Path) -> Option<JsProject> {
        let manifest = dir.join("package.json");
        // only a regular file: a FIFO named package.json would block the run forever
        let Ok(Some(bytes)) = crate::files::read_regular_file(&manifest) else { return None };
        let text = String::from_utf8(bytes).ok()?;
        match serde_json::from_str::<PackageJson>(&text) {
            Ok(pkg) => {
                let names = pkg.dependencies.keys().chain(pkg.dev_dependencies.keys()).map(String::as_str);
                // The nearest package.json decides, even when it names no OpenTelemetry package.
                let model = model_from_dependencies(names.clone()).unwrap_or(JsModel::AsyncLocalStorage);
                Some(JsProject { model, deps: Arc::new(names.map(str::to_string).collect()) })
            }
            Err(e) => {
                if let Ok(mut n) = self.notices.lock() {
                    let msg = format!("{}: not valid JSON ({e}); JS context manager detection looks further up", manifest.display());
                    if !n.contains(&msg) {
                        n.push(msg);
                    }
                }
                None
            }
        }
    }

    /// Problems met while reading package.json files, for the user.
    pub fn take_notices(&self) -> Vec<String> {
        self.notices.lock().map(|mut n| std::mem::take(&mut *n)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_order_follows_the_spec() {
        assert_eq!(model_from_dependencies(["@opentelemetry/sdk-trace-web", "@opentelemetry/context-zone"]), Some(JsModel::Zone));
        assert_eq!(model_from_dependencies(["@opentelemetry/sdk-trace-web", "@opentelemetry/sdk-trace-node"]), Some(JsModel::Stack));
        assert_eq!(model_from_dependencies(["@opentelemetry/sdk-node"]), Some(JsModel::AsyncLocalStorage));
        assert_eq!(model_from_dependencies(["express"]), None);
    }
}
