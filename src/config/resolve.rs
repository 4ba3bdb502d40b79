//! Resolution: a file's raw settings (or none) and the command-line overrides turned into the [`Settings`] of the
//! files it covers, with every unknown rule id and bad glob reported at its span.
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml::Spanned;

use super::load::{load_text, Loaded};
use super::schema::{RawConfig, RawSize};
use super::{ConfigError, Settings};
use crate::jsmodel::JsModelChoice;
use crate::pymodel::{ChosenBy, PyInstrumentedChoice};
use crate::registry::Registry;
use crate::size::SizeLimit;

/// Overrides from the command line.
#[derive(Debug, Clone, Default)]
pub struct CliOverrides {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub exclude: Option<Vec<String>>,
    pub require_reason: bool,
    pub js_model: JsModelChoice,
    /// `--python-instrumented`.
    pub py_instrumented: PyInstrumentedChoice,
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

/// Resolves the settings a configuration text gives (as if it were the file at `path`, with no command-line
/// overrides): `Ok(None)` for a pyproject.toml without `[tool.ctxlint]`. The fuzz target's entry point.
pub fn settings_from_text(path: &Path, text: String, registry: &Registry) -> Result<Option<Settings>, ConfigError> {
    let Some(loaded) = load_text(path, text)? else { return Ok(None) };
    let base = path.parent().unwrap_or(Path::new("."));
    resolve(Some(&loaded), base, registry, &CliOverrides::default()).map(Some)
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
pub(super) fn resolve(loaded: Option<&Loaded>, base: &Path, registry: &Registry, cli: &CliOverrides) -> Result<Settings, ConfigError> {
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
    let py_instrumented = match (&cli.py_instrumented, &raw.python.instrumented) {
        (PyInstrumentedChoice::Auto, Some(list)) => {
            let mut patches = list.clone();
            patches.sort();
            patches.dedup();
            PyInstrumentedChoice::Fixed { patches, by: ChosenBy::Config }
        }
        (choice, _) => choice.clone(),
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
        py_instrumented,
        max_file_size,
        exclude,
        per_file_ignores,
        exclude_globs,
        default_excludes: cli.exclude.is_none() && raw.exclude.is_none(),
        per_file_ignore_globs,
    })
}
