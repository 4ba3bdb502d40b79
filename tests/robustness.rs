//! Strange input through the built binary and the library: ctxlint keeps going, reports clearly, never panics, and
//! positions stay right.
use std::fs;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use tempfile::TempDir;

mod common;
use common::{ctxlint, write};

const BAD_PY: &[u8] = b"import asyncio\n\n\nasync def handle():\n    asyncio.create_task(work())\n";

/// Nothing a user gives ctxlint may end in a Rust panic message or a backtrace.
fn assert_no_panic(out: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0..=2)), "killed or crashed: {:?}\n{stderr}", out.status);
}

#[test]
fn binary_files_are_skipped_and_counted_on_disk_and_on_stdin() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "blob.js", b"\x7fELF\x00\x01\x02setTimeout(() => {})");
    write(dir.path(), "ok.py", b"x = 1\n");
    ctxlint(dir.path())
        .arg(".")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All checks passed: 1 file checked in").and(predicate::str::contains("1 skipped (binary)")));
    ctxlint(dir.path())
        .args(["--stdin-filename", "a.ts", "-"])
        .write_stdin(&b"const a = 1;\0\0"[..])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 files checked").and(predicate::str::contains("1 skipped (binary)")));
}

/// An invalid byte is read as one `?`: lines, columns and byte offsets of findings are those of the file.
#[test]
fn invalid_utf8_keeps_positions() {
    let dir = TempDir::new().expect("tmp");
    let src = b"import asyncio\n# caf\xe9 \xff\xfe\n\nasync def handle():\n    name = '\xe9'; asyncio.create_task(work())\n";
    write(dir.path(), "latin1.py", src);
    let out = ctxlint(dir.path()).args(["--format", "json", "latin1.py"]).output().expect("runs");
    assert_no_panic(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("latin1.py: not valid UTF-8; linted with each invalid byte read as `?`"));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "py/dangling-task");
    let at = src.windows(19).position(|w| w == b"asyncio.create_task").expect("call");
    assert_eq!(f["start_byte"], at, "byte offsets are the file's");
    assert_eq!((f["start"]["line"].as_u64(), f["start"]["column"].as_u64()), (Some(5), Some(17)));
}

#[test]
fn bom_crlf_lone_cr_and_empty_files() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "bom.py", b"\xef\xbb\xbfimport asyncio\n\n\nasync def f():\n    asyncio.create_task(g())\n");
    write(dir.path(), "crlf.py", b"import asyncio\r\n\r\n\r\nasync def f():\r\n    asyncio.create_task(g())\r\n");
    write(dir.path(), "cr.py", b"import asyncio\r\r\rasync def f():\r    asyncio.create_task(g())\r");
    for empty in ["empty.py", "empty.js", "empty.ts", "empty.tsx", "empty.rs"] {
        write(dir.path(), empty, b"");
    }
    let out = ctxlint(dir.path()).arg(".").output().expect("runs");
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for at in ["bom.py:5:5", "crlf.py:5:5", "cr.py:5:5"] {
        assert!(stdout.contains(at), "{at} missing:\n{stdout}");
    }
    assert!(stdout.contains("Found 3 problems (0 errors, 3 warnings): 8 files checked"), "{stdout}");
    assert!(!stdout.contains("parse-error"), "{stdout}");
}

/// A 241-byte TypeScript file that keeps tree-sitter-typescript backtracking for minutes (found by the `fix` fuzz
/// target): the parse is cancelled when it runs out of its budget, the file is skipped with a notice, the rest linted.
#[test]
fn a_file_that_makes_the_parser_slow_is_cancelled_with_a_notice() {
    let input = fs::read("tests/robustness/typescript-backtracking.ts.input").expect("input");
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "slow.ts", &input);
    write(dir.path(), "bad.py", BAD_PY);
    let start = Instant::now();
    let out = ctxlint(dir.path()).arg(".").output().expect("runs");
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "the finding in bad.py counts; the slow file is a notice, not an error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("notice: slow.ts: parsing took longer than 5 s; skipped"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 file checked in"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 skipped (too slow to parse)"));
}

/// The budget cancels the parse, and the same parser then parses the next file normally.
#[test]
fn the_parse_budget_cancels_and_the_parser_is_reusable() {
    use ctxlint::engine::{EngineError, Workspace};
    use ctxlint::lang::Lang;
    let input = fs::read_to_string("tests/robustness/typescript-backtracking.ts.input").expect("input");
    let mut ws = Workspace::default();
    let start = Instant::now();
    let err = ws.parse_within(Lang::TypeScript, &input, Duration::from_millis(300)).expect_err("cancelled");
    assert!(matches!(err, EngineError::OutOfTime(_)), "{err}");
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    let tree = ws.parse(Lang::TypeScript, "const a: number = 1;\n").expect("parses");
    assert!(!tree.root_node().has_error());
    assert_eq!(tree.root_node().end_byte(), 21);
}

