//! The project index on the multi-file fixture projects (tests/fixtures/projects): what a file's rules learn from the
//! other modules of its project, and that `--no-project` (each file alone) does without it. The inline expectations
//! of these files are checked with the index on by tests/fixtures.rs.
use std::path::Path;

use ctxlint::run::{lint_paths, RunOptions};

fn findings(root: &str, no_project: bool) -> Vec<(String, usize, String)> {
    let options = RunOptions { no_project, ..RunOptions::default() };
    let report = lint_paths(&[Path::new(root).to_path_buf()], &options).expect("rules load");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut out: Vec<_> = report
        .unsuppressed()
        .map(|f| (f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), f.start.line, f.message.clone()))
        .collect();
    out.sort();
    out
}

#[test]
fn python_imported_functions_and_pools_are_seen_through_the_index() {
    let with = findings("tests/fixtures/projects/python", false);
    let at: Vec<(&str, usize)> = with.iter().map(|f| (f.0.as_str(), f.1)).collect();
    // jobs.py: a re-exported function doing HTTP, a module attribute, and an imported module-level thread pool;
    // offload.py: a helper with no context of its own that a handler of another module (api/views.py) calls (not
    // the one only startup and a test call, nor the one nobody calls); stream.py: a span helper of another module
    // held across a `yield`, and an imported pool in that helper's scope; consume.py: pika callbacks and a Kafka
    // loop's handler of another module (workers/handlers.py) that start spans without extract (not the one that
    // extracts, nor the one that starts no span); bulk.py: names bound by `from m import *` (a thread pool and a
    // span-starting function; a package `__init__` re-exporting `from .sender import *`), not the process pool nor the
    // function that needs no context; offload.py 17: a helper that bulk.py's handler calls through a `*` import;
    // renderer.py: methods that api/pages.py's handler calls on an instance it made and on the class (not the one
    // called on a receiver of unknown type, nor another class's method of the same name)
    let want = vec![
        ("bulk.py", 17),
        ("bulk.py", 35),
        ("consume.py", 9),
        ("consume.py", 12),
        ("consume.py", 17),
        ("jobs.py", 19),
        ("jobs.py", 25),
        ("jobs.py", 31),
        ("offload.py", 7),
        ("offload.py", 17),
        ("renderer.py", 8),
        ("renderer.py", 13),
        ("stream.py", 8),
        ("stream.py", 21),
    ];
    assert_eq!(at, want, "{with:#?}");
    let executor: Vec<_> = with.iter().filter(|f| f.2.contains("another thread") && f.0 == "jobs.py").collect();
    assert!(executor.iter().all(|f| f.2.contains("the spans started there")), "the far side is known: {with:#?}");
}

#[test]
fn python_consumer_handlers_of_another_module_are_labelled_there() {
    let options = RunOptions::default();
    let report = lint_paths(&[Path::new("tests/fixtures/projects/python/shop/workers").to_path_buf()], &options).expect("rules load");
    let consumer: Vec<_> = report.unsuppressed().filter(|f| &*f.rule == "py/consumer-without-extract").collect();
    assert_eq!(consumer.len(), 3, "{consumer:#?}");
    for f in consumer {
        let labels: Vec<&str> = f.labels.iter().map(|l| l.message.as_str()).collect();
        assert!(labels.iter().any(|l| l.contains("another module")), "{labels:?}");
    }
}

#[test]
fn python_without_the_index_each_file_is_alone() {
    let alone = findings("tests/fixtures/projects/python", true);
    let at: Vec<(&str, usize)> = alone.iter().map(|f| (f.0.as_str(), f.1)).collect();
    // the imported pool is unknown (jobs.py 31 silent), and an imported callable counts as using the context: the
    // two submits are reported as "defined elsewhere", and so is `render` (44), which the index knows uses none;
    // stream.py's imported span helper is not known to open a span
    // (bulk.py 35 and 36 likewise; its `*`-imported pool is unknown)
    assert_eq!(at, vec![("bulk.py", 35), ("bulk.py", 36), ("jobs.py", 19), ("jobs.py", 25), ("jobs.py", 44)], "{alone:#?}");
    assert!(alone.iter().all(|f| f.2.contains("defined elsewhere")), "{alone:#?}");
}

#[test]
fn rust_builders_called_from_another_modules_span_scope_are_found_through_the_index() {
    let with = findings("tests/fixtures/projects/rust", false);
    let at: Vec<(&str, usize)> = with.iter().map(|f| (f.0.as_str(), f.1)).collect();
    // pipeline/mod.rs: `Sink::build` called from `api::upload` (`#[instrument]`); probes.rs: `start_probes` called
    // after `api::upload` entered a span; `build_metrics` (only startup calls it) and `probes::build` (not the
    // `build` that `api` calls) are silent; platform/linux_watch.rs: the module `crate::watch` that lib.rs declares
    // with `#[path]`, whose `start_watchers` `api::upload` calls; drain.rs: `start_drain`, which `jobs::nightly`
    // (`#[instrument]`) calls through `use crate::pipeline::drain::*;` (not `start_idle_drain`, which nobody calls)
    assert_eq!(at, vec![("drain.rs", 5), ("linux_watch.rs", 6), ("mod.rs", 10), ("probes.rs", 6)], "{with:#?}");
}

#[test]
fn rust_without_the_index_a_helper_with_no_same_file_caller_is_silent() {
    assert_eq!(findings("tests/fixtures/projects/rust", true), vec![]);
}

#[test]
fn typescript_async_exports_and_queues_of_other_modules_are_seen_through_the_index() {
    let with = findings("tests/fixtures/projects/ts", false);
    let at: Vec<(&str, usize)> = with.iter().map(|f| (f.0.as_str(), f.1)).collect();
    // checkout.ts: async functions of another module (through a tsconfig `paths` alias, a namespace import and a
    // barrel's `export *`) called without `await`, and a BullMQ queue made in another module (imported directly
    // and through a renaming re-export); the sync helper, the awaited call, a package's function and a Set are not;
    // consume.ts: a kafkajs and an amqplib handler of another module (a `paths` alias, a namespace import) that start
    // spans without extract, not the one that extracts nor the one that starts no span
    assert_eq!(
        at,
        vec![
            ("checkout.ts", 15),
            ("checkout.ts", 16),
            ("checkout.ts", 17),
            ("checkout.ts", 18),
            ("checkout.ts", 19),
            ("consume.ts", 11),
            ("consume.ts", 23)
        ],
        "{with:#?}"
    );
    let consumer: Vec<_> = with.iter().filter(|f| f.0 == "consume.ts").collect();
    assert!(consumer.iter().all(|f| f.2.contains("kafkajs") || f.2.contains("amqplib")), "{consumer:#?}");
}

#[test]
fn typescript_without_the_index_imported_names_are_unknown() {
    assert_eq!(findings("tests/fixtures/projects/ts", true), vec![]);
}

#[test]
fn workspace_member_packages_resolve_by_name_through_their_exports() {
    let with = findings("tests/fixtures/projects/workspace", false);
    let at: Vec<(&str, usize)> = with.iter().map(|f| (f.0.as_str(), f.1)).collect();
    // routes.ts imports `@acme/lib` and `@acme/lib/queues`: the member's package.json exports name dist/ files,
    // whose source is under src/; the sync function, the awaited call and a package outside the workspace are not
    assert_eq!(at, vec![("routes.ts", 13), ("routes.ts", 14)], "{with:#?}");
    assert_eq!(findings("tests/fixtures/projects/workspace", true), vec![]);
}
