//! Suppression comments and text shapes that used to lose or corrupt the user's code: the `unused-suppression` fix
//! next to code on the same line, a byte order mark pushed off byte 0 by an import or a comment, `--add-ignore`
//! comments written into strings, templates, JSX text or after a line continuation, and old-Mac (`\r`) line endings.
use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::{ctxlint, write};

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).expect("read")
}

fn text(dir: &Path, rel: &str) -> String {
    String::from_utf8(read(dir, rel)).expect("utf-8")
}

/// Runs ctxlint with `args` and returns (exit code, stdout, stderr), after checking it did not panic.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = ctxlint(dir).args(args).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

/// CPython compiles the file (it reads the bytes itself, so a misplaced byte order mark or a line ending counts).
fn assert_cpython_compiles(dir: &Path, rel: &str) {
    let out = std::process::Command::new("python3")
        .current_dir(dir)
        .args(["-c", "import sys; f = sys.argv[1]; compile(open(f, 'rb').read(), f, 'exec')", rel])
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{rel} does not compile:\n{}\n{}", String::from_utf8_lossy(&out.stderr), text(dir, rel));
}

/// A project whose JavaScript context manager is `stack` (the browser SDK), where timers lose the context.
const STACK_PACKAGE: &[u8] = br#"{"dependencies": {"@opentelemetry/api": "^1.9.0", "@opentelemetry/sdk-trace-web": "^2.12.0"}}"#;

const BOM: &[u8] = b"\xef\xbb\xbf";

fn with_bom(rest: &str) -> Vec<u8> {
    [BOM, rest.as_bytes()].concat()
}

// 1. The `unused-suppression` fix next to code on the same line.

