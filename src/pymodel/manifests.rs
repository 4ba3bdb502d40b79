//! The Python project files other than requirements files, read for the distributions they install and the project's
//! own name: pyproject.toml (PEP 621, PEP 735 groups, Poetry, uv, PDM, setuptools' dynamic `file =`), setup.cfg,
//! setup.py (literal lists only), Pipfile, and the lock files poetry.lock, uv.lock and Pipfile.lock.

/// What one project file declares.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Declared {
    /// Normalized names of the distributions it installs (every group and extra counts).
    pub packages: Vec<String>,
    /// The project's own distribution name, as written.
    pub name: Option<String>,
    /// Requirements files it takes its dependencies from (setup.cfg `file:`, setuptools' dynamic `file = [...]`),
    /// relative to its directory.
    pub requirement_files: Vec<String>,
}

impl Declared {
    fn add_specs<'a>(&mut self, specs: impl IntoIterator<Item = &'a str>) {
        self.packages.extend(specs.into_iter().filter_map(super::names::requirement_name));
    }

    fn add_names<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.packages.extend(names.into_iter().map(super::names::normalize).filter(|n| !n.is_empty() && n != "python"));
    }
}

fn strings(value: Option<&toml::Value>) -> impl Iterator<Item = &str> {
    value.and_then(toml::Value::as_array).into_iter().flatten().filter_map(toml::Value::as_str)
}

fn table<'a>(value: Option<&'a toml::Value>, path: &[&str]) -> Option<&'a toml::Value> {
    path.iter().try_fold(value?, |v, key| v.get(key))
}

/// pyproject.toml: `[project]` dependencies, optional dependencies and name; `[dependency-groups]`; Poetry's
/// dependencies, dev-dependencies and groups (keys) and name; uv's dev-dependencies; PDM's dev-dependencies;
/// setuptools' `dynamic` dependency files.
pub fn pyproject(text: &str) -> Result<Declared, String> {
    let doc: toml::Value = toml::from_str(text).map_err(|e| format!("not valid TOML ({})", e.message()))?;
    let doc = Some(&doc);
    let name = table(doc, &["project", "name"]).or_else(|| table(doc, &["tool", "poetry", "name"])).and_then(toml::Value::as_str);
    let mut out = Declared { name: name.map(str::to_string), ..Declared::default() };
    out.add_specs(strings(table(doc, &["project", "dependencies"])));
    for lists in [table(doc, &["project", "optional-dependencies"]), table(doc, &["tool", "pdm", "dev-dependencies"])] {
        for (_, list) in lists.and_then(toml::Value::as_table).into_iter().flatten() {
            out.add_specs(strings(Some(list)));
        }
    }
    // PEP 735: strings are requirements, `{ include-group = "..." }` tables name other groups of the same table
    for (_, list) in table(doc, &["dependency-groups"]).and_then(toml::Value::as_table).into_iter().flatten() {
        out.add_specs(strings(Some(list)));
    }
    out.add_specs(strings(table(doc, &["tool", "uv", "dev-dependencies"])));
    let poetry = table(doc, &["tool", "poetry"]);
    let mut poetry_tables = vec![table(poetry, &["dependencies"]), table(poetry, &["dev-dependencies"])];
    for (_, group) in table(poetry, &["group"]).and_then(toml::Value::as_table).into_iter().flatten() {
        poetry_tables.push(group.get("dependencies"));
    }
    for deps in poetry_tables {
        out.add_names(deps.and_then(toml::Value::as_table).into_iter().flatten().map(|(k, _)| k.as_str()));
    }
    for key in ["dependencies", "optional-dependencies"] {
        let dynamic = table(doc, &["tool", "setuptools", "dynamic", key]);
        // `dependencies = { file = [...] }`; `optional-dependencies.x = { file = [...] }`
        let mut files: Vec<&toml::Value> = dynamic.and_then(|d| d.get("file")).into_iter().collect();
        if key == "optional-dependencies" {
            files = dynamic.and_then(toml::Value::as_table).into_iter().flatten().filter_map(|(_, v)| v.get("file")).collect();
        }
        for file in files {
            match file {
                toml::Value::String(one) => out.requirement_files.push(one.clone()),
                many => out.requirement_files.extend(strings(Some(many)).map(str::to_string)),
            }
        }
    }
    Ok(out)
}

/// Pipfile: the package names of `[packages]`, `[dev-packages]` and any custom category.
pub fn pipfile(text: &str) -> Result<Declared, String> {
    let doc: toml::Value = toml::from_str(text).map_err(|e| format!("not valid TOML ({})", e.message()))?;
    let mut out = Declared::default();
    for (category, packages) in doc.as_table().into_iter().flatten() {
        if matches!(category.as_str(), "source" | "requires" | "scripts" | "pipenv") {
            continue;
        }
        out.add_names(packages.as_table().into_iter().flatten().map(|(k, _)| k.as_str()));
    }
    Ok(out)
}

