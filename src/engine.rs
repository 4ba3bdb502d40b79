//! Lints one source text: parse once, run the language's combined query once, hand each match to its rule's
//! check, and turn the checks' verdicts into findings.
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use std::time::{Duration, Instant};
use streaming_iterator::StreamingIterator;

use tree_sitter::{ParseOptions, ParseState, Parser, QueryCursor, Tree};

use crate::check_api::{Captures, CheckFn, Hit};
use crate::file_cx::{FileCx, Runtime};
use crate::finding::{Finding, Label};
use crate::fix::Fix;
use crate::lang::Lang;
use crate::registry::{CompiledQuery, Registry, Rule};
use crate::report::PartlyParsed;
use crate::template::{fill, shorten};

/// The rule that reports files tree-sitter parses only in part; off by default, when such a file is only counted.
pub const PARSE_ERROR_RULE: &str = "parse-error";

/// Reusable per-thread parsing state.
pub struct Workspace {
    parsers: HashMap<Lang, Parser>,
    cursor: QueryCursor,
}

impl Default for Workspace {
    fn default() -> Self {
        let mut cursor = QueryCursor::new();
        cursor.set_match_limit(4096);
        Workspace { parsers: HashMap::new(), cursor }
    }
}

impl Workspace {
    /// Parses `source` as `lang` with this thread's parser for it, within the time [`parse_budget`] allows.
    pub fn parse(&mut self, lang: Lang, source: &str) -> Result<Tree, EngineError> {
        self.parse_within(lang, source, parse_budget(source.len()))
    }

    /// Parses within `budget`: tree-sitter's progress callback cancels a parse that takes longer (some inputs make a
    /// grammar backtrack for minutes).
    pub fn parse_within(&mut self, lang: Lang, source: &str, budget: Duration) -> Result<Tree, EngineError> {
        let parser = match self.parsers.entry(lang) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let mut p = Parser::new();
                p.set_language(&lang.grammar()).map_err(|e| EngineError::Grammar(lang, e.to_string()))?;
                v.insert(p)
            }
        };
        // A UTF-8 byte order mark is not code: parse it as three spaces; and a lone `\r` (old Mac line endings, which
        // tree-sitter-python does not take for a line break) as `\n`: every byte offset stays the same.
        let owned: Vec<u8>;
        let raw = source.as_bytes();
        let is_lone_cr = |i: usize| raw[i] == b'\r' && raw.get(i + 1) != Some(&b'\n');
        let bom = source.starts_with('\u{feff}');
        let lone_cr = raw.contains(&b'\r') && (0..raw.len()).any(is_lone_cr);
        let bytes = if bom || lone_cr {
            let mut copy = raw.to_vec();
            if bom {
                copy[..3].fill(b' ');
            }
            for (i, b) in copy.iter_mut().enumerate() {
                if lone_cr && is_lone_cr(i) {
                    *b = b'\n';
                }
            }
            owned = copy;
            &owned[..]
        } else {
            raw
        };
        let deadline = Instant::now() + budget;
        let mut out_of_time = false;
        let mut progress = |_: &ParseState| {
            out_of_time = Instant::now() > deadline;
            out_of_time
        };
        let options = ParseOptions::new().progress_callback(&mut progress);
        let tree = parser.parse_with_options(&mut |at, _| bytes.get(at..).unwrap_or(&[]), None, Some(options));
        match tree {
            Some(tree) => Ok(tree),
            None => {
                // a cancelled parse would otherwise resume on the next file
                parser.reset();
                Err(if out_of_time { EngineError::OutOfTime(budget) } else { EngineError::NoTree })
            }
        }
    }
}

/// How long one file may take to parse: 5 s, plus 2 s per MB (tree-sitter parses several MB a second, so only
/// pathological input reaches it).
pub fn parse_budget(len: usize) -> Duration {
    Duration::from_secs(5) + Duration::from_millis((len as u64).saturating_mul(2) / 1000)
}

/// What to run.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Skip rules, and files no rule could match (not even parsed), when a file lacks a rule's trigger words.
    pub prefilter: bool,
    /// Rule ids to run; `None` runs the rules that are on by default.
    pub enabled: Option<HashSet<String>>,
    /// Report suppression comments that give no reason (`suppression-without-reason`).
    pub require_reason: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions { prefilter: true, enabled: None, require_reason: false }
    }
}

