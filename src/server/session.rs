//! The server's state and its answer to each message: documents opened, changed, saved and closed, lints run on the
//! thread pool (a result for a text that moved on is dropped), diagnostics pushed and pulled, code actions, hover,
//! commands, settings and configuration reloads.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crossbeam_channel::Sender;
use gen_lsp_types::{Position, PublishDiagnosticsParams, Uri};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

use super::actions::{self, Target};
use super::capabilities::{self, Client, APPLY_AUTOFIX, PRINT_DEBUG_INFORMATION, SELECT_REASON};
use super::documents::Documents;
use super::encoding::{Encoding, PositionMap};
use super::lint::{lint_document, LintFn, Linted};
use super::settings::ClientSettings;
use crate::finding::Finding;

/// A finished lint, sent back to the main loop.
pub struct LintDone {
    uri: String,
    version: i32,
    ticket: u64,
    linted: Linted,
}

/// The server between `initialized` and `shutdown`.
pub struct Session {
    sender: Sender<Message>,
    done: Sender<LintDone>,
    lint: LintFn,
    pub client: Client,
    pub encoding: Encoding,
    settings: ClientSettings,
    docs: Documents,
    folders: Vec<String>,
    /// The last ticket of each document, shared with the lint jobs: a job whose ticket is not the last one does not run.
    latest: Arc<Mutex<HashMap<String, u64>>>,
    tickets: u64,
    /// `textDocument/diagnostic` requests waiting for their document's lint.
    pulls: Vec<(RequestId, String)>,
    requests: u64,
}

/// `window/logMessage` types.
const ERROR: u8 = 1;
const WARNING: u8 = 2;
const INFO: u8 = 3;

