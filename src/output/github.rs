//! GitHub Actions workflow commands: one `::error|warning|notice file=..,line=..::message` line per finding, which
//! Actions shows as annotations on the pull request's diff.
use std::path::Path;

use super::display_path;
use crate::finding::Severity;
use crate::report::Report;

/// Escapes a command's data (the message).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property (file, title).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per unsuppressed finding, paths relative to `base`.
pub fn render(report: &Report, base: &Path) -> String {
    let mut out = String::new();
    for f in report.unsuppressed() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\n\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&display_path(&f.path, base)),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            escape_property(&format!("ctxlint ({})", f.rule)),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_would_misread() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
