//! The resolved settings of one file (which rules run, severities, excludes, per-file ignores); the default excluded
//! directories live in `files` (the Python runtime model skips them too).
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use globset::GlobSet;

pub use crate::files::{is_default_excluded, DEFAULT_EXCLUDES};
use crate::finding::Severity;
use crate::jsmodel::JsModelChoice;
use crate::pymodel::PyInstrumentedChoice;
use crate::size::SizeLimit;

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
    /// The Python instrumentations taken as active: detected (`Auto`), or fixed by the command line or the file.
    pub py_instrumented: PyInstrumentedChoice,
    /// Walked files larger than this are skipped.
    pub max_file_size: SizeLimit,
    pub(super) exclude: GlobSet,
    pub(super) per_file_ignores: Vec<(GlobSet, HashSet<String>)>,
    /// The exclude globs as written, for `ctxlint config`.
    pub exclude_globs: Vec<String>,
    /// Whether [`DEFAULT_EXCLUDES`] apply (neither `exclude` nor `--exclude` replaced them).
    pub default_excludes: bool,
    pub per_file_ignore_globs: Vec<(String, Vec<String>)>,
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
