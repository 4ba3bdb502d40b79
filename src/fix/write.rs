//! Writes a linted file's new text (fixes, suppression comments) atomically, and only if the file still holds the text
//! that was linted.
//!
//! The new text goes to a hidden temporary file `.ctxlint-XXXXXX.tmp` in the same directory (random, created
//! exclusively, so nothing planted there is followed), which first gets the file's owner, group, mode and extended
//! attributes, then the text; it is fsynced, and renamed over the file only if the file still is the one that was
//! read, holding the same text (what is left is the instant between that last check and the rename). Files the rename
//! would harm are refused instead: symbolic links, files with more than one hard link (the rename would split them),
//! read-only files, and files whose owner or extended attributes cannot be given to the new file.
use std::fs::{File, Metadata};
use std::io::{Read, Write};
use std::path::Path;

use crate::files::describe_io;
use crate::signals::InFlight;

/// Replaces the file's text with `new` atomically, keeping its owner, group, permissions and extended attributes;
/// refuses when the file no longer holds `old` (it changed since it was linted), or changes before the rename.
pub fn write_if_unchanged(path: &Path, old: &str, new: &str) -> Result<(), String> {
    write_if_unchanged_with(path, old, new, &mut test_delay)
}

/// [`write_if_unchanged`], calling `before_rename` with the temporary file's path once it is written, right before
/// the last check and the rename (tests change the file there).
#[doc(hidden)]
pub fn write_if_unchanged_with(path: &Path, old: &str, new: &str, before_rename: &mut dyn FnMut(&Path)) -> Result<(), String> {
    let (original, seen) = open_unchanged(path, old)?;
    refuse_harmful(&seen)?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = InFlight::create_in(dir).map_err(|e| format!("cannot create a temporary file: {}", describe_io(&e)))?;
    copy_metadata(&original, &seen, tmp.file())?;
    drop(original);
    write_all(&tmp, new).map_err(|e| describe_io(&e))?;
    before_rename(tmp.path());
    still_unchanged(path, &seen, old)?;
    tmp.persist(path).map_err(|e| describe_io(&e))?;
    // the rename itself is durable once the directory is synced (best effort: not every platform can)
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn write_all(tmp: &InFlight, new: &str) -> std::io::Result<()> {
    let mut file = tmp.file();
    file.write_all(new.as_bytes())?;
    file.sync_all()
}

/// Opens the file (never through a symbolic link) and checks it holds `old`: the open file and its metadata.
fn open_unchanged(path: &Path, old: &str) -> Result<(File, Metadata), String> {
    // never write through a symbolic link: its target may be anywhere, outside the tree being linted
    let meta = std::fs::symlink_metadata(path).map_err(|e| describe_io(&e))?;
    if meta.file_type().is_symlink() {
        return Err("is a symbolic link; not written".to_string());
    }
    if !meta.is_file() {
        return Err("is not a regular file; not written".to_string());
    }
    let mut file = open_no_follow(path).map_err(|e| describe_io(&e))?;
    let seen = file.metadata().map_err(|e| describe_io(&e))?;
    if !seen.is_file() {
        return Err("is not a regular file; not written".to_string());
    }
    let mut current = Vec::with_capacity(old.len());
    file.read_to_end(&mut current).map_err(|e| describe_io(&e))?;
    if current != old.as_bytes() {
        return Err("changed since it was read; not written".to_string());
    }
    Ok((file, seen))
}

/// Opens a file for reading; on Unix fails on a symbolic link (`O_NOFOLLOW`) and never blocks on a FIFO.
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Refuses the files a rename would harm: a second hard link would keep the old text, and a read-only file says it
/// is not to be changed.
fn refuse_harmful(seen: &Metadata) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if seen.nlink() > 1 {
            return Err(format!("has {} hard links; not written (fixing would split them)", seen.nlink()));
        }
        if seen.permissions().mode() & 0o200 == 0 {
            return Err("is read-only; not written".to_string());
        }
    }
    #[cfg(not(unix))]
    if seen.permissions().readonly() {
        return Err("is read-only; not written".to_string());
    }
    Ok(())
}

/// Gives the temporary file the original's owner and group, then its mode (a change of owner clears set-id bits),
/// then its extended attributes (an ACL last, as it also sets mode bits) — all before any text is written to it.
fn copy_metadata(original: &File, seen: &Metadata, tmp: &File) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = tmp.metadata().map_err(|e| describe_io(&e))?;
        if (now.uid(), now.gid()) != (seen.uid(), seen.gid()) {
            std::os::unix::fs::fchown(tmp, Some(seen.uid()), Some(seen.gid())).map_err(|e| {
                format!("its owner and group (uid {}, gid {}) cannot be kept: {}; not written", seen.uid(), seen.gid(), describe_io(&e))
            })?;
        }
    }
    tmp.set_permissions(seen.permissions()).map_err(|e| format!("its permissions cannot be kept: {}; not written", describe_io(&e)))?;
    xattrs::copy(original, tmp)
}

