//! The command line: clap definitions, resolved once into run options, and the top-level commands.
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::EngineOptions;
use crate::jsmodel::JsModelChoice;
use crate::output::human::{self, Style};
use crate::output::{github, json, sarif};
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
    /// Code frames with labels, help and fixes, and a summary line.
    Human,
    /// One JSON document, schema version 1 (README: "JSON output").
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (`::error file=..::message`).
    Github,
}

impl Format {
    fn parse(name: &str) -> Option<Format> {
        <Format as ValueEnum>::from_str(name, true).ok()
    }
}

/// Where one output goes: `-o FILE` sends `--format` there instead of stdout; `-o FORMAT=FILE` adds an output.
#[derive(Debug, Clone)]
pub struct OutputTarget {
    pub format: Option<Format>,
    pub file: PathBuf,
}

fn parse_output(value: &str) -> Result<OutputTarget, String> {
    if value.is_empty() {
        return Err("an output needs a file".to_string());
    }
    match value.split_once('=') {
        Some((format, file)) if !format.is_empty() && !format.contains(['/', '\\', '.']) => {
            let format = Format::parse(format).ok_or_else(|| format!("unknown format `{format}` (human, json, sarif, github)"))?;
            if file.is_empty() {
                return Err("an output needs a file after `=`".to_string());
            }
            Ok(OutputTarget { format: Some(format), file: PathBuf::from(file) })
        }
        _ => Ok(OutputTarget { format: None, file: PathBuf::from(value) }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files and directories to lint [default: .]; `-` reads standard input (with --stdin-filename)
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, alias = "output-format", value_enum, default_value = "human")]
    pub format: Format,
    /// Write the output to FILE instead of stdout; `FORMAT=FILE` writes another output as well (repeatable), e.g.
    /// `-o sarif=ctxlint.sarif` next to the human output on the terminal.
    #[arg(short = 'o', long = "output", value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    pub outputs: Vec<OutputTarget>,
    /// Lint standard input (given as `-`) as if it were this file: its extension picks the language, and
    /// package.json is looked up from its directory.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
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
    /// Report suppression comments that give no reason after `]:` (rule `suppression-without-reason`).
    #[arg(long)]
    pub require_reason: bool,
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
        engine: EngineOptions { prefilter: !args.no_prefilter, enabled: None, require_reason: args.require_reason },
    };
    let registry = match load_registry() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let reads_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    let report = if reads_stdin {
        if paths.len() > 1 {
            eprintln!("error: `-` (standard input) cannot be combined with other paths");
            return ExitCode::from(2);
        }
        let Some(name) = &args.stdin_filename else {
            eprintln!("error: reading standard input needs --stdin-filename PATH to choose the language");
            return ExitCode::from(2);
        };
        let mut text = String::new();
        if let Err(e) = io::stdin().read_to_string(&mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        run::lint_stdin(name, text, &options)
    } else {
        run::lint_paths(&paths, &options).map_err(|e| e.to_string())
    };
    let report = match report {
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
    } else if report.unsuppressed().next().is_some() {
        1
    } else {
        0
    };
    let render = |format: Format, color: bool| match format {
        Format::Json => json::render(&report),
        Format::Sarif => sarif::render(&report, registry, &sarif::cwd_uri()),
        Format::Github => github::render(&report),
        Format::Human => human::render(&report, Style { color, width: terminal_width() }, true),
    };
    let mut stdout_taken = false;
    for target in &args.outputs {
        let format = target.format.unwrap_or(args.format);
        stdout_taken |= target.format.is_none();
        if let Err(e) = std::fs::write(&target.file, render(format, false)) {
            eprintln!("error: cannot write {}: {}", target.file.display(), crate::walk::describe_io(&e));
            return ExitCode::from(2);
        }
    }
    if stdout_taken {
        return ExitCode::from(code);
    }
    finish(emit(&render(args.format, color)), code)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w: &usize| *w >= 40).unwrap_or(100)
}
