//! Scale through the built binary: many findings in one file (`--fix`, JSON and human output), very large files,
//! very long lines, and large configuration files and manifests over many directories. Each must finish in time
//! roughly linear in its input and in bounded memory and output; the bounds are generous (debug binary, shared CPU).
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

mod common;
use common::{ctxlint, write};

/// Nothing a user gives ctxlint may end in a Rust panic message or a backtrace.
fn assert_no_panic(out: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0..=2)), "killed or crashed: {:?}\n{stderr}", out.status);
}

/// A Python file with `n` findings of py/executor-without-context, each with a safe fix (and one shared import).
fn executor_calls(n: usize) -> String {
    let mut text = String::from("import asyncio\n\n\nasync def handler(request, f):\n    loop = asyncio.get_running_loop()\n");
    for _ in 0..n {
        text.push_str("    await loop.run_in_executor(None, f)\n");
    }
    text
}

/// Runs `cmd`, failing the test when it takes longer than `bound` (the child is killed then).
fn run_within(mut cmd: Command, bound: Duration) -> (std::process::Output, Duration) {
    let start = Instant::now();
    let out = cmd.timeout(bound).output().expect("runs");
    let took = start.elapsed();
    assert!(took < bound, "took {took:?}, over the bound of {bound:?} (killed)");
    (out, took)
}

/// Item 13: `--fix` parsed the whole file once per fix (2,000 fixes: about 110 s in the debug binary); now a pass's
/// fixes are checked together with one parse.
#[test]
fn fixing_2000_findings_in_one_file_is_not_quadratic() {
    let n = 2000;
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "many.py", executor_calls(n).as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--fix", "--select", "py/executor-without-context", "many.py"]);
    let (out, took) = run_within(cmd, Duration::from_secs(30));
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains(&format!("Fixed {n} problems in 1 file")), "took {took:?}\n{stdout}\n{stderr}");
    assert!(stdout.contains("All checks passed"), "{stdout}");
    let fixed = fs::read_to_string(dir.path().join("many.py")).expect("read");
    assert_eq!(fixed.matches("await loop.run_in_executor(None, contextvars.copy_context().run, f)\n").count(), n);
    assert_eq!(fixed.matches("import contextvars\n").count(), 1, "the import is added once");
}

/// Item 13: JSON output built a line index of the whole file for every finding (20,000 findings: about 45 s in the
/// debug binary).
#[test]
fn json_output_of_20000_findings_is_linear() {
    let n = 20_000;
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "many.py", executor_calls(n).as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--format", "json", "--select", "py/executor-without-context", "many.py"]);
    let (out, took) = run_within(cmd, Duration::from_secs(12));
    assert_no_panic(&out);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(n), "took {took:?}");
    assert_eq!(doc["findings"][n - 1]["start"]["line"], n + 5);
}

/// Item 13: human output gave miette the whole file for every code frame, and built the whole fixed file for every
/// fix preview (8,000 findings: about 80 s in the debug binary).
#[test]
fn human_output_of_8000_findings_is_linear() {
    let n = 8000;
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "many.py", executor_calls(n).as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--select", "py/executor-without-context", "many.py"]);
    let (out, took) = run_within(cmd, Duration::from_secs(20));
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("Found {n} problems")), "took {took:?}\n{}", &stdout[stdout.len().saturating_sub(500)..]);
    let last = format!("many.py:{}:11]", n + 5);
    assert!(stdout.contains(&last), "the last frame points at its line: {last}");
    assert_eq!(stdout.matches("  fix (safe): ").count(), n, "a fix preview per finding");
}

/// Item 10: a code frame and a fix preview on a 2 MB line showed the whole line (twice, and the underline as wide);
/// they are now cut to the terminal width around the finding.
#[test]
fn frames_and_previews_on_a_very_long_line_are_cut_to_the_screen() {
    let dir = TempDir::new().expect("tmp");
    let mut text = String::from("import asyncio\n\n\nasync def handler(request, f):\n    loop = asyncio.get_running_loop(); xs = [");
    text.push_str(&"12345678, ".repeat(100_000));
    text.push_str("0]; await loop.run_in_executor(None, f); ys = [");
    text.push_str(&"87654321, ".repeat(100_000));
    text.push_str("0]\n");
    write(dir.path(), "long.py", text.as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--select", "py/executor-without-context", "long.py"]);
    let (out, _) = run_within(cmd, Duration::from_secs(60));
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.len() < 8_000, "{} bytes of output:\n{}", stdout.len(), &stdout[..stdout.len().min(2000)]);
    let column = text.lines().nth(4).and_then(|l| l.find("loop.run_in_executor")).expect("call") + 1;
    assert!(stdout.contains(&format!("long.py:5:{column}]")), "the frame names the real column:\n{stdout}");
    assert!(stdout.contains("await loop.run_in_executor(None, f)"), "the frame shows the finding:\n{stdout}");
    assert!(stdout.contains("run_in_executor(None, contextvars.copy_context().run, f)"), "the preview shows the fix:\n{stdout}");
    assert!(stdout.lines().all(|l| l.chars().count() <= 200), "no line is much wider than the screen:\n{stdout}");
    assert!(stdout.contains("Found 1 problem"), "{stdout}");
}