/// Refuses the rename when the file changed after [`open_unchanged`]: another file was put at its path (an editor's
/// atomic save), its size, times, owner, mode or links changed, or it no longer holds `old`.
fn still_unchanged(path: &Path, seen: &Metadata, old: &str) -> Result<(), String> {
    let changed = || "changed while it was being written; not written".to_string();
    let now = std::fs::symlink_metadata(path).map_err(|_| changed())?;
    if !same_file(seen, &now) {
        return Err(changed());
    }
    let mut current = Vec::with_capacity(old.len());
    open_no_follow(path).and_then(|mut f| f.read_to_end(&mut current)).map_err(|_| changed())?;
    if current != old.as_bytes() {
        return Err(changed());
    }
    Ok(())
}

/// Whether two looks at a path saw the same, unchanged file.
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let key = |m: &Metadata| (m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec(), m.nlink());
        b.is_file() && key(a) == key(b) && (a.mode(), a.uid(), a.gid()) == (b.mode(), b.uid(), b.gid())
    }
    #[cfg(not(unix))]
    {
        b.is_file() && a.len() == b.len() && a.modified().ok() == b.modified().ok()
    }
}

/// Extended attributes (Linux): the temporary file gets exactly the original's (`user.*`, ACLs, SELinux labels, and as
/// root `trusted.*` and `security.*`); when one cannot be set, the file is not written.
#[cfg(any(target_os = "linux", target_os = "android"))]
mod xattrs {
    use std::ffi::{CStr, CString};
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;

    pub fn copy(from: &File, to: &File) -> Result<(), String> {
        let cannot = |what: &str, e: io::Error| format!("its extended attributes cannot be kept ({what}: {e}); not written");
        let names = list(from).map_err(|e| cannot("listing them", e))?;
        for name in &names {
            let value = get(from, name).map_err(|e| cannot(&name.to_string_lossy(), e))?;
            if get(to, name).ok().as_ref() == Some(&value) {
                continue;
            }
            set(to, name, &value).map_err(|e| cannot(&name.to_string_lossy(), e))?;
        }
        // what the new file got from its directory (a default ACL) and the original does not have
        for name in list(to).map_err(|e| cannot("listing them", e))? {
            if !names.contains(&name) {
                remove(to, &name).map_err(|e| cannot(&name.to_string_lossy(), e))?;
            }
        }
        Ok(())
    }

    /// Calls `fill(buffer)` (a `*xattr` call returning a length) with a buffer large enough for what it returns.
    fn sized(mut fill: impl FnMut(&mut [u8]) -> isize) -> io::Result<Vec<u8>> {
        loop {
            let len = fill(&mut []);
            if len < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut buf = vec![0u8; len as usize];
            let got = fill(&mut buf);
            if got >= 0 {
                buf.truncate(got as usize);
                return Ok(buf);
            }
            let e = io::Error::last_os_error();
            // it grew in between: ask again
            if e.raw_os_error() != Some(libc::ERANGE) {
                return Err(e);
            }
        }
    }

