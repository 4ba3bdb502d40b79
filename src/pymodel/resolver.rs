//! Resolves the Python runtime of each linted file: its nearest project root (cached per directory, each root read
//! once, with the local projects its requirements install), the activation scan (once per root, and only for a root
//! that declares something a scan could find active), the package the file belongs to, and the user's choice on top.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::activation::{self, Activation, Bounds, Scan, Site};
use super::names;
use super::patches::{ChosenBy, PyInstrumentedChoice, PyPatch};
use super::project::{self, Project};
use super::PyRuntime;

/// Distributions that bring the `opentelemetry-instrument` and `opentelemetry-bootstrap` commands.
const LAUNCHER_DISTRIBUTIONS: &[&str] = &["opentelemetry-instrumentation", "opentelemetry-distro"];
/// How deep local projects (`-e ../lib`) are followed.
const MAX_LINK_DEPTH: usize = 4;
/// Every activation the scan looks for, whoever asks (so one scan per root serves every project that links it).
const ALL_ACTIVATIONS: &[Activation] = &[
    Activation::ThreadingInstrument,
    Activation::LogfireConfigure,
    Activation::SentryInit,
    Activation::AutoInstrument,
    Activation::Bootstrap,
];

/// One project root, read.
struct Root {
    project: Project,
    /// The projects its requirements install from local directories, transitively (each once).
    linked: Vec<Arc<Root>>,
    scan: OnceLock<Scan>,
    /// The runtime of its files when nothing is fixed by the user.
    auto: OnceLock<PyRuntime>,
}

impl Root {
    fn dir(&self) -> &Path {
        &self.project.root
    }

    /// The file (relative to this root) that declares `distribution`, here or in a linked project.
    fn declares(&self, distribution: &str) -> Option<String> {
        self.project.declared.get(distribution).cloned().or_else(|| {
            self.linked.iter().find_map(|l| l.project.declared.get(distribution).map(|f| project::shown(self.dir(), &l.dir().join(f))))
        })
    }
}

#[derive(Default)]
struct Cache {
    /// Each directory's nearest root (`None`: no project file in it or above).
    nearest: HashMap<PathBuf, Option<Arc<Root>>>,
    /// Each root read, by its directory.
    roots: HashMap<PathBuf, Arc<Root>>,
}

/// Resolves the Python runtime of each file, caching what each directory's nearest project says.
pub struct PyRuntimeResolver {
    cache: Mutex<Cache>,
    notices: Mutex<Vec<String>>,
    bounds: Bounds,
    /// The runtime of a file with no project.
    bare: OnceLock<PyRuntime>,
}

impl Default for PyRuntimeResolver {
    fn default() -> Self {
        PyRuntimeResolver::new()
    }
}

impl PyRuntimeResolver {
    pub fn new() -> Self {
        PyRuntimeResolver::with_bounds(activation::BOUNDS)
    }

    fn with_bounds(bounds: Bounds) -> Self {
        PyRuntimeResolver { cache: Mutex::new(Cache::default()), notices: Mutex::new(Vec::new()), bounds, bare: OnceLock::new() }
    }

    /// The runtime of a Python file at `path` (which need not exist: stdin buffers use their stated path) under the
    /// user's `choice`.
    pub fn runtime_for(&self, path: &Path, choice: &PyInstrumentedChoice) -> PyRuntime {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = dir.canonicalize().unwrap_or(dir);
        let root = self.nearest(&dir);
        match (choice, &root) {
            (PyInstrumentedChoice::Auto, Some(root)) => root.auto.get_or_init(|| self.detect(root)).clone(),
            (PyInstrumentedChoice::Auto, None) => self.bare.get_or_init(|| self.bare_runtime()).clone(),
            (PyInstrumentedChoice::Fixed { patches, by }, _) => {
                let mut runtime = self.identity(root.as_ref());
                let by = match by {
                    ChosenBy::CommandLine => "set by `--python-instrumented`",
                    ChosenBy::Config => "set by `[python] instrumented` of the configuration",
                };
                if patches.is_empty() {
                    runtime.evidence.push(format!("nothing is taken as instrumented ({by})"));
                }
                for patch in patches {
                    patch.apply(&mut runtime);
                    runtime.evidence.push(format!("{} is active ({by}): {} (witness: {})", patch.name(), patch.carries(), patch.witness()));
                }
                runtime
            }
        }
    }

