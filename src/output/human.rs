//! Human output: miette code frames with the primary and secondary labels, the help, a preview of the suggested
//! fix as a small diff, and a summary line.
use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, NamedSource, SourceCode, SourceSpan, SpanContents,
};

use super::display_path;
use crate::finding::{Finding, Severity};
use crate::fix::Fix;
use crate::run::Report;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

/// A shared source text as miette's source.
struct SharedSource(Arc<str>);

impl SourceCode for SharedSource {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &'a str = &self.0;
        text.read_span(span, before, after)
    }
}

struct Rendered<'a> {
    finding: &'a Finding,
    source: NamedSource<SharedSource>,
    help: Option<String>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&*self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let primary = LabeledSpan::new_primary_with_span(Some(f.label.clone()), span(&f.range));
        let secondary = f.labels.iter().map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), span(&l.range)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

fn span(range: &std::ops::Range<usize>) -> SourceSpan {
    SourceSpan::new(range.start.into(), range.end.saturating_sub(range.start))
}

/// The suggested fix as code, printed under the frame (not wrapped, so the code stays readable).
pub fn fix_block(finding: &Finding) -> Option<String> {
    let fix = finding.fix.as_ref()?;
    let preview = fix_preview(&finding.source, fix)?;
    Some(format!("  fix ({}): {}\n{preview}\n", fix.applicability.as_str(), fix.description))
}

/// The lines a fix changes, as `-`/`+` lines (at most 12 of each).
pub fn fix_preview(source: &str, fix: &Fix) -> Option<String> {
    let fixed = fix.apply(source)?;
    let start = fix.edits.iter().map(|e| e.range.start).min()?;
    let end = fix.edits.iter().map(|e| e.range.end).max()?;
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    let growth = fixed.len() as isize - source.len() as isize;
    let new_end = (line_end as isize + growth).max(line_start as isize) as usize;
    let old = &source[line_start..line_end];
    let new = fixed.get(line_start..new_end)?;
    let mut out = String::new();
    let cap = 12;
    for (i, l) in old.lines().enumerate() {
        if i == cap {
            out.push_str("    - …\n");
            break;
        }
        out.push_str(&format!("    - {}\n", l.trim_end_matches('\r')));
    }
    for (i, l) in new.lines().enumerate() {
        if i == cap {
            out.push_str("    + …\n");
            break;
        }
        out.push_str(&format!("    + {}\n", l.trim_end_matches('\r')));
    }
    Some(out.trim_end_matches('\n').to_string())
}

/// Renders one finding as a code frame.
pub fn render_finding(finding: &Finding, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(1);
    let rendered = Rendered {
        finding,
        source: NamedSource::new(display_path(&finding.path), SharedSource(finding.source.clone())),
        help: finding.help.clone(),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &rendered).is_err() {
        out = format!(
            "{}:{}:{}: {} {}\n",
            display_path(&finding.path),
            finding.start.line,
            finding.start.column,
            finding.rule,
            finding.message
        );
    }
    if let Some(block) = fix_block(finding) {
        out.push_str(&block);
    }
    out.push('\n');
    out
}

/// The closing summary line.
pub fn summary(report: &Report, with_time: bool) -> String {
    let errors = report.unsuppressed().filter(|f| f.severity == Severity::Error).count();
    let warnings = report.unsuppressed().filter(|f| f.severity == Severity::Warning).count();
    let shown = report.unsuppressed().count();
    let files = plural(report.files_checked, "file");
    let time = if with_time { format!(" in {:.2}s", report.duration.as_secs_f64()) } else { String::new() };
    let binary = report.files_skipped - report.files_too_slow - report.files_too_large;
    let mut skipped = if binary > 0 { format!(", {binary} skipped (binary)") } else { String::new() };
    if report.files_too_slow > 0 {
        skipped.push_str(&format!(", {} skipped (too slow to parse)", report.files_too_slow));
    }
    if report.files_too_large > 0 {
        skipped.push_str(&format!(", {} skipped (over --max-file-size)", report.files_too_large));
    }
    if report.suppressed_count() > 0 {
        skipped.push_str(&format!(", {} suppressed", report.suppressed_count()));
    }
    let applied = report.fix.apply && report.fixes_applied() > 0;
    let fixed = if applied {
        format!("Fixed {} in {}. ", plural(report.fixes_applied(), "problem"), plural(report.fixed.len(), "file"))
    } else {
        String::new()
    };
    let line = if shown == 0 && !report.errors.is_empty() {
        // an error (a missing path, an unreadable file, a write refused) means not everything was checked
        format!(
            "{fixed}No problems found in {files} checked{time}{skipped}, but {} stopped part of the run (see above).",
            plural(report.errors.len(), "error")
        )
    } else if shown == 0 {
        format!("{fixed}All checks passed: {files} checked{time}{skipped}.")
    } else {
        format!(
            "{fixed}Found {}{} ({}, {}): {files} checked{time}{skipped}.",
            plural(shown, "problem"),
            if applied { " left" } else { "" },
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    };
    line + &fixable(report)
}

/// How many findings left `--fix` (and `--unsafe-fixes`) would fix, as a sentence after the summary.
fn fixable(report: &Report) -> String {
    let (now, hidden) = report.fixable();
    let unsafe_flag = if report.fix.apply { "--unsafe-fixes" } else { "--fix --unsafe-fixes" };
    match (now, hidden) {
        (0, 0) => String::new(),
        (0, h) => format!(" {h} fixable with `{unsafe_flag}`."),
        (n, 0) => format!(" {n} fixable with `--fix`."),
        (n, h) => format!(" {n} fixable with `--fix` ({h} more with `{unsafe_flag}`)."),
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Every finding's frame and the summary line.
pub fn render(report: &Report, style: Style, with_time: bool) -> String {
    let mut text = String::new();
    for f in report.unsuppressed() {
        text.push_str(&render_finding(f, style));
    }
    text.push_str(&summary(report, with_time));
    text.push('\n');
    text
}
