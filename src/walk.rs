//! Finds the files to lint: explicit files as given, directories walked with the `ignore` crate (`.gitignore`,
//! `.ignore`, `.ctxlintignore`, hidden entries skipped), each with its language.
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::lang::{self, Lang};

/// The files named on the command line and what went wrong with the other paths (directories are walked by
/// [`walk_dirs`]).
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<(PathBuf, Lang)>,
    /// Files named on the command line (config `exclude` does not apply to them).
    pub explicit: std::collections::HashSet<PathBuf>,
    /// Paths given on the command line that do not exist, and directories or entries that could not be read.
    pub errors: Vec<String>,
    /// Explicit files with an extension ctxlint does not read.
    pub notices: Vec<String>,
}

pub const IGNORE_FILE: &str = ".ctxlintignore";

/// The files named on the command line (in `files` and `explicit`), what is wrong with the other paths, and the
/// directories to walk.
pub fn explicit(paths: &[PathBuf]) -> (Walked, Vec<PathBuf>) {
    let mut out = Walked::default();
    let mut dirs = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => out.errors.push(format!("{}: {}", path.display(), describe_io(&e))),
            Ok(meta) if meta.is_file() => match Lang::from_path(path) {
                Some(lang) => {
                    if out.explicit.insert(clean(path)) {
                        out.files.push((clean(path), lang));
                    }
                }
                None => out.notices.push(format!(
                    "{}: skipped, not a file ctxlint reads (extensions: {})",
                    path.display(),
                    lang::known_extensions().iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(" ")
                )),
            },
            Ok(_) => dirs.push(path.clone()),
        }
    }
    (out, dirs)
}

/// Walks `dirs` on `threads` threads (0: one per core) and calls `visit` for every file with a language, on the
/// thread that found it, with that thread's own state (made by `init`): walking and linting overlap. Returns the
/// walk's errors (unreadable directories, bad ignore files), sorted.
pub fn walk_dirs<S: Send>(
    dirs: &[PathBuf],
    threads: usize,
    init: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, PathBuf, Lang) + Sync,
) -> Vec<String> {
    let Some((first, rest)) = dirs.split_first() else { return Vec::new() };
    let mut builder = WalkBuilder::new(first);
    for dir in rest {
        builder.add(dir);
    }
    builder
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .threads(threads);
    let errors = std::sync::Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let mut state = init();
        let (visit, errors) = (&visit, &errors);
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) && !is_declaration_file(entry.path()) {
                        if let Some(lang) = Lang::from_path(entry.path()) {
                            visit(&mut state, clean(entry.path()), lang);
                        }
                    }
                }
                Err(e) => errors.lock().unwrap_or_else(|e| e.into_inner()).push(e.to_string()),
            }
            ignore::WalkState::Continue
        })
    });
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort();
    errors
}

/// TypeScript declaration files (`.d.ts`, `.d.mts`, `.d.cts`) hold types only, no code that runs, so no context can
/// be lost in them; the walk skips them (a file named on the command line is still linted).
pub fn is_declaration_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".d.ts") || n.ends_with(".d.mts") || n.ends_with(".d.cts"))
}

/// `./a/b.js` → `a/b.js`, so paths print the way users write them.
fn clean(path: &Path) -> PathBuf {
    let stripped = path.strip_prefix("./").unwrap_or(path);
    if stripped.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        stripped.to_path_buf()
    }
}

pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
