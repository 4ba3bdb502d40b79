//! Snapshots of the real rendered output (no colour, 100 columns): one per rule's bad fixture, plus JSON.
use std::path::PathBuf;

use ctxlint::output::{human, json};
use ctxlint::run::{lint_paths, RunOptions};

fn human_output(path: &str) -> String {
    let report = lint_paths(&[PathBuf::from(path)], &RunOptions::default()).expect("rules load");
    assert!(!report.findings.is_empty(), "{path} has no findings");
    let style = human::Style { color: false, width: 100 };
    let mut out: String = report.findings.iter().map(|f| human::render_finding(f, style)).collect();
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
fn parse_error() {
    insta::assert_snapshot!(human_output("tests/fixtures/common/parse-error/bad.ts"));
}

#[test]
fn json_document() {
    let report = lint_paths(&[PathBuf::from("tests/fixtures/py/dangling-task/bad.py")], &RunOptions::default()).expect("rules load");
    insta::assert_snapshot!(json::render(&report));
}

#[test]
fn rs_guard_across_await() {
    insta::assert_snapshot!(human_output("tests/fixtures/rs/guard-across-await/bad.rs"));
}

#[test]
fn rs_spawn_without_instrument() {
    insta::assert_snapshot!(human_output("tests/fixtures/rs/spawn-without-instrument/bad.rs"));
}
