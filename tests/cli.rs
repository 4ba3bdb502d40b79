//! Runs the built `ctxlint` binary: exit codes, ordering, ignore files, colour, pipes, rule docs.
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn ctxlint() -> Command {
    let mut cmd = Command::cargo_bin("ctxlint").expect("binary built");
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

const BAD_PY: &str = "import asyncio\n\n\nasync def handle():\n    asyncio.create_task(work())\n";
const GOOD_PY: &str = "import asyncio\n\n\nasync def handle():\n    await asyncio.create_task(work())\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

#[test]
fn exit_0_when_clean_and_1_with_findings() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "good.py", GOOD_PY);
    ctxlint().arg(dir.path()).assert().code(0).stdout(predicate::str::contains("All checks passed: 1 file checked"));
    write(dir.path(), "bad.py", BAD_PY);
    ctxlint()
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("py/dangling-task"))
        .stdout(predicate::str::contains("Found 1 problem (0 errors, 1 warning): 2 files checked"));
}

#[test]
fn default_path_is_the_working_directory() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    ctxlint().current_dir(dir.path()).assert().code(1).stdout(predicate::str::contains("bad.py:5:5"));
}

#[test]
fn exit_2_for_a_missing_path_with_a_one_line_error_and_the_rest_still_linted() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let out = ctxlint().arg(dir.path().join("nope")).arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("nope: no such file or directory"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("py/dangling-task"));
}

#[test]
fn exit_2_for_usage_errors_without_a_backtrace() {
    ctxlint()
        .arg("--format=xml")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'xml'"))
        .stderr(predicate::str::contains("panicked").not());
    ctxlint().arg("--no-such-flag").assert().code(2);
    ctxlint().arg("--js-context-manager=browser").assert().code(2);
}

#[test]
fn help_and_version_exit_0() {
    ctxlint().arg("--help").assert().code(0).stdout(predicate::str::contains("Exit codes"));
    ctxlint().arg("--version").assert().code(0).stdout(predicate::str::contains("ctxlint"));
}

#[test]
fn output_is_sorted_by_path_line_column_and_identical_across_runs() {
    let dir = TempDir::new().expect("tmp");
    for name in ["b.py", "a.py", "c/z.py", "c/a.py"] {
        write(dir.path(), name, &format!("{BAD_PY}    asyncio.ensure_future(work())\n"));
    }
    let run = || {
        let out = ctxlint().args(["--format", "json", "--threads", "2"]).arg(dir.path()).output().expect("runs");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let first = run();
    for _ in 0..5 {
        assert_eq!(run(), first, "output changed between runs");
    }
    let doc: serde_json::Value = serde_json::from_str(&first).expect("json");
    let keys: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .expect("array")
        .iter()
        .map(|f| (f["path"].as_str().expect("path").to_string(), f["start"]["line"].as_u64().expect("line")))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 8);
    assert!(keys[0].0.ends_with("a.py") && keys[2].0.ends_with("b.py") && keys[4].0.ends_with("c/a.py"), "{keys:?}");
}

#[test]
fn ignore_files_and_hidden_directories_are_respected() {
    let dir = TempDir::new().expect("tmp");
    for name in ["keep.py", "gen/skip.py", "vendor/skip.py", "local/skip.py", ".hidden/skip.py", "build_out/skip.py"] {
        write(dir.path(), name, BAD_PY);
    }
    write(dir.path(), ".gitignore", "gen/\n");
    write(dir.path(), ".ignore", "vendor/\n");
    write(dir.path(), ".ctxlintignore", "local/\nbuild_*/\n");
    let out = ctxlint().args(["--format", "json"]).arg(dir.path()).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = doc["findings"].as_array().expect("array").iter().map(|f| f["path"].as_str().expect("path")).collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("keep.py"));
    assert_eq!(doc["summary"]["files_checked"], 1);
}