/// Item 10: a finding whose span covers 20,000 lines printed every one of them.
#[test]
fn a_frame_never_prints_thousands_of_lines() {
    let dir = TempDir::new().expect("tmp");
    let mut text = String::from(
        "import asyncio\n\n\nasync def handler(request, f):\n    await asyncio.get_running_loop().run_in_executor(\n        None,\n",
    );
    for i in 0..20_000 {
        text.push_str(&format!("        # filler {i}\n"));
    }
    text.push_str("        f,\n    )\n");
    write(dir.path(), "tall.py", text.as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--select", "py/executor-without-context", "tall.py"]);
    let (out, _) = run_within(cmd, Duration::from_secs(60));
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Found 1 problem"), "{stdout}");
    assert!(stdout.lines().count() < 120, "{} lines:\n{}", stdout.lines().count(), &stdout[..stdout.len().min(3000)]);
}

/// Item 10: there is a hard limit on the size of any file, even one named on the command line and even with
/// `--max-file-size 0`: such a file is skipped with a notice and counted, instead of using gigabytes of memory.
#[test]
fn a_file_over_the_hard_limit_is_skipped_even_when_named() {
    let dir = TempDir::new().expect("tmp");
    let line = "x = 1  # a line of padding, 64 bytes long, to make a huge file.\n";
    assert_eq!(line.len(), 64);
    let huge = format!("import asyncio\n{}asyncio.create_task(g())\n", line.repeat(25 * 1024 * 1024 / 64));
    write(dir.path(), "huge.py", huge.as_bytes());
    write(dir.path(), "small.py", b"import asyncio\nasyncio.create_task(g())\n");
    for args in [&["huge.py", "small.py"][..], &["--max-file-size", "0", "huge.py", "small.py"], &["--max-file-size", "0", "."]] {
        let mut cmd = ctxlint(dir.path());
        cmd.args(args);
        let (out, _) = run_within(cmd, Duration::from_secs(120));
        assert_no_panic(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("huge.py: not linted: 26.2 MB is over the hard limit of 24 MiB for one file"),
            "{args:?}\n{stderr}\n{stdout}"
        );
        assert!(stdout.contains("1 problem") && stdout.contains("1 file checked") && stdout.contains("1 skipped"), "{args:?}\n{stdout}");
        assert_eq!(out.status.code(), Some(1), "the skipped file is a notice, not an error");
    }
    // standard input too
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--stdin-filename", "huge.py", "-"]).write_stdin(huge.into_bytes());
    let (out, _) = run_within(cmd, Duration::from_secs(120));
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("huge.py: not linted: 26.2 MB is over the hard limit of 24 MiB for one file"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 files checked"));
}

/// A tree of `dirs` directories, each with one Python file with one finding.
fn python_tree(dir: &Path, dirs: usize) {
    for i in 0..dirs {
        write(dir, &format!("pkg{}/mod{i}/a.py", i % 10), b"import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())\n");
    }
}

/// About `bytes` of TOML tables no one reads.
fn toml_filler(bytes: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "[tool.other.section{i}]\nkey = \"a value that takes some room in the file {i}\"\nlist = [1, 2, 3, 4, 5]\n\n"
        ));
        i += 1;
    }
    text
}

/// Item 14: the nearest pyproject.toml was read and parsed again for every directory (300 directories under a 200 KB
/// pyproject.toml: tens of seconds in the debug binary); now once per run, with or without `[tool.ctxlint]`.
#[test]
fn a_large_pyproject_is_parsed_once_per_run() {
    for with_table in [false, true] {
        let dir = TempDir::new().expect("tmp");
        python_tree(dir.path(), 300);
        let mut text = toml_filler(200_000);
        if with_table {
            text.push_str("[tool.ctxlint]\nignore = [\"py/dangling-task\"]\nexclude = [\"pkg0/**\"]\n");
        }
        write(dir.path(), "pyproject.toml", text.as_bytes());
        let mut cmd = ctxlint(dir.path());
        cmd.arg(".");
        let (out, took) = run_within(cmd, Duration::from_secs(10));
        assert_no_panic(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if with_table {
            assert!(stdout.contains("All checks passed: 270 files checked"), "took {took:?}\n{stdout}");
        } else {
            assert!(stdout.contains("Found 300 problems"), "took {took:?}\n{stdout}");
        }
    }
}

/// Item 14: the nearest package.json was read and parsed again for every directory of JavaScript files.
#[test]
fn a_large_package_json_is_parsed_once_per_run() {
    let dir = TempDir::new().expect("tmp");
    let js = b"import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";
    for i in 0..300 {
        write(dir.path(), &format!("src{}/m{i}/a.js", i % 10), js);
    }
    let mut deps: Vec<String> = (0..60_000).map(|i| format!("    \"some-package-with-a-long-name-{i}\": \"^1.2.{i}\"")).collect();
    deps.push("    \"@opentelemetry/sdk-trace-web\": \"^1.0.0\"".to_string());
    write(dir.path(), "package.json", format!("{{\n  \"dependencies\": {{\n{}\n  }}\n}}\n", deps.join(",\n")).as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.args(["--format", "json", "."]);
    let (out, took) = run_within(cmd, Duration::from_secs(15));
    assert_no_panic(&out);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = doc["findings"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(findings, 300, "the stack model from package.json applies everywhere (took {took:?})");
}

/// Item 14: exclude globs were compiled again for every directory (a GlobSet per directory).
#[test]
fn many_exclude_globs_are_compiled_once_per_config_file() {
    let dir = TempDir::new().expect("tmp");
    python_tree(dir.path(), 200);
    let globs: Vec<String> = (0..5000).map(|i| format!("\"generated/part{i}/**/*.py\"")).collect();
    write(dir.path(), "ctxlint.toml", format!("exclude = [{}, \"pkg1/**\"]\n", globs.join(", ")).as_bytes());
    let mut cmd = ctxlint(dir.path());
    cmd.arg(".");
    let (out, took) = run_within(cmd, Duration::from_secs(15));
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Found 180 problems"), "took {took:?}\n{stdout}");
}
