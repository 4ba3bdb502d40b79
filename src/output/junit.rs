//! JUnit XML, as ruff and oxlint write it for CI test reports: one `<testsuite>` per file with findings, one failing
//! `<testcase>` per finding; a clean run is one suite with one passing case.
use std::path::Path;

use super::display_path;
use crate::report::Report;

/// Text and attribute values for XML: the five special characters escaped, and the characters XML 1.0 cannot hold
/// (control characters other than tab and line breaks) left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The whole report as one JUnit XML document, paths relative to `base`.
pub fn render(report: &Report, base: &Path) -> String {
    let findings: Vec<_> = report.unsuppressed().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = findings.len().max(1);
    out.push_str(&format!("<testsuites name=\"ctxlint\" tests=\"{total}\" failures=\"{}\" errors=\"0\">\n", findings.len()));
    if findings.is_empty() {
        out.push_str("  <testsuite name=\"ctxlint\" tests=\"1\" disabled=\"0\" errors=\"0\" failures=\"0\" package=\"org.ctxlint\">\n");
        out.push_str("    <testcase name=\"No errors found\" classname=\"ctxlint\"/>\n  </testsuite>\n");
    }
    // findings are sorted by path: each run of one path is a suite
    let mut i = 0;
    while i < findings.len() {
        let path = display_path(&findings[i].path, base);
        let end = findings[i..].iter().position(|f| display_path(&f.path, base) != path).map_or(findings.len(), |n| i + n);
        let file = escape(&path);
        out.push_str(&format!(
            "  <testsuite name=\"{file}\" tests=\"{n}\" disabled=\"0\" errors=\"0\" failures=\"{n}\" package=\"org.ctxlint\">\n",
            n = end - i
        ));
        for f in &findings[i..end] {
            let message = escape(&f.message);
            out.push_str(&format!(
                "    <testcase name=\"org.ctxlint.{rule}\" classname=\"{file}\" line=\"{line}\" column=\"{column}\">\n      \
                 <failure message=\"{message}\" type=\"{severity}\">line {line}, col {column}, {message}</failure>\n    </testcase>\n",
                rule = escape(&f.rule),
                line = f.start.line,
                column = f.start.column,
                severity = f.severity.as_str(),
            ));
        }
        out.push_str("  </testsuite>\n");
        i = end;
    }
    out.push_str("</testsuites>\n");
    out
}
