//! A finding is plain data: which rule, where, what to say, and the suggested fix. Every output renders these.
use std::{ops::Range, path::PathBuf, sync::Arc};

use serde::{Deserialize, Serialize};

use crate::fix::Fix;
use crate::position::LineCol;

/// How serious a rule's findings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A secondary location that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: Range<usize>,
    pub message: String,
}

/// One problem in one file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<str>,
    pub severity: Severity,
    /// The path as it was given or found by the walk.
    pub path: PathBuf,
    /// The flagged bytes (the primary label).
    pub range: Range<usize>,
    pub start: LineCol,
    pub end: LineCol,
    pub message: String,
    /// The primary label's text, shown under the code.
    pub label: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The file's text, shared by all findings of that file, for code frames.
    pub source: Arc<str>,
    /// Set when an inline `ctxlint-ignore` comment silences the finding: it is still reported in JSON and SARIF,
    /// but not shown to people and not counted for the exit code.
    pub suppressed: Option<Suppressed>,
}

/// How a finding was silenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// The reason written after `]:`, if any.
    pub justification: Option<String>,
}

impl Finding {
    /// The order every output uses: path, line, column, then rule id.
    pub fn sort_key(&self) -> (&PathBuf, LineCol, &str, usize) {
        (&self.path, self.start, &self.rule, self.range.end)
    }
}
