//! The process's own input and output under attack: full or closed standard streams, absurd thread counts, named
//! pipes and devices, FIFOs planted under names the walk reads, file names that outputs must carry byte for byte.
#![cfg(unix)]
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BAD_PY: &[u8] = b"import asyncio\n\n\nasync def handle():\n    asyncio.create_task(work())\n";
/// A file with a safe fix (py/executor-without-context adds `contextvars.copy_context().run`).
const FIXABLE_PY: &[u8] = b"import asyncio\n\n\nasync def handle(loop):\n    with tracer.start_as_current_span(\"h\"):\n        await loop.run_in_executor(None, work)\n";

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("ctxlint")
}

fn ctxlint(dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir).env("NO_COLOR", "1").env("COLUMNS", "100").stdin(Stdio::null());
    cmd
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs `cmd` and kills it after `limit`: a hang fails the test instead of the whole suite.
fn output_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawns");
    let start = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("still running after {limit:?}; stderr so far: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn assert_no_panic(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0..=2)), "killed or crashed: {:?}\n{stderr}", out.status);
}

fn dev_full() -> fs::File {
    fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full")
}

/// Item 8: a full stderr loses the messages, never the run: the report still comes on stdout with the right code.
#[test]
fn a_full_stderr_never_panics() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    write(dir.path(), "notes.txt", b"x");
    // an error (missing path) and a notice (a named file ctxlint does not read) both go to stderr
    let out = ctxlint(dir.path()).args(["bad.py", "notes.txt", "missing.py"]).stderr(dev_full()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "the missing path decides the code, not a panic (101)");
    assert!(String::from_utf8_lossy(&out.stdout).contains("py/dangling-task"));

    // --fix on standard input: the fixed text on stdout although the findings could not go to stderr
    let mut child = ctxlint(dir.path())
        .args(["--fix", "--stdin-filename", "a.py", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(dev_full())
        .spawn()
        .expect("spawns");
    {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(FIXABLE_PY).expect("feeds");
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(0), "fixed, nothing left");
    let fixed = String::from_utf8_lossy(&out.stdout);
    assert!(fixed.contains("contextvars.copy_context().run"), "{fixed}");
}

/// Item 9: an absurd thread count is capped with a notice, neither a panic nor seconds of thread start-up.
#[test]
fn an_absurd_thread_count_is_capped() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    for threads in ["100000", "1000"] {
        let start = Instant::now();
        let out = output_within(ctxlint(dir.path()).args(["--threads", threads, "."]), Duration::from_secs(60));
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("notice: --threads {threads} is more than this machine can use; using ")), "{stderr}");
        assert!(start.elapsed() < Duration::from_secs(5), "--threads {threads} took {:?}", start.elapsed());
    }
}

/// Item 11: a named FIFO with a known extension is read as a stream and linted (never fixed); one without an
/// extension takes its language from a `#!` line, else is an error with a hint; devices are refused with an error.
#[test]
fn named_pipes_are_read_as_streams_and_devices_refused() {
    let dir = TempDir::new().expect("tmp");
    let fifo = dir.path().join("in.py");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, FIXABLE_PY))
    };
    let out = output_within(ctxlint(dir.path()).args(["--fix", "in.py"]), Duration::from_secs(30));
    writer.join().expect("writer").expect("writes");
    assert_no_panic(&out);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("py/executor-without-context") && stdout.contains("1 file checked"), "{stdout}");
    assert!(stderr.contains("in.py: a named pipe is linted but never fixed"), "{stderr}");
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).expect("meta").file_type().is_fifo(), "the pipe is still a pipe");

    // no extension: the #! line decides
    let bare = dir.path().join("stream");
    mkfifo(&bare);
    let writer = {
        let bare = bare.clone();
        std::thread::spawn(move || fs::write(bare, [b"#!/usr/bin/env python3\n".as_slice(), BAD_PY].concat()))
    };
    let out = output_within(ctxlint(dir.path()).arg("stream"), Duration::from_secs(30));
    writer.join().expect("writer").expect("writes");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stream:6:5"));

    // no extension, no #! line: an error that says what to do
    let writer = {
        let bare = bare.clone();
        std::thread::spawn(move || fs::write(bare, BAD_PY))
    };
    let out = output_within(ctxlint(dir.path()).arg("stream"), Duration::from_secs(30));
    writer.join().expect("writer").expect("writes");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("its language is unknown; use `ctxlint --stdin-filename NAME.py -`"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("All checks passed"));

    // a device is refused, not read without end (and not skipped in silence)
    let out = output_within(ctxlint(dir.path()).args(["/dev/zero", "/dev/null"]), Duration::from_secs(30));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/dev/zero: a character device, not a file; not read"), "{stderr}");
    assert!(stderr.contains("/dev/null: a character device, not a file; not read"), "{stderr}");
}

