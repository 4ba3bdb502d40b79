//! Human output: miette code frames with the primary and secondary labels, the help, a preview of the suggested
//! fix as a small diff, and a summary line. A frame holds only the lines around its labels, and a very long line only
//! the part around what is marked on it, so the time and the size of a finding's output do not grow with its file.
use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::path::Path;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan,
    SpanContents,
};

use super::display_path;
use super::json::LineIndexes;
use crate::finding::{Finding, Severity};
use crate::fix::{sorted_edits, Edit, Fix};
use crate::position::{floor_char_boundary, LineIndex};
use crate::report::Report;

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

/// Lines kept around each label (miette shows one; the others let it find that line's limits as in the whole file).
const CONTEXT_LINES: usize = 3;
/// A label over more lines than this is cut to its first ones.
const MAX_LABEL_LINES: usize = 12;
/// Labels shown per finding: the primary one and the first secondary ones.
const MAX_LABELS: usize = 6;
/// Labels at most this many lines apart share one stretch of lines (miette may draw them in one frame); farther
/// apart, each gets its own frame.
const MAX_GAP_LINES: usize = 24;
/// Lines of a fix preview, before and after.
const PREVIEW_LINES: usize = 12;
/// What marks cut text.
const CUT: &str = "…";

/// How long lines are cut for a terminal of some width.
#[derive(Debug, Clone, Copy)]
struct Cut {
    /// A line longer than this many bytes is cut.
    over: usize,
    /// A cut line of a frame keeps this many characters.
    keep: usize,
    /// A cut line of a preview keeps this many characters on each side of a change.
    side: usize,
}

impl Cut {
    fn for_width(width: usize) -> Cut {
        let width = width.max(40);
        Cut { over: 2 * width, keep: width - 12, side: width / 3 }
    }
}

/// Where one source line went in an excerpt.
#[derive(Debug)]
struct LineMap {
    /// The line's start in the source.
    start: usize,
    /// The part of the line kept (all of it unless the line is long).
    keep: Range<usize>,
    /// The end of the line's text, before its line break.
    text_end: usize,
    /// Where the kept part and the line break start in the excerpt.
    x_keep: usize,
    x_break: usize,
}

impl LineMap {
    /// Where source offset `at` (on this line or its line break) is in the excerpt: an offset in a cut part goes to
    /// the edge of the kept part.
    fn map(&self, at: usize) -> usize {
        if at <= self.keep.start {
            self.x_keep
        } else if at <= self.keep.end {
            self.x_keep + (at - self.keep.start)
        } else if at <= self.text_end {
            self.x_keep + self.keep.len()
        } else {
            self.x_break + (at - self.text_end)
        }
    }
}

/// One stretch of whole lines of a source as a frame shows it.
#[derive(Debug)]
struct Segment {
    /// Where `text` starts among the excerpt's offsets (those the labels are given in).
    offset: usize,
    /// The 0-based number of its first line.
    line: usize,
    text: String,
    /// The lines cut at the front: where each is in `text`, where its kept part starts there, and that part's
    /// column (in bytes, as miette counts) in the source.
    front_cuts: Vec<(RangeInclusive<usize>, usize, usize)>,
}

/// The lines of a source around one finding's labels, as miette reads them: stretches of whole lines (far apart
/// ones are separate, so no frame spans them), long lines cut around what is marked on them. Line numbers, line
/// counts and columns are those of the whole source, so miette draws the frame as it would from the whole file.
#[derive(Debug)]
struct Excerpt {
    segments: Vec<Segment>,
    /// Every line of every segment, in order.
    lines: Vec<LineMap>,
}

