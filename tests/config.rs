//! Configuration files: discovery, every key, command-line overrides, and errors that point into the TOML.
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const DANGLING: &str = "import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())\n";
const TIMER_JS: &str = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn ctxlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ctxlint").expect("binary");
    cmd.current_dir(dir).env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

/// (path, rule, severity) of every unsuppressed finding.
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, String, String)> {
    let out = ctxlint(dir).args(["--format", "json"]).args(args).output().expect("runs");
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_closest_config_wins_across_nested_directories_and_pyproject() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ctxlint.toml", "ignore = [\"py/dangling-task\"]\n");
    write(dir.path(), "a.py", DANGLING);
    write(dir.path(), "svc/b.py", DANGLING);
    // a pyproject.toml without [tool.ctxlint] does not count: the search goes on upward
    write(dir.path(), "svc/pyproject.toml", "[project]\nname = \"svc\"\n");
    write(dir.path(), "svc/inner/pyproject.toml", "[tool.ctxlint]\nselect = [\"py/\"]\n");
    write(dir.path(), "svc/inner/c.py", DANGLING);
    write(dir.path(), "other/.ctxlint.toml", "[severity]\n\"py/dangling-task\" = \"error\"\n");
    write(dir.path(), "other/d.py", DANGLING);
    let got = findings(dir.path(), &["."]);
    assert_eq!(
        got,
        [
            ("other/d.py".to_string(), "py/dangling-task".to_string(), "error".to_string()),
            ("svc/inner/c.py".to_string(), "py/dangling-task".to_string(), "warning".to_string()),
        ]
    );
}

#[test]
fn select_extend_select_ignore_and_prefixes() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", &format!("{DANGLING}    asyncio.create_task(g())  # ctxlint-ignore[py/dangling-task]\n"));
    write(dir.path(), "ctxlint.toml", "select = [\"js/\"]\nextend-select = [\"suppression-without-reason\", \"py/dangling-task\"]\n");
    let rules: Vec<String> = findings(dir.path(), &["."]).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["py/dangling-task", "suppression-without-reason"]);
    // the command line overrides the file
    let rules: Vec<String> = findings(dir.path(), &["--select", "py/", "."]).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["py/dangling-task", "suppression-without-reason"]);
    let rules: Vec<String> =
        findings(dir.path(), &["--ignore", "py/dangling-task,suppression-without-reason", "."]).into_iter().map(|f| f.1).collect();
    assert!(rules.is_empty(), "{rules:?}");
}

#[test]
fn exclude_per_file_ignores_and_require_reason() {
    let dir = TempDir::new().expect("tmp");
    write(
        dir.path(),
        "ctxlint.toml",
        "exclude = [\"generated/**\"]\nextend-exclude = [\"*_pb2.py\"]\nrequire-reason = true\n\n[per-file-ignores]\n\"tests/**\" = [\"py/\"]\n",
    );
    write(dir.path(), "generated/a.py", DANGLING);
    write(dir.path(), "api/service_pb2.py", DANGLING);
    write(dir.path(), "tests/test_a.py", DANGLING);
    write(dir.path(), "app.py", &format!("{DANGLING}    asyncio.create_task(g())  # ctxlint-ignore[py/dangling-task]\n"));
    let got: Vec<(String, String)> = findings(dir.path(), &["."]).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        got,
        [("app.py".to_string(), "py/dangling-task".to_string()), ("app.py".to_string(), "suppression-without-reason".to_string()),]
    );
    // a file named explicitly is linted even when excluded; --exclude replaces the file's globs
    assert_eq!(findings(dir.path(), &["generated/a.py"]).len(), 1);
    let got: Vec<String> = findings(dir.path(), &["--exclude", "app.py", "."]).into_iter().map(|f| f.0).collect();
    assert_eq!(got, ["api/service_pb2.py", "generated/a.py"]);
}

#[test]
fn the_js_context_manager_key() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", r#"{"dependencies": {"@opentelemetry/sdk-node": "0.205"}}"#);
    write(dir.path(), "app.js", TIMER_JS);
    assert!(findings(dir.path(), &["."]).is_empty());
    write(dir.path(), "ctxlint.toml", "[js]\ncontext-manager = \"stack\"\n");
    assert_eq!(findings(dir.path(), &["."]).len(), 1);
    // the command line wins over the file
    assert!(findings(dir.path(), &["--js-context-manager", "zone", "."]).is_empty());
}

/// `ctxlint config FILE`'s Python lines (from `python instrumented:` to the end).
fn python_lines(dir: &Path, args: &[&str]) -> String {
    let out = ctxlint(dir).args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.find("python instrumented:").map_or(text.clone(), |at| text[at..].to_string())
}

