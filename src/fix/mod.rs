//! Suggested fixes: text edits with an applicability contract, and applying them to a source; [`apply`] fixes a
//! file to a fixed point, [`write`] writes the result.
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub mod apply;
pub mod write;

pub use apply::Policy;

/// Whether a fix may be applied without review.
///
/// - `safe`: keeps the program's behaviour apart from the context it fixes; `--fix` may apply it.
/// - `unsafe`: may change timing or exception flow; only applied when the user opts in.
/// - `display-only`: shown in the help, never applied: it needs a decision only a person can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    Safe,
    Unsafe,
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace the bytes of `range` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit { range: at..at, replacement: text.into() }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Edit { range, replacement: text.into() }
    }
}

/// A suggested fix: a description and non-overlapping edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Applies the edits to `source`. Returns `None` when edits overlap or fall outside the text.
    pub fn apply(&self, source: &str) -> Option<String> {
        apply_edits(source, self.edits.iter())
    }
}

/// Applies edits to `source` in offset order; identical edits (two fixes adding the same import) count once.
/// Returns `None` when edits overlap, fall outside the text or split a character.
pub fn apply_edits<'e>(source: &str, edits: impl IntoIterator<Item = &'e Edit>) -> Option<String> {
    let edits = sorted_edits(source, edits)?;
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for edit in edits {
        out.push_str(source.get(at..edit.range.start)?);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(source.get(at..)?);
    Some(out)
}

/// The edits in the order [`apply_edits`] applies them (by offset, identical ones once), if it would apply them to
/// `source`: in bounds, on character boundaries, not overlapping. Checked on the edits alone, without building the
/// text.
pub fn sorted_edits<'e>(source: &str, edits: impl IntoIterator<Item = &'e Edit>) -> Option<Vec<&'e Edit>> {
    let mut sorted: Vec<&Edit> = edits.into_iter().collect();
    sorted.sort_by(|a, b| (a.range.start, a.range.end, &a.replacement).cmp(&(b.range.start, b.range.end, &b.replacement)));
    sorted.dedup();
    let mut at = 0;
    for e in &sorted {
        let (start, end) = (e.range.start, e.range.end);
        if start < at || start > end || end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
            return None;
        }
        at = end;
    }
    Some(sorted)
}

/// Two edits clash when applying both is ambiguous: their ranges overlap, or they start at the same offset (which
/// goes first?). Identical edits do not clash: they are applied once.
pub fn clash(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    let (x, y) = (&a.range, &b.range);
    x.start == y.start || (x.start < y.end && y.start < x.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_sorted_edits_and_refuses_overlaps() {
        let fix = Fix {
            applicability: Applicability::Safe,
            description: String::new(),
            edits: vec![Edit::insert(6, "X"), Edit::replace(0..1, "b")],
        };
        assert_eq!(fix.apply("abcdef").as_deref(), Some("bbcdefX"));
        let overlapping = Fix { edits: vec![Edit::replace(0..3, "x"), Edit::replace(2..4, "y")], ..fix };
        assert_eq!(overlapping.apply("abcdef"), None);
    }

    #[test]
    fn identical_edits_apply_once_and_do_not_clash() {
        let import = Edit::insert(0, "import x\n");
        assert!(!clash(&import, &import.clone()));
        assert_eq!(apply_edits("a\n", [&import, &import.clone(), &Edit::replace(0..1, "b")]).as_deref(), Some("import x\nb\n"));
    }

    #[test]
    fn clashes_are_overlaps_and_shared_starts_but_not_touching_ranges() {
        assert!(clash(&Edit::replace(0..3, "x"), &Edit::replace(2..4, "y")));
        assert!(clash(&Edit::insert(2, "x"), &Edit::replace(1..4, "y")));
        assert!(clash(&Edit::insert(2, "x"), &Edit::insert(2, "y")));
        assert!(clash(&Edit::insert(2, "x"), &Edit::replace(2..4, "y")));
        assert!(!clash(&Edit::replace(0..2, "x"), &Edit::replace(2..4, "y")));
        assert!(!clash(&Edit::insert(4, "x"), &Edit::replace(2..4, "y")));
    }
}
