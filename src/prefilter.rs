//! Decides from a file's bytes, before it is parsed, which rules could possibly match it: every rule declares the
//! words its check needs (`tokens`, and `requires` groups), and one Aho-Corasick pass finds them all.
//!
//! A rule's trigger is a conjunction of groups: `tokens` is one group and each `requires` entry another; a group is
//! satisfied when one of its items is in the file. An item is a literal word, several words joined by ` & ` (all
//! must be present), a `/regular expression/` for what words cannot say (a route with a path argument), or
//! `@name`, any item of a named group of `rules/token-groups.toml`. The
//! words must be *necessary*: a file without them can never produce the rule's finding, so skipping it costs
//! nothing (`--no-prefilter` and the benchmark check this).
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use regex::Regex;

/// Words this short are frequent in code (`get`, `then`, `async`): the automaton would stop on every one of them,
/// so they are looked for on demand (after the rule's other groups matched) with a SIMD substring search.
const SHORT_WORD: usize = 5;

/// One item of a group.
#[derive(Debug, Clone)]
enum Item {
    /// Indexes into [`Prefilter::words`]: all must be present.
    Words(Vec<usize>),
    /// Indexes into [`Prefilter::short`]: all must be present.
    Short(Vec<usize>),
    /// Index into [`Prefilter::patterns`].
    Pattern(usize),
}

/// Why a trigger does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerError(pub String);

impl std::fmt::Display for TriggerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The trigger words of every rule of one language, compiled into one automaton.
#[derive(Debug)]
pub struct Prefilter {
    words: Vec<String>,
    automaton: Option<AhoCorasick>,
    /// Per word, the other words it contains (found whenever it is).
    inside: Vec<Vec<usize>>,
    /// Short words, searched on demand.
    short: Vec<memchr::memmem::Finder<'static>>,
    patterns: Vec<Regex>,
    /// Per rule index: its groups (all must be satisfied); a rule with no groups may always match.
    rules: HashMap<usize, Vec<Vec<Item>>>,
}

/// What a scan of one file found.
pub struct Scan<'s> {
    present: Vec<bool>,
    /// Short words, searched on first use.
    short: Vec<Option<bool>>,
    source: &'s str,
    /// Pattern results, computed on first use.
    patterns: Vec<Option<bool>>,
}

/// Builds a [`Prefilter`] rule by rule.
#[derive(Default)]
pub struct Builder {
    /// Named groups that `@name` items stand for.
    named: HashMap<String, Vec<String>>,
    words: Vec<String>,
    index: HashMap<String, usize>,
    short: Vec<String>,
    short_index: HashMap<String, usize>,
    patterns: Vec<Regex>,
    rules: HashMap<usize, Vec<Vec<Item>>>,
}

impl Builder {
    /// A builder that knows the named groups `@name` refers to.
    pub fn with_groups(named: HashMap<String, Vec<String>>) -> Self {
        Builder { named, ..Builder::default() }
    }

    /// Adds rule `rule`'s groups (each a list of items as written in the rule file).
    pub fn rule(&mut self, rule: usize, groups: &[Vec<String>]) -> Result<(), TriggerError> {
        let mut compiled = Vec::new();
        for group in groups {
            if group.is_empty() {
                return Err(TriggerError("an empty token group can never match".into()));
            }
            let mut items = Vec::new();
            for item in group {
                match item.strip_prefix('@') {
                    Some(name) => {
                        let named = self.named.get(name).cloned().ok_or_else(|| TriggerError(format!("unknown token group `{item}`")))?;
                        for item in &named {
                            items.push(self.item(item)?);
                        }
                    }
                    None => items.push(self.item(item)?),
                }
            }
            compiled.push(items);
        }
        // groups that need no on-demand search first: they are settled by the one scan
        compiled.sort_by_key(|group: &Vec<Item>| group.iter().any(|i| !matches!(i, Item::Words(_))));
        self.rules.insert(rule, compiled);
        Ok(())
    }

