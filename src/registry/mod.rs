//! Loads the embedded rule files and queries, validates them against their checks, and compiles one combined
//! query per language so that a file is matched in one pass whatever the number of rules.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use tree_sitter::Query;

use crate::checks::{self, CheckDef, CheckFn};
use crate::lang::Lang;
use crate::prefilter::{self, Prefilter};

pub mod spec;

pub use spec::RuleSpec;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The named groups of trigger words that rules' `requires` refer to as `@name`.
const TOKEN_GROUPS: &str = "rules/token-groups.toml";

/// A rule ready to run.
pub struct Rule {
    pub id: Arc<str>,
    pub spec: RuleSpec,
    pub langs: Vec<Lang>,
    pub check: &'static CheckDef,
    /// Path of the rule file, for messages.
    pub file: String,
}

/// The compiled matcher of one language: every rule's query concatenated into one.
pub struct LangMatcher {
    pub query: Option<Query>,
    /// The rule index of each pattern of `query`.
    pub pattern_rule: Vec<usize>,
    /// Rules of this language whose check runs once per file.
    pub file_rules: Vec<usize>,
    /// Rules of this language that have a query.
    pub query_rules: Vec<usize>,
    /// The rules' trigger words, to skip what cannot match before parsing.
    pub prefilter: Prefilter,
}

pub struct Registry {
    pub rules: Vec<Rule>,
    matchers: HashMap<Lang, LangMatcher>,
}

/// A rule file or query that does not load, with the file and, where known, the place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LoadError {}

fn err(file: &str, line: Option<usize>, message: impl Into<String>) -> LoadError {
    LoadError { file: file.to_string(), line, message: message.into() }
}

/// The built-in registry, loaded once per process.
pub fn builtin() -> Result<&'static Registry, LoadError> {
    static REGISTRY: OnceLock<Result<Registry, LoadError>> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::load(embedded::EMBEDDED)).as_ref().map_err(Clone::clone)
}

impl Registry {
    /// Loads rules from `(path, contents)` pairs: `rules/**/*.toml` and `queries/<lang>/<name>.scm`.
    pub fn load(files: &[(&str, &str)]) -> Result<Registry, LoadError> {
        let queries: BTreeMap<&str, &str> = files.iter().filter(|(p, _)| p.starts_with("queries/")).map(|(p, c)| (*p, *c)).collect();
        let mut used_queries = BTreeSet::new();
        let mut rules = Vec::new();
        let mut per_lang: BTreeMap<Lang, Vec<(usize, String, &str)>> = BTreeMap::new();

        let groups_file = files.iter().find(|(p, _)| *p == TOKEN_GROUPS);
        let token_groups: HashMap<String, Vec<String>> = match groups_file {
            Some((path, contents)) => toml::from_str(contents).map_err(|e| err(path, None, e.message().to_string()))?,
            None => HashMap::new(),
        };
        for (path, contents) in files.iter().filter(|(p, _)| p.starts_with("rules/") && *p != TOKEN_GROUPS) {
            let spec: RuleSpec = toml::from_str(contents).map_err(|e| {
                let line = e.span().map(|s| contents[..s.start.min(contents.len())].matches('\n').count() + 1);
                err(path, line, e.message().to_string())
            })?;
            let check = checks::find(&spec.check).ok_or_else(|| {
                let known: Vec<&str> = checks::CHECKS.iter().map(|c| c.name).collect();
                err(path, None, format!("unknown check `{}` (known: {})", spec.check, known.join(", ")))
            })?;
            let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml");
            let expected_id = match path.strip_prefix("rules/").and_then(|p| p.split_once('/')) {
                Some((dir, _)) if dir != "common" => format!("{dir}/{stem}"),
                _ => stem.to_string(),
            };
            if spec.id != expected_id {
                return Err(err(path, None, format!("rule id `{}` does not match its file (expected `{expected_id}`)", spec.id)));
            }
            if rules.iter().any(|r: &Rule| *r.id == *spec.id) {
                return Err(err(path, None, format!("duplicate rule id `{}`", spec.id)));
            }
            let mut langs = Vec::new();
            for name in &spec.languages {
                langs.push(Lang::from_name(name).ok_or_else(|| {
                    err(path, None, format!("unknown language `{name}` (known: javascript, typescript, tsx, python, rust)"))
                })?);
            }
            validate_texts(path, &spec, check)?;
            let index = rules.len();
            for &lang in &langs {
                if let CheckFn::Match(_) = check.run {
                    let (qpath, qsrc) = find_query(&queries, lang, stem)
                        .ok_or_else(|| err(path, None, format!("no query for language `{lang}`: expected queries/{lang}/{stem}.scm")))?;
                    used_queries.insert(qpath.clone());
                    per_lang.entry(lang).or_default().push((index, qpath, qsrc));
                }
            }
            rules.push(Rule { id: Arc::from(spec.id.as_str()), spec, langs, check, file: path.to_string() });
        }
        if let Some(orphan) = queries.keys().find(|q| !used_queries.contains(**q)) {
            return Err(err(orphan, None, "query file belongs to no rule"));
        }

        let mut matchers = HashMap::new();
        for lang in Lang::ALL {
            let grammar = lang.grammar();
            let mut combined = String::new();
            let mut pattern_rule = Vec::new();
            let mut query_rules = Vec::new();
            for (rule_index, qpath, qsrc) in per_lang.get(&lang).map(Vec::as_slice).unwrap_or(&[]) {
                let query = Query::new(&grammar, qsrc)
                    .map_err(|e| err(qpath, Some(e.row + 1), format!("{} (column {}, compiled for {lang})", e.message, e.column + 1)))?;
                validate_query(qpath, qsrc, &query, &rules[*rule_index])?;
                pattern_rule.extend(std::iter::repeat_n(*rule_index, query.pattern_count()));
                query_rules.push(*rule_index);
                combined.push_str(qsrc);
                combined.push('\n');
            }
            let query = if combined.is_empty() {
                None
            } else {
                let q =
                    Query::new(&grammar, &combined).map_err(|e| err("queries", None, format!("combined {lang} query: {}", e.message)))?;
                debug_assert_eq!(q.pattern_count(), pattern_rule.len());
                Some(q)
            };
            let file_rules = rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.langs.contains(&lang) && matches!(r.check.run, CheckFn::File(_)))
                .map(|(i, _)| i)
                .collect();
            let mut triggers = prefilter::Builder::with_groups(token_groups.clone());
            for (index, rule) in rules.iter().enumerate().filter(|(_, r)| r.langs.contains(&lang)) {
                let groups: Vec<Vec<String>> = (!rule.spec.tokens.is_empty())
                    .then(|| rule.spec.tokens.clone())
                    .into_iter()
                    .chain(rule.spec.requires.iter().cloned())
                    .collect();
                if !groups.is_empty() {
                    triggers.rule(index, &groups).map_err(|e| err(&rule.file, None, e.to_string()))?;
                }
            }
            let prefilter = triggers.build().map_err(|e| err("rules", None, e.to_string()))?;
            matchers.insert(lang, LangMatcher { query, pattern_rule, file_rules, query_rules, prefilter });
        }
        Ok(Registry { rules, matchers })
    }

    pub fn matcher(&self, lang: Lang) -> Option<&LangMatcher> {
        self.matchers.get(&lang)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

fn find_query<'q>(queries: &BTreeMap<&'q str, &'q str>, lang: Lang, stem: &str) -> Option<(String, &'q str)> {
    std::iter::once(lang).chain(lang.query_fallbacks().iter().copied()).find_map(|l| {
        let path = format!("queries/{}/{stem}.scm", l.name());
        queries.get(path.as_str()).map(|src| (path, *src))
    })
}

