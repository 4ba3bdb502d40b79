//! Runs a whole lint: walk, read, lint in parallel with one parser set per thread, and gather a sorted report.
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{self, CliOverrides, ConfigError, ConfigResolver, Discovery, Settings};
use crate::engine::{self, EngineError, EngineOptions, Workspace};
use crate::file_cx::Runtime;
use crate::finding::Finding;
use crate::fix::apply::{self as fixer, FixHost};
use crate::jsmodel::{JsModelChoice, JsModelResolver};
use crate::lang::Lang;
use crate::project::ProjectIndex;
use crate::pymodel::{PyInstrumentedChoice, PyRuntime, PyRuntimeResolver};
use crate::registry::{self, LoadError, Registry};
pub use crate::report::{FixOptions, FixedFile, PartlyParsed, Report};
use crate::size::SizeLimit;
use crate::walk;

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The command line's JS model (`auto` lets the config file and package.json decide).
    pub js_model: JsModelChoice,
    /// The command line's Python instrumentations (`Auto` lets the config file and the project decide).
    pub py_instrumented: PyInstrumentedChoice,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// `engine.enabled = Some(..)` runs exactly those rules, whatever the configuration says.
    pub engine: EngineOptions,
    /// How configuration files are found.
    pub discovery: Discovery,
    /// `--select`, `--ignore`, `--extend-select`, `--exclude`.
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub exclude: Option<Vec<String>>,
    /// `--fix` / `--diff` / `--unsafe-fixes`.
    pub fix: FixOptions,
    /// `--max-file-size` (overrides the config files).
    pub max_file_size: Option<SizeLimit>,
    /// `--force-exclude`: excludes and ignore files apply to files named on the command line too.
    pub force_exclude: bool,
    /// `--no-project`: each file alone, without the project index.
    pub no_project: bool,
}

impl RunOptions {
    fn overrides(&self) -> CliOverrides {
        CliOverrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            extend_select: self.extend_select.clone(),
            exclude: self.exclude.clone(),
            require_reason: self.engine.require_reason,
            js_model: self.js_model,
            py_instrumented: self.py_instrumented.clone(),
            max_file_size: self.max_file_size,
        }
    }

    /// The resolver of configuration files for this run.
    pub fn config_resolver(&self) -> Result<ConfigResolver, RunError> {
        let registry = registry::builtin().map_err(RunError::Rules)?;
        config::check_cli_selectors(&self.overrides(), registry).map_err(RunError::Usage)?;
        ConfigResolver::new(registry, self.overrides(), self.discovery.clone()).map_err(RunError::Config)
    }
}

/// Why a run could not start or finish.
#[derive(Debug)]
pub enum RunError {
    /// A built-in rule does not load: an internal error.
    Rules(LoadError),
    /// A configuration file is wrong.
    Config(ConfigError),
    /// A command-line value is wrong.
    Usage(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Rules(e) => write!(f, "internal: a built-in rule does not load: {e}"),
            RunError::Config(e) => write!(f, "{e}"),
            RunError::Usage(e) => write!(f, "{e}"),
        }
    }
}

enum FileOutcome {
    /// The findings, notices, fixed file, and the first parse error when only it tells of one.
    Linted(Vec<Finding>, Vec<String>, Option<FixedFile>, Option<PartlyParsed>),
    /// NUL bytes: skipped silently, counted.
    Binary,
    /// The parse ran out of its time budget: skipped with this notice, counted.
    TooSlow(String),
    /// A walked file over the size limit: skipped with this notice, counted.
    TooLarge(String),
    Failed(String),
}