impl Session {
    pub fn new(sender: Sender<Message>, done: Sender<LintDone>, lint: LintFn, params: &Value) -> Session {
        let caps = params.get("capabilities").cloned().unwrap_or(Value::Null);
        let client = Client::from_capabilities(&caps);
        let mut folders: Vec<String> = params
            .get("workspaceFolders")
            .and_then(Value::as_array)
            .map(|fs| fs.iter().filter_map(|f| f.get("uri").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default();
        if folders.is_empty() {
            folders.extend(params.get("rootUri").and_then(Value::as_str).map(str::to_string));
        }
        let mut session = Session {
            sender,
            done,
            lint,
            encoding: client.encoding.unwrap_or(Encoding::Utf16),
            client,
            settings: ClientSettings::default(),
            docs: Documents::default(),
            folders,
            latest: Arc::default(),
            tickets: 0,
            pulls: Vec::new(),
            requests: 0,
        };
        if let Some(options) = params.get("initializationOptions") {
            session.set_settings(options);
        }
        session
    }

    /// After `initialized`: the watcher of the configuration files, when the client lets the server register it.
    pub fn start(&mut self) {
        if self.client.watch_registration {
            self.request("client/registerCapability", capabilities::watcher_registration());
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // the client is gone: the main loop ends when its receiver does
        let _ = self.sender.send(message.into());
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_string(), params));
    }

    fn request(&mut self, method: &str, params: Value) {
        self.requests += 1;
        self.send(Request::new(RequestId::from(format!("ctxlint-{}", self.requests)), method.to_string(), params));
    }

    pub fn log(&self, kind: u8, message: &str) {
        self.notify("window/logMessage", json!({"type": kind, "message": message}));
    }

    /// The directory `untitled:` documents are linted in: the first workspace folder, else the working directory.
    fn root(&self) -> PathBuf {
        self.folders
            .iter()
            .find_map(|f| super::uri::to_path(f))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    // ---- notifications

    pub fn notification(&mut self, n: Notification) {
        let params = &n.params;
        let uri = || params.pointer("/textDocument/uri").and_then(Value::as_str).map(str::to_string);
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let item = &params["textDocument"];
                let (Some(uri), Some(text)) = (item["uri"].as_str(), item["text"].as_str()) else {
                    return self.log(WARNING, "didOpen without a uri and text: ignored");
                };
                let version = version_of(&item["version"]);
                let root = self.root();
                self.docs.open(uri, item["languageId"].as_str().unwrap_or(""), version, text.to_string(), &root);
                self.schedule(uri);
            }
            "textDocument/didChange" => {
                let Some(uri) = uri() else { return self.log(WARNING, "didChange without a uri: ignored") };
                let version = version_of(&params["textDocument"]["version"]);
                // full sync: the last change holds the whole text
                let Some(text) = params["contentChanges"].as_array().and_then(|c| c.last()).and_then(|c| c["text"].as_str()) else {
                    return self.log(WARNING, "didChange without a text: ignored");
                };
                if self.docs.change(&uri, version, text.to_string()).is_some() {
                    self.schedule(&uri);
                }
            }
            "textDocument/didSave" => {
                if let Some(uri) = uri() {
                    self.schedule(&uri);
                }
            }
            "textDocument/didClose" => {
                if let Some(uri) = uri() {
                    self.docs.close(&uri);
                    self.latest.lock().unwrap_or_else(|e| e.into_inner()).remove(&uri);
                    self.publish(&uri, None, Vec::new());
                }
            }
            "workspace/didChangeConfiguration" => self.configuration_changed(&params["settings"]),
            "workspace/didChangeWatchedFiles" => {
                let changed = params["changes"].as_array().into_iter().flatten().filter_map(|c| c["uri"].as_str());
                let configs: Vec<&str> = changed.filter(|u| capabilities::is_config_file(u)).collect();
                if !configs.is_empty() {
                    self.log(INFO, &format!("configuration changed ({}): linting the open documents again", configs.join(", ")));
                    self.relint_all();
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                let event = &params["event"];
                let uris = |key: &str| -> Vec<String> {
                    event[key].as_array().into_iter().flatten().filter_map(|f| f["uri"].as_str().map(str::to_string)).collect()
                };
                let removed = uris("removed");
                self.folders.retain(|f| !removed.contains(f));
                self.folders.extend(uris("added"));
            }
            super::transport::MALFORMED => self.log(ERROR, &format!("ignored a malformed message: {}", n.params.as_str().unwrap_or(""))),
            // `$/cancelRequest`, `$/setTrace`, `initialized` again, and the rest: nothing to do
            _ => {}
        }
    }

    fn configuration_changed(&mut self, settings: &Value) {
        if self.set_settings(settings) {
            self.relint_all();
        }
    }

    /// New settings: `true` when they apply; a wrong one is shown and the old ones stay.
    fn set_settings(&mut self, value: &Value) -> bool {
        let settings = match ClientSettings::from_value(value) {
            Ok(s) => s,
            Err(e) => {
                self.show_error(&e);
                return false;
            }
        };
        if let Err(e) = settings.run_options().config_resolver() {
            self.show_error(&format!("ctxlint settings: {e}"));
            return false;
        }
        self.settings = settings;
        true
    }

    fn show_error(&self, message: &str) {
        self.notify("window/showMessage", json!({"type": ERROR, "message": message}));
        self.log(ERROR, message);
    }

    /// Every open document linted again (settings or configuration changed); pulling clients are told to pull.
    fn relint_all(&mut self) {
        for uri in self.docs.uris() {
            self.schedule(&uri);
        }
        if self.client.pull_diagnostics && self.client.diagnostic_refresh {
            self.request("workspace/diagnostic/refresh", Value::Null);
        }
    }

    // ---- linting

    /// Lints the document's current text on the thread pool.
    fn schedule(&mut self, uri: &str) {
        self.tickets += 1;
        let ticket = self.tickets;
        let options = self.settings.run_options();
        let Some(doc) = self.docs.get_mut(uri) else { return };
        doc.ticket = ticket;
        let Some(path) = doc.path.clone() else {
            // not a file ctxlint reads: nothing to report, ever
            doc.findings = Some((doc.version, Arc::new(Vec::new())));
            return self.answer_pulls(uri);
        };
        self.latest.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.to_string(), ticket);
        let (text, version, latest, done, lint, uri) =
            (doc.text.clone(), doc.version, self.latest.clone(), self.done.clone(), self.lint, uri.to_string());
        rayon::spawn(move || {
            // a newer text (or a close) came while this job waited: skip it
            if latest.lock().unwrap_or_else(|e| e.into_inner()).get(&uri) != Some(&ticket) {
                return;
            }
            let linted = lint_document(lint, &path, &text, &options);
            let _ = done.send(LintDone { uri, version, ticket, linted });
        });
    }