    /// Problems met while reading project files and scanning projects, for the user.
    pub fn take_notices(&self) -> Vec<String> {
        self.notices.lock().map(|mut n| std::mem::take(&mut *n)).unwrap_or_default()
    }

    fn notice(&self, message: String) {
        if let Ok(mut n) = self.notices.lock() {
            if !n.contains(&message) {
                n.push(message);
            }
        }
    }

    /// The nearest root of `dir`; every directory passed on the way gets the same answer.
    fn nearest(&self, dir: &Path) -> Option<Arc<Root>> {
        // held while project files are read, so two threads never read the same one
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = cache.nearest.get(dir) {
            return known.clone();
        }
        let Cache { nearest, roots } = &mut *cache;
        let (found, passed) = crate::nearest::walk_up(
            dir,
            |d| nearest.get(d).cloned(),
            |d| {
                let manifests = project::manifests_in(d);
                (!manifests.is_empty()).then(|| Some(self.read_root(roots, d, manifests, &mut Vec::new())))
            },
        );
        let found = found.flatten();
        for d in passed {
            nearest.insert(d, found.clone());
        }
        found
    }

    /// The root at `dir` (read once), with the local projects it links; `visiting` holds the roots being read, so a
    /// cycle of `-e` links stops.
    fn read_root(
        &self,
        roots: &mut HashMap<PathBuf, Arc<Root>>,
        dir: &Path,
        manifests: Vec<String>,
        visiting: &mut Vec<PathBuf>,
    ) -> Arc<Root> {
        if let Some(root) = roots.get(dir) {
            return root.clone();
        }
        let project = project::read(dir, manifests);
        for n in &project.notices {
            self.notice(n.clone());
        }
        let mut linked: Vec<Arc<Root>> = Vec::new();
        if visiting.len() < MAX_LINK_DEPTH {
            visiting.push(dir.to_path_buf());
            for local in &project.local_projects {
                let local = local.canonicalize().unwrap_or_else(|_| local.clone());
                let manifests = project::manifests_in(&local);
                if visiting.contains(&local) || manifests.is_empty() {
                    continue;
                }
                let root = self.read_root(roots, &local, manifests, visiting);
                for r in std::iter::once(&root).chain(&root.linked) {
                    if r.dir() != dir && !linked.iter().any(|l| l.dir() == r.dir()) {
                        linked.push(r.clone());
                    }
                }
            }
            visiting.pop();
        }
        let root = Arc::new(Root { project, linked, scan: OnceLock::new(), auto: OnceLock::new() });
        roots.insert(dir.to_path_buf(), root.clone());
        root
    }

    /// The activation sites of `root` and its linked projects (files relative to `root`), and why a scan stopped
    /// early, if one did.
    fn sites(&self, root: &Root) -> (Vec<Site>, Option<String>) {
        let mut sites = Vec::new();
        let mut stopped = None;
        for r in std::iter::once(root).chain(root.linked.iter().map(|l| &**l)) {
            let scan = r.scan.get_or_init(|| {
                let scan = activation::scan(r.dir(), ALL_ACTIVATIONS, self.bounds, |d| !project::manifests_in(d).is_empty());
                if let Some(why) = &scan.stopped {
                    self.notice(format!(
                        "{}: the Python activation scan stopped early ({why}); set `[python] instrumented` to say which instrumentations are active",
                        r.dir().display()
                    ));
                }
                scan
            });
            for site in &scan.sites {
                if !sites.iter().any(|s: &Site| s.activation == site.activation) {
                    sites.push(Site { file: project::shown(root.dir(), &r.dir().join(&site.file)), ..site.clone() });
                }
            }
            stopped = stopped.or(scan.stopped.clone());
        }
        (sites, stopped)
    }

    /// The runtime of a file with no project file in its directory or above.
    fn bare_runtime(&self) -> PyRuntime {
        PyRuntime {
            evidence: vec![
                "no Python project file (pyproject.toml, setup.cfg, setup.py, requirements*.txt, Pipfile, a lock file) here or above: nothing is taken as instrumented"
                    .to_string(),
            ],
            ..PyRuntime::default()
        }
    }

