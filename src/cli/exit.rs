//! The process's exit status (0 success, 1 failing findings, 2 an error), and which findings fail a run.
use std::process::ExitCode;

use super::ExitArgs;
use crate::finding::Severity;
use crate::report::Report;

/// How the run ended, as the process's exit code tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing fails the run (infos alone do not).
    Success = 0,
    /// Findings fail the run (or, with `--exit-non-zero-on-fix`, a file was fixed; with `--diff`, there are fixes).
    Findings = 1,
    /// A usage error, a missing path, an unreadable file, an output that cannot be written or an internal error.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

impl ExitArgs {
    /// [`ExitStatus::Error`] when the run is incomplete (missing paths, unreadable files), else
    /// [`ExitStatus::Findings`] when the findings left fail the run (or, with `--exit-non-zero-on-fix`, a file was
    /// fixed), else [`ExitStatus::Success`].
    pub(super) fn status(&self, report: &Report) -> ExitStatus {
        if !report.errors.is_empty() {
            return ExitStatus::Error;
        }
        if self.exit_non_zero_on_fix && !report.fixed.is_empty() {
            return ExitStatus::Findings;
        }
        if self.exit_zero {
            return ExitStatus::Success;
        }
        let count = |s: Severity| report.unsuppressed().filter(|f| f.severity == s).count();
        let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        let fails =
            if self.deny_warnings { errors + warnings + infos > 0 } else { errors > 0 || warnings > self.max_warnings.unwrap_or(0) };
        if fails {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_are_those_the_help_documents() {
        assert_eq!([ExitStatus::Success, ExitStatus::Findings, ExitStatus::Error].map(|s| s as u8), [0, 1, 2]);
        assert_eq!(ExitCode::from(ExitStatus::Error), ExitCode::from(2));
    }
}
