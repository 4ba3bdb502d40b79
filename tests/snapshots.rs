//! Snapshots of the real rendered output (no colour, 100 columns): every bad fixture of every rule in the registry,
//! each snapshot beside its fixture (`bad.py` → `bad.py.snap`), plus JSON, SARIF and GitHub annotations.
//!
//! `INSTA_UPDATE=always cargo test --test snapshots` (or `cargo insta review`) writes new or changed snapshots.
use std::path::{Path, PathBuf};

use ctxlint::output::{human, json};
use ctxlint::run::{lint_paths, RunOptions};

/// The directory the renderers show paths relative to, as the CLI passes its working directory (the fixtures' paths
/// are relative already).
fn base() -> &'static Path {
    Path::new("/work")
}

/// Where a rule's fixtures live, from `tests/`: `fixtures/<lang>/<name>`, or `fixtures/common/<id>`.
fn fixture_dir(id: &str) -> String {
    match id.split_once('/') {
        Some((lang, name)) => format!("fixtures/{lang}/{name}"),
        None => format!("fixtures/common/{id}"),
    }
}

/// Every rule's bad fixtures, as the CLI shows them; a rule added to `rules/` is snapshotted without a line here.
#[test]
fn every_bad_fixture_of_every_rule() {
    let registry = ctxlint::registry::builtin().expect("rules load");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for rule in &registry.rules {
        insta::glob!(fixture_dir(&rule.id), "**/bad*", |path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let skipped = name.contains(".fixed.") || path.components().any(|c| c.as_os_str() == "node_modules");
            if skipped || ctxlint::lang::Lang::from_path(path).is_none() {
                return;
            }
            let relative = path.strip_prefix(root).unwrap_or(path);
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(path.parent().expect("a fixture is in a folder"));
            settings.remove_snapshot_suffix();
            settings.set_prepend_module_to_snapshot(false);
            settings.bind(|| insta::assert_snapshot!(name, human_output(&relative.to_string_lossy(), &rule.id)));
        });
    }
}

/// The human output of one fixture, with its rule on (an opt-in rule such as `parse-error` too).
fn human_output(path: &str, rule: &str) -> String {
    let options = RunOptions { extend_select: vec![rule.to_string()], ..RunOptions::default() };
    let report = lint_paths(&[PathBuf::from(path)], &options).expect("rules load");
    assert!(!report.findings.is_empty(), "{path} has no findings");
    let style = human::Style { color: false, width: 100 };
    let mut out: String = report.findings.iter().map(|f| human::render_finding(f, base(), style)).collect();
    out.push_str(&human::summary(&report, false));
    out
}

#[test]
fn json_document() {
    let report = lint_paths(&[PathBuf::from("tests/fixtures/py/dangling-task/bad.py")], &RunOptions::default()).expect("rules load");
    insta::assert_snapshot!(json::render(&report, base()));
}

#[test]
fn sarif_log() {
    let report =
        lint_paths(&[PathBuf::from("tests/fixtures/py/attach-without-detach/bad.py")], &RunOptions::default()).expect("rules load");
    let registry = ctxlint::registry::builtin().expect("rules load");
    let log = ctxlint::output::sarif::render(&report, base(), registry);
    let doc: serde_json::Value = serde_json::from_str(&log).expect("valid JSON");
    // the results and the invocation; the rules' help texts are the rule files' docs, tested elsewhere
    insta::assert_json_snapshot!(serde_json::json!({
        "version": doc["version"],
        "$schema": doc["$schema"],
        "driver": { "name": doc["runs"][0]["tool"]["driver"]["name"], "rules": doc["runs"][0]["tool"]["driver"]["rules"].as_array().map(|r| r.len()) },
        "originalUriBaseIds": doc["runs"][0]["originalUriBaseIds"],
        "columnKind": doc["runs"][0]["columnKind"],
        "invocations": doc["runs"][0]["invocations"],
        "results": doc["runs"][0]["results"],
    }));
}

#[test]
fn github_annotations() {
    let options = RunOptions { extend_select: vec!["parse-error".to_string()], ..RunOptions::default() };
    let report = lint_paths(&[PathBuf::from("tests/fixtures/common/parse-error/bad.py")], &options).expect("rules load");
    insta::assert_snapshot!(ctxlint::output::github::render(&report, base()));
}

/// The JSON output of every fixture and witness validates against the published schema (docs/), and the schema
/// rejects a field it does not document.
#[test]
fn json_output_matches_the_documented_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/json-output-v1.schema.json").expect("schema")).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let report =
        lint_paths(&[PathBuf::from("tests/fixtures"), PathBuf::from("tests/witness")], &RunOptions::default()).expect("rules load");
    let text = json::render(&report, base());
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let errors: Vec<String> = validator.iter_errors(&doc).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(doc["findings"].as_array().is_some_and(|f| f.len() > 90), "too few findings to mean anything");
    // the check can fail: an unknown field is rejected
    let mut extra = doc.clone();
    extra["findings"][0]["unexpected"] = serde_json::json!(1);
    assert!(!validator.is_valid(&extra));
}
