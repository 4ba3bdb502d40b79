//! The command line's clap definitions: the commands, their flags, and what each flag's value parses into.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::jsmodel::JsModelChoice;

/// ctxlint finds the code that loses or leaks the OpenTelemetry / tracing context at async boundaries.
#[derive(Debug, Parser)]
#[command(
    name = "ctxlint",
    version,
    about,
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 no failing findings (infos alone do not fail), 1 errors or warnings (see --exit-zero, \
                  --deny-warnings, --max-warnings), 2 usage error, missing path, unreadable file or internal error."
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
        #[arg(long, conflicts_with = "format")]
        markdown: bool,
        /// `text` (a table) or `json` (every rule with its metadata and docs URL, for tooling).
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
    /// Show the full documentation of one rule.
    Rule {
        /// A rule id, e.g. `js/unbound-timer`.
        id: String,
    },
    /// Print the settings that apply to a path, and the file they come from.
    Config(ConfigArgs),
    /// Run the language server (LSP) on standard input and output, for editors.
    #[command(long_about = "Run the language server (the Language Server Protocol over standard input and output), \
for editors: diagnostics as you type (pushed, and pulled when the client offers it), quick fixes, \
\"ignore this rule on this line\", fix-all (`source.fixAll.ctxlint`: the safe fixes, what --fix does), \
hover with the rule's documentation, and the commands `ctxlint.applyAutofix` and `ctxlint.printDebugInformation`. \
Every file is linted with the configuration files that apply to it, as on the command line; editor settings \
(`initializationOptions` or `workspace/didChangeConfiguration`, optionally under a `ctxlint` key): `select`, \
`ignore`, `extendSelect`, `contextManager`, `unsafeFixes`, `requireReason`, `noProject`. See README.md, \"Editors\".")]
    Server,
}

/// How `ctxlint rules` prints the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// The file or directory whose settings to show [default: .]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Where settings come from and how the command line changes them.
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// Use this configuration file for every linted file (instead of the closest one).
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// Run only these rules (ids or prefixes such as `py/`; comma-separated or repeated). Overrides `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Also run these rules (e.g. opt-in ones).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Do not run these rules. Overrides `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Option<Vec<String>>,
    /// Do not lint walked paths matching these globs. Overrides `exclude`.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub exclude: Option<Vec<String>>,
    /// The JavaScript context manager the code runs under; `auto` reads the config, then the nearest package.json.
    #[arg(long = "js-context-manager", value_enum, default_value = "auto")]
    pub js_context_manager: JsModelChoice,
    /// The Python instrumentations and SDKs taken as active, comma-separated (`threading`, `logfire`, `sentry`), or
    /// `none`; `auto` (the default) reads `[python] instrumented`, then the project's dependency files and activation
    /// calls.
    #[arg(long, value_name = "NAMES", value_parser = crate::pymodel::PyInstrumentedChoice::parse_cli)]
    pub python_instrumented: Option<crate::pymodel::PyInstrumentedChoice>,
    /// Report suppression comments that give no reason after `]:` (rule `suppression-without-reason`).
    #[arg(long)]
    pub require_reason: bool,
    /// Skip walked files larger than this (generated bundles); files named on the command line are always linted.
    /// Bytes, or with a unit: `2MB`, `512KiB`; `0` for no limit. Overrides `max-file-size` [default: 1MiB].
    #[arg(long, value_name = "SIZE", value_parser = crate::size::parse)]
    pub max_file_size: Option<crate::size::SizeLimit>,
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
    /// One line per finding, `path:line:col: rule [*] message` (ruff's `concise`), and the summary line.
    Concise,
    /// GitLab Code Quality (Code Climate JSON), with a stable fingerprint per finding.
    Gitlab,
    /// JUnit XML, one failing test case per finding.
    Junit,
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
            let format = Format::parse(format)
                .ok_or_else(|| format!("unknown format `{format}` (human, concise, json, sarif, github, gitlab, junit)"))?;
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
    /// Files and directories to lint [default: .]; `-` reads standard input (with --stdin-filename, which alone reads
    /// it too)
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
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Print the settings that apply to the first path instead of linting (same as `ctxlint config PATH`).
    #[arg(long)]
    pub show_settings: bool,
    /// Write a `ctxlint-ignore[...]` comment (with REASON, if given) above every current finding, to adopt ctxlint on
    /// an existing codebase and fix later. Idempotent.
    #[arg(long, value_name = "REASON", num_args = 0..=1, default_missing_value = "", require_equals = true)]
    pub add_ignore: Option<String>,
    /// Apply the safe fixes to the files (each written atomically), then report what is left. With `-` (standard
    /// input), print the fixed text to stdout and the findings left to stderr.
    #[arg(long, conflicts_with = "add_ignore")]
    pub fix: bool,
    /// Also apply (with --fix, --diff) or count as fixable the unsafe fixes, which may change timing or exception flow.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing; exit 1 when there would be changes.
    #[arg(long, conflicts_with_all = ["add_ignore", "outputs", "format"])]
    pub diff: bool,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Parse and check every file, even those without any rule's trigger words (same findings, slower).
    #[arg(long)]
    pub no_prefilter: bool,
    /// Look at each file alone: no facts from the other modules of its project (what an imported function does,
    /// what an imported pool or queue is, which other file of a Rust crate calls a function from a span scope). For
    /// comparison and speed.
    #[arg(long)]
    pub no_project: bool,
    /// Lint again each time a file changes, until interrupted (Ctrl-C).
    #[arg(long, conflicts_with_all = ["diff", "add_ignore", "stdin_filename", "show_settings"])]
    pub watch: bool,
    /// Apply `exclude`, `extend-exclude` and the ignore files (`.ctxlintignore`, `.ignore`, `.gitignore`) to files
    /// named on the command line too, as pre-commit and editors name them.
    #[arg(long)]
    pub force_exclude: bool,
    /// Print the findings and nothing else: no summary line, no notices (errors still go to stderr).
    #[arg(short, long, conflicts_with = "silent")]
    pub quiet: bool,
    /// Print nothing (errors still go to stderr, `-o` files are still written); the exit code tells.
    #[arg(short, long)]
    pub silent: bool,
    /// Also name, on stderr, each file tree-sitter parsed only in part, with its first error (the summary counts them;
    /// `--extend-select parse-error` reports them as findings instead).
    #[arg(short, long, conflicts_with_all = ["quiet", "silent"])]
    pub verbose: bool,
    /// Instead of the findings, print how many each rule has (`[*]`: some are fixable), then the summary line.
    #[arg(long, conflicts_with = "diff")]
    pub statistics: bool,
    #[command(flatten)]
    pub exit: ExitArgs,
}

/// Which findings fail the run (exit code 1). By default errors and warnings do, infos do not.
#[derive(Debug, Clone, Default, Args)]
pub struct ExitArgs {
    /// Exit 0 even when there are findings (2 still reports an incomplete run).
    #[arg(long)]
    pub exit_zero: bool,
    /// Fail on any finding, infos included.
    #[arg(long, conflicts_with = "max_warnings")]
    pub deny_warnings: bool,
    /// Warnings fail the run only when there are more than N (errors always do).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// With --fix, exit 1 when a file was changed, even if no finding is left.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
}