/// Every `{placeholder}` in a text.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') && close > 0 => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Checks the rule's texts against what its check provides.
fn validate_texts(path: &str, spec: &RuleSpec, check: &CheckDef) -> Result<(), LoadError> {
    for variant in check.variants {
        if !spec.variants.contains_key(*variant) {
            return Err(err(path, None, format!("check `{}` chooses message variant `{variant}`, missing from [variants]", check.name)));
        }
    }
    if let Some(extra) = spec.variants.keys().find(|v| !check.variants.contains(&v.as_str())) {
        return Err(err(path, None, format!("unknown message variant `{extra}`: check `{}` never chooses it", check.name)));
    }
    for key in check.labels {
        if !spec.labels.contains_key(*key) {
            return Err(err(path, None, format!("check `{}` adds label `{key}`, missing from [labels]", check.name)));
        }
    }
    let texts = std::iter::once(&spec.message)
        .chain([&spec.label, &spec.help])
        .chain(spec.fix.as_ref().map(|f| &f.description))
        .chain(spec.variants.values())
        .chain(spec.labels.values());
    for text in texts {
        for name in placeholders(text) {
            if !check.vars.contains(&name) && !check.captures.contains(&name) {
                return Err(err(path, None, format!("unknown placeholder `{{{name}}}`: check `{}` provides {:?}", check.name, check.vars)));
            }
        }
    }
    Ok(())
}

/// Checks a query's captures and predicates.
fn validate_query(qpath: &str, qsrc: &str, query: &Query, rule: &Rule) -> Result<(), LoadError> {
    for name in query.capture_names() {
        let ok = *name == "report"
            || name.starts_with('_')
            || rule.check.captures.contains(name)
            || name.strip_prefix("label.").is_some_and(|key| rule.spec.labels.contains_key(key));
        if !ok {
            return Err(err(
                qpath,
                None,
                format!("unknown capture `@{name}`: use @report, @label.<key in [labels]>, @_private, or one of {:?}", rule.check.captures),
            ));
        }
    }
    for pattern in 0..query.pattern_count() {
        if let Some(p) = query.general_predicates(pattern).first() {
            let start = query.start_byte_for_pattern(pattern).min(qsrc.len());
            let line = qsrc[..start].matches('\n').count() + 1;
            return Err(err(
                qpath,
                Some(line),
                format!("unknown predicate `#{}` (built-in predicates only: #eq?, #match?, #any-of? and their negations)", p.operator),
            ));
        }
        if let Some(p) = query.property_settings(pattern).first() {
            return Err(err(qpath, None, format!("unsupported `#set! {}`", p.key)));
        }
    }
    if !query.capture_names().contains(&"report") {
        return Err(err(qpath, None, "the query has no @report capture"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
