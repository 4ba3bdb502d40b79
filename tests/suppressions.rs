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

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn add_ignore_then_a_clean_run_and_a_second_add_changes_nothing() {
    let dir = tempfile::TempDir::new().expect("tmp");
    for lang in ["js", "py", "rs"] {
        std::fs::create_dir_all(dir.path().join(lang)).expect("mkdir");
        copy_tree(&Path::new("tests/fixtures").join(lang), &dir.path().join(lang));
    }
    let bin = || {
        let mut c = Command::cargo_bin("ctxlint").expect("bin");
        c.current_dir(dir.path());
        c
    };
    bin().arg(".").assert().code(1);
    let out = bin().args(["--add-ignore=adopted ctxlint; fix later", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.starts_with("Added ") && !said.starts_with("Added 0"), "{said}");
    // everything is suppressed now, with the reason, and every file still parses
    let out = bin().args(["--require-reason", "--format", "json", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["summary"]["findings"], 0);
    assert!(doc["findings"].as_array().expect("array").iter().all(|f| f["suppressed"]["justification"] == "adopted ctxlint; fix later"));
    // idempotent
    let before = snapshot(dir.path());
    let out = bin().args(["--add-ignore", "."]).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Added 0 suppression comments to 0 files.\n");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn add_ignore_keeps_crlf_tabs_and_permissions() {
    let dir = tempfile::TempDir::new().expect("tmp");
    let path = dir.path().join("a.py");
    std::fs::write(&path, "import asyncio\r\n\r\n\r\nasync def f():\r\n\tif True:\r\n\t\tasyncio.create_task(g())\r\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    Command::cargo_bin("ctxlint").expect("bin").current_dir(dir.path()).args(["--add-ignore", "a.py"]).assert().code(0);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "import asyncio\r\n\r\n\r\nasync def f():\r\n\tif True:\r\n\t\t# ctxlint-ignore[py/dangling-task]\r\n\t\tasyncio.create_task(g())\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o640);
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("ctxlint-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary file left behind");
}
