//! Per-file facts shared by the rules of one language family, computed once per file on first use.
pub mod js;
pub mod py_handoff;
pub mod py_spans;
pub mod py_stdlib;
pub mod python;
pub mod rust;
pub mod rust_callers;

/// What the other modules of the project tell about names a file imports, answered by the project index (a higher
/// layer implements it; the analysis only asks). Names are dotted as the file's imports resolve them
/// (`app.helpers.fetch`, `.pools.io_pool` for a relative import).
pub trait ProjectFacts: std::fmt::Debug + Send + Sync {
    /// Does the project function or method `qualified` start a span, read the context or call an auto-instrumented
    /// client, itself or through the project functions it calls (bounded depth)? `None` when it is not a function
    /// of the project (a library, or a name the index cannot find).
    fn traced_work(&self, qualified: &str) -> Option<bool>;
    /// What the project module global `qualified` (`app.pools.io_pool`) was constructed from, as a dotted name
    /// (`concurrent.futures.ThreadPoolExecutor`).
    fn constructed_from(&self, qualified: &str) -> Option<String>;
    /// Does the project function `qualified` open a span scope for a `with` block (a `@contextmanager` yielding
    /// inside `start_as_current_span`, or one returning such a call)? `None`: not a project function.
    fn opens_span_scope(&self, qualified: &str) -> Option<bool>;
    /// Does the project function `qualified`, run as a message handler, start a span with the current context (or
    /// read the current span) without calling `extract(...)`, itself or through its module's functions it calls?
    /// Followed through re-exports. `None`: not a project function.
    fn py_starts_unextracted(&self, qualified: &str) -> Option<bool> {
        let _ = qualified;
        None
    }
    /// A call, from another file of this Rust file's crate, of its function `name` (a method of the `impl` type
    /// `owner` when given), made inside a span scope there (or in a function a same-file caller calls from one).
    fn rust_traced_caller(&self, name: &str, owner: Option<&str>) -> Option<RemoteCaller> {
        let _ = (name, owner);
        None
    }
    /// A call, from another module of this Python file's package, of its module-level function `name` (or of the
    /// method `name` of its class `class`), made in a span scope or a request/message handler there (or in a
    /// function a same-file scope or handler calls), outside test code.
    fn py_traced_caller(&self, name: &str, class: Option<&str>) -> Option<RemoteCaller> {
        let _ = (name, class);
        None
    }
    /// What the project module that `specifier` names from this JS/TS file (`./mailer`, `@/lib/messaging` through
    /// tsconfig `paths`) exports as `name` (`default` for a default import), followed through re-exports. `None`: not
    /// a project module, or no such export.
    fn js_export(&self, specifier: &str, name: &str) -> Option<JsExport> {
        let _ = (specifier, name);
        None
    }
}

/// What a JS/TS module of the project exports under a name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsExport {
    /// An `async` function (not an async generator): calling it makes a promise.
    pub is_async: bool,
    /// Constructed with `new <class>(..)`: the class's last name, and the module the class was imported from.
    pub constructed: Option<(String, Option<String>)>,
    /// A function that, run as a message handler, starts a span or reads the active context implicitly without
    /// calling `extract(...)` (itself or through its module's functions it calls).
    pub starts_unextracted: bool,
}

/// Where another file calls a function from a span scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCaller {
    /// `src/api.rs:42`, from the crate root.
    pub place: String,
    /// The calling function's name.
    pub caller: String,
    /// Why the call is in a span scope (a [`rust::RustScope`]'s reason).
    pub why: &'static str,
}
