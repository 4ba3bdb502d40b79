//! A configuration problem, with the file's text and the span it is at, for a code frame.
use std::ops::Range;
use std::path::PathBuf;

/// A configuration problem at a place in a file.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub source: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ctxlint::config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span.as_ref().map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_primary_with_span(
            Some("here".to_string()),
            (span.start, span.end - span.start),
        ))))
    }
}