    /// The runtime's project root, package name and what that package instruments; nothing active yet.
    fn identity(&self, root: Option<&Arc<Root>>) -> PyRuntime {
        let mut runtime = PyRuntime { project_root: root.map(|r| r.dir().to_path_buf()), ..PyRuntime::default() };
        let mut current = root.cloned();
        while let Some(r) = current {
            if let Some((name, file)) = &r.project.name {
                runtime.package = Some(names::normalize(name));
                if let Some(library) = names::instrumented_library(name) {
                    let file = root.map_or_else(|| file.clone(), |nearest| project::shown(nearest.dir(), &r.dir().join(file)));
                    runtime.evidence.push(format!(
                        "{file} names the package `{name}`: its own code is the instrumentation of `{library}` (the boundary rules stay silent for `{library}`)"
                    ));
                    runtime.instrumentation_of.push(library);
                }
                break;
            }
            current = r.dir().parent().and_then(|p| self.nearest(p));
        }
        runtime
    }

    /// What the project of `root` installs and activates.
    fn detect(&self, root: &Arc<Root>) -> PyRuntime {
        let mut runtime = self.identity(Some(root));
        let declared: Vec<(PyPatch, Option<String>)> = PyPatch::ALL.iter().map(|p| (*p, root.declares(p.distribution()))).collect();
        let launcher = LAUNCHER_DISTRIBUTIONS.iter().find_map(|d| root.declares(d));
        if declared.iter().all(|(_, file)| file.is_none()) && launcher.is_none() {
            runtime.evidence.push(format!("{} none of {}: nothing is taken as instrumented", declare(root), known_distributions()));
            return runtime;
        }
        let said = runtime.evidence.len();
        let (sites, stopped) = self.sites(root);
        let site = |a: Activation| sites.iter().find(|s| s.activation == a);
        let at = |s: &Site| format!("{}:{} {}", s.file, s.line, s.activation.describe());
        for (patch, file) in declared {
            let installed = file.map(|f| format!("{f} declares {}", patch.distribution()));
            // opentelemetry-bootstrap installs the threading instrumentation; opentelemetry-instrument activates it
            let (installed, activated) = match patch {
                PyPatch::Threading => (
                    installed.or_else(|| site(Activation::Bootstrap).map(at)),
                    site(Activation::ThreadingInstrument).or_else(|| site(Activation::AutoInstrument)),
                ),
                _ => (installed, site(patch.activation())),
            };
            match (installed, activated) {
                (Some(installed), Some(activated)) => {
                    patch.apply(&mut runtime);
                    runtime.evidence.push(format!(
                        "{} is active ({installed}; {}): {} (witness: {})",
                        patch.name(),
                        at(activated),
                        patch.carries(),
                        patch.witness()
                    ));
                }
                (Some(installed), None) => {
                    let how = match patch {
                        PyPatch::Threading => "calls `ThreadingInstrumentor().instrument()` or runs under `opentelemetry-instrument`",
                        _ => patch.activation().describe(),
                    };
                    runtime.evidence.push(format!("{} is not active: {installed}, but no project file {how}", patch.name()));
                }
                (None, Some(activated)) if patch == PyPatch::Threading => runtime.evidence.push(format!(
                    "threading is not active: {}, but opentelemetry-instrumentation-threading is neither declared nor installed by `opentelemetry-bootstrap`",
                    at(activated)
                )),
                (None, _) => {}
            }
        }
        // only a launcher (opentelemetry-distro) declared, and never used with opentelemetry-bootstrap
        if runtime.evidence.len() == said {
            runtime.evidence.push(format!(
                "{} the OpenTelemetry launcher, but none of {}: nothing is taken as instrumented",
                declare(root),
                known_distributions()
            ));
        }
        if let Some(why) = stopped {
            runtime.evidence.push(format!("the activation scan stopped early ({why}): `[python] instrumented` says what is active"));
        }
        runtime
    }
}

/// "pyproject.toml, uv.lock declare": the project files of `root`, as the subject of a sentence.
fn declare(root: &Root) -> String {
    let files = &root.project.manifests;
    format!("{} declare{}", files.join(", "), if files.len() == 1 { "s" } else { "" })
}

