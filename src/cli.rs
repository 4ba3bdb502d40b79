//! The command line: clap definitions, resolved once into run options, and the top-level commands.
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Discovery;
use crate::engine::EngineOptions;
use crate::jsmodel::JsModelChoice;
use crate::output::human::{self, Style};
use crate::output::{concise, github, gitlab, json, junit, sarif};
use crate::registry;
use crate::run::{self, FixOptions, Report, RunError, RunOptions};

/// `eprintln!` that cannot panic: a full or closed stderr (`2>/dev/full`) loses the message, never the run.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that cannot panic.
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

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
    /// Report suppression comments that give no reason after `]:` (rule `suppression-without-reason`).
    #[arg(long)]
    pub require_reason: bool,
    /// Skip walked files larger than this (generated bundles); files named on the command line are always linted.
    /// Bytes, or with a unit: `2MB`, `512KiB`; `0` for no limit. Overrides `max-file-size` [default: 1MiB].
    #[arg(long, value_name = "SIZE", value_parser = crate::size::parse)]
    pub max_file_size: Option<crate::size::SizeLimit>,
}

impl SettingsArgs {
    fn run_options(&self) -> RunOptions {
        RunOptions {
            js_model: self.js_context_manager,
            max_file_size: self.max_file_size,
            engine: EngineOptions { require_reason: self.require_reason, ..EngineOptions::default() },
            discovery: match (&self.config, self.isolated) {
                (Some(path), _) => Discovery::Fixed(path.clone()),
                (None, true) => Discovery::Isolated,
                (None, false) => Discovery::Nearest,
            },
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            extend_select: self.extend_select.clone(),
            exclude: self.exclude.clone(),
            ..RunOptions::default()
        }
    }
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

impl ExitArgs {
    /// 2 when the run is incomplete (missing paths, unreadable files), else 1 when the findings left fail the run
    /// (or, with `--exit-non-zero-on-fix`, a file was fixed), else 0.
    fn code(&self, report: &Report) -> u8 {
        use crate::finding::Severity;
        if !report.errors.is_empty() {
            return 2;
        }
        if self.exit_non_zero_on_fix && !report.fixed.is_empty() {
            return 1;
        }
        if self.exit_zero {
            return 0;
        }
        let count = |s: Severity| report.unsuppressed().filter(|f| f.severity == s).count();
        let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        let fails =
            if self.deny_warnings { errors + warnings + infos > 0 } else { errors > 0 || warnings > self.max_warnings.unwrap_or(0) };
        u8::from(fails)
    }
}

/// Runs the command line; returns the process exit code.
pub fn main_with(cli: Cli) -> ExitCode {
    // the renderers show paths relative to it (empty when it cannot be read: then paths stay as they are)
    let base = std::env::current_dir().unwrap_or_default();
    match cli.command {
        Some(Command::Rules { markdown, format }) => list_rules(markdown, format),
        Some(Command::Rule { id }) => show_rule(&id),
        Some(Command::Check(args)) => check(args, &base),
        Some(Command::Config(args)) => show_settings(args.path.as_deref().unwrap_or(Path::new(".")), &args.settings, &base),
        None => check(cli.check, &base),
    }
}

fn load_registry() -> Result<&'static registry::Registry, ExitCode> {
    registry::builtin().map_err(|e| {
        stderr_line!("error: internal: a built-in rule does not load: {e}");
        ExitCode::from(2)
    })
}

/// Writes to stdout; a closed pipe (`ctxlint . | head`) ends the run quietly.
fn emit(text: &str) -> Result<(), io::Error> {
    emit_bytes(text.as_bytes())
}