/// poetry.lock and uv.lock: the `name` of each `[[package]]` (read line by line: a lock file can be large, and only
/// the names are needed).
pub fn toml_lock(text: &str) -> Declared {
    let mut out = Declared::default();
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[[package]]";
        } else if in_package {
            if let Some(value) = line.strip_prefix("name").map(str::trim_start).and_then(|r| r.strip_prefix('=')) {
                out.add_names([value.trim().trim_matches(['"', '\''])]);
                in_package = false;
            }
        }
    }
    out
}

/// Pipfile.lock: the keys of `default`, `develop` and any other category object (`_meta` aside).
pub fn pipfile_lock(text: &str) -> Result<Declared, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    let mut out = Declared::default();
    for (category, packages) in doc.as_object().into_iter().flatten() {
        if category != "_meta" {
            out.add_names(packages.as_object().into_iter().flatten().map(|(k, _)| k.as_str()));
        }
    }
    Ok(out)
}

/// setup.cfg: `[metadata] name`, `[options] install_requires` and `tests_require`, every `[options.extras_require]`
/// value; a `file: a.txt, b.txt` value names requirements files.
pub fn setup_cfg(text: &str) -> Declared {
    let mut out = Declared::default();
    for (section, key, value) in ini_values(text) {
        let wanted = match (section.as_str(), key.as_str()) {
            ("metadata", "name") => {
                out.name = Some(value.trim().to_string());
                continue;
            }
            ("options", "install_requires" | "tests_require") | ("options.extras_require", _) => true,
            _ => false,
        };
        if !wanted {
            continue;
        }
        match value.trim().strip_prefix("file:") {
            Some(files) => out.requirement_files.extend(files.split(',').map(|f| f.trim().to_string()).filter(|f| !f.is_empty())),
            // one requirement a line (a comma may stand inside one: `wrapt >= 1.0, < 2.0`, `pkg[a,b]`)
            None => out.add_specs(value.lines().map(str::trim).filter(|l| !l.is_empty())),
        }
    }
    out
}

/// The `(section, key, value)` entries of an INI text as configparser reads setup.cfg: `key = value` or `key: value`,
/// indented lines continuing the value, whole-line `#`/`;` comments; sections and keys lower-cased.
fn ini_values(text: &str) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut section = String::new();
    let mut open = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with(char::is_whitespace) && open {
            if let Some(last) = out.last_mut() {
                if !trimmed.is_empty() {
                    last.2.push('\n');
                    last.2.push_str(trimmed);
                }
            }
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = name.trim().to_lowercase();
            open = false;
            continue;
        }
        let Some(at) = trimmed.find(['=', ':']) else {
            open = false;
            continue;
        };
        out.push((section.clone(), trimmed[..at].trim().to_lowercase(), trimmed[at + 1..].trim().to_string()));
        open = true;
    }
    out
}

