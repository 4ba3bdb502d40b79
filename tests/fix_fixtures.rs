//! Every `bad.*` fixture whose findings carry an applicable fix has a `bad.fixed.*` sibling: fixing the fixture (safe
//! and unsafe fixes, only the fixture's rule) must give that file byte for byte; the fixed text parses, has no finding
//! of the rule that a fix could remove, and fixing it again changes nothing.
//!
//! `CTXLINT_BLESS=1 cargo test --test fix_fixtures` writes the `.fixed` files; review them before committing.
use std::path::{Path, PathBuf};

use ctxlint::fix::Policy;
use ctxlint::lang::Lang;
use ctxlint::run::{lint_paths, lint_stdin, FixOptions, Report, RunOptions};

fn bad_fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("fixture dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_dir() {
            if name != "node_modules" {
                bad_fixtures(&path, out);
            }
        } else if name.starts_with("bad") && !name.contains(".fixed.") && Lang::from_path(&path).is_some() {
            out.push(path);
        }
    }
}

/// `bad-grpc.js` → `bad-grpc.fixed.js`.
fn fixed_path(bad: &Path) -> PathBuf {
    let name = bad.file_name().expect("name").to_string_lossy();
    let (stem, ext) = name.rsplit_once('.').expect("extension");
    bad.with_file_name(format!("{stem}.fixed.{ext}"))
}

/// The rule a fixture folder is for: `tests/fixtures/js/unbound-timer/stack/bad.js` → `js/unbound-timer`,
/// `tests/fixtures/common/unused-suppression/bad.py` → `unused-suppression`.
fn rule_of(bad: &Path) -> String {
    let parts: Vec<String> = bad.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let at = parts.iter().position(|p| p == "fixtures").expect("under tests/fixtures");
    match parts[at + 1].as_str() {
        "common" => parts[at + 2].clone(),
        lang => format!("{lang}/{}", parts[at + 2]),
    }
}

fn options(rule: &str) -> RunOptions {
    let mut options = RunOptions { fix: FixOptions { apply: true, policy: Policy { unsafe_fixes: true } }, ..RunOptions::default() };
    options.engine.require_reason = true;
    if rule.contains('/') {
        options.select = Some(vec![rule.to_string()]);
    }
    options
}

fn fixed_text(report: &Report) -> Option<&str> {
    report.fixed.first().map(|f| f.text.as_str())
}

#[test]
fn every_fixable_bad_fixture_has_its_fixed_file() {
    let mut bads = Vec::new();
    bad_fixtures(Path::new("tests/fixtures"), &mut bads);
    assert!(bads.len() >= 20, "fixtures not found: {}", bads.len());
    let bless = std::env::var_os("CTXLINT_BLESS").is_some();
    let mut problems = Vec::new();
    let mut checked = 0;
    for bad in &bads {
        let rule = rule_of(bad);
        let options = options(&rule);
        let report = lint_paths(std::slice::from_ref(bad), &options).expect("rules load");
        assert!(report.errors.is_empty(), "{}: {:?}", bad.display(), report.errors);
        let want_path = fixed_path(bad);
        let Some(fixed) = fixed_text(&report) else {
            if want_path.exists() {
                problems.push(format!("{}: nothing to fix, but {} exists", bad.display(), want_path.display()));
            }
            continue;
        };
        checked += 1;
        if bless {
            std::fs::write(&want_path, fixed).expect("write the .fixed file");
        }
        match std::fs::read(&want_path) {
            Ok(want) if want == fixed.as_bytes() => {}
            Ok(_) => problems.push(format!("{}: the fixed text differs from {}", bad.display(), want_path.display())),
            Err(_) => problems.push(format!("{}: no {} (CTXLINT_BLESS=1 writes it)", bad.display(), want_path.display())),
        }
        for notice in &report.notices {
            problems.push(format!("{}: unexpected notice: {notice}", bad.display()));
        }

        // the fixed text parses, and what is left of the rule has no fix
        let again = lint_stdin(bad, fixed.to_string(), &options).expect("lints");
        for f in &again.findings {
            if &*f.rule == "parse-error" {
                problems.push(format!("{}:{}: the fixed text does not parse", want_path.display(), f.start.line));
            }
        }
        let fixable_left = again.findings.iter().filter(|f| *f.rule == *rule && options.fix.policy.fix_of(f).is_some()).count();
        if fixable_left > 0 {
            problems.push(format!("{}: {fixable_left} {rule} finding(s) with a fix left after fixing", want_path.display()));
        }
        if !again.fixed.is_empty() {
            problems.push(format!("{}: fixing a second time changes it again", want_path.display()));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert!(checked >= 10, "only {checked} fixtures have fixes");
}

/// A file with CRLF line endings stays CRLF and tab indentation stays tabs, whatever the fix inserts.
#[test]
fn fixes_keep_crlf_and_tabs() {
    let mut bads = Vec::new();
    bad_fixtures(Path::new("tests/fixtures"), &mut bads);
    let mut seen = 0;
    for bad in bads.iter().filter(|b| b.to_string_lossy().contains("crlf")) {
        let rule = rule_of(bad);
        let original = std::fs::read_to_string(bad).expect("utf-8");
        assert!(original.contains("\r\n\t"), "{}: the fixture should use CRLF and tabs", bad.display());
        let report = lint_paths(std::slice::from_ref(bad), &options(&rule)).expect("rules load");
        let fixed = fixed_text(&report).unwrap_or_else(|| panic!("{}: nothing fixed", bad.display()));
        assert_ne!(fixed, original);
        assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count(), "{}: a bare LF crept in:\n{fixed}", bad.display());
        for line in fixed.split("\r\n") {
            assert!(!line.starts_with(' '), "{}: a space-indented line crept in: {line:?}", bad.display());
        }
        seen += 1;
    }
    assert!(seen >= 3, "CRLF fixtures not found: {seen}");
}

/// A rule whose fix can be applied (safe or unsafe) has at least one `.fixed` fixture.
#[test]
fn every_rule_with_an_applicable_fix_has_a_fixed_fixture() {
    use ctxlint::fix::Applicability;
    let registry = ctxlint::registry::builtin().expect("rules load");
    let mut bads = Vec::new();
    bad_fixtures(Path::new("tests/fixtures"), &mut bads);
    let mut missing = Vec::new();
    for rule in &registry.rules {
        let Some(fix) = &rule.spec.fix else { continue };
        if fix.applicability == Applicability::DisplayOnly {
            continue;
        }
        if !bads.iter().any(|b| rule_of(b) == *rule.id && fixed_path(b).exists()) {
            missing.push(rule.id.to_string());
        }
    }
    assert!(missing.is_empty(), "rules with an applicable fix but no .fixed fixture: {missing:?}");
}
