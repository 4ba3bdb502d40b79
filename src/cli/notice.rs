//! What the CLI writes to standard error: `notice:`, `warning:` and `error:` lines (one function for all of them,
//! coloured or not), and other lines. Nothing here can panic: a full or closed stderr (`2>/dev/full`) loses the
//! message, never the run.
use std::fmt::Display;
use std::io::{self, Write};

use crate::report::Report;

/// What a line on stderr is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Notice,
    Warning,
    Error,
}

impl Level {
    /// The line's label, in its colour (cyan, yellow, red) when `color`.
    fn label(self, color: bool) -> &'static str {
        match (self, color) {
            (Level::Notice, false) => "notice",
            (Level::Notice, true) => "\x1b[36mnotice\x1b[0m",
            (Level::Warning, false) => "warning",
            (Level::Warning, true) => "\x1b[33mwarning\x1b[0m",
            (Level::Error, false) => "error",
            (Level::Error, true) => "\x1b[31merror\x1b[0m",
        }
    }
}

/// Writes `level: message` on a line of stderr, the label coloured when `color`.
pub(super) fn print(level: Level, color: bool, message: impl Display) {
    line(format_args!("{}: {message}", level.label(color)));
}

/// `error: message`, without colour.
pub(super) fn error(message: impl Display) {
    print(Level::Error, false, message);
}

/// `notice: message`, without colour.
pub(super) fn notice(message: impl Display) {
    print(Level::Notice, false, message);
}

/// The run's notices (when `with_notices`) and errors, one line each: the notices first.
pub(super) fn print_run_notices(report: &Report, color: bool, with_notices: bool) {
    for message in report.notices.iter().filter(|_| with_notices) {
        print(Level::Notice, color, message);
    }
    for message in &report.errors {
        print(Level::Error, color, message);
    }
}

/// `--verbose`: a notice for each file tree-sitter parsed only in part (paths relative to `base`).
pub(super) fn print_partly_parsed(report: &Report, base: &std::path::Path, color: bool) {
    for file in &report.partly_parsed {
        print(
            Level::Notice,
            color,
            format_args!(
                "{}:{}:{}: only partly parsed ({}); the rest was linted (`--extend-select parse-error` reports it)",
                crate::output::display_path(&file.path, base),
                file.start.line,
                file.start.column,
                file.what
            ),
        );
    }
}

/// `eprintln!` that cannot panic.
pub(super) fn line(text: impl Display) {
    let _ = writeln!(io::stderr(), "{text}");
}

/// `eprint!` that cannot panic.
pub(super) fn text(text: impl Display) {
    let _ = write!(io::stderr(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_plain_or_coloured() {
        assert_eq!([Level::Notice, Level::Warning, Level::Error].map(|l| l.label(false)), ["notice", "warning", "error"]);
        assert_eq!(Level::Error.label(true), "\x1b[31merror\x1b[0m");
    }
}
