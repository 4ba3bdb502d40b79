//! The rules' checks: the part of a rule that a tree-sitter query cannot say (negation, data flow, "inside a
//! try/finally that detaches"). The query finds candidates, the check decides. Each rule's check is the file
//! `<lang>_<name>.rs` here, found by build.rs from the rule files; the other modules are helpers they share.
use crate::check_api::CheckDef;

mod js_common;
mod js_messaging;
mod py_common;
mod py_executor_fix;
mod rs_closure_carry;
mod shown;

include!(concat!(env!("OUT_DIR"), "/checks.rs"));
