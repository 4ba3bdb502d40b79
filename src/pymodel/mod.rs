//! The Python runtime a file belongs to: which instrumentations and SDKs its project installs or activates, and so
//! which hand-offs the running program already carries the context across (the Python counterpart of `jsmodel`), and
//! which library the file's own package is the instrumentation of.
//!
//! A patch counts as active when the nearest project root declares its distribution (any dependency file or lock
//! file there) AND the project activates it (its call in a project file, or, for the threading instrumentation,
//! the `opentelemetry-instrument` launcher, which activates every installed instrumentation). Each fact it then sets
//! is one a witness under tests/witness/python/runtime/ showed against the real package.
mod activation;
mod manifests;
mod names;
mod patches;
mod project;
mod pyliteral;
mod requirements;
mod resolver;

use std::path::PathBuf;

pub use names::{instrumented_library, normalize};
pub use patches::{ChosenBy, PyInstrumentedChoice, PyPatch};
pub use resolver::PyRuntimeResolver;

/// What the Python runtime of a file's project carries across its boundaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyRuntime {
    /// Thread hand-offs (`Thread(target=...)`, `Timer`, `ThreadPoolExecutor.submit`/`map`, `run_in_executor` on a
    /// thread pool) carry the caller's context: an active `opentelemetry-instrumentation-threading`
    /// (tests/witness/python/runtime/threading/good.py, 0.66b1: each one's span has the caller's as parent; also
    /// under `opentelemetry-instrument`, good-auto-instrument.py). Not a `Thread` subclass that defines its own `run()`:
    /// the instrumentation wraps `Thread.run`, which that method replaces (bad-subclass.py: ROOT). Implies
    /// [`PyRuntime::thread_pools_carry_context`]. Not set by logfire (Thread and Timer: ROOT) nor by sentry-sdk.
    pub threads_carry_context: bool,
    /// Child processes get the OpenTelemetry trace context in their environment (`TRACEPARENT`). No known SDK does
    /// this: sentry-sdk's StdlibIntegration puts `SUBPROCESS_SENTRY_TRACE` and `SUBPROCESS_BAGGAGE` there, Sentry's
    /// own trace id, which a child OpenTelemetry SDK does not extract (tests/witness/python/runtime/sentry/
    /// bad-subprocess.py, sentry-sdk 2.75.0: the child's span is a new trace), so this is never set by sentry.
    pub subprocess_env_injected: bool,
    /// The libraries whose OpenTelemetry instrumentation the file's own package is (`kafka-python` for
    /// `opentelemetry-instrumentation-kafka-python`): that code does the propagation, and its boundary rules are silent.
    /// The normalized rest of the nearest project name after `opentelemetry-instrumentation-` or
    /// `openinference-instrumentation-`.
    pub instrumentation_of: Vec<String>,
    /// Why, for `ctxlint config`: each fact with the file or call it was read from (files relative to
    /// [`PyRuntime::project_root`]).
    pub evidence: Vec<String>,
    /// `ThreadPoolExecutor.submit`/`map` and `loop.run_in_executor` on a thread pool carry the caller's context (but
    /// maybe not `Thread`/`Timer`): set with `threads_carry_context`, and by `logfire.configure()`, which patches
    /// `ThreadPoolExecutor.submit` (tests/witness/python/runtime/logfire/good-pools.py, logfire 5.4.0).
    pub thread_pools_carry_context: bool,
    /// `ProcessPoolExecutor.submit`/`map` run the callable with the caller's span current in the child process, even
    /// under the `spawn` start method: set by `logfire.configure()`, which sends a carrier along
    /// (tests/witness/python/runtime/logfire/good-pools.py).
    pub process_pools_carry_context: bool,
    /// The instrumentations and SDKs taken as active, sorted.
    pub active: Vec<PyPatch>,
    /// The nearest Python project root (the directory of the dependency files read), if any.
    pub project_root: Option<PathBuf>,
    /// The normalized name of the package the file belongs to (the nearest project file that names one).
    pub package: Option<String>,
}

impl PyRuntime {
    /// Is the file's own package the instrumentation of `library`?
    pub fn instruments(&self, library: &str) -> bool {
        self.instrumentation_of.iter().any(|l| l == library)
    }
}

/// Test helpers shared by the model's unit tests.
#[cfg(test)]
pub(crate) mod test_files {
    use std::path::Path;

    /// Writes `text` to `dir/rel`, making the directories.
    pub fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}
