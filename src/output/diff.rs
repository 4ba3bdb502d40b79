//! `--diff`: the fixes as one unified diff (`a/` and `b/` paths, three lines of context), which `git apply` and
//! `patch -p1` accept.
use similar::TextDiff;

use super::display_path;
use crate::run::FixedFile;

/// The unified diff of every changed file, in path order.
pub fn render(fixed: &[FixedFile]) -> String {
    let mut out = String::new();
    for file in fixed.iter().filter(|f| *f.original != *f.text) {
        let path = display_path(&file.path);
        let diff = TextDiff::from_lines(&*file.original, file.text.as_str());
        out.push_str(&diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string());
    }
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
        };
        assert_eq!(render(&[file]), "--- a/svc/a.py\n+++ b/svc/a.py\n@@ -1,3 +1,4 @@\n import x\n+import contextvars\n \n run(f)\n");
    }
}
            findings_before: Vec::new(),
