//! The check command, run once: the paths (or standard input) checked, the run, then what it shows: the report, or
//! the diff (`--diff`), the fixed standard input (`--fix -`) or the suppressions added (`--add-ignore`).
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::exit::ExitStatus;
use super::options::check_options;
use super::rules::load_registry;
use super::run_error::run_failed;
use super::settings::show_settings;
use super::stdout::stdout_is_closed;
use super::terminal::use_color_stderr;
use super::{edits, notice, outputs, CheckArgs, ColorChoice};
use crate::run;

/// Lints the paths (or standard input) once and writes what the flags ask for; returns the exit status.
pub(super) fn check_once(args: &CheckArgs, base: &Path) -> ExitStatus {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if args.show_settings {
        return show_settings(&paths[0], &args.settings, base);
    }
    if stdout_is_closed() && !args.outputs.iter().any(|t| t.format.is_none()) {
        notice::error("standard output is closed, so the report would be lost; give `-o FILE` to write it to a file");
        return ExitStatus::Error;
    }
    let options = check_options(args);
    let registry = match load_registry() {
        Ok(r) => r,
        Err(status) => return status,
    };
    // like ruff, `--stdin-filename` without paths reads standard input
    let reads_stdin = paths.iter().any(|p| p.as_os_str() == "-") || (args.stdin_filename.is_some() && args.paths.is_empty());
    let mut stdin_bytes = Vec::new();
    let report = if reads_stdin {
        if paths.len() > 1 {
            notice::error("`-` (standard input) cannot be combined with other paths");
            return ExitStatus::Error;
        }
        let Some(name) = &args.stdin_filename else {
            notice::error("reading standard input needs --stdin-filename PATH to choose the language");
            return ExitStatus::Error;
        };
        if let Err(e) = io::stdin().read_to_end(&mut stdin_bytes) {
            notice::error(format_args!("cannot read standard input: {e}"));
            return ExitStatus::Error;
        }
        run::lint_stdin_bytes(name, stdin_bytes.clone(), &options)
    } else {
        run::lint_paths(&paths, &options)
    };
    let mut report = match report {
        Ok(r) => r,
        Err(e) => return run_failed(&e, base),
    };
    if args.diff {
        return edits::print_diff(&report, base);
    }
    if args.fix && reads_stdin {
        let color = use_color_stderr() && args.color != ColorChoice::Never;
        return edits::print_fixed_stdin(&report, base, &stdin_bytes, color, &args.exit);
    }
    if args.fix {
        run::write_fixes(&mut report);
    }
    if let Some(reason) = &args.add_ignore {
        return edits::add_ignore(&report, reason);
    }
    outputs::write_report(&report, args, registry, base, reads_stdin)
}
