//! Walking up from a directory to the nearest one with an answer (a config file, a package.json), so that each such
//! file is read once per run however many directories lie below it.
use std::path::{Path, PathBuf};

/// Walks up from `dir` (itself first) to the first directory with an answer: one known before (`known`), or one whose
/// own files give one (`own`). Returns that answer, if any, and the directories passed on the way (those with no
/// answer of their own, and the one whose files gave it), which the caller records with the answer it settles on.
pub fn walk_up<T>(
    dir: &Path,
    mut known: impl FnMut(&Path) -> Option<T>,
    mut own: impl FnMut(&Path) -> Option<T>,
) -> (Option<T>, Vec<PathBuf>) {
    let mut passed = Vec::new();
    for ancestor in dir.ancestors() {
        if let Some(found) = known(ancestor) {
            return (Some(found), passed);
        }
        passed.push(ancestor.to_path_buf());
        if let Some(found) = own(ancestor) {
            return (Some(found), passed);
        }
    }
    (None, passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_at_the_first_known_or_own_answer_and_lists_the_directories_passed() {
        let known = |d: &Path| (d == Path::new("/a")).then_some("known");
        let (found, passed) = walk_up(Path::new("/a/b/c"), known, |_| None);
        assert_eq!((found, passed), (Some("known"), vec![PathBuf::from("/a/b/c"), PathBuf::from("/a/b")]));
        let (found, passed) = walk_up(Path::new("/a/b/c"), known, |d| (d == Path::new("/a/b")).then_some("own"));
        assert_eq!((found, passed), (Some("own"), vec![PathBuf::from("/a/b/c"), PathBuf::from("/a/b")]));
        let (found, passed) = walk_up(Path::new("/x/y"), known, |_| None::<&str>);
        assert_eq!((found, passed.len()), (None, 3));
    }
}
