//! Attacks on the files `--fix` and `--add-ignore` write: planted links at the temporary name, long names, edits and
//! signals while a write is under way, owners, hard links, extended attributes and read-only files. Whatever happens,
//! the user's text is never lost and a file that is not written keeps its findings in the report.
#![cfg(unix)]
use std::ffi::CString;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

fn ctxlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ctxlint").expect("binary built");
    cmd.current_dir(dir).env("NO_COLOR", "1").env("COLUMNS", "100");
    cmd
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(&path, text).expect("write");
    path
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("read")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One safe fix (the executor hand-off), nothing else: once fixed, no finding is left.
const FIXABLE_PY: &str = "\
from concurrent.futures import ThreadPoolExecutor


def fan_out(request, order):
    with ThreadPoolExecutor() as pool:
        pool.submit(charge, order)
";

const FIXED_PY: &str = "\
import contextvars
from concurrent.futures import ThreadPoolExecutor


def fan_out(request, order):
    with ThreadPoolExecutor() as pool:
        pool.submit(contextvars.copy_context().run, charge, order)
";

/// The hidden temporary files ctxlint left in `dir` (any `.NAME.ctxlint-…` or `.ctxlint-…` name).
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains("ctxlint-"))
        .collect();
    found.sort();
    found
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).expect("meta").permissions().mode() & 0o7777
}

/// A run of `ctxlint FLAGS a.py` stopped inside its write by the test hook.
struct Paused {
    child: Child,
    /// The rest of the run's stderr, read until it ends.
    stderr: std::thread::JoinHandle<String>,
}

impl Paused {
    /// Waits for the run to end: its status and all of its stderr.
    fn finish(mut self) -> (std::process::ExitStatus, String) {
        let status = self.child.wait().expect("wait");
        (status, self.stderr.join().expect("stderr reader"))
    }
}

/// `ctxlint FLAGS a.py` started in `dir` with the write test hook waiting `delay_ms` before its last check and rename;
/// returns once the hook said the temporary file is written (or `None`: a build without the hook).
#[allow(clippy::zombie_processes)] // the child is waited for by `Paused::finish`
fn pause_in_write(dir: &Path, flags: &[&str], delay_ms: u64) -> Option<Paused> {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ctxlint"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CTXLINT_TEST_WRITE_DELAY_MS", delay_ms.to_string())
        .args(flags)
        .arg("a.py")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // the test runner may have been started with SIGINT ignored (a background job): give the child the defaults
    // SAFETY: only async-signal-safe calls between fork and exec
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if err.read_line(&mut line).expect("read stderr") == 0 {
            let _ = child.wait();
            eprintln!("note: no write test hook in this build (release?); stderr was:\n{seen}");
            if cfg!(debug_assertions) {
                panic!("the debug build has the write test hook, yet it never ran:\n{seen}");
            }
            return None;
        }
        seen.push_str(&line);
        if line.contains("ctxlint test hook:") {
            let stderr = std::thread::spawn(move || {
                let _ = err.read_to_string(&mut seen);
                seen
            });
            return Some(Paused { child, stderr });
        }
    }
}