impl Report {
    fn add(&mut self, outcome: FileOutcome) {
        match outcome {
            FileOutcome::Linted(findings, notices, fixed, partly_parsed) => {
                self.files_checked += 1;
                self.findings.extend(findings);
                self.notices.extend(notices);
                self.fixed.extend(fixed);
                self.partly_parsed.extend(partly_parsed);
            }
            FileOutcome::Binary => self.files_skipped += 1,
            FileOutcome::TooSlow(notice) => {
                self.files_skipped += 1;
                self.files_too_slow += 1;
                self.notices.push(notice);
            }
            FileOutcome::TooLarge(notice) => {
                self.files_skipped += 1;
                self.files_too_large += 1;
                self.notices.push(notice);
            }
            FileOutcome::Failed(e) => self.errors.push(e),
        }
    }
}

/// `--fix`: writes every fixed file of the report atomically. A file that cannot be written (or changed since it was
/// read) becomes an error of the report, its fixes no longer count, and its findings are again those it had before
/// fixing (the file on disk still has them); the other files are still written.
pub fn write_fixes(report: &mut Report) {
    let mut written = Vec::with_capacity(report.fixed.len());
    let mut restored = false;
    for file in std::mem::take(&mut report.fixed) {
        match crate::fix::write::write_if_unchanged(&file.path, &file.original, &file.text) {
            Ok(()) => written.push(file),
            Err(why) => {
                report.errors.push(format!("{}: fixes not written: {why}", file.path.display()));
                report.findings.retain(|f| f.path != file.path);
                report.findings.extend(file.findings_before);
                restored = true;
            }
        }
    }
    if restored {
        report.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    report.fixed = written;
}

/// Lints files and directories: files named on the command line in parallel, then the directories, linting each file
/// on the walker thread that finds it.
pub fn lint_paths(paths: &[PathBuf], options: &RunOptions) -> Result<Report, RunError> {
    let start = Instant::now();
    let registry = registry::builtin().map_err(RunError::Rules)?;
    let configs = Arc::new(options.config_resolver()?);
    let (walked, dirs) = walk::explicit(paths);
    let resolver = JsModelResolver::new(JsModelChoice::Auto);
    let py_resolver = PyRuntimeResolver::new();
    let project = (!options.no_project).then(ProjectIndex::new);
    let linter = Linter { registry, options, resolver: &resolver, py_resolver: &py_resolver, project };
    // the first configuration error (by path) stops the run
    let config_error: Mutex<Option<(PathBuf, ConfigError)>> = Mutex::new(None);
    let lint = |ws: &mut Workspace, path: &Path, lang: Lang, explicit: bool| -> Option<FileOutcome> {
        let settings = match configs.settings_for(path) {
            Ok(s) => s,
            Err(e) => {
                let mut first = config_error.lock().unwrap_or_else(|e| e.into_inner());
                if first.as_ref().is_none_or(|(p, _)| path < p.as_path()) {
                    *first = Some((path.to_path_buf(), e));
                }
                return None;
            }
        };
        if !explicit && settings.excludes(&crate::files::absolute(path)) {
            return None;
        }
        if explicit && options.force_exclude && force_excluded(&settings, path) {
            return None;
        }
        // a file no selected rule reads (`--select js/` and a Python file) is not linted, nor counted
        let job = FileJob { settings: &settings, path, lang };
        if !linter.has_rules_for(job) {
            return None;
        }
        let limit = if explicit { SizeLimit(None) } else { settings.max_file_size };
        Some(linter.lint_file(ws, job, limit))
    };

    let named = || walked.files.par_iter().map_init(Workspace::default, |ws, (path, lang)| lint(ws, path, *lang, true)).collect::<Vec<_>>();
    let mut outcomes: Vec<FileOutcome> = match rayon::ThreadPoolBuilder::new().num_threads(options.threads).build() {
        Ok(pool) => pool.install(named),
        Err(_) => named(),
    }
    .into_iter()
    .flatten()
    .collect();

    // a file reached twice (named and under a walked directory, or under two of them) is linted once
    let seen: Mutex<HashSet<PathBuf>> = Mutex::new(walked.explicit.clone());
    let found: Mutex<Vec<FileOutcome>> = Mutex::new(Vec::new());
    // a directory of the default excludes is not entered, where the settings of the directory holding it keep them
    let prune = {
        let configs = configs.clone();
        move |dir: &Path| {
            dir.file_name().is_some_and(config::is_default_excluded) && configs.settings_for(dir).is_ok_and(|s| s.default_excludes)
        }
    };
    let visit = |ws: &mut Workspace, path: PathBuf, lang: Lang| {
        if !seen.lock().unwrap_or_else(|e| e.into_inner()).insert(crate::files::absolute(&path)) {
            return;
        }
        if let Some(outcome) = lint(ws, &path, lang, false) {
            found.lock().unwrap_or_else(|e| e.into_inner()).push(outcome);
        }
    };
    let walk_errors = walk::walk_dirs_pruned(&dirs, options.threads, Workspace::default, visit, prune);
    if let Some((_, e)) = config_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(RunError::Config(e));
    }
    outcomes.extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
    // named pipes last, one at a time: each is read once, as its writer sends it
    let mut ws = Workspace::default();
    for (path, lang) in &walked.streams {
        match configs.settings_for(path) {
            Ok(settings) => outcomes.push(linter.lint_stream(&mut ws, &settings, path, *lang)),
            Err(e) => return Err(RunError::Config(e)),
        }
    }

    let mut report = Report { errors: walked.errors, notices: walked.notices, fix: options.fix, ..Report::default() };
    report.errors.extend(walk_errors);
    for outcome in outcomes {
        report.add(outcome);
    }
    report.notices.extend(resolver.take_notices());
    report.notices.extend(py_resolver.take_notices());
    report.errors.sort();
    report.notices.sort();
    sort(&mut report.findings);
    report.fixed.sort_by(|a, b| a.path.cmp(&b.path));
    report.partly_parsed.sort_by(|a, b| a.path.cmp(&b.path));
    report.duration = start.elapsed();
    Ok(report)
}

