//! `--diff`: the fixes as one unified diff (`a/` and `b/` paths, three lines of context), which `git apply` and
//! `patch -p1` accept.
use std::path::Path;

use similar::TextDiff;

use super::display_path_bytes;
use crate::report::FixedFile;

/// The unified diff of every changed file, in path order, paths relative to `base`.
pub fn render(fixed: &[FixedFile], base: &Path) -> String {
    let mut out = String::new();
    for file in fixed.iter().filter(|f| *f.original != *f.text) {
        let path = display_path_bytes(&file.path, base);
        let diff = TextDiff::from_lines(&*file.original, file.text.as_str());
        let (old, new) = (header_name(b"a/", &path), header_name(b"b/", &path));
        out.push_str(&diff.unified_diff().context_radius(3).header(&old, &new).to_string());
    }
    out
}

/// A `---`/`+++` file name written the way git writes it, so that `git apply` and `patch -p1` read it back: quoted
/// C-style when it holds a `"`, a `\`, a control character or a non-ASCII byte, and followed by a tab when it holds a
/// space (the tab ends the name for `patch`).
fn header_name(prefix: &[u8], path: &[u8]) -> String {
    let name = [prefix, path].concat();
    let must_quote = name.iter().any(|&b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b));
    let mut out = if must_quote { quote_c_style(&name) } else { String::from_utf8_lossy(&name).into_owned() };
    if name.contains(&b' ') {
        out.push('\t');
    }
    out
}

/// `"a/tab\there"`: git's C-style quoting (named escapes for the common control characters, octal for other bytes).
fn quote_c_style(name: &[u8]) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for &b in name {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_changed_file_becomes_a_hunk_with_its_paths() {
        let file = FixedFile {
            path: PathBuf::from("svc/a.py"),
            original: Arc::from("import x\n\nrun(f)\n"),
            text: "import x\nimport contextvars\n\nrun(f)\n".to_string(),
            applied: 1,
            findings_before: Vec::new(),
        };
        assert_eq!(
            render(&[file], Path::new("/work")),
            "--- a/svc/a.py\n+++ b/svc/a.py\n@@ -1,3 +1,4 @@\n import x\n+import contextvars\n \n run(f)\n"
        );
    }

    #[test]
    fn names_are_quoted_the_way_git_quotes_them() {
        assert_eq!(header_name(b"a/", b"plain.py"), "a/plain.py");
        assert_eq!(header_name(b"a/", b"with space.py"), "a/with space.py\t");
        assert_eq!(header_name(b"a/", b"tab\there.py"), "\"a/tab\\there.py\"");
        assert_eq!(header_name(b"b/", b"back\\slash \"q\".py"), "\"b/back\\\\slash \\\"q\\\".py\"\t");
        assert_eq!(header_name(b"a/", b"new\nline\r.py"), "\"a/new\\nline\\r.py\"");
        assert_eq!(header_name(b"a/", b"caf\xc3\xa9\xff.py"), "\"a/caf\\303\\251\\377.py\"");
    }
}
