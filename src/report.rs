//! What a run produced, for the renderers and the writer: the findings, the counts, the fixed files.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::finding::Finding;
use crate::fix::Policy;
use crate::position::LineCol;

/// Whether a run fixes what it finds, and which fixes count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Compute the fixed text of every file (`--fix` writes it, `--diff` prints it); findings are then those left.
    pub apply: bool,
    /// Which fixes apply (and which the summary calls fixable).
    pub policy: Policy,
}

/// One file the fixes changed: its text as read and as fixed.
#[derive(Debug, Clone)]
pub struct FixedFile {
    pub path: PathBuf,
    pub original: Arc<str>,
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// The file's findings before fixing: the report's again when the fixed text cannot be written.
    pub findings_before: Vec<Finding>,
}

/// A file that tree-sitter parsed only in part (ERROR or MISSING nodes: a syntax error, or syntax its grammar does not
/// know yet) while the `parse-error` rule was off for it: the summary counts it, `--verbose` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartlyParsed {
    pub path: PathBuf,
    /// Where the first error is, and what it is (`unexpected `...``, `missing `)``).
    pub start: LineCol,
    pub end: LineCol,
    pub what: String,
}

/// Everything a run found, sorted by path, line, column and rule.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_checked: usize,
    /// Files skipped: binary (NUL bytes), or too slow to parse.
    pub files_skipped: usize,
    /// Of those, files whose parse ran out of its time budget (each has a notice).
    pub files_too_slow: usize,
    /// Of those, walked files over the size limit (each has a notice).
    pub files_too_large: usize,
    /// Problems that make the run incomplete (missing paths, unreadable files): exit code 2.
    pub errors: Vec<String>,
    /// Things the user should know that do not fail the run.
    pub notices: Vec<String>,
    pub duration: Duration,
    /// The run's fix options; with `apply`, `findings` are what is left after fixing.
    pub fix: FixOptions,
    /// Files the fixes changed (only with `fix.apply`), sorted by path.
    pub fixed: Vec<FixedFile>,
    /// Files parsed only in part while `parse-error` was off for them, sorted by path.
    pub partly_parsed: Vec<PartlyParsed>,
}

impl Report {
    /// The findings that count: those no suppression comment silenced.
    pub fn unsuppressed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    pub fn suppressed_count(&self) -> usize {
        self.findings.len() - self.unsuppressed().count()
    }

    /// How many fixes were applied, over all files.
    pub fn fixes_applied(&self) -> usize {
        self.fixed.iter().map(|f| f.applied).sum()
    }

    /// Findings left that the run's policy could fix, and those only `--unsafe-fixes` would.
    pub fn fixable(&self) -> (usize, usize) {
        let with_unsafe = Policy { unsafe_fixes: true };
        let now = self.unsuppressed().filter(|f| self.fix.policy.fix_of(f).is_some()).count();
        let all = self.unsuppressed().filter(|f| with_unsafe.fix_of(f).is_some()).count();
        (now, all - now)
    }
}