#[test]
fn an_explicit_file_is_linted_even_if_ignored_and_unknown_extensions_get_a_notice() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "gen/skip.py", BAD_PY);
    write(dir.path(), ".gitignore", "gen/\n");
    write(dir.path(), "notes.txt", "hello");
    ctxlint()
        .arg(dir.path().join("gen/skip.py"))
        .arg(dir.path().join("notes.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("notes.txt: skipped, not a file ctxlint reads"))
        .stdout(predicate::str::contains("py/dangling-task"));
}

#[test]
fn files_with_other_extensions_are_skipped_silently_while_walking() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "types/index.d.ts", "export import ACM = require('./acm');\n");
    write(dir.path(), "README.md", "# hi");
    write(dir.path(), "data.json", "{}");
    write(dir.path(), "ok.py", GOOD_PY);
    ctxlint().arg(dir.path()).assert().code(0).stderr(predicate::str::is_empty()).stdout(predicate::str::contains("1 file checked"));
    // a declaration file named explicitly is linted (it is parsed because a rule's trigger words are in it)
    write(
        dir.path(),
        "types/index.d.ts",
        "export import ACM = require('./acm');\nexport declare function startActiveSpan(): Promise<void>;\n",
    );
    ctxlint().arg(dir.path().join("types/index.d.ts")).assert().code(1).stdout(predicate::str::contains("parse-error"));
}

#[test]
fn colour_follows_the_flag() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let always = ctxlint().args(["--color", "always"]).arg(dir.path()).output().expect("runs");
    assert!(String::from_utf8_lossy(&always.stdout).contains("\x1b["));
    let never = ctxlint().args(["--color", "never"]).arg(dir.path()).output().expect("runs");
    assert!(!String::from_utf8_lossy(&never.stdout).contains('\x1b'));
    // not a terminal: no colour under `auto`
    let auto = ctxlint().arg(dir.path()).output().expect("runs");
    assert!(!String::from_utf8_lossy(&auto.stdout).contains('\x1b'));
}

/// Under a real terminal (util-linux `script` gives one), `auto` colours unless NO_COLOR is set.
#[test]
fn no_color_is_honoured_on_a_terminal() {
    if StdCommand::new("script").arg("--version").output().is_err() {
        panic!("this test needs util-linux `script` to fake a terminal");
    }
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let bin = assert_cmd::cargo::cargo_bin("ctxlint");
    let run = |no_color: Option<&str>| {
        let mut cmd = StdCommand::new("script");
        cmd.args(["-qec", &format!("{} {}", bin.display(), dir.path().display()), "/dev/null"]);
        cmd.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        String::from_utf8_lossy(&cmd.output().expect("script runs").stdout).into_owned()
    };
    assert!(run(None).contains("\x1b["), "a terminal gets colour");
    assert!(!run(Some("1")).contains("\x1b["), "NO_COLOR=1 removes it");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = TempDir::new().expect("tmp");
    for i in 0..200 {
        write(dir.path(), &format!("f{i:03}.py"), BAD_PY);
    }
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("ctxlint"))
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout); // like `| head -c 64`
    let status = child.wait().expect("exits");
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn rules_lists_every_rule_and_rule_prints_its_docs() {
    ctxlint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("js/unbound-timer"))
        .stdout(predicate::str::contains("py/dangling-task"))
        .stdout(predicate::str::contains("parse-error"));
    let out = ctxlint().args(["rule", "py/attach-without-detach"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    for section in ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## Known problems"] {
        assert!(page.contains(section), "missing {section}");
    }
}

#[test]
fn an_unknown_rule_id_is_an_error_with_suggestions() {
    ctxlint()
        .args(["rule", "unbound-timer"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `unbound-timer`"))
        .stderr(predicate::str::contains("did you mean js/unbound-timer?"));
}

#[test]
fn the_check_subcommand_is_the_default_command_spelled_out() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    ctxlint().arg("check").arg(dir.path()).assert().code(1).stdout(predicate::str::contains("py/dangling-task"));
}

const TIMER_JS: &str = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";

#[test]
fn the_js_context_manager_comes_from_package_json_or_the_flag() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "web/package.json", r#"{"dependencies": {"@opentelemetry/sdk-trace-web": "2"}}"#);
    write(dir.path(), "web/src/app.js", TIMER_JS);
    write(dir.path(), "node/package.json", r#"{"dependencies": {"@opentelemetry/sdk-node": "0.205"}}"#);
    write(dir.path(), "node/src/app.js", TIMER_JS);
    let out = ctxlint().args(["--format", "json"]).arg(dir.path()).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = doc["findings"].as_array().expect("array").iter().map(|f| f["path"].as_str().expect("path")).collect();
    assert_eq!(paths.len(), 1);
    assert!(paths[0].ends_with("web/src/app.js"));
    // the flag overrides detection both ways
    let out = ctxlint().args(["--format", "json", "--js-context-manager", "stack"]).arg(dir.path()).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["summary"]["findings"], 2);
    ctxlint().args(["--js-context-manager", "async-local-storage"]).arg(dir.path()).assert().code(0);
}

