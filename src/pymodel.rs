//! The Python runtime a file belongs to: which instrumentations and SDKs its project installs or activates, and so
//! which hand-offs the running program already carries the context across (the Python counterpart of `jsmodel`).

/// What the Python runtime of a file's project carries across its boundaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyRuntime {
    /// Thread hand-offs (`Thread`, `Timer`, `ThreadPoolExecutor.submit`) carry the caller's context: an active
    /// `opentelemetry-instrumentation-threading`, or an SDK that activates it.
    pub threads_carry_context: bool,
    /// Child processes get the trace context in their environment (an SDK that injects it into `subprocess`).
    pub subprocess_env_injected: bool,
    /// The libraries whose OpenTelemetry instrumentation the file's own package is (`kafka-python` for
    /// `opentelemetry-instrumentation-kafka-python`): that code does the propagation, and its boundary rules are silent.
    pub instrumentation_of: Vec<String>,
    /// Why, for `ctxlint config`: each fact with the file or call it was read from.
    pub evidence: Vec<String>,
}

impl PyRuntime {
    /// Is the file's own package the instrumentation of `library`?
    pub fn instruments(&self, library: &str) -> bool {
        self.instrumentation_of.iter().any(|l| l == library)
    }
}
