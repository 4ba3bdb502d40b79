//! Per-file facts shared by the rules of one language family, computed once per file on first use.
pub mod js;
pub mod py_handoff;
pub mod py_spans;
pub mod py_stdlib;
pub mod python;
pub mod rust;
