//! Python import resolution inside the project: a dotted name as a file imports it (`app.pools.io_pool`,
//! `.client.fetch`) → the module file that defines it and the names left inside that module.
use std::path::{Path, PathBuf};

/// The module file `dotted` starts with, seen from the module at `from`, and the rest of the name inside it: the
/// longest prefix that is a module (`a/b.py` or `a/b/__init__.py`). Absolute names resolve from the directory that
/// holds `from`'s top-level package (and its `src/`), relative ones (`.x`, `..x`) from `from`'s package.
pub fn resolve(from: &Path, dotted: &str) -> Option<(PathBuf, Vec<String>)> {
    let level = dotted.chars().take_while(|c| *c == '.').count();
    let parts: Vec<&str> = dotted[level..].split('.').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    let bases: Vec<PathBuf> = if level > 0 {
        let mut dir = from.parent()?.to_path_buf();
        for _ in 1..level {
            dir = dir.parent()?.to_path_buf();
        }
        vec![dir]
    } else {
        let root = package_root(from)?;
        vec![root.join("src"), root]
    };
    for base in &bases {
        for i in (1..=parts.len()).rev() {
            let mut dir = base.clone();
            dir.extend(&parts[..i]);
            let rest = || parts[i..].iter().map(|p| p.to_string()).collect();
            let file = dir.with_extension("py");
            if file.is_file() {
                return Some((file, rest()));
            }
            let init = dir.join("__init__.py");
            if init.is_file() {
                return Some((init, rest()));
            }
        }
        // `from . import name`: a name defined in the package's `__init__.py`
        if level > 0 && base.join("__init__.py").is_file() {
            return Some((base.join("__init__.py"), parts.iter().map(|p| p.to_string()).collect()));
        }
    }
    None
}

/// The directory on `sys.path` for the module at `file`: the parent of its outermost package (directories with an
/// `__init__.py`), or its own directory for a script.
fn package_root(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent()?;
    while dir.join("__init__.py").is_file() {
        dir = dir.parent()?;
    }
    Some(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in ["app/__init__.py", "app/pools.py", "app/api/__init__.py", "app/api/views.py", "app/client/__init__.py"] {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
            std::fs::write(path, "").expect("write");
        }
        dir
    }

    #[test]
    fn absolute_names_resolve_from_the_top_package() {
        let dir = tree();
        let views = dir.path().join("app/api/views.py");
        assert_eq!(resolve(&views, "app.pools.io_pool"), Some((dir.path().join("app/pools.py"), vec!["io_pool".to_string()])));
        assert_eq!(resolve(&views, "app.client.fetch"), Some((dir.path().join("app/client/__init__.py"), vec!["fetch".to_string()])));
        assert_eq!(resolve(&views, "requests.get"), None);
    }

    #[test]
    fn relative_names_resolve_from_the_package() {
        let dir = tree();
        let views = dir.path().join("app/api/views.py");
        assert_eq!(resolve(&views, "..pools.io_pool"), Some((dir.path().join("app/pools.py"), vec!["io_pool".to_string()])));
        assert_eq!(resolve(&views, ".helper"), Some((dir.path().join("app/api/__init__.py"), vec!["helper".to_string()])));
    }
}