impl EngineOptions {
    /// Does this run report `rule`'s findings?
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        if &*rule.id == crate::suppress::WITHOUT_REASON_RULE && self.require_reason {
            return true;
        }
        match &self.enabled {
            Some(set) => set.contains(&*rule.id),
            None => rule.spec.default_enabled,
        }
    }
}

/// Why a file could not be linted.
#[derive(Debug)]
pub enum EngineError {
    /// The grammar does not load into this tree-sitter (ABI mismatch).
    Grammar(Lang, String),
    /// tree-sitter returned no tree though the parse stayed within its time budget.
    NoTree,
    /// Parsing took longer than the file's budget.
    OutOfTime(Duration),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Grammar(lang, e) => write!(f, "the {lang} grammar does not load: {e}"),
            EngineError::NoTree => write!(f, "tree-sitter returned no tree"),
            EngineError::OutOfTime(budget) => write!(f, "parsing took longer than {:.0} s; skipped", budget.as_secs_f64()),
        }
    }
}

/// What linting one source gave.
#[derive(Debug, Default)]
pub struct Linted {
    pub findings: Vec<Finding>,
    /// The file's first parse error, when tree-sitter parsed it only in part and `parse-error` is off for it (then
    /// no finding says so).
    pub partly_parsed: Option<PartlyParsed>,
}

/// Lints `source` as a file of `lang` at `path`.
///
/// The file is parsed only when some enabled rule could match it ([`crate::prefilter`]) or it holds a suppression
/// comment; with `options.prefilter` off every file is parsed and every rule runs, with the same findings.
pub fn lint_source(
    registry: &Registry,
    ws: &mut Workspace,
    options: &EngineOptions,
    path: &Path,
    lang: Lang,
    source: Arc<str>,
    runtime: Runtime,
) -> Result<Linted, EngineError> {
    let Some(matcher) = registry.matcher(lang) else { return Ok(Linted::default()) };
    let enabled = |rule: &Rule| options.is_enabled(rule);
    if options.prefilter && !registry.rules.iter().any(|r| r.langs.contains(&lang) && enabled(r)) {
        return Ok(Linted::default());
    }
    let mut scan = matcher.prefilter.scan(&source);
    let may_match: Vec<bool> = registry
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let model_ok =
                r.spec.js_models.is_empty() || lang.family() != crate::lang::Family::Js || r.spec.js_models.contains(&runtime.js.model);
            r.langs.contains(&lang) && enabled(r) && model_ok && matcher.prefilter.may_match(i, &mut scan)
        })
        .collect();
    // a rule that reads code could match: parse-error (a file rule) only speaks for such files, whatever the mode
    let reads_code = matcher.query_rules.iter().any(|&r| may_match[r]);
    // the suppression rules (trigger word `ctxlint-ignore`) need the tree for the comments they report on
    let reads_comments = registry.rules.iter().enumerate().any(|(i, r)| matches!(r.check.run, CheckFn::Engine) && may_match[i]);
    if options.prefilter && !reads_code && !reads_comments {
        return Ok(Linted::default());
    }
    let active: Vec<bool> =
        registry.rules.iter().enumerate().map(|(i, r)| if options.prefilter { may_match[i] } else { enabled(r) }).collect();

    let tree = ws.parse(lang, &source)?;
    let cx = FileCx::new(&source, &tree, lang, runtime);
    let mut out = Out { cx: &cx, path, source: &source, findings: Vec::new(), seen: HashSet::new() };

    let mut partly_parsed = None;
    for &rule_index in &matcher.file_rules {
        let rule = &registry.rules[rule_index];
        let (true, CheckFn::File(run)) = (reads_code, &rule.check.run) else { continue };
        if enabled(rule) {
            for hit in run(&cx) {
                out.push(rule, hit, &Captures { items: Vec::new() });
            }
        } else if &*rule.id == PARSE_ERROR_RULE && tree.root_node().has_error() {
            // off (the default): the file is counted in the summary instead, and named by `--verbose`
            let mut first = Out { cx: &cx, path, source: &source, findings: Vec::new(), seen: HashSet::new() };
            if let Some(hit) = run(&cx).into_iter().next() {
                first.push(rule, hit, &Captures { items: Vec::new() });
            }
            partly_parsed =
                first.findings.into_iter().next().map(|f| PartlyParsed { path: f.path, start: f.start, end: f.end, what: f.label });
        }
    }

    let compiled = matcher.query(&registry.rules).map_err(|e| EngineError::Grammar(lang, e.to_string()))?;
    if let Some(CompiledQuery { query, pattern_rule }) = compiled {
        if matcher.query_rules.iter().any(|&r| active[r]) {
            let names = query.capture_names();
            let mut matches = ws.cursor.matches(query, tree.root_node(), source.as_bytes());
            while let Some(m) = matches.next() {
                let rule_index = pattern_rule[m.pattern_index];
                if !active[rule_index] {
                    continue;
                }
                let rule = &registry.rules[rule_index];
                let captures = Captures { items: m.captures.iter().map(|c| (names[c.index as usize], c.node)).collect() };
                let Some(report) = captures.get("report") else { continue };
                match rule.check.run {
                    CheckFn::Match(run) => {
                        if let Some(hit) = run(&cx, report, &captures) {
                            out.push(rule, hit, &captures);
                        }
                    }
                    CheckFn::MatchMany(run) => {
                        for hit in run(&cx, report, &captures) {
                            out.push(rule, hit, &captures);
                        }
                    }
                    CheckFn::File(_) | CheckFn::Engine => {}
                }
            }
        }
    }
    let directives = crate::suppress::collect(tree.root_node(), &source, lang);
    if !directives.is_empty() {
        let no_captures = Captures { items: Vec::new() };
        let enabled = |id: &str| registry.get(id).map(|rule| options.is_enabled(rule));
        for (rule_id, hit) in crate::suppress::apply(&mut out.findings, &directives, &enabled, &source, lang) {
            if let Some(rule) = registry.get(rule_id) {
                out.push(rule, hit, &no_captures);
            }
        }
    }
    Ok(Linted { findings: out.findings, partly_parsed })
}

