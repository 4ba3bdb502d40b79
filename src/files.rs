//! Files and paths as ctxlint reads them: absolute paths without `.`/`..` (no symlinks followed), reading a file
//! only if it is a regular one (and, for project files, only up to a size), the directories no walk enters by
//! default, and I/O errors in words for the user.
use std::path::{Path, PathBuf};

/// An absolute, lexically clean form of a path (no symlinks resolved, no file system access).
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        lexically_clean(path)
    } else {
        lexically_clean(&std::env::current_dir().unwrap_or_default().join(path))
    }
}

/// [`absolute`] with relative paths taken from `base` instead of the working directory.
pub fn absolute_in(base: &Path, path: &Path) -> PathBuf {
    lexically_clean(&base.join(path))
}

/// `path` without its `.` components, each `..` taking off the component before it.
pub fn lexically_clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Reads a file only if it is a regular file: opened without blocking (a FIFO planted under a name that is read, such
/// as `package.json`, would otherwise hang the run), then checked on the open handle. `Ok(None)`: not a regular file.
pub fn read_regular_file(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// [`read_regular_file`] for a file that must not be larger than `limit` bytes (a project file such as a lock file,
/// read for what it declares): `Ok(Err(len))` when it is larger, without reading it.
pub fn read_regular_file_within(path: &Path, limit: u64) -> std::io::Result<Option<Result<Vec<u8>, u64>>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > limit {
        return Ok(Some(Err(meta.len())));
    }
    // a file that grows while it is read stops at the limit and counts as too large
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Some(Err(bytes.len() as u64)));
    }
    Ok(Some(Ok(bytes)))
}

/// The directories a walk skips unless `exclude` (or `--exclude`) is set, ruff's defaults: virtual environments,
/// installed packages, tool caches and build output. Matched against each entry's name; `*` in `*.egg-info` matches
/// any start.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "target",
    "venv",
    "*.egg-info",
];

/// Does an entry named `name` match one of [`DEFAULT_EXCLUDES`]?
pub fn is_default_excluded(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    DEFAULT_EXCLUDES.iter().any(|pattern| match pattern.strip_prefix('*') {
        Some(suffix) => name.len() > suffix.len() && name.ends_with(suffix),
        None => name == *pattern,
    })
}

pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