impl Excerpt {
    /// The excerpt of `source` for `labels` (the primary first), and each label's span in it.
    fn new(source: &str, index: &LineIndex, labels: &[Range<usize>], cut: Cut) -> (Excerpt, Vec<SourceSpan>) {
        let last_line = index.line_of(source.len());
        // each label on whole characters, and cut to its first lines
        let labels: Vec<(Range<usize>, usize, usize)> = labels
            .iter()
            .map(|r| {
                let start = floor_char_boundary(source, r.start.min(source.len()));
                let mut end = floor_char_boundary(source, r.end.clamp(start, source.len()));
                let first = index.line_of(start);
                let mut last = index.line_of(if end > start { end - 1 } else { start });
                if last - first >= MAX_LABEL_LINES {
                    last = first + MAX_LABEL_LINES - 1;
                    end = line_bounds(source, index, last_line, last).1;
                }
                (start..end, first, last)
            })
            .collect();
        // the stretches of lines they need, merged when close
        let mut wanted: Vec<(usize, usize)> =
            labels.iter().map(|(_, first, last)| (first.saturating_sub(CONTEXT_LINES), (last + CONTEXT_LINES).min(last_line))).collect();
        wanted.sort_unstable();
        let mut stretches: Vec<(usize, usize)> = Vec::new();
        for (from, to) in wanted {
            match stretches.last_mut() {
                Some(prev) if from <= prev.1 + MAX_GAP_LINES => prev.1 = prev.1.max(to),
                _ => stretches.push((from, to)),
            }
        }
        let mut excerpt = Excerpt { segments: Vec::new(), lines: Vec::new() };
        let mut offset = 0;
        for (from, to) in stretches {
            let mut segment = Segment { offset, line: from, text: String::new(), front_cuts: Vec::new() };
            for line in from..=to {
                let (start, text_end, end) = line_bounds(source, index, last_line, line);
                let keep = if text_end - start > cut.over {
                    // around the first label that starts (or else ends) on this line
                    let on_line = |at: usize| (start..=text_end).contains(&at);
                    let anchor = labels
                        .iter()
                        .map(|(r, _, _)| r.start)
                        .find(|at| on_line(*at))
                        .or_else(|| labels.iter().map(|(r, _, _)| r.end).find(|at| on_line(*at)))
                        .unwrap_or(start);
                    let from = source[start..anchor].char_indices().rev().take(cut.keep / 3).last().map_or(anchor, |(i, _)| start + i);
                    let to = source[from..text_end].char_indices().nth(cut.keep).map_or(text_end, |(i, _)| from + i);
                    from..to
                } else {
                    start..text_end
                };
                let x_line = segment.text.len();
                if keep.start > start {
                    segment.text.push_str(CUT);
                }
                let x_keep = segment.text.len();
                segment.text.push_str(&source[keep.clone()]);
                if keep.end < text_end {
                    segment.text.push_str(CUT);
                }
                let x_break = segment.text.len();
                segment.text.push_str(&source[text_end..end]);
                if keep.start > start {
                    segment.front_cuts.push((x_line..=x_break, x_keep, keep.start - start));
                }
                let at = |x: usize| segment.offset + x;
                excerpt.lines.push(LineMap { start, keep, text_end, x_keep: at(x_keep), x_break: at(x_break) });
            }
            // a gap between segments: no span can cover two
            offset += segment.text.len() + 1;
            excerpt.segments.push(segment);
        }
        let spans = labels
            .iter()
            .map(|(r, _, _)| {
                let (start, end) = (excerpt.map(r.start), excerpt.map(r.end));
                SourceSpan::new(start.into(), end.saturating_sub(start))
            })
            .collect();
        (excerpt, spans)
    }

    /// Where source offset `at` (on a line of the excerpt) is in the excerpt.
    fn map(&self, at: usize) -> usize {
        let line = self.lines.partition_point(|l| l.start <= at).saturating_sub(1);
        self.lines.get(line).map_or(0, |l| l.map(at))
    }
}

