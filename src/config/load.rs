//! Reading a configuration file and parsing it into its [`RawConfig`], keeping the text for error spans.
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::schema::{Pyproject, RawConfig, Wrapper};
use super::ConfigError;

/// One configuration file, read and parsed.
pub(super) struct Loaded {
    pub(super) raw: RawConfig,
    pub(super) path: PathBuf,
    pub(super) text: String,
    /// Where the ctxlint table starts in the text (pyproject spans are relative to it otherwise).
    pub(super) offset: usize,
}

/// Reads one config file; `Ok(None)` for a pyproject.toml without `[tool.ctxlint]`.
pub(super) fn load(path: &Path) -> Result<Option<Loaded>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        source: String::new(),
        span: None,
        message: format!("cannot read: {}", crate::files::describe_io(&e)),
    })?;
    load_text(path, text)
}

/// Parses a configuration text as the file at `path`; `Ok(None)` for a pyproject.toml without `[tool.ctxlint]`.
pub(super) fn load_text(path: &Path, text: String) -> Result<Option<Loaded>, ConfigError> {
    let err = |span: Option<Range<usize>>, message: String| ConfigError { path: path.to_path_buf(), source: text.clone(), span, message };
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        let project: Pyproject = toml::from_str(&text).map_err(|e| err(e.span(), e.message().to_string()))?;
        if project.tool.and_then(|t| t.ctxlint).is_none() {
            return Ok(None);
        }
        // parse the [tool.ctxlint] table with spans relative to the whole file
        let wrapper: Wrapper = toml::from_str(&text).map_err(|e| err(e.span(), e.message().to_string()))?;
        return Ok(Some(Loaded { raw: wrapper.tool.ctxlint, path: path.to_path_buf(), text, offset: 0 }));
    }
    let raw: RawConfig = toml::from_str(&text).map_err(|e| err(e.span(), e.message().to_string()))?;
    Ok(Some(Loaded { raw, path: path.to_path_buf(), text, offset: 0 }))
}
