//! Named Rust checks: the part of a rule that a tree-sitter query cannot say (negation, data flow, "inside a
//! try/finally that detaches"). A rule's TOML names its check; the query finds candidates, the check decides.
use std::ops::Range;

use tree_sitter::Node;

use crate::file_cx::FileCx;
use crate::fix::{Applicability, Edit};

mod js_common;
mod js_consumer_without_extract;
mod js_floating_promise;
mod js_heavy_als_store;
mod js_messaging;
mod js_producer_without_inject;
mod js_unbound_listener;
mod js_unbound_timer;
mod parse_error;
mod py_attach_without_detach;
mod py_background_task_in_span;
mod py_common;
mod py_consumer_without_extract;
mod py_dangling_task;
mod py_executor_without_context;
mod py_process_without_inject;
mod py_span_across_yield;
mod rs_guard_across_await;
mod rs_spawn_without_instrument;

/// The engine's own suppression checks (see `crate::suppress`).
pub static UNUSED_SUPPRESSION: CheckDef =
    CheckDef { name: "unused-suppression", captures: &[], vars: &["id", "why"], variants: &[], labels: &[], run: CheckFn::Engine };
pub static SUPPRESSION_WITHOUT_REASON: CheckDef =
    CheckDef { name: "suppression-without-reason", captures: &[], vars: &["ids"], variants: &[], labels: &[], run: CheckFn::Engine };

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
    /// Once per query match of the rule.
    Match(for<'a, 't> fn(&FileCx<'a>, &Captures<'t>) -> Vec<Hit>),
    /// Once per file, without a query.
    File(for<'a> fn(&FileCx<'a>) -> Vec<Hit>),
    /// Findings the engine itself makes after the other rules ran (suppression comments).
    Engine,
}

/// A named check and the contract the rule files are validated against.
pub struct CheckDef {
    pub name: &'static str,
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

/// Every check, by name.
pub static CHECKS: &[&CheckDef] = &[
    &parse_error::CHECK,
    &js_unbound_timer::CHECK,
    &js_floating_promise::CHECK,
    &js_unbound_listener::CHECK,
    &js_consumer_without_extract::CHECK,
    &js_producer_without_inject::CHECK,
    &js_heavy_als_store::CHECK,
    &py_executor_without_context::CHECK,
    &py_attach_without_detach::CHECK,
    &py_dangling_task::CHECK,
    &py_process_without_inject::CHECK,
    &py_background_task_in_span::CHECK,
    &py_span_across_yield::CHECK,
    &py_consumer_without_extract::CHECK,
    &rs_guard_across_await::CHECK,
    &rs_spawn_without_instrument::CHECK,
    &UNUSED_SUPPRESSION,
    &SUPPRESSION_WITHOUT_REASON,
];

pub fn find(name: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().copied().find(|c| c.name == name)
}
