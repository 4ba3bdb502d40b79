//! JSON output, schema version 1: one document with every finding and a summary. Paths are relative to the working
//! directory with `/` separators; lines and columns are 1-based (columns count Unicode scalar values); byte offsets
//! are 0-based and end-exclusive.
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::display_path;
use crate::finding::Finding;
use crate::position::LineIndex;
use crate::report::Report;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    errors: usize,
    warnings: usize,
    /// Findings of severity `info` (an additive field of schema version 1: older documents lack it).
    infos: usize,
    files_checked: usize,
    files_skipped: usize,
    /// Files tree-sitter parsed only in part while `parse-error` was off for them (an additive field of schema
    /// version 1: older documents lack it).
    files_partly_parsed: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    path: String,
    start: Position,
    end: Position,
    start_byte: usize,
    end_byte: usize,
    message: &'a str,
    label: &'a str,
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
    suppressed: Option<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    justification: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    start: Position,
    end: Position,
    start_byte: usize,
    end_byte: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start_byte: usize,
    end_byte: usize,
    replacement: &'a str,
}

fn position(lines: &LineIndex, source: &str, offset: usize) -> Position {
    let lc = lines.line_col(source, offset);
    Position { line: lc.line, column: lc.column }
}

/// The line index of each source text, built once however many findings it has (findings of one file share their
/// text's `Arc`).
#[derive(Default)]
pub(super) struct LineIndexes {
    by_text: HashMap<*const u8, (Arc<str>, LineIndex)>,
}

impl LineIndexes {
    pub(super) fn of(&mut self, source: &Arc<str>) -> &LineIndex {
        let key = source.as_ptr();
        // the entry keeps its text alive, so no other text can take its address
        &self.by_text.entry(key).or_insert_with(|| (source.clone(), LineIndex::new(source))).1
    }
}

fn finding<'a>(f: &'a Finding, indexes: &mut LineIndexes, base: &Path) -> JsonFinding<'a> {
    // only labels need the index (the finding's own positions are computed already)
    let labels = if f.labels.is_empty() {
        Vec::new()
    } else {
        let lines = indexes.of(&f.source);
        f.labels
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                start: position(lines, &f.source, l.range.start),
                end: position(lines, &f.source, l.range.end),
                start_byte: l.range.start,
                end_byte: l.range.end,
            })
            .collect()
    };
    JsonFinding {
        rule: &f.rule,
        severity: f.severity.as_str(),
        path: display_path(&f.path, base),
        start: Position { line: f.start.line, column: f.start.column },
        end: Position { line: f.end.line, column: f.end.column },
        start_byte: f.range.start,
        end_byte: f.range.end,
        message: &f.message,
        label: &f.label,
        help: f.help.as_deref(),
        labels,
        fix: f.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability.as_str(),
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit { start_byte: e.range.start, end_byte: e.range.end, replacement: &e.replacement })
                .collect(),
        }),
        suppressed: f.suppressed.as_ref().map(|s| JsonSuppressed { justification: s.justification.as_deref() }),
    }
}

/// The whole report as a pretty-printed JSON document, paths relative to `base`.
pub fn render(report: &Report, base: &Path) -> String {
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: Tool { name: "ctxlint", version: env!("CARGO_PKG_VERSION") },
        findings: {
            let mut indexes = LineIndexes::default();
            report.findings.iter().map(|f| finding(f, &mut indexes, base)).collect()
        },
        summary: Summary {
            findings: report.unsuppressed().count(),
            errors: report.unsuppressed().filter(|f| f.severity == crate::finding::Severity::Error).count(),
            warnings: report.unsuppressed().filter(|f| f.severity == crate::finding::Severity::Warning).count(),
            infos: report.unsuppressed().filter(|f| f.severity == crate::finding::Severity::Info).count(),
            files_checked: report.files_checked,
            files_skipped: report.files_skipped,
            files_partly_parsed: report.partly_parsed.len(),
            suppressed: report.suppressed_count(),
        },
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
