//! The temporary files a write has in flight, removed when SIGINT, SIGTERM or SIGHUP ends the run, so an interrupted
//! `--fix` or `--add-ignore` leaves no hidden `.ctxlint-*.tmp` file behind.
//!
//! A temporary file is created and registered, and renamed and unregistered, under one lock; the signal thread takes
//! that lock, removes what is registered and ends the process with the signal while still holding it. So a signal
//! either comes before a temporary file exists, or finds it registered, or after its rename: never in between.
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tempfile::NamedTempFile;

/// The paths of the temporary files in flight.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner())
}

/// A hidden temporary file `.ctxlint-XXXXXX.tmp` (random, created exclusively, mode 0600 on Unix) in a file's
/// directory: removed when dropped, or when a signal ends the run; [`InFlight::persist`] renames it over the file.
pub struct InFlight {
    /// `None` once persisted.
    file: Option<NamedTempFile>,
    path: PathBuf,
}

impl InFlight {
    /// Creates the temporary file in `dir` (whose name does not depend on any other file's name, so it always fits).
    pub fn create_in(dir: &Path) -> io::Result<InFlight> {
        install_handlers();
        let mut registry = in_flight();
        let file = tempfile::Builder::new().prefix(".ctxlint-").suffix(".tmp").rand_bytes(8).tempfile_in(dir)?;
        let path = file.path().to_path_buf();
        registry.push(path.clone());
        Ok(InFlight { file: Some(file), path })
    }

    /// The open temporary file.
    pub fn file(&self) -> &File {
        // `file` is `None` only inside `persist`, which consumes `self`
        self.file.as_ref().map(NamedTempFile::as_file).unwrap_or_else(|| unreachable!("an InFlight is used after persist"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary file to `to` (atomically replacing it); on failure the temporary file is removed.
    pub fn persist(mut self, to: &Path) -> io::Result<()> {
        let Some(file) = self.file.take() else { return Ok(()) };
        let mut registry = in_flight();
        match file.persist(to) {
            Ok(_) => {
                registry.retain(|p| *p != self.path);
                Ok(())
            }
            Err(e) => {
                drop(registry);
                self.file = Some(e.file);
                Err(e.error)
            }
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // remove the file first, then forget it: a signal in between finds nothing left to remove
        drop(self.file.take());
        in_flight().retain(|p| *p != self.path);
    }
}

/// Removes the temporary files in flight, and ends the process as the signal would have (so the shell sees 130 for
/// SIGINT, 143 for SIGTERM); installed once, on the first temporary file. Signals the run was started with ignored
/// (`nohup`, background jobs) stay ignored.
#[cfg(unix)]
fn install_handlers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP].into_iter().filter(|s| !ignored(*s)).collect();
        let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) else { return };
        // best effort: without the thread, a signal ends the run as it always did
        let _ = std::thread::Builder::new().name("ctxlint-signals".into()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let registry = in_flight();
                for path in registry.iter() {
                    let _ = std::fs::remove_file(path);
                }
                // the lock stays held: no new temporary file, no rename, until the process is gone
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

#[cfg(not(unix))]
fn install_handlers() {}

/// Whether the process was started with `signal` ignored.
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one into `old`, a zeroed plain C struct
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_is_registered_until_it_is_renamed_or_dropped() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let a = InFlight::create_in(dir.path()).expect("create");
        let name = a.path().file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with(".ctxlint-") && name.ends_with(".tmp") && name.len() < 40, "{name}");
        assert!(in_flight().contains(&a.path().to_path_buf()));
        let b = InFlight::create_in(dir.path()).expect("create");
        let (a_path, b_path) = (a.path().to_path_buf(), b.path().to_path_buf());
        drop(a);
        assert!(!a_path.exists() && !in_flight().contains(&a_path));
        b.persist(&dir.path().join("target")).expect("persist");
        assert!(!b_path.exists() && !in_flight().contains(&b_path) && dir.path().join("target").exists());
    }
}