/// A 20 MB minified bundle on one line is linted (not skipped), in one piece.
#[test]
fn a_20_mb_single_line_file() {
    let dir = TempDir::new().expect("tmp");
    let unit = "var a=function(b){return b&&b.c?setTimeout(function(){b.d()},1):null},e={f:1,g:[1,2,3]};";
    let mut text = String::with_capacity(20 * 1024 * 1024 + unit.len());
    while text.len() < 20 * 1024 * 1024 {
        text.push_str(unit);
    }
    write(dir.path(), "bundle.min.js", text.as_bytes());
    let out = ctxlint(dir.path()).arg("bundle.min.js").output().expect("runs");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("All checks passed: 1 file checked"));
}

/// 50,000 levels of nesting in every language: no stack overflow anywhere (walks are iterative).
#[test]
fn nesting_50000_levels_deep() {
    let dir = TempDir::new().expect("tmp");
    let depth = 50_000;
    let js = format!(
        "const tracer = trace.getTracer('x');\nconst a = {}1{};\nsetTimeout(() => tracer.startSpan('x'), 1);\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let py = format!("import asyncio\nx = {}1{}\nasyncio.create_task(g())\n", "(".repeat(depth), ")".repeat(depth));
    let rs = format!("fn f() {{ let a = {}1{}; tokio::spawn(g()); }}\n", "(".repeat(depth), ")".repeat(depth));
    let fns = format!("{}x{}\n", "function f() { ".repeat(depth / 10), " }".repeat(depth / 10));
    write(dir.path(), "deep.js", js.as_bytes());
    write(dir.path(), "deep.py", py.as_bytes());
    write(dir.path(), "deep.rs", rs.as_bytes());
    write(dir.path(), "deep_fns.ts", fns.as_bytes());
    let out = ctxlint(dir.path()).arg(".").output().expect("runs");
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("4 files checked"), "{stdout}");
    assert!(stdout.contains("deep.py:3:1"), "the finding after the deep expression is still found:\n{stdout}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_symlinks_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "src/bad.py", BAD_PY);
    symlink("..", dir.path().join("src/loop")).expect("symlink");
    symlink("nowhere.py", dir.path().join("src/dangling.py")).expect("symlink");
    symlink("a", dir.path().join("b")).expect("symlink");
    symlink("b", dir.path().join("a")).expect("symlink");
    let out = ctxlint(dir.path()).arg(".").timeout(Duration::from_secs(60)).output().expect("runs");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 problem (0 errors, 1 warning): 1 file checked"));
    // named on the command line, a dangling link is a missing path
    ctxlint(dir.path())
        .arg("src/dangling.py")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("src/dangling.py: no such file or directory"));
}

