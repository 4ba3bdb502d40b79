//! Applies the findings' fixes to one file's text until none is left: compatible fixes go in one pass, a fix whose
//! edits clash with one already taken waits for the next pass (after a re-lint), the loop stops at a fixed point or
//! after [`MAX_PASSES`], and a fix that would make the file fail to parse is dropped with a notice.
use std::collections::HashSet;

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
        let candidates: Vec<(&Finding, &Fix)> = out
            .findings
            .iter()
            .filter_map(|f| policy.fix_of(f).map(|fix| (f, fix)))
            .filter(|(f, fix)| !dropped.contains(&identity(f, fix, &out.text)))
            .collect();
        if candidates.is_empty() {
            return Ok(out);
        }
        let mut taken: Vec<&Edit> = Vec::new();
        let mut count = 0;
        let mut first_alone: Option<String> = None;
        for (finding, fix) in candidates {
            if fix.edits.iter().any(|e| taken.iter().any(|t| fix::clash(e, t))) {
                continue; // waits for the next pass
            }
            let Some(alone) = fix.apply(&out.text) else {
                dropped.insert(identity(finding, fix, &out.text));
                out.notices.push(format!("{}: the {} fix was not applied: its edits overlap", where_(finding), finding.rule));
                continue;
            };
            if host.has_syntax_error(&alone) {
                dropped.insert(identity(finding, fix, &out.text));
                out.notices.push(format!("{}: the {} fix was not applied: the file would no longer parse", where_(finding), finding.rule));
                continue;
            }
            taken.extend(&fix.edits);
            count += 1;
            first_alone.get_or_insert(alone);
        }
        let Some(first_alone) = first_alone else { continue };
        let mut next = fix::apply_edits(&out.text, taken).filter(|t| count == 1 || !host.has_syntax_error(t));
        if next.is_none() {
            // fixes that parse one by one but not together: take the first now, the others on the next pass
            next = Some(first_alone);
            count = 1;
        }
        out.text = next.unwrap_or_default();
        out.applied += count;
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
}
