//! Renderers: each is a pure function of the findings (and the run's summary) to text.
pub mod concise;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::path::Path;

/// The path as printed: relative to the working directory where possible, with `/` separators. On Unix a `\` is
/// part of a file's name, not a separator, and stays as it is.
pub fn display_path(path: &Path) -> String {
    let rel = shown_path(path);
    let s = rel.to_string_lossy();
    let s = if cfg!(windows) { s.replace('\\', "/") } else { s.into_owned() };
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The path relative to the working directory where possible.
fn shown_path(path: &Path) -> std::path::PathBuf {
    std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf)).unwrap_or_else(|| path.to_path_buf())
}

/// The bytes of the shown path (relative to the working directory where possible, `/` separators), exactly as the
/// file system has them: a name that is not UTF-8 keeps its bytes (for percent-encoding and quoting).
pub fn display_path_bytes(path: &Path) -> Vec<u8> {
    let bytes = path_bytes(&shown_path(path));
    match bytes.strip_prefix(b"./") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    }
}

/// A path's bytes as the file system has them (on Windows, lossy UTF-8 with `/` separators).
pub fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/").into_bytes()
    }
}
