//! Configuration files, the way ruff finds them: for each linted file, the closest `ctxlint.toml`,
//! `.ctxlint.toml` or `pyproject.toml` with a `[tool.ctxlint]` table, walking up from the file's directory (no
//! merging). `--config PATH` uses one file for everything; `--isolated` uses none. Every value keeps its place in the
//! TOML, so an unknown key, a wrong type, an unknown rule id or a bad glob is reported at its exact span.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::jsmodel::JsModelChoice;
use crate::registry::Registry;
use crate::size::SizeLimit;

pub const FILE_NAMES: &[&str] = &["ctxlint.toml", ".ctxlint.toml", "pyproject.toml"];

/// The settings as written in one file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    /// Rules to run (ids or language prefixes such as `py/`); replaces the default set.
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules added to the selection.
    #[serde(default)]
    pub extend_select: Vec<Spanned<String>>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Severity per rule id.
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Spanned<Severity>>,
    /// Globs of paths (relative to this file's directory) not to lint while walking; replaces [`DEFAULT_EXCLUDES`].
    #[serde(default)]
    pub exclude: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub extend_exclude: Vec<Spanned<String>>,
    /// Glob → rules not reported in matching files.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Report suppression comments without a reason.
    #[serde(default)]
    pub require_reason: Option<bool>,
    /// Walked files larger than this are not linted (`1MB`, `512KiB`, bytes; 0: no limit).
    #[serde(default)]
    pub max_file_size: Option<Spanned<RawSize>>,
    #[serde(default)]
    pub js: JsSection,
}

/// A size as written in a config file: a number of bytes or a text with a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawSize {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct JsSection {
    pub context_manager: Option<Spanned<JsModelChoice>>,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
struct PyprojectTool {
    ctxlint: Option<toml::Value>,
}

/// A configuration problem at a place in a file.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub source: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ctxlint::config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span.as_ref().map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_primary_with_span(
            Some("here".to_string()),
            (span.start, span.end - span.start),
        ))))
    }
}

/// The settings that apply to one file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file they came from (`None`: defaults).
    pub origin: Option<PathBuf>,
    /// The directory globs are relative to.
    pub base: PathBuf,
    pub enabled: HashSet<String>,
    pub severity: HashMap<String, Severity>,
    pub require_reason: bool,
    pub js_model: JsModelChoice,
    /// Walked files larger than this are skipped.
    pub max_file_size: SizeLimit,
    exclude: GlobSet,
    per_file_ignores: Vec<(GlobSet, HashSet<String>)>,
    /// The exclude globs as written, for `ctxlint config`.
    pub exclude_globs: Vec<String>,
    /// Whether [`DEFAULT_EXCLUDES`] apply (neither `exclude` nor `--exclude` replaced them).
    pub default_excludes: bool,
    pub per_file_ignore_globs: Vec<(String, Vec<String>)>,
}

/// The directories a walk skips unless `exclude` (or `--exclude`) is set, ruff's defaults: virtual environments,
/// installed packages, tool caches and build output. Matched against each entry's name; `*` in `*.egg-info` matches
/// any start.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "target",
    "venv",
    "*.egg-info",
];

/// Does an entry named `name` match one of [`DEFAULT_EXCLUDES`]?
pub fn is_default_excluded(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    DEFAULT_EXCLUDES.iter().any(|pattern| match pattern.strip_prefix('*') {
        Some(suffix) => name.len() > suffix.len() && name.ends_with(suffix),
        None => name == *pattern,
    })
}

impl Settings {
    /// Is the named file `path` (absolute) inside a directory of [`DEFAULT_EXCLUDES`] (below the settings' base), when
    /// they apply? For `--force-exclude`; a walk skips such directories as it meets them.
    pub fn excludes_by_default(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.base).unwrap_or(path);
        self.default_excludes && rel.parent().is_some_and(|dir| dir.components().any(|c| is_default_excluded(c.as_os_str())))
    }

    /// Is `path` excluded from walking?
    pub fn excludes(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.base).unwrap_or(path);
        self.exclude.is_match(rel) || rel.ancestors().skip(1).any(|a| !a.as_os_str().is_empty() && self.exclude.is_match(a))
    }

    /// The rules to run on `path`.
    pub fn rules_for(&self, path: &Path) -> HashSet<String> {
        let rel = path.strip_prefix(&self.base).unwrap_or(path);
        let mut rules = self.enabled.clone();
        for (globs, ids) in &self.per_file_ignores {
            if globs.is_match(rel) {
                rules.retain(|r| !ids.contains(r));
            }
        }
        rules
    }
}

