//! The activation calls of a Python project, found once per project root by a bounded scan of its files: only files
//! that hold one of the words (a fast byte search) are read line by line; nested projects, hidden and default-excluded
//! directories (virtual environments, `site-packages`, `node_modules`, ...) are not entered.
use std::path::Path;

use aho_corasick::AhoCorasick;

/// A call or command that activates an instrumentation or SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Activation {
    /// `ThreadingInstrumentor(...)` and `.instrument(` in one Python file.
    ThreadingInstrument,
    /// `logfire.configure(` in a Python file.
    LogfireConfigure,
    /// `sentry_sdk.init(` in a Python file.
    SentryInit,
    /// The `opentelemetry-instrument` launcher (a Dockerfile, Procfile, script or config file) or its
    /// `opentelemetry.instrumentation.auto_instrumentation` module: every installed instrumentation is activated.
    AutoInstrument,
    /// `opentelemetry-bootstrap`: installs the default instrumentations, threading among them.
    Bootstrap,
}

impl Activation {
    /// How the activation reads, for the evidence.
    pub fn describe(self) -> &'static str {
        match self {
            Activation::ThreadingInstrument => "calls `ThreadingInstrumentor().instrument()`",
            Activation::LogfireConfigure => "calls `logfire.configure(...)`",
            Activation::SentryInit => "calls `sentry_sdk.init(...)`",
            Activation::AutoInstrument => "runs the program under `opentelemetry-instrument`",
            Activation::Bootstrap => "runs `opentelemetry-bootstrap` (which installs opentelemetry-instrumentation-threading)",
        }
    }

    /// The words whose presence makes a file worth reading for this activation.
    fn words(self) -> &'static [&'static str] {
        match self {
            Activation::ThreadingInstrument => &["ThreadingInstrumentor"],
            Activation::LogfireConfigure => &["logfire.configure("],
            Activation::SentryInit => &["sentry_sdk.init("],
            Activation::AutoInstrument => {
                &["opentelemetry-instrument", "opentelemetry.instrumentation.auto_instrumentation", "instrumentation/auto_instrumentation"]
            }
            Activation::Bootstrap => &["opentelemetry-bootstrap"],
        }
    }

    /// Only Python code calls these; the launchers stand in any script or config file.
    fn python_only(self) -> bool {
        matches!(self, Activation::ThreadingInstrument | Activation::LogfireConfigure | Activation::SentryInit)
    }
}

/// Where an activation was found: a file relative to the project root, and its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub activation: Activation,
    pub file: String,
    pub line: usize,
}

/// What one scan found: the first site of each activation (in file-name order), and why it stopped early, if it did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub sites: Vec<Site>,
    pub stopped: Option<String>,
}

impl Scan {
    pub fn site(&self, activation: Activation) -> Option<&Site> {
        self.sites.iter().find(|s| s.activation == activation)
    }
}

/// The bounds of one scan: the files looked at, the bytes read, and the largest file read.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub files: usize,
    pub bytes: u64,
    pub file_bytes: u64,
}

pub const BOUNDS: Bounds = Bounds { files: 20_000, bytes: 256 * 1024 * 1024, file_bytes: 1024 * 1024 };

/// Is a file named `name` one the scan reads: Python code, shell scripts, container and process files, and the
/// config formats deployments are written in.
fn scanned(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &["py", "sh", "bash", "toml", "cfg", "ini", "yaml", "yml", "json", "env", "conf", "mk", "dockerfile"];
    const PREFIXES: &[&str] = &["Dockerfile", "Containerfile", "Procfile", "Makefile", "justfile", "Justfile"];
    PREFIXES.iter().any(|p| name.starts_with(p)) || name.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.contains(&ext))
}