/// With `--force-exclude`, is the named file (or standard input's name) `path` excluded: by `exclude` /
/// `extend-exclude`, by the default excludes, or by an ignore file?
fn force_excluded(settings: &Settings, path: &Path) -> bool {
    let absolute = crate::files::absolute(path);
    settings.excludes(&absolute) || settings.excludes_by_default(&absolute) || walk::ignored_by_ignore_files(path)
}

/// Lints standard input as if it were the file at `path`: its language, package.json and config come from that path.
pub fn lint_stdin(path: &Path, text: String, options: &RunOptions) -> Result<Report, RunError> {
    lint_stdin_decoded(path, text, true, options)
}

/// [`lint_stdin`] for raw bytes: text that is not valid UTF-8 is linted like such a file (each invalid byte read as
/// `?`, a notice, never fixed).
pub fn lint_stdin_bytes(path: &Path, bytes: Vec<u8>, options: &RunOptions) -> Result<Report, RunError> {
    match String::from_utf8(bytes) {
        Ok(text) => lint_stdin_decoded(path, text, true, options),
        Err(e) => lint_stdin_decoded(path, invalid_bytes_as_question_marks(e.as_bytes()), false, options),
    }
}

fn lint_stdin_decoded(path: &Path, text: String, valid: bool, options: &RunOptions) -> Result<Report, RunError> {
    let start = Instant::now();
    let mut report = Report { fix: options.fix, ..Report::default() };
    let configs = options.config_resolver()?;
    if options.force_exclude {
        // an editor's buffer of an excluded file: nothing to report (and with --fix, the text comes back unchanged)
        let settings = configs.settings_for(path).map_err(RunError::Config)?;
        if force_excluded(&settings, path) {
            report.duration = start.elapsed();
            return Ok(report);
        }
    }
    match lint_with(&configs, path, &text, valid, options) {
        Ok(outcome) => report.add(outcome),
        Err(LintTextError::Run(e)) => return Err(e),
        Err(LintTextError::File(e)) => report.errors.push(e),
    }
    sort(&mut report.findings);
    report.duration = start.elapsed();
    Ok(report)
}

