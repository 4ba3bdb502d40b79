//! Runs every fixture under tests/fixtures through the linter and compares the findings with the inline
//! `expect: <rule-id>` comments: a missing or an extra finding fails, with its file and line.
use std::path::{Path, PathBuf};

use ctxlint::expectations;
use ctxlint::lang::Lang;
use ctxlint::run::{lint_paths, RunOptions};

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("fixture dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            // installed dependencies and build output of the witness projects
            if path.file_name().is_some_and(|n| ["node_modules", ".venv", "target", "__pycache__"].contains(&n.to_string_lossy().as_ref()))
            {
                continue;
            }
            fixture_files(&path, out);
        } else if Lang::from_path(&path).is_some() && !path.to_string_lossy().contains(".fixed.") {
            out.push(path);
        }
    }
}

/// (line, rule) pairs: expected vs. found.
fn compare(path: &Path, options: &RunOptions) -> Vec<String> {
    let source = std::fs::read_to_string(path).expect("fixture is UTF-8");
    let lang = Lang::from_path(path).expect("known language");
    let expected = expectations::parse(lang, &source).expect("expectations parse");
    let report = lint_paths(&[path.to_path_buf()], options).expect("rules load");
    assert!(report.errors.is_empty(), "{}: {:?}", path.display(), report.errors);
    let mut found: Vec<(usize, String)> = report.unsuppressed().map(|f| (f.start.line, f.rule.to_string())).collect();
    found.sort();
    let mut problems = Vec::new();
    for e in &expected {
        if !found.contains(e) {
            problems.push(format!("{}:{}: missing {}", path.display(), e.0, e.1));
        }
    }
    for f in &found {
        if !expected.contains(f) {
            let msg =
                report.findings.iter().find(|x| x.start.line == f.0 && *x.rule == *f.1).map(|x| x.message.clone()).unwrap_or_default();
            problems.push(format!("{}:{}: noisy {} ({msg})", path.display(), f.0, f.1));
        }
    }
    problems
}

