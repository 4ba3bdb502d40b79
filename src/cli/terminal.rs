//! What the terminal wants: colour on stdout and stderr (ruff's rules for `--color auto`), and the width to wrap to.
use std::io::{self, IsTerminal};

use super::ColorChoice;

/// Whether stdout gets colour.
pub(super) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(io::stdout().is_terminal()),
    }
}

/// Whether stderr gets colour under `--color auto`.
pub(super) fn use_color_stderr() -> bool {
    auto_color(io::stderr().is_terminal())
}

/// `--color auto` the way ruff decides it: `FORCE_COLOR` (any non-empty value) or `CLICOLOR_FORCE` (any value but
/// `0`) colours even a pipe, and wins over `NO_COLOR` (any non-empty value), which turns colour off on a terminal.
fn auto_color(terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if set("FORCE_COLOR").is_some() || set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    set("NO_COLOR").is_none() && terminal
}

/// The width code frames wrap to: `COLUMNS` when it is a number of at least 40, else 100.
pub(super) fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w: &usize| *w >= 40).unwrap_or(100)
}