/// A line's start, the end of its text and the end of its line break.
fn line_bounds(source: &str, index: &LineIndex, last_line: usize, line: usize) -> (usize, usize, usize) {
    let start = index.line_start(line);
    let end = if line < last_line { index.line_start(line + 1) } else { source.len() };
    let text = &source[start..end];
    let text_end = start + text.strip_suffix("\r\n").or_else(|| text.strip_suffix(['\n', '\r'])).unwrap_or(text).len();
    (start, text_end, end)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let segment = self.segments.iter().find(|s| s.offset <= start && end <= s.offset + s.text.len()).ok_or(MietteError::OutOfBounds)?;
        let at = start - segment.offset;
        let inner = segment.text.as_str().read_span(&SourceSpan::new(at.into(), span.len()), before, after)?;
        let mut column = inner.column();
        if before == 0 {
            // miette gives the column only then: on a line cut at the front, count what was cut
            if let Some((_, x_keep, real)) = segment.front_cuts.iter().find(|(line, x_keep, _)| line.contains(&at) && at >= *x_keep) {
                column = real + (at - x_keep);
            }
        }
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner.span().offset() + segment.offset).into(), inner.span().len()),
            inner.line() + segment.line,
            column,
            inner.line_count() + segment.line,
        )))
    }
}

struct Rendered<'a> {
    finding: &'a Finding,
    source: NamedSource<Excerpt>,
    /// The spans, in the excerpt, of the primary label and of the secondary ones shown.
    spans: Vec<SourceSpan>,
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
        let (primary, secondary) = self.spans.split_first()?;
        let primary = LabeledSpan::new_primary_with_span(Some(f.label.clone()), *primary);
        let secondary = f.labels.iter().zip(secondary).map(|(l, span)| LabeledSpan::new_with_span(Some(l.message.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// The suggested fix as code, printed under the frame (not wrapped, so the code stays readable).
pub fn fix_block(finding: &Finding) -> Option<String> {
    fix_block_cut(finding, Cut::for_width(100))
}

fn fix_block_cut(finding: &Finding, cut: Cut) -> Option<String> {
    let fix = finding.fix.as_ref()?;
    let preview = preview(&finding.source, fix, finding.range.start, cut)?;
    Some(format!("  fix ({}): {}\n{preview}\n", fix.applicability.as_str(), fix.description))
}

/// The lines a fix changes, as `-`/`+` lines: the change at `at` (the finding) first, then the others (an added
/// import as its one `+` line), `⋮` between them; at most 12 lines of each sign per change, lines over 200 bytes cut
/// around the changes.
pub fn fix_preview(source: &str, fix: &Fix, at: usize) -> Option<String> {
    preview(source, fix, at, Cut::for_width(100))
}

/// [`fix_preview`] for a terminal of `cut`. Reads only the lines it shows (the fixed file is never built).
fn preview(source: &str, fix: &Fix, at: usize, cut: Cut) -> Option<String> {
    let edits = sorted_edits(source, &fix.edits)?;
    // the edits in hunks of lines that touch: (first line's start, last line's end, edits)
    let mut hunks: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in edits {
        let line_start = source[..e.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[e.range.end..].find('\n').map_or(source.len(), |i| e.range.end + i);
        match hunks.last_mut() {
            Some((_, end, hunk)) if line_start <= *end + 1 => {
                *end = (*end).max(line_end);
                hunk.push(e);
            }
            _ => hunks.push((line_start, line_end, vec![e])),
        }
    }
    // the hunk at (or nearest to) the finding first, in full: a fix is about the flagged code; an import it needs
    // comes after it, as the line it adds
    let distance = |(start, end, _): &(usize, usize, Vec<&Edit>)| start.saturating_sub(at).max(at.saturating_sub(*end));
    if let Some(nearest) = (0..hunks.len()).min_by_key(|i| distance(&hunks[*i])) {
        let hunk = hunks.remove(nearest);
        hunks.insert(0, hunk);
    }
    let shown: Vec<String> = hunks
        .iter()
        .enumerate()
        .map(|(i, (start, end, hunk))| match hunk.as_slice() {
            [only] if i > 0 => {
                line_insertion(source, only).map_or_else(|| hunk_lines(source, hunk, *start..*end, cut), |lines| added_lines(lines, cut))
            }
            _ => hunk_lines(source, hunk, *start..*end, cut),
        })
        .collect();
    Some(shown.join("\n    ⋮\n"))
}

/// When `edit` only adds whole lines (an import after the last one, or before the first line): those lines.
fn line_insertion<'e>(source: &str, edit: &'e Edit) -> Option<&'e str> {
    let at = edit.range.start;
    if !edit.range.is_empty() {
        return None;
    }
    let rest = &source[at..];
    let at_line_end = rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n");
    let at_line_start = at == 0 || source[..at].ends_with('\n');
    let text = edit.replacement.as_str();
    if at_line_end {
        if let Some(lines) = text.strip_prefix("\r\n").or_else(|| text.strip_prefix('\n')) {
            return Some(lines);
        }
    }
    if at_line_start {
        if let Some(lines) = text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')) {
            return Some(lines);
        }
    }
    None
}

/// Added lines as `+` lines (at most 12, long ones cut).
fn added_lines(lines: &str, cut: Cut) -> String {
    let mut out = Vec::new();
    for (i, l) in shown_lines(&[Piece { text: lines, change: true }], cut, PREVIEW_LINES + 1).lines().enumerate() {
        if i == PREVIEW_LINES {
            out.push("    + …".to_string());
            break;
        }
        out.push(format!("    + {}", l.trim_end_matches('\r')));
    }
    out.join("\n")
}

/// The lines `lines` (whole lines of `source`) before and after the edits of one hunk, as `-`/`+` lines.
fn hunk_lines(source: &str, edits: &[&Edit], lines: Range<usize>, cut: Cut) -> String {
    // the changed lines before and after, as pieces: unchanged text, and what an edit replaces or puts there
    let (mut old, mut new) = (Vec::new(), Vec::new());
    let mut at = lines.start;
    for e in edits {
        let same = Piece { text: &source[at..e.range.start], change: false };
        old.extend([same, Piece { text: &source[e.range.clone()], change: true }]);
        new.extend([same, Piece { text: &e.replacement, change: true }]);
        at = e.range.end;
    }
    let same = Piece { text: &source[at..lines.end], change: false };
    old.push(same);
    new.push(same);
    let mut out = String::new();
    for (pieces, sign) in [(&old, '-'), (&new, '+')] {
        for (i, l) in shown_lines(pieces, cut, PREVIEW_LINES + 1).lines().enumerate() {
            if i == PREVIEW_LINES {
                out.push_str(&format!("    {sign} …\n"));
                break;
            }
            out.push_str(&format!("    {sign} {}\n", l.trim_end_matches('\r')));
        }
    }
    out.trim_end_matches('\n').to_string()
}

/// A piece of the text a preview shows.
#[derive(Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    /// Text an edit takes out or puts in.
    change: bool,
}