    fn list(file: &File) -> io::Result<Vec<CString>> {
        let fd = file.as_raw_fd();
        // SAFETY: the buffer pointer and length describe a live, writable slice
        let names = sized(|buf| unsafe { libc::flistxattr(fd, buf.as_mut_ptr().cast(), buf.len()) });
        match names {
            Ok(names) => Ok(names.split(|b| *b == 0).filter(|n| !n.is_empty()).filter_map(|n| CString::new(n).ok()).collect()),
            // a file system without extended attributes: there are none to keep
            Err(e) if e.raw_os_error() == Some(libc::ENOTSUP) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    fn get(file: &File, name: &CStr) -> io::Result<Vec<u8>> {
        let fd = file.as_raw_fd();
        // SAFETY: a NUL-terminated name, and a buffer pointer and length that describe a live, writable slice
        sized(|buf| unsafe { libc::fgetxattr(fd, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) })
    }

    fn set(file: &File, name: &CStr, value: &[u8]) -> io::Result<()> {
        // SAFETY: a NUL-terminated name, and a pointer and length that describe a live slice
        let rc = unsafe { libc::fsetxattr(file.as_raw_fd(), name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    fn remove(file: &File, name: &CStr) -> io::Result<()> {
        // SAFETY: a NUL-terminated name
        if unsafe { libc::fremovexattr(file.as_raw_fd(), name.as_ptr()) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

/// Elsewhere extended attributes are not copied.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
mod xattrs {
    pub fn copy(_from: &std::fs::File, _to: &std::fs::File) -> Result<(), String> {
        Ok(())
    }
}

/// Test hook of debug builds: with `CTXLINT_TEST_WRITE_DELAY_MS=N`, says on stderr which temporary file is written
/// and waits N ms before the last check and the rename, so a test can edit the file or send a signal meanwhile.
#[doc(hidden)]
pub const TEST_DELAY_ENV: &str = "CTXLINT_TEST_WRITE_DELAY_MS";

fn test_delay(tmp: &Path) {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var(TEST_DELAY_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
        let _ = writeln!(std::io::stderr(), "ctxlint test hook: {} written, renaming in {ms} ms", tmp.display());
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    #[cfg(not(debug_assertions))]
    let _ = tmp;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_write_a_file_that_changed_since_it_was_read() {
        let dir = std::env::temp_dir().join(format!("ctxlint-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("a.py");
        std::fs::write(&path, "edited meanwhile\n").expect("write");
        let err = write_if_unchanged(&path, "what was linted\n", "new\n").expect_err("refused");
        assert!(err.contains("changed since it was read"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "edited meanwhile\n");
        write_if_unchanged(&path, "edited meanwhile\n", "new\n").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_that_cannot_be_written_is_an_error_and_the_others_are_still_written() {
        use crate::report::{FixedFile, Report};
        let dir = std::env::temp_dir().join(format!("ctxlint-write-fixes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let (a, b) = (dir.join("a.py"), dir.join("b.py"));
        std::fs::write(&a, "edited meanwhile\n").expect("write");
        std::fs::write(&b, "old\n").expect("write");
        let fixed = |path: &Path| FixedFile {
            path: path.to_path_buf(),
            original: "old\n".into(),
            text: "new\n".into(),
            applied: 2,
            findings_before: Vec::new(),
        };
        let mut report = Report { fixed: vec![fixed(&a), fixed(&b)], ..Report::default() };
        crate::run::write_fixes(&mut report);
        assert_eq!(report.errors, vec![format!("{}: fixes not written: changed since it was read; not written", a.display())]);
        assert_eq!((report.fixed.len(), report.fixes_applied()), (1, 2));
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "edited meanwhile\n");
        assert_eq!(std::fs::read_to_string(&b).expect("read"), "new\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_never_written_through() {
        let dir = std::env::temp_dir().join(format!("ctxlint-write-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let file = dir.join("real.py");
        let link = dir.join("link.py");
        std::fs::write(&file, "old\n").expect("write");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        let err = write_if_unchanged(&link, "old\n", "new\n").expect_err("refused");
        assert!(err.contains("symbolic link"), "{err}");
        assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "old\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Item 5 through the library: a change between the check and the rename (in place, or another file renamed over
    /// it with the very same text) refuses the write and keeps what is there; no temporary file is left.
    #[test]
    fn a_change_right_before_the_rename_refuses_the_write() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let path = dir.path().join("a.py");
        std::fs::write(&path, "old\n").expect("write");
        let err =
            write_if_unchanged_with(&path, "old\n", "new\n", &mut |_| std::fs::write(&path, "mine\n").expect("edit")).expect_err("refused");
        assert_eq!(err, "changed while it was being written; not written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine\n");
        let replace = |_: &Path| {
            let other = dir.path().join("a.py.save");
            std::fs::write(&other, "mine\n").expect("write");
            std::fs::rename(&other, &path).expect("rename");
        };
        let err = write_if_unchanged_with(&path, "mine\n", "new\n", &mut { replace }).expect_err("refused");
        assert_eq!(err, "changed while it was being written; not written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.py")]);
    }

    /// Item 7: a file whose write fails has its findings from before fixing again, in sorted order.
    #[test]
    fn a_file_not_written_gets_its_findings_back() {
        use crate::report::{FixedFile, Report};
        let options = crate::run::RunOptions::default();
        let src = "from concurrent.futures import ThreadPoolExecutor\n\n\ndef f(request, o):\n    with ThreadPoolExecutor() as p:\n        p.submit(g, o)\n";
        let dir = tempfile::TempDir::new().expect("tmp");
        let (a, b) = (dir.path().join("a.py"), dir.path().join("b.py"));
        std::fs::write(&a, "edited meanwhile\n").expect("write");
        std::fs::write(&b, src).expect("write");
        let before = |p: &Path| crate::run::lint_text(p, src, &options).expect("lint");
        assert_eq!(before(&a).len(), 1);
        let fixed = |p: &Path| FixedFile {
            path: p.to_path_buf(),
            original: src.into(),
            text: "x = 1\n".into(),
            applied: 1,
            findings_before: before(p),
        };
        // the findings left after fixing: one of an unfixed file sorting after a.py
        let z = dir.path().join("z.py");
        let mut report = Report { findings: before(&z), fixed: vec![fixed(&a), fixed(&b)], ..Report::default() };
        crate::run::write_fixes(&mut report);
        let paths: Vec<&Path> = report.findings.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(paths, vec![a.as_path(), z.as_path()], "only the file not written has findings again, sorted");
        assert_eq!(report.fixed.len(), 1);
    }
}
