//! Concise output, ruff's `concise`: one line per finding, `path:line:col: rule [*] message` (`[*]`: the run's fix
//! policy can fix it), for terminals and logs where code frames take too much room. The summary line follows.
use std::path::Path;

use super::display_path;
use crate::report::Report;

/// One line per unsuppressed finding, in the report's order, paths relative to `base`.
pub fn findings(report: &Report, base: &Path) -> String {
    let mut out = String::new();
    for f in report.unsuppressed() {
        let fixable = if report.fix.policy.fix_of(f).is_some() { " [*]" } else { "" };
        // a message is one line here, whatever the rule wrote
        let message = f.message.replace(['\r', '\n'], " ");
        out.push_str(&format!("{}:{}:{}: {}{fixable} {message}\n", display_path(&f.path, base), f.start.line, f.start.column, f.rule));
    }
    out
}

/// The findings, then (unless `quiet`) the summary line.
pub fn render(report: &Report, base: &Path, quiet: bool, with_time: bool) -> String {
    let mut out = findings(report, base);
    if !quiet {
        out.push_str(&super::human::summary(report, with_time));
        out.push('\n');
    }
    out
}

/// `--statistics`: one line per rule with findings, most findings first: the count, the rule id, `[*]` when the run's
/// fix policy can fix some of them, and the rule's summary.
pub fn statistics(report: &Report, registry: &crate::registry::Registry) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, bool)> = std::collections::BTreeMap::new();
    for f in report.unsuppressed() {
        let entry = counts.entry(&f.rule).or_default();
        entry.0 += 1;
        entry.1 |= report.fix.policy.fix_of(f).is_some();
    }
    let mut rows: Vec<(&str, usize, bool)> = counts.into_iter().map(|(rule, (n, fixable))| (rule, n, fixable)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let count_w = rows.iter().map(|r| r.1.to_string().len()).max().unwrap_or(1);
    let rule_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(1);
    let mut out = String::new();
    for (rule, n, fixable) in rows {
        let summary = registry.get(rule).map_or("", |r| r.spec.summary.as_str());
        let mark = if fixable { "[*]" } else { "   " };
        out.push_str(format!("{n:>count_w$}  {rule:rule_w$}  {mark} {summary}").trim_end());
        out.push('\n');
    }
    out
}
