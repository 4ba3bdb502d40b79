//! A run that could not start, reported on stderr: a configuration error as a code frame pointing into its file,
//! anything else as an `error:` line.
use std::path::Path;

use super::exit::ExitStatus;
use super::notice;
use super::terminal::use_color_stderr;
use crate::run::RunError;

/// Reports a run that could not start: configuration errors as a diagnostic pointing into the file.
pub(super) fn run_failed(error: &RunError, base: &Path) -> ExitStatus {
    match error {
        RunError::Config(e) if e.span.is_some() => {
            let handler = miette::GraphicalReportHandler::new_themed(if use_color_stderr() {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            });
            let named = ConfigDiagnostic {
                source: miette::NamedSource::new(crate::output::display_path(&e.path, base), e.source.clone()),
                error: e.clone(),
            };
            let mut out = String::new();
            if handler.render_report(&mut out, &named).is_ok() {
                notice::text(out);
            } else {
                notice::error(e);
            }
        }
        other => notice::error(other),
    }
    ExitStatus::Error
}

/// A configuration error with its file's name on the code frame.
#[derive(Debug)]
struct ConfigDiagnostic {
    error: crate::config::ConfigError,
    source: miette::NamedSource<String>,
}

impl std::fmt::Display for ConfigDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid configuration: {}", self.error.message)
    }
}

impl std::error::Error for ConfigDiagnostic {}

impl miette::Diagnostic for ConfigDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ctxlint::config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        miette::Diagnostic::labels(&self.error)
    }
}
