//! Applying a rule's fix gives exactly the expected text, including the import it adds in the file's own style.
use std::path::Path;

use ctxlint::jsmodel::JsModelChoice;
use ctxlint::run::{lint_text, RunOptions};

fn fixed(path: &str, source: &str, rule: &str, options: &RunOptions) -> String {
    let findings = lint_text(Path::new(path), source, options).expect("lints");
    let finding = findings.iter().find(|f| &*f.rule == rule).unwrap_or_else(|| panic!("no {rule} finding"));
    let fix = finding.fix.as_ref().expect("a fix");
    let out = fix.apply(source).expect("edits apply");
    let again = lint_text(Path::new(path), &out, options).expect("lints");
    assert!(
        !again.iter().any(|f| &*f.rule == rule || &*f.rule == "parse-error"),
        "after the fix: {:?}",
        again.iter().map(|f| &f.rule).collect::<Vec<_>>()
    );
    out
}

#[test]
fn rust_spawn_gets_in_current_span_and_the_trait_import() {
    let src = "use tracing::info_span;\n\nfn handler() {\n    let _e = info_span!(\"req\").entered();\n    tokio::spawn(async move { work().await });\n}\n";
    let want = "use tracing::info_span;\nuse tracing::Instrument;\n\nfn handler() {\n    let _e = info_span!(\"req\").entered();\n    tokio::spawn(async move { work().await }.in_current_span());\n}\n";
    assert_eq!(fixed("a.rs", src, "rs/spawn-without-instrument", &RunOptions::default()), want);
}

#[test]
fn rust_spawn_in_an_opentelemetry_scope_gets_with_current_context() {
    let src = "use opentelemetry::Context;\n\nasync fn handler(cx: Context) {\n    async move {\n        tokio::spawn(work());\n    }\n    .with_context(cx)\n    .await;\n}\n";
    let out = fixed("a.rs", src, "rs/spawn-without-instrument", &RunOptions::default());
    assert!(out.contains("use opentelemetry::context::FutureExt;\n"), "{out}");
    assert!(out.contains("tokio::spawn(work().with_current_context());"), "{out}");
}

#[test]
fn python_submit_gets_a_fresh_context_copy_and_the_import() {
    let src = "\"\"\"Billing.\"\"\"\nfrom concurrent.futures import ThreadPoolExecutor\n\n\ndef handle(request, order):\n    with ThreadPoolExecutor() as pool:\n        pool.submit(charge, order)\n";
    let want = "\"\"\"Billing.\"\"\"\nimport contextvars\nfrom concurrent.futures import ThreadPoolExecutor\n\n\ndef handle(request, order):\n    with ThreadPoolExecutor() as pool:\n        pool.submit(contextvars.copy_context().run, charge, order)\n";
    assert_eq!(fixed("a.py", src, "py/executor-without-context", &RunOptions::default()), want);
}

#[test]
fn python_attach_gets_try_finally_with_crlf_and_tabs_kept() {
    let src = "from opentelemetry import context\r\n\r\ndef consume(msg):\r\n\ttoken = context.attach(ctx)\r\n\tprocess(msg)\r\n\tcontext.detach(token)\r\n";
    let want = "from opentelemetry import context\r\n\r\ndef consume(msg):\r\n\ttoken = context.attach(ctx)\r\n\ttry:\r\n\t\tprocess(msg)\r\n\tfinally:\r\n\t\tcontext.detach(token)\r\n";
    assert_eq!(fixed("a.py", src, "py/attach-without-detach", &RunOptions::default()), want);
}

#[test]
fn js_timer_gets_context_bind_and_a_named_import_added_to_the_existing_one() {
    let src = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(() => tracer.startSpan('b').end(), 1);\n  s.end();\n});\n";
    let want = "import { trace, context } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\ntracer.startActiveSpan('a', (s) => {\n  setTimeout(context.bind(context.active(), () => tracer.startSpan('b').end()), 1);\n  s.end();\n});\n";
    let options = RunOptions { js_model: JsModelChoice::Stack, ..RunOptions::default() };
    assert_eq!(fixed("a.js", src, "js/unbound-timer", &options), want);
}

