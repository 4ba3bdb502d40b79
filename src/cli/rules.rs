//! `ctxlint rules` (the rule list) and `ctxlint rule ID` (one rule's page), and loading the built-in rules for every
//! command.
use super::exit::ExitStatus;
use super::notice;
use super::stdout::{emit, finish};
use super::RulesFormat;
use crate::registry::{self, Registry};

/// The built-in rules; an internal error (reported) when one does not load.
pub(super) fn load_registry() -> Result<&'static Registry, ExitStatus> {
    registry::builtin().map_err(|e| {
        notice::error(format_args!("internal: a built-in rule does not load: {e}"));
        ExitStatus::Error
    })
}

/// `ctxlint rules`: the table, the README's Markdown table, or JSON.
pub(super) fn list_rules(markdown: bool, format: RulesFormat) -> ExitStatus {
    match load_registry() {
        Ok(r) if markdown => finish(emit(&crate::docs::rules_markdown(r)), ExitStatus::Success),
        Ok(r) if format == RulesFormat::Json => finish(emit(&crate::docs::rules_json(r)), ExitStatus::Success),
        Ok(r) => finish(emit(&crate::docs::rules_table(r)), ExitStatus::Success),
        Err(status) => status,
    }
}

/// `ctxlint rule ID`: the rule's page, or an error naming the ids it may have meant.
pub(super) fn show_rule(id: &str) -> ExitStatus {
    let registry = match load_registry() {
        Ok(r) => r,
        Err(status) => return status,
    };
    match registry.get(id) {
        Some(rule) => finish(emit(&crate::docs::rule_page(rule)), ExitStatus::Success),
        None => {
            let similar = crate::docs::similar_ids(registry, id);
            let hint = if similar.is_empty() { String::new() } else { format!(" (did you mean {}?)", similar.join(", ")) };
            notice::error(format_args!("unknown rule `{id}`{hint}; `ctxlint rules` lists them"));
            ExitStatus::Error
        }
    }
}
