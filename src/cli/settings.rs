//! `ctxlint config PATH` and `--show-settings`: the settings that apply to a path, printed, with the JS context
//! manager and the Python runtime actually chosen for it and why.
use std::path::Path;

use super::exit::ExitStatus;
use super::run_error::run_failed;
use super::stdout::{emit, finish};
use super::SettingsArgs;
use crate::config::{Settings, DEFAULT_EXCLUDES};
use crate::files::absolute;
use crate::jsmodel::{JsModelChoice, JsModelResolver, JsProject};
use crate::output::display_path;
use crate::pymodel::{ChosenBy, PyInstrumentedChoice, PyRuntime, PyRuntimeResolver};
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
    let js = JsModelResolver::new(JsModelChoice::Auto).project_for(&probe, settings.js_model);
    let py_resolver = PyRuntimeResolver::new();
    let py = py_resolver.runtime_for(&probe, &settings.py_instrumented);
    for n in py_resolver.take_notices() {
        super::notice::notice(format_args!("{n}"));
    }
    let mut text = format!(
        "settings for {}\nfrom: {}\nrules ({}): {}\nseverity overrides: {}\nrequire-reason: {}\nmax-file-size: {}\nexclude: {}\nper-file-ignores: {}\n",
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
    );
    text.push_str(&js_lines(&js, args, &settings, base));
    text.push_str(&python_lines(&py, &settings.py_instrumented, base));
    finish(emit(&text), ExitStatus::Success)
}

/// The JS context manager chosen for the path and why, and the package it belongs to.
fn js_lines(js: &JsProject, args: &SettingsArgs, settings: &Settings, base: &Path) -> String {
    let manifest = js.manifest.as_deref().map(|m| display_path(m, base));
    let why = if args.js_context_manager != JsModelChoice::Auto {
        "set by --js-context-manager".to_string()
    } else if settings.js_model != JsModelChoice::Auto {
        "set by [js] context-manager".to_string()
    } else {
        match (&manifest, js.decided_by) {
            (Some(m), Some(dependency)) => format!("detected: {m} depends on {dependency}"),
            (Some(m), None) => format!("the default: {m} names no OpenTelemetry context manager"),
            (None, _) => "the default: no package.json here or above".to_string(),
        }
    };
    let package = match (&js.name, &manifest) {
        (Some(name), Some(m)) => format!("{name} ({m})"),
        _ => "none".to_string(),
    };
    format!("js context-manager: {} ({why})\njs package: {package}\n", js.model.name())
}

/// The Python runtime chosen for the path: its project, package, the active instrumentations, what they carry, and
/// the evidence for each.
fn python_lines(py: &PyRuntime, choice: &PyInstrumentedChoice, base: &Path) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let project = match py.project_root.as_deref().map(|r| display_path(r, base)) {
        Some(shown) if shown.is_empty() => ".".to_string(),
        Some(shown) => shown,
        None => "none".to_string(),
    };
    let package = match (&py.package, py.instrumentation_of.is_empty()) {
        (Some(name), true) => name.clone(),
        (Some(name), false) => format!("{name} (the instrumentation of {})", py.instrumentation_of.join(", ")),
        (None, _) => "none".to_string(),
    };
    let active: Vec<&str> = py.active.iter().map(|p| p.name()).collect();
    let how = match choice {
        PyInstrumentedChoice::Auto => "detected",
        PyInstrumentedChoice::Fixed { by: ChosenBy::CommandLine, .. } => "set by --python-instrumented",
        PyInstrumentedChoice::Fixed { by: ChosenBy::Config, .. } => "set by [python] instrumented",
    };
    let mut text = format!(
        "python project: {project}\npython package: {package}\npython instrumented: {} ({how})\npython runtime: threads carry the context: {}; thread pools: {}; process pools: {}; child processes get it in their environment: {}\npython evidence:\n",
        if active.is_empty() { "none".to_string() } else { active.join(", ") },
        yes_no(py.threads_carry_context),
        yes_no(py.thread_pools_carry_context),
        yes_no(py.process_pools_carry_context),
        yes_no(py.subprocess_env_injected),
    );
    for line in &py.evidence {
        text.push_str(&format!("  - {line}\n"));
    }
    text
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
