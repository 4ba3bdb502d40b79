//! The configuration as written: the serde types of a ctxlint table (`ctxlint.toml`, or `[tool.ctxlint]` in
//! pyproject.toml), each value with its span. Their names are part of serde's error messages, so they stay as they are.
use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::jsmodel::JsModelChoice;
use crate::pymodel::PyPatch;

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
    /// Globs of paths (relative to this file's directory) not to lint while walking; replaces [`super::DEFAULT_EXCLUDES`].
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
    #[serde(default)]
    pub python: PySection,
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PySection {
    /// The instrumentations and SDKs taken as active instead of detecting them from the project (`[]`: none).
    pub instrumented: Option<Vec<PyPatch>>,
}

#[derive(Deserialize)]
pub(super) struct Pyproject {
    pub(super) tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
pub(super) struct PyprojectTool {
    pub(super) ctxlint: Option<toml::Value>,
}

/// A pyproject.toml read again for its `[tool.ctxlint]` table, with spans relative to the whole file.
#[derive(Deserialize)]
pub(super) struct Wrapper {
    pub(super) tool: ToolWrapper,
}

#[derive(Deserialize)]
pub(super) struct ToolWrapper {
    pub(super) ctxlint: RawConfig,
}
