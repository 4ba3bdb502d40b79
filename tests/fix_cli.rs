//! `--fix`, `--unsafe-fixes` and `--diff` through the built binary: what is written, what is printed, exit codes.
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn ctxlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ctxlint").expect("binary built");
    cmd.current_dir(dir).env("NO_COLOR", "1").env("COLUMNS", "100");
    cmd
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).expect("read")
}

/// Two executor hand-offs (safe fixes, one shared import) and a dangling task (display-only fix).
const POOL_PY: &str = "\
from concurrent.futures import ThreadPoolExecutor
import asyncio


def fan_out(request, orders):
    with ThreadPoolExecutor() as pool:
        for order in orders:
            pool.submit(charge, order)
        pool.submit(audit, orders)


async def handle():
    asyncio.create_task(work())
";

const POOL_FIXED_PY: &str = "\
from concurrent.futures import ThreadPoolExecutor
import asyncio
import contextvars


def fan_out(request, orders):
    with ThreadPoolExecutor() as pool:
        for order in orders:
            pool.submit(contextvars.copy_context().run, charge, order)
        pool.submit(contextvars.copy_context().run, audit, orders)


async def handle():
    asyncio.create_task(work())
";

/// An express handler that starts work without awaiting it: an unsafe fix.
const FLOATING_JS: &str = "\
const express = require('express');
const app = express();

async function saveAudit(entry) {
  await db.insert(entry);
}

app.post('/orders', async (req, res) => {
  saveAudit(req.body);
  res.sendStatus(201);
});
";

