//! Renderers: each is a pure function of the findings (and the run's summary) to text.
pub mod diff;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::path::Path;

/// The path as printed: relative to the working directory where possible, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