/// Scans the project at `root` for `wanted` activations. `is_project_root(dir)` says whether a directory below is a
/// project of its own (not entered).
pub fn scan(root: &Path, wanted: &[Activation], bounds: Bounds, is_project_root: impl Fn(&Path) -> bool + Send + Sync + 'static) -> Scan {
    let mut scan = Scan::default();
    if wanted.is_empty() {
        return scan;
    }
    let words: Vec<(&str, Activation)> = wanted.iter().flat_map(|a| a.words().iter().map(move |w| (*w, *a))).collect();
    let Ok(matcher) = AhoCorasick::new(words.iter().map(|(w, _)| *w)) else { return scan };
    let mut walker = ignore::WalkBuilder::new(root);
    walker.standard_filters(false).hidden(true).follow_links(false).sort_by_file_name(|a, b| a.cmp(b));
    walker.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        entry.depth() == 0 || !is_dir || !(crate::files::is_default_excluded(entry.file_name()) || is_project_root(entry.path()))
    });
    let (mut files, mut bytes) = (0usize, 0u64);
    for entry in walker.build().filter_map(Result::ok) {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Some(name) = entry.file_name().to_str() else { continue };
        if !scanned(name) {
            continue;
        }
        let len = entry.metadata().map_or(0, |m| m.len());
        if len > bounds.file_bytes {
            continue;
        }
        files += 1;
        bytes += len;
        if files > bounds.files || bytes > bounds.bytes {
            scan.stopped = Some(format!("more than {} files or {} MiB to read", bounds.files, bounds.bytes / (1024 * 1024)));
            break;
        }
        let Ok(Some(Ok(text))) = crate::files::read_regular_file_within(entry.path(), bounds.file_bytes) else { continue };
        let python = name.ends_with(".py");
        let mut found: Vec<Activation> = matcher.find_iter(&text).map(|m| words[m.pattern().as_usize()].1).collect();
        found.sort();
        found.dedup();
        found.retain(|a| (python || !a.python_only()) && scan.site(*a).is_none());
        if found.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(&text);
        let file = super::project::shown(root, entry.path());
        for activation in found {
            if let Some(line) = activation_line(&text, activation, python) {
                scan.sites.push(Site { activation, file: file.clone(), line });
            }
        }
        if wanted.iter().all(|a| scan.site(*a).is_some()) {
            break;
        }
    }
    scan.sites.sort_by_key(|s| s.activation);
    scan
}

/// The 1-based line of `text` where `activation` happens, comment lines (`#`) aside, and in Python also the lines of
/// triple-quoted strings (docstrings that mention a call); `None` when the words are there but not the call
/// (`ThreadingInstrumentor` imported, never instrumented; `opentelemetry-instrumentation-threading`).
fn activation_line(text: &str, activation: Activation, python: bool) -> Option<usize> {
    let code = code_lines(text, python);
    let lines = || text.lines().enumerate().filter(|(i, _)| code[*i]);
    match activation {
        Activation::ThreadingInstrument => {
            let instruments = lines().any(|(_, l)| l.contains(".instrument("));
            let at = lines().find(|(_, l)| l.contains("ThreadingInstrumentor(")).map(|(i, _)| i + 1);
            at.filter(|_| instruments)
        }
        Activation::AutoInstrument | Activation::Bootstrap => {
            lines().find(|(_, l)| activation.words().iter().any(|w| contains_word(l, w))).map(|(i, _)| i + 1)
        }
        _ => lines().find(|(_, l)| activation.words().iter().any(|w| l.contains(w))).map(|(i, _)| i + 1),
    }
}

/// Which lines of `text` are code: not a `#` comment line, and in Python not a line of (or opening or closing) a
/// triple-quoted string.
fn code_lines(text: &str, python: bool) -> Vec<bool> {
    let mut in_string: Option<&str> = None;
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with('#') && in_string.is_none() {
                return false;
            }
            if !python {
                return true;
            }
            let mut code = in_string.is_none();
            let mut rest = line;
            loop {
                let next = match in_string {
                    Some(quote) => rest.find(quote).map(|at| (at, quote)),
                    None => ["\"\"\"", "'''"].iter().filter_map(|q| rest.find(q).map(|at| (at, *q))).min_by_key(|(at, _)| *at),
                };
                let Some((at, quote)) = next else { break };
                code = false;
                in_string = if in_string.is_some() { None } else { Some(quote) };
                rest = &rest[at + 3..];
            }
            code
        })
        .collect()
}

