//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers, from its own small serde structs. Paths are
//! relative to `%SRCROOT%` (the working directory), columns count Unicode code points, parse failures and unreadable
//! files are tool execution notifications, and fixes carry their edits. No `partialFingerprints`: GitHub computes
//! `primaryLocationLineHash` itself, and a home-made one would be flagged.
use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::display_path_bytes;
use crate::finding::{Finding, Severity};
use crate::position::LineIndex;
use crate::registry::{Registry, Rule};
use crate::report::Report;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/ctxlint/ctxlint";
const SRCROOT: &str = "%SRCROOT%";
/// Findings of this rule are reported as notifications: they say what the tool could not do, not a code problem.
const NOTIFICATION_RULE: &str = "parse-error";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
    notifications: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<String>,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    descriptor: Option<DescriptorReference>,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: &'static str,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF wants messages to be sentences.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// `js/unbound-timer` → `JsUnboundTimer`.
fn pascal_name(id: &str) -> String {
    id.split(['/', '-']).filter(|p| !p.is_empty()).map(|p| p[..1].to_ascii_uppercase() + &p[1..]).collect()
}

/// Percent-encodes a path's bytes for a URI, keeping `/`: a name that is not UTF-8 keeps its bytes (`%E9`).
fn uri_path_bytes(path: &[u8]) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact(finding_path: &Path, base: &Path) -> ArtifactLocation {
    let shown = display_path_bytes(finding_path, base);
    if finding_path.is_absolute() && shown.starts_with(b"/") {
        ArtifactLocation { uri: format!("file://{}", uri_path_bytes(&shown)), uri_base_id: None }
    } else {
        ArtifactLocation { uri: uri_path_bytes(&shown), uri_base_id: Some(SRCROOT) }
    }
}

fn region(lines: &LineIndex, source: &str, range: &std::ops::Range<usize>) -> Region {
    let start = lines.line_col(source, range.start);
    let end = lines.line_col(source, range.end);
    Region { start_line: start.line, start_column: start.column, end_line: end.line, end_column: end.column, snippet: None }
}

/// A region with the code it covers, for consumers that do not have the file.
fn region_with_snippet(lines: &LineIndex, source: &str, range: &std::ops::Range<usize>) -> Region {
    let snippet = source.get(range.clone()).filter(|s| !s.is_empty()).map(|s| Text { text: s.to_string() });
    Region { snippet, ..region(lines, source, range) }
}

fn location(
    f: &Finding,
    base: &Path,
    lines: &LineIndex,
    range: &std::ops::Range<usize>,
    id: Option<usize>,
    message: Option<String>,
) -> Location {
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(&f.path, base),
            region: region_with_snippet(lines, &f.source, range),
        },
        message: message.map(|m| Text { text: sentence(&m) }),
    }
}

fn descriptor(rule: &Rule) -> Descriptor {
    let s = &rule.spec;
    let d = &s.docs;
    let fix = s
        .fix
        .as_ref()
        .map_or_else(|| "No automatic fix.".to_string(), |f| format!("Fix ({}): {}.", f.applicability.as_str(), f.description));
    let text = format!("{}\n\n{}\n\n{}\n\nFix safety: {}", d.what.trim(), d.why.trim(), fix, d.fix_safety.trim());
    let markdown = crate::docs::rule_sections(rule);
    let mut tags = vec!["opentelemetry".to_string(), "tracing".to_string(), "context-propagation".to_string()];
    tags.extend(rule.spec.languages.iter().cloned());
    Descriptor {
        id: rule.id.to_string(),
        name: pascal_name(&rule.id),
        short_description: Text { text: sentence(&s.summary) },
        full_description: Text { text: sentence(d.what.trim()) },
        help: Help { text, markdown },
        help_uri: crate::docs::rule_url(rule),
        default_configuration: Configuration { level: level(s.severity) },
        properties: Properties { tags, precision: "high" },
    }
}

