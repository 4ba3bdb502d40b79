//! Rule documentation from the rule files: the `ctxlint rules` table, the full `ctxlint rule <id>` page, and the
//! Markdown sections that SARIF's rule help repeats.
use crate::registry::{Registry, Rule};

/// One line per rule: id, languages, default severity, summary.
pub fn rules_table(registry: &Registry) -> String {
    let mut rules: Vec<&Rule> = registry.rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let id_w = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let langs: Vec<String> = rules.iter().map(|r| languages(r)).collect();
    let lang_w = langs.iter().map(String::len).max().unwrap_or(9).max(9);
    let mut out = format!("{:id_w$}  {:lang_w$}  {:8}  {}\n", "id", "languages", "severity", "summary");
    for (rule, langs) in rules.iter().zip(&langs) {
        out.push_str(&format!("{:id_w$}  {:lang_w$}  {:8}  {}\n", rule.id, langs, rule.spec.severity.as_str(), rule.spec.summary));
    }
    out
}

/// The rules table of README.md (kept in sync by a test).
pub fn rules_markdown(registry: &Registry) -> String {
    let mut rules: Vec<&Rule> = registry.rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = String::from("| rule | languages | severity | fix | what it finds |\n|---|---|---|---|---|\n");
    for r in rules {
        let fix = r.spec.fix.as_ref().map_or("none", |f| f.applicability.as_str());
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            languages(r),
            r.spec.severity.as_str(),
            fix,
            r.spec.summary.replace('|', "\\|")
        ));
    }
    out
}

fn languages(rule: &Rule) -> String {
    if rule.langs.len() == crate::lang::Lang::ALL.len() {
        "all".to_string()
    } else {
        rule.spec.languages.join(", ")
    }
}

/// The full documentation of one rule, as Markdown-flavoured text: a header, [`rule_sections`], and the witness.
pub fn rule_page(rule: &Rule) -> String {
    let s = &rule.spec;
    format!(
        "# {id}\n\n{summary}\n\nLanguages: {langs}\nDefault severity: {sev}\nFix: {fix}\nDocumentation: {url}\n\n{sections}\n## Witness\n{witness}\n",
        id = rule.id,
        summary = s.summary,
        langs = languages(rule),
        sev = s.severity.as_str(),
        url = rule_url(rule),
        fix = s.fix.as_ref().map_or_else(|| "none".to_string(), |f| format!("{} ({})", f.applicability.as_str(), f.description)),
        sections = rule_sections(rule),
        witness = match &s.witness {
            Some(w) => format!(
                "Measured with {}: the programs below show this behaviour against the real runtime. ctxlint's CI runs \
                 them, and they fail if a release of the runtime or SDK stops behaving this way:\n{}",
                w.runtime,
                w.programs.iter().map(|p| format!("- {REPO_FILES}/{p}")).collect::<Vec<_>>().join("\n")
            ),
            None => "This rule makes no claim about the runtime, so it has no witness program.".to_string(),
        },
    )
}

/// The Markdown sections of a rule's docs, from "What it does" to "Known problems": the body of [`rule_page`] and the
/// SARIF rule's `help.markdown`.
pub fn rule_sections(rule: &Rule) -> String {
    let d = &rule.spec.docs;
    let fence = |code: &str| format!("```\n{}\n```", code.trim_end());
    format!(
        "## What it does\n{what}\n\n## Why is this bad?\n{why}\n\n## Example\n{bad}\n\n## Use instead\n{good}\n\n## Fix safety\n{safety}\n\n## Known problems\n{known}\n",
        what = d.what.trim(),
        why = d.why.trim(),
        bad = fence(&d.bad),
        good = fence(&d.good),
        safety = d.fix_safety.trim(),
        known = d.known_problems.trim(),
    )
}

/// Where the repository's files are on the web.
const REPO_FILES: &str = "https://github.com/ctxlint/ctxlint/blob/main";

/// The rule's documentation page in the repository, `docs/rules/<lang>/<name>.md` (`common/` for rules of every
/// language): [`rule_page`], kept in sync by a test.
pub fn rule_doc_path(rule: &Rule) -> String {
    match rule.id.split_once('/') {
        Some((lang, name)) => format!("docs/rules/{lang}/{name}.md"),
        None => format!("docs/rules/common/{}.md", rule.id),
    }
}

/// Where a rule's documentation page is on the web (SARIF `helpUri`, `ctxlint rules --format json`).
pub fn rule_url(rule: &Rule) -> String {
    format!("{REPO_FILES}/{}", rule_doc_path(rule))
}

/// `ctxlint rules --format json`: every rule with its metadata and docs URL, for editors and CI tooling. A document
/// `{"version": 1, "rules": [...]}`, sorted by id; fields are only ever added within a version.
pub fn rules_json(registry: &Registry) -> String {
    let mut rules: Vec<&Rule> = registry.rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": &*r.id,
                "languages": &r.spec.languages,
                "severity": r.spec.severity.as_str(),
                "default_enabled": r.spec.default_enabled,
                "summary": &r.spec.summary,
                "fix": r.spec.fix.as_ref().map(|f| serde_json::json!({
                    "applicability": f.applicability.as_str(),
                    "description": &f.description,
                })),
                "docs_url": rule_url(r),
            })
        })
        .collect();
    let doc = serde_json::json!({ "version": 1, "rules": rules });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

/// Rule ids close to a mistyped one, for the error message.
pub fn similar_ids<'r>(registry: &'r Registry, wanted: &str) -> Vec<&'r str> {
    let wanted_name = wanted.rsplit('/').next().unwrap_or(wanted);
    let mut ids: Vec<&str> = registry
        .rules
        .iter()
        .map(|r| &*r.id)
        .filter(|id| {
            let name = id.rsplit('/').next().unwrap_or(id);
            name == wanted_name || id.contains(wanted) || (wanted.len() >= 4 && name.contains(wanted_name))
        })
        .collect();
    ids.sort();
    ids
}