fn known_distributions() -> String {
    PyPatch::ALL.iter().map(|p| p.distribution()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pymodel::test_files::write;

    fn facts(r: &PyRuntime) -> (bool, bool, bool, bool) {
        (r.threads_carry_context, r.thread_pools_carry_context, r.process_pools_carry_context, r.subprocess_env_injected)
    }

    #[test]
    fn declared_and_activated_counts_declared_alone_does_not() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "svc/requirements.txt", "opentelemetry-instrumentation-threading\nlogfire\nsentry-sdk\n");
        write(&root, "svc/app/main.py", "from opentelemetry.instrumentation.threading import ThreadingInstrumentor\nThreadingInstrumentor().instrument()\nimport sentry_sdk\nsentry_sdk.init()\n");
        let resolver = PyRuntimeResolver::new();
        let runtime = resolver.runtime_for(&root.join("svc/app/worker.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(facts(&runtime), (true, true, false, false));
        assert_eq!(runtime.active, [PyPatch::Threading, PyPatch::Sentry]);
        assert_eq!(runtime.project_root.as_deref(), Some(root.join("svc").as_path()));
        assert_eq!(
            runtime.evidence,
            [
                format!("threading is active (requirements.txt declares opentelemetry-instrumentation-threading; app/main.py:2 calls `ThreadingInstrumentor().instrument()`): {} (witness: tests/witness/python/runtime/threading/)", PyPatch::Threading.carries()),
                "logfire is not active: requirements.txt declares logfire, but no project file calls `logfire.configure(...)`".to_string(),
                format!("sentry is active (requirements.txt declares sentry-sdk; app/main.py:4 calls `sentry_sdk.init(...)`): {} (witness: tests/witness/python/runtime/sentry/)", PyPatch::Sentry.carries()),
            ]
        );
        // activated but not declared: not taken as active
        write(&root, "other/pyproject.toml", "[project]\nname = \"other\"\n");
        write(&root, "other/main.py", "import logfire\nlogfire.configure()\n");
        let other = resolver.runtime_for(&root.join("other/main.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(facts(&other), (false, false, false, false));
        assert_eq!(other.package.as_deref(), Some("other"));
        assert!(
            other.evidence[0].starts_with("pyproject.toml declares none of opentelemetry-instrumentation-threading, logfire, sentry-sdk"),
            "{:?}",
            other.evidence
        );
    }

    #[test]
    fn the_launcher_activates_an_installed_or_bootstrapped_threading_instrumentation() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().canonicalize().expect("canonical");
        write(
            &root,
            "a/pyproject.toml",
            "[project]\nname = \"a\"\ndependencies = [\"opentelemetry-instrumentation-threading\", \"logfire\"]\n",
        );
        write(&root, "a/Procfile", "web: opentelemetry-instrument gunicorn app:app\n");
        write(&root, "a/app.py", "import logfire\nlogfire.configure(send_to_logfire=False)\n");
        write(&root, "b/requirements.txt", "opentelemetry-distro\n");
        write(&root, "b/Dockerfile", "RUN opentelemetry-bootstrap -a install\nCMD opentelemetry-instrument python app.py\n");
        write(&root, "c/requirements.txt", "opentelemetry-distro\n");
        write(&root, "c/Dockerfile", "CMD opentelemetry-instrument python app.py\n");
        let resolver = PyRuntimeResolver::new();
        let a = resolver.runtime_for(&root.join("a/app.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(facts(&a), (true, true, true, false));
        assert!(a.evidence[0].contains("Procfile:1 runs the program under `opentelemetry-instrument`"), "{:?}", a.evidence);
        let b = resolver.runtime_for(&root.join("b/app.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(facts(&b), (true, true, false, false));
        assert!(b.evidence[0].contains("Dockerfile:1 runs `opentelemetry-bootstrap`"), "{:?}", b.evidence);
        let c = resolver.runtime_for(&root.join("c/app.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(facts(&c), (false, false, false, false));
        assert_eq!(c.evidence, ["threading is not active: Dockerfile:1 runs the program under `opentelemetry-instrument`, but opentelemetry-instrumentation-threading is neither declared nor installed by `opentelemetry-bootstrap`"]);
        write(
            &root,
            "d/requirements.txt",
            "opentelemetry-distro
",
        );
        let d = resolver.runtime_for(&root.join("d/app.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(d.evidence, ["requirements.txt declares the OpenTelemetry launcher, but none of opentelemetry-instrumentation-threading, logfire, sentry-sdk: nothing is taken as instrumented"]);
    }

    #[test]
    fn each_root_is_read_and_scanned_once_and_the_choice_overrides_detection() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "pyproject.toml", "[project]\nname = \"opentelemetry-instrumentation-kafka-python\"\ndependencies = [\"logfire\"]\n");
        write(&root, "src/a/b/x.py", "import logfire\nlogfire.configure()\n");
        let resolver = PyRuntimeResolver::new();
        let first = resolver.runtime_for(&root.join("src/a/b/x.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(first.instrumentation_of, ["kafka-python"]);
        assert!(first.instruments("kafka-python"));
        assert_eq!(first.package.as_deref(), Some("opentelemetry-instrumentation-kafka-python"));
        assert!(first.thread_pools_carry_context);
        // a later change on disk is not seen: the root was read and scanned once for the run
        std::fs::remove_file(root.join("src/a/b/x.py")).expect("rm");
        write(&root, "pyproject.toml", "[project]\nname = \"changed\"\n");
        let again = resolver.runtime_for(&root.join("src/a/y.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(again, first);
        {
            let cache = resolver.cache.lock().expect("lock");
            assert_eq!(cache.roots.len(), 1);
            for d in [root.join("src/a/b"), root.join("src/a"), root.join("src"), root.clone()] {
                assert!(cache.nearest.contains_key(&d), "{}", d.display());
            }
        }
        // a fixed choice replaces what was detected, keeps what the package is
        let none = PyInstrumentedChoice::Fixed { patches: vec![], by: ChosenBy::Config };
        let fixed = resolver.runtime_for(&root.join("src/a/y.py"), &none);
        assert_eq!(facts(&fixed), (false, false, false, false));
        assert_eq!(fixed.instrumentation_of, ["kafka-python"]);
        assert_eq!(
            fixed.evidence.last().map(String::as_str),
            Some("nothing is taken as instrumented (set by `[python] instrumented` of the configuration)")
        );
        let threading = PyInstrumentedChoice::Fixed { patches: vec![PyPatch::Threading], by: ChosenBy::CommandLine };
        assert!(resolver.runtime_for(&root.join("src/a/y.py"), &threading).threads_carry_context);
    }

    #[test]
    fn nested_projects_linked_projects_and_package_names_further_up() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "setup.cfg", "[metadata]\nname = openinference-instrumentation-langchain\n");
        write(&root, "tests/requirements.txt", "-e ..\n-e ../../outside\nlogfire\n");
        write(&root, "main.py", "import logfire\nlogfire.configure()\n");
        write(&root, "lib/pyproject.toml", "[project]\nname = \"lib\"\n");
        write(&root, "lib/boot.py", "import sentry_sdk\nsentry_sdk.init()\n");
        let resolver = PyRuntimeResolver::new();
        // tests/ is a project of its own that installs the one above: its deps and activations count
        let tests = resolver.runtime_for(&root.join("tests/test_x.py"), &PyInstrumentedChoice::Auto);
        assert_eq!(tests.project_root.as_deref(), Some(root.join("tests").as_path()));
        assert_eq!(tests.instrumentation_of, ["langchain"], "the name comes from the nearest project file that has one");
        assert!(tests.process_pools_carry_context, "{:?}", tests.evidence);
        assert!(tests.evidence.iter().any(|e| e.contains("../main.py:2 calls `logfire.configure(...)`")), "{:?}", tests.evidence);
        // the root project's own scan does not enter lib/, a project of its own
        let top = resolver.runtime_for(&root.join("main.py"), &PyInstrumentedChoice::Auto);
        assert!(top.active.is_empty(), "{:?}", top.evidence);
        assert_eq!(resolver.take_notices(), Vec::<String>::new());
    }

    #[test]
    fn no_project_and_a_stopped_scan_say_so() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "requirements.txt", "sentry-sdk\n");
        for i in 0..4 {
            write(&root, &format!("m{i}.py"), "x = 1\n");
        }
        let resolver = PyRuntimeResolver::with_bounds(Bounds { files: 2, ..activation::BOUNDS });
        let runtime = resolver.runtime_for(&root.join("m0.py"), &PyInstrumentedChoice::Auto);
        assert!(runtime.evidence.iter().any(|e| e.starts_with("the activation scan stopped early")), "{:?}", runtime.evidence);
        let notices = resolver.take_notices();
        assert_eq!(notices.len(), 1);
        assert!(notices[0].contains("the Python activation scan stopped early"), "{notices:?}");
    }
}