/// The whole report as one SARIF log, paths relative to `base` (the working directory), which is `%SRCROOT%`.
pub fn render(report: &Report, base: &Path, registry: &Registry) -> String {
    let mut rules: Vec<&Rule> = registry.rules.iter().filter(|r| &*r.id != NOTIFICATION_RULE).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let notification_rules: Vec<&Rule> = registry.rules.iter().filter(|r| &*r.id == NOTIFICATION_RULE).collect();
    let index_of: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (&*r.id, i)).collect();

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut lines_cache: Option<(*const u8, LineIndex)> = None;
    for f in &report.findings {
        let key = f.source.as_ptr();
        if lines_cache.as_ref().is_none_or(|(k, _)| *k != key) {
            lines_cache = Some((key, LineIndex::new(&f.source)));
        }
        let Some((_, lines)) = &lines_cache else { continue };
        if &*f.rule == NOTIFICATION_RULE {
            notifications.push(Notification {
                level: "warning",
                message: Text { text: sentence(&f.message) },
                locations: vec![location(f, base, lines, &f.range, None, None)],
                descriptor: Some(DescriptorReference { id: NOTIFICATION_RULE, index: 0 }),
            });
            continue;
        }
        let Some(&rule_index) = index_of.get(&*f.rule) else { continue };
        let related =
            f.labels.iter().enumerate().map(|(i, l)| location(f, base, lines, &l.range, Some(i + 1), Some(l.message.clone()))).collect();
        let fixes = f
            .fix
            .iter()
            .filter(|fix| fix.applicability != crate::fix::Applicability::DisplayOnly)
            .map(|fix| SarifFix {
                description: Text { text: sentence(&format!("{} ({})", fix.description, fix.applicability.as_str())) },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact(&f.path, base),
                    replacements: fix
                        .edits
                        .iter()
                        .map(|e| Replacement {
                            deleted_region: region(lines, &f.source, &e.range),
                            inserted_content: Text { text: e.replacement.clone() },
                        })
                        .collect(),
                }],
            })
            .collect();
        let mut message = sentence(&f.message);
        if let Some(help) = &f.help {
            message.push_str(&format!(" Help: {}", sentence(help)));
        }
        results.push(SarifResult {
            rule_id: f.rule.to_string(),
            rule_index,
            level: level(f.severity),
            message: Text { text: message },
            locations: vec![location(f, base, lines, &f.range, None, None)],
            related_locations: related,
            fixes,
            suppressions: f
                .suppressed
                .iter()
                .map(|s| SarifSuppression { kind: "inSource", justification: s.justification.as_ref().map(|j| sentence(j)) })
                .collect(),
        });
    }
    // files parsed only in part while `parse-error` was off: what the tool could not fully check, without a finding
    for file in &report.partly_parsed {
        let region = Region {
            start_line: file.start.line,
            start_column: file.start.column,
            end_line: file.end.line,
            end_column: file.end.column,
            snippet: None,
        };
        notifications.push(Notification {
            level: "note",
            message: Text { text: sentence(&format!("ctxlint parsed this file only in part ({}); the rest was linted", file.what)) },
            locations: vec![Location {
                id: None,
                physical_location: PhysicalLocation { artifact_location: artifact(&file.path, base), region },
                message: None,
            }],
            descriptor: Some(DescriptorReference { id: NOTIFICATION_RULE, index: 0 }),
        });
    }
    for error in &report.errors {
        notifications.push(Notification {
            level: "error",
            message: Text { text: sentence(error) },
            locations: Vec::new(),
            descriptor: None,
        });
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "ctxlint",
                    full_name: "ctxlint: OpenTelemetry context-propagation linter",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                    notifications: notification_rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            invocations: vec![Invocation { execution_successful: report.errors.is_empty(), tool_execution_notifications: notifications }],
            original_uri_base_ids: BTreeMap::from([(SRCROOT, ArtifactLocation { uri: base_uri(base), uri_base_id: None })]),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

/// The `file://` URI of the directory `base`, with a trailing slash (`file:///` for an empty `base`).
fn base_uri(base: &Path) -> String {
    let bytes = super::path_bytes(base);
    let path = if bytes.starts_with(b"/") { bytes } else { [b"/".as_slice(), &bytes].concat() };
    let mut uri = format!("file://{}", uri_path_bytes(&path));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sentences_and_uris() {
        assert_eq!(pascal_name("js/unbound-timer"), "JsUnboundTimer");
        assert_eq!(pascal_name("parse-error"), "ParseError");
        assert_eq!(sentence("lost"), "lost.");
        assert_eq!(sentence("lost."), "lost.");
        assert_eq!(uri_path_bytes("src/a b/ü.py".as_bytes()), "src/a%20b/%C3%BC.py");
        assert_eq!(uri_path_bytes(b"caf\xe9\\x.py"), "caf%E9%5Cx.py");
        assert_eq!(base_uri(Path::new("/work")), "file:///work/");
        assert_eq!(base_uri(Path::new("/work/")), "file:///work/");
        assert_eq!(base_uri(Path::new("/my repo")), "file:///my%20repo/");
        assert_eq!(base_uri(Path::new("")), "file:///");
    }
}