/// Item 4: a symbolic link planted at the old, predictable temporary name (`.a.py.ctxlint-PID.tmp`) must not make
/// the write overwrite and chmod the link's target.
#[test]
fn a_link_planted_at_a_guessable_temporary_name_is_never_followed() {
    let dir = TempDir::new().expect("tmp");
    let victim = write(dir.path(), "elsewhere/secret.txt", "secret\n");
    set_mode(&victim, 0o600);
    let file = write(dir.path(), "tree/a.py", "old\n");
    set_mode(&file, 0o644);
    let planted = dir.path().join(format!("tree/.a.py.ctxlint-{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).expect("symlink");

    ctxlint::fix::write::write_if_unchanged(&file, "old\n", "new\n").expect("written");
    assert_eq!(read(&victim), "secret\n", "the link's target was overwritten");
    assert_eq!(mode(&victim), 0o600, "the link's target was chmod-ed");
    assert!(!fs::symlink_metadata(&file).expect("meta").file_type().is_symlink(), "the planted link became the file");
    assert_eq!(read(&file), "new\n");
    assert_eq!(mode(&file), 0o644, "the file keeps its mode");
    assert!(fs::symlink_metadata(&planted).expect("planted").file_type().is_symlink(), "the planted link is left alone");
    let left: Vec<String> = leftovers(&dir.path().join("tree")).into_iter().filter(|n| !planted.ends_with(n)).collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// Item 18a: the temporary name does not grow with the file's name, so a 250-byte name can be fixed.
#[test]
fn a_file_with_a_250_byte_name_is_fixed() {
    let dir = TempDir::new().expect("tmp");
    let name = format!("{}.py", "n".repeat(247));
    assert_eq!(name.len(), 250);
    let file = write(dir.path(), &name, FIXABLE_PY);
    let out = ctxlint(dir.path()).args(["--fix", &name]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(read(&file), FIXED_PY);
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

/// Item 5: an editor saving the file after ctxlint checked it but before the rename (in place, or by renaming its own
/// temporary file over it) keeps its text; the write is refused with an error naming the file.
#[test]
fn an_edit_between_the_check_and_the_rename_is_kept_and_the_write_refused() {
    const EDITED: &str = "# saved by the editor meanwhile\nx = 1\n";
    for how in ["in place", "rename over"] {
        let dir = TempDir::new().expect("tmp");
        let file = write(dir.path(), "a.py", FIXABLE_PY);
        set_mode(&file, 0o600);
        let Some(paused) = pause_in_write(dir.path(), &["--fix"], 3000) else { return };
        // while the hook waits: the temporary file already has the file's mode (never wider)
        let tmp: Vec<String> = leftovers(dir.path());
        assert_eq!(tmp.len(), 1, "{how}: one temporary file while writing: {tmp:?}");
        assert_eq!(mode(&dir.path().join(&tmp[0])), 0o600, "{how}: the temporary file is wider than the file");
        match how {
            "in place" => fs::write(&file, EDITED).expect("edit"),
            _ => {
                let saved = write(dir.path(), "a.py.editor-save", EDITED);
                fs::rename(&saved, &file).expect("rename over");
            }
        }
        let (status, err) = paused.finish();
        assert_eq!(read(&file), EDITED, "{how}: the editor's save was lost");
        assert_eq!(status.code(), Some(2), "{how}: {status:?}\n{err}");
        assert!(err.contains("a.py: fixes not written: changed while it was being written; not written"), "{how}: {err}");
        assert!(leftovers(dir.path()).is_empty(), "{how}: {:?}", leftovers(dir.path()));
    }
}

/// Item 5 for `--add-ignore`: the same race keeps the editor's text.
#[test]
fn an_edit_during_add_ignore_is_kept() {
    let dir = TempDir::new().expect("tmp");
    let file = write(dir.path(), "a.py", FIXABLE_PY);
    let Some(paused) = pause_in_write(dir.path(), &["--add-ignore"], 3000) else { return };
    fs::write(&file, "x = 2\n").expect("edit");
    let (status, err) = paused.finish();
    assert_eq!(read(&file), "x = 2\n");
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("a.py: changed while it was being written; not written"), "{err}");
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

/// Item 17: SIGTERM or SIGINT while a write is under way removes the temporary file and ends the run with the
/// signal; the file is left as it was.
#[test]
fn a_signal_during_a_write_leaves_no_temporary_file() {
    for (sig, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
        let dir = TempDir::new().expect("tmp");
        let file = write(dir.path(), "a.py", FIXABLE_PY);
        let Some(paused) = pause_in_write(dir.path(), &["--fix"], 20_000) else { return };
        let start = Instant::now();
        assert_eq!(leftovers(dir.path()).len(), 1, "{name}: a temporary file while writing");
        // SAFETY: kill(2) on our own child's pid
        assert_eq!(unsafe { libc::kill(paused.child.id() as libc::pid_t, sig) }, 0, "kill");
        let (status, err) = paused.finish();
        assert!(start.elapsed() < Duration::from_secs(15), "{name}: the run went on until the delay ended");
        // ended by the signal itself (the shell sees 128 + signal: 143, 130), after removing the temporary file
        assert!(status.signal() == Some(sig) || status.code() == Some(128 + sig), "{name}: ended with {status:?}\n{err}");
        eprintln!("{name}: ended with {status:?}");
        assert!(leftovers(dir.path()).is_empty(), "{name}: left {:?}", leftovers(dir.path()));
        assert_eq!(read(&file), FIXABLE_PY, "{name}: the file changed");
    }
}

/// Item 6: the owner and group of a fixed file are kept (the tests run as root; elsewhere this is skipped).
#[test]
fn owner_and_group_are_kept() {
    let dir = TempDir::new().expect("tmp");
    let file = write(dir.path(), "a.py", FIXABLE_PY);
    if let Err(e) = std::os::unix::fs::chown(&file, Some(12345), Some(12345)) {
        eprintln!("note: cannot chown as this user ({e}): owner test skipped");
        return;
    }
    set_mode(&file, 0o640);
    let out = ctxlint(dir.path()).args(["--fix", "a.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(read(&file), FIXED_PY);
    let meta = fs::metadata(&file).expect("meta");
    assert_eq!((meta.uid(), meta.gid()), (12345, 12345), "owner and group lost");
    assert_eq!(mode(&file), 0o640);
}

/// Item 6: a file with a second hard link is not rewritten (the rename would split the two names).
#[test]
fn a_file_with_two_hard_links_is_not_split() {
    for flag in ["--fix", "--add-ignore"] {
        let dir = TempDir::new().expect("tmp");
        let file = write(dir.path(), "tree/a.py", FIXABLE_PY);
        let other = dir.path().join("other-name.txt");
        fs::hard_link(&file, &other).expect("link");
        let out = ctxlint(&dir.path().join("tree")).args([flag, "a.py"]).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{flag}: {}{}", stdout(&out), stderr(&out));
        assert!(stderr(&out).contains("a.py") && stderr(&out).contains("has 2 hard links; not written"), "{flag}: {}", stderr(&out));
        assert_eq!(read(&file), FIXABLE_PY, "{flag}");
        assert_eq!(read(&other), FIXABLE_PY, "{flag}");
        assert_eq!(fs::metadata(&file).expect("meta").ino(), fs::metadata(&other).expect("meta").ino(), "{flag}: split");
    }
}

fn set_xattr(path: &Path, name: &str, value: &[u8]) -> std::io::Result<()> {
    let p = CString::new(path.as_os_str().as_bytes()).expect("path");
    let n = CString::new(name).expect("name");
    // SAFETY: valid C strings and a buffer of the given length
    let rc = unsafe { libc::lsetxattr(p.as_ptr(), n.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn get_xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    let p = CString::new(path.as_os_str().as_bytes()).expect("path");
    let n = CString::new(name).expect("name");
    let mut buf = vec![0u8; 4096];
    // SAFETY: valid C strings and a buffer of the given length
    let len = unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    (len >= 0).then(|| buf[..len as usize].to_vec())
}

/// Item 6: extended attributes are copied to the new file (when the file system has user attributes).
#[test]
fn extended_attributes_are_kept() {
    let dir = TempDir::new().expect("tmp");
    let file = write(dir.path(), "a.py", FIXABLE_PY);
    if let Err(e) = set_xattr(&file, "user.ctxlint-test", b"kept") {
        eprintln!("note: the temporary directory's file system has no user extended attributes ({e}): assertion skipped");
        return;
    }
    let out = ctxlint(dir.path()).args(["--fix", "a.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(read(&file), FIXED_PY);
    assert_eq!(get_xattr(&file, "user.ctxlint-test").as_deref(), Some(&b"kept"[..]), "extended attribute dropped");
}

/// Items 6 and 7: a read-only file is not rewritten; the run fails naming it, and its findings are still reported
/// (JSON has them, the human summary does not say "All checks passed").
#[test]
fn a_read_only_file_is_not_rewritten_and_keeps_its_findings() {
    let dir = TempDir::new().expect("tmp");
    let file = write(dir.path(), "a.py", FIXABLE_PY);
    set_mode(&file, 0o444);
    let out = ctxlint(dir.path()).args(["--fix", "--format", "json", "a.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("a.py: fixes not written: is read-only; not written"), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{doc:#}");
    assert_eq!(findings[0]["rule"], "py/executor-without-context");
    assert_eq!(read(&file), FIXABLE_PY);
    assert_eq!(mode(&file), 0o444);

    let out = ctxlint(dir.path()).args(["--fix", "a.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!stdout(&out).contains("All checks passed"), "{}", stdout(&out));
    assert!(stdout(&out).contains("py/executor-without-context"), "{}", stdout(&out));

    let out = ctxlint(dir.path()).args(["--add-ignore", "a.py"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("a.py: is read-only; not written"), "{}", stderr(&out));
    assert_eq!(read(&file), FIXABLE_PY);
}
