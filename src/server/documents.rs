//! The open documents: each one's text, version, the path it is linted as, and its last findings.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::Finding;
use crate::lang::Lang;

/// One open document.
#[derive(Debug)]
pub struct Document {
    pub version: i32,
    pub text: Arc<str>,
    /// The path it is linted as (its language, configuration and runtime models come from it); `None` for a document
    /// ctxlint does not read (a Markdown file, an `untitled:` buffer of another language).
    pub path: Option<PathBuf>,
    /// The findings last published, and the version of the text they are for.
    pub findings: Option<(i32, Arc<Vec<Finding>>)>,
    /// The last lint asked for: a result of an older one is dropped.
    pub ticket: u64,
}

impl Document {
    /// The findings of the current text, if they were computed.
    pub fn current_findings(&self) -> Option<Arc<Vec<Finding>>> {
        self.findings.as_ref().filter(|(v, _)| *v == self.version).map(|(_, f)| f.clone())
    }
}

/// The documents the client opened, by URI (as the client spelt it: diagnostics go back under the same one).
#[derive(Debug, Default)]
pub struct Documents {
    pub open: HashMap<String, Document>,
}

impl Documents {
    /// `textDocument/didOpen`: `root` names `untitled:` buffers (`<root>/untitled.<ext>`, so that the workspace's
    /// configuration applies to them).
    pub fn open(&mut self, uri: &str, language_id: &str, version: i32, text: String, root: &Path) -> &mut Document {
        let path = lint_path(uri, language_id, root);
        let doc = Document { version, text: Arc::from(text), path, findings: None, ticket: 0 };
        self.open.entry(uri.to_string()).insert_entry(doc).into_mut()
    }

    /// `textDocument/didChange` with the full text; `None` for a document that is not open.
    pub fn change(&mut self, uri: &str, version: i32, text: String) -> Option<&mut Document> {
        let doc = self.open.get_mut(uri)?;
        doc.version = version;
        doc.text = Arc::from(text);
        Some(doc)
    }

    pub fn close(&mut self, uri: &str) -> Option<Document> {
        self.open.remove(uri)
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// Every open URI, sorted (so re-lints and the debug information come in a stable order).
    pub fn uris(&self) -> Vec<String> {
        let mut uris: Vec<String> = self.open.keys().cloned().collect();
        uris.sort();
        uris
    }
}

/// The path a document is linted as: its file, or for another scheme a name from its language id.
fn lint_path(uri: &str, language_id: &str, root: &Path) -> Option<PathBuf> {
    let path = match super::uri::to_path(uri) {
        Some(path) => path,
        None => {
            let ext = match language_id {
                "python" => "py",
                "javascript" => "js",
                "javascriptreact" => "jsx",
                "typescript" => "ts",
                "typescriptreact" => "tsx",
                "rust" => "rs",
                _ => return None,
            };
            root.join(format!("untitled.{ext}"))
        }
    };
    Lang::from_path(&path).is_some().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_files_and_untitled_buffers() {
        let root = Path::new("/w");
        assert_eq!(lint_path("file:///w/a.py", "python", root), Some(PathBuf::from("/w/a.py")));
        assert_eq!(lint_path("file:///w/README.md", "markdown", root), None);
        assert_eq!(lint_path("untitled:Untitled-1", "typescript", root), Some(PathBuf::from("/w/untitled.ts")));
        assert_eq!(lint_path("untitled:Untitled-2", "plaintext", root), None);
    }

    #[test]
    fn findings_count_only_for_their_version() {
        let mut docs = Documents::default();
        let doc = docs.open("file:///w/a.py", "python", 1, "x".into(), Path::new("/w"));
        doc.findings = Some((1, Arc::new(Vec::new())));
        assert!(doc.current_findings().is_some());
        assert!(docs.change("file:///w/a.py", 2, "y".into()).is_some_and(|d| d.current_findings().is_none()));
        assert!(docs.change("file:///w/b.py", 2, "y".into()).is_none());
    }
}