#[test]
fn unused_suppression_fix_removes_only_a_block_comment_that_shares_its_line_with_code() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", STACK_PACKAGE);
    write(
        dir.path(),
        "poll.js",
        b"function poll(update) {\n    /* ctxlint-ignore[js/unbound-timer]: polling */ setInterval(update, 1000);\n}\npoll();\n",
    );
    write(
        dir.path(),
        "lib.rs",
        b"fn main() {\n    /* ctxlint-ignore[rs/spawn-without-instrument]: x */ let total = compute();\n    a(); /* ctxlint-ignore[rs/guard-across-await]: y */ b();\n    c();/* ctxlint-ignore[rs/guard-across-await]: z */d();\n    e(); /* ctxlint-ignore[rs/guard-across-await]: trailing */\n}\n",
    );
    let (code, stdout, _) = run(dir.path(), &["."]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(stdout.matches("unused-suppression").count(), 5, "{stdout}");
    let (code, stdout, stderr) = run(dir.path(), &["--fix", "."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(text(dir.path(), "poll.js"), "function poll(update) {\n    setInterval(update, 1000);\n}\npoll();\n");
    assert_eq!(text(dir.path(), "lib.rs"), "fn main() {\n    let total = compute();\n    a(); b();\n    c();d();\n    e();\n}\n");
    // nothing is left to fix: a second run changes nothing
    let before = (read(dir.path(), "poll.js"), read(dir.path(), "lib.rs"));
    let (code, _, _) = run(dir.path(), &["--fix", "."]);
    assert_eq!(code, 0);
    assert_eq!((read(dir.path(), "poll.js"), read(dir.path(), "lib.rs")), before);
}

/// A block comment followed by code on its line suppresses that line (it used to apply to the next line, so it was
/// reported unused and its fix deleted the very call it was written for).
#[test]
fn a_block_comment_before_code_suppresses_its_own_line() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", STACK_PACKAGE);
    let src = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  /* ctxlint-ignore[js/unbound-timer]: polling */ setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";
    write(dir.path(), "a.js", src.as_bytes());
    let (code, stdout, _) = run(dir.path(), &["a.js"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("1 suppressed"), "{stdout}");
    let (code, _, _) = run(dir.path(), &["--fix", "a.js"]);
    assert_eq!(code, 0);
    assert_eq!(text(dir.path(), "a.js"), src);
}

// 2. A byte order mark stays at byte 0.

/// The file starts with the mark, once, and `rest` follows it.
fn assert_bom_then(dir: &Path, rel: &str, rest: &str) {
    let bytes = read(dir, rel);
    assert!(bytes.starts_with(BOM), "{rel}: the BOM moved: {:?}", String::from_utf8_lossy(&bytes));
    let after = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(!after.contains('\u{feff}'), "{rel}: a second BOM: {after:?}");
    assert!(after.starts_with(rest), "{rel}: {after:?} does not start with {rest:?}");
}

#[test]
fn fixes_insert_imports_after_a_byte_order_mark() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", STACK_PACKAGE);
    write(
        dir.path(),
        "job.py",
        &with_bom("def on_request(request, job):\n    import threading\n    threading.Thread(target=job.run).start()\n"),
    );
    write(
        dir.path(),
        "timer.js",
        &with_bom("tracer.startActiveSpan('a', (s) => { setTimeout(() => tracer.startSpan('b').end(), 1); s.end(); });\n"),
    );
    write(dir.path(), "spawn.rs", &with_bom("#[tracing::instrument] async fn h() { tokio::spawn(work()); }\n"));
    let (code, stdout, stderr) = run(dir.path(), &["--fix", "."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Fixed 3 problems in 3 files"), "{stdout}");
    assert_bom_then(dir.path(), "job.py", "import contextvars\ndef on_request(request, job):");
    assert_cpython_compiles(dir.path(), "job.py");
    assert_bom_then(dir.path(), "timer.js", "import { context } from '@opentelemetry/api';\ntracer.startActiveSpan(");
    assert_bom_then(dir.path(), "spawn.rs", "use tracing::Instrument;\n#[tracing::instrument]");
}

#[test]
fn add_ignore_on_line_one_writes_after_a_byte_order_mark() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", STACK_PACKAGE);
    write(dir.path(), "task.py", &with_bom("asyncio.create_task(work())\n"));
    write(
        dir.path(),
        "timer.js",
        &with_bom("tracer.startActiveSpan('a', (s) => { setTimeout(() => tracer.startSpan('b').end(), 1); s.end(); });\n"),
    );
    write(dir.path(), "spawn.rs", &with_bom("#[tracing::instrument] async fn h() { tokio::spawn(work()); }\n"));
    let (code, stdout, stderr) = run(dir.path(), &["--add-ignore", "."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "Added 3 suppression comments to 3 files.\n");
    assert_bom_then(dir.path(), "task.py", "# ctxlint-ignore[py/dangling-task]\nasyncio.create_task(work())\n");
    assert_cpython_compiles(dir.path(), "task.py");
    assert_bom_then(dir.path(), "timer.js", "// ctxlint-ignore[js/unbound-timer]\ntracer.startActiveSpan(");
    assert_bom_then(dir.path(), "spawn.rs", "// ctxlint-ignore[rs/spawn-without-instrument]\n#[tracing::instrument]");
    let (code, stdout, _) = run(dir.path(), &["."]);
    assert_eq!(code, 0, "{stdout}");
}

// 3. `--add-ignore` inside multi-line strings, templates, JSX text and continuations.

/// One shape: a file, its text, and the text `--add-ignore` must turn it into.
struct Shape {
    rel: &'static str,
    before: &'static str,
    after: &'static str,
}

const SHAPES: &[Shape] = &[
    // the finding is on the line that closes a triple-quoted string
    Shape {
        rel: "triple.py",
        before: "import threading\n\n\ndef on_request(request, job):\n    print(\"\"\"\n    text\n    \"\"\", threading.Thread(target=job.run).start())\n",
        after: "import threading\n\n\ndef on_request(request, job):\n    # ctxlint-ignore[py/executor-without-context]\n    print(\"\"\"\n    text\n    \"\"\", threading.Thread(target=job.run).start())\n",
    },
    // the finding is on a line continued with a backslash
    Shape {
        rel: "continued.py",
        before: "import threading\n\n\ndef other(request, job):\n    x = 1 + \\\n        threading.Thread(target=job.run).start()\n",
        after: "import threading\n\n\ndef other(request, job):\n    # ctxlint-ignore[py/executor-without-context]\n    x = 1 + \\\n        threading.Thread(target=job.run).start()\n",
    },
    // inside a template literal's substitution, on a line that starts in the template
    Shape {
        rel: "template.js",
        before: "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  const html = `\n    ${setTimeout(() => tracer.startSpan('b').end(), 1)}\n  `;\n  s.end();\n});\n",
        after: "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  // ctxlint-ignore[js/unbound-timer]\n  const html = `\n    ${setTimeout(() => tracer.startSpan('b').end(), 1)}\n  `;\n  s.end();\n});\n",
    },
    // in JSX text: the comment goes above the element, inside the parentheses
    Shape {
        rel: "view.jsx",
        before: "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  const el = (\n    <div>\n      hello {setTimeout(() => tracer.startSpan('b').end(), 1)}\n    </div>\n  );\n  s.end();\n});\n",
        after: "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  const el = (\n    // ctxlint-ignore[js/unbound-timer]\n    <div>\n      hello {setTimeout(() => tracer.startSpan('b').end(), 1)}\n    </div>\n  );\n  s.end();\n});\n",
    },
    // after a raw string that spans lines, indented or not
    Shape {
        rel: "raw.rs",
        before: "#[tracing::instrument]\nasync fn handler() {\n    log(r#\"\n    \"#, tokio::spawn(work()));\n    let _ = (r#\"\n\"#, tokio::spawn(work()));\n}\n",
        after: "#[tracing::instrument]\nasync fn handler() {\n    // ctxlint-ignore[rs/spawn-without-instrument]\n    log(r#\"\n    \"#, tokio::spawn(work()));\n    // ctxlint-ignore[rs/spawn-without-instrument]\n    let _ = (r#\"\n\"#, tokio::spawn(work()));\n}\n",
    },
];

#[test]
fn add_ignore_puts_the_comment_above_a_statement_whose_line_starts_in_a_string() {
    let dir = TempDir::new().expect("tmp");
    write(dir.path(), "package.json", STACK_PACKAGE);
    for shape in SHAPES {
        write(dir.path(), shape.rel, shape.before.as_bytes());
        let (code, stdout, _) = run(dir.path(), &[shape.rel]);
        assert_eq!(code, 1, "{}: no finding to suppress:\n{stdout}", shape.rel);
    }
    let (code, stdout, stderr) = run(dir.path(), &["--add-ignore", "."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "Added 6 suppression comments to 5 files.\n", "{stderr}");
    for shape in SHAPES {
        assert_eq!(text(dir.path(), shape.rel), shape.after, "{}", shape.rel);
        let (code, stdout, _) = run(dir.path(), &["--format", "json", shape.rel]);
        assert_eq!(code, 0, "{}: the finding is not suppressed:\n{stdout}", shape.rel);
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        let findings = doc["findings"].as_array().expect("findings");
        assert!(!findings.is_empty() && findings.iter().all(|f| !f["suppressed"].is_null()), "{}: {stdout}", shape.rel);
    }
    for rel in ["triple.py", "continued.py"] {
        assert_cpython_compiles(dir.path(), rel);
    }
    let (code, stdout, _) = run(dir.path(), &["--add-ignore", "."]);
    assert_eq!((code, stdout.as_str()), (0, "Added 0 suppression comments to 0 files.\n"));
    for shape in SHAPES {
        assert_eq!(text(dir.path(), shape.rel), shape.after, "{}: changed by the second --add-ignore", shape.rel);
    }
}

/// The comment above a statement suppresses only the lines of it that cannot hold a comment: a finding on a later
/// line of the statement that could hold one of its own stays reported.
#[test]
fn a_comment_above_a_statement_does_not_reach_lines_that_could_hold_their_own() {
    let dir = TempDir::new().expect("tmp");
    let src = "import threading\n\n\ndef on_request(request, job):\n    # ctxlint-ignore[py/executor-without-context]: first one only\n    print(\"\"\"\n    \"\"\", threading.Thread(target=job.run).start(),\n          threading.Thread(target=job.run).start())\n";
    write(dir.path(), "a.py", src.as_bytes());
    let (code, stdout, _) = run(dir.path(), &["--format", "json", "a.py"]);
    assert_eq!(code, 1, "{stdout}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let lines: Vec<(u64, bool)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["start"]["line"].as_u64().expect("line"), !f["suppressed"].is_null()))
        .collect();
    assert_eq!(lines, [(7, true), (8, false)]);
}

// 16. Old-Mac line endings: lone `\r`.

#[test]
fn lone_cr_files_are_suppressed_annotated_and_fixed() {
    let dir = TempDir::new().expect("tmp");
    write(
        dir.path(),
        "kept.py",
        b"import asyncio\r\rasync def f():\r    # ctxlint-ignore[py/dangling-task]: x\r    asyncio.create_task(g())\r",
    );
    write(dir.path(), "task.py", b"import asyncio\r\rasync def f():\r    asyncio.create_task(g())\r");
    write(dir.path(), "job.py", b"import threading\r\rdef on_request(request, job):\r    threading.Thread(target=job.run).start()\r");
    assert_cpython_compiles(dir.path(), "job.py");

    let (code, stdout, _) = run(dir.path(), &["kept.py"]);
    assert_eq!(code, 0, "the suppression applies:\n{stdout}");
    assert!(stdout.contains("1 suppressed"), "{stdout}");

    let (code, stdout, stderr) = run(dir.path(), &["--add-ignore", "task.py"]);
    assert_eq!((code, stdout.as_str()), (0, "Added 1 suppression comment to 1 file.\n"), "{stderr}");
    let annotated = text(dir.path(), "task.py");
    assert_eq!(annotated, "import asyncio\r\rasync def f():\r    # ctxlint-ignore[py/dangling-task]\r    asyncio.create_task(g())\r");
    let (code, stdout, _) = run(dir.path(), &["--add-ignore", "task.py"]);
    assert_eq!((code, stdout.as_str()), (0, "Added 0 suppression comments to 0 files.\n"));
    assert_eq!(text(dir.path(), "task.py"), annotated);

    let (code, stdout, stderr) = run(dir.path(), &["--fix", "job.py"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stderr.contains("does not parse"), "{stderr}");
    assert_eq!(
        text(dir.path(), "job.py"),
        "import contextvars\rimport threading\r\rdef on_request(request, job):\r    threading.Thread(target=contextvars.copy_context().run, args=(job.run,)).start()\r"
    );
    assert_cpython_compiles(dir.path(), "job.py");
}
