//! Loads the embedded rule files and queries, validates them against their checks, and compiles one combined
//! query per language so that a file is matched in one pass whatever the number of rules.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use tree_sitter::{CaptureQuantifier, Query};

use crate::check_api::{CheckDef, CheckFn};
use crate::checks;
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

/// The matcher of one language: every rule's query concatenated into one (compiled on first use: compiling the
/// TypeScript queries takes longer than linting a small project), and the rules' trigger words.
pub struct LangMatcher {
    lang: Lang,
    /// `(rule index, query path, query source)` in the order they are concatenated.
    sources: Vec<(usize, String, String)>,
    compiled: OnceLock<Result<Option<CompiledQuery>, LoadError>>,
    /// Rules of this language whose check runs once per file.
    pub file_rules: Vec<usize>,
    /// Rules of this language that have a query.
    pub query_rules: Vec<usize>,
    /// The rules' trigger words, to skip what cannot match before parsing.
    pub prefilter: Prefilter,
}

/// One language's combined query.
pub struct CompiledQuery {
    pub query: Query,
    /// The rule index of each pattern of `query`.
    pub pattern_rule: Vec<usize>,
}

impl LangMatcher {
    /// The combined query (`None` when no rule of the language has one), compiled and checked on first use.
    pub fn query(&self, rules: &[Rule]) -> Result<Option<&CompiledQuery>, LoadError> {
        self.compiled.get_or_init(|| compile(self.lang, &self.sources, rules)).as_ref().map(Option::as_ref).map_err(Clone::clone)
    }
}

/// Compiles the queries of one language as one, and checks each rule's patterns against its check.
fn compile(lang: Lang, sources: &[(usize, String, String)], rules: &[Rule]) -> Result<Option<CompiledQuery>, LoadError> {
    if sources.is_empty() {
        return Ok(None);
    }
    let mut combined = String::new();
    // (start offset in `combined`, index into `sources`)
    let mut sections = Vec::new();
    for (i, (_, _, src)) in sources.iter().enumerate() {
        sections.push((combined.len(), i));
        combined.push_str(src);
        combined.push('\n');
    }
    let section_of = |offset: usize| sections.iter().rev().find(|(start, _)| *start <= offset).copied().unwrap_or((0, 0));
    let query = Query::new(&lang.grammar(), &combined).map_err(|e| {
        let (start, i) = section_of(e.offset);
        let (_, qpath, _) = &sources[i];
        let line = combined[start..e.offset.min(combined.len()).max(start)].matches('\n').count() + 1;
        err(qpath, Some(line), format!("{} (column {}, compiled for {lang})", e.message, e.column + 1))
    })?;
    let mut pattern_rule = Vec::with_capacity(query.pattern_count());
    for pattern in 0..query.pattern_count() {
        let (start, i) = section_of(query.start_byte_for_pattern(pattern));
        let (rule_index, qpath, _) = &sources[i];
        let line = combined[start..query.start_byte_for_pattern(pattern).max(start)].matches('\n').count() + 1;
        validate_pattern(qpath, line, &query, pattern, &rules[*rule_index])?;
        pattern_rule.push(*rule_index);
    }
    for (rule_index, qpath, _) in sources {
        let has_report = (0..query.pattern_count()).filter(|p| pattern_rule[*p] == *rule_index).any(|p| {
            query
                .capture_names()
                .iter()
                .position(|n| *n == "report")
                .is_some_and(|c| query.capture_quantifiers(p)[c] != CaptureQuantifier::Zero)
        });
        if !has_report {
            return Err(err(qpath, None, "the query has no @report capture"));
        }
    }
    Ok(Some(CompiledQuery { query, pattern_rule }))
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
    // the embedded queries are compiled per language when first needed; tests load them all eagerly
    REGISTRY.get_or_init(|| Registry::load_lazy(embedded::EMBEDDED)).as_ref().map_err(Clone::clone)
}

