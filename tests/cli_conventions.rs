//! The conventions ruff and oxlint users expect, through the built binary: no "passed" after an error, stdin with
//! `--stdin-filename`, info counts, `--force-exclude`, default excludes, `--select` counts, colour variables, and the
//! CI flags (`--exit-zero`, `--quiet`, `--statistics`, `concise`, ...).
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn ctxlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ctxlint").expect("binary built");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A warning (`py/dangling-task`).
const BAD_PY: &str = "import asyncio\n\n\nasync def handle():\n    asyncio.create_task(work())\n";
/// An error with a safe fix (`js/unbound-timer` under the stack context manager).
const TIMER_JS: &str = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// ---- defect 1: no "passed" line after an error

#[test]
fn missing_path_is_not_reported_as_passed() {
    let dir = TempDir::new().expect("tmp");
    let out = ctxlint(dir.path()).arg("nope").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stdout = stdout_of(&out);
    assert!(!stdout.to_lowercase().contains("passed"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope: no such file or directory"));
}

#[test]
fn stdin_of_an_unknown_language_is_not_reported_as_passed() {
    let dir = TempDir::new().expect("tmp");
    let out = ctxlint(dir.path()).args(["--stdin-filename", "a.txt", "-"]).write_stdin("x = 1\n").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stdout = stdout_of(&out);
    assert!(!stdout.to_lowercase().contains("passed"), "{stdout}");
}

// ---- defect 2: --stdin-filename without `-` reads standard input

#[test]
fn stdin_filename_without_dash_reads_stdin() {
    let dir = TempDir::new().expect("tmp");
    // a clean file on disk: linting `.` would pass
    write(dir.path(), "ok.py", "x = 1\n");
    ctxlint(dir.path())
        .args(["--stdin-filename", "x.py"])
        .write_stdin(BAD_PY)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("py/dangling-task").and(predicate::str::contains("x.py")));
}

// ---- defect 3: info severity is counted

#[test]
fn info_findings_are_counted_and_do_not_fail_the_run() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ctxlint.toml", "[severity]\n\"py/dangling-task\" = \"info\"\n");
    write(dir.path(), "bad.py", BAD_PY);
    ctxlint(dir.path())
        .arg(".")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Found 1 problem (0 errors, 0 warnings, 1 info): 1 file checked"));
    let out = ctxlint(dir.path()).args(["--format", "json", "."]).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["infos"], 1);
    assert_eq!(doc["summary"]["warnings"], 0);
    assert_eq!(doc["summary"]["findings"], 1);
    // --deny-warnings makes infos (and warnings) fail the run
    ctxlint(dir.path()).args(["--deny-warnings", "."]).assert().code(1);
}

// ---- exit-code flags

#[test]
fn exit_zero_max_warnings_and_deny_warnings() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    // today's behaviour: a warning fails the run
    ctxlint(dir.path()).arg(".").assert().code(1);
    ctxlint(dir.path()).args(["--exit-zero", "."]).assert().code(0).stdout(predicate::str::contains("Found 1 problem"));
    ctxlint(dir.path()).args(["--max-warnings", "1", "."]).assert().code(0);
    ctxlint(dir.path()).args(["--max-warnings", "0", "."]).assert().code(1);
    ctxlint(dir.path()).args(["--deny-warnings", "."]).assert().code(1);
    // errors always fail, whatever --max-warnings says
    write(dir.path(), "app.js", TIMER_JS);
    ctxlint(dir.path()).args(["--js-context-manager", "stack", "--max-warnings", "5", "."]).assert().code(1);
    // an incomplete run is still 2
    ctxlint(dir.path()).args(["--exit-zero", "nope"]).assert().code(2);
}

