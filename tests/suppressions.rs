//! Inline suppressions in every language: same line and line above, with and without a reason; unused ones and
//! their fix; suppressed findings in JSON and SARIF and the exit code.
use std::path::Path;

use assert_cmd::Command;
use ctxlint::jsmodel::JsModelChoice;
use ctxlint::run::{lint_text, RunOptions};

fn findings(path: &str, source: &str) -> Vec<(String, usize, Option<Option<String>>)> {
    let options = RunOptions { js_model: JsModelChoice::Stack, ..RunOptions::default() };
    lint_text(Path::new(path), source, &options)
        .expect("lints")
        .into_iter()
        .map(|f| (f.rule.to_string(), f.start.line, f.suppressed.map(|s| s.justification)))
        .collect()
}

const PY: &str = "import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())  # ctxlint-ignore[py/dangling-task]: kept by the loop\n    # ctxlint-ignore[py/dangling-task]\n    asyncio.create_task(g())\n    asyncio.create_task(g())\n";

#[test]
fn python_same_line_and_line_above() {
    assert_eq!(
        findings("a.py", PY),
        [
            ("py/dangling-task".to_string(), 5, Some(Some("kept by the loop".to_string()))),
            ("py/dangling-task".to_string(), 7, Some(None)),
            ("py/dangling-task".to_string(), 8, None),
        ]
    );
}

const JS: &str = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  // ctxlint-ignore[js/unbound-timer]: the browser build binds it elsewhere\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  setTimeout(() => tracer.startSpan('c').end(), 1); /* ctxlint-ignore[js/unbound-timer] */\n  setTimeout(() => tracer.startSpan('d').end(), 1);\n  s.end();\n});\n";

#[test]
fn javascript_and_typescript_line_and_block_comments() {
    for path in ["a.js", "a.ts", "a.tsx"] {
        let got = findings(path, JS);
        assert_eq!(
            got,
            [
                ("js/unbound-timer".to_string(), 5, Some(Some("the browser build binds it elsewhere".to_string()))),
                ("js/unbound-timer".to_string(), 6, Some(None)),
                ("js/unbound-timer".to_string(), 7, None),
            ],
            "{path}"
        );
    }
}

const RS: &str = "#[tracing::instrument]\nasync fn handler() {\n    // ctxlint-ignore[rs/spawn-without-instrument]: a detached background job\n    tokio::spawn(work());\n    tokio::spawn(work()); // ctxlint-ignore[rs/spawn-without-instrument]\n    tokio::spawn(work());\n}\n";

#[test]
fn rust_line_comments() {
    let got = findings("a.rs", RS);
    assert_eq!(
        got,
        [
            ("rs/spawn-without-instrument".to_string(), 4, Some(Some("a detached background job".to_string()))),
            ("rs/spawn-without-instrument".to_string(), 5, Some(None)),
            ("rs/spawn-without-instrument".to_string(), 6, None),
        ]
    );
}

#[test]
fn a_file_directive_in_the_header_silences_the_whole_file() {
    let src = "\"\"\"Startup helpers.\"\"\"\n# ctxlint-ignore-file[py/dangling-task]: startup code, no request is running\nimport asyncio\n\n\nasync def f():\n    asyncio.create_task(g())\n    asyncio.create_task(g())\n";
    let got = findings("a.py", src);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|(_, _, s)| s.is_some()));
}

#[test]
fn the_unused_suppression_fix_removes_the_id_the_comment_or_the_line() {
    let cases = [
        // the only id in a comment alone on its line: the line goes
        ("x = 1\n# ctxlint-ignore[py/dangling-task]: stale\ny = 2\n", "x = 1\ny = 2\n"),
        // a trailing comment: it goes with the spaces before it
        ("x = 1  # ctxlint-ignore[py/dangling-task]: stale\n", "x = 1\n"),
        // one of two ids: only it goes
        ("import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())  # ctxlint-ignore[py/attach-without-detach, py/dangling-task]: ok\n", "import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())  # ctxlint-ignore[py/dangling-task]: ok\n"),
        // CRLF lines stay CRLF
        ("x = 1\r\n# ctxlint-ignore[py/dangling-task]: stale\r\ny = 2\r\n", "x = 1\r\ny = 2\r\n"),
    ];
    for (src, want) in cases {
        let all = lint_text(Path::new("a.py"), src, &RunOptions::default()).expect("lints");
        let unused: Vec<_> = all.iter().filter(|f| &*f.rule == "unused-suppression").collect();
        assert_eq!(unused.len(), 1, "{src:?}");
        let fixed = unused[0].fix.as_ref().expect("a fix").apply(src).expect("applies");
        assert_eq!(fixed, want);
        let again = lint_text(Path::new("a.py"), &fixed, &RunOptions::default()).expect("lints");
        assert!(!again.iter().any(|f| &*f.rule == "unused-suppression"), "{fixed:?}");
    }
}

#[test]
fn suppressions_of_rules_not_run_are_not_called_unused() {
    let src = "x = 1  # ctxlint-ignore[py/dangling-task]: stale\n";
    let mut options = RunOptions::default();
    options.engine.enabled = Some(["unused-suppression".to_string()].into_iter().collect());
    let got = lint_text(Path::new("a.py"), src, &options).expect("lints");
    assert!(got.is_empty(), "{:?}", got.iter().map(|f| &f.rule).collect::<Vec<_>>());
}

#[test]
fn suppressed_findings_are_in_json_and_sarif_but_do_not_fail_the_run() {
    let dir = tempfile::TempDir::new().expect("tmp");
    std::fs::write(
        dir.path().join("a.py"),
        "import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())  # ctxlint-ignore[py/dangling-task]: kept by the loop\n",
    )
    .expect("write");
    let run = |format: &str| {
        let out =
            Command::cargo_bin("ctxlint").expect("bin").current_dir(dir.path()).args(["--format", format, "a.py"]).output().expect("runs");
        (out.status.code(), String::from_utf8(out.stdout).expect("utf-8"))
    };
    let (code, human) = run("human");
    assert_eq!(code, Some(0));
    assert!(human.contains("All checks passed: 1 file checked") && human.contains("1 suppressed"), "{human}");
    let (_, json) = run("json");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["findings"][0]["suppressed"]["justification"], "kept by the loop");
    assert_eq!(doc["summary"]["findings"], 0);
    assert_eq!(doc["summary"]["suppressed"], 1);
    let (_, sarif) = run("sarif");
    let log: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(result["suppressions"][0]["justification"], "kept by the loop.");
    let (_, github) = run("github");
    assert!(github.is_empty(), "{github}");
}

#[test]
fn require_reason_reports_bare_suppressions() {
    let dir = tempfile::TempDir::new().expect("tmp");
    std::fs::write(
        dir.path().join("a.py"),
        "import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())  # ctxlint-ignore[py/dangling-task]\n",
    )
    .expect("write");
    Command::cargo_bin("ctxlint").expect("bin").current_dir(dir.path()).arg("a.py").assert().code(0);
    let out = Command::cargo_bin("ctxlint")
        .expect("bin")
        .current_dir(dir.path())
        .args(["--require-reason", "--format", "json", "a.py"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["findings"][1]["rule"], "suppression-without-reason");
}
