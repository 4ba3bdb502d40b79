//! Finds the files to lint: explicit files as given, directories walked with the `ignore` crate (`.gitignore`,
//! `.ignore`, `.ctxlintignore`, hidden entries skipped), each with its language.
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::lang::{self, Lang};

/// The files to lint and what went wrong finding them.
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

pub fn collect(paths: &[PathBuf]) -> Walked {
    let mut out = Walked::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => out.errors.push(format!("{}: {}", path.display(), describe_io(&e))),
            Ok(meta) if meta.is_file() => match Lang::from_path(path) {
                Some(lang) => {
                    out.explicit.insert(clean(path));
                    out.files.push((clean(path), lang));
                }
                None => out.notices.push(format!(
                    "{}: skipped, not a file ctxlint reads (extensions: {})",
                    path.display(),
                    lang::known_extensions().iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(" ")
                )),
            },
            Ok(_) => walk_dir(path, &mut out),
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

fn walk_dir(dir: &Path, out: &mut Walked) {
    let walker = WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file()) && !is_declaration_file(entry.path()) {
                    if let Some(lang) = Lang::from_path(entry.path()) {
                        out.files.push((clean(entry.path()), lang));
                    }
                }
            }
            Err(e) => out.errors.push(e.to_string()),
        }
    }
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
