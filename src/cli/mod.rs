//! The command line: [`Cli`] (clap's parse of it) dispatched to its commands, each in a module of its own.
use std::path::Path;
use std::process::ExitCode;

mod args;
mod check;
mod edits;
mod exit;
mod notice;
mod options;
mod outputs;
mod rules;
mod run_error;
mod settings;
mod stdout;
mod terminal;
mod watch;

pub use args::{CheckArgs, Cli, ColorChoice, Command, ConfigArgs, ExitArgs, Format, OutputTarget, RulesFormat, SettingsArgs};
pub use exit::ExitStatus;
pub use stdout::STDOUT_CLOSED_AT_START;

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> ExitCode {
    // the renderers show paths relative to it (empty when it cannot be read: then paths stay as they are)
    let base = std::env::current_dir().unwrap_or_default();
    let status = match cli.command {
        Some(Command::Rules { markdown, format }) => rules::list_rules(markdown, format),
        Some(Command::Rule { id }) => rules::show_rule(&id),
        Some(Command::Check(args)) => check(&args, &base),
        Some(Command::Config(args)) => settings::show_settings(args.path.as_deref().unwrap_or(Path::new(".")), &args.settings, &base),
        Some(Command::Server) => server(),
        None => check(&cli.check, &base),
    };
    status.into()
}

/// `ctxlint server`: until the client exits; an error (a broken handshake) exits 2 with a message.
fn server() -> ExitStatus {
    match crate::server::run_stdio() {
        Ok(()) => ExitStatus::Success,
        Err(e) => {
            notice::error(format_args!("server: {e}"));
            ExitStatus::Error
        }
    }
}

/// The check command: once, or again on each change with `--watch`.
fn check(args: &CheckArgs, base: &Path) -> ExitStatus {
    if args.watch {
        watch::watch(args, base)
    } else {
        check::check_once(args, base)
    }
}
