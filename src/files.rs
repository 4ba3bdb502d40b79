//! Files and paths as ctxlint reads them: absolute paths without `.`/`..` (no symlinks followed), reading a file
//! only if it is a regular one, and I/O errors in words for the user.
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
fn lexically_clean(path: &Path) -> PathBuf {
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

pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