    fn item(&mut self, item: &str) -> Result<Item, TriggerError> {
        if let Some(pattern) = item.strip_prefix('/').and_then(|p| p.strip_suffix('/')).filter(|p| !p.is_empty()) {
            let re = Regex::new(pattern).map_err(|e| TriggerError(format!("token pattern `{item}` does not compile: {e}")))?;
            self.patterns.push(re);
            return Ok(Item::Pattern(self.patterns.len() - 1));
        }
        let parts: Vec<&str> = item.split(" & ").collect();
        if parts.iter().any(|w| w.trim().is_empty() || w.trim() != *w) {
            return Err(TriggerError(format!("token `{item}`: a word is empty or has spaces around it")));
        }
        if parts.iter().any(|w| w.len() <= SHORT_WORD) {
            let indexes = parts.iter().map(|w| intern(&mut self.short, &mut self.short_index, w)).collect();
            return Ok(Item::Short(indexes));
        }
        Ok(Item::Words(parts.iter().map(|w| intern(&mut self.words, &mut self.index, w)).collect()))
    }

    pub fn build(self) -> Result<Prefilter, TriggerError> {
        let short = self.short.iter().map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned()).collect();
        let automaton = if self.words.is_empty() {
            None
        } else {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.words)
                .map_err(|e| TriggerError(format!("token automaton: {e}")))?;
            Some(ac)
        };
        let inside = self
            .words
            .iter()
            .map(|outer| self.words.iter().enumerate().filter(|(_, w)| *w != outer && outer.contains(w.as_str())).map(|(i, _)| i).collect())
            .collect();
        Ok(Prefilter { words: self.words, automaton, inside, short, patterns: self.patterns, rules: self.rules })
    }
}

impl Prefilter {
    /// Finds which trigger words `source` contains, in one pass: at each position the longest word that starts there
    /// is found (a fast leftmost-longest search), the words inside it are implied, and the search goes on from the
    /// next position, so that overlapping words are found too.
    pub fn scan<'s>(&self, source: &'s str) -> Scan<'s> {
        let mut present = vec![false; self.words.len()];
        if let Some(ac) = &self.automaton {
            let mut missing = present.len();
            let mut at = 0;
            while missing > 0 {
                let Some(m) = ac.find(Input::new(source).span(at..source.len())) else { break };
                for &w in std::iter::once(&m.pattern().as_usize()).chain(&self.inside[m.pattern().as_usize()]) {
                    if !present[w] {
                        present[w] = true;
                        missing -= 1;
                    }
                }
                at = m.start() + 1;
            }
        }
        Scan { present, short: vec![None; self.short.len()], source, patterns: vec![None; self.patterns.len()] }
    }

    /// Could rule `rule` match a file with this scan? A rule without triggers always could.
    pub fn may_match(&self, rule: usize, scan: &mut Scan<'_>) -> bool {
        let Some(groups) = self.rules.get(&rule) else { return true };
        groups.iter().all(|group| group.iter().any(|item| self.item_matches(item, scan)))
    }

    fn item_matches(&self, item: &Item, scan: &mut Scan<'_>) -> bool {
        match item {
            Item::Words(words) => words.iter().all(|w| scan.present[*w]),
            Item::Short(words) => words.iter().all(|w| {
                let source = scan.source.as_bytes();
                *scan.short[*w].get_or_insert_with(|| self.short[*w].find(source).is_some())
            }),
            Item::Pattern(p) => *scan.patterns[*p].get_or_insert_with(|| self.patterns[*p].is_match(scan.source)),
        }
    }

    /// The number of distinct trigger words (for tests and diagnostics).
    pub fn word_count(&self) -> usize {
        self.words.len() + self.short.len()
    }
}

