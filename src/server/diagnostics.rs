//! Findings as LSP diagnostics: `code` the rule id, `codeDescription.href` its docs page, `source` `ctxlint`, the
//! secondary labels as `relatedInformation`, the severity the configuration gives.
use gen_lsp_types::{Code, CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, Uri};

use super::encoding::PositionMap;
use crate::finding::{Finding, Severity};
use crate::suppress::UNUSED_RULE;

/// The diagnostics of a document's findings (suppressed ones are not shown, as on the terminal).
pub fn diagnostics(findings: &[Finding], uri: &str, map: &PositionMap<'_>) -> Vec<Diagnostic> {
    findings.iter().filter(|f| f.suppressed.is_none()).map(|f| diagnostic(f, uri, map)).collect()
}

/// One finding's diagnostic.
pub fn diagnostic(finding: &Finding, uri: &str, map: &PositionMap<'_>) -> Diagnostic {
    let href = crate::registry::builtin().ok().and_then(|r| r.get(&finding.rule)).map(crate::docs::rule_url);
    let related: Vec<DiagnosticRelatedInformation> = finding
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location { uri: Uri::from(uri), range: map.range(&l.range) },
            message: l.message.clone(),
        })
        .collect();
    Diagnostic {
        range: map.range(&finding.range),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::Error,
            Severity::Warning => DiagnosticSeverity::Warning,
            Severity::Info => DiagnosticSeverity::Information,
        }),
        code: Some(Code::from(&*finding.rule)),
        code_description: href.map(|h| CodeDescription { href: Uri::from(h) }),
        source: Some("ctxlint".to_string()),
        message: message(finding).into(),
        // an unused suppression is code that does nothing: editors grey it out
        tags: (&*finding.rule == UNUSED_RULE).then(|| vec![DiagnosticTag::Unnecessary]),
        related_information: (!related.is_empty()).then_some(related),
        data: None,
    }
}

/// The message, and the primary label's text when it says more than the message.
fn message(finding: &Finding) -> String {
    if finding.label.is_empty() || finding.message.contains(&finding.label) {
        finding.message.clone()
    } else {
        format!("{} ({})", finding.message, finding.label)
    }
}
