//! Snapshots of the real rendered output (no colour, 100 columns): one per rule's bad fixture, plus JSON.
use std::path::{Path, PathBuf};

use ctxlint::output::{human, json};
use ctxlint::run::{lint_paths, RunOptions};

/// The directory the renderers show paths relative to, as the CLI passes its working directory (the fixtures' paths
/// are relative already).
fn base() -> &'static Path {
    Path::new("/work")
}

fn human_output(path: &str) -> String {
    let report = lint_paths(&[PathBuf::from(path)], &RunOptions::default()).expect("rules load");
    assert!(!report.findings.is_empty(), "{path} has no findings");
    let style = human::Style { color: false, width: 100 };
    let mut out: String = report.findings.iter().map(|f| human::render_finding(f, base(), style)).collect();
    out.push_str(&human::summary(&report, false));
    out
}

#[test]
fn js_unbound_timer() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/unbound-timer/stack/bad.js"));
}

#[test]
fn js_floating_promise() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/floating-promise/node/bad.ts"));
}

#[test]
fn js_floating_promise_under_stack() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/floating-promise/browser/bad.js"));
}

#[test]
fn js_unbound_listener() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/unbound-listener/node/bad.js"));
}

#[test]
fn js_consumer_without_extract() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/consumer-without-extract/service/bad-queues.js"));
}

#[test]
fn js_producer_without_inject() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/producer-without-inject/service/bad.ts"));
}

#[test]
fn js_heavy_als_store() {
    insta::assert_snapshot!(human_output("tests/fixtures/js/heavy-als-store/bad.js"));
}

#[test]
fn py_executor_without_context() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/executor-without-context/bad.py"));
}

#[test]
fn py_attach_without_detach() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/attach-without-detach/bad.py"));
}

#[test]
fn py_dangling_task() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/dangling-task/bad.py"));
}

#[test]
fn py_process_without_inject() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/process-without-inject/bad.py"));
}

#[test]
fn py_background_task_in_span() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/background-task-in-span/bad.py"));
}

#[test]
fn py_span_across_yield() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/span-across-yield/bad.py"));
}

#[test]
fn py_consumer_without_extract() {
    insta::assert_snapshot!(human_output("tests/fixtures/py/consumer-without-extract/bad.py"));
}

#[test]
fn parse_error() {
    insta::assert_snapshot!(human_output("tests/fixtures/common/parse-error/bad.ts"));
}

#[test]
fn json_document() {
    let report = lint_paths(&[PathBuf::from("tests/fixtures/py/dangling-task/bad.py")], &RunOptions::default()).expect("rules load");
    insta::assert_snapshot!(json::render(&report, base()));
}

#[test]
fn rs_guard_across_await() {
    insta::assert_snapshot!(human_output("tests/fixtures/rs/guard-across-await/bad.rs"));
}

#[test]
fn rs_spawn_without_instrument() {
    insta::assert_snapshot!(human_output("tests/fixtures/rs/spawn-without-instrument/bad.rs"));
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
    let report = lint_paths(&[PathBuf::from("tests/fixtures/common/parse-error/bad.py")], &RunOptions::default()).expect("rules load");
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
