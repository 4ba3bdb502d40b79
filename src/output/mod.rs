//! Renderers: each is a pure function of the findings (and the run's summary) to text. Paths are shown relative to
//! a `base` directory the caller passes (the CLI reads the working directory once); the renderers read nothing from
//! the environment.
pub mod concise;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::path::Path;

/// The path as printed: relative to `base` (the working directory) where possible, with `/` separators. On Unix a `\`
/// is part of a file's name, not a separator, and stays as it is. An empty `base` leaves every path as it is.
pub fn display_path(path: &Path, base: &Path) -> String {
    let rel = shown_path(path, base);
    let s = rel.to_string_lossy();
    let s = if cfg!(windows) { s.replace('\\', "/") } else { s.into_owned() };
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The path relative to `base` where possible.
fn shown_path(path: &Path, base: &Path) -> std::path::PathBuf {
    path.strip_prefix(base).map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// The bytes of the shown path (relative to `base` where possible, `/` separators), exactly as the file system has
/// them: a name that is not UTF-8 keeps its bytes (for percent-encoding and quoting).
pub fn display_path_bytes(path: &Path, base: &Path) -> Vec<u8> {
    let bytes = path_bytes(&shown_path(path, base));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_the_base() {
        assert_eq!(display_path(Path::new("/work/src/a.py"), Path::new("/work")), "src/a.py");
        assert_eq!(display_path(Path::new("/elsewhere/a.py"), Path::new("/work")), "/elsewhere/a.py");
        assert_eq!(display_path(Path::new("./src/a.py"), Path::new("/work")), "src/a.py");
        assert_eq!(display_path_bytes(Path::new("/work/b c.py"), Path::new("/work")), b"b c.py");
        // an empty base (the working directory could not be read) leaves every path as it is
        assert_eq!(display_path(Path::new("/work/src/a.py"), Path::new("")), "/work/src/a.py");
        assert_eq!(display_path(Path::new("src/a.py"), Path::new("")), "src/a.py");
    }
}
