//! What every part of the project index does with the files it did not walk: read one (a regular file only, within a
//! size limit, as UTF-8), list a tree's files of one extension, and keep a file's text with its tree parsed on first
//! use, once, by the first thread that asks.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tree_sitter::{Parser, Tree};

use crate::lang::Lang;

/// Files larger than this are not indexed (generated code, vendored bundles).
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// Trees with more files of the extension than this are not listed (a monorepo's vendored tree).
const MAX_FILES: usize = 5_000;

/// The text of the file at `path`: a regular file (a FIFO or device named like a module is never opened for a
/// blocking read), at most [`MAX_FILE_BYTES`], valid UTF-8.
pub fn read_source(path: &Path) -> Option<String> {
    let bytes = crate::files::read_regular_file_within(path, MAX_FILE_BYTES).ok()??.ok()?;
    String::from_utf8(bytes).ok()
}

/// The files under `root` whose extension is `ext`, sorted; `None` past [`MAX_FILES`]. Symbolic links are not
/// followed, so a link cycle cannot loop.
pub fn list_files(root: &Path, ext: &str) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                dirs.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == ext) {
                files.push(path);
                if files.len() > MAX_FILES {
                    return None;
                }
            }
        }
    }
    files.sort();
    Some(files)
}

/// One file of the project: its text, read once, and its tree, parsed only when a question needs it.
pub struct SourceFile {
    pub path: PathBuf,
    pub source: String,
    lang: Lang,
    tree: OnceLock<Option<Tree>>,
}

impl SourceFile {
    pub fn read(path: &Path, lang: Lang) -> Option<SourceFile> {
        Some(SourceFile { path: path.to_path_buf(), source: read_source(path)?, lang, tree: OnceLock::new() })
    }

    /// The file's tree, parsed by the first thread that asks.
    pub fn tree(&self) -> Option<&Tree> {
        self.tree
            .get_or_init(|| {
                let mut parser = Parser::new();
                parser.set_language(&self.lang.grammar()).ok()?;
                parser.parse(&self.source, None)
            })
            .as_ref()
    }

    /// The 1-based line of a byte offset of the file, and the path as shown from `base`: `src/api.rs:42`.
    pub fn place(&self, byte: usize, base: &Path) -> String {
        let line = self.source.get(..byte).map_or(0, |s| s.matches('\n').count()) + 1;
        format!("{}:{line}", self.path.strip_prefix(base).unwrap_or(&self.path).display())
    }
}
