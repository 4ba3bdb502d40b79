//! The JavaScript project a file belongs to: the context-manager model it runs under (which decides whether
//! callbacks keep the context), chosen by the user or detected from the nearest `package.json`, that manifest's
//! dependency names (which auto-instrumentations propagate for the user) and its package name (an instrumentation
//! package's own code propagates for the library it instruments).
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
    /// Any JSON value: a package.json whose `name` is not a string still counts for its dependencies.
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default)]
    dependencies: HashMap<String, serde_json::Value>,
    #[serde(default, rename = "devDependencies")]
    dev_dependencies: HashMap<String, serde_json::Value>,
}

/// Picks the model from a package.json's dependency names, in the order rules.md gives.
pub fn model_from_dependencies<'a>(names: impl IntoIterator<Item = &'a str> + Clone) -> Option<JsModel> {
    model_and_dependency(names).map(|(model, _)| model)
}

/// [`model_from_dependencies`], with the dependency that decided.
pub fn model_and_dependency<'a>(names: impl IntoIterator<Item = &'a str> + Clone) -> Option<(JsModel, &'static str)> {
    const ORDER: &[(JsModel, &[&str])] = &[
        (JsModel::Zone, &["@opentelemetry/context-zone", "@opentelemetry/context-zone-peer-dep"]),
        (JsModel::Stack, &["@opentelemetry/sdk-trace-web"]),
        (
            JsModel::AsyncLocalStorage,
            &[
                "@opentelemetry/sdk-node",
                "@opentelemetry/sdk-trace-node",
                "@opentelemetry/context-async-hooks",
                "@opentelemetry/auto-instrumentations-node",
            ],
        ),
    ];
    ORDER.iter().find_map(|(model, wanted)| {
        wanted.iter().find(|w| names.clone().into_iter().any(|n| n == **w)).map(|dependency| (*model, *dependency))
    })
}

/// What a JS file's project says: its context-manager model and the dependency names of its nearest package.json.
#[derive(Debug, Clone)]
pub struct JsProject {
    pub model: JsModel,
    /// `dependencies` and `devDependencies` names of the nearest valid package.json (empty when there is none).
    pub deps: Arc<HashSet<String>>,
    /// The `name` of the nearest valid package.json (`@opentelemetry/instrumentation-kafkajs`), if it is a string.
    pub name: Option<Arc<str>>,
    /// The nearest valid package.json.
    pub manifest: Option<Arc<Path>>,
    /// The dependency of that package.json that picked the detected model (`None`: the default model).
    pub decided_by: Option<&'static str>,
}

impl JsProject {
    /// A project with no package.json.
    pub fn bare(model: JsModel) -> Self {
        JsProject { model, deps: Arc::new(HashSet::new()), name: None, manifest: None, decided_by: None }
    }

    /// Is the project's own package named `name`-ending: `instrumentation-kafkajs` matches
    /// `@opentelemetry/instrumentation-kafkajs`.
    pub fn named_ending(&self, suffix: &str) -> bool {
        self.name.as_deref().is_some_and(|n| n.ends_with(suffix))
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
                let decided = model_and_dependency(names.clone());
                Some(JsProject {
                    model: decided.map_or(JsModel::AsyncLocalStorage, |(model, _)| model),
                    deps: Arc::new(names.map(str::to_string).collect()),
                    name: pkg.name.as_ref().and_then(serde_json::Value::as_str).map(Arc::from),
                    manifest: Some(Arc::from(manifest.as_path())),
                    decided_by: decided.map(|(_, dependency)| dependency),
                })
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
        assert_eq!(
            model_and_dependency(["express", "@opentelemetry/auto-instrumentations-node"]),
            Some((JsModel::AsyncLocalStorage, "@opentelemetry/auto-instrumentations-node"))
        );
    }

    #[test]
    fn the_nearest_package_json_gives_the_name_manifest_and_deciding_dependency() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().canonicalize().expect("canonical");
        let manifest = r#"{ "name": "@opentelemetry/instrumentation-kafkajs", "devDependencies": { "@opentelemetry/sdk-trace-node": "*", "kafkajs": "*" } }"#;
        std::fs::write(root.join("package.json"), manifest).expect("write");
        std::fs::create_dir_all(root.join("test")).expect("mkdir");
        std::fs::write(root.join("test/other.json"), "{}").expect("write");
        let resolver = JsModelResolver::new(JsModelChoice::Auto);
        let project = resolver.project_for(&root.join("test/kafkajs.test.ts"), JsModelChoice::Auto);
        assert_eq!(project.name.as_deref(), Some("@opentelemetry/instrumentation-kafkajs"));
        assert!(project.named_ending("instrumentation-kafkajs"));
        assert_eq!(project.manifest.as_deref(), Some(root.join("package.json").as_path()));
        assert_eq!((project.model, project.decided_by), (JsModel::AsyncLocalStorage, Some("@opentelemetry/sdk-trace-node")));
        // a name that is not a string is no name, and the dependencies still count
        std::fs::write(root.join("test/package.json"), r#"{ "name": 5, "dependencies": { "@opentelemetry/sdk-trace-web": "*" } }"#)
            .expect("write");
        let inner = JsModelResolver::new(JsModelChoice::Auto).project_for(&root.join("test/a.ts"), JsModelChoice::Auto);
        assert_eq!((inner.name, inner.model), (None, JsModel::Stack));
    }
}