/// The lines of `ctxlint config PATH` (run in `dir`) that start with `prefix`.
fn config_lines(dir: &Path, args: &[&str], prefix: &str) -> Vec<String> {
    let out = ctxlint().current_dir(dir).arg("config").args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with(prefix)).map(str::to_string).collect()
}

#[test]
fn config_shows_the_js_context_manager_chosen_for_the_file_and_why() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "web/package.json", r#"{"name": "shop-web", "dependencies": {"@opentelemetry/sdk-trace-web": "2"}}"#);
    write(dir.path(), "plain/package.json", r#"{"dependencies": {"express": "4"}}"#);
    let js = |args: &[&str]| config_lines(dir.path(), args, "js ");
    assert_eq!(
        js(&["web/src/app.js"]),
        [
            "js context-manager: stack (detected: web/package.json depends on @opentelemetry/sdk-trace-web)",
            "js package: shop-web (web/package.json)"
        ]
    );
    assert_eq!(
        js(&["plain/app.js"])[0],
        "js context-manager: async-local-storage (the default: plain/package.json names no OpenTelemetry context manager)"
    );
    assert_eq!(
        js(&["app.js"]),
        ["js context-manager: async-local-storage (the default: no package.json here or above)", "js package: none"]
    );
    assert_eq!(js(&["--js-context-manager", "zone", "web/src/app.js"])[0], "js context-manager: zone (set by --js-context-manager)");
    write(dir.path(), "web/ctxlint.toml", "[js]\ncontext-manager = \"none\"\n");
    assert_eq!(js(&["web/src/app.js"])[0], "js context-manager: none (set by [js] context-manager)");
}

#[test]
fn config_shows_the_python_runtime_chosen_for_the_file_and_its_evidence() {
    let dir = TempDir::new().expect("tmp");
    write(
        dir.path(),
        "kafka/pyproject.toml",
        "[project]\nname = \"opentelemetry-instrumentation-kafka-python\"\ndependencies = [\"logfire>=3\", \"sentry-sdk\"]\n",
    );
    write(dir.path(), "kafka/src/boot.py", "import logfire\n\nlogfire.configure(send_to_logfire=False)\n");
    let py = |args: &[&str]| config_lines(dir.path(), args, "python ");
    assert_eq!(
        py(&["kafka/src/consumer.py"]),
        [
            "python project: kafka",
            "python package: opentelemetry-instrumentation-kafka-python (the instrumentation of kafka-python)",
            "python instrumented: logfire (detected)",
            "python runtime: threads carry the context: no; thread pools: yes; process pools: yes; child processes get it in their environment: no",
            "python evidence:",
        ]
    );
    let out = ctxlint().current_dir(dir.path()).args(["config", "kafka/src/consumer.py"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let evidence: Vec<&str> = text.lines().skip_while(|l| *l != "python evidence:").skip(1).collect();
    assert_eq!(evidence.len(), 3, "{text}");
    assert!(evidence[0].starts_with("  - pyproject.toml names the package `opentelemetry-instrumentation-kafka-python`: its own code is the instrumentation of `kafka-python`"), "{text}");
    assert!(
        evidence[1].starts_with("  - logfire is active (pyproject.toml declares logfire; src/boot.py:3 calls `logfire.configure(...)`)"),
        "{text}"
    );
    assert!(
        evidence[2]
            .starts_with("  - sentry is not active: pyproject.toml declares sentry-sdk, but no project file calls `sentry_sdk.init(...)`"),
        "{text}"
    );
    // a directory's settings are those of a file in it
    assert_eq!(py(&["kafka/src"])[2], "python instrumented: logfire (detected)");
    assert_eq!(py(&["elsewhere.py"])[0], "python project: none");
}

#[test]
fn an_invalid_package_json_gets_a_notice_and_detection_goes_on() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", r#"{"dependencies": {"@opentelemetry/sdk-trace-web": "2"}}"#);
    write(dir.path(), "pkg/package.json", "{ not json");
    write(dir.path(), "pkg/app.js", TIMER_JS);
    ctxlint()
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not valid JSON"))
        .stdout(predicate::str::contains("js/unbound-timer"));
}

#[test]
fn json_output_has_the_versioned_schema() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let out = ctxlint().args(["--output-format", "json"]).arg("bad.py").current_dir(dir.path()).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["version"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "py/dangling-task");
    assert_eq!(f["path"], "bad.py");
    assert_eq!(f["start"]["line"], 5);
    assert_eq!(f["start"]["column"], 5);
    assert_eq!(f["end"]["line"], 5);
    assert!(f["message"].as_str().is_some_and(|m| m.contains("weak reference")));
    assert!(f["help"].is_string());
    assert_eq!(f["fix"]["applicability"], "display-only");
    assert_eq!(doc["summary"]["files_checked"], 1);
}