/// setup.py, without running it: the `name=` of the call (a string, or a name bound to one at module level) and the
/// strings of `install_requires=`, `tests_require=` and `extras_require=` when they are literal lists, tuples or dicts
/// of lists (or names bound to those).
pub fn setup_py(text: &str) -> Declared {
    let tokens = super::pyliteral::tokenize(text);
    let mut out = Declared::default();
    for (keyword, value) in super::pyliteral::keyword_arguments(&tokens) {
        let value = super::pyliteral::resolve_name(&tokens, value);
        match keyword {
            "name" => {
                if let Some(name) = super::pyliteral::string_at(&tokens, value) {
                    out.name = Some(name);
                }
            }
            "install_requires" | "tests_require" | "extras_require" => {
                let specs = super::pyliteral::strings_of_literal(&tokens, value, keyword == "extras_require");
                out.add_specs(specs.iter().flat_map(|s| s.lines()).map(str::trim));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_pep_621_groups_poetry_uv_pdm_and_dynamic_files() {
        let text = r#"
[project]
name = "opentelemetry-instrumentation-kafka-python"
dependencies = ["opentelemetry-api ~= 1.12", "Sentry_SDK[flask]>=2; python_version>'3.8'"]
[project.optional-dependencies]
instruments = ["kafka-python >= 2.0, < 3.0"]
[dependency-groups]
test = ["pytest", { include-group = "lint" }]
lint = ["ruff"]
[tool.uv]
dev-dependencies = ["logfire"]
[tool.pdm.dev-dependencies]
docs = ["mkdocs"]
[tool.poetry.dependencies]
python = "^3.9"
"aio_pika" = "^9"
[tool.poetry.dev-dependencies]
black = "*"
[tool.poetry.group.otel.dependencies]
opentelemetry-instrumentation-threading = { version = "*", optional = true }
[tool.setuptools.dynamic]
dependencies = { file = ["requirements.txt"] }
optional-dependencies.dev = { file = "requirements-dev.txt" }
"#;
        let got = pyproject(text).expect("parses");
        assert_eq!(got.name.as_deref(), Some("opentelemetry-instrumentation-kafka-python"));
        let mut packages = got.packages.clone();
        packages.sort();
        assert_eq!(
            packages,
            [
                "aio-pika",
                "black",
                "kafka-python",
                "logfire",
                "mkdocs",
                "opentelemetry-api",
                "opentelemetry-instrumentation-threading",
                "pytest",
                "ruff",
                "sentry-sdk"
            ]
        );
        assert_eq!(got.requirement_files, ["requirements.txt", "requirements-dev.txt"]);
        assert_eq!(pyproject("[tool.poetry]\nname = \"svc\"\n").expect("parses").name.as_deref(), Some("svc"));
        assert!(pyproject("[project\n").is_err());
        assert_eq!(pyproject("[tool.ruff]\nline-length = 100\n").expect("parses"), Declared::default());
    }

    #[test]
    fn setup_cfg_install_requires_extras_and_file_directives() {
        let text = "[metadata]\nname = opentelemetry-instrumentation-pika\n\n[options]\npython_requires = >=3.8\ninstall_requires =\n    opentelemetry-api ~= 1.5\n    # a comment\n    wrapt >= 1.0.0, < 2.0.0\n\n    packaging\ntests_require = file: requirements-test.txt\n\n[options.extras_require]\ninstruments =\n    pika >= 0.12.0\n";
        let got = setup_cfg(text);
        assert_eq!(got.name.as_deref(), Some("opentelemetry-instrumentation-pika"));
        assert_eq!(got.packages, ["opentelemetry-api", "wrapt", "packaging", "pika"]);
        assert_eq!(got.requirement_files, ["requirements-test.txt"]);
    }

    #[test]
    fn setup_py_literal_lists_and_names_bound_to_them() {
        let text = r#"
from setuptools import setup

NAME = "opentelemetry-instrumentation-celery"
REQUIRES = [
    "opentelemetry-api~=1.12",  # the API
    'wrapt>=1.0.0',
]

setup(
    name=NAME,
    version="1.0",
    install_requires=REQUIRES,
    extras_require={"instruments": ["celery >= 4.0, < 6.0"], "test": ("pytest",)},
    setup_requires=["setuptools_scm"],
)
"#;
        let got = setup_py(text);
        assert_eq!(got.name.as_deref(), Some("opentelemetry-instrumentation-celery"));
        assert_eq!(got.packages, ["opentelemetry-api", "wrapt", "celery", "pytest"]);
        // computed lists are not guessed at
        let computed = setup_py("setup(name='x', install_requires=open('r.txt').read().splitlines())");
        assert_eq!((computed.name.as_deref(), computed.packages.len()), (Some("x"), 0));
    }

    #[test]
    fn pipfile_and_lock_files() {
        let pipfile_text = "[[source]]\nurl = \"https://pypi.org/simple\"\n[packages]\nSentry-SDK = \"*\"\nlogfire = { version = \"*\" }\n[dev-packages]\npytest = \"*\"\n[requires]\npython_version = \"3.11\"\n";
        // TOML tables come in key order: [dev-packages] before [packages]
        assert_eq!(pipfile(pipfile_text).expect("parses").packages, ["pytest", "sentry-sdk", "logfire"]);
        let lock = "version = 1\n[[package]]\nname = \"logfire\"\nversion = \"5.4.0\"\ndependencies = [\n  { name = \"opentelemetry-sdk\" },\n]\n\n[package.optional-dependencies]\nname = \"not-a-package\"\n\n[[package]]\nname = \"Opentelemetry_Instrumentation_Threading\"\n";
        assert_eq!(toml_lock(lock).packages, ["logfire", "opentelemetry-instrumentation-threading"]);
        let pipfile_lock_text = r#"{"_meta": {"hash": {}}, "default": {"sentry-sdk": {"version": "==2.75.0"}}, "develop": {"pytest": {}}}"#;
        assert_eq!(pipfile_lock(pipfile_lock_text).expect("parses").packages, ["sentry-sdk", "pytest"]);
        assert!(pipfile_lock("{").is_err());
    }
}