fn emit_bytes(bytes: &[u8]) -> Result<(), io::Error> {
    if stdout_is_closed() {
        return Err(io::Error::other("standard output is closed"));
    }
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Set before `main` (by the binary's start-up probe) when file descriptor 1 was closed at start (`ctxlint . >&-`):
/// Rust's runtime then puts `/dev/null` in its place before `main`, so the report would vanish without a word.
pub static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Is standard output closed, or was it closed when the process started?
fn stdout_is_closed() -> bool {
    if STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed) {
        return true;
    }
    #[cfg(unix)]
    {
        // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF on a closed descriptor.
        unsafe { libc::fcntl(1, libc::F_GETFD) == -1 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn finish(result: io::Result<()>, code: u8) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(e) => {
            stderr_line!("error: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}

fn list_rules(markdown: bool, format: RulesFormat) -> ExitCode {
    match load_registry() {
        Ok(r) if markdown => finish(emit(&crate::docs::rules_markdown(r)), 0),
        Ok(r) if format == RulesFormat::Json => finish(emit(&crate::docs::rules_json(r)), 0),
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
            stderr_line!("error: unknown rule `{id}`{hint}; `ctxlint rules` lists them");
            ExitCode::from(2)
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(io::stdout().is_terminal()),
    }
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

/// Reports a run that could not start: configuration errors as a diagnostic pointing into the file.
fn run_failed(error: &RunError, base: &Path) -> ExitCode {
    match error {
        RunError::Config(e) if e.span.is_some() => {
            let handler = miette::GraphicalReportHandler::new_themed(if use_color_stderr() {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            });
            let named = ConfigDiagnostic {
                source: miette::NamedSource::new(crate::output::display_path(&e.path, base), e.source.clone()),
                error: e.clone(),
            };
            let mut out = String::new();
            if handler.render_report(&mut out, &named).is_ok() {
                stderr_text!("{out}");
            } else {
                stderr_line!("error: {e}");
            }
        }
        other => stderr_line!("error: {other}"),
    }
    ExitCode::from(2)
}

/// A configuration error with its file's name on the code frame.
#[derive(Debug)]
struct ConfigDiagnostic {
    error: crate::config::ConfigError,
    source: miette::NamedSource<String>,
}

impl std::fmt::Display for ConfigDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid configuration: {}", self.error.message)
    }
}

impl std::error::Error for ConfigDiagnostic {}

impl miette::Diagnostic for ConfigDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ctxlint::config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        miette::Diagnostic::labels(&self.error)
    }
}

fn use_color_stderr() -> bool {
    auto_color(io::stderr().is_terminal())
}

fn show_settings(path: &Path, args: &SettingsArgs, base: &Path) -> ExitCode {
    let options = args.run_options();
    let resolver = match options.config_resolver() {
        Ok(r) => r,
        Err(e) => return run_failed(&e, base),
    };
    // the settings of a directory are those of a file inside it
    let probe = if path.is_dir() { path.join("_") } else { path.to_path_buf() };
    let settings = match resolver.settings_for(&probe) {
        Ok(s) => s,
        Err(e) => return run_failed(&RunError::Config(e), base),
    };
    let mut rules: Vec<String> = settings.rules_for(&crate::config::absolute(&probe)).into_iter().collect();
    rules.sort();
    let mut severity: Vec<String> = settings.severity.iter().map(|(k, v)| format!("{k} = {}", v.as_str())).collect();
    severity.sort();
    let text = format!(
        "settings for {}\nfrom: {}\nrules ({}): {}\nseverity overrides: {}\nrequire-reason: {}\nmax-file-size: {}\nexclude: {}\nper-file-ignores: {}\njs context-manager: {}\n",
        crate::output::display_path(path, base),
        settings.origin.as_ref().map_or_else(|| "defaults (no configuration file found)".to_string(), |p| crate::output::display_path(p, base)),
        rules.len(),
        rules.join(", "),
        if severity.is_empty() { "none".to_string() } else { severity.join(", ") },
        settings.require_reason,
        settings.max_file_size,
        exclude_line(&settings),
        if settings.per_file_ignore_globs.is_empty() {
            "none".to_string()
        } else {
            settings.per_file_ignore_globs.iter().map(|(g, ids)| format!("{g} -> {}", ids.join(", "))).collect::<Vec<_>>().join("; ")
        },
        match settings.js_model.fixed() {
            Some(m) => m.name().to_string(),
            None => "auto (nearest package.json)".to_string(),
        },
    );
    finish(emit(&text), 0)
}

/// The `exclude:` line of `ctxlint config`: the default excludes (when no `exclude` replaced them), then the globs.
fn exclude_line(settings: &crate::config::Settings) -> String {
    let mut parts = Vec::new();
    if settings.default_excludes {
        parts.push(format!("default directories ({})", crate::config::DEFAULT_EXCLUDES.join(", ")));
    }
    parts.extend(settings.exclude_globs.iter().cloned());
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

fn check(args: CheckArgs, base: &Path) -> ExitCode {
    if args.watch {
        return watch(&args, base);
    }
    check_once(&args, base)
}

/// How often `--watch` looks at the files again.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(300);

/// `--watch`: lints, then again each time a file it would lint (or a configuration or ignore file) changes, until
/// interrupted. Polls the modification times, so it works the same on every platform and file system (network
/// mounts, containers) without an event API.
fn watch(args: &CheckArgs, base: &Path) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        stderr_line!("error: --watch cannot watch standard input (`-`)");
        return ExitCode::from(2);
    }
    let mut state = watched_state(&paths);
    loop {
        if io::stdout().is_terminal() {
            // clear the screen, as ruff does, so each run reads on its own
            let _ = emit("\x1b[2J\x1b[H");
        }
        let _ = check_once(args, base);
        if stdout_is_closed() {
            return ExitCode::from(2);
        }
        stderr_line!("Watching for file changes (Ctrl-C to stop).");
        loop {
            std::thread::sleep(WATCH_INTERVAL);
            let now = watched_state(&paths);
            if now != state {
                state = now;
                break;
            }
        }
    }
}

/// The files `--watch` looks at under `paths`, as the walk finds them (ignore files respected), with their
/// modification times and sizes: lintable files, configuration files and ignore files.
fn watched_state(paths: &[PathBuf]) -> Vec<(PathBuf, Option<std::time::SystemTime>, u64)> {
    let Some((first, rest)) = paths.split_first() else { return Vec::new() };
    let mut builder = ignore::WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    builder.hidden(true).git_ignore(true).git_global(false).require_git(false).follow_links(false);
    builder.add_custom_ignore_filename(crate::walk::IGNORE_FILE);
    let mut state: Vec<_> = builder
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| {
            let name = e.file_name().to_str().unwrap_or("");
            crate::lang::Lang::from_path(e.path()).is_some()
                || crate::config::FILE_NAMES.contains(&name)
                || [crate::walk::IGNORE_FILE, ".gitignore", ".ignore", "package.json"].contains(&name)
        })
        .map(|e| {
            let meta = e.metadata().ok();
            (e.into_path(), meta.as_ref().and_then(|m| m.modified().ok()), meta.map_or(0, |m| m.len()))
        })
        .collect();
    state.sort();
    state
}

fn check_once(args: &CheckArgs, base: &Path) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if args.show_settings {
        return show_settings(&paths[0], &args.settings, base);
    }
    if stdout_is_closed() && !args.outputs.iter().any(|t| t.format.is_none()) {
        stderr_line!("error: standard output is closed, so the report would be lost; give `-o FILE` to write it to a file");
        return ExitCode::from(2);
    }
    let mut options = args.settings.run_options();
    options.threads = capped_threads(args.threads);
    options.engine.prefilter = !args.no_prefilter;
    options.force_exclude = args.force_exclude;
    options.fix = FixOptions { apply: args.fix || args.diff, policy: crate::fix::apply::Policy { unsafe_fixes: args.unsafe_fixes } };
    let registry = match load_registry() {
        Ok(r) => r,
        Err(code) => return code,
    };
    // like ruff, `--stdin-filename` without paths reads standard input
    let reads_stdin = paths.iter().any(|p| p.as_os_str() == "-") || (args.stdin_filename.is_some() && args.paths.is_empty());
    let mut stdin_bytes = Vec::new();
    let report = if reads_stdin {
        if paths.len() > 1 {
            stderr_line!("error: `-` (standard input) cannot be combined with other paths");
            return ExitCode::from(2);
        }
        let Some(name) = &args.stdin_filename else {
            stderr_line!("error: reading standard input needs --stdin-filename PATH to choose the language");
            return ExitCode::from(2);
        };
        if let Err(e) = io::stdin().read_to_end(&mut stdin_bytes) {
            stderr_line!("error: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        run::lint_stdin_bytes(name, stdin_bytes.clone(), &options)
    } else {
        run::lint_paths(&paths, &options)
    };
    let mut report = match report {
        Ok(r) => r,
        Err(e) => return run_failed(&e, base),
    };
    let color = use_color(args.color);
    if args.diff {
        return print_diff(&report, base);
    }
    if args.fix && reads_stdin {
        return print_fixed_stdin(&report, base, &stdin_bytes, use_color_stderr() && args.color != ColorChoice::Never, &args.exit);
    }
    if args.fix {
        crate::run::write_fixes(&mut report);
    }
    if let Some(reason) = &args.add_ignore {
        for notice in &report.notices {
            stderr_line!("notice: {notice}");
        }
        for error in &report.errors {
            stderr_line!("error: {error}");
        }
        let reason = Some(reason.trim()).filter(|r| !r.is_empty());
        let added = crate::add_ignore::apply(&report.findings, reason);
        for skipped in &added.skipped {
            stderr_line!("error: {skipped}");
        }
        for notice in &added.notices {
            stderr_line!("notice: {notice}");
        }
        let text = format!(
            "Added {} suppression comment{} to {} file{}.\n",
            added.comments,
            if added.comments == 1 { "" } else { "s" },
            added.files,
            if added.files == 1 { "" } else { "s" }
        );
        let code = if report.errors.is_empty() && added.skipped.is_empty() { 0 } else { 2 };
        return finish(emit(&text), code);
    }
    let chatty = !args.quiet && !args.silent;
    for notice in report.notices.iter().filter(|_| chatty) {
        stderr_line!("{}: {notice}", if color { "\x1b[36mnotice\x1b[0m" } else { "notice" });
    }
    for error in &report.errors {
        stderr_line!("{}: {error}", if color { "\x1b[31merror\x1b[0m" } else { "error" });
    }
    if chatty && !reads_stdin && report.files_checked == 0 && report.files_skipped == 0 && report.errors.is_empty() {
        // as ruff warns: a wrong path, an exclude or a `--select` that leaves nothing is no success
        stderr_line!(
            "{}: no file was linted: none under the given paths has a language the selected rules read, or all are excluded",
            if color { "\x1b[33mwarning\x1b[0m" } else { "warning" }
        );
    }
    let code = args.exit.code(&report);
    let gitlab_project = std::env::var_os("CI_PROJECT_DIR").filter(|d| !d.is_empty()).map(PathBuf::from);
    let render = |format: Format, color: bool| match format {
        Format::Json => json::render(&report, base),
        Format::Sarif => sarif::render(&report, base, registry),
        Format::Github => github::render(&report, base),
        Format::Concise => concise::render(&report, base, args.quiet, true),
        Format::Gitlab => gitlab::render(&report, base, gitlab_project.as_deref()),
        Format::Junit => junit::render(&report, base),
        Format::Human if args.quiet => human::render_frames(&report, base, Style { color, width: terminal_width() }),
        Format::Human => human::render(&report, base, Style { color, width: terminal_width() }, true),
    };
    if args.fix && chatty && (!matches!(args.format, Format::Human | Format::Concise) || !args.outputs.is_empty()) {
        // the human summary says it; other formats get it on stderr
        stderr_line!("Fixed {} in {}.", human::plural(report.fixes_applied(), "problem"), human::plural(report.fixed.len(), "file"));
    }
    let mut stdout_taken = false;
    for target in &args.outputs {
        let format = target.format.unwrap_or(args.format);
        stdout_taken |= target.format.is_none();
        if let Err(e) = std::fs::write(&target.file, render(format, false)) {
            stderr_line!("error: cannot write {}: {}", target.file.display(), crate::walk::describe_io(&e));
            return ExitCode::from(2);
        }
    }
    if stdout_taken || args.silent {
        return ExitCode::from(code);
    }
    if args.statistics {
        let mut text = concise::statistics(&report, registry);
        if !args.quiet {
            text.push_str(&human::summary(&report, true));
            text.push('\n');
        }
        return finish(emit(&text), code);
    }
    finish(emit(&render(args.format, color)), code)
}

/// The most worker threads per core: more only adds start-up time (a thread each, with its parsers) and, past the
/// system's limit, cannot be spawned at all.
const THREADS_PER_CORE: usize = 4;

/// `--threads N`, capped at [`THREADS_PER_CORE`] per core (with a notice when the cap applies); 0 stays "one per core".
fn capped_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let max = cores.saturating_mul(THREADS_PER_CORE).max(THREADS_PER_CORE);
    if asked > max {
        stderr_line!("notice: --threads {asked} is more than this machine can use; using {max} ({THREADS_PER_CORE} per core)");
        max
    } else {
        asked
    }
}

/// `--diff`: the diff on stdout, what it would fix on stderr; exit 1 when there would be changes.
fn print_diff(report: &Report, base: &Path) -> ExitCode {
    for notice in &report.notices {
        stderr_line!("notice: {notice}");
    }
    for error in &report.errors {
        stderr_line!("error: {error}");
    }
    let diff = crate::output::diff::render(&report.fixed, base);
    let applied = report.fixes_applied();
    let (_, hidden) = report.fixable();
    let hidden = if hidden > 0 { format!(" ({hidden} more with --unsafe-fixes)") } else { String::new() };
    if applied == 0 {
        stderr_line!("No fixes to apply{hidden}.");
    } else {
        stderr_line!("Would fix {} in {}{hidden}.", human::plural(applied, "problem"), human::plural(report.fixed.len(), "file"));
    }
    let code = if !report.errors.is_empty() {
        2
    } else if diff.is_empty() {
        0
    } else {
        1
    };
    finish(emit(&diff), code)
}

/// `--fix` on standard input: the fixed text on stdout (like ruff, for editors), the findings left on stderr.
fn print_fixed_stdin(report: &Report, base: &Path, original: &[u8], color: bool, exit: &ExitArgs) -> ExitCode {
    for notice in &report.notices {
        stderr_line!("notice: {notice}");
    }
    for error in &report.errors {
        stderr_line!("error: {error}");
    }
    // the input comes back byte for byte when nothing was fixed (also when it is not UTF-8)
    let text = report.fixed.first().map_or(original, |f| f.text.as_bytes());
    stderr_text!("{}", human::render(report, base, Style { color, width: terminal_width() }, false));
    let code = exit.code(report);
    finish(emit_bytes(text), code)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w: &usize| *w >= 40).unwrap_or(100)
}
