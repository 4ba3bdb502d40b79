//! Runs a whole lint: walk, read, lint in parallel with one parser set per thread, and gather a sorted report.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::engine::{self, EngineOptions, Workspace};
use crate::finding::Finding;
use crate::jsmodel::{JsModelChoice, JsModelResolver};
use crate::lang::Lang;
use crate::registry::{self, LoadError};
use crate::walk;

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub js_model: JsModelChoice,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub engine: EngineOptions,
}

/// Everything a run found, sorted by path, line, column and rule.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_checked: usize,
    /// Files skipped because they are binary.
    pub files_skipped: usize,
    /// Problems that make the run incomplete (missing paths, unreadable files): exit code 2.
    pub errors: Vec<String>,
    /// Things the user should know that do not fail the run.
    pub notices: Vec<String>,
    pub duration: Duration,
}

impl Report {
    /// The findings that count: those no suppression comment silenced.
    pub fn unsuppressed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    pub fn suppressed_count(&self) -> usize {
        self.findings.len() - self.unsuppressed().count()
    }
}

enum FileOutcome {
    Linted(Vec<Finding>, Option<String>),
    Binary,
    Failed(String),
}

/// Lints files and directories.
pub fn lint_paths(paths: &[PathBuf], options: &RunOptions) -> Result<Report, LoadError> {
    let start = Instant::now();
    let registry = registry::builtin()?;
    let walked = walk::collect(paths);
    let resolver = JsModelResolver::new(options.js_model);
    let lint_all = || {
        walked
            .files
            .par_iter()
            .map_init(Workspace::default, |ws, (path, lang)| lint_file(registry, ws, options, &resolver, path, *lang))
            .collect::<Vec<_>>()
    };
    let outcomes = match rayon::ThreadPoolBuilder::new().num_threads(options.threads).build() {
        Ok(pool) => pool.install(lint_all),
        Err(_) => lint_all(),
    };
    let mut report = Report { errors: walked.errors, notices: walked.notices, ..Report::default() };
    for outcome in outcomes {
        match outcome {
            FileOutcome::Linted(findings, notice) => {
                report.files_checked += 1;
                report.findings.extend(findings);
                report.notices.extend(notice);
            }
            FileOutcome::Binary => report.files_skipped += 1,
            FileOutcome::Failed(e) => report.errors.push(e),
        }
    }
    report.notices.extend(resolver.take_notices());
    sort(&mut report.findings);
    report.duration = start.elapsed();
    Ok(report)
}

/// Lints standard input as if it were the file at `path`: its language, package.json and config come from that path.
pub fn lint_stdin(path: &Path, text: String, options: &RunOptions) -> Result<Report, String> {
    let start = Instant::now();
    let mut report = Report::default();
    match lint_text(path, &text, options) {
        Ok(findings) => {
            report.findings = findings;
            report.files_checked = 1;
        }
        Err(e) => report.errors.push(e),
    }
    report.duration = start.elapsed();
    Ok(report)
}

/// Lints one in-memory text as if it were the file at `path` (whose extension picks the language).
pub fn lint_text(path: &Path, text: &str, options: &RunOptions) -> Result<Vec<Finding>, String> {
    let registry = registry::builtin().map_err(|e| e.to_string())?;
    let lang = Lang::from_path(path).ok_or_else(|| format!("{}: not a file ctxlint reads", path.display()))?;
    let resolver = JsModelResolver::new(options.js_model);
    let model = resolver.model_for(path);
    let mut ws = Workspace::default();
    let mut findings =
        engine::lint_source(registry, &mut ws, &options.engine, path, lang, Arc::from(text), model).map_err(|e| e.to_string())?;
    sort(&mut findings);
    Ok(findings)
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

fn lint_file(
    registry: &registry::Registry,
    ws: &mut Workspace,
    options: &RunOptions,
    resolver: &JsModelResolver,
    path: &Path,
    lang: Lang,
) -> FileOutcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileOutcome::Failed(format!("{}: {}", path.display(), walk::describe_io(&e))),
    };
    if bytes.contains(&0) {
        return FileOutcome::Binary;
    }
    let (text, notice): (Arc<str>, Option<String>) = match String::from_utf8(bytes) {
        Ok(s) => (Arc::from(s), None),
        Err(e) => {
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (Arc::from(lossy), Some(format!("{}: not valid UTF-8; linted with invalid bytes replaced", path.display())))
        }
    };
    let model = resolver.model_for(path);
    match engine::lint_source(registry, ws, &options.engine, path, lang, text, model) {
        Ok(findings) => FileOutcome::Linted(findings, notice),
        Err(e) => FileOutcome::Failed(format!("{}: {e}", path.display())),
    }
}
