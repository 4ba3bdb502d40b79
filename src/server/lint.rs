//! One document linted with the library's run (the rules, configuration discovery per file, runtime models and
//! suppressions of the command line). A panic in it is caught; the rules are then run one at a time, so the findings
//! of every rule that does not panic are still published, and the panicking ones are named.
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use crate::finding::Finding;
use crate::lang::Lang;
use crate::run::RunOptions;
use crate::suppress::UNUSED_RULE;

/// How the server lints a text as the file at a path: [`crate::run::lint_text`], or a stand-in in tests.
pub type LintFn = fn(&Path, &str, &RunOptions) -> Result<Vec<Finding>, String>;

/// What linting one document gave.
#[derive(Debug, Default)]
pub struct Linted {
    pub findings: Vec<Finding>,
    /// What went wrong (a configuration error, a panic), for `window/logMessage`.
    pub problems: Vec<String>,
}

/// Lints `text` as the file at `path`.
pub fn lint_document(lint: LintFn, path: &Path, text: &str, options: &RunOptions) -> Linted {
    match catch(|| lint(path, text, options)) {
        Ok(Ok(findings)) => Linted { findings, problems: Vec::new() },
        Ok(Err(e)) => Linted { findings: Vec::new(), problems: vec![e] },
        Err(panic) => rule_by_rule(lint, path, text, options, panic),
    }
}

/// After a panic: each rule enabled for the file alone (without `unused-suppression`, which needs every rule's
/// findings to be right).
fn rule_by_rule(lint: LintFn, path: &Path, text: &str, options: &RunOptions, panic: String) -> Linted {
    let mut out = Linted { findings: Vec::new(), problems: vec![format!("{}: linting panicked: {panic}", path.display())] };
    let rules = match enabled_rules(path, options) {
        Ok(rules) => rules,
        Err(e) => {
            out.problems.push(e);
            return out;
        }
    };
    let mut panicked = Vec::new();
    for rule in rules {
        let mut alone = options.clone();
        alone.engine.enabled = Some(HashSet::from([rule.clone()]));
        match catch(|| lint(path, text, &alone)) {
            Ok(Ok(findings)) => out.findings.extend(findings.into_iter().filter(|f| &*f.rule != UNUSED_RULE)),
            Ok(Err(e)) => out.problems.push(e),
            Err(_) => panicked.push(rule),
        }
    }
    out.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.problems.push(if panicked.is_empty() {
        "no single rule panicked; the findings of every rule are shown".to_string()
    } else {
        format!("rules that panicked (their findings are missing): {}", panicked.join(", "))
    });
    out
}

/// The rules of the file's language its settings enable, sorted, `unused-suppression` left out.
fn enabled_rules(path: &Path, options: &RunOptions) -> Result<Vec<String>, String> {
    let lang = Lang::from_path(path).ok_or_else(|| format!("{}: not a file ctxlint reads", path.display()))?;
    let resolver = options.config_resolver().map_err(|e| e.to_string())?;
    let settings = resolver.settings_for(path).map_err(|e| e.to_string())?;
    let enabled = options.engine.enabled.clone().unwrap_or_else(|| settings.rules_for(&crate::files::absolute(path)));
    let registry = crate::registry::builtin().map_err(|e| e.to_string())?;
    let mut rules: Vec<String> = registry
        .rules
        .iter()
        .filter(|r| r.langs.contains(&lang) && enabled.contains(&*r.id) && &*r.id != UNUSED_RULE)
        .map(|r| r.id.to_string())
        .collect();
    rules.sort();
    Ok(rules)
}

/// Runs `f`, turning a panic into its message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Panics whenever `py/dangling-task` runs; otherwise the real linter.
    fn dangling_task_panics(path: &Path, text: &str, options: &RunOptions) -> Result<Vec<Finding>, String> {
        if options.engine.enabled.as_ref().is_none_or(|e| e.contains("py/dangling-task")) {
            panic!("boom in py/dangling-task");
        }
        crate::run::lint_text(path, text, options)
    }

    #[test]
    fn a_panicking_rule_is_named_and_the_other_rules_still_report() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.py");
        let text = "import asyncio\nfrom opentelemetry import context\n\nasync def f(m):\n    asyncio.create_task(g())\n    token = context.attach(m)\n    work()\n    context.detach(token)\n";
        let all = lint_document(crate::run::lint_text, &path, text, &RunOptions::default());
        let rules: Vec<&str> = all.findings.iter().map(|f| &*f.rule).collect();
        assert!(rules.contains(&"py/dangling-task") && rules.contains(&"py/attach-without-detach"), "{rules:?}");
        let linted = lint_document(dangling_task_panics, &path, text, &RunOptions::default());
        let rules: Vec<&str> = linted.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, ["py/attach-without-detach"]);
        assert!(linted.problems[0].contains("boom in py/dangling-task"), "{:?}", linted.problems);
        assert_eq!(linted.problems.last().map(String::as_str), Some("rules that panicked (their findings are missing): py/dangling-task"));
    }
}
