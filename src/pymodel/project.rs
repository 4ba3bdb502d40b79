//! One Python project root read from disk: which of its files make it one, the distributions they install
//! (following `-r` includes and `file:` references, bounded), the project's own name, and the local projects its
//! requirements install (`-e ../lib`).
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::manifests::{self, Declared};
use super::requirements::{self, RequirementLine};

/// The largest project file read (lock files of big projects run to a few MiB).
pub const MANIFEST_LIMIT: u64 = 16 * 1024 * 1024;
/// The most requirements files one project reads through includes, and how deep includes nest.
const MAX_REQUIREMENT_FILES: usize = 64;
const MAX_INCLUDE_DEPTH: usize = 8;

/// Does a file named `name` make its directory a Python project root?
pub fn is_manifest_name(name: &str) -> bool {
    matches!(name, "pyproject.toml" | "setup.cfg" | "setup.py" | "Pipfile" | "Pipfile.lock" | "poetry.lock" | "uv.lock")
        || (name.starts_with("requirements") && name.ends_with(".txt"))
}

/// The project files in `dir` (not directories), in a fixed order: by kind as [`is_manifest_name`] lists them, then
/// by name.
pub fn manifests_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_manifest_name(n))
        .collect();
    let rank = |n: &str| {
        ["pyproject.toml", "setup.cfg", "setup.py", "Pipfile"].iter().position(|k| *k == n).unwrap_or(if n.ends_with(".txt") {
            4
        } else {
            5
        })
    };
    names.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    names
}

/// What one project root's files say.
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    /// Its project files (names in the root).
    pub manifests: Vec<String>,
    /// Each installed distribution (normalized) and the first file (relative to the root) that declares it.
    pub declared: BTreeMap<String, String>,
    /// The project's own name and the file that gives it.
    pub name: Option<(String, String)>,
    /// Directories of local projects its requirements install (absolute, cleaned), other than the root itself.
    pub local_projects: Vec<PathBuf>,
    /// Files that could not be read or parsed, for the user.
    pub notices: Vec<String>,
}

/// `path` as seen from `root` (both absolute): below it, the rest; beside or above it, with `..` up to the common
/// ancestor; with none in common, as it is.
pub fn shown(root: &Path, path: &Path) -> String {
    if let Ok(rest) = path.strip_prefix(root) {
        return rest.display().to_string();
    }
    let from: Vec<_> = root.components().collect();
    let to: Vec<_> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    out.extend(&to[common..]);
    out.display().to_string()
}

/// Reads the project whose root is `root` and whose project files are `manifests` (from [`manifests_in`]).
pub fn read(root: &Path, manifests: Vec<String>) -> Project {
    let mut reader = Reader { project: Project { root: root.to_path_buf(), ..Project::default() }, seen: HashSet::new() };
    for name in &manifests {
        let path = root.join(name);
        if name.ends_with(".txt") {
            reader.requirements(&path, 0);
        } else if let Some(text) = reader.text(&path) {
            let declared = match name.as_str() {
                "pyproject.toml" => manifests::pyproject(&text),
                "setup.cfg" => Ok(manifests::setup_cfg(&text)),
                "setup.py" => Ok(manifests::setup_py(&text)),
                "Pipfile" => manifests::pipfile(&text),
                "Pipfile.lock" => manifests::pipfile_lock(&text),
                _ => Ok(manifests::toml_lock(&text)),
            };
            match declared {
                Ok(declared) => reader.record(&path, declared),
                Err(why) => reader.notice(&path, &why),
            }
        }
    }
    reader.project.manifests = manifests;
    reader.project
}

struct Reader {
    project: Project,
    /// Requirements files read so far (an include cycle stops at the first repeat).
    seen: HashSet<PathBuf>,
}

impl Reader {
    fn notice(&mut self, path: &Path, why: &str) {
        let msg = format!("{}: not read for the Python runtime model: {why}", path.display());
        if !self.project.notices.contains(&msg) {
            self.project.notices.push(msg);
        }
    }

    /// The text of a project file, or `None` (with a notice) when it cannot be read, is too large or is not a
    /// regular file.
    fn text(&mut self, path: &Path) -> Option<String> {
        match crate::files::read_regular_file_within(path, MANIFEST_LIMIT) {
            Ok(Some(Ok(bytes))) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Ok(Some(Err(len))) => {
                self.notice(path, &format!("{len} bytes, over the {MANIFEST_LIMIT}-byte limit"));
                None
            }
            Ok(None) => {
                self.notice(path, "not a regular file");
                None
            }
            Err(e) => {
                self.notice(path, &crate::files::describe_io(&e));
                None
            }
        }
    }

