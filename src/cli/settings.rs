//! `ctxlint config PATH` and `--show-settings`: the settings that apply to a path, printed.
use std::path::Path;

use super::exit::ExitStatus;
use super::run_error::run_failed;
use super::stdout::{emit, finish};
use super::SettingsArgs;
use crate::config::{Settings, DEFAULT_EXCLUDES};
use crate::files::absolute;
use crate::output::display_path;
use crate::run::RunError;

/// `ctxlint config PATH` and `--show-settings`: the settings that apply to `path`, and the file they come from.
pub(super) fn show_settings(path: &Path, args: &SettingsArgs, base: &Path) -> ExitStatus {
    let options = args.run_options();
    let resolver = match options.config_resolver() {
        Ok(r) => r,
        Err(e) => return run_failed(&e, base),
    };
    // the settings of a directory are those of a file inside it
    let probe = if path.is_dir() { path.join("_") } else { path.to_path_buf() };
    let settings = match resolver.settings_for(&probe) {
        Ok(s) => s,
        Err(e) => return run_failed(&RunError::Config(e), base),
    };
    let mut rules: Vec<String> = settings.rules_for(&absolute(&probe)).into_iter().collect();
    rules.sort();
    let mut severity: Vec<String> = settings.severity.iter().map(|(k, v)| format!("{k} = {}", v.as_str())).collect();
    severity.sort();
    let text = format!(
        "settings for {}\nfrom: {}\nrules ({}): {}\nseverity overrides: {}\nrequire-reason: {}\nmax-file-size: {}\nexclude: {}\nper-file-ignores: {}\njs context-manager: {}\n",
        display_path(path, base),
        settings.origin.as_ref().map_or_else(|| "defaults (no configuration file found)".to_string(), |p| display_path(p, base)),
        rules.len(),
        rules.join(", "),
        if severity.is_empty() { "none".to_string() } else { severity.join(", ") },
        settings.require_reason,
        settings.max_file_size,
        exclude_line(&settings),
        if settings.per_file_ignore_globs.is_empty() {
            "none".to_string()
        } else {
            settings.per_file_ignore_globs.iter().map(|(g, ids)| format!("{g} -> {}", ids.join(", "))).collect::<Vec<_>>().join("; ")
        },
        match settings.js_model.fixed() {
            Some(m) => m.name().to_string(),
            None => "auto (nearest package.json)".to_string(),
        },
    );
    finish(emit(&text), ExitStatus::Success)
}

/// The `exclude:` line of `ctxlint config`: the default excludes (when no `exclude` replaced them), then the globs.
fn exclude_line(settings: &Settings) -> String {
    let mut parts = Vec::new();
    if settings.default_excludes {
        parts.push(format!("default directories ({})", DEFAULT_EXCLUDES.join(", ")));
    }
    parts.extend(settings.exclude_globs.iter().cloned());
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}
