//! Applies the findings' fixes to one file's text until none is left: compatible fixes go in one pass, a fix whose
//! edits clash with one already taken waits for the next pass (after a re-lint), the loop stops at a fixed point or
//! after [`MAX_PASSES`], and a fix that would make the file fail to parse is dropped with a notice.
use std::collections::{BTreeMap, HashSet};

use crate::finding::Finding;
use crate::fix::{self, Applicability, Edit, Fix};

/// The most lint-and-fix passes over one file. Each pass applies every fix that does not clash with another, so real
/// files settle in one or two; the bound stops a fix that does not remove its own finding from looping.
pub const MAX_PASSES: usize = 10;

/// Which fixes a run applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// Also apply fixes that may change timing or exception flow (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl Policy {
    /// Does this policy apply a fix of this applicability? Display-only fixes are never applied.
    pub fn applies(self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }

    /// The fix of `finding` this policy would apply, if any (suppressed findings are left alone).
    pub fn fix_of(self, finding: &Finding) -> Option<&Fix> {
        finding.fix.as_ref().filter(|f| finding.suppressed.is_none() && self.applies(f.applicability) && !f.edits.is_empty())
    }
}

/// What the fixer needs from the linter: lint a text as the file being fixed, and tell whether a text parses.
pub trait FixHost {
    /// Lints `text` as the same file, with the same settings.
    fn lint(&mut self, text: &str) -> Result<Vec<Finding>, String>;
    /// Does `text` hold a syntax error (an ERROR or MISSING node)?
    fn has_syntax_error(&mut self, text: &str) -> bool;
}

/// The result of fixing one file.
#[derive(Debug)]
pub struct Outcome {
    /// The fixed text (the original when nothing applied).
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// The findings of the fixed text.
    pub findings: Vec<Finding>,
    /// Fixes dropped or left over, for the user.
    pub notices: Vec<String>,
}

/// Fixes `source` (whose findings are `findings`) to a fixed point.
///
/// Each pass takes every fix whose edits do not clash with a fix taken before it, applies them all at once and parses
/// the result once. Only when that text does not parse are the fixes bisected: a fix that breaks the parse
/// on its own is dropped with a notice, and fixes that parse apart but not together wait for the next pass. So a pass
/// costs one parse when every fix is good, and about `k log n` parses when `k` of its `n` fixes are not.
pub fn fix_file(host: &mut dyn FixHost, source: &str, findings: Vec<Finding>, policy: Policy) -> Result<Outcome, String> {
    let mut out = Outcome { text: source.to_string(), applied: 0, findings, notices: Vec::new() };
    if !out.findings.iter().any(|f| policy.fix_of(f).is_some()) {
        return Ok(out);
    }
    if host.has_syntax_error(source) {
        if let Some(first) = out.findings.first() {
            out.notices.push(format!("{}: not fixed: the file does not parse (see parse-error)", first.path.display()));
        }
        return Ok(out);
    }
    // fixes that cannot be applied, by what they do (offsets move between passes), so they are not retried
    let mut dropped: HashSet<String> = HashSet::new();
    for _ in 0..MAX_PASSES {
        let candidates: Vec<Candidate<'_>> = out
            .findings
            .iter()
            .filter_map(|f| policy.fix_of(f).map(|fix| (f, fix)))
            .filter(|(f, fix)| dropped.is_empty() || !dropped.contains(&identity(f, fix, &out.text)))
            .collect();
        if candidates.is_empty() {
            return Ok(out);
        }
        let mut taken = Taken::default();
        let mut chosen: Vec<Candidate<'_>> = Vec::new();
        for (finding, fix) in candidates {
            if fix.edits.iter().any(|e| taken.clashes(e)) {
                continue; // waits for the next pass
            }
            if crate::fix::sorted_edits(&out.text, &fix.edits).is_none() {
                dropped.insert(identity(finding, fix, &out.text));
                out.notices.push(format!("{}: the {} fix was not applied: its edits overlap", where_(finding), finding.rule));
                continue;
            }
            taken.add(&fix.edits);
            chosen.push((finding, fix));
        }
        if chosen.is_empty() {
            continue;
        }
        let split = Check { host: &mut *host, text: &out.text }.split(&chosen);
        for (finding, fix) in &split.breaking {
            dropped.insert(identity(finding, fix, &out.text));
            out.notices.push(format!("{}: the {} fix was not applied: the file would no longer parse", where_(finding), finding.rule));
        }
        let Some(next) = split.text else { continue };
        out.applied += split.good.len();
        out.text = next;
        out.findings = host.lint(&out.text)?;
    }
    let left = out.findings.iter().filter(|f| policy.fix_of(f).is_some()).count();
    if left > 0 {
        if let Some(first) = out.findings.first() {
            out.notices.push(format!(
                "{}: fixes did not settle after {MAX_PASSES} passes; {left} left unapplied (please report this)",
                first.path.display()
            ));
        }
    }
    Ok(out)
}

