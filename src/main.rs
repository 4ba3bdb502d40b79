//! The `ctxlint` binary: parse the command line, run, exit with 0 (clean), 1 (findings) or 2 (error).
use std::process::ExitCode;

use clap::Parser;
use ctxlint::cli::ExitStatus;

/// Runs before Rust's runtime start-up, which replaces a closed standard output by `/dev/null` (so `ctxlint . >&-`
/// would lose its report without a word): records whether descriptor 1 was closed, for the CLI to refuse the run.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd", target_os = "macos"))]
mod stdout_probe {
    extern "C" fn probe() {
        // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF on a closed descriptor.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        ctxlint::cli::STDOUT_CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
    }

    #[used]
    #[cfg_attr(any(target_os = "linux", target_os = "android", target_os = "freebsd"), link_section = ".init_array")]
    #[cfg_attr(target_os = "macos", link_section = "__DATA,__mod_init_func")]
    static PROBE: extern "C" fn() = probe;
}

fn main() -> ExitCode {
    let cli = match ctxlint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let status = if e.use_stderr() { ExitStatus::Error } else { ExitStatus::Success };
            let _ = e.print();
            return status.into();
        }
    };
    ctxlint::cli::main_with(cli)
}