enum LintTextError {
    Run(RunError),
    File(String),
}

/// The findings of one text, and with `--fix` the notices and the fixed file.
type Linted = (Vec<Finding>, Vec<String>, Option<FixedFile>);

fn lint_with(configs: &ConfigResolver, path: &Path, text: &str, valid: bool, options: &RunOptions) -> Result<FileOutcome, LintTextError> {
    let registry = registry::builtin().map_err(|e| LintTextError::Run(RunError::Rules(e)))?;
    let lang = Lang::from_path(path).ok_or_else(|| LintTextError::File(format!("{}: not a file ctxlint reads", path.display())))?;
    let settings = configs.settings_for(path).map_err(|e| LintTextError::Run(RunError::Config(e)))?;
    let resolver = JsModelResolver::new(JsModelChoice::Auto);
    let py_resolver = PyRuntimeResolver::new();
    let project = (!options.no_project).then(ProjectIndex::new);
    let linter = Linter { registry, options, resolver: &resolver, py_resolver: &py_resolver, project };
    Ok(linter.lint_decoded(&mut Workspace::default(), FileJob { settings: &settings, path, lang }, Arc::from(text), valid))
}

/// Lints one in-memory text as if it were the file at `path` (whose extension picks the language). A text with NUL
/// bytes is binary: no findings.
pub fn lint_text(path: &Path, text: &str, options: &RunOptions) -> Result<Vec<Finding>, String> {
    let configs = options.config_resolver().map_err(|e| e.to_string())?;
    match lint_with(&configs, path, text, true, options) {
        Ok(FileOutcome::Linted(mut findings, ..)) => {
            sort(&mut findings);
            Ok(findings)
        }
        Ok(FileOutcome::Binary) => Ok(Vec::new()),
        Ok(FileOutcome::TooSlow(e) | FileOutcome::TooLarge(e) | FileOutcome::Failed(e)) => Err(e),
        Err(LintTextError::Run(e)) => Err(e.to_string()),
        Err(LintTextError::File(e)) => Err(e),
    }
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// One file to lint: where it is, its language, and the settings that apply to it.
#[derive(Clone, Copy)]
struct FileJob<'a> {
    settings: &'a Settings,
    path: &'a Path,
    lang: Lang,
}

/// What every file of a run shares.
struct Linter<'a> {
    registry: &'a Registry,
    options: &'a RunOptions,
    resolver: &'a JsModelResolver,
    py_resolver: &'a PyRuntimeResolver,
    /// The run's project index (`None` with `--no-project`).
    project: Option<Arc<ProjectIndex>>,
}