#[test]
fn a_broken_file_is_reported_and_still_linted() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "broken.py", &format!("{BAD_PY}\ndef broken(:\n    pass\n"));
    let out = ctxlint().args(["--format", "json"]).arg(dir.path()).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = doc["findings"].as_array().expect("array").iter().map(|f| f["rule"].as_str().expect("rule")).collect();
    assert_eq!(rules, ["py/dangling-task", "parse-error"]);
}

#[test]
fn the_readme_rules_table_is_generated_from_the_rule_files() {
    let out = ctxlint().args(["rules", "--markdown"]).output().expect("runs");
    let table = String::from_utf8(out.stdout).expect("utf-8");
    let readme = fs::read_to_string("README.md").expect("README.md");
    if std::env::var_os("CTXLINT_BLESS").is_some() {
        // `CTXLINT_BLESS=1 cargo test --test cli`: write the table between its markers
        let start = readme.find("<!-- rules-table:start").expect("start marker");
        let start = start + readme[start..].find('\n').expect("end of the marker line") + 1;
        let end = readme.find("<!-- rules-table:end").expect("end marker");
        fs::write("README.md", format!("{}{}{}", &readme[..start], table, &readme[end..])).expect("write README.md");
        return;
    }
    assert!(readme.contains(table.trim_end()), "README.md's rules table is stale: run `CTXLINT_BLESS=1 cargo test --test cli`");
}

#[test]
fn stdin_is_linted_as_the_named_file_with_its_package_json() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "web/package.json", r#"{"dependencies": {"@opentelemetry/sdk-trace-web": "2"}}"#);
    // the file need not exist: an editor's unsaved buffer
    let out = ctxlint()
        .args(["--format", "json", "--stdin-filename"])
        .arg(dir.path().join("web/src/unsaved.js"))
        .arg("-")
        .write_stdin(TIMER_JS)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["findings"][0]["rule"], "js/unbound-timer");
    assert!(doc["findings"][0]["path"].as_str().is_some_and(|p| p.ends_with("web/src/unsaved.js")));
    assert_eq!(doc["summary"]["files_checked"], 1);
}

#[test]
fn stdin_needs_a_filename_and_stands_alone() {
    ctxlint().arg("-").write_stdin("x").assert().code(2).stderr(predicate::str::contains("needs --stdin-filename"));
    ctxlint()
        .args(["--stdin-filename", "a.py", "-", "src"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be combined"));
    ctxlint()
        .args(["--stdin-filename", "a.txt", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a file ctxlint reads"));
}

#[test]
fn several_outputs_in_one_run() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    let sarif = dir.path().join("out.sarif");
    let json_out = dir.path().join("out.json");
    ctxlint()
        .current_dir(dir.path())
        .arg("bad.py")
        .arg("-o")
        .arg(format!("sarif={}", sarif.display()))
        .arg("--output")
        .arg(format!("json={}", json_out.display()))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("py/dangling-task").and(predicate::str::contains("Found 1 problem")));
    let log: serde_json::Value = serde_json::from_str(&fs::read_to_string(&sarif).expect("sarif written")).expect("sarif json");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "py/dangling-task");
    assert_eq!(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.py");
    let doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json_out).expect("json written")).expect("json");
    assert_eq!(doc["summary"]["findings"], 1);
    // `-o FILE` without a format sends --format there instead of stdout
    let plain = dir.path().join("plain.txt");
    ctxlint()
        .current_dir(dir.path())
        .args(["bad.py", "--format", "github", "-o"])
        .arg(&plain)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    assert!(fs::read_to_string(&plain).expect("written").starts_with("::warning file=bad.py,line=5,col=5,"));
}