/// Unreadable files and directories: an error each, the rest is linted, exit 2 at the end. Root reads everything, so
/// as root the binary runs as `nobody` (util-linux `setpriv`).
#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_errors_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "ok/bad.py", BAD_PY);
    write(dir.path(), "secret.py", BAD_PY);
    write(dir.path(), "locked/inner.py", BAD_PY);
    for d in [dir.path(), &dir.path().join("ok")] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    fs::set_permissions(dir.path().join("ok/bad.py"), fs::Permissions::from_mode(0o644)).expect("chmod");
    fs::set_permissions(dir.path().join("secret.py"), fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::set_permissions(dir.path().join("locked"), fs::Permissions::from_mode(0o000)).expect("chmod");
    let bin = assert_cmd::cargo::cargo_bin("ctxlint");
    let is_root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
    let mut cmd = if is_root {
        // `nobody` must be able to reach the binary and the directory
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let out = cmd.current_dir(dir.path()).env("NO_COLOR", "1").arg(".").output().expect("runs");
    fs::set_permissions(dir.path().join("locked"), fs::Permissions::from_mode(0o755)).expect("chmod");
    if is_root && String::from_utf8_lossy(&out.stderr).contains("Permission denied (os error 13)") && out.stdout.is_empty() {
        panic!("nobody cannot run the test binary from here: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("secret.py: permission denied"), "{stderr}");
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok/bad.py:5:5"), "the readable file is still linted");
}

/// Files deleted while the walk and the lint run: no panic, each vanished file at most one line of error.
#[test]
fn files_deleted_during_the_run() {
    let dir = TempDir::new().expect("tmp");
    for i in 0..3000 {
        write(dir.path(), &format!("pkg{}/m{i}.py", i % 30), BAD_PY);
    }
    let root = dir.path().to_path_buf();
    let deleter = std::thread::spawn(move || {
        for i in (0..3000).rev() {
            let _ = fs::remove_file(root.join(format!("pkg{}/m{i}.py", i % 30)));
        }
    });
    let out = ctxlint(dir.path()).args(["--format", "json", "."]).output().expect("runs");
    deleter.join().expect("deleter");
    assert_no_panic(&out);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON even so");
    assert!(doc["summary"]["files_checked"].as_u64().is_some());
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        // all deleted before the walk reached them: a run that lints nothing says so
        let nothing_linted = line.starts_with("warning: no file was linted");
        assert!(nothing_linted || (line.starts_with("error: ") && line.contains("no such file or directory")), "{line}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_linted_and_shown_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().expect("tmp");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    fs::write(dir.path().join(name), BAD_PY).expect("write");
    let out = ctxlint(dir.path()).arg(".").output().expect("runs");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("caf\u{fffd}.py:5:5"));
    let json = ctxlint(dir.path()).args(["--format", "json", "."]).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(doc["findings"][0]["path"], "caf\u{fffd}.py");
}

#[test]
fn a_path_given_twice_is_linted_once() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "src/bad.py", BAD_PY);
    let out = ctxlint(dir.path()).args(["src/bad.py", "src/bad.py", "./src/bad.py", "src", "."]).output().expect("runs");
    assert_no_panic(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("src/bad.py:5:5").count(), 1, "{stdout}");
    assert!(stdout.contains("1 file checked"), "{stdout}");
}

/// 100,000 empty files: peak memory stays well under what the files would cost if anything were kept per file.
#[cfg(target_os = "linux")]
#[test]
fn a_hundred_thousand_empty_files_keep_memory_flat() {
    let dir = TempDir::new().expect("tmp");
    for d in 0..100 {
        let sub = dir.path().join(format!("d{d}"));
        fs::create_dir(&sub).expect("mkdir");
        for f in 0..1000 {
            fs::File::create(sub.join(format!("f{f}.py"))).expect("create");
        }
    }
    let bin = assert_cmd::cargo::cargo_bin("ctxlint");
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "maxrss_kb=%M"])
        .arg(&bin)
        .arg(".")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("GNU time runs (Debian package `time`)");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("All checks passed: 100000 files checked"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kb: u64 = stderr.lines().find_map(|l| l.strip_prefix("maxrss_kb=")).and_then(|v| v.trim().parse().ok()).expect("maxrss");
    // measured: 31 MB (release) and 38 MB (debug), against 15 MB for 1,000 files
    assert!(kb < 100 * 1024, "peak RSS {kb} kB for 100,000 empty files");
}

/// Nothing in the product can reach the network: no HTTP, TLS or async-runtime crate is in the dependency tree
/// (rules and configuration are data: TOML and tree-sitter queries, never code).
#[test]
fn no_network_crate_is_linked() {
    let lock = fs::read_to_string("Cargo.lock").expect("Cargo.lock");
    let names: Vec<&str> = lock.lines().filter_map(|l| l.strip_prefix("name = \"")).map(|l| l.trim_end_matches('"')).collect();
    assert!(names.contains(&"tree-sitter"), "not the lockfile expected");
    let network = ["reqwest", "hyper", "ureq", "curl", "isahc", "surf", "tokio", "async-std", "native-tls", "rustls", "openssl", "mio"];
    // the lockfile also holds the test tools, so this is stricter than the product needs
    let found: Vec<&&str> = network.iter().filter(|n| names.contains(n)).collect();
    assert!(found.is_empty(), "network crates in Cargo.lock: {found:?}");
}

/// Standard input that is not UTF-8 is linted like such a file, and `--fix` gives it back byte for byte.
#[test]
fn invalid_utf8_on_standard_input() {
    let dir = TempDir::new().expect("tmp");
    let src = b"import asyncio\n# caf\xe9\n\nasync def handle():\n    asyncio.create_task(work())\n";
    let out = ctxlint(dir.path()).args(["--stdin-filename", "a.py", "-"]).write_stdin(&src[..]).output().expect("runs");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("a.py:5:5"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a.py: not valid UTF-8"));
    let fixed = ctxlint(dir.path()).args(["--fix", "--stdin-filename", "a.py", "-"]).write_stdin(&src[..]).output().expect("runs");
    assert_no_panic(&fixed);
    assert_eq!(fixed.stdout, src.to_vec());
}