impl Linter<'_> {
    /// Does any rule enabled for `path` read files of `lang`?
    fn has_rules_for(&self, job: FileJob<'_>) -> bool {
        let FileJob { settings, path, lang } = job;
        let for_path;
        let enabled = match &self.options.engine.enabled {
            Some(enabled) => enabled,
            None => {
                for_path = settings.rules_for(&crate::files::absolute(path));
                &for_path
            }
        };
        self.registry.rules.iter().any(|rule| rule.langs.contains(&lang) && enabled.contains(&*rule.id))
    }

    /// Runs the engine on one source with the settings that apply to it, then applies severity overrides.
    fn run_engine(&self, ws: &mut Workspace, job: FileJob<'_>, text: Arc<str>) -> Result<engine::Linted, EngineError> {
        let FileJob { settings, path, lang } = job;
        let options = self.options;
        let engine_options = EngineOptions {
            prefilter: options.engine.prefilter,
            enabled: Some(options.engine.enabled.clone().unwrap_or_else(|| settings.rules_for(&crate::files::absolute(path)))),
            require_reason: options.engine.require_reason || settings.require_reason,
        };
        let project = self.resolver.project_for(path, settings.js_model);
        // only a Python file reads (and, for its project, scans) the Python runtime
        let py = match lang.family() {
            crate::lang::Family::Python => self.py_resolver.runtime_for(path, &settings.py_instrumented),
            _ => PyRuntime::default(),
        };
        let index = self.project.as_ref().map(|p| p.view(path));
        let mut linted =
            engine::lint_source(self.registry, ws, &engine_options, path, lang, text, Runtime { js: project, py, project: index })?;
        for f in &mut linted.findings {
            if let Some(level) = settings.severity.get(&*f.rule) {
                f.severity = *level;
            }
        }
        Ok(linted)
    }

    /// Reads and lints one file, unless it is larger than `limit`.
    fn lint_file(&self, ws: &mut Workspace, job: FileJob<'_>, limit: SizeLimit) -> FileOutcome {
        let path = job.path;
        if let Ok(meta) = std::fs::metadata(path) {
            // whatever the limit, even for a named file: not read at all
            if crate::size::over_hard_limit(meta.len()) {
                return FileOutcome::TooLarge(crate::size::hard_limit_notice(path, meta.len()));
            }
            if limit.exceeded_by(meta.len()) {
                return FileOutcome::TooLarge(format!(
                    "{}: not linted: {} is over the {limit} limit for walked files (name it on the command line, or raise `--max-file-size` / `max-file-size`)",
                    path.display(),
                    crate::size::human(meta.len())
                ));
            }
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return FileOutcome::Failed(format!("{}: {}", path.display(), crate::files::describe_io(&e))),
        };
        if bytes.contains(&0) {
            return FileOutcome::Binary;
        }
        match String::from_utf8(bytes) {
            Ok(s) => self.lint_decoded(ws, job, Arc::from(s), true),
            Err(e) => self.lint_decoded(ws, job, Arc::from(invalid_bytes_as_question_marks(e.as_bytes())), false),
        }
    }

    /// Reads a named pipe to its end (at most [`STREAM_LIMIT`] bytes) and lints what came; a pipe is never fixed (a
    /// rename would put a regular file in its place). Without an extension, a `#!` line picks the language.
    fn lint_stream(&self, ws: &mut Workspace, settings: &Settings, path: &Path, lang: Option<Lang>) -> FileOutcome {
        let bytes = match read_bounded(path, STREAM_LIMIT) {
            Ok(Some(b)) => b,
            Ok(None) => {
                return FileOutcome::Failed(format!(
                    "{}: not linted: the pipe sent more than {}",
                    path.display(),
                    crate::size::human(STREAM_LIMIT)
                ))
            }
            Err(e) => return FileOutcome::Failed(format!("{}: {}", path.display(), crate::files::describe_io(&e))),
        };
        let Some(lang) = lang.or_else(|| Lang::from_shebang(&bytes)) else {
            return FileOutcome::Failed(format!(
                "{}: a pipe with no file extension and no `#!` line, so its language is unknown; use `ctxlint --stdin-filename NAME.py -` to lint a stream",
                path.display()
            ));
        };
        if bytes.contains(&0) {
            return FileOutcome::Binary;
        }
        let text: Arc<str> = match String::from_utf8(bytes) {
            Ok(s) => Arc::from(s),
            Err(e) => Arc::from(invalid_bytes_as_question_marks(e.as_bytes())),
        };
        match self.run_engine(ws, FileJob { settings, path, lang }, text) {
            Ok(engine::Linted { findings, partly_parsed }) => {
                let notices = if self.options.fix.apply {
                    vec![format!("{}: a named pipe is linted but never fixed", path.display())]
                } else {
                    Vec::new()
                };
                FileOutcome::Linted(findings, notices, None, partly_parsed)
            }
            Err(e @ EngineError::OutOfTime(_)) => FileOutcome::TooSlow(format!("{}: {e}", path.display())),
            Err(e) => FileOutcome::Failed(format!("{}: {e}", path.display())),
        }
    }

    /// Lints (and with `--fix` fixes) a file's text; `valid`: the file was valid UTF-8 (else it is never fixed).
    fn lint_decoded(&self, ws: &mut Workspace, job: FileJob<'_>, text: Arc<str>, valid: bool) -> FileOutcome {
        let path = job.path;
        // standard input, pipes, and a file that grew since its size was checked
        if crate::size::over_hard_limit(text.len() as u64) {
            return FileOutcome::TooLarge(crate::size::hard_limit_notice(path, text.len() as u64));
        }
        if text.contains('\0') {
            return FileOutcome::Binary;
        }
        let engine::Linted { findings, partly_parsed } = match self.run_engine(ws, job, text.clone()) {
            Ok(linted) => linted,
            Err(e @ EngineError::OutOfTime(_)) => return FileOutcome::TooSlow(format!("{}: {e}", path.display())),
            Err(e) => return FileOutcome::Failed(format!("{}: {e}", path.display())),
        };
        if !valid {
            // fixing would write the question marks back over the original bytes
            let fixing = if self.options.fix.apply { "; not fixed" } else { "" };
            let notice = format!("{}: not valid UTF-8; linted with each invalid byte read as `?`{fixing}", path.display());
            return FileOutcome::Linted(findings, vec![notice], None, partly_parsed);
        }
        match self.fix(ws, job, text, findings) {
            Ok((findings, notices, fixed)) => FileOutcome::Linted(findings, notices, fixed, partly_parsed),
            Err(e) => FileOutcome::Failed(format!("{}: {e}", path.display())),
        }
    }

    /// With `--fix`/`--diff`, applies the fixes of `findings` to `text` until none is left; returns the findings of the
    /// fixed text (or `findings` unchanged), notices about dropped fixes, and the fixed file when it changed.
    fn fix(&self, ws: &mut Workspace, job: FileJob<'_>, text: Arc<str>, findings: Vec<Finding>) -> Result<Linted, String> {
        if !self.options.fix.apply {
            return Ok((findings, Vec::new(), None));
        }
        let path = job.path;
        let mut host = Host { linter: self, ws, job };
        // only a file with a fix can change (and need its findings back when its write fails)
        let before = if findings.iter().any(|f| f.fix.is_some()) { findings.clone() } else { Vec::new() };
        let outcome = fixer::fix_file(&mut host, &text, findings, self.options.fix.policy)?;
        let fixed = (outcome.applied > 0 && *outcome.text != *text).then(|| FixedFile {
            path: path.to_path_buf(),
            original: text,
            text: outcome.text,
            applied: outcome.applied,
            findings_before: before,
        });
        Ok((outcome.findings, outcome.notices, fixed))
    }
}

/// The most a named pipe may send: what comes through a pipe has no size to check beforehand.
pub const STREAM_LIMIT: u64 = 64 * 1024 * 1024;

/// Reads `path` to its end, or `Ok(None)` when it holds more than `limit` bytes.
fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The text of a file that is not valid UTF-8, with each byte of an invalid sequence read as `?`: byte offsets, lines
/// and (nearly always) columns stay those of the file.
pub fn invalid_bytes_as_question_marks(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}

/// The fixer's view of the linter: re-lint the file's new text with its settings, and parse it.
struct Host<'a, 'r> {
    linter: &'a Linter<'r>,
    ws: &'a mut Workspace,
    job: FileJob<'a>,
}

impl FixHost for Host<'_, '_> {
    fn lint(&mut self, text: &str) -> Result<Vec<Finding>, String> {
        self.linter.run_engine(self.ws, self.job, Arc::from(text)).map(|linted| linted.findings).map_err(|e| e.to_string())
    }

    fn has_syntax_error(&mut self, text: &str) -> bool {
        self.ws.parse(self.job.lang, text).map_or(true, |tree| tree.root_node().has_error())
    }
}