struct Out<'a> {
    cx: &'a FileCx<'a>,
    path: &'a Path,
    source: &'a Arc<str>,
    findings: Vec<Finding>,
    /// (rule, range) already reported: two patterns of one rule may match the same code.
    seen: HashSet<(Arc<str>, usize, usize)>,
}

impl Out<'_> {
    fn push(&mut self, rule: &Rule, hit: Hit, captures: &Captures<'_>) {
        let Some(range) = hit.range.clone().or_else(|| captures.get("report").map(|n| n.byte_range())) else { return };
        if !self.seen.insert((rule.id.clone(), range.start, range.end)) {
            return;
        }
        let value = |name: &str| {
            let var = hit.vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
            var.or_else(|| captures.get(name).map(|node| shorten(self.cx.text(node))))
        };
        let fill = |template: &str| fill(template, value);
        let message_template = hit.variant.and_then(|v| rule.spec.variants.get(v)).unwrap_or(&rule.spec.message);
        let mut labels: Vec<Label> = Vec::new();
        for (name, node) in &captures.items {
            if let Some(key) = name.strip_prefix("label.") {
                if let Some(text) = rule.spec.labels.get(key) {
                    labels.push(Label { range: node.byte_range(), message: fill(text) });
                }
            }
        }
        for (key, r) in &hit.labels {
            if let Some(text) = rule.spec.labels.get(*key) {
                labels.push(Label { range: r.clone(), message: fill(text) });
            }
        }
        labels.retain(|l| l.range != range);
        labels.sort_by_key(|l| (l.range.start, l.range.end));
        labels.dedup_by(|a, b| a.range == b.range);
        let fix = match (&hit.edits, &rule.spec.fix) {
            (Some(edits), Some(spec)) => Some(Fix {
                applicability: hit.applicability.unwrap_or(spec.applicability),
                description: fill(&spec.description),
                edits: edits.clone(),
            }),
            _ => None,
        };
        let lines = self.cx.lines();
        self.findings.push(Finding {
            rule: rule.id.clone(),
            severity: rule.spec.severity,
            path: self.path.to_path_buf(),
            start: lines.line_col(self.source, range.start),
            end: lines.line_col(self.source, range.end),
            range,
            message: fill(message_template),
            label: fill(&rule.spec.label),
            labels,
            help: Some(fill(&rule.spec.help)).filter(|h| !h.is_empty()),
            fix,
            source: self.source.clone(),
            suppressed: None,
        });
    }
}