/// Does `line` hold `word` not followed by more of a name (`opentelemetry-instrument` is not
/// `opentelemetry-instrumentation-threading`)?
fn contains_word(line: &str, word: &str) -> bool {
    line.match_indices(word)
        .any(|(at, _)| !line[at + word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pymodel::test_files::write;

    const ALL: &[Activation] = &[
        Activation::ThreadingInstrument,
        Activation::LogfireConfigure,
        Activation::SentryInit,
        Activation::AutoInstrument,
        Activation::Bootstrap,
    ];

    #[test]
    fn finds_each_activation_once_and_skips_comments_words_and_excluded_directories() {
        let dir = tempfile::TempDir::new().expect("tmp");
        let root = dir.path();
        write(root, "app/main.py", "import logfire\n# logfire.configure() in prod\n\nlogfire.configure(send_to_logfire=False)\n");
        write(root, "app/tracing.py", "from opentelemetry.instrumentation.threading import ThreadingInstrumentor\n\ninst = ThreadingInstrumentor()\ninst.instrument()\n");
        write(
            root,
            "app/unused.py",
            "from opentelemetry.instrumentation.threading import ThreadingInstrumentor\nThreadingInstrumentor().uninstrument()\n",
        );
        write(root, "requirements.txt", "opentelemetry-instrumentation-threading\n");
        write(root, "pyproject.toml", "dependencies = [\"opentelemetry-instrumentation\"]\n");
        write(
            root,
            "Dockerfile",
            "FROM python\n# RUN opentelemetry-bootstrap -a install\nCMD [\"opentelemetry-instrument\", \"python\", \"app/main.py\"]\n",
        );
        write(root, "venv/lib/site.py", "import sentry_sdk\nsentry_sdk.init()\n");
        write(root, ".hidden/x.py", "import sentry_sdk\nsentry_sdk.init()\n");
        write(root, "notes.md", "sentry_sdk.init(dsn)\n");
        write(root, "nested/pyproject.toml", "[project]\nname = \"nested\"\n");
        write(root, "nested/boot.py", "import sentry_sdk\nsentry_sdk.init()\n");
        let scan = scan(root, ALL, BOUNDS, |d| d.join("pyproject.toml").exists());
        let sites: Vec<(Activation, &str, usize)> = scan.sites.iter().map(|s| (s.activation, s.file.as_str(), s.line)).collect();
        assert_eq!(
            sites,
            [
                (Activation::ThreadingInstrument, "app/tracing.py", 3),
                (Activation::LogfireConfigure, "app/main.py", 4),
                (Activation::AutoInstrument, "Dockerfile", 3),
            ]
        );
        assert_eq!(scan.stopped, None);
    }

    #[test]
    fn only_wanted_activations_are_looked_for_and_the_bounds_hold() {
        let dir = tempfile::TempDir::new().expect("tmp");
        for i in 0..5 {
            write(dir.path(), &format!("m{i}.py"), "x = 1\n");
        }
        write(dir.path(), "z.py", "import sentry_sdk\nsentry_sdk.init(dsn=None)\nimport logfire\nlogfire.configure()\n");
        let only_sentry = scan(dir.path(), &[Activation::SentryInit], BOUNDS, |_| false);
        assert_eq!(only_sentry.sites, [Site { activation: Activation::SentryInit, file: "z.py".into(), line: 2 }]);
        let tight = Bounds { files: 3, ..BOUNDS };
        let stopped = scan(dir.path(), &[Activation::SentryInit], tight, |_| false);
        assert!(stopped.sites.is_empty());
        assert!(stopped.stopped.is_some());
    }

    #[test]
    fn docstrings_that_mention_a_call_are_not_the_call() {
        let text = "\"\"\"Run under `opentelemetry-instrument`: it never calls\n`ThreadingInstrumentor().instrument()` itself.\"\"\"\nimport threading\nx = '''a'''  # ThreadingInstrumentor().instrument()\n";
        assert_eq!(activation_line(text, Activation::ThreadingInstrument, true), None);
        assert_eq!(activation_line(text, Activation::AutoInstrument, true), None);
        let called = "def setup():\n    \"\"\"Turn threading on.\"\"\"\n    ThreadingInstrumentor().instrument()\n";
        assert_eq!(activation_line(called, Activation::ThreadingInstrument, true), Some(3));
        // outside Python, quotes are no strings: a Dockerfile line stands as it is
        assert_eq!(activation_line("CMD \"\"\"opentelemetry-instrument\"\"\" app\n", Activation::AutoInstrument, false), Some(1));
    }

    #[test]
    fn launcher_words_end_where_a_name_ends() {
        assert!(contains_word("CMD opentelemetry-instrument python app.py", "opentelemetry-instrument"));
        assert!(contains_word("[\"opentelemetry-instrument\",", "opentelemetry-instrument"));
        assert!(!contains_word("opentelemetry-instrumentation-threading==0.66b1", "opentelemetry-instrument"));
    }
}
