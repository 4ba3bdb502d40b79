//! The command line: clap definitions, resolved once into run options, and the top-level commands.
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::EngineOptions;
use crate::jsmodel::JsModelChoice;
use crate::output::human::{self, Style};
use crate::output::json;
use crate::registry;
use crate::run::{self, RunOptions};

/// ctxlint finds the code that loses or leaks the OpenTelemetry / tracing context at async boundaries.
#[derive(Debug, Parser)]
#[command(
    name = "ctxlint",
    version,
    about,
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 no findings, 1 findings, 2 usage error, missing path, unreadable file or internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (the default command).
    Check(CheckArgs),
    /// List every rule: id, languages, default severity and summary.
    Rules {
        /// Print the list as the Markdown table of README.md.
        #[arg(long)]
        markdown: bool,
    },
    /// Show the full documentation of one rule.
    Rule {
        /// A rule id, e.g. `js/unbound-timer`.
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files and directories to lint [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, alias = "output-format", value_enum, default_value = "human")]
    pub format: Format,
    /// When to use colour (NO_COLOR is honoured under `auto`).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// The JavaScript context manager the code runs under; `auto` reads the nearest package.json.
    #[arg(long = "js-context-manager", value_enum, default_value = "auto")]
    pub js_context_manager: JsModelChoice,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Parse and check every file, even those without any rule's trigger words (same findings, slower).
    #[arg(long)]
    pub no_prefilter: bool,
}

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Rules { markdown }) => list_rules(markdown),
        Some(Command::Rule { id }) => show_rule(&id),
        Some(Command::Check(args)) => check(args),
        None => check(cli.check),
    }
}

fn load_registry() -> Result<&'static registry::Registry, ExitCode> {
    registry::builtin().map_err(|e| {
        eprintln!("error: internal: a built-in rule does not load: {e}");
        ExitCode::from(2)
    })
}

/// Writes to stdout; a closed pipe (`ctxlint . | head`) ends the run quietly.
fn emit(text: &str) -> Result<(), io::Error> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn finish(result: io::Result<()>, code: u8) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}

fn list_rules(markdown: bool) -> ExitCode {
    match load_registry() {
        Ok(r) if markdown => finish(emit(&crate::docs::rules_markdown(r)), 0),
        Ok(r) => finish(emit(&crate::docs::rules_table(r)), 0),
        Err(code) => code,
    }
}

fn show_rule(id: &str) -> ExitCode {
    let registry = match load_registry() {
        Ok(r) => r,
        Err(code) => return code,
    };
    match registry.get(id) {
        Some(rule) => finish(emit(&crate::docs::rule_page(rule)), 0),
        None => {
            let similar = crate::docs::similar_ids(registry, id);
            let hint = if similar.is_empty() { String::new() } else { format!(" (did you mean {}?)", similar.join(", ")) };
            eprintln!("error: unknown rule `{id}`{hint}; `ctxlint rules` lists them");
            ExitCode::from(2)
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal(),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let options = RunOptions {
        js_model: args.js_context_manager,
        threads: args.threads,
        engine: EngineOptions { prefilter: !args.no_prefilter, enabled: None },
    };
    let report = match run::lint_paths(&paths, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: internal: a built-in rule does not load: {e}");
            return ExitCode::from(2);
        }
    };
    let color = use_color(args.color);
    for notice in &report.notices {
        eprintln!("{}: {notice}", if color { "\x1b[36mnotice\x1b[0m" } else { "notice" });
    }
    for error in &report.errors {
        eprintln!("{}: {error}", if color { "\x1b[31merror\x1b[0m" } else { "error" });
    }
    let code = if !report.errors.is_empty() {
        2
    } else if !report.findings.is_empty() {
        1
    } else {
        0
    };
    let text = match args.format {
        Format::Json => json::render(&report),
        Format::Human => {
            let width = terminal_width();
            let mut text = String::new();
            for f in &report.findings {
                text.push_str(&human::render_finding(f, Style { color, width }));
            }
            text.push_str(&human::summary(&report, true));
            text.push('\n');
            text
        }
    };
    finish(emit(&text), code)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w: &usize| *w >= 40).unwrap_or(100)
}
