//! What the server offers (`initialize`'s result) and what the client can do (read from its capabilities as JSON, so
//! that a client sending a field of an unexpected shape still gets a server).
use serde_json::{json, Value};

use super::encoding::Encoding;

/// The code action kind of the fix-all action (VS Code: `"editor.codeActionsOnSave": {"source.fixAll.ctxlint": ...}`).
pub const FIX_ALL_KIND: &str = "source.fixAll.ctxlint";
pub const APPLY_AUTOFIX: &str = "ctxlint.applyAutofix";
pub const PRINT_DEBUG_INFORMATION: &str = "ctxlint.printDebugInformation";
/// Selects the reason of a suppression comment just inserted (run by the client after the code action's edit).
pub const SELECT_REASON: &str = "ctxlint.selectReason";

/// The configuration files whose change re-lints every open document.
pub const CONFIG_FILES: [&str; 4] = ["ctxlint.toml", ".ctxlint.toml", "pyproject.toml", "package.json"];

/// What the client said it can do.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub encoding: Option<Encoding>,
    /// `textDocument.diagnostic`: it pulls diagnostics.
    pub pull_diagnostics: bool,
    /// `workspace.diagnostics.refreshSupport`.
    pub diagnostic_refresh: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`.
    pub watch_registration: bool,
    /// `workspace.workspaceEdit.snippetEditSupport` (LSP 3.18): a `SnippetTextEdit` can select the reason.
    pub snippet_edits: bool,
    /// `window.showDocument.support`: the reason can be selected after the edit instead.
    pub show_document: bool,
    /// `workspace.applyEdit`.
    pub apply_edit: bool,
}

impl Client {
    pub fn from_capabilities(caps: &Value) -> Client {
        let yes = |pointer: &str| caps.pointer(pointer).and_then(Value::as_bool).unwrap_or(false);
        Client {
            encoding: Some(Encoding::negotiate(caps)),
            pull_diagnostics: caps.pointer("/textDocument/diagnostic").is_some_and(Value::is_object),
            diagnostic_refresh: yes("/workspace/diagnostics/refreshSupport"),
            watch_registration: yes("/workspace/didChangeWatchedFiles/dynamicRegistration"),
            snippet_edits: yes("/workspace/workspaceEdit/snippetEditSupport"),
            show_document: yes("/window/showDocument/support"),
            apply_edit: yes("/workspace/applyEdit"),
        }
    }
}

/// The `initialize` result.
pub fn initialize_result(client: &Client, encoding: Encoding) -> Value {
    let mut caps = json!({
        "positionEncoding": encoding.name(),
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
        "codeActionProvider": {"codeActionKinds": ["quickfix", FIX_ALL_KIND], "resolveProvider": false},
        "hoverProvider": true,
        "executeCommandProvider": {"commands": [APPLY_AUTOFIX, PRINT_DEBUG_INFORMATION, SELECT_REASON]},
        "workspace": {"workspaceFolders": {"supported": true, "changeNotifications": true}},
    });
    if client.pull_diagnostics {
        caps["diagnosticProvider"] = json!({"identifier": "ctxlint", "interFileDependencies": false, "workspaceDiagnostics": false});
    }
    json!({"capabilities": caps, "serverInfo": {"name": "ctxlint", "version": env!("CARGO_PKG_VERSION")}})
}

/// The `client/registerCapability` params of the watcher of [`CONFIG_FILES`].
pub fn watcher_registration() -> Value {
    let watchers: Vec<Value> = CONFIG_FILES.iter().map(|name| json!({"globPattern": format!("**/{name}")})).collect();
    json!({"registrations": [{
        "id": "ctxlint-config-files",
        "method": "workspace/didChangeWatchedFiles",
        "registerOptions": {"watchers": watchers},
    }]})
}

/// Is the changed file at `uri` one of [`CONFIG_FILES`]?
pub fn is_config_file(uri: &str) -> bool {
    let name = uri.rsplit('/').next().unwrap_or(uri);
    CONFIG_FILES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_read_leniently() {
        let caps = json!({"textDocument": {"diagnostic": {}}, "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "diagnostics": "odd"}});
        let client = Client::from_capabilities(&caps);
        assert!(client.pull_diagnostics && client.watch_registration && !client.diagnostic_refresh);
        assert!(initialize_result(&client, Encoding::Utf16)["capabilities"]["diagnosticProvider"].is_object());
        assert!(initialize_result(&Client::default(), Encoding::Utf16)["capabilities"].get("diagnosticProvider").is_none());
        assert!(is_config_file("file:///w/sub/pyproject.toml") && !is_config_file("file:///w/a.py"));
    }
}
