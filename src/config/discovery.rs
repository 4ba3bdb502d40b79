//! Discovery: which configuration file applies to a path (the nearest one, a fixed one, or none), found by walking up
//! from the file's directory, with a cache so each file is read once per run.
use crate::files::absolute;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::load::load;
use super::resolve::resolve;
use super::{CliOverrides, ConfigError, Settings};
use crate::registry::Registry;

/// The names of configuration files, in the order they are looked for in a directory.
pub const FILE_NAMES: &[&str] = &["ctxlint.toml", ".ctxlint.toml", "pyproject.toml"];

/// How configuration is found.
#[derive(Debug, Clone, Default)]
pub enum Discovery {
    /// The closest config file to each linted file.
    #[default]
    Nearest,
    /// One file for everything (`--config PATH`).
    Fixed(PathBuf),
    /// No files at all (`--isolated`).
    Isolated,
}

/// Finds and caches the settings of each directory. Every directory a lookup passes is cached with its answer, so
/// a lookup walks up only to the first directory seen before, and each config file is read and resolved once per run
/// (a pyproject.toml without `[tool.ctxlint]` too).
pub struct ConfigResolver {
    registry: &'static Registry,
    cli: CliOverrides,
    cache: Mutex<Cache>,
    fixed: Option<Arc<Settings>>,
    /// How many config files were read, for the tests.
    #[cfg(test)]
    loads: std::sync::atomic::AtomicUsize,
}

/// What the resolver has found so far.
#[derive(Default)]
struct Cache {
    /// The settings of each directory (or the error of its nearest config file): those of its own config file, else
    /// its parent's.
    by_dir: HashMap<PathBuf, Result<Arc<Settings>, ConfigError>>,
    /// The settings when no config file applies.
    defaults: Option<Arc<Settings>>,
}

impl ConfigResolver {
    pub fn new(registry: &'static Registry, cli: CliOverrides, discovery: Discovery) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let fixed = match &discovery {
            Discovery::Fixed(path) => {
                let loaded = load(path)?.ok_or_else(|| ConfigError {
                    path: path.clone(),
                    source: String::new(),
                    span: None,
                    message: "has no [tool.ctxlint] table".to_string(),
                })?;
                let base = path.parent().filter(|p| !p.as_os_str().is_empty()).map_or(cwd.clone(), Path::to_path_buf);
                Some(Arc::new(resolve(Some(&loaded), &absolute(&base), registry, &cli)?))
            }
            Discovery::Isolated => Some(Arc::new(resolve(None, &cwd, registry, &cli)?)),
            Discovery::Nearest => None,
        };
        Ok(ConfigResolver {
            registry,
            cli,
            cache: Mutex::new(Cache::default()),
            fixed,
            #[cfg(test)]
            loads: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The settings for a file at `path` (which need not exist).
    pub fn settings_for(&self, path: &Path) -> Result<Arc<Settings>, ConfigError> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let dir = absolute(path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")));
        // held while a config file is read, so two threads never read the same one
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.by_dir.get(&dir) {
            return found.clone();
        }
        // every directory passed gets the answer too, so each config file is read once per run
        let (answer, passed) = crate::nearest::walk_up(&dir, |d| cache.by_dir.get(d).cloned(), |d| self.own_settings(d));
        let answer = match answer {
            Some(answer) => answer,
            None => self.defaults(&mut cache),
        };
        for d in passed {
            cache.by_dir.insert(d, answer.clone());
        }
        answer
    }

    /// The settings of the first config file in `dir` that has any (`None`: no such file there).
    fn own_settings(&self, dir: &Path) -> Option<Result<Arc<Settings>, ConfigError>> {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if !candidate.is_file() {
                continue;
            }
            #[cfg(test)]
            self.loads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            match load(&candidate) {
                Ok(None) => continue,
                Ok(Some(loaded)) => return Some(resolve(Some(&loaded), dir, self.registry, &self.cli).map(Arc::new)),
                Err(e) => return Some(Err(e)),
            }
        }
        None
    }

    /// The settings when no config file applies (resolved once).
    fn defaults(&self, cache: &mut Cache) -> Result<Arc<Settings>, ConfigError> {
        if let Some(defaults) = &cache.defaults {
            return Ok(defaults.clone());
        }
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let defaults = Arc::new(resolve(None, &cwd, self.registry, &self.cli)?);
        cache.defaults = Some(defaults.clone());
        Ok(defaults)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;

    fn resolver() -> ConfigResolver {
        let registry = crate::registry::builtin().expect("rules load");
        ConfigResolver::new(registry, CliOverrides::default(), Discovery::Nearest).expect("resolver")
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Item 14: every config file is read once per run, however many directories it covers; sibling directories get
    /// the very same settings.
    #[test]
    fn each_config_file_is_read_once() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path();
        write(&root.join("ctxlint.toml"), "ignore = [\"py/dangling-task\"]\n");
        // no [tool.ctxlint]: does not count, the search goes on up, but it is read only once too
        write(&root.join("svc/pyproject.toml"), "[project]\nname = \"svc\"\n");
        write(&root.join("svc/inner/pyproject.toml"), "[tool.ctxlint]\nselect = [\"py/\"]\n");
        let r = resolver();
        let mut seen = Vec::new();
        for i in 0..50 {
            seen.push(r.settings_for(&root.join(format!("svc/pkg{}/m{i}/a.py", i % 5))).expect("settings"));
        }
        let inner: Vec<_> = (0..50).map(|i| r.settings_for(&root.join(format!("svc/inner/m{i}/a.py"))).expect("settings")).collect();
        assert_eq!(r.loads.load(Ordering::Relaxed), 3, "one read per config file");
        assert!(seen.iter().all(|s| Arc::ptr_eq(s, &seen[0])), "one resolved Settings for all the directories it covers");
        assert_eq!(seen[0].origin.as_deref(), Some(root.join("ctxlint.toml").as_path()));
        assert!(inner.iter().all(|s| Arc::ptr_eq(s, &inner[0])));
        assert_eq!(inner[0].origin.as_deref(), Some(root.join("svc/inner/pyproject.toml").as_path()));
        assert!(inner[0].enabled.contains("py/dangling-task") && !seen[0].enabled.contains("py/dangling-task"));
    }

    /// A directory with no config file above it gets the defaults, resolved once.
    #[test]
    fn the_defaults_are_resolved_once() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let r = resolver();
        let a = r.settings_for(&dir.path().join("a/x.py")).expect("settings");
        let b = r.settings_for(&dir.path().join("b/c/y.py")).expect("settings");
        // a config file in a directory above the temporary one (there should be none) would be shared as well
        assert!(Arc::ptr_eq(&a, &b));
    }

    /// A broken config file is an error for every directory under it, and is read once.
    #[test]
    fn a_broken_config_file_is_an_error_everywhere_under_it() {
        let dir = tempfile::TempDir::new().expect("tmp");
        write(&dir.path().join("ctxlint.toml"), "select = [\"no/such-rule\"]\n");
        let r = resolver();
        for i in 0..10 {
            let err = r.settings_for(&dir.path().join(format!("d{i}/a.py"))).expect_err("bad config");
            assert!(err.message.contains("unknown rule or prefix `no/such-rule`"), "{err}");
        }
        assert_eq!(r.loads.load(Ordering::Relaxed), 1);
    }
}