#[test]
fn exit_non_zero_on_fix_reports_a_changed_file() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "app.js", TIMER_JS);
    ctxlint(dir.path()).args(["--js-context-manager", "stack", "--fix", "app.js"]).assert().code(0);
    write(dir.path(), "app.js", TIMER_JS);
    ctxlint(dir.path())
        .args(["--js-context-manager", "stack", "--fix", "--exit-non-zero-on-fix", "app.js"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Fixed 1 problem"));
    // nothing left to fix: 0
    ctxlint(dir.path()).args(["--js-context-manager", "stack", "--fix", "--exit-non-zero-on-fix", "app.js"]).assert().code(0);
}

// ---- defect 4: --force-exclude

#[test]
fn force_exclude_applies_excludes_and_ignore_files_to_named_files() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ctxlint.toml", "exclude = [\"generated/**\"]\nextend-exclude = [\"*_pb2.py\"]\n");
    write(dir.path(), "generated/a.py", BAD_PY);
    write(dir.path(), "api_pb2.py", BAD_PY);
    write(dir.path(), "vendored/b.py", BAD_PY);
    write(dir.path(), ".ctxlintignore", "vendored/\n");
    write(dir.path(), "src/c.py", BAD_PY);
    let files = ["generated/a.py", "api_pb2.py", "vendored/b.py", "src/c.py"];
    // without the flag, a named file is always linted
    ctxlint(dir.path()).args(files).assert().code(1).stdout(predicate::str::contains("Found 4 problems"));
    ctxlint(dir.path())
        .arg("--force-exclude")
        .args(files)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Found 1 problem").and(predicate::str::contains("1 file checked")));
    // only excluded files: nothing to lint, exit 0
    ctxlint(dir.path()).args(["--force-exclude", "generated/a.py", "vendored/b.py"]).assert().code(0);
    // standard input named as an excluded file (an editor's buffer): nothing reported; with --fix, the text back
    ctxlint(dir.path()).args(["--force-exclude", "--stdin-filename", "generated/x.py", "-"]).write_stdin(BAD_PY).assert().code(0);
    ctxlint(dir.path())
        .args(["--force-exclude", "--fix", "--stdin-filename", "vendored/x.py", "-"])
        .write_stdin(BAD_PY)
        .assert()
        .code(0)
        .stdout(BAD_PY);
    ctxlint(dir.path()).args(["--force-exclude", "--stdin-filename", "src/x.py", "-"]).write_stdin(BAD_PY).assert().code(1);
}

#[test]
fn force_exclude_reads_no_ignore_file_above_the_git_repository() {
    // pre-commit in a repository that lies in a directory some outer .gitignore ignores (a build tree)
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), ".gitignore", "/target\n");
    fs::create_dir_all(dir.path().join("target/repo/.git")).expect("mkdir");
    write(dir.path(), "target/repo/app.py", BAD_PY);
    let repo = dir.path().join("target/repo");
    ctxlint(&repo).args(["--force-exclude", "app.py"]).assert().code(1).stdout(predicate::str::contains("1 file checked"));
    // inside the repository, its own .gitignore counts
    write(&repo, ".gitignore", "app.py\n");
    ctxlint(&repo).args(["--force-exclude", "app.py"]).assert().code(0);
}

#[test]
fn the_pre_commit_hooks_pass_force_exclude() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for hooks in [".pre-commit-hooks.yaml", "pre-commit-mirror/.pre-commit-hooks.yaml"] {
        let text = fs::read_to_string(root.join(hooks)).expect("hooks file");
        // in `entry`, as ruff-pre-commit does: a user's `args:` replaces the hook's
        assert!(text.contains("entry: ctxlint --force-exclude\n"), "{hooks}:\n{text}");
    }
}

// ---- defect 5: default excludes