impl Registry {
    /// Loads rules from `(path, contents)` pairs: `rules/**/*.toml` and `queries/<lang>/<name>.scm`. Queries are
    /// compiled when a language is first linted ([`LangMatcher::query`]).
    pub fn load_lazy(files: &[(&str, &str)]) -> Result<Registry, LoadError> {
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
            let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml");
            let expected_id = match path.strip_prefix("rules/").and_then(|p| p.split_once('/')) {
                Some((dir, _)) if dir != "common" => format!("{dir}/{stem}"),
                _ => stem.to_string(),
            };
            if spec.id != expected_id {
                return Err(err(path, None, format!("rule id `{}` does not match its file (expected `{expected_id}`)", spec.id)));
            }
            let check = find_check(&spec.id).ok_or_else(|| {
                let module = expected_id.replace(['/', '-'], "_");
                err(
                    path,
                    None,
                    format!(
                        "no check decides rule `{}`: expected `pub static CHECK` with `rule: \"{}\"` in src/checks/{module}.rs",
                        spec.id, spec.id
                    ),
                )
            })?;
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
                if matches!(check.run, CheckFn::Match(_) | CheckFn::MatchMany(_)) {
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
            let sources: Vec<(usize, String, String)> = per_lang
                .get(&lang)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .map(|(i, qpath, qsrc)| (*i, qpath.clone(), qsrc.to_string()))
                .collect();
            let query_rules = sources.iter().map(|(i, _, _)| *i).collect();
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
            matchers.insert(lang, LangMatcher { lang, sources, compiled: OnceLock::new(), file_rules, query_rules, prefilter });
        }
        Ok(Registry { rules, matchers })
    }

    /// Loads rules and compiles every language's query at once, so that any error shows now (tests, tools).
    pub fn load(files: &[(&str, &str)]) -> Result<Registry, LoadError> {
        let registry = Registry::load_lazy(files)?;
        for lang in Lang::ALL {
            if let Some(m) = registry.matcher(lang) {
                m.query(&registry.rules)?;
            }
        }
        Ok(registry)
    }

    pub fn matcher(&self, lang: Lang) -> Option<&LangMatcher> {
        self.matchers.get(&lang)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

/// The check of the rule `id`: a rule's own (`src/checks/`), or one of the engine's suppression checks.
fn find_check(id: &str) -> Option<&'static CheckDef> {
    checks::CHECKS.iter().chain(crate::suppress::CHECKS).copied().find(|c| c.rule == id)
}

fn find_query<'q>(queries: &BTreeMap<&'q str, &'q str>, lang: Lang, stem: &str) -> Option<(String, &'q str)> {
    std::iter::once(lang).chain(lang.query_fallbacks().iter().copied()).find_map(|l| {
        let path = format!("queries/{}/{stem}.scm", l.name());
        queries.get(path.as_str()).map(|src| (path, *src))
    })
}

/// Checks the rule's texts against what its check provides.
fn validate_texts(path: &str, spec: &RuleSpec, check: &CheckDef) -> Result<(), LoadError> {
    for variant in check.variants {
        if !spec.variants.contains_key(*variant) {
            return Err(err(
                path,
                None,
                format!("the check of `{}` chooses message variant `{variant}`, missing from [variants]", check.rule),
            ));
        }
    }
    if let Some(extra) = spec.variants.keys().find(|v| !check.variants.contains(&v.as_str())) {
        return Err(err(path, None, format!("unknown message variant `{extra}`: the check of `{}` never chooses it", check.rule)));
    }
    for key in check.labels {
        if !spec.labels.contains_key(*key) {
            return Err(err(path, None, format!("the check of `{}` adds label `{key}`, missing from [labels]", check.rule)));
        }
    }
    let texts = std::iter::once(&spec.message)
        .chain([&spec.label, &spec.help])
        .chain(spec.fix.as_ref().map(|f| &f.description))
        .chain(spec.variants.values())
        .chain(spec.labels.values());
    for text in texts {
        for name in crate::template::placeholders(text) {
            if !check.vars.contains(&name) && !check.captures.contains(&name) {
                return Err(err(
                    path,
                    None,
                    format!("unknown placeholder `{{{name}}}`: the check of `{}` provides {:?}", check.rule, check.vars),
                ));
            }
        }
    }
    Ok(())
}

/// Checks a query's captures and predicates.
fn validate_pattern(qpath: &str, line: usize, query: &Query, pattern: usize, rule: &Rule) -> Result<(), LoadError> {
    for (c, name) in query.capture_names().iter().enumerate() {
        if query.capture_quantifiers(pattern)[c] == CaptureQuantifier::Zero {
            continue;
        }
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
    if let Some(p) = query.general_predicates(pattern).first() {
        return Err(err(
            qpath,
            Some(line),
            format!("unknown predicate `#{}` (built-in predicates only: #eq?, #match?, #any-of? and their negations)", p.operator),
        ));
    }
    if let Some(p) = query.property_settings(pattern).first() {
        return Err(err(qpath, None, format!("unsupported `#set! {}`", p.key)));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
