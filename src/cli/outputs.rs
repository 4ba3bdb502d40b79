//! The report of a check written out: the run's notices and errors on stderr, each `-o` file, then stdout (the
//! chosen format, or `--statistics`), and the exit status the findings give.
use std::path::{Path, PathBuf};

use super::exit::ExitStatus;
use super::notice::{self, Level};
use super::stdout::{emit, finish};
use super::terminal::{terminal_width, use_color};
use super::{CheckArgs, Format};
use crate::output::human::{self, Style};
use crate::output::{concise, github, gitlab, json, junit, sarif};
use crate::registry::Registry;
use crate::report::Report;

/// Writes the report of a check (run on standard input when `reads_stdin`) the way `args` ask; paths are shown
/// relative to `base`.
pub(super) fn write_report(report: &Report, args: &CheckArgs, registry: &Registry, base: &Path, reads_stdin: bool) -> ExitStatus {
    let color = use_color(args.color);
    let chatty = !args.quiet && !args.silent;
    notice::print_run_notices(report, color, chatty);
    if args.verbose {
        notice::print_partly_parsed(report, base, color);
    }
    if chatty && !reads_stdin && report.files_checked == 0 && report.files_skipped == 0 && report.errors.is_empty() {
        // as ruff warns: a wrong path, an exclude or a `--select` that leaves nothing is no success
        notice::print(
            Level::Warning,
            color,
            "no file was linted: none under the given paths has a language the selected rules read, or all are excluded",
        );
    }
    let status = args.exit.status(report);
    let gitlab_project = std::env::var_os("CI_PROJECT_DIR").filter(|d| !d.is_empty()).map(PathBuf::from);
    let render = |format: Format, color: bool| match format {
        Format::Json => json::render(report, base),
        Format::Sarif => sarif::render(report, base, registry),
        Format::Github => github::render(report, base),
        Format::Concise => concise::render(report, base, args.quiet, true),
        Format::Gitlab => gitlab::render(report, base, gitlab_project.as_deref()),
        Format::Junit => junit::render(report, base),
        Format::Human if args.quiet => human::render_frames(report, base, Style { color, width: terminal_width() }),
        Format::Human => human::render(report, base, Style { color, width: terminal_width() }, true),
    };
    if args.fix && chatty && (!matches!(args.format, Format::Human | Format::Concise) || !args.outputs.is_empty()) {
        // the human summary says it; other formats get it on stderr
        notice::line(format_args!(
            "Fixed {} in {}.",
            human::plural(report.fixes_applied(), "problem"),
            human::plural(report.fixed.len(), "file")
        ));
    }
    let mut stdout_taken = false;
    for target in &args.outputs {
        let format = target.format.unwrap_or(args.format);
        stdout_taken |= target.format.is_none();
        if let Err(e) = std::fs::write(&target.file, render(format, false)) {
            notice::error(format_args!("cannot write {}: {}", target.file.display(), crate::files::describe_io(&e)));
            return ExitStatus::Error;
        }
    }
    if stdout_taken || args.silent {
        return status;
    }
    if args.statistics {
        let mut text = concise::statistics(report, registry);
        if !args.quiet {
            text.push_str(&human::summary(report, true));
            text.push('\n');
        }
        return finish(emit(&text), status);
    }
    finish(emit(&render(args.format, color)), status)
}
