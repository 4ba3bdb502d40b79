//! `ctxlint.printDebugInformation`: the server's version and settings, and per open file the configuration and the
//! runtime models it is linted with.
use std::fmt::Write;
use std::path::Path;

use super::documents::Documents;
use super::encoding::Encoding;
use super::settings::ClientSettings;
use crate::jsmodel::{JsModelChoice, JsModelResolver};
use crate::pymodel::PyRuntimeResolver;

/// The text of `ctxlint.printDebugInformation`.
pub fn debug_information(docs: &Documents, settings: &ClientSettings, encoding: Encoding, folders: &[String]) -> String {
    let mut out = format!(
        "ctxlint {}\nposition encoding: {}\nworkspace folders: {}\nsettings: {settings:?}\nopen documents: {}\n",
        env!("CARGO_PKG_VERSION"),
        encoding.name(),
        if folders.is_empty() { "none".to_string() } else { folders.join(", ") },
        docs.open.len()
    );
    let options = settings.run_options();
    let resolver = options.config_resolver();
    for uri in docs.uris() {
        let Some(doc) = docs.get(&uri) else { continue };
        let _ = write!(out, "\n{uri} (version {})\n", doc.version);
        let Some(path) = &doc.path else {
            out.push_str("  not linted: not a file ctxlint reads\n");
            continue;
        };
        match &resolver {
            Ok(resolver) => match resolver.settings_for(path) {
                Ok(s) => out.push_str(&file_lines(path, &s)),
                Err(e) => {
                    let _ = writeln!(out, "  configuration error: {e}");
                }
            },
            Err(e) => {
                let _ = writeln!(out, "  settings error: {e}");
            }
        }
    }
    out
}

/// A file's configuration origin, rules, JS context manager and Python instrumentations.
fn file_lines(path: &Path, settings: &crate::config::Settings) -> String {
    let mut rules: Vec<String> = settings.rules_for(&crate::files::absolute(path)).into_iter().collect();
    rules.sort();
    let js = JsModelResolver::new(JsModelChoice::Auto).project_for(path, settings.js_model);
    let py = PyRuntimeResolver::new().runtime_for(path, &settings.py_instrumented);
    let active: Vec<&str> = py.active.iter().map(|p| p.name()).collect();
    format!(
        "  linted as: {}\n  configuration: {}\n  rules ({}): {}\n  js context-manager: {}\n  python project: {}\n  python instrumented: {}\n",
        path.display(),
        settings.origin.as_ref().map_or_else(|| "defaults (no configuration file found)".to_string(), |p| p.display().to_string()),
        rules.len(),
        rules.join(", "),
        js.model.name(),
        py.project_root.as_ref().map_or_else(|| "none".to_string(), |p| p.display().to_string()),
        if active.is_empty() { "none".to_string() } else { active.join(", ") },
    )
}
