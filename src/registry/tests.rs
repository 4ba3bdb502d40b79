//! Load errors must be loud and precise: each names the file and what is wrong.
use super::*;

const RULE: &str = r#"
id = "py/dangling-task"
languages = ["python"]
severity = "warning"
summary = "s"
message = "m {call}"
label = "l"
help = "h"
[labels]
name = "n"
[variants]
unread = "u"
outside-span = "o"
[fix]
applicability = "display-only"
description = "d"
[docs]
what = "w"
why = "y"
bad = "b"
good = "g"
fix-safety = "f"
known-problems = "k"
[tests]
min-cases = 1
"#;

const QUERY: &str = r#"(call function: (identifier) @method) @report"#;

fn load(rule: &str, query: &str) -> Result<Registry, LoadError> {
    Registry::load(&[("rules/py/dangling-task.toml", rule), ("queries/python/dangling-task.scm", query)])
}

fn message(rule: &str, query: &str) -> String {
    match load(rule, query) {
        Ok(_) => panic!("expected a load error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_valid_rule_loads() {
    let registry = load(RULE, QUERY).expect("loads");
    assert_eq!(&*registry.rules[0].id, "py/dangling-task");
    assert!(registry.matcher(Lang::Python).is_some_and(|m| m.query(&registry.rules).is_ok_and(|q| q.is_some())));
}

#[test]
fn the_builtin_rules_load() {
    let registry = builtin().expect("built-in rules load");
    assert!(registry.rules.len() >= 6);
}

#[test]
fn unknown_toml_key_names_the_file_and_line() {
    let rule = RULE.replace("severity = \"warning\"", "severity = \"warning\"\nseverty = 1");
    let msg = message(&rule, QUERY);
    assert!(msg.starts_with("rules/py/dangling-task.toml:5:"), "{msg}");
    assert!(msg.contains("unknown field `severty`"), "{msg}");
}

#[test]
fn a_rule_that_no_check_decides_is_an_error() {
    let rule = RULE.replace("py/dangling-task", "py/sample");
    let msg = match Registry::load(&[("rules/py/sample.toml", &rule), ("queries/python/sample.scm", QUERY)]) {
        Ok(_) => panic!("expected a load error"),
        Err(e) => e.to_string(),
    };
    assert!(msg.contains("no check decides rule `py/sample`") && msg.contains("src/checks/py_sample.rs"), "{msg}");
}

#[test]
fn unknown_capture_is_an_error() {
    let msg = message(RULE, "(call function: (identifier) @callee) @report");
    assert!(msg.starts_with("queries/python/dangling-task.scm"), "{msg}");
    assert!(msg.contains("unknown capture `@callee`"), "{msg}");
}

#[test]
fn unknown_predicate_is_an_error_with_its_line() {
    let msg = message(RULE, "\n(call function: (identifier) @method (#is-async? @method)) @report");
    assert!(msg.starts_with("queries/python/dangling-task.scm:2:"), "{msg}");
    assert!(msg.contains("unknown predicate `#is-async?`"), "{msg}");
}

#[test]
fn unknown_placeholder_is_an_error() {
    let msg = message(&RULE.replace("m {call}", "m {callee}"), QUERY);
    assert!(msg.contains("unknown placeholder `{callee}`"), "{msg}");
}

#[test]
fn a_missing_variant_and_an_extra_one_are_errors() {
    let msg = message(&RULE.replace("unread = \"u\"", ""), QUERY);
    assert!(msg.contains("message variant `unread`, missing from [variants]"), "{msg}");
    let msg = message(&RULE.replace("unread = \"u\"", "unread = \"u\"\nother = \"o\""), QUERY);
    assert!(msg.contains("unknown message variant `other`"), "{msg}");
}

#[test]
fn invalid_query_syntax_points_at_the_row() {
    let msg = message(RULE, "(call\n  function: (no_such_node) @method) @report");
    assert!(msg.starts_with("queries/python/dangling-task.scm:2:"), "{msg}");
}

#[test]
fn a_query_without_a_rule_and_a_rule_without_a_query_are_errors() {
    let msg = match Registry::load(&[("rules/py/dangling-task.toml", RULE)]) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(msg.contains("no query for language `python`"), "{msg}");
    let msg = match Registry::load(&[
        ("rules/py/dangling-task.toml", RULE),
        ("queries/python/dangling-task.scm", QUERY),
        ("queries/python/orphan.scm", QUERY),
    ]) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    };
    assert!(msg.starts_with("queries/python/orphan.scm"), "{msg}");
}

#[test]
fn the_rule_id_must_match_the_file() {
    let msg = message(&RULE.replace("id = \"py/dangling-task\"", "id = \"py/other\""), QUERY);
    assert!(msg.contains("does not match its file"), "{msg}");
}

#[test]
fn the_combined_query_maps_every_pattern_to_its_rule() {
    let registry = builtin().expect("loads");
    for lang in Lang::ALL {
        let m = registry.matcher(lang).expect("matcher");
        if let Some(c) = m.query(&registry.rules).expect("compiles") {
            assert_eq!(c.query.pattern_count(), c.pattern_rule.len(), "{lang}");
            for r in &c.pattern_rule {
                assert!(registry.rules[*r].langs.contains(&lang));
            }
        }
    }
}
