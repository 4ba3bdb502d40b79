//! The check modes that show or make edits instead of the report: `--diff`, `--fix` on standard input, and
//! `--add-ignore`.
use std::path::Path;

use super::exit::ExitStatus;
use super::notice::{self, Level};
use super::stdout::{emit, emit_bytes, finish};
use super::terminal::terminal_width;
use super::ExitArgs;
use crate::output::human::{self, Style};
use crate::report::Report;

/// `--diff`: the diff on stdout, what it would fix on stderr; exit 1 when there would be changes.
pub(super) fn print_diff(report: &Report, base: &Path) -> ExitStatus {
    notice::print_run_notices(report, false, true);
    let diff = crate::output::diff::render(&report.fixed, base);
    let applied = report.fixes_applied();
    let (_, hidden) = report.fixable();
    let hidden = if hidden > 0 { format!(" ({hidden} more with --unsafe-fixes)") } else { String::new() };
    if applied == 0 {
        notice::line(format_args!("No fixes to apply{hidden}."));
    } else {
        notice::line(format_args!(
            "Would fix {} in {}{hidden}.",
            human::plural(applied, "problem"),
            human::plural(report.fixed.len(), "file")
        ));
    }
    let status = if !report.errors.is_empty() {
        ExitStatus::Error
    } else if diff.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    };
    finish(emit(&diff), status)
}

/// `--fix` on standard input: the fixed text on stdout (like ruff, for editors), the findings left on stderr.
pub(super) fn print_fixed_stdin(report: &Report, base: &Path, original: &[u8], color: bool, exit: &ExitArgs) -> ExitStatus {
    notice::print_run_notices(report, false, true);
    // the input comes back byte for byte when nothing was fixed (also when it is not UTF-8)
    let text = report.fixed.first().map_or(original, |f| f.text.as_bytes());
    notice::text(human::render(report, base, Style { color, width: terminal_width() }, false));
    finish(emit_bytes(text), exit.status(report))
}

/// `--add-ignore[=REASON]`: a suppression comment above every finding; says how many on stdout, and what it could not
/// do on stderr.
pub(super) fn add_ignore(report: &Report, reason: &str) -> ExitStatus {
    notice::print_run_notices(report, false, true);
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    let added = crate::add_ignore::apply(&report.findings, reason);
    for skipped in &added.skipped {
        notice::print(Level::Error, false, skipped);
    }
    for message in &added.notices {
        notice::print(Level::Notice, false, message);
    }
    let text = format!(
        "Added {} suppression comment{} to {} file{}.\n",
        added.comments,
        if added.comments == 1 { "" } else { "s" },
        added.files,
        if added.files == 1 { "" } else { "s" }
    );
    let status = if report.errors.is_empty() && added.skipped.is_empty() { ExitStatus::Success } else { ExitStatus::Error };
    finish(emit(&text), status)
}