/// Item 12: FIFOs named like the files the walk reads (.gitignore, .ignore, .ctxlintignore, package.json, in the
/// root and in subdirectories) never hang the run: the affected directories are reported, the rest is linted.
#[test]
fn fifos_under_names_the_walk_reads_never_hang_the_run() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ok/bad.py", BAD_PY);
    write(dir.path(), "web/app.js", b"setTimeout(() => tracer.startActiveSpan('x', s => s.end()), 10);\n");
    mkfifo(&dir.path().join("web/package.json"));
    for sub in ["g", "i", "c"] {
        write(dir.path(), &format!("{sub}/bad.py"), BAD_PY);
    }
    mkfifo(&dir.path().join("g/.gitignore"));
    mkfifo(&dir.path().join("i/.ignore"));
    mkfifo(&dir.path().join("c/.ctxlintignore"));
    let out = output_within(ctxlint(dir.path()).arg("."), Duration::from_secs(30));
    assert_no_panic(&out);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    for sub in ["g", "i", "c"] {
        assert!(stderr.contains(&format!("{sub}: not walked: ")), "{sub}: {stderr}");
    }
    assert!(stderr.contains("g/.gitignore is not a regular file"), "{stderr}");
    assert!(stdout.contains("ok/bad.py:5:5"), "{stdout}");
    assert!(stdout.contains("2 files checked"), "ok/bad.py and web/app.js (its package.json FIFO unread): {stdout}");

    // a FIFO .gitignore in the root itself
    let root = TempDir::new().expect("tmp");
    write(root.path(), "bad.py", BAD_PY);
    mkfifo(&root.path().join(".gitignore"));
    let out = output_within(ctxlint(root.path()).arg("."), Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".: not walked: ./.gitignore is not a regular file"));
    // named on the command line, the file is still linted: no ignore file is read for it
    let out = output_within(ctxlint(root.path()).arg("bad.py"), Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Item 15: outputs carry a file's name byte for byte: a `\` is part of a Unix name, a non-UTF-8 name is
/// percent-encoded in SARIF.
#[test]
fn outputs_keep_backslashes_and_percent_encode_non_utf8_names() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a\\b.py", BAD_PY);
    let out = ctxlint(dir.path()).args(["--format", "json", "."]).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["findings"][0]["path"], "a\\b.py");
    let out = ctxlint(dir.path()).args(["--format", "github", "."]).output().expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("file=a\\b.py,"), "{}", String::from_utf8_lossy(&out.stdout));
    let out = ctxlint(dir.path()).args(["--format", "sarif", "."]).output().expect("runs");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "a%5Cb.py");

    let latin = TempDir::new().expect("tmp");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    fs::write(latin.path().join(name), BAD_PY).expect("write");
    let out = ctxlint(latin.path()).args(["--format", "sarif", "."]).output().expect("runs");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "caf%E9.py");
}

