//! The API between the engine and the checks: what a check is given (the file, the match's captures) and what it
//! returns (a [`Hit`] per finding), and the contract ([`CheckDef`]) the rule files are validated against.
use std::ops::Range;

use tree_sitter::Node;

use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};

/// The captures of one query match, by name.
pub struct Captures<'t> {
    pub items: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Captures<'t> {
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.items.iter().find(|(n, _)| *n == name).map(|(_, node)| *node)
    }
}

/// A check's verdict on one match: report this.
#[derive(Debug, Default)]
pub struct Hit {
    /// The primary range; `None` means the `@report` capture.
    pub range: Option<Range<usize>>,
    /// Placeholder values for the message, label and help.
    pub vars: Vec<(&'static str, String)>,
    /// A message variant named in the rule's `[variants]`.
    pub variant: Option<&'static str>,
    /// Secondary labels: (the rule's `[labels]` key, range). Their text may use the same placeholders.
    pub labels: Vec<(&'static str, Range<usize>)>,
    /// The fix's edits (the rule's `[fix]` gives applicability and description); `None`: no fix here.
    pub edits: Option<Vec<Edit>>,
    /// This fix's applicability when it differs from the rule's `[fix]` (a shape where the fix changes more).
    pub applicability: Option<Applicability>,
}

impl Hit {
    pub fn at(range: Range<usize>) -> Self {
        Hit { range: Some(range), ..Hit::default() }
    }

    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.vars.push((name, value.into()));
        self
    }

    pub fn label(mut self, key: &'static str, node: Node<'_>) -> Self {
        self.labels.push((key, node.byte_range()));
        self
    }

    pub fn variant(mut self, name: &'static str) -> Self {
        self.variant = Some(name);
        self
    }

    pub fn edits(mut self, edits: Vec<Edit>) -> Self {
        self.edits = Some(edits);
        self
    }

    /// Overrides the rule's fix applicability for this finding.
    pub fn applicability(mut self, applicability: Applicability) -> Self {
        self.applicability = Some(applicability);
        self
    }
}

/// How a check runs.
pub enum CheckFn {
    /// Once per query match of the rule, given the match's `@report` node: at most one finding.
    Match(for<'a> fn(&FileCx<'a>, Node<'a>, &Captures<'a>) -> Option<Hit>),
    /// Once per query match, for the checks that may report several findings of one match.
    MatchMany(for<'a> fn(&FileCx<'a>, Node<'a>, &Captures<'a>) -> Vec<Hit>),
    /// Once per file, without a query.
    File(for<'a> fn(&FileCx<'a>) -> Vec<Hit>),
    /// Findings the engine itself makes after the other rules ran (suppression comments).
    Engine,
}

/// A rule's check and the contract its rule file is validated against.
pub struct CheckDef {
    /// The id of the rule it decides: its rule file's `id`.
    pub rule: &'static str,
    /// Query captures it reads, besides `@report`, `@label.*` and `@_private` ones.
    pub captures: &'static [&'static str],
    /// Placeholders it fills.
    pub vars: &'static [&'static str],
    /// Message variants it may choose; each must be in the rule's `[variants]`.
    pub variants: &'static [&'static str],
    /// Label keys it may add; each must be in the rule's `[labels]`.
    pub labels: &'static [&'static str],
    pub run: CheckFn,
}