#[test]
fn fix_writes_the_safe_fixes_reports_what_is_left_and_a_second_run_changes_nothing() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "svc/pool.py", POOL_PY);
    ctxlint(dir.path())
        .args(["--fix", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Fixed 2 problems in 1 file. Found 1 problem left (0 errors, 1 warning): 1 file checked"))
        .stdout(predicate::str::contains("svc/pool.py:14:5"))
        .stdout(predicate::str::contains("py/executor-without-context").not());
    assert_eq!(read(dir.path(), "svc/pool.py"), POOL_FIXED_PY);

    let second = ctxlint(dir.path()).args(["--fix", "."]).output().expect("runs");
    assert_eq!(second.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(stdout.contains("Found 1 problem (0 errors, 1 warning)") && !stdout.contains("Fixed"), "{stdout}");
    assert_eq!(read(dir.path(), "svc/pool.py"), POOL_FIXED_PY);
}

#[test]
fn fix_exits_0_when_everything_was_fixed() {
    let dir = TempDir::new().expect("tmp");
    write(
        dir.path(),
        "a.py",
        "from concurrent.futures import ThreadPoolExecutor\n\n\ndef f(request, pool: ThreadPoolExecutor):\n    pool.submit(g)\n",
    );
    ctxlint(dir.path())
        .args(["--fix", "a.py"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 1 problem in 1 file. All checks passed: 1 file checked"));
    assert!(read(dir.path(), "a.py").contains("pool.submit(contextvars.copy_context().run, g)"));
}

#[test]
fn diff_prints_a_patch_writes_nothing_and_exits_1_only_when_there_are_changes() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "svc/pool.py", POOL_PY);
    let out = ctxlint(dir.path()).args(["--diff", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("--- a/svc/pool.py\n+++ b/svc/pool.py\n@@ "), "{stdout}");
    assert!(stdout.contains("\n+import contextvars\n"), "{stdout}");
    assert!(stdout.contains("\n-            pool.submit(charge, order)\n"), "{stdout}");
    assert!(stdout.contains("\n+            pool.submit(contextvars.copy_context().run, charge, order)\n"), "{stdout}");
    assert!(!stdout.contains("py/dangling-task"), "the diff is all that is printed: {stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Would fix 2 problems in 1 file."));
    assert_eq!(read(dir.path(), "svc/pool.py"), POOL_PY, "--diff wrote the file");

    // the patch is what --fix writes
    let patched = TempDir::new().expect("tmp");
    write(patched.path(), "svc/pool.py", POOL_PY);
    fs::write(patched.path().join("fix.patch"), &out.stdout).expect("write patch");
    let applied = std::process::Command::new("patch").current_dir(patched.path()).args(["-s", "-p1", "-i", "fix.patch"]).status();
    if let Ok(status) = applied {
        assert!(status.success());
        assert_eq!(read(patched.path(), "svc/pool.py"), POOL_FIXED_PY);
    }

    write(dir.path(), "svc/pool.py", POOL_FIXED_PY);
    ctxlint(dir.path()).args(["--diff", "."]).assert().code(0).stdout("").stderr(predicate::str::contains("No fixes to apply."));
}

#[test]
fn unsafe_fixes_need_the_opt_in() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "app.js", FLOATING_JS);
    ctxlint(dir.path()).args(["app.js"]).assert().code(1).stdout(predicate::str::contains("1 fixable with `--fix --unsafe-fixes`."));
    ctxlint(dir.path()).args(["--fix", "app.js"]).assert().code(1).stdout(predicate::str::contains("1 fixable with `--unsafe-fixes`."));
    assert_eq!(read(dir.path(), "app.js"), FLOATING_JS);
    ctxlint(dir.path())
        .args(["--diff", "app.js"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("No fixes to apply (1 more with --unsafe-fixes)."));

    ctxlint(dir.path())
        .args(["--fix", "--unsafe-fixes", "app.js"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 1 problem in 1 file. All checks passed"));
    assert_eq!(read(dir.path(), "app.js"), FLOATING_JS.replace("  saveAudit(", "  await saveAudit("));
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text_and_the_findings_left_on_stderr() {
    let dir = TempDir::new().expect("tmp");
    let out = ctxlint(dir.path()).args(["--fix", "--stdin-filename", "svc/pool.py", "-"]).write_stdin(POOL_PY).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "the dangling task is left");
    assert_eq!(String::from_utf8_lossy(&out.stdout), POOL_FIXED_PY);
    assert!(String::from_utf8_lossy(&out.stderr).contains("py/dangling-task"));

    // nothing to fix: the text comes back unchanged
    let clean = "import asyncio\n";
    ctxlint(dir.path()).args(["--fix", "--stdin-filename", "a.py", "-"]).write_stdin(clean).assert().code(0).stdout(clean);
}

#[test]
fn a_file_that_does_not_parse_is_not_fixed() {
    let dir = TempDir::new().expect("tmp");
    let broken = format!("{POOL_PY}\ndef broken(:\n    pass\n");
    write(dir.path(), "a.py", &broken);
    ctxlint(dir.path())
        .args(["--fix", "a.py"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a.py: not fixed: the file does not parse (see parse-error)"));
    assert_eq!(read(dir.path(), "a.py"), broken);
}

#[test]
fn crlf_and_tabs_survive_fix() {
    let dir = TempDir::new().expect("tmp");
    let src = "from opentelemetry import context\r\n\r\ndef consume(msg):\r\n\ttoken = context.attach(ctx)\r\n\tprocess(msg)\r\n\tcontext.detach(token)\r\n";
    write(dir.path(), "a.py", src);
    ctxlint(dir.path()).args(["--fix", "a.py"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "a.py"),
        "from opentelemetry import context\r\n\r\ndef consume(msg):\r\n\ttoken = context.attach(ctx)\r\n\ttry:\r\n\t\tprocess(msg)\r\n\tfinally:\r\n\t\tcontext.detach(token)\r\n"
    );
}

#[test]
fn invalid_utf8_is_linted_but_never_fixed() {
    let dir = TempDir::new().expect("tmp");
    let mut bytes =
        b"from concurrent.futures import ThreadPoolExecutor\n# caf\xe9\n\ndef f(request, pool: ThreadPoolExecutor):\n    pool.submit(g)\n"
            .to_vec();
    fs::write(dir.path().join("a.py"), &bytes).expect("write");
    ctxlint(dir.path())
        .args(["--fix", "a.py"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not valid UTF-8; linted with each invalid byte read as `?`; not fixed"));
    assert_eq!(fs::read(dir.path().join("a.py")).expect("read"), std::mem::take(&mut bytes));
}

#[test]
fn diff_and_fix_reject_options_they_cannot_honour() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", POOL_PY);
    for args in [vec!["--diff", "--format", "json", "."], vec!["--diff", "-o", "out.txt", "."], vec!["--fix", "--add-ignore", "."]] {
        ctxlint(dir.path()).args(&args).assert().code(2).stderr(predicate::str::contains("cannot be used with"));
    }
    assert_eq!(read(dir.path(), "a.py"), POOL_PY);
}

#[test]
fn fix_with_json_output_reports_the_findings_left() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", POOL_PY);
    let out = ctxlint(dir.path()).args(["--fix", "--format", "json", "a.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = doc["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
    assert_eq!(rules, vec!["py/dangling-task"]);
    assert_eq!(doc["findings"][0]["start"]["line"], 14, "positions are those of the fixed file");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Fixed 2 problems in 1 file.\n");
    assert_eq!(read(dir.path(), "a.py"), POOL_FIXED_PY);
}

/// Moving an existing detach into `finally:` is safe; adding a detach the code never had is not (code after the
/// block may rely on the attached context), so only `--unsafe-fixes` applies it.
#[test]
fn an_attach_that_is_never_detached_is_only_fixed_with_unsafe_fixes() {
    let dir = TempDir::new().expect("tmp");
    let src = "from opentelemetry import context\n\n\ndef before_request(ctx):\n    token = context.attach(ctx)\n    log_start()\n";
    write(dir.path(), "hooks.py", src);
    ctxlint(dir.path())
        .args(["--fix", "hooks.py"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("fix (unsafe): wrap the rest of the block"))
        .stdout(predicate::str::contains("1 fixable with `--unsafe-fixes`."));
    assert_eq!(read(dir.path(), "hooks.py"), src);
    ctxlint(dir.path()).args(["--fix", "--unsafe-fixes", "hooks.py"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "hooks.py"),
        "from opentelemetry import context\n\n\ndef before_request(ctx):\n    token = context.attach(ctx)\n    try:\n        log_start()\n    finally:\n        context.detach(token)\n"
    );
}
