//! GitLab Code Quality (a subset of Code Climate's JSON): one array of issues, each with a fingerprint that stays the
//! same while the flagged code does, wherever it moves in its file. Paths are relative to the project directory
//! (`CI_PROJECT_DIR`, which the caller reads) when it is given, as GitLab wants them, else to `base`.
use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::display_path;
use crate::finding::{Finding, Severity};
use crate::report::Report;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

/// Code Climate's severity of a finding.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// The path GitLab shows: relative to `project` (`CI_PROJECT_DIR`) when the file is under it, else to `base`.
fn issue_path(path: &Path, base: &Path, project: Option<&Path>) -> String {
    if let Some(project) = project {
        let absolute = crate::files::absolute_in(base, path);
        if let Ok(rel) = absolute.strip_prefix(project) {
            return rel.to_string_lossy().replace('\\', "/");
        }
    }
    display_path(path, base)
}

/// 64-bit FNV-1a: a hash that is the same on every platform, Rust version and run (std's hasher is not).
fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// What identifies a finding across commits: its rule, file, message and the text of the code it flags (not its line
/// number, so edits above it keep the fingerprint).
fn identity(f: &Finding, path: &str) -> Vec<u8> {
    let flagged = f.source.get(f.range.clone()).unwrap_or("");
    let flagged: String = flagged.split_whitespace().collect::<Vec<_>>().join(" ");
    [f.rule.as_bytes(), path.as_bytes(), f.message.as_bytes(), flagged.as_bytes()].join(&0u8)
}

/// The issues of every unsuppressed finding, as a pretty-printed JSON array. Relative paths are taken from `base` (the
/// working directory); `project` is GitLab's `CI_PROJECT_DIR`, when set and not empty.
pub fn render(report: &Report, base: &Path, project: Option<&Path>) -> String {
    // the same identity twice in a file (two equal calls) gets a counter, so fingerprints stay unique
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    let issues: Vec<Issue> = report
        .unsuppressed()
        .map(|f| {
            let path = issue_path(&f.path, base, project);
            let mut id = identity(f, &path);
            let n = seen.entry(id.clone()).or_default();
            id.extend_from_slice(format!("\0{n}").as_bytes());
            *n += 1;
            Issue {
                description: format!("{}: {}", f.rule, f.message),
                check_name: &f.rule,
                fingerprint: format!("{:016x}{:016x}", fnv1a(&id, 0), fnv1a(&id, 0x9e37_79b9_7f4a_7c15)),
                severity: severity(f.severity),
                location: Location {
                    path,
                    positions: Positions {
                        begin: Position { line: f.start.line, column: f.start.column },
                        end: Position { line: f.end.line, column: f.end.column },
                    },
                },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_project_when_under_it() {
        let base = Path::new("/work/svc");
        assert_eq!(issue_path(Path::new("a.py"), base, Some(Path::new("/work"))), "svc/a.py");
        assert_eq!(issue_path(Path::new("../lib/b.py"), base, Some(Path::new("/work"))), "lib/b.py");
        assert_eq!(issue_path(Path::new("/work/svc/a.py"), base, Some(Path::new("/other"))), "a.py");
        assert_eq!(issue_path(Path::new("/work/svc/a.py"), base, None), "a.py");
    }
}