/// The edits of the fixes taken in a pass, by start offset: they do not overlap (identical edits, such as one import
/// that several fixes add, are kept once), so whether a new edit clashes with any of them needs only its neighbours.
#[derive(Default)]
struct Taken<'a> {
    by_start: BTreeMap<usize, Vec<&'a Edit>>,
}

impl<'a> Taken<'a> {
    /// Does `edit` clash ([`fix::clash`]) with an edit taken before? The same answer as comparing it with each.
    fn clashes(&self, edit: &Edit) -> bool {
        let start = edit.range.start;
        // the last edit starting at or before `edit`: the only one that can reach over its start
        if let Some((_, before)) = self.by_start.range(..=start).next_back() {
            if before.iter().any(|t| fix::clash(edit, t)) {
                return true;
            }
        }
        // an edit starting inside `edit` overlaps it
        start < edit.range.end && self.by_start.range(start + 1..edit.range.end).next().is_some()
    }

    fn add(&mut self, edits: &'a [Edit]) {
        for e in edits {
            let same = self.by_start.entry(e.range.start).or_default();
            if !same.contains(&e) {
                same.push(e);
            }
        }
    }
}

/// A fix of a finding.
type Candidate<'f> = (&'f Finding, &'f Fix);

/// What checking a set of fixes together found.
struct Split<'f> {
    /// Fixes that parse together, in their order.
    good: Vec<Candidate<'f>>,
    /// The text with the good fixes applied (`None` when there is none).
    text: Option<String>,
    /// Fixes that make the text fail to parse on their own.
    breaking: Vec<Candidate<'f>>,
}

/// Applies sets of non-clashing fixes to one text and parses the result.
struct Check<'h, 't> {
    host: &'h mut dyn FixHost,
    text: &'t str,
}

impl Check<'_, '_> {
    /// The text with `fixes` applied, if it parses.
    fn parses(&mut self, fixes: &[Candidate<'_>]) -> Option<String> {
        let next = fix::apply_edits(self.text, fixes.iter().flat_map(|(_, fix)| &fix.edits))?;
        (!self.host.has_syntax_error(&next)).then_some(next)
    }

    /// Splits `fixes` (which do not clash) into a set that parses together, the fixes that break the parse on their
    /// own, and (in neither) fixes that parse apart but not with the others, which wait for the next pass. All of
    /// them together when that parses; else each half, recursively, then the halves' good sets together, or the
    /// first half's alone when they do not go together.
    fn split<'f>(&mut self, fixes: &[Candidate<'f>]) -> Split<'f> {
        if let Some(text) = self.parses(fixes) {
            return Split { good: fixes.to_vec(), text: Some(text), breaking: Vec::new() };
        }
        if fixes.len() == 1 {
            return Split { good: Vec::new(), text: None, breaking: fixes.to_vec() };
        }
        let (left, right) = fixes.split_at(fixes.len() / 2);
        let mut first = self.split(left);
        let second = self.split(right);
        first.breaking.extend(second.breaking);
        if second.good.is_empty() {
            return first;
        }
        if first.good.is_empty() {
            return Split { good: second.good, text: second.text, breaking: first.breaking };
        }
        // both halves whole make `fixes`, known not to parse
        if first.good.len() < left.len() || second.good.len() < right.len() {
            let both: Vec<Candidate<'f>> = first.good.iter().chain(&second.good).copied().collect();
            if let Some(text) = self.parses(&both) {
                return Split { good: both, text: Some(text), breaking: first.breaking };
            }
        }
        first
    }
}

fn where_(finding: &Finding) -> String {
    format!("{}:{}:{}", finding.path.display(), finding.start.line, finding.start.column)
}