/// Item 15: `--diff` names are quoted the way git quotes them, so `patch -p1` and `git apply` both apply the diff
/// to files whose names hold spaces, tabs, CR/LF, quotes and backslashes.
#[test]
fn diffs_of_strange_names_apply_with_patch_and_git_apply() {
    let names: &[&[u8]] = &[b"with space.py", b"tab\there.py", b"back\\slash.py", b"new\nline.py", b"cr\rhere.py", b"q\"uote.py"];
    let dir = TempDir::new().expect("tmp");
    for name in names {
        fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), FIXABLE_PY).expect("write");
    }
    let out = ctxlint(dir.path()).args(["--diff", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let diff = out.stdout;
    assert!(String::from_utf8_lossy(&diff).contains("--- \"a/tab\\there.py\"\n"), "{}", String::from_utf8_lossy(&diff));

    // what --fix writes is what the diff must produce
    let expected = TempDir::new().expect("tmp");
    for name in names {
        fs::write(expected.path().join(std::ffi::OsStr::from_bytes(name)), FIXABLE_PY).expect("write");
    }
    let out = ctxlint(expected.path()).args(["--fix", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let tools: [(&str, &[&str]); 2] = [("patch", &["-p1", "--batch", "--quiet"]), ("git", &["apply", "-p1", "-"])];
    for (tool, args) in tools {
        let copy = TempDir::new().expect("tmp");
        for name in names {
            fs::write(copy.path().join(std::ffi::OsStr::from_bytes(name)), FIXABLE_PY).expect("write");
        }
        let mut child = Command::new(tool)
            .args(args)
            .current_dir(copy.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{tool} must be installed for this test: {e}"));
        {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(&diff).expect("feeds");
        }
        let result = child.wait_with_output().expect("output");
        assert!(result.status.success(), "{tool}: {}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
        for name in names {
            let name = std::ffi::OsStr::from_bytes(name);
            assert_eq!(
                fs::read(copy.path().join(name)).expect("patched"),
                fs::read(expected.path().join(name)).expect("fixed"),
                "{tool}: {name:?}"
            );
        }
    }
}

/// Item 18: a file named twice (relative and absolute) is linted and fixed once.
#[test]
fn a_file_named_twice_is_linted_and_fixed_once() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", FIXABLE_PY);
    let absolute = dir.path().join("a.py");
    let out = ctxlint(dir.path()).args(["--format", "json"]).arg("a.py").arg(&absolute).arg("./a.py").output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["summary"]["files_checked"], 1);
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(1));
    // and a named file reached again by walking its directory by another spelling
    let out = ctxlint(dir.path()).args(["--format", "json"]).arg(&absolute).arg(".").output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["summary"]["files_checked"], 1);

    let out = ctxlint(dir.path()).arg("--fix").arg("a.py").arg(&absolute).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Fixed 1 problem in 1 file"), "{}", String::from_utf8_lossy(&out.stdout));
    let text = fs::read_to_string(&absolute).expect("read");
    assert_eq!(text.matches("copy_context").count(), 1, "{text}");
}

/// Item 18: `--max-file-size 0.4` is not "no limit" in disguise.
#[test]
fn a_size_below_one_byte_is_an_error() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bad.py", BAD_PY);
    for size in ["0.4", "0.4B"] {
        let out = ctxlint(dir.path()).args(["--max-file-size", size, "."]).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{size}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("less than one byte (0 means no limit)"));
    }
    write(dir.path(), "ctxlint.toml", b"max-file-size = \"0.4\"\n");
    let out = ctxlint(dir.path()).arg(".").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("less than one byte"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Item 18: with stdout closed the report cannot be delivered: say so and exit 2, before touching any file.
#[test]
fn a_closed_stdout_is_an_error_not_a_silent_loss() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "a.py", FIXABLE_PY);
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(bin())
        .args(["--fix", "a.py"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output is closed"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read(dir.path().join("a.py")).expect("read"), FIXABLE_PY, "nothing written when nothing can be reported");
    // `-o FILE` needs no stdout
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(bin())
        .args(["-o", "report.txt", "a.py"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs::read_to_string(dir.path().join("report.txt")).expect("report").contains("py/executor-without-context"));
    // `ctxlint rules` too
    let out = Command::new("sh").arg("-c").arg("exec \"$0\" rules >&-").arg(bin()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