/// Overrides from the command line.
#[derive(Debug, Clone, Default)]
pub struct CliOverrides {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub exclude: Option<Vec<String>>,
    pub require_reason: bool,
    pub js_model: JsModelChoice,
    /// `--max-file-size`.
    pub max_file_size: Option<SizeLimit>,
}

/// Rule ids a selector names: an id, or a language prefix (`py/`).
fn expand(selector: &str, registry: &Registry) -> Option<Vec<String>> {
    if let Some(rule) = registry.get(selector) {
        return Some(vec![rule.id.to_string()]);
    }
    if selector.ends_with('/') {
        let ids: Vec<String> = registry.rules.iter().filter(|r| r.id.starts_with(selector)).map(|r| r.id.to_string()).collect();
        return (!ids.is_empty()).then_some(ids);
    }
    None
}

/// Checks command-line selectors: unknown ids are a usage error.
pub fn check_cli_selectors(overrides: &CliOverrides, registry: &Registry) -> Result<(), String> {
    let all = overrides.select.iter().flatten().chain(overrides.ignore.iter().flatten()).chain(&overrides.extend_select);
    for s in all {
        if expand(s, registry).is_none() {
            return Err(format!("unknown rule or prefix `{s}` (`ctxlint rules` lists them; prefixes: js/, py/, rs/)"));
        }
    }
    Ok(())
}

struct Loaded {
    raw: RawConfig,
    path: PathBuf,
    text: String,
    /// Where the ctxlint table starts in the text (pyproject spans are relative to it otherwise).
    offset: usize,
}

/// Reads one config file; `Ok(None)` for a pyproject.toml without `[tool.ctxlint]`.
fn load(path: &Path) -> Result<Option<Loaded>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        source: String::new(),
        span: None,
        message: format!("cannot read: {}", crate::walk::describe_io(&e)),
    })?;
    load_text(path, text)
}

/// Resolves the settings a configuration text gives (as if it were the file at `path`, with no command-line
/// overrides): `Ok(None)` for a pyproject.toml without `[tool.ctxlint]`. The fuzz target's entry point.
pub fn settings_from_text(path: &Path, text: String, registry: &Registry) -> Result<Option<Settings>, ConfigError> {
    let Some(loaded) = load_text(path, text)? else { return Ok(None) };
    let base = path.parent().unwrap_or(Path::new("."));
    resolve(Some(&loaded), base, registry, &CliOverrides::default()).map(Some)
}

fn load_text(path: &Path, text: String) -> Result<Option<Loaded>, ConfigError> {
    let err = |span: Option<Range<usize>>, message: String| ConfigError { path: path.to_path_buf(), source: text.clone(), span, message };
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        let project: Pyproject = toml::from_str(&text).map_err(|e| err(e.span(), e.message().to_string()))?;
        if project.tool.and_then(|t| t.ctxlint).is_none() {
            return Ok(None);
        }
        // parse the [tool.ctxlint] table with spans relative to the whole file
        #[derive(Deserialize)]
        struct Wrapper {
            tool: ToolWrapper,
        }
        #[derive(Deserialize)]
        struct ToolWrapper {
            ctxlint: RawConfig,
        }
        let wrapper: Wrapper = toml::from_str(&text).map_err(|e| err(e.span(), e.message().to_string()))?;
        return Ok(Some(Loaded { raw: wrapper.tool.ctxlint, path: path.to_path_buf(), text, offset: 0 }));
    }
    let raw: RawConfig = toml::from_str(&text).map_err(|e| err(e.span(), e.message().to_string()))?;
    Ok(Some(Loaded { raw, path: path.to_path_buf(), text, offset: 0 }))
}

fn glob_set(globs: &[&Spanned<String>], loaded: &Loaded) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g.get_ref()).map_err(|e| ConfigError {
            path: loaded.path.clone(),
            source: loaded.text.clone(),
            span: Some(shift(g.span(), loaded.offset)),
            message: format!("invalid glob `{}`: {}", g.get_ref(), e.kind()),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| ConfigError { path: loaded.path.clone(), source: loaded.text.clone(), span: None, message: e.to_string() })
}

