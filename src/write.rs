//! Writes a linted file's new text (fixes, suppression comments) atomically, and only if the file still holds the text
//! that was linted.
use std::io::Write;
use std::path::Path;

use crate::run::Report;

/// `--fix`: writes every fixed file of the report atomically. A file that cannot be written (or changed since it was
/// read) becomes an error of the report, and its fixes no longer count; the other files are still written.
pub fn write_fixes(report: &mut Report) {
    let mut written = Vec::with_capacity(report.fixed.len());
    for file in std::mem::take(&mut report.fixed) {
        match write_if_unchanged(&file.path, &file.original, &file.text) {
            Ok(()) => written.push(file),
            Err(why) => report.errors.push(format!("{}: fixes not written: {why}", file.path.display())),
        }
    }
    report.fixed = written;
}

/// Replaces the file's text with `new` through a temporary file in the same directory (fsync, then rename), keeping
/// its permissions; refuses when the file no longer holds `old` (it changed since it was linted).
pub fn write_if_unchanged(path: &Path, old: &str, new: &str) -> Result<(), String> {
    let current = std::fs::read(path).map_err(|e| crate::walk::describe_io(&e))?;
    if current != old.as_bytes() {
        return Err("changed since it was read; not written".to_string());
    }
    // never write through a symbolic link: its target may be anywhere, outside the tree being linted
    let meta = std::fs::symlink_metadata(path).map_err(|e| crate::walk::describe_io(&e))?;
    if meta.file_type().is_symlink() {
        return Err("is a symbolic link; not written".to_string());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.ctxlint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(new.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&tmp, meta.permissions())?;
        std::fs::rename(&tmp, path)?;
        // the rename itself is durable once the directory is synced (best effort: not every platform can)
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(crate::walk::describe_io(&e));
    }
    Ok(())
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
        use crate::run::FixedFile;
        let dir = std::env::temp_dir().join(format!("ctxlint-write-fixes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let (a, b) = (dir.join("a.py"), dir.join("b.py"));
        std::fs::write(&a, "edited meanwhile\n").expect("write");
        std::fs::write(&b, "old\n").expect("write");
        let fixed = |path: &Path| FixedFile { path: path.to_path_buf(), original: "old\n".into(), text: "new\n".into(), applied: 2 };
        let mut report = Report { fixed: vec![fixed(&a), fixed(&b)], ..Report::default() };
        write_fixes(&mut report);
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
}