#[test]
fn installed_packages_and_build_output_are_excluded_by_default() {
    let dir = TempDir::new().expect("tmp");
    for rel in [
        ".venv/lib/site-packages/pkg/a.py",
        "venv/lib/b.py",
        "node_modules/pkg/c.py",
        "sub/node_modules/pkg/d.py",
        "build/e.py",
        "dist/f.py",
        "target/g.py",
        "pkg.egg-info/h.py",
        "__pycache__/i.py",
        ".tox/py311/j.py",
    ] {
        write(dir.path(), rel, BAD_PY);
    }
    write(dir.path(), "src/app.py", BAD_PY);
    ctxlint(dir.path())
        .arg(".")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Found 1 problem").and(predicate::str::contains("1 file checked")));
    // a directory named on the command line is walked
    ctxlint(dir.path()).arg("build").assert().code(1).stdout(predicate::str::contains("1 file checked"));
    // `ctxlint config` lists them
    ctxlint(dir.path()).arg("config").assert().code(0).stdout(
        predicate::str::contains("node_modules").and(predicate::str::contains(".venv")).and(predicate::str::contains("*.egg-info")),
    );
    // extend-exclude adds to them
    write(dir.path(), "ctxlint.toml", "extend-exclude = [\"src/**\"]\n");
    ctxlint(dir.path()).arg(".").assert().code(0).stdout(predicate::str::contains("0 files checked"));
    // `exclude` replaces them (hidden directories such as `.venv` and `.tox` are still not walked)
    write(dir.path(), "ctxlint.toml", "exclude = [\"src/**\"]\n");
    ctxlint(dir.path()).arg(".").assert().code(1).stdout(predicate::str::contains("Found 8 problems"));
    // --force-exclude applies them to a named file
    fs::remove_file(dir.path().join("ctxlint.toml")).expect("rm");
    ctxlint(dir.path()).args(["--force-exclude", "node_modules/pkg/c.py"]).assert().code(0);
    ctxlint(dir.path()).arg("node_modules/pkg/c.py").assert().code(1);
}

// ---- defect 6: `--select` counts what was linted, and says when nothing was

