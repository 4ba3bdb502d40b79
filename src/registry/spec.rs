//! The on-disk rule format: one TOML file per rule, deserialized strictly (unknown keys are errors).
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::finding::Severity;
use crate::fix::Applicability;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    /// `<lang>/<name>`, or a bare name for rules of every language; public API.
    pub id: String,
    /// Grammar names: `javascript`, `typescript`, `tsx`, `python`, `rust`.
    pub languages: Vec<String>,
    pub severity: Severity,
    /// One line for `ctxlint rules` and SARIF's shortDescription.
    pub summary: String,
    /// The finding's message; `{placeholders}` are query captures or values the check provides.
    pub message: String,
    /// Text of the primary label under the flagged code.
    pub label: String,
    /// Shown as `help:`; may use placeholders.
    pub help: String,
    /// Whether the rule runs when no selection names it (`false` for opt-in rules).
    #[serde(default = "default_true")]
    pub default_enabled: bool,
    /// Trigger words of which at least one must be in a file for the rule to possibly match (see `crate::prefilter`
    /// for the item syntax: `word`, `word & other`, `/regex/`).
    #[serde(default)]
    pub tokens: Vec<String>,
    /// More groups of trigger words: the file must also hold one item of each.
    #[serde(default)]
    pub requires: Vec<Vec<String>>,
    /// The JavaScript context-manager models under which the rule can fire (empty: all of them).
    #[serde(default)]
    pub js_models: Vec<crate::jsmodel::JsModel>,
    /// Texts of the secondary labels: `@label.<name>` captures and labels the check adds.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Alternative messages the check may choose by name (e.g. per JS context-manager model).
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
    /// The suggested fix, for rules that have one.
    #[serde(default)]
    pub fix: Option<FixSpec>,
    pub docs: Docs,
    /// What the test suite asks of the rule's fixtures.
    pub tests: TestSpec,
    /// The programs that show the rule's claim against the real runtime (tests/witness/), for rules that make one.
    #[serde(default)]
    pub witness: Option<Witness>,
}

/// The rule's test metadata, read by the fixture tests.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TestSpec {
    /// Positive fixture cases (inline `expect:` marks) the rule keeps at least, so it cannot lose them silently.
    pub min_cases: usize,
    /// Why the rule has no `[witness]`: it makes no claim about a runtime. Every other rule has one.
    #[serde(default)]
    pub no_witness: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Witness {
    /// Paths from the repository root: at least one `bad` and one `good` program.
    pub programs: Vec<String>,
    /// The runtime and SDK versions the programs were shown with.
    pub runtime: String,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FixSpec {
    pub applicability: Applicability,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub bad: String,
    pub good: String,
    pub fix_safety: String,
    pub known_problems: String,
}