/// The index of `word` in `list`, added if new.
fn intern(list: &mut Vec<String>, index: &mut HashMap<String, usize>, word: &str) -> usize {
    let next = list.len();
    let at = *index.entry(word.to_string()).or_insert(next);
    if at == next {
        list.push(word.to_string());
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(rules: &[&[&[&str]]]) -> Prefilter {
        let mut b = Builder::default();
        for (i, groups) in rules.iter().enumerate() {
            let groups: Vec<Vec<String>> = groups.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect();
            b.rule(i, &groups).expect("compiles");
        }
        b.build().expect("builds")
    }

    #[test]
    fn every_group_must_have_one_item() {
        let p = build(&[&[&["setTimeout", "setInterval"], &["startSpan", "active & context"]]]);
        let may = |s: &str| p.may_match(0, &mut p.scan(s));
        assert!(may("setTimeout(() => tracer.startSpan('x'))"));
        assert!(may("setInterval(() => context.active())"));
        assert!(!may("setInterval(() => active())"), "`active` alone is not `active & context`");
        assert!(!may("tracer.startSpan('x')"), "no timer word");
        assert!(!may(""));
    }

    #[test]
    fn words_shared_by_rules_and_overlapping_words_are_all_found() {
        let p = build(&[&[&["startActiveSpan"]], &[&["Span"]], &[&["ActiveSpan & tracer"]], &[&["tracer & get"]]]);
        let mut scan = p.scan("tracer.startActiveSpan");
        assert!(p.may_match(0, &mut scan) && p.may_match(1, &mut scan) && p.may_match(2, &mut scan));
        assert!(!p.may_match(3, &mut scan), "`get` is not in the file");
        assert!(p.may_match(3, &mut p.scan("tracer.get()")));
        // `tracer` is short: it is searched on demand, once per file, as part of `tracer & get`
        assert_eq!(p.word_count(), 6);
    }

    #[test]
    fn overlapping_and_nested_words_are_all_found() {
        let p = build(&[&[&["ThreadPoolExecutor"]], &[&["Thread"]], &[&["PoolExecutorService"]], &[&["executor"]]]);
        let mut scan = p.scan("x = ThreadPoolExecutorService()");
        assert!(p.may_match(0, &mut scan), "the longest word at a position");
        assert!(p.may_match(1, &mut scan), "a word inside it");
        assert!(p.may_match(2, &mut scan), "a word that overlaps it");
        assert!(!p.may_match(3, &mut scan), "case matters");
    }

    #[test]
    fn patterns_say_what_words_cannot() {
        let p = build(&[&[&["/\\.get\\s*\\(\\s*['\"]\\//"]]]);
        assert!(p.may_match(0, &mut p.scan("app.get( '/users', handler)")));
        assert!(!p.may_match(0, &mut p.scan("map.get(key)")));
    }

    #[test]
    fn a_rule_without_triggers_always_may_match() {
        let p = build(&[]);
        assert!(p.may_match(7, &mut p.scan("anything")));
    }

    #[test]
    fn named_groups_stand_for_their_items() {
        let named = HashMap::from([("scope".to_string(), vec!["startSpan".to_string(), "with & context".to_string()])]);
        let mut b = Builder::with_groups(named);
        b.rule(0, &[vec!["setTimeout".to_string()], vec!["@scope".to_string()]]).expect("compiles");
        assert!(b.rule(1, &[vec!["@nope".to_string()]]).is_err());
        let p = b.build().expect("builds");
        assert!(p.may_match(0, &mut p.scan("setTimeout(f); context.with(c, g)")));
        assert!(!p.may_match(0, &mut p.scan("setTimeout(f); with")));
    }

    #[test]
    fn bad_triggers_are_errors() {
        let mut b = Builder::default();
        assert!(b.rule(0, &[vec![]]).is_err());
        assert!(b.rule(0, &[vec!["/(/".to_string()]]).is_err());
        assert!(b.rule(0, &[vec!["a &  b".to_string()]]).is_err());
        assert!(b.rule(0, &[vec!["".to_string()]]).is_err());
    }
}