fn shift(span: Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

/// Turns a file's raw settings (or none) into resolved settings, applying the command line on top.
fn resolve(loaded: Option<&Loaded>, base: &Path, registry: &Registry, cli: &CliOverrides) -> Result<Settings, ConfigError> {
    let empty = RawConfig::default();
    let raw = loaded.map_or(&empty, |l| &l.raw);
    let unknown = |s: &Spanned<String>| -> ConfigError {
        let (path, text, offset) = loaded.map_or((PathBuf::new(), String::new(), 0), |l| (l.path.clone(), l.text.clone(), l.offset));
        ConfigError {
            path,
            source: text,
            span: Some(shift(s.span(), offset)),
            message: format!("unknown rule or prefix `{}` (`ctxlint rules` lists them; prefixes: js/, py/, rs/)", s.get_ref()),
        }
    };
    let ids = |list: &[Spanned<String>]| -> Result<Vec<String>, ConfigError> {
        let mut out = Vec::new();
        for s in list {
            out.extend(expand(s.get_ref(), registry).ok_or_else(|| unknown(s))?);
        }
        Ok(out)
    };
    let cli_ids = |list: &[String]| list.iter().flat_map(|s| expand(s, registry).unwrap_or_default()).collect::<Vec<_>>();

    let mut enabled: HashSet<String> = match (&cli.select, &raw.select) {
        (Some(select), _) => cli_ids(select).into_iter().collect(),
        (None, Some(select)) => ids(select)?.into_iter().collect(),
        (None, None) => registry.rules.iter().filter(|r| r.spec.default_enabled).map(|r| r.id.to_string()).collect(),
    };
    enabled.extend(ids(&raw.extend_select)?);
    enabled.extend(cli_ids(&cli.extend_select));
    let ignored: Vec<String> = match &cli.ignore {
        Some(ignore) => cli_ids(ignore),
        None => ids(&raw.ignore)?,
    };
    enabled.retain(|r| !ignored.contains(r));

    let mut severity = HashMap::new();
    for (id, level) in &raw.severity {
        if registry.get(id.get_ref()).is_none() {
            return Err(unknown(id));
        }
        severity.insert(id.get_ref().clone(), *level.get_ref());
    }
    let mut per_file_ignores = Vec::new();
    let mut per_file_ignore_globs = Vec::new();
    if let Some(l) = loaded {
        for (glob, list) in &raw.per_file_ignores {
            per_file_ignores.push((glob_set(&[glob], l)?, ids(list)?.into_iter().collect()));
            per_file_ignore_globs.push((glob.get_ref().clone(), list.iter().map(|s| s.get_ref().clone()).collect()));
        }
    }
    let (exclude, exclude_globs) = match (&cli.exclude, loaded) {
        (Some(globs), _) => {
            let mut builder = GlobSetBuilder::new();
            for g in globs {
                builder.add(Glob::new(g).map_err(|e| ConfigError {
                    path: PathBuf::from("--exclude"),
                    source: String::new(),
                    span: None,
                    message: format!("invalid glob `{g}`: {}", e.kind()),
                })?);
            }
            (
                builder.build().map_err(|e| ConfigError {
                    path: PathBuf::from("--exclude"),
                    source: String::new(),
                    span: None,
                    message: e.to_string(),
                })?,
                globs.clone(),
            )
        }
        (None, Some(l)) => {
            let globs: Vec<&Spanned<String>> = raw.exclude.iter().flatten().chain(&raw.extend_exclude).collect();
            (glob_set(&globs, l)?, globs.iter().map(|g| g.get_ref().clone()).collect())
        }
        (None, None) => (GlobSet::empty(), Vec::new()),
    };
    let js_model = match (cli.js_model, &raw.js.context_manager) {
        (JsModelChoice::Auto, Some(m)) => *m.get_ref(),
        (choice, _) => choice,
    };
    let max_file_size = match (cli.max_file_size, &raw.max_file_size) {
        (Some(limit), _) => limit,
        (None, Some(written)) => {
            let parsed = match written.get_ref() {
                RawSize::Bytes(b) => Ok(SizeLimit(Some(*b).filter(|b| *b > 0))),
                RawSize::Text(t) => crate::size::parse(t),
            };
            parsed.map_err(|message| {
                let (path, text, offset) =
                    loaded.map_or((PathBuf::new(), String::new(), 0), |l| (l.path.clone(), l.text.clone(), l.offset));
                ConfigError { path, source: text, span: Some(shift(written.span(), offset)), message }
            })?
        }
        (None, None) => SizeLimit::default(),
    };
    Ok(Settings {
        origin: loaded.map(|l| l.path.clone()),
        base: base.to_path_buf(),
        enabled,
        severity,
        require_reason: cli.require_reason || raw.require_reason.unwrap_or(false),
        js_model,
        max_file_size,
        exclude,
        per_file_ignores,
        exclude_globs,
        default_excludes: cli.exclude.is_none() && raw.exclude.is_none(),
        per_file_ignore_globs,
    })
}

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

/// An absolute, lexically clean form of a path (no symlinks resolved, no file system access).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
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
