//! Writing to standard output: the report and pages of the commands, with a closed pipe or a descriptor closed at start
//! told apart from a write that failed.
use std::io::{self, Write};

use super::exit::ExitStatus;
use super::notice;

/// Writes to stdout; a closed pipe (`ctxlint . | head`) ends the run quietly.
pub(super) fn emit(text: &str) -> Result<(), io::Error> {
    emit_bytes(text.as_bytes())
}

/// [`emit`] for bytes (a fixed text that need not be UTF-8).
pub(super) fn emit_bytes(bytes: &[u8]) -> Result<(), io::Error> {
    if stdout_is_closed() {
        return Err(io::Error::other("standard output is closed"));
    }
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Set before `main` (by the binary's start-up probe) when file descriptor 1 was closed at start (`ctxlint . >&-`):
/// Rust's runtime then puts `/dev/null` in its place before `main`, so the report would vanish without a word.
pub static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Is standard output closed, or was it closed when the process started?
pub(super) fn stdout_is_closed() -> bool {
    if STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed) {
        return true;
    }
    #[cfg(unix)]
    {
        // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF on a closed descriptor.
        unsafe { libc::fcntl(1, libc::F_GETFD) == -1 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The exit status once the output is written: `status` when it was (or the reader closed the pipe), an error when
/// it could not be.
pub(super) fn finish(result: io::Result<()>, status: ExitStatus) -> ExitStatus {
    match result {
        Ok(()) => status,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => status,
        Err(e) => {
            notice::error(format_args!("cannot write the output: {e}"));
            ExitStatus::Error
        }
    }
}