#[test]
fn select_counts_only_the_files_its_rules_lint_and_warns_when_none() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", BAD_PY);
    write(dir.path(), "b.py", "x = 1\n");
    write(dir.path(), "c.js", "const a = 1;\n");
    ctxlint(dir.path())
        .args(["--select", "js/", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All checks passed: 1 file checked"));
    ctxlint(dir.path()).args(["--select", "py/", "."]).assert().code(1).stdout(predicate::str::contains("2 files checked"));
    ctxlint(dir.path()).arg(".").assert().code(1).stdout(predicate::str::contains("3 files checked"));
    // nothing to lint: a warning on stderr
    ctxlint(dir.path())
        .args(["--select", "rs/", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 files checked"))
        .stderr(predicate::str::contains("warning: no file was linted"));
    let empty = TempDir::new().expect("tmp");
    ctxlint(empty.path()).arg(".").assert().code(0).stderr(predicate::str::contains("warning: no file was linted"));
    // a run that lints something says nothing of the kind
    ctxlint(dir.path()).args(["--select", "js/", "."]).assert().stderr(predicate::str::contains("warning").not());
}

// ---- defect 11: FORCE_COLOR and CLICOLOR_FORCE

#[test]
fn force_color_and_clicolor_force_colour_a_pipe_as_ruff_does() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let coloured = |envs: &[(&str, &str)], args: &[&str]| -> bool {
        let mut cmd = ctxlint(dir.path());
        cmd.env_remove("NO_COLOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.args(args).arg("bad.py").output().expect("runs");
        assert_eq!(out.status.code(), Some(1));
        stdout_of(&out).contains("\x1b[")
    };
    assert!(!coloured(&[], &[]), "a pipe is not coloured by default");
    assert!(coloured(&[("FORCE_COLOR", "1")], &[]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "0")], &[]));
    assert!(!coloured(&[("FORCE_COLOR", "")], &[]));
    // as in ruff, forcing wins over NO_COLOR; --color never wins over everything
    assert!(coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!coloured(&[("FORCE_COLOR", "1")], &["--color", "never"]));
}

// ---- features: concise, quiet, silent, statistics

#[test]
fn concise_output_is_one_line_per_finding_and_the_summary() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    write(dir.path(), "app.js", TIMER_JS);
    let out = ctxlint(dir.path()).args(["--js-context-manager", "stack", "--output-format", "concise", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with("app.js:4:3: js/unbound-timer [*] "), "{stdout}");
    assert!(lines[1].starts_with("bad.py:5:5: py/dangling-task "), "{stdout}");
    assert!(!lines[1].contains("[*]"), "{stdout}");
    assert!(lines[2].starts_with("Found 2 problems (1 error, 1 warning): 2 files checked"), "{stdout}");
    // -q: the findings only
    let out = ctxlint(dir.path()).args(["--js-context-manager", "stack", "--format", "concise", "-q", "."]).output().expect("runs");
    assert_eq!(stdout_of(&out).lines().count(), 2);
}

#[test]
fn quiet_drops_the_summary_and_notices_and_silent_prints_nothing() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    write(dir.path(), "notes.txt", "x");
    let out = ctxlint(dir.path()).args(["-q", "bad.py", "notes.txt"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    assert!(stdout.contains("py/dangling-task") && !stdout.contains("Found 1 problem"), "{stdout}");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // without -q the notice about notes.txt is there
    ctxlint(dir.path()).args(["bad.py", "notes.txt"]).assert().stderr(predicate::str::contains("notice"));
    ctxlint(dir.path()).args(["--silent", "bad.py", "notes.txt"]).assert().code(1).stdout("").stderr("");
    ctxlint(dir.path()).args(["-s", "--format", "json", "bad.py"]).assert().code(1).stdout("");
    // errors still say why the run is incomplete
    ctxlint(dir.path()).args(["-s", "nope"]).assert().code(2).stdout("").stderr(predicate::str::contains("nope"));
    // -o files are still written
    ctxlint(dir.path()).args(["-s", "-o", "json=out.json", "bad.py"]).assert().code(1).stdout("");
    assert!(fs::read_to_string(dir.path().join("out.json")).expect("written").contains("py/dangling-task"));
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", BAD_PY);
    write(dir.path(), "b.py", BAD_PY);
    write(dir.path(), "app.js", TIMER_JS);
    let out = ctxlint(dir.path()).args(["--js-context-manager", "stack", "--statistics", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with("2  py/dangling-task      ") && !lines[0].contains("[*]"), "{stdout}");
    assert!(lines[1].starts_with("1  js/unbound-timer  ") && lines[1].contains("[*] Timer"), "{stdout}");
    assert!(lines[2].starts_with("Found 3 problems"), "{stdout}");
    assert!(!stdout.contains("asyncio.create_task"), "no code frames: {stdout}");
}

// ---- features: rules --format json

#[test]
fn rules_as_json_have_their_metadata_and_docs_url() {
    let dir = TempDir::new().expect("tmp");
    let out = ctxlint(dir.path()).args(["rules", "--format", "json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["version"], 1);
    let rules = doc["rules"].as_array().expect("rules");
    let text = stdout_of(&ctxlint(dir.path()).arg("rules").output().expect("runs"));
    assert_eq!(rules.len(), text.lines().count() - 1, "one per row of the table");
    let timer = rules.iter().find(|r| r["id"] == "js/unbound-timer").expect("js/unbound-timer");
    assert_eq!(timer["severity"], "error");
    assert_eq!(timer["default_enabled"], true);
    assert_eq!(timer["fix"]["applicability"], "safe");
    assert!(timer["languages"].as_array().expect("languages").iter().any(|l| l == "javascript"));
    assert!(timer["docs_url"].as_str().expect("url").starts_with("https://"));
    let parse = rules.iter().find(|r| r["id"] == "parse-error").expect("parse-error");
    assert!(parse["fix"].is_null());
    assert_eq!(rules.iter().find(|r| r["id"] == "suppression-without-reason").expect("opt-in rule")["default_enabled"], false);
}

// ---- features: gitlab and junit

fn gitlab(dir: &Path, file: &str) -> serde_json::Value {
    let out = ctxlint(dir).env_remove("CI_PROJECT_DIR").args(["--format", "gitlab", file]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn gitlab_issues_have_stable_unique_fingerprints() {
    let dir = TempDir::new().expect("tmp");
    let twice = "import asyncio\n\n\nasync def handle():\n    asyncio.create_task(work())\n    asyncio.create_task(work())\n";
    write(dir.path(), "bad.py", twice);
    let doc = gitlab(dir.path(), "bad.py");
    let issues = doc.as_array().expect("array");
    assert_eq!(issues.len(), 2);
    let issue = &issues[0];
    assert_eq!(issue["check_name"], "py/dangling-task");
    assert_eq!(issue["severity"], "minor");
    assert_eq!(issue["location"]["path"], "bad.py");
    assert_eq!(issue["location"]["positions"]["begin"]["line"], 5);
    assert!(issue["description"].as_str().expect("description").starts_with("py/dangling-task: "));
    let prints: Vec<String> = issues.iter().map(|i| i["fingerprint"].as_str().expect("fingerprint").to_string()).collect();
    assert_ne!(prints[0], prints[1], "two equal findings get different fingerprints");
    assert_eq!(prints[0].len(), 32);
    // lines added above keep the fingerprints
    write(dir.path(), "bad.py", &format!("# a comment\n\n{twice}"));
    let moved = gitlab(dir.path(), "bad.py");
    assert_eq!(moved[0]["location"]["positions"]["begin"]["line"], 7);
    let moved: Vec<&str> = moved.as_array().expect("array").iter().map(|i| i["fingerprint"].as_str().expect("fp")).collect();
    assert_eq!(moved, prints);
    // paths relative to CI_PROJECT_DIR
    write(dir.path(), "sub/a.py", BAD_PY);
    let out =
        ctxlint(&dir.path().join("sub")).env("CI_PROJECT_DIR", dir.path()).args(["--format", "gitlab", "a.py"]).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc[0]["location"]["path"], "sub/a.py");
    // no findings: an empty array
    write(dir.path(), "ok.py", "x = 1\n");
    let out = ctxlint(dir.path()).args(["--format", "gitlab", "ok.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json"), serde_json::json!([]));
}

#[test]
fn junit_has_a_failing_case_per_finding() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", BAD_PY);
    write(dir.path(), "b&c.py", BAD_PY);
    let out = ctxlint(dir.path()).args(["--format", "junit", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout_of(&out);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ctxlint\" tests=\"2\" failures=\"2\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 2, "{xml}");
    assert!(xml.contains("<testsuite name=\"b&amp;c.py\""), "{xml}");
    assert!(xml.contains("<testcase name=\"org.ctxlint.py/dangling-task\" classname=\"a.py\" line=\"5\" column=\"5\">"), "{xml}");
    assert!(xml.trim_end().ends_with("</testsuites>"));
    // a clean run passes one case
    let clean = TempDir::new().expect("tmp");
    write(clean.path(), "ok.py", "x = 1\n");
    let out = ctxlint(clean.path()).args(["--format", "junit", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout_of(&out);
    assert!(xml.contains("failures=\"0\"") && xml.contains("No errors found") && !xml.contains("<failure"), "{xml}");
    // and -o junit=FILE next to the terminal output
    ctxlint(dir.path()).args(["-o", "junit=report.xml", "."]).assert().code(1);
    assert!(fs::read_to_string(dir.path().join("report.xml")).expect("written").contains("<failure "));
}

// ---- defect 7: `import contextvars` goes where isort / ruff `I001` wants it

/// Fixes `src` (a file with one `py/executor-without-context` finding) through the binary; returns the fixed text.
fn fix_py(src: &str) -> String {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "job.py", src);
    ctxlint(dir.path()).args(["--select", "py/executor-without-context", "--fix", "job.py"]).assert().code(0);
    fs::read_to_string(dir.path().join("job.py")).expect("read")
}

const SUBMIT: &str = "\n\ndef handle(request, order):\n    with ThreadPoolExecutor() as pool:\n        pool.submit(charge, order)\n";
const SUBMIT_FIXED: &str =
    "\n\ndef handle(request, order):\n    with ThreadPoolExecutor() as pool:\n        pool.submit(contextvars.copy_context().run, charge, order)\n";

#[test]
fn a_standard_library_import_goes_into_the_standard_library_block() {
    // among the plain `import`s of the standard-library block, in order; before its `from` imports
    let head = "import asyncio\nimport threading\nfrom concurrent.futures import ThreadPoolExecutor\n\nfrom opentelemetry import trace\n";
    let want = "import asyncio\nimport contextvars\nimport threading\nfrom concurrent.futures import ThreadPoolExecutor\n\nfrom opentelemetry import trace\n";
    assert_eq!(fix_py(&format!("{head}{SUBMIT}")), format!("{want}{SUBMIT_FIXED}"));
    // after the last plain import
    let head = "import asyncio\nfrom concurrent.futures import ThreadPoolExecutor\n\nimport requests\n";
    let want = "import asyncio\nimport contextvars\nfrom concurrent.futures import ThreadPoolExecutor\n\nimport requests\n";
    assert_eq!(fix_py(&format!("{head}{SUBMIT}")), format!("{want}{SUBMIT_FIXED}"));
    // only `from` imports of the standard library: before them
    let head = "\"\"\"Billing.\"\"\"\nfrom concurrent.futures import ThreadPoolExecutor\n\nfrom opentelemetry import trace\n";
    let want =
        "\"\"\"Billing.\"\"\"\nimport contextvars\nfrom concurrent.futures import ThreadPoolExecutor\n\nfrom opentelemetry import trace\n";
    assert_eq!(fix_py(&format!("{head}{SUBMIT}")), format!("{want}{SUBMIT_FIXED}"));
    // no standard-library import yet: a block of its own, first, after `__future__`
    let head = "from __future__ import annotations\n\nfrom opentelemetry import trace\n\nfrom app import work\n";
    let want = "from __future__ import annotations\n\nimport contextvars\n\nfrom opentelemetry import trace\n\nfrom app import work\n";
    let body = "\n\nasync def handle(request, loop):\n    await loop.run_in_executor(None, work)\n";
    let body_fixed = "\n\nasync def handle(request, loop):\n    await loop.run_in_executor(None, contextvars.copy_context().run, work)\n";
    assert_eq!(fix_py(&format!("{head}{body}")), format!("{want}{body_fixed}"));
}

// ---- defect 8: the CommonJS fix extends the existing `require` destructuring

#[test]
fn a_commonjs_fix_extends_the_existing_destructuring() {
    let dir = TempDir::new().expect("tmp");
    let src = "const { trace } = require('@opentelemetry/api');\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";
    write(dir.path(), "app.js", src);
    ctxlint(dir.path()).args(["--js-context-manager", "stack", "--fix", "app.js"]).assert().code(0);
    let fixed = fs::read_to_string(dir.path().join("app.js")).expect("read");
    assert!(fixed.starts_with("const { trace, context } = require('@opentelemetry/api');\nconst tracer"), "{fixed}");
    assert_eq!(fixed.matches("require(").count(), 1, "{fixed}");
    assert!(fixed.contains("setTimeout(context.bind(context.active(), () => tracer.startSpan('b').end()), 1);"), "{fixed}");
    // a rest pattern cannot take another name after it: a line of its own
    let src = src.replace("{ trace }", "{ trace, ...api }");
    write(dir.path(), "rest.js", &src);
    ctxlint(dir.path()).args(["--js-context-manager", "stack", "--fix", "rest.js"]).assert().code(0);
    let fixed = fs::read_to_string(dir.path().join("rest.js")).expect("read");
    assert!(
        fixed.contains("const { trace, ...api } = require('@opentelemetry/api');\nconst { context } = require('@opentelemetry/api');"),
        "{fixed}"
    );
}

// ---- defect 12: the README's first steps work

#[test]
fn the_readme_has_the_first_steps_a_newcomer_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md");
    let cargo = fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let msrv = cargo.lines().find_map(|l| l.strip_prefix("rust-version = ")).expect("rust-version").trim_matches('"');
    assert!(readme.contains(&format!("Rust {msrv} or newer")), "the minimum Rust version, {msrv}");
    assert!(readme.contains("git clone https://github.com/ctxlint/ctxlint"));
    assert!(readme.contains("sarif-multitool validate ctxlint.sarif --rule-kind"), "the multitool's argument order");
    // the from-source hook pins a commit (no release tag exists yet)
    let at = readme.find("repo: https://github.com/ctxlint/ctxlint\n").expect("the from-source hook");
    let rev = readme[at..].lines().nth(1).and_then(|l| l.trim().strip_prefix("rev: ")).expect("rev");
    let rev = rev.split_whitespace().next().expect("value");
    assert!(rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()), "rev {rev}");
    // every documented option of the features is in the option table
    for option in [
        "`--force-exclude`",
        "`--exit-zero`",
        "`-q, --quiet`",
        "`-s, --silent`",
        "`--statistics`",
        "`--max-warnings N`",
        "`--deny-warnings`",
        "`--exit-non-zero-on-fix`",
        "concise",
        "gitlab",
        "junit",
        "FORCE_COLOR",
        "rules --format json",
        "`--watch`",
    ] {
        assert!(readme.contains(option), "README lacks {option}");
    }
}

// ---- defect 10: each rule has its own docs page, and everything points at it

#[test]
fn every_rule_has_its_docs_page_in_sync_with_ctxlint_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = ctxlint(root).args(["rules", "--format", "json"]).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let bless = std::env::var_os("CTXLINT_BLESS").is_some();
    let mut stale = Vec::new();
    for rule in doc["rules"].as_array().expect("rules") {
        let id = rule["id"].as_str().expect("id");
        let url = rule["docs_url"].as_str().expect("url");
        let rel = url.strip_prefix("https://github.com/ctxlint/ctxlint/blob/main/").expect("a page in the repository");
        let (dir, name) = id.split_once('/').unwrap_or(("common", id));
        assert_eq!(rel, format!("docs/rules/{dir}/{name}.md"));
        let page = ctxlint(root).args(["rule", id]).output().expect("runs").stdout;
        let page = String::from_utf8(page).expect("utf-8");
        // what an installed user reads: no paths of a checkout, no internal notes
        assert!(!page.contains("oracle"), "{id}: internal notes in the page");
        assert!(page.contains(&format!("Documentation: {url}")), "{id}");
        let path = root.join(rel);
        if bless {
            fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
            fs::write(&path, &page).expect("write");
        } else if fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(rel.to_string());
        }
    }
    assert!(stale.is_empty(), "stale rule pages (CTXLINT_BLESS=1 cargo test --test cli_conventions rewrites them): {stale:?}");
}

#[test]
fn sarif_help_uris_point_at_each_rules_page() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let out = ctxlint(dir.path()).args(["--format", "sarif", "bad.py"]).output().expect("runs");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let uris: std::collections::HashSet<&str> = rules.iter().map(|r| r["helpUri"].as_str().expect("helpUri")).collect();
    assert_eq!(uris.len(), rules.len(), "one page per rule");
    let dangling = rules.iter().find(|r| r["id"] == "py/dangling-task").expect("rule");
    assert_eq!(dangling["helpUri"], "https://github.com/ctxlint/ctxlint/blob/main/docs/rules/py/dangling-task.md");
}

// ---- features: --watch

#[test]
fn watch_lints_again_when_a_file_changes() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command as StdCommand, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "app.py", "x = 1\n");
    let bin = assert_cmd::cargo::cargo_bin("ctxlint");
    let mut child = StdCommand::new(bin)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["--watch", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |want: &str| -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(want) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    };
    let first = wait_for("All checks passed: 1 file checked");
    // a later modification time, whatever the file system's resolution
    std::thread::sleep(Duration::from_millis(1100));
    write(dir.path(), "app.py", BAD_PY);
    let second = first && wait_for("Found 1 problem");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first run");
    assert!(second, "the run after the change");
    ctxlint(dir.path()).args(["--watch", "-"]).assert().code(2);
}