#[test]
fn every_fixture_matches_its_inline_expectations() {
    let mut files = Vec::new();
    fixture_files(Path::new("tests/fixtures"), &mut files);
    assert!(files.len() >= 20, "fixtures not found: {}", files.len());
    // the opt-in `suppression-without-reason` and `parse-error` are on, so their fixtures count too
    let mut options = RunOptions::default();
    options.engine.require_reason = true;
    options.extend_select = vec!["parse-error".to_string()];
    let problems: Vec<String> = files.iter().flat_map(|f| compare(f, &options)).collect();
    assert!(problems.is_empty(), "{} fixture problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Expectations are counted so that a rule cannot lose its cases silently: each rule keeps at least the
/// `[tests] min-cases` its rule file names.
#[test]
fn every_rule_has_its_minimum_of_positive_cases() {
    let mut files = Vec::new();
    fixture_files(Path::new("tests/fixtures"), &mut files);
    let mut found: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in &files {
        let source = std::fs::read_to_string(f).expect("utf-8");
        let lang = Lang::from_path(f).expect("lang");
        for (_, rule) in expectations::parse(lang, &source).expect("parse") {
            *found.entry(rule.to_string()).or_default() += 1;
        }
    }
    let registry = ctxlint::registry::builtin().expect("rules load");
    for rule in &registry.rules {
        let minimum = rule.spec.tests.min_cases;
        let count = found.get(&*rule.id).copied().unwrap_or(0);
        assert!(minimum >= 1, "{}: [tests] min-cases must be at least 1", rule.id);
        assert!(count >= minimum, "{} has only {count} positive fixture cases, wants {minimum}", rule.id);
    }
}

/// Skipping files and rules by their trigger words must never cost a finding, nor change which files the summary
/// counts as only partly parsed (`parse-error` off, the default), nor the `parse-error` findings when it is on.
#[test]
fn the_prefilter_never_changes_the_findings() {
    let key = |prefilter: bool, parse_error: bool| {
        let mut o = RunOptions::default();
        o.engine.prefilter = prefilter;
        if parse_error {
            o.extend_select = vec!["parse-error".to_string()];
        }
        let r = lint_paths(&[PathBuf::from("tests/fixtures")], &o).expect("rules load");
        let findings = r.findings.iter().map(|f| format!("{}:{}:{}:{}", f.path.display(), f.start.line, f.start.column, f.rule));
        let partly = r.partly_parsed.iter().map(|p| format!("{}:{}:{}: partly parsed", p.path.display(), p.start.line, p.start.column));
        findings.chain(partly).collect::<Vec<_>>()
    };
    for parse_error in [false, true] {
        let a = key(true, parse_error);
        assert!(a.len() > 40, "only {} findings", a.len());
        assert!(a.iter().any(|k| k.ends_with(if parse_error { ":parse-error" } else { ": partly parsed" })), "{a:?}");
        assert_eq!(a, key(false, parse_error));
    }
}

#[test]
fn a_byte_order_mark_keeps_positions_and_parses_cleanly() {
    let text = "\u{feff}import asyncio\n\n\nasync def f():\n    asyncio.create_task(g())\n";
    let findings = ctxlint::run::lint_text(Path::new("x.py"), text, &RunOptions::default()).expect("lints");
    assert_eq!(findings.len(), 1, "{:?}", findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
    assert_eq!((findings[0].start.line, findings[0].start.column), (5, 5));
    assert_eq!(&text[findings[0].range.clone()], "asyncio.create_task");
}

#[test]
fn crlf_line_endings_keep_lines_and_columns() {
    let text = "import asyncio\r\n\r\nasync def f():\r\n    asyncio.create_task(g())\r\n";
    let findings = ctxlint::run::lint_text(Path::new("x.py"), text, &RunOptions::default()).expect("lints");
    assert_eq!(findings.len(), 1);
    assert_eq!((findings[0].start.line, findings[0].start.column), (4, 5));
}

/// Every rule documents every section and has a fixture folder with bad and good files.
#[test]
fn every_rule_has_docs_and_fixtures() {
    let registry = ctxlint::registry::builtin().expect("rules load");
    for rule in &registry.rules {
        let d = &rule.spec.docs;
        for (section, text) in [
            ("what", &d.what),
            ("why", &d.why),
            ("bad", &d.bad),
            ("good", &d.good),
            ("fix-safety", &d.fix_safety),
            ("known-problems", &d.known_problems),
        ] {
            assert!(text.trim().len() > 20, "{}: docs section `{section}` is empty or a stub", rule.id);
        }
        let dir = match rule.id.split_once('/') {
            Some((lang, name)) => PathBuf::from(format!("tests/fixtures/{lang}/{name}")),
            None => PathBuf::from(format!("tests/fixtures/common/{}", rule.id)),
        };
        let mut files = Vec::new();
        fixture_files(&dir, &mut files);
        let names: Vec<String> = files.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        assert!(names.iter().any(|n| n.starts_with("bad")), "{}: no bad fixture in {}", rule.id, dir.display());
        assert!(names.iter().any(|n| n.starts_with("good")), "{}: no good fixture in {}", rule.id, dir.display());
    }
}

/// A check that declares a placeholder but does not fill it leaves `{name}` in the text: catch it on every fixture.
#[test]
fn no_finding_keeps_an_unfilled_placeholder() {
    let report = lint_paths(&[PathBuf::from("tests/fixtures")], &RunOptions::default()).expect("rules load");
    let registry = ctxlint::registry::builtin().expect("rules load");
    for f in &report.findings {
        let rule = registry.get(&f.rule).expect("rule");
        let texts = std::iter::once(&f.message).chain([&f.label]).chain(f.help.iter()).chain(f.labels.iter().map(|l| &l.message));
        for text in texts {
            for var in rule.check.vars.iter().chain(rule.check.captures) {
                let placeholder = format!("{{{var}}}");
                assert!(!text.contains(&placeholder), "{}:{}: {} left unfilled in {text:?}", f.path.display(), f.start.line, placeholder);
            }
        }
    }
}

/// The very patterns `js/unbound-timer` flags under `stack` (and `none`) keep the context under AsyncLocalStorage and
/// zone.js, so the rule must be silent there.
#[test]
fn unbound_timer_is_silent_where_the_runtime_keeps_the_context() {
    use ctxlint::jsmodel::JsModelChoice;
    let bad = PathBuf::from("tests/fixtures/js/unbound-timer/stack/bad.js");
    let count = |choice: JsModelChoice| {
        let options = RunOptions { js_model: choice, ..RunOptions::default() };
        lint_paths(std::slice::from_ref(&bad), &options).expect("loads").findings.iter().filter(|f| &*f.rule == "js/unbound-timer").count()
    };
    assert_eq!(count(JsModelChoice::Stack), 10);
    // the bind-after-await case is specific to `stack`; with no manager a bound callback is exempt
    assert_eq!(count(JsModelChoice::None), 8);
    assert_eq!(count(JsModelChoice::AsyncLocalStorage), 0);
    assert_eq!(count(JsModelChoice::Zone), 0);
}

/// Each witness program is linted like a fixture: a bad program has its rule's finding(s) exactly on its marked
/// lines, a good program and the shared helpers have none.
#[test]
fn every_witness_is_linted_exactly_as_marked() {
    let mut files = Vec::new();
    fixture_files(Path::new("tests/witness"), &mut files);
    assert!(files.len() >= 14, "witness programs not found: {}", files.len());
    let options = RunOptions::default();
    let mut problems = Vec::new();
    for f in &files {
        let source = std::fs::read_to_string(f).expect("utf-8");
        let expected = expectations::parse(Lang::from_path(f).expect("lang"), &source).expect("parse");
        let is_bad = f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bad"));
        if is_bad == expected.is_empty() {
            problems.push(format!("{}: a bad program must mark its finding(s), others none", f.display()));
        }
        problems.extend(compare(f, &options));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every rule that claims something about the runtime names its witness programs, and they exist.
#[test]
fn every_runtime_rule_has_witnesses() {
    let registry = ctxlint::registry::builtin().expect("rules load");
    for rule in &registry.rules {
        let Some(w) = &rule.spec.witness else {
            // rules about the source or the comments themselves make no claim about the runtime, and say so
            assert!(rule.spec.tests.no_witness.is_some(), "{} has no [witness] and no `[tests] no-witness` reason", rule.id);
            continue;
        };
        assert!(rule.spec.tests.no_witness.is_none(), "{} has a [witness] and a `no-witness` reason", rule.id);
        assert!(!w.runtime.is_empty());
        for kind in ["bad", "good"] {
            assert!(w.programs.iter().any(|p| p.rsplit('/').next().is_some_and(|n| n.starts_with(kind))), "{}: no {kind} witness", rule.id);
        }
        for program in &w.programs {
            let source = std::fs::read_to_string(program).unwrap_or_else(|e| panic!("{}: {program}: {e}", rule.id));
            let expected = expectations::parse(Lang::from_path(Path::new(program)).expect("lang"), &source).expect("parse");
            if program.rsplit('/').next().is_some_and(|n| n.starts_with("bad")) {
                assert!(expected.iter().any(|(_, r)| *r == *rule.id), "{program} does not mark a {} finding", rule.id);
            }
        }
    }
}

/// The instrumented fixtures are silent only because of their package.json: the same code next to a package.json
/// without the instrumentation is flagged.
#[test]
fn message_rules_are_silenced_only_by_the_instrumentation_dependency() {
    let dir = tempfile::TempDir::new().expect("tmp");
    let manifest = r#"{ "dependencies": { "@opentelemetry/sdk-node": "^0.57.0", "kafkajs": "^2.2.4", "bullmq": "^5.0.0" } }"#;
    std::fs::write(dir.path().join("package.json"), manifest).expect("write");
    for (fixture, rule) in [
        ("tests/fixtures/js/consumer-without-extract/instrumented/good.js", "js/consumer-without-extract"),
        ("tests/fixtures/js/producer-without-inject/instrumented/good.js", "js/producer-without-inject"),
    ] {
        let copy = dir.path().join(format!("{}.js", rule.replace('/', "-")));
        std::fs::copy(fixture, &copy).expect("copy");
        let report = lint_paths(&[copy], &RunOptions::default()).expect("rules load");
        let count = report.findings.iter().filter(|f| &*f.rule == rule).count();
        assert_eq!(count, 2, "{fixture} without the instrumentation dependency");
    }
}

/// An instrumentation package's own tests are silent only because its package.json names it: the same code in a
/// package with another name (and the same dependencies) is flagged.
#[test]
fn message_rules_are_silenced_only_in_the_instrumentation_package_itself() {
    let dir = tempfile::TempDir::new().expect("tmp");
    let own = std::fs::read_to_string("tests/fixtures/js/consumer-without-extract/instrumentation-package/package.json").expect("read");
    let renamed = own.replace("@opentelemetry/instrumentation-kafkajs", "kafkajs-example-service");
    assert_ne!(own, renamed);
    std::fs::write(dir.path().join("package.json"), renamed).expect("write");
    for (fixture, rule) in [
        ("tests/fixtures/js/consumer-without-extract/instrumentation-package/good-own-tests.ts", "js/consumer-without-extract"),
        ("tests/fixtures/js/producer-without-inject/instrumentation-package/good-own-tests.ts", "js/producer-without-inject"),
    ] {
        let copy = dir.path().join(format!("{}.ts", rule.replace('/', "-")));
        std::fs::copy(fixture, &copy).expect("copy");
        let report = lint_paths(&[copy], &RunOptions::default()).expect("rules load");
        let count = report.findings.iter().filter(|f| &*f.rule == rule).count();
        assert_eq!(count, 1, "{fixture} in a package that is not the instrumentation");
    }
}
