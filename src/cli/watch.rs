//! `--watch`: the check run again each time a file it reads changes, until interrupted.
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use super::check::check_once;
use super::exit::ExitStatus;
use super::notice;
use super::stdout::{emit, stdout_is_closed};
use super::CheckArgs;

/// How often `--watch` looks at the files again.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(300);

/// `--watch`: lints, then again each time a file it would lint (or a configuration or ignore file) changes, until
/// interrupted. Polls the modification times, so it works the same on every platform and file system (network
/// mounts, containers) without an event API.
pub(super) fn watch(args: &CheckArgs, base: &Path) -> ExitStatus {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        notice::error("--watch cannot watch standard input (`-`)");
        return ExitStatus::Error;
    }
    let mut state = watched_state(&paths);
    loop {
        if io::stdout().is_terminal() {
            // clear the screen, as ruff does, so each run reads on its own
            let _ = emit("\x1b[2J\x1b[H");
        }
        let _ = check_once(args, base);
        if stdout_is_closed() {
            return ExitStatus::Error;
        }
        notice::line("Watching for file changes (Ctrl-C to stop).");
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