    /// A lint finished: published when it is the document's last one, else dropped.
    pub fn lint_done(&mut self, done: LintDone) {
        let Some(doc) = self.docs.get_mut(&done.uri) else { return };
        if doc.ticket != done.ticket || doc.version != done.version {
            return;
        }
        let findings = Arc::new(done.linted.findings);
        doc.findings = Some((done.version, findings.clone()));
        for problem in &done.linted.problems {
            self.log(ERROR, problem);
        }
        self.publish(&done.uri, Some(done.version), findings.to_vec());
        self.answer_pulls(&done.uri);
    }

    fn diagnostics_of(&self, uri: &str, findings: &[Finding]) -> Vec<gen_lsp_types::Diagnostic> {
        let Some(doc) = self.docs.get(uri) else { return Vec::new() };
        super::diagnostics::diagnostics(findings, uri, &PositionMap::new(&doc.text, self.encoding))
    }

    fn publish(&self, uri: &str, version: Option<i32>, findings: Vec<Finding>) {
        let params = PublishDiagnosticsParams { uri: Uri::from(uri), version, diagnostics: self.diagnostics_of(uri, &findings) };
        self.notify("textDocument/publishDiagnostics", serde_json::to_value(params).unwrap_or(Value::Null));
    }

    fn answer_pulls(&mut self, uri: &str) {
        let Some(findings) = self.docs.get(uri).and_then(|d| d.current_findings()) else { return };
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pulls).into_iter().partition(|(_, u)| u == uri);
        self.pulls = waiting;
        for (id, _) in ready {
            let items = self.diagnostics_of(uri, &findings);
            self.send(Response::new_ok(id, json!({"kind": "full", "items": items})));
        }
    }

    /// The findings of the document's current text: the last lint's, or a lint now (when a code action or hover
    /// comes before the lint of the last change finished).
    fn findings_now(&mut self, uri: &str) -> Option<Arc<Vec<Finding>>> {
        let doc = self.docs.get_mut(uri)?;
        if let Some(findings) = doc.current_findings() {
            return Some(findings);
        }
        let path = doc.path.clone()?;
        let linted = lint_document(self.lint, &path, &doc.text, &self.settings.run_options());
        let findings = Arc::new(linted.findings);
        doc.findings = Some((doc.version, findings.clone()));
        Some(findings)
    }

    // ---- requests

    pub fn request_in(&mut self, req: Request) {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/diagnostic" => return self.pull(req),
            "textDocument/codeAction" => self.code_action(&req.params),
            "textDocument/hover" => self.hover(&req.params),
            "workspace/executeCommand" => self.execute(&req.params),
            "initialize" => Err((ErrorCode::InvalidRequest, "initialize was already received".to_string())),
            method => Err((ErrorCode::MethodNotFound, format!("ctxlint does not handle {method}"))),
        };
        self.send(match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        });
    }

    fn pull(&mut self, req: Request) {
        let Some(uri) = req.params.pointer("/textDocument/uri").and_then(Value::as_str).map(str::to_string) else {
            return self.send(Response::new_err(req.id, ErrorCode::InvalidParams as i32, "no textDocument.uri".to_string()));
        };
        if self.docs.get(&uri).is_none() {
            return self.send(Response::new_ok(req.id, json!({"kind": "full", "items": []})));
        }
        self.pulls.push((req.id, uri.clone()));
        self.answer_pulls(&uri);
    }

    fn code_action(&mut self, params: &Value) -> Result<Value, (ErrorCode, String)> {
        let uri = text_document(params)?;
        let Some(findings) = self.findings_now(&uri) else { return Ok(json!([])) };
        let Some(doc) = self.docs.get(&uri) else { return Ok(json!([])) };
        let Some(path) = &doc.path else { return Ok(json!([])) };
        let map = PositionMap::new(&doc.text, self.encoding);
        // the whole lines of the range: editors ask at the cursor, which may be left of the finding
        let line = |key: &str| params["range"][key]["line"].as_u64().and_then(|l| u32::try_from(l).ok()).unwrap_or(0);
        let range =
            map.offset(Position { line: line("start"), character: 0 })..map.offset(Position { line: line("end"), character: u32::MAX });
        let only: Option<Vec<String>> = params
            .pointer("/context/only")
            .and_then(Value::as_array)
            .map(|o| o.iter().filter_map(|k| k.as_str().map(str::to_string)).collect());
        let target = Target { uri: &uri, version: doc.version, text: &doc.text, path, map: &map };
        Ok(Value::Array(actions::code_actions(&target, &findings, range, only.as_deref(), &self.settings, &self.client)))
    }

    fn hover(&mut self, params: &Value) -> Result<Value, (ErrorCode, String)> {
        let uri = text_document(params)?;
        let at = position(&params["position"]).ok_or((ErrorCode::InvalidParams, "no position".to_string()))?;
        let Some(findings) = self.findings_now(&uri) else { return Ok(Value::Null) };
        let Some(doc) = self.docs.get(&uri) else { return Ok(Value::Null) };
        let map = PositionMap::new(&doc.text, self.encoding);
        Ok(super::hover::hover(&doc.text, &findings, map.offset(at), &map).unwrap_or(Value::Null))
    }

    fn execute(&mut self, params: &Value) -> Result<Value, (ErrorCode, String)> {
        let argument = &params["arguments"][0];
        match params["command"].as_str().unwrap_or("") {
            APPLY_AUTOFIX => {
                let uri = argument.as_str().or_else(|| argument["uri"].as_str()).ok_or((ErrorCode::InvalidParams, "no uri".to_string()))?;
                let doc = self.docs.get(uri).ok_or((ErrorCode::InvalidParams, format!("{uri} is not open")))?;
                let Some(path) = &doc.path else { return Ok(Value::Null) };
                let map = PositionMap::new(&doc.text, self.encoding);
                match actions::fix_all(path, &doc.text, &self.settings, &map) {
                    Ok(Some(_)) if !self.client.apply_edit => {
                        return Err((ErrorCode::RequestFailed, "the client cannot apply edits (workspace.applyEdit)".to_string()))
                    }
                    Ok(Some(edit)) => {
                        let edit = json!({"label": "ctxlint: fix all", "edit": {"changes": {uri: [edit]}}});
                        self.request("workspace/applyEdit", edit);
                    }
                    Ok(None) => {}
                    Err(e) => return Err((ErrorCode::RequestFailed, e)),
                }
                Ok(Value::Null)
            }
            PRINT_DEBUG_INFORMATION => {
                let text = super::commands::debug_information(&self.docs, &self.settings, self.encoding, &self.folders);
                self.log(INFO, &text);
                Ok(Value::String(text))
            }
            SELECT_REASON => {
                if self.client.show_document {
                    self.request("window/showDocument", json!({"uri": argument["uri"], "takeFocus": true, "selection": argument["range"]}));
                }
                Ok(Value::Null)
            }
            other => Err((ErrorCode::InvalidParams, format!("unknown command {other}"))),
        }
    }
}

fn version_of(value: &Value) -> i32 {
    value.as_i64().and_then(|v| i32::try_from(v).ok()).unwrap_or(0)
}

fn text_document(params: &Value) -> Result<String, (ErrorCode, String)> {
    params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or((ErrorCode::InvalidParams, "no textDocument.uri".to_string()))
}

fn position(value: &Value) -> Option<Position> {
    Some(Position { line: u32::try_from(value["line"].as_u64()?).ok()?, character: u32::try_from(value["character"].as_u64()?).ok()? })
}