#[test]
fn js_timer_in_commonjs_gets_a_require() {
    let src = "'use strict';\nconst { trace } = require('@opentelemetry/api');\nconst tracer = trace.getTracer('x');\nfunction f() {\n  tracer.startActiveSpan('a', (s) => {\n    setTimeout(() => tracer.startSpan('b').end(), 1);\n  });\n}\n";
    let options = RunOptions { js_model: JsModelChoice::Stack, ..RunOptions::default() };
    let out = fixed("a.js", src, "js/unbound-timer", &options);
    assert!(out.contains("const { trace, context } = require('@opentelemetry/api');\n") && out.matches("require(").count() == 1, "{out}");
}

fn fix_all(path: &str, source: &str) -> ctxlint::report::Report {
    use ctxlint::report::FixOptions;
    let options = RunOptions { fix: FixOptions { apply: true, ..FixOptions::default() }, ..RunOptions::default() };
    ctxlint::run::lint_stdin(Path::new(path), source.to_string(), &options).expect("lints")
}

/// The attach fix rewrites the whole rest of the block, so the executor fix inside it clashes and waits for a second
/// pass on the re-linted text: both land.
#[test]
fn clashing_fixes_of_two_rules_both_land_over_two_passes() {
    let src = "from concurrent.futures import ThreadPoolExecutor\n\nfrom opentelemetry import context\n\n\ndef consume(request, msg, pool: ThreadPoolExecutor):\n    token = context.attach(ctx)\n    pool.submit(handle, msg)\n    context.detach(token)\n";
    let want = "import contextvars\nfrom concurrent.futures import ThreadPoolExecutor\n\nfrom opentelemetry import context\n\n\ndef consume(request, msg, pool: ThreadPoolExecutor):\n    token = context.attach(ctx)\n    try:\n        pool.submit(contextvars.copy_context().run, handle, msg)\n    finally:\n        context.detach(token)\n";
    let report = fix_all("a.py", src);
    assert_eq!(report.fixed.len(), 1);
    assert_eq!(report.fixed[0].text, want);
    assert_eq!(report.fixed[0].applied, 2);
    assert!(report.findings.is_empty() && report.notices.is_empty(), "{:?} {:?}", report.findings, report.notices);
}

/// Three JS fixes each add the same `context` import: the identical edit is applied once, and nested fixes (a timer
/// inside a listener) compose.
#[test]
fn fixes_sharing_an_import_and_nested_fixes_compose() {
    let src = "import { trace } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\n\nexport function start(emitter) {\n  tracer.startActiveSpan('a', (span) => {\n    emitter.on('tick', () => {\n      setTimeout(() => tracer.startSpan('b').end(), 1);\n    });\n    setTimeout(() => tracer.startSpan('c').end(), 1);\n    span.end();\n  });\n}\n";
    let want = "import { trace, context } from '@opentelemetry/api';\nconst tracer = trace.getTracer('x');\n\nexport function start(emitter) {\n  tracer.startActiveSpan('a', (span) => {\n    emitter.on('tick', context.bind(context.active(), () => {\n      setTimeout(context.bind(context.active(), () => tracer.startSpan('b').end()), 1);\n    }));\n    setTimeout(context.bind(context.active(), () => tracer.startSpan('c').end()), 1);\n    span.end();\n  });\n}\n";
    let dir = tempfile::TempDir::new().expect("tmp");
    std::fs::write(dir.path().join("package.json"), r#"{"dependencies": {"@opentelemetry/sdk-trace-web": "2"}}"#).expect("write");
    let path = dir.path().join("a.js");
    let report = fix_all(path.to_str().expect("utf-8 path"), src);
    assert_eq!(report.fixed.len(), 1, "{:?}", report.notices);
    assert_eq!(report.fixed[0].text, want);
    assert_eq!(report.fixed[0].applied, 3);
    assert!(report.findings.is_empty(), "{:?}", report.findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
}