    fn declare(&mut self, package: String, path: &Path) {
        let file = shown(&self.project.root, path);
        self.project.declared.entry(package).or_insert(file);
    }

    fn record(&mut self, path: &Path, declared: Declared) {
        for package in declared.packages {
            self.declare(package, path);
        }
        if self.project.name.is_none() {
            if let Some(name) = declared.name.filter(|n| !n.trim().is_empty()) {
                self.project.name = Some((name, shown(&self.project.root, path)));
            }
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        for file in declared.requirement_files {
            self.requirements(&crate::files::absolute_in(dir, Path::new(&file)), 1);
        }
    }

    fn requirements(&mut self, path: &Path, depth: usize) {
        if depth > MAX_INCLUDE_DEPTH || self.seen.len() >= MAX_REQUIREMENT_FILES || !self.seen.insert(path.to_path_buf()) {
            return;
        }
        let Some(text) = self.text(path) else { return };
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        for line in requirements::parse(&text) {
            match line {
                RequirementLine::Package(name) => self.declare(name, path),
                RequirementLine::Include(file) => self.requirements(&crate::files::absolute_in(&dir, Path::new(&file)), depth + 1),
                RequirementLine::LocalProject(local) => {
                    let local = crate::files::absolute_in(&dir, Path::new(&local));
                    if local != self.project.root && local.is_dir() && !self.project.local_projects.contains(&local) {
                        self.project.local_projects.push(local);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pymodel::test_files::write;

    #[test]
    fn a_root_reads_every_project_file_follows_includes_and_names_local_projects() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path().join("svc");
        write(&root, "pyproject.toml", "[project]\nname = \"svc\"\ndependencies = [\"logfire\"]\n[tool.setuptools.dynamic]\ndependencies = { file = [\"reqs/base.in\"] }\n");
        write(&root, "reqs/base.in", "celery\n");
        write(&root, "requirements.txt", "-r requirements-dev.txt\n-e .\n-e ../lib\n-r missing.txt\n");
        write(&root, "requirements-dev.txt", "-r requirements.txt\nsentry-sdk\n");
        write(&root, "uv.lock", "[[package]]\nname = \"opentelemetry-instrumentation-threading\"\n");
        write(dir.path(), "lib/setup.py", "setup(name='lib')\n");
        write(&root, "docs/README.md", "x\n");
        let manifests = manifests_in(&root);
        assert_eq!(manifests, ["pyproject.toml", "requirements-dev.txt", "requirements.txt", "uv.lock"]);
        let project = read(&root, manifests);
        assert_eq!(project.name, Some(("svc".to_string(), "pyproject.toml".to_string())));
        let declared: Vec<(&str, &str)> = project.declared.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            declared,
            [
                ("celery", "reqs/base.in"),
                ("logfire", "pyproject.toml"),
                ("opentelemetry-instrumentation-threading", "uv.lock"),
                ("sentry-sdk", "requirements-dev.txt")
            ]
        );
        assert_eq!(project.local_projects, [dir.path().join("lib")]);
        assert_eq!(project.notices.len(), 1, "{:?}", project.notices);
        assert!(project.notices[0].contains("missing.txt: not read for the Python runtime model: no such file"), "{:?}", project.notices);
    }

    #[test]
    fn paths_are_shown_from_the_root() {
        assert_eq!(shown(Path::new("/a/b"), Path::new("/a/b/c/d.py")), "c/d.py");
        assert_eq!(shown(Path::new("/a/b/tests"), Path::new("/a/b/main.py")), "../main.py");
        assert_eq!(shown(Path::new("/a/b"), Path::new("/a/x/y.txt")), "../x/y.txt");
    }

    #[test]
    fn a_directory_named_like_a_manifest_is_not_one_and_a_bad_file_is_a_notice() {
        let dir = tempfile::TempDir::new().expect("tmp");
        std::fs::create_dir_all(dir.path().join("setup.py")).expect("mkdir");
        assert!(manifests_in(dir.path()).is_empty());
        write(dir.path(), "Pipfile", "[packages\n");
        let project = read(dir.path(), manifests_in(dir.path()));
        assert!(project.declared.is_empty());
        assert!(project.notices[0].contains("Pipfile: not read for the Python runtime model: not valid TOML"), "{:?}", project.notices);
    }
}
