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
    /// Named pipes (`ctxlint <(cat a.py)`, a FIFO named `in.py`): read once as a stream, linted, never fixed. The
    /// language comes from the name, else from a `#!` line.
    pub streams: Vec<(PathBuf, Option<Lang>)>,
    /// The absolute forms of the files named on the command line (a walk that reaches one again skips it).
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
    // one file named twice (`a.py` and `$PWD/a.py`, or through a link) is linted once, under the first name
    let mut identities = std::collections::HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => out.errors.push(format!("{}: {}", path.display(), crate::files::describe_io(&e))),
            Ok(meta) if meta.is_file() => match Lang::from_path(path) {
                Some(lang) => {
                    let identity = std::fs::canonicalize(path).unwrap_or_else(|_| crate::files::absolute(path));
                    if identities.insert(identity) {
                        out.explicit.insert(crate::files::absolute(path));
                        out.files.push((clean(path), lang));
                    }
                }
                None => out.notices.push(format!(
                    "{}: skipped, not a file ctxlint reads (extensions: {})",
                    path.display(),
                    lang::known_extensions().iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(" ")
                )),
            },
            Ok(meta) if meta.is_dir() => dirs.push(path.clone()),
            Ok(meta) => match special_kind(&meta) {
                SpecialKind::Pipe => out.streams.push((clean(path), Lang::from_path(path))),
                other => out.errors.push(format!("{}: {}, not a file; not read", path.display(), other.describe())),
            },
        }
    }
    (out, dirs)
}

/// What a path that is neither a regular file nor a directory is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpecialKind {
    Pipe,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl SpecialKind {
    fn describe(self) -> &'static str {
        match self {
            SpecialKind::Pipe => "a named pipe",
            SpecialKind::CharDevice => "a character device",
            SpecialKind::BlockDevice => "a block device",
            SpecialKind::Socket => "a socket",
            SpecialKind::Other => "a special file",
        }
    }
}

fn special_kind(meta: &std::fs::Metadata) -> SpecialKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            SpecialKind::Pipe
        } else if t.is_char_device() {
            SpecialKind::CharDevice
        } else if t.is_block_device() {
            SpecialKind::BlockDevice
        } else if t.is_socket() {
            SpecialKind::Socket
        } else {
            SpecialKind::Other
        }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        SpecialKind::Other
    }
}

/// The files the walk itself reads in a directory (the `ignore` crate opens them with a blocking open).
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", IGNORE_FILE, ".git/info/exclude"];

/// The first file of [`IGNORE_FILES`] in `dir` that exists but is not a regular file: a FIFO there would block the
/// walk forever, a device would be read without end.
fn special_ignore_file(dir: &Path) -> Option<PathBuf> {
    IGNORE_FILES.iter().map(|name| dir.join(name)).find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_file()))
}

/// The error for a directory that is not walked because of [`special_ignore_file`].
fn not_walked(dir: &Path, file: &Path) -> String {
    format!("{}: not walked: {} is not a regular file (reading it could block forever)", dir.display(), file.display())
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
    walk_dirs_pruned(dirs, threads, init, visit, |_| false)
}

/// [`walk_dirs`] that does not enter a directory below a root for which `prune` says yes (the default excludes).
pub fn walk_dirs_pruned<S: Send>(
    dirs: &[PathBuf],
    threads: usize,
    init: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, PathBuf, Lang) + Sync,
    prune: impl Fn(&Path) -> bool + Send + Sync + 'static,
) -> Vec<String> {
    let mut errors = Vec::new();
    // the walker reads the ignore files of each root and of its parents before anything else
    let dirs: Vec<&PathBuf> = dirs
        .iter()
        .filter(|dir| {
            let absolute = crate::files::absolute(dir);
            let parents = absolute.ancestors().skip(1).map(Path::to_path_buf);
            match std::iter::once(dir.to_path_buf()).chain(parents).find_map(|d| special_ignore_file(&d)) {
                Some(file) => {
                    errors.push(not_walked(dir, &file));
                    false
                }
                None => true,
            }
        })
        .collect();
    let Some((first, rest)) = dirs.split_first() else { return errors };
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
    let errors = std::sync::Arc::new(std::sync::Mutex::new(errors));
    let filter_errors = errors.clone();
    // a directory is filtered before the walker opens its ignore files
    builder.filter_entry(move |entry| {
        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        if prune(entry.path()) {
            return false;
        }
        match special_ignore_file(entry.path()) {
            Some(file) => {
                filter_errors.lock().unwrap_or_else(|e| e.into_inner()).push(not_walked(entry.path(), &file));
                false
            }
            None => true,
        }
    });
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
    let mut errors = std::mem::take(&mut *errors.lock().unwrap_or_else(|e| e.into_inner()));
    errors.sort();
    errors
}

/// Would a walk skip `path` because of an ignore file (`.ctxlintignore`, `.ignore`, `.gitignore`) in its directory or
/// one above? For `--force-exclude` on files named on the command line. The closest file that has a matching
/// pattern decides (`!pattern` re-includes); in one directory `.ctxlintignore` wins over `.ignore` over `.gitignore`,
/// as in the walk. The search stops at the root of the git repository holding the file (git reads no ignore file
/// above it, and a repository inside an ignored build directory is linted). An ignore file that is not a regular file
/// is never opened.
pub fn ignored_by_ignore_files(path: &Path) -> bool {
    let absolute = crate::files::absolute(path);
    for dir in absolute.ancestors().skip(1) {
        if let Some(ignored) = ignore_files_decide(dir, &absolute) {
            return ignored;
        }
        if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
            break;
        }
    }
    false
}

/// What the ignore files in `dir` say of `absolute`: ignored, re-included (`!pattern`), or nothing.
fn ignore_files_decide(dir: &Path, absolute: &Path) -> Option<bool> {
    // the matcher panics on a path outside its directory
    absolute.strip_prefix(dir).ok()?;
    for name in [IGNORE_FILE, ".ignore", ".gitignore"] {
        let file = dir.join(name);
        if !std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        // a pattern that does not parse is skipped, as the walk does
        let _ = builder.add(&file);
        let Ok(matcher) = builder.build() else { continue };
        match matcher.matched_path_or_any_parents(absolute, false) {
            ignore::Match::Ignore(_) => return Some(true),
            ignore::Match::Whitelist(_) => return Some(false),
            ignore::Match::None => {}
        }
    }
    None
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
