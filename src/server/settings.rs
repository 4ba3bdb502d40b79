//! The client's settings (`initializationOptions`, `workspace/didChangeConfiguration`) and the run options they give.
use serde::Deserialize;

use crate::fix::apply::Policy;
use crate::jsmodel::JsModelChoice;
use crate::report::FixOptions;
use crate::run::RunOptions;

/// What an editor may set; every field is optional, and the configuration files apply beneath it as on the command
/// line (`select` replaces the files' `select`, as `--select` does).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientSettings {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    /// `--js-context-manager`.
    #[serde(alias = "context-manager", alias = "jsContextManager")]
    pub context_manager: Option<JsModelChoice>,
    /// `--unsafe-fixes`: the fix-all action and `ctxlint.applyAutofix` apply the unsafe fixes too.
    #[serde(alias = "unsafe-fixes")]
    pub unsafe_fixes: bool,
    /// `--require-reason`.
    pub require_reason: bool,
    /// `--no-project`.
    pub no_project: bool,
}

impl ClientSettings {
    /// The settings of a `didChangeConfiguration` or `initializationOptions` payload: either the settings themselves
    /// or `{"ctxlint": {...}}`; `Err` names what is wrong.
    pub fn from_value(value: &serde_json::Value) -> Result<ClientSettings, String> {
        let value = value.get("ctxlint").unwrap_or(value);
        if value.is_null() {
            return Ok(ClientSettings::default());
        }
        ClientSettings::deserialize(value).map_err(|e| format!("ctxlint settings: {e}"))
    }

    /// The run options of a lint: these settings over the configuration files.
    pub fn run_options(&self) -> RunOptions {
        let mut options = RunOptions {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            extend_select: self.extend_select.clone(),
            js_model: self.context_manager.unwrap_or_default(),
            no_project: self.no_project,
            ..RunOptions::default()
        };
        options.engine.require_reason = self.require_reason;
        options
    }

    /// The run options of a fix-all: what `--fix` (with `--unsafe-fixes` when set) does.
    pub fn fix_options(&self) -> RunOptions {
        RunOptions { fix: FixOptions { apply: true, policy: self.policy() }, ..self.run_options() }
    }

    pub fn policy(&self) -> Policy {
        Policy { unsafe_fixes: self.unsafe_fixes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_nested_or_not_and_their_errors() {
        let nested = serde_json::json!({"ctxlint": {"select": ["py/"], "contextManager": "stack", "unsafeFixes": true}});
        let s = ClientSettings::from_value(&nested).expect("valid");
        assert_eq!(s.select.as_deref(), Some(&["py/".to_string()][..]));
        assert_eq!(s.run_options().js_model, JsModelChoice::Stack);
        assert!(s.fix_options().fix.apply && s.fix_options().fix.policy.unsafe_fixes);
        let flat = serde_json::json!({"context-manager": "zone"});
        assert_eq!(ClientSettings::from_value(&flat).expect("valid").context_manager, Some(JsModelChoice::Zone));
        assert_eq!(ClientSettings::from_value(&serde_json::Value::Null), Ok(ClientSettings::default()));
        assert!(ClientSettings::from_value(&serde_json::json!({"contextManager": "nope"})).is_err());
    }
}