#[test]
fn the_python_instrumented_key_and_flag_replace_detection() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "requirements.txt", "opentelemetry-instrumentation-threading==0.66b1\n");
    write(
        dir.path(),
        "app/main.py",
        "from opentelemetry.instrumentation.threading import ThreadingInstrumentor\n\nThreadingInstrumentor().instrument()\n",
    );
    let detected = python_lines(dir.path(), &["config", "app/main.py"]);
    assert!(
        detected
            .starts_with("python instrumented: threading (detected)\npython runtime: threads carry the context: yes; thread pools: yes;"),
        "{detected}"
    );
    assert!(
        detected.contains(
            "requirements.txt declares opentelemetry-instrumentation-threading; app/main.py:3 calls `ThreadingInstrumentor().instrument()`"
        ),
        "{detected}"
    );
    // the file replaces detection: an empty list is none
    write(dir.path(), "ctxlint.toml", "[python]\ninstrumented = []\n");
    let none = python_lines(dir.path(), &["config", "app/main.py"]);
    assert!(
        none.starts_with("python instrumented: none (set by [python] instrumented)\npython runtime: threads carry the context: no;"),
        "{none}"
    );
    assert!(none.contains("nothing is taken as instrumented (set by `[python] instrumented` of the configuration)"), "{none}");
    // the command line wins over the file; `auto` leaves it to the file
    let flag = python_lines(dir.path(), &["config", "--python-instrumented", "logfire,sentry", "app/main.py"]);
    assert!(flag.starts_with("python instrumented: logfire, sentry (set by --python-instrumented)\npython runtime: threads carry the context: no; thread pools: yes; process pools: yes;"), "{flag}");
    assert_eq!(python_lines(dir.path(), &["config", "--python-instrumented", "auto", "app/main.py"]), none);
    // [tool.ctxlint.python] in pyproject.toml
    fs::remove_file(dir.path().join("ctxlint.toml")).expect("rm");
    write(dir.path(), "pyproject.toml", "[tool.ctxlint.python]\ninstrumented = [\"logfire\"]\n");
    let pyproject = python_lines(dir.path(), &["config", "app/main.py"]);
    assert!(pyproject.starts_with("python instrumented: logfire (set by [python] instrumented)"), "{pyproject}");
    // the flag's names are checked
    for bad in ["celery", "none,threading", ""] {
        ctxlint(dir.path())
            .args(["--python-instrumented", bad, "app/main.py"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid value").and(predicate::str::contains("known: `threading`, `logfire`, `sentry`")));
    }
}

#[test]
fn config_flag_and_isolated() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ctxlint.toml", "ignore = [\"py/dangling-task\"]\n");
    write(dir.path(), "shared/strict.toml", "[severity]\n\"py/dangling-task\" = \"error\"\n");
    write(dir.path(), "a.py", DANGLING);
    assert!(findings(dir.path(), &["."]).is_empty());
    assert_eq!(findings(dir.path(), &["--isolated", "."])[0].2, "warning");
    assert_eq!(findings(dir.path(), &["--config", "shared/strict.toml", "."])[0].2, "error");
    ctxlint(dir.path())
        .args(["--config", "missing.toml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml: cannot read"));
}

#[test]
fn the_config_command_shows_the_settings_and_their_file() {
    let dir = TempDir::new().expect("tmp");
    write(
        dir.path(),
        "svc/pyproject.toml",
        "[tool.ctxlint]\nselect = [\"py/\"]\n[tool.ctxlint.severity]\n\"py/dangling-task\" = \"error\"\n",
    );
    let out = ctxlint(dir.path()).args(["config", "svc"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("from: svc/pyproject.toml"), "{text}");
    assert!(
        text.contains("rules (11): py/attach-without-detach, py/background-task-in-span, py/consumer-without-extract, py/dangling-task, py/executor-without-context, py/greenlet-without-context, py/process-without-inject, py/span-across-yield, py/span-ends-before-stream, py/span-not-current, py/worker-inherits-request"),
        "{text}"
    );
    assert!(text.contains("severity overrides: py/dangling-task = error"), "{text}");
    let same = ctxlint(dir.path()).args(["--show-settings", "svc"]).output().expect("runs");
    assert_eq!(same.stdout, out.stdout);
    let defaults = ctxlint(dir.path()).args(["config"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&defaults.stdout).contains("from: defaults (no configuration file found)"));
}

#[test]
fn unknown_rule_ids_on_the_command_line_are_usage_errors() {
    let dir = TempDir::new().expect("tmp");
    for flag in ["--select", "--ignore", "--extend-select"] {
        ctxlint(dir.path())
            .args([flag, "py/dangling-tsk", "."])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("unknown rule or prefix `py/dangling-tsk`"));
    }
}

/// Each kind of mistake, rendered as the diagnostic users see (stderr, no colour).
#[test]
fn every_config_error_points_into_the_file() {
    let cases = [
        ("unknown_key", "ctxlint.toml", "selct = [\"py/\"]\n"),
        ("wrong_type", "ctxlint.toml", "select = \"py/\"\n"),
        ("unknown_rule_in_select", "ctxlint.toml", "select = [\"py/\", \"js/unbound-timr\"]\n"),
        ("unknown_rule_in_severity", "ctxlint.toml", "[severity]\n\"py/dangling\" = \"error\"\n"),
        ("bad_severity", "ctxlint.toml", "[severity]\n\"py/dangling-task\" = \"fatal\"\n"),
        ("unknown_rule_in_per_file_ignores", "ctxlint.toml", "[per-file-ignores]\n\"tests/**\" = [\"py/nope\"]\n"),
        ("invalid_glob", ".ctxlint.toml", "exclude = [\"src/[a.py\"]\n"),
        ("bad_context_manager", "ctxlint.toml", "[js]\ncontext-manager = \"browser\"\n"),
        ("bad_python_instrumented", "ctxlint.toml", "[python]\ninstrumented = [\"threading\", \"celery\"]\n"),
        ("python_instrumented_not_a_list", "pyproject.toml", "[tool.ctxlint.python]\ninstrumented = \"threading\"\n"),
        ("toml_syntax", "ctxlint.toml", "select = [\"py/\"\n"),
        ("pyproject_unknown_key", "pyproject.toml", "[project]\nname = \"x\"\n\n[tool.ctxlint]\nignroe = [\"py/\"]\n"),
    ];
    for (name, file, text) in cases {
        let dir = TempDir::new().expect("tmp");
        write(dir.path(), file, text);
        write(dir.path(), "a.py", DANGLING);
        let out = ctxlint(dir.path()).arg(".").output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        insta::assert_snapshot!(name, stderr);
    }
}