/// The text of `pieces`, up to its `lines`-th line break, with each long run of a line cut: a change keeps its two
/// ends, unchanged text keeps the side next to a change (or the start of the line).
fn shown_lines(pieces: &[Piece<'_>], cut: Cut, lines: usize) -> String {
    let mut out = String::new();
    let mut breaks = 0;
    for (i, piece) in pieces.iter().enumerate() {
        let after_change = i > 0 && pieces[i - 1].change;
        let before_change = pieces.get(i + 1).is_some_and(|p| p.change);
        let mut rest = piece.text;
        let mut first = true;
        loop {
            let (run, more) = match rest.find('\n') {
                Some(j) => (&rest[..j], Some(&rest[j + 1..])),
                None => (rest, None),
            };
            // a run next to a change keeps that side; a run on its own keeps the start of its line
            let next_to_change = (first && after_change, more.is_none() && before_change);
            let (head, tail) = match (piece.change, next_to_change) {
                (true, _) | (false, (true, true)) => (true, true),
                (false, (false, true)) => (false, true),
                (false, _) => (true, false),
            };
            let alone = !piece.change && next_to_change == (false, false);
            push_run(&mut out, run, (head, tail), if alone { cut.keep } else { cut.side }, cut);
            let Some(more) = more else { break };
            out.push('\n');
            breaks += 1;
            if breaks >= lines {
                return out;
            }
            rest = more;
            first = false;
        }
    }
    out
}

/// Appends a run of a line (no line break), cut when longer than `cut.over` bytes: to `chars` characters of its
/// start, of its end, or of both.
fn push_run(out: &mut String, run: &str, (head, tail): (bool, bool), chars: usize, cut: Cut) {
    if run.len() <= cut.over {
        out.push_str(run);
        return;
    }
    if head {
        out.push_str(&run[..run.char_indices().nth(chars).map_or(run.len(), |(i, _)| i)]);
    }
    out.push_str(CUT);
    if tail {
        out.push_str(&run[run.char_indices().rev().take(chars).last().map_or(run.len(), |(i, _)| i)..]);
    }
}

/// Renders one finding as a code frame, its path relative to `base`.
pub fn render_finding(finding: &Finding, base: &Path, style: Style) -> String {
    render_with(finding, base, style, &handler(style), &LineIndex::new(&finding.source))
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(1)
}

/// Renders one finding whose source's line index is `index`.
fn render_with(finding: &Finding, base: &Path, style: Style, handler: &GraphicalReportHandler, index: &LineIndex) -> String {
    let cut = Cut::for_width(style.width);
    let labels: Vec<Range<usize>> =
        std::iter::once(finding.range.clone()).chain(finding.labels.iter().take(MAX_LABELS - 1).map(|l| l.range.clone())).collect();
    let (excerpt, spans) = Excerpt::new(&finding.source, index, &labels, cut);
    let rendered =
        Rendered { finding, source: NamedSource::new(display_path(&finding.path, base), excerpt), spans, help: finding.help.clone() };
    let mut out = String::new();
    if handler.render_report(&mut out, &rendered).is_err() {
        out = format!(
            "{}:{}:{}: {} {}\n",
            display_path(&finding.path, base),
            finding.start.line,
            finding.start.column,
            finding.rule,
            finding.message
        );
    }
    if let Some(block) = fix_block_cut(finding, cut) {
        out.push_str(&block);
    }
    out.push('\n');
    out
}

/// The closing summary line.
pub fn summary(report: &Report, with_time: bool) -> String {
    let errors = report.unsuppressed().filter(|f| f.severity == Severity::Error).count();
    let warnings = report.unsuppressed().filter(|f| f.severity == Severity::Warning).count();
    let infos = report.unsuppressed().filter(|f| f.severity == Severity::Info).count();
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
    if !report.partly_parsed.is_empty() {
        let n = report.partly_parsed.len();
        skipped.push_str(&format!(", {n} only partly parsed (`--verbose` names {})", if n == 1 { "it" } else { "them" }));
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
            "{fixed}Found {}{} ({}, {}{}): {files} checked{time}{skipped}.",
            plural(shown, "problem"),
            if applied { " left" } else { "" },
            plural(errors, "error"),
            plural(warnings, "warning"),
            if infos > 0 { format!(", {}", plural(infos, "info")) } else { String::new() }
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

/// Every finding's frame (paths relative to `base`) and the summary line.
pub fn render(report: &Report, base: &Path, style: Style, with_time: bool) -> String {
    let mut text = render_frames(report, base, style);
    text.push_str(&summary(report, with_time));
    text.push('\n');
    text
}

/// Every finding's frame, without the summary line (`--quiet`).
pub fn render_frames(report: &Report, base: &Path, style: Style) -> String {
    let mut text = String::new();
    let handler = handler(style);
    let mut indexes = LineIndexes::default();
    for f in report.unsuppressed() {
        text.push_str(&render_with(f, base, style, &handler, indexes.of(&f.source)));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::finding::Label;
    use crate::fix::{Applicability, Edit};

    const STYLE: Style = Style { color: false, width: 100 };

    /// The directory the test findings' paths would be relative to (they are relative already).
    fn base() -> &'static Path {
        Path::new("/work")
    }

    fn finding(source: &str, range: Range<usize>, labels: &[Range<usize>], edits: Vec<Edit>) -> Finding {
        let index = LineIndex::new(source);
        Finding {
            rule: Arc::from("py/toy"),
            severity: Severity::Warning,
            path: PathBuf::from("t.py"),
            start: index.line_col(source, range.start),
            end: index.line_col(source, range.end),
            range,
            message: "a message".to_string(),
            label: "the primary label".to_string(),
            labels: labels.iter().enumerate().map(|(i, r)| Label { range: r.clone(), message: format!("label {i}") }).collect(),
            help: Some("some help".to_string()),
            fix: (!edits.is_empty()).then(|| Fix { applicability: Applicability::Safe, description: "a fix".to_string(), edits }),
            source: Arc::from(source),
            suppressed: None,
        }
    }

    /// The frame as miette draws it from the whole file (what `render_finding` did before excerpts).
    struct Whole<'a>(&'a Finding, NamedSource<String>);

    impl fmt::Debug for Whole<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0.message)
        }
    }

    impl fmt::Display for Whole<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0.message)
        }
    }

    impl std::error::Error for Whole<'_> {}

    impl Diagnostic for Whole<'_> {
        fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
            Some(Box::new(&*self.0.rule))
        }

        fn severity(&self) -> Option<miette::Severity> {
            Some(miette::Severity::Warning)
        }

        fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
            self.0.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
        }

        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.1)
        }

        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            let f = self.0;
            let span = |r: &Range<usize>| SourceSpan::new(r.start.into(), r.end - r.start);
            let primary = LabeledSpan::new_primary_with_span(Some(f.label.clone()), span(&f.range));
            let secondary = f.labels.iter().map(move |l| LabeledSpan::new_with_span(Some(l.message.clone()), span(&l.range)));
            Some(Box::new(std::iter::once(primary).chain(secondary)))
        }
    }

    fn whole_frame(f: &Finding) -> String {
        let mut out = String::new();
        let whole = Whole(f, NamedSource::new(display_path(&f.path, base()), f.source.to_string()));
        handler(STYLE).render_report(&mut out, &whole).expect("renders");
        out
    }

    fn frame(f: &Finding) -> String {
        let mut out = String::new();
        let (excerpt, spans) = Excerpt::new(&f.source, &LineIndex::new(&f.source), &labels_of(f), Cut::for_width(STYLE.width));
        let rendered =
            Rendered { finding: f, source: NamedSource::new(display_path(&f.path, base()), excerpt), spans, help: f.help.clone() };
        handler(STYLE).render_report(&mut out, &rendered).expect("renders");
        out
    }

    fn labels_of(f: &Finding) -> Vec<Range<usize>> {
        std::iter::once(f.range.clone()).chain(f.labels.iter().map(|l| l.range.clone())).collect()
    }

    /// The fix preview as it was built before: from the whole fixed file.
    fn whole_preview(source: &str, fix: &Fix) -> Option<String> {
        let fixed = fix.apply(source)?;
        let start = fix.edits.iter().map(|e| e.range.start).min()?;
        let end = fix.edits.iter().map(|e| e.range.end).max()?;
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
        let growth = fixed.len() as isize - source.len() as isize;
        let new_end = (line_end as isize + growth).max(line_start as isize) as usize;
        let (old, new) = (&source[line_start..line_end], fixed.get(line_start..new_end)?);
        let mut out = String::new();
        for (text, sign) in [(old, '-'), (new, '+')] {
            for (i, l) in text.lines().enumerate() {
                if i == 12 {
                    out.push_str(&format!("    {sign} …\n"));
                    break;
                }
                out.push_str(&format!("    {sign} {}\n", l.trim_end_matches('\r')));
            }
        }
        Some(out.trim_end_matches('\n').to_string())
    }

    fn numbered(lines: usize, ending: &str) -> String {
        (1..=lines).map(|i| format!("line {i} = call_{i}(argument){ending}")).collect()
    }

    fn at(source: &str, needle: &str) -> Range<usize> {
        let start = source.find(needle).expect("needle");
        start..start + needle.len()
    }

    /// On ordinary code (lines of a normal length, labels close together) a frame from the excerpt is the frame miette
    /// draws from the whole file: same lines, line numbers, columns, merged frames.
    #[test]
    fn excerpt_frames_are_the_whole_file_frames() {
        let lf = numbered(80, "\n");
        let crlf = numbered(80, "\r\n");
        let cr = numbered(80, "\r");
        let no_final_newline = numbered(5, "\n") + "last = call()";
        let unicode = "é = 'ü'\n".repeat(10) + "x = f(ü)\n" + &"y = 2\n".repeat(10);
        type Case<'a> = (&'a str, Range<usize>, Vec<Range<usize>>);
        let cases: Vec<Case<'_>> = vec![
            (&lf, at(&lf, "call_40"), vec![]),
            (&lf, at(&lf, "call_1("), vec![]),
            (&lf, at(&lf, "call_80"), vec![at(&lf, "call_70")]),
            (&lf, at(&lf, "call_40"), vec![at(&lf, "call_25"), at(&lf, "call_41")]),
            (&lf, at(&lf, "call_30(argument)\nline 31 = call_31"), vec![]),
            (&lf, at(&lf, "call_30").start..at(&lf, "call_38").end, vec![at(&lf, "call_20")]),
            (&crlf, at(&crlf, "call_40"), vec![at(&crlf, "call_30")]),
            (&cr, at(&cr, "call_40"), vec![at(&cr, "call_45")]),
            (&no_final_newline, at(&no_final_newline, "call()"), vec![]),
            (&no_final_newline, no_final_newline.len()..no_final_newline.len(), vec![]),
            (&unicode, at(&unicode, "f(ü)"), vec![at(&unicode, "y = 2")]),
        ];
        for (source, range, labels) in cases {
            let f = finding(source, range.clone(), &labels, Vec::new());
            assert_eq!(frame(&f), whole_frame(&f), "{range:?} {labels:?}");
        }
    }

    /// The same for fix previews: built from the changed lines alone, they are what the whole fixed file gave.
    #[test]
    fn previews_are_the_whole_file_previews() {
        let lf = numbered(40, "\n");
        let crlf = numbered(40, "\r\n");
        let cases: Vec<(&str, Vec<Edit>)> = vec![
            (&lf, vec![Edit::replace(at(&lf, "call_7"), "other")]),
            (&lf, vec![Edit::insert(0, "import x\n"), Edit::replace(at(&lf, "call_1("), "x.call(")]),
            (&lf, vec![Edit::insert(0, "import x\n"), Edit::replace(at(&lf, "call_2("), "x.call(")]),
            (&lf, vec![Edit::replace(at(&lf, "call_3(argument)\nline 4"), "a\nb\nc\nd")]),
            (&lf, vec![Edit::replace(at(&lf, "line 9 = call_9(argument)\n"), "")]),
            (&lf, vec![Edit::insert(lf.len(), "tail\n")]),
            (&crlf, vec![Edit::insert(0, "import x\r\n"), Edit::replace(at(&crlf, "call_2("), "x.call(")]),
            (&lf, vec![Edit::replace(at(&lf, "call_2"), "a"), Edit::replace(at(&lf, "call_2"), "a")]),
            (&lf, vec![Edit::replace(0..6, "a"), Edit::replace(3..9, "b")]),
        ];
        for (source, edits) in cases {
            let first = edits.iter().map(|e| e.range.start).min().unwrap_or(0);
            let fix = Fix { applicability: Applicability::Safe, description: String::new(), edits };
            assert_eq!(fix_preview(source, &fix, first), whole_preview(source, &fix), "{:?}", fix.edits);
        }
    }

    /// Edits far apart are shown apart: the one at the finding first (whole), then the others, an added import as
    /// its one line; never the unchanged lines between them.
    #[test]
    fn a_far_import_comes_after_the_change_at_the_finding_as_one_line() {
        let source = format!("use a::b;\nuse c::d;\n{}", numbered(40, "\n"));
        let call = at(&source, "call_30(argument)");
        let edits =
            vec![Edit::insert(at(&source, "use c::d;").end, "\nuse tracing::Instrument;"), Edit::insert(call.end, ".in_current_span()")];
        let fix = Fix { applicability: Applicability::Safe, description: String::new(), edits };
        assert_eq!(
            fix_preview(&source, &fix, call.start).expect("preview"),
            "    - line 30 = call_30(argument)\n    + line 30 = call_30(argument).in_current_span()\n    ⋮\n    + use tracing::Instrument;"
        );
        // an import before the first line, and a change that is not a line insertion, far from the finding
        let edits = vec![Edit::insert(0, "import x\n"), Edit::replace(at(&source, "call_5("), "x("), Edit::replace(call.clone(), "y()")];
        let fix = Fix { applicability: Applicability::Safe, description: String::new(), edits };
        let preview = fix_preview(&source, &fix, call.start).expect("preview");
        assert_eq!(
            preview,
            "    - line 30 = call_30(argument)\n    + line 30 = y()\n    ⋮\n    + import x\n    ⋮\n    - line 5 = call_5(argument)\n    + line 5 = x(argument)"
        );
    }

    /// A label over 20,000 lines shows its first lines, not all of them.
    #[test]
    fn a_tall_label_is_cut_to_its_first_lines() {
        let source = numbered(20_000, "\n");
        let f = finding(&source, at(&source, "call_10").start..at(&source, "call_19990").end, &[], Vec::new());
        let out = render_finding(&f, base(), STYLE);
        assert!(out.lines().count() < 40, "{out}");
        // lines 10 to 21, and one line of context each side
        assert!(out.contains("t.py:10:11]") && out.contains(" 9 │") && out.contains("call_22(") && !out.contains("call_23("), "{out}");
    }

    /// Labels far apart get a frame each, with their own line numbers, instead of one frame of every line between.
    #[test]
    fn labels_far_apart_get_a_frame_each() {
        let source = numbered(5000, "\n");
        let f = finding(&source, at(&source, "call_4000"), &[at(&source, "call_100(")], Vec::new());
        let out = render_finding(&f, base(), STYLE);
        assert!(out.lines().count() < 30, "{out}");
        assert!(out.contains(" 100 │ line 100 = call_100(argument)") && out.contains(" 4000 │ line 4000 = call_4000(argument)"), "{out}");
        assert!(!out.contains("call_2000("), "{out}");
    }

    /// On a long line the frame shows the part around the label, with the label's real column, and every label (even
    /// at column 70,000, where miette's own formatting used to panic) is drawn.
    #[test]
    fn a_long_line_is_cut_around_the_label_with_the_real_column() {
        let source = format!("é = [{}]; call(é)\n", "1, ".repeat(30_000));
        let f = finding(&source, at(&source, "call(é)"), &[], vec![Edit::replace(at(&source, "call"), "other")]);
        let out = render_finding(&f, base(), STYLE);
        let column = source.find("call").expect("call") + 1; // miette counts bytes
        assert!(out.contains(&format!("[t.py:1:{column}]")), "{out}");
        assert!(out.contains(" 1 │ …, 1, 1, ") && out.contains("1, 1, ]; call(é)"), "{out}");
        assert!(out.contains("    - …1, 1, ") && out.contains("    + …1, 1, ") && out.contains("1, ]; other(é)"), "{out}");
        assert!(out.len() < 2000 && out.lines().all(|l| l.chars().count() < 120), "{out}");
    }
}
