//! The instrumentations and SDKs the Python model knows, what each one carries once active (each fact shown by a
//! witness under tests/witness/python/runtime/), and the user's choice of which are active (`[python] instrumented`,
//! `--python-instrumented`).
use serde::Deserialize;

use super::activation::Activation;
use super::PyRuntime;

/// An instrumentation or SDK that patches the hand-offs of a Python program once activated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PyPatch {
    /// `opentelemetry-instrumentation-threading`, activated by `ThreadingInstrumentor().instrument()` or by
    /// `opentelemetry-instrument`.
    Threading,
    /// `logfire`, activated by `logfire.configure(...)`.
    Logfire,
    /// `sentry-sdk`, activated by `sentry_sdk.init(...)`.
    Sentry,
}

impl PyPatch {
    pub const ALL: [PyPatch; 3] = [PyPatch::Threading, PyPatch::Logfire, PyPatch::Sentry];

    /// The name users write (`[python] instrumented = ["threading"]`).
    pub fn name(self) -> &'static str {
        match self {
            PyPatch::Threading => "threading",
            PyPatch::Logfire => "logfire",
            PyPatch::Sentry => "sentry",
        }
    }

    pub fn from_name(name: &str) -> Option<PyPatch> {
        PyPatch::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The distribution whose declaration counts as installing it (normalized).
    pub fn distribution(self) -> &'static str {
        match self {
            PyPatch::Threading => "opentelemetry-instrumentation-threading",
            PyPatch::Logfire => "logfire",
            PyPatch::Sentry => "sentry-sdk",
        }
    }

    /// The call in the project's code that activates it.
    pub fn activation(self) -> Activation {
        match self {
            PyPatch::Threading => Activation::ThreadingInstrument,
            PyPatch::Logfire => Activation::LogfireConfigure,
            PyPatch::Sentry => Activation::SentryInit,
        }
    }

    /// The programs that show what it carries.
    pub fn witness(self) -> &'static str {
        match self {
            PyPatch::Threading => "tests/witness/python/runtime/threading/",
            PyPatch::Logfire => "tests/witness/python/runtime/logfire/",
            PyPatch::Sentry => "tests/witness/python/runtime/sentry/",
        }
    }

    /// What it carries, in words (what its witness showed).
    pub fn carries(self) -> &'static str {
        match self {
            PyPatch::Threading => {
                "`Thread(target=...)`, `Timer`, and `ThreadPoolExecutor` `submit`/`map`/`run_in_executor` carry the caller's context; a `Thread` subclass's own `run()` does not"
            }
            PyPatch::Logfire => {
                "`ThreadPoolExecutor` and `ProcessPoolExecutor` `submit`/`map` (and `run_in_executor`) carry the caller's context; `Thread` and `Timer` do not"
            }
            PyPatch::Sentry => {
                "it carries no OpenTelemetry context: child processes get `SUBPROCESS_SENTRY_TRACE`/`SUBPROCESS_BAGGAGE` (Sentry's trace, not `TRACEPARENT`), threads and pools get Sentry's scopes only"
            }
        }
    }

    /// Sets the facts it makes true (only those its witness showed).
    pub fn apply(self, runtime: &mut PyRuntime) {
        match self {
            PyPatch::Threading => {
                runtime.threads_carry_context = true;
                runtime.thread_pools_carry_context = true;
            }
            PyPatch::Logfire => {
                runtime.thread_pools_carry_context = true;
                runtime.process_pools_carry_context = true;
            }
            // tests/witness/python/runtime/sentry/: nothing an OpenTelemetry SDK would continue
            PyPatch::Sentry => {}
        }
        if !runtime.active.contains(&self) {
            runtime.active.push(self);
            runtime.active.sort();
        }
    }
}

/// Who fixed the set of active instrumentations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenBy {
    CommandLine,
    Config,
}

/// Which instrumentations are active: detected from the project, or fixed by the user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PyInstrumentedChoice {
    /// Read the project's dependency files and activation calls.
    #[default]
    Auto,
    /// Exactly these (none for an empty list).
    Fixed { patches: Vec<PyPatch>, by: ChosenBy },
}

impl PyInstrumentedChoice {
    /// `--python-instrumented`: `auto`, `none`, or a comma-separated list of names.
    pub fn parse_cli(text: &str) -> Result<PyInstrumentedChoice, String> {
        let names: Vec<&str> = text.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
        match names.as_slice() {
            ["auto"] => return Ok(PyInstrumentedChoice::Auto),
            ["none"] => return Ok(PyInstrumentedChoice::Fixed { patches: Vec::new(), by: ChosenBy::CommandLine }),
            [] => return Err(format!("no instrumentation named; {}", known_names())),
            _ => {}
        }
        let mut patches = Vec::new();
        for name in names {
            let patch = match name {
                "auto" | "none" => return Err(format!("`{name}` stands alone; {}", known_names())),
                other => PyPatch::from_name(other).ok_or_else(|| format!("unknown instrumentation `{other}`; {}", known_names()))?,
            };
            if !patches.contains(&patch) {
                patches.push(patch);
            }
        }
        patches.sort();
        Ok(PyInstrumentedChoice::Fixed { patches, by: ChosenBy::CommandLine })
    }
}

fn known_names() -> String {
    let names: Vec<String> = PyPatch::ALL.iter().map(|p| format!("`{}`", p.name())).collect();
    format!("known: {}, or `none` or `auto` alone", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_lists_none_and_auto() {
        assert_eq!(PyInstrumentedChoice::parse_cli("auto"), Ok(PyInstrumentedChoice::Auto));
        assert_eq!(PyInstrumentedChoice::parse_cli("none"), Ok(PyInstrumentedChoice::Fixed { patches: vec![], by: ChosenBy::CommandLine }));
        assert_eq!(
            PyInstrumentedChoice::parse_cli("sentry, threading,sentry"),
            Ok(PyInstrumentedChoice::Fixed { patches: vec![PyPatch::Threading, PyPatch::Sentry], by: ChosenBy::CommandLine })
        );
        let unknown = PyInstrumentedChoice::parse_cli("threading,celery").expect_err("unknown");
        assert_eq!(unknown, "unknown instrumentation `celery`; known: `threading`, `logfire`, `sentry`, or `none` or `auto` alone");
        assert!(PyInstrumentedChoice::parse_cli("none,threading").expect_err("mixed").starts_with("`none` stands alone"));
        assert!(PyInstrumentedChoice::parse_cli("").is_err());
    }

    #[test]
    fn each_patch_sets_only_what_its_witness_showed() {
        let facts = |p: PyPatch| {
            let mut r = PyRuntime::default();
            p.apply(&mut r);
            (r.threads_carry_context, r.thread_pools_carry_context, r.process_pools_carry_context, r.subprocess_env_injected)
        };
        assert_eq!(facts(PyPatch::Threading), (true, true, false, false));
        assert_eq!(facts(PyPatch::Logfire), (false, true, true, false));
        assert_eq!(facts(PyPatch::Sentry), (false, false, false, false));
    }
}
