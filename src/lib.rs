//! ctxlint: finds the code patterns that lose or leak the OpenTelemetry / `tracing` context at async boundaries.
//!
//! The pipeline runs one way: walk → detect language → read → parse → run rules → findings → sort → render.
//! [`run::lint_paths`] and [`run::lint_text`] are the entry points for the CLI, editors and tests.
pub mod add_ignore;
pub mod analysis;
pub mod check_api;
pub mod checks;
pub mod cli;
pub mod comment_lines;
pub mod config;
pub mod docs;
pub mod engine;
pub mod expectations;
pub mod file_cx;
pub mod files;
pub mod finding;
pub mod fix;
pub mod jsmodel;
pub mod lang;
pub mod nearest;
pub mod output;
pub mod position;
pub mod prefilter;
pub mod project;
pub mod pymodel;
pub mod registry;
pub mod report;
pub mod run;
pub mod server;
pub mod signals;
pub mod size;
pub mod suppress;
pub mod syntax;
pub mod template;
pub mod walk;
