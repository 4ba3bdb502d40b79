//! The `ctxlint` binary: parse the command line, run, exit with 0 (clean), 1 (findings) or 2 (error).
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match ctxlint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ctxlint::cli::main_with(cli)
}