/// What a fix does, independent of where the text moved: the rule, the flagged code and each edit's old and new text.
fn identity(finding: &Finding, fix: &Fix, text: &str) -> String {
    let mut key = format!("{}\u{0}{}", finding.rule, text.get(finding.range.clone()).unwrap_or(""));
    for e in &fix.edits {
        key.push('\u{0}');
        key.push_str(text.get(e.range.clone()).unwrap_or(""));
        key.push('\u{1}');
        key.push_str(&e.replacement);
    }
    key
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::finding::Severity;
    use crate::position::LineCol;

    /// A toy language: a finding for every `x` (fixed to `y`), a parse error for every `!`, and an optional extra
    /// fix per `x` that wraps the whole text (so it clashes with every other fix).
    struct Toy {
        applicability: Applicability,
        breaks: bool,
        lints: usize,
    }

    impl FixHost for Toy {
        fn lint(&mut self, text: &str) -> Result<Vec<Finding>, String> {
            self.lints += 1;
            let mut out = Vec::new();
            for (i, _) in text.match_indices('x') {
                let replacement = if self.breaks && i == 0 { "!" } else { "y" };
                out.push(finding(text, i, vec![Edit::replace(i..i + 1, replacement)], self.applicability));
            }
            for (i, _) in text.match_indices('w') {
                // a fix that clashes with any other fix: it rewrites the start of the text too
                out.push(finding(text, i, vec![Edit::insert(0, format!("<{i}")), Edit::replace(i..i + 1, "v")], self.applicability));
            }
            Ok(out)
        }

        fn has_syntax_error(&mut self, text: &str) -> bool {
            text.contains('!')
        }
    }

    fn finding(text: &str, at: usize, edits: Vec<Edit>, applicability: Applicability) -> Finding {
        Finding {
            rule: Arc::from("toy"),
            severity: Severity::Error,
            path: PathBuf::from("t.toy"),
            range: at..at + 1,
            start: LineCol { line: 1, column: at + 1 },
            end: LineCol { line: 1, column: at + 2 },
            message: String::new(),
            label: String::new(),
            labels: Vec::new(),
            help: None,
            fix: Some(Fix { applicability, description: String::new(), edits }),
            source: Arc::from(text),
            suppressed: None,
        }
    }

    fn run(text: &str, host: &mut Toy, policy: Policy) -> Outcome {
        let findings = host.lint(text).expect("lints");
        fix_file(host, text, findings, policy).expect("fixes")
    }

    #[test]
    fn compatible_fixes_go_in_one_pass() {
        let mut host = Toy { applicability: Applicability::Safe, breaks: false, lints: 0 };
        let out = run("x x x", &mut host, Policy::default());
        assert_eq!((out.text.as_str(), out.applied, out.findings.len()), ("y y y", 3, 0));
        assert_eq!(host.lints, 2, "the first lint and one re-lint");
    }

    #[test]
    fn clashing_fixes_wait_for_the_next_pass() {
        let mut host = Toy { applicability: Applicability::Safe, breaks: false, lints: 0 };
        let out = run("w w", &mut host, Policy::default());
        assert_eq!((out.text.as_str(), out.applied), ("<4<0v v", 2));
        assert_eq!(host.lints, 3, "two passes");
        assert!(out.notices.is_empty(), "{:?}", out.notices);
    }

    #[test]
    fn a_fix_that_breaks_the_parse_is_dropped_with_a_notice() {
        let mut host = Toy { applicability: Applicability::Safe, breaks: true, lints: 0 };
        let out = run("x x", &mut host, Policy::default());
        assert_eq!(out.text, "x y");
        assert_eq!(out.applied, 1);
        assert_eq!(out.notices, vec!["t.toy:1:1: the toy fix was not applied: the file would no longer parse".to_string()]);
    }

    #[test]
    fn unsafe_fixes_need_the_opt_in_and_display_only_ones_never_apply() {
        let mut host = Toy { applicability: Applicability::Unsafe, breaks: false, lints: 0 };
        assert_eq!(run("x", &mut host, Policy::default()).text, "x");
        assert_eq!(run("x", &mut host, Policy { unsafe_fixes: true }).text, "y");
        let mut host = Toy { applicability: Applicability::DisplayOnly, breaks: false, lints: 0 };
        assert_eq!(run("x", &mut host, Policy { unsafe_fixes: true }).text, "x");
    }

    #[test]
    fn a_file_that_does_not_parse_is_left_alone() {
        let mut host = Toy { applicability: Applicability::Safe, breaks: false, lints: 0 };
        let out = run("x !", &mut host, Policy::default());
        assert_eq!((out.text.as_str(), out.applied), ("x !", 0));
        assert_eq!(out.notices, vec!["t.toy: not fixed: the file does not parse (see parse-error)".to_string()]);
    }

    /// A fix that never removes its finding stops after MAX_PASSES, and says so.
    #[test]
    fn the_loop_is_bounded() {
        struct Forever;
        impl FixHost for Forever {
            fn lint(&mut self, text: &str) -> Result<Vec<Finding>, String> {
                Ok(vec![finding(text, 0, vec![Edit::insert(0, "a")], Applicability::Safe)])
            }
            fn has_syntax_error(&mut self, _: &str) -> bool {
                false
            }
        }
        let mut host = Forever;
        let findings = host.lint("b").expect("lints");
        let out = fix_file(&mut host, "b", findings, Policy::default()).expect("fixes");
        assert_eq!(out.applied, MAX_PASSES);
        assert_eq!(out.notices.len(), 1);
        assert!(out.notices[0].contains("did not settle"), "{:?}", out.notices);
    }

    /// A host for many fixes: a finding for every `x`, fixed to `y`, or to `!` (a parse error) at the offsets in
    /// `breaking`; `yy` is a parse error too (two fixes that parse apart but not together). Counts parses.
    struct Many {
        breaking: Vec<usize>,
        parses: usize,
    }

    impl FixHost for Many {
        fn lint(&mut self, text: &str) -> Result<Vec<Finding>, String> {
            let fix = |i: usize| if self.breaking.contains(&i) { "!" } else { "y" };
            Ok(text.match_indices('x').map(|(i, _)| finding(text, i, vec![Edit::replace(i..i + 1, fix(i))], Applicability::Safe)).collect())
        }

        fn has_syntax_error(&mut self, text: &str) -> bool {
            self.parses += 1;
            text.contains('!') || text.contains("yy")
        }
    }

    /// 1,000 compatible fixes: one parse of the file as it is, one of all the fixes together.
    #[test]
    fn many_good_fixes_cost_one_parse() {
        let text = "x ".repeat(1000);
        let mut host = Many { breaking: Vec::new(), parses: 0 };
        let findings = host.lint(&text).expect("lints");
        let out = fix_file(&mut host, &text, findings, Policy::default()).expect("fixes");
        assert_eq!((out.text, out.applied), ("y ".repeat(1000), 1000));
        assert_eq!(host.parses, 2);
        assert!(out.notices.is_empty(), "{:?}", out.notices);
    }

    /// Two bad fixes among 1,000: found by bisection, in about `2 log2(1000)` parses each, and dropped with the notice
    /// a fix that breaks the parse gets; the 998 others are applied in the same pass.
    #[test]
    fn bad_fixes_among_many_are_found_by_bisection() {
        let text = "x ".repeat(1000);
        let mut host = Many { breaking: vec![200, 1500], parses: 0 };
        let findings = host.lint(&text).expect("lints");
        let out = fix_file(&mut host, &text, findings, Policy::default()).expect("fixes");
        let mut want = "y ".repeat(1000);
        want.replace_range(200..201, "x");
        want.replace_range(1500..1501, "x");
        assert_eq!((out.text, out.applied), (want, 998));
        assert_eq!(
            out.notices,
            [
                "t.toy:1:201: the toy fix was not applied: the file would no longer parse",
                "t.toy:1:1501: the toy fix was not applied: the file would no longer parse"
            ]
        );
        assert!(host.parses <= 60, "{} parses", host.parses);
    }

    /// Fixes that parse one by one but not together: the first goes in now; on the next pass the other would break
    /// the parse on its own, so it is dropped with the notice.
    #[test]
    fn fixes_that_parse_apart_but_not_together_wait_for_the_next_pass() {
        let mut host = Many { breaking: Vec::new(), parses: 0 };
        let findings = host.lint("xx x").expect("lints");
        let out = fix_file(&mut host, "xx x", findings, Policy::default()).expect("fixes");
        assert_eq!((out.text.as_str(), out.applied), ("yx y", 2));
        assert_eq!(out.notices, ["t.toy:1:2: the toy fix was not applied: the file would no longer parse"]);
    }

    /// The index of taken edits answers as comparing with every taken edit does.
    #[test]
    fn taken_edits_clash_as_each_pair_does() {
        let taken_edits =
            [Edit::replace(2..4, "a"), Edit::insert(4, "b"), Edit::insert(0, "i"), Edit::replace(0..1, "c"), Edit::replace(8..9, "d")];
        let mut taken = Taken::default();
        taken.add(&taken_edits);
        for start in 0..11 {
            for end in start..11 {
                for text in ["a", "b", "i", "z"] {
                    let e = Edit::replace(start..end, text);
                    let each = taken_edits.iter().any(|t| fix::clash(&e, t));
                    assert_eq!(taken.clashes(&e), each, "{e:?}");
                }
            }
        }
    }
}