#[test]
fn a_bad_output_is_a_usage_error() {
    ctxlint().args(["-o", "xml=out.xml", "."]).assert().code(2).stderr(predicate::str::contains("unknown format `xml`"));
    ctxlint().args(["-o", "sarif=", "."]).assert().code(2);
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ok.py", GOOD_PY);
    ctxlint()
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("no/such/dir/out.sarif"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
}

#[test]
fn github_format_maps_severities() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", &format!("{BAD_PY}\n\ndef f():\n    from opentelemetry import context\n    context.attach(x)\n"));
    let out = ctxlint().current_dir(dir.path()).args(["--format", "github", "bad.py"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("::warning file=bad.py,line=5,col=5,endLine=5,endColumn=24,title=ctxlint (py/dangling-task)::")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("::error file=bad.py,line=10,") && l.contains("title=ctxlint (py/attach-without-detach)::")),
        "{text}"
    );
}

#[test]
fn sarif_reports_parse_failures_and_unreadable_paths_as_notifications() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "broken.py", &format!("{BAD_PY}\ndef broken(:\n    pass\n"));
    let out = ctxlint().current_dir(dir.path()).args(["--format", "sarif", "broken.py", "missing.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["results"].as_array().expect("results").iter().map(|r| r["ruleId"].as_str().expect("id")).collect();
    assert_eq!(rules, ["py/dangling-task"]);
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().expect("notifications");
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["descriptor"]["id"], "parse-error");
    assert_eq!(notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
    assert_eq!(notes[1]["level"], "error");
    assert!(notes[1]["message"]["text"].as_str().is_some_and(|t| t.contains("missing.py")));
    assert_eq!(run["tool"]["driver"]["notifications"][0]["id"], "parse-error");
}

/// BAD_PY padded with a comment to `len` bytes.
fn bad_py_of_size(len: usize) -> String {
    let mut text = format!("{BAD_PY}#");
    text.push_str(&"x".repeat(len.saturating_sub(text.len() + 1)));
    text.push('\n');
    text
}

#[test]
fn walked_files_over_the_size_limit_are_skipped_with_a_notice_and_named_ones_are_linted() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "big.py", &bad_py_of_size(1_100_000));
    write(dir.path(), "small.py", BAD_PY);
    ctxlint()
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("small.py"))
        .stdout(predicate::str::contains("big.py").not())
        .stdout(predicate::str::contains("1 file checked").and(predicate::str::contains("1 skipped (over --max-file-size)")))
        .stderr(predicate::str::contains("big.py: not linted: 1.1 MB is over the 1 MiB limit"));
    // named on the command line: linted whatever its size
    ctxlint().arg(dir.path().join("big.py")).assert().code(1).stdout(predicate::str::contains("big.py"));
    // the limit raised, or turned off
    for limit in ["2MB", "0"] {
        ctxlint()
            .args(["--max-file-size", limit])
            .arg(dir.path())
            .assert()
            .code(1)
            .stdout(predicate::str::contains("2 files checked"))
            .stderr(predicate::str::is_empty());
    }
    // and from the configuration file
    write(dir.path(), "ctxlint.toml", "max-file-size = \"1KB\"\n");
    write(dir.path(), "medium.py", &bad_py_of_size(2_000));
    ctxlint()
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 file checked").and(predicate::str::contains("2 skipped (over --max-file-size)")));
    ctxlint()
        .args(["--show-settings"])
        .arg(dir.path().join("small.py"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("max-file-size: 1 KB"));
}

#[test]
fn a_bad_size_limit_is_a_usage_or_config_error() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", BAD_PY);
    ctxlint().args(["--max-file-size", "lots"]).arg(dir.path()).assert().code(2).stderr(predicate::str::contains("invalid size `lots`"));
    write(dir.path(), "ctxlint.toml", "max-file-size = \"1 parsec\"\n");
    ctxlint()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid size `1 parsec`").and(predicate::str::contains("ctxlint.toml")));
}

#[test]
fn a_file_named_and_walked_is_linted_once_whatever_the_thread_count() {
    let dir = TempDir::new().expect("tmp");
    for i in 0..40 {
        write(dir.path(), &format!("pkg{}/m{i}.py", i % 4), BAD_PY);
    }
    for threads in ["1", "2", "4"] {
        ctxlint()
            .args(["--threads", threads])
            .arg(dir.path().join("pkg0/m0.py"))
            .arg(dir.path())
            .arg(dir.path().join("pkg1"))
            .assert()
            .code(1)
            .stdout(predicate::str::contains("Found 40 problems").and(predicate::str::contains("40 files checked")));
    }
}
