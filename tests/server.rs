//! `ctxlint server` in-process over `Connection::memory()`: the JSON messages of the protocol (snapshots of
//! initialize, diagnostics, code actions, fix-all, hover, config reload, encoding negotiation) and its robustness
//! (malformed messages, unknown methods, a 20 MB document, 100 rapid edits, files outside the workspace, a deleted
//! config file, a panicking rule): the server answers or ignores, and never exits before `exit`.
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ctxlint::finding::Finding;
use ctxlint::run::RunOptions;
use ctxlint::server::{self, LintFn};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(60);

/// A client talking to a server thread.
struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// Messages received while waiting for another one.
    inbox: Vec<Message>,
    /// The temporary directory, replaced by `<ws>` in snapshots.
    root: PathBuf,
}

impl Client {
    fn start(root: &Path, capabilities: Value, options: Option<Value>) -> (Client, Value) {
        Client::start_with(root, capabilities, options, ctxlint::run::lint_text)
    }

    fn start_with(root: &Path, capabilities: Value, options: Option<Value>, lint: LintFn) -> (Client, Value) {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || server::serve(server_side, lint));
        let mut client = Client { conn: client_side, server: Some(server), next: 0, inbox: Vec::new(), root: root.to_path_buf() };
        let mut params = json!({"processId": null, "rootUri": uri(root), "capabilities": capabilities,
            "workspaceFolders": [{"uri": uri(root), "name": "ws"}]});
        if let Some(options) = options {
            params["initializationOptions"] = options;
        }
        let result = client.request("initialize", params);
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&self, message: Message) {
        self.conn.sender.send(message).expect("the server is running");
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_string(), params).into());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        match response.response_result {
            Ok(result) => result,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    fn request_raw(&mut self, method: &str, params: Value) -> Response {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.send(Request::new(id.clone(), method.to_string(), params).into());
        match self.wait(|m| matches!(m, Message::Response(r) if r.id == id)) {
            Message::Response(r) => r,
            _ => unreachable!(),
        }
    }

    /// The first message (received before or now) that `wanted` takes.
    fn wait(&mut self, wanted: impl Fn(&Message) -> bool) -> Message {
        if let Some(at) = self.inbox.iter().position(&wanted) {
            return self.inbox.remove(at);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.conn.receiver.recv_timeout(left).unwrap_or_else(|_| panic!("no such message; received: {:#?}", self.inbox));
            if wanted(&message) {
                return message;
            }
            self.inbox.push(message);
        }
    }

    fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        match self.wait(|m| matches!(m, Message::Notification(n) if n.method == method && pred(&n.params))) {
            Message::Notification(n) => n.params,
            _ => unreachable!(),
        }
    }

    /// The diagnostics published for `path` at `version` (`None`: a close's, which has no version).
    fn diagnostics(&mut self, path: &Path, version: Option<i64>) -> Value {
        let uri = uri(path);
        self.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri && p["version"].as_i64() == version)
    }

    fn open(&self, path: &Path, text: &str) {
        let language = match path.extension().and_then(|e| e.to_str()) {
            Some("py") => "python",
            Some("ts") => "typescript",
            _ => "javascript",
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&self, path: &Path, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The server still answers, then shuts down and exits cleanly.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().expect("running");
        assert_eq!(server.join().expect("no panic"), Ok(()));
    }

    /// `value` pretty-printed with the temporary directory as `<ws>`.
    fn shown(&self, value: &Value) -> String {
        let text = serde_json::to_string_pretty(value).expect("json");
        text.replace(&uri(&self.root), "file://<ws>").replace(&self.root.display().to_string(), "<ws>")
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn workspace() -> TempDir {
    // canonical: the URIs the server sends back are the ones it was given, and `/tmp` may be a link
    let dir = TempDir::new().expect("tmp");
    let canonical = dir.path().canonicalize().expect("canonical");
    assert_eq!(canonical, dir.path(), "the temporary directory is a symbolic link");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const VSCODE_LIKE: &str = r#"{"general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"diagnostic": {"dynamicRegistration": true}, "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}}},
    "workspace": {"applyEdit": true, "didChangeWatchedFiles": {"dynamicRegistration": true}, "diagnostics": {"refreshSupport": true}},
    "window": {"showDocument": {"support": true}}}"#;

fn vscode() -> Value {
    serde_json::from_str(VSCODE_LIKE).expect("json")
}

const DANGLING: &str = "import asyncio\n\nasync def handle():\n    asyncio.create_task(work())\n";
const ATTACH: &str = "from opentelemetry import context\n\ndef consume(message):\n    token = context.attach(message)\n    process(message)\n    context.detach(token)\n";

#[test]
fn initialize_offers_the_features_and_negotiates_the_encoding() {
    let dir = workspace();
    let (client, result) = Client::start(dir.path(), vscode(), None);
    insta::assert_snapshot!("initialize_vscode", client.shown(&result));
    client.shutdown();
    let (client, result) = Client::start(dir.path(), json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}), None);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert!(result["capabilities"].get("diagnosticProvider").is_none(), "no pull without the client's offer");
    client.shutdown();
}

#[test]
fn diagnostics_carry_code_docs_source_labels_and_severity_and_close_clears_them() {
    let dir = workspace();
    // the configuration's severity applies
    write(dir.path(), "ctxlint.toml", "[severity]\n\"py/attach-without-detach\" = \"warning\"\n");
    let file = write(dir.path(), "consumer.py", ATTACH);
    let (mut client, _) = Client::start(dir.path(), json!({}), None);
    client.open(&file, ATTACH);
    let published = client.diagnostics(&file, Some(1));
    insta::assert_snapshot!("diagnostics_attach", client.shown(&published));
    assert_eq!(published["diagnostics"][0]["severity"], 2);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&file)}}));
    assert_eq!(client.diagnostics(&file, None)["diagnostics"], json!([]));
    client.shutdown();
}

/// An emoji (two UTF-16 units, four UTF-8 bytes) before the finding on its line: the columns differ by encoding.
#[test]
fn an_emoji_before_a_finding_in_each_encoding() {
    let dir = workspace();
    let text = "import asyncio\n\nasync def handle():\n    print(\"😀\"); asyncio.create_task(work())\n";
    let file = write(dir.path(), "emoji.py", text);
    let mut ranges = Vec::new();
    for encodings in [json!(["utf-16"]), json!(["utf-8"])] {
        let (mut client, _) = Client::start(dir.path(), json!({"general": {"positionEncodings": encodings}}), None);
        client.open(&file, text);
        ranges.push(client.diagnostics(&file, Some(1))["diagnostics"][0]["range"].clone());
        client.shutdown();
    }
    // `    print("😀"); ` is 17 UTF-16 units and 19 bytes
    assert_eq!(ranges[0], json!({"start": {"line": 3, "character": 17}, "end": {"line": 3, "character": 36}}));
    assert_eq!(ranges[1], json!({"start": {"line": 3, "character": 19}, "end": {"line": 3, "character": 38}}));
    insta::assert_snapshot!("emoji_ranges", serde_json::to_string_pretty(&ranges).expect("json"));
}

fn code_actions(client: &mut Client, file: &Path, line: u32, only: Option<Value>) -> Value {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = only;
    }
    let range = json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}});
    client.request("textDocument/codeAction", json!({"textDocument": {"uri": uri(file)}, "range": range, "context": context}))
}

/// Applies a `changes` workspace edit (non-overlapping edits, UTF-16 positions, `\n` lines) to `text`.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().expect("line") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &text[start..];
        let mut units = 0;
        for (at, c) in rest.char_indices() {
            if units >= p["character"].as_u64().expect("character") as usize || c == '\n' {
                return start + at;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<&Value> = edits.as_array().expect("edits").iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(offset(&e["range"]["start"])..offset(&e["range"]["end"]), e["newText"].as_str().expect("text"));
    }
    out
}

#[test]
fn code_actions_safe_fix_preferred_ignore_comment_and_no_display_only_edit() {
    let dir = workspace();
    let file = write(dir.path(), "consumer.py", ATTACH);
    let (mut client, _) = Client::start(dir.path(), json!({}), None);
    client.open(&file, ATTACH);
    client.diagnostics(&file, Some(1));
    let actions = code_actions(&mut client, &file, 3, Some(json!(["quickfix"])));
    insta::assert_snapshot!("code_actions_attach", client.shown(&actions));
    assert_eq!(actions[0]["isPreferred"], true);
    let uri = uri(&file);
    let ignored = apply(ATTACH, &actions[1]["edit"]["changes"][&uri]);
    assert!(ignored.contains("    # ctxlint-ignore[py/attach-without-detach]: reason\n    token ="), "{ignored}");
    // the comment silences the finding
    client.change(&file, 2, &ignored);
    assert_eq!(client.diagnostics(&file, Some(2))["diagnostics"], json!([]));
    // a display-only fix (py/dangling-task) is not an edit: only the ignore action
    let dangling = write(dir.path(), "dangling.py", DANGLING);
    client.open(&dangling, DANGLING);
    client.diagnostics(&dangling, Some(1));
    let actions = code_actions(&mut client, &dangling, 3, None);
    let titles: Vec<&str> = actions.as_array().expect("actions").iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(titles, ["ctxlint: ignore `py/dangling-task` on this line"]);
    client.shutdown();
}

#[test]
fn an_unsafe_fix_is_labelled_and_not_preferred_and_a_snippet_selects_the_reason() {
    let dir = workspace();
    let fixture = Path::new("tests/fixtures/js/floating-promise/node");
    std::fs::copy(fixture.join("package.json"), dir.path().join("package.json")).expect("copy");
    let text = std::fs::read_to_string(fixture.join("bad.ts")).expect("fixture");
    let file = write(dir.path(), "bad.ts", &text);
    let caps = json!({"workspace": {"workspaceEdit": {"snippetEditSupport": true}}});
    let (mut client, _) = Client::start(dir.path(), caps, None);
    client.open(&file, &text);
    let published = client.diagnostics(&file, Some(1));
    let line = published["diagnostics"][0]["range"]["start"]["line"].as_u64().expect("a finding") as u32;
    let actions = code_actions(&mut client, &file, line, Some(json!(["quickfix"])));
    let fix = &actions[0];
    assert!(fix["title"].as_str().is_some_and(|t| t.ends_with("(unsafe fix)")), "{fix}");
    assert_eq!(fix["isPreferred"], false);
    let snippet = &actions[1]["edit"]["documentChanges"][0]["edits"][0]["snippet"];
    assert_eq!(snippet["kind"], "snippet");
    assert!(snippet["value"].as_str().is_some_and(|v| v.contains("ctxlint-ignore[js/floating-promise]: ${1:reason}")), "{snippet}");
    // fix-all applies safe fixes only: none here
    assert_eq!(code_actions(&mut client, &file, line, Some(json!(["source.fixAll.ctxlint"]))), json!([]));
    client.shutdown();
}

/// `source.fixAll.ctxlint` makes what `ctxlint --fix` makes of the text; with `unsafeFixes`, what `--fix
/// --unsafe-fixes` makes: the fixture's `.fixed` file.
#[test]
fn fix_all_gives_what_fix_gives() {
    let dir = workspace();
    let fixture = Path::new("tests/fixtures/py/attach-without-detach");
    let text = std::fs::read_to_string(fixture.join("bad.py")).expect("fixture");
    let file = write(dir.path(), "bad.py", &text);
    let cli = assert_cmd::Command::cargo_bin("ctxlint")
        .expect("the binary")
        .current_dir(dir.path())
        .args(["--fix", "--stdin-filename", "bad.py", "-"])
        .write_stdin(text.clone())
        .output()
        .expect("runs");
    let fixed_by_cli = String::from_utf8(cli.stdout).expect("utf-8");
    assert_ne!(fixed_by_cli, text);
    let (mut client, _) = Client::start(dir.path(), vscode(), None);
    client.open(&file, &text);
    client.diagnostics(&file, Some(1));
    let actions = code_actions(&mut client, &file, 0, Some(json!(["source.fixAll"])));
    assert_eq!(actions.as_array().map(Vec::len), Some(1), "{actions}");
    insta::assert_snapshot!("fix_all", client.shown(&actions));
    assert_eq!(apply(&text, &actions[0]["edit"]["changes"][&uri(&file)]), fixed_by_cli);
    // the command sends the same edit to the client
    let args = json!({"command": "ctxlint.applyAutofix", "arguments": [{"uri": uri(&file), "version": 1}]});
    assert_eq!(client.request("workspace/executeCommand", args.clone()), Value::Null);
    let Message::Request(apply_edit) = client.wait(|m| matches!(m, Message::Request(r) if r.method == "workspace/applyEdit")) else {
        unreachable!()
    };
    assert_eq!(apply(&text, &apply_edit.params["edit"]["changes"][&uri(&file)]), fixed_by_cli);
    // unsafe fixes too, when the settings say so
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"unsafeFixes": true}}));
    client.diagnostics(&file, Some(1));
    let actions = code_actions(&mut client, &file, 0, Some(json!(["source.fixAll.ctxlint"])));
    assert_eq!(actions[0]["title"], "ctxlint: fix all (safe and unsafe fixes)");
    let fixed = std::fs::read_to_string(fixture.join("bad.fixed.py")).expect("fixture");
    assert_eq!(apply(&text, &actions[0]["edit"]["changes"][&uri(&file)]), fixed);
    client.shutdown();
}

#[test]
fn hover_on_a_diagnostic_and_on_a_suppressed_rule_id() {
    let dir = workspace();
    let text = "import asyncio\n\nasync def handle():\n    asyncio.create_task(work())\n    # ctxlint-ignore[py/attach-without-detach]: legacy\n    x = 1\n";
    let file = write(dir.path(), "h.py", text);
    let (mut client, _) = Client::start(dir.path(), json!({}), None);
    client.open(&file, text);
    client.diagnostics(&file, Some(1));
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri(&file)}, "position": {"line": line, "character": character}});
    let hover = client.request("textDocument/hover", at(3, 10));
    insta::assert_snapshot!("hover_diagnostic", client.shown(&hover));
    let on_id = client.request("textDocument/hover", at(4, 25));
    assert!(on_id["contents"]["value"].as_str().is_some_and(|v| v.starts_with("**py/attach-without-detach**")), "{on_id}");
    assert_eq!(on_id["range"], json!({"start": {"line": 4, "character": 21}, "end": {"line": 4, "character": 45}}));
    assert_eq!(client.request("textDocument/hover", at(5, 4)), Value::Null);
    client.shutdown();
}

/// A config file written, then deleted: each change re-lints the open documents; the watcher was registered, and the
/// pulling client is told to pull again.
#[test]
fn config_reload_on_watched_files_and_a_deleted_config() {
    let dir = workspace();
    let file = write(dir.path(), "dangling.py", DANGLING);
    let (mut client, _) = Client::start(dir.path(), vscode(), None);
    let Message::Request(registration) = client.wait(|m| matches!(m, Message::Request(r) if r.method == "client/registerCapability"))
    else {
        unreachable!()
    };
    insta::assert_snapshot!("watcher_registration", client.shown(&registration.params));
    client.open(&file, DANGLING);
    assert_eq!(client.diagnostics(&file, Some(1))["diagnostics"].as_array().map(Vec::len), Some(1));
    let config = write(dir.path(), "ctxlint.toml", "ignore = [\"py/dangling-task\"]\n");
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&config), "type": 1}]}));
    let reloaded = client.diagnostics(&file, Some(1));
    insta::assert_snapshot!("config_reload", client.shown(&reloaded));
    assert_eq!(reloaded["diagnostics"], json!([]));
    client.wait(|m| matches!(m, Message::Request(r) if r.method == "workspace/diagnostic/refresh"));
    let pulled = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&file)}}));
    assert_eq!(pulled, json!({"kind": "full", "items": []}));
    std::fs::remove_file(&config).expect("rm");
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&config), "type": 3}]}));
    assert_eq!(client.diagnostics(&file, Some(1))["diagnostics"].as_array().map(Vec::len), Some(1));
    let pulled = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&file)}}));
    assert_eq!(pulled["items"][0]["code"], "py/dangling-task");
    client.shutdown();
}

#[test]
fn settings_from_initialization_options_and_did_change_configuration() {
    let dir = workspace();
    let file = write(dir.path(), "dangling.py", DANGLING);
    let (mut client, _) = Client::start(dir.path(), json!({}), Some(json!({"ignore": ["py/dangling-task"]})));
    client.open(&file, DANGLING);
    assert_eq!(client.diagnostics(&file, Some(1))["diagnostics"], json!([]));
    // a wrong setting is shown, and the settings stay
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"ctxlint": {"select": ["py/no-such-rule"]}}}));
    let shown = client.notification("window/showMessage", |_| true);
    assert!(shown["message"].as_str().is_some_and(|m| m.contains("py/no-such-rule")), "{shown}");
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"ctxlint": {"select": ["py/"]}}}));
    assert_eq!(client.diagnostics(&file, Some(1))["diagnostics"][0]["code"], "py/dangling-task");
    let info = client.request("workspace/executeCommand", json!({"command": "ctxlint.printDebugInformation"}));
    let info = client.shown(&info);
    for wanted in [
        "ctxlint 0.1.0",
        "position encoding: utf-16",
        "select: Some([\\\"py/\\\"])",
        "linted as: <ws>/dangling.py",
        "configuration: defaults",
    ] {
        assert!(info.contains(wanted), "{wanted} not in {info}");
    }
    client.shutdown();
}

#[test]
fn unknown_methods_bad_params_and_unopened_documents_are_answered_or_ignored() {
    let dir = workspace();
    let (mut client, _) = Client::start(dir.path(), json!({}), None);
    assert_eq!(client.request_raw("textDocument/formatting", json!({})).response_result.err().map(|e| e.code), Some(-32601));
    assert_eq!(client.request_raw("textDocument/hover", json!({"nonsense": true})).response_result.err().map(|e| e.code), Some(-32602));
    assert_eq!(
        client.request_raw("workspace/executeCommand", json!({"command": "nope"})).response_result.err().map(|e| e.code),
        Some(-32602)
    );
    client.notify("textDocument/didOpen", json!({"textDocument": 42}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.py", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    client.notify("no/such/notification", json!([1, 2]));
    assert_eq!(
        client.request("textDocument/codeAction", json!({"textDocument": {"uri": "file:///nowhere.py"}, "range": {}, "context": {}})),
        json!([])
    );
    client.shutdown();
}

/// Bytes that are not JSON-RPC, through the real framing: logged or answered, and the next request is answered.
#[test]
fn malformed_json_rpc_through_the_transport() {
    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }
    let input = [
        frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame("{not json"),
        "garbage without a header\r\n\r\n".to_string(),
        "Content-Length: 99999999999999999\r\n\r\n".to_string(),
        frame(r#"{"jsonrpc":"2.0","id":2,"params":{}}"#),
        frame(r#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.py"},"position":{"line":0,"character":0}}}"#),
        frame(r#"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let out = Shared::default();
    let (conn, threads) = server::transport::spawn(std::io::Cursor::new(input.into_bytes()), out.clone());
    assert_eq!(server::serve(conn, ctxlint::run::lint_text), Ok(()));
    threads.join().expect("written");
    let written = String::from_utf8(out.0.lock().expect("lock").clone()).expect("utf-8");
    let mut messages: Vec<Value> = Vec::new();
    let mut rest = written.as_str();
    while let Some(header) = rest.strip_prefix("Content-Length: ") {
        let (length, body) = header.split_once("\r\n\r\n").expect("a header");
        let length: usize = length.parse().expect("a length");
        messages.push(serde_json::from_str(&body[..length]).expect("json"));
        rest = &body[length..];
    }
    assert!(rest.is_empty(), "not framed: {rest:?}");
    let malformed: Vec<&str> =
        messages.iter().filter(|m| m["method"] == "window/logMessage").filter_map(|m| m["params"]["message"].as_str()).collect();
    assert_eq!(malformed.len(), 3, "{malformed:?}");
    assert!(malformed[0].contains("not JSON") && malformed[1].contains("malformed header") && malformed[2].contains("bad Content-Length"));
    let answers: Vec<(i64, bool)> = messages.iter().filter_map(|m| Some((m["id"].as_i64()?, m.get("error").is_some()))).collect();
    assert_eq!(answers, [(1, false), (2, true), (3, false), (4, false)]);
}

#[test]
fn a_20_mb_document_is_linted_and_the_server_answers_meanwhile() {
    let dir = workspace();
    let text = format!("DATA = \"{}\"\n{DANGLING}", "a".repeat(20_000_000));
    let file = write(dir.path(), "big.py", "");
    let (mut client, _) = Client::start(dir.path(), json!({}), None);
    client.open(&file, &text);
    // answered while the lint runs on the pool
    let small = write(dir.path(), "small.py", DANGLING);
    client.open(&small, DANGLING);
    assert_eq!(client.diagnostics(&small, Some(1))["diagnostics"][0]["code"], "py/dangling-task");
    let big = client.diagnostics(&file, Some(1));
    assert_eq!(big["diagnostics"][0]["range"]["start"], json!({"line": 4, "character": 4}));
    client.shutdown();
}

/// 100 edits sent at once: results of texts that moved on are dropped, so the versions published only go up, and the
/// last text's diagnostics come.
#[test]
fn a_hundred_rapid_edits_publish_the_last_text() {
    let dir = workspace();
    let file = write(dir.path(), "edit.py", "");
    let (mut client, _) = Client::start(dir.path(), json!({}), None);
    client.open(&file, "");
    for version in 2..=101 {
        let text = format!("{}{DANGLING}", "\n".repeat(version as usize));
        client.change(&file, version, &text);
    }
    let last = client.diagnostics(&file, Some(101));
    assert_eq!(last["diagnostics"][0]["range"]["start"]["line"], 104);
    let versions: Vec<i64> = client
        .inbox
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => n.params["version"].as_i64(),
            _ => None,
        })
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    client.shutdown();
}

#[test]
fn a_file_outside_every_workspace_folder_and_an_untitled_buffer() {
    let (ws, outside) = (workspace(), workspace());
    let file = write(outside.path(), "elsewhere.py", DANGLING);
    let (mut client, _) = Client::start(ws.path(), json!({}), None);
    client.open(&file, DANGLING);
    assert_eq!(client.diagnostics(&file, Some(1))["diagnostics"][0]["code"], "py/dangling-task");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "python", "version": 1, "text": DANGLING}}),
    );
    let untitled = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == "untitled:Untitled-1");
    assert_eq!(untitled["diagnostics"][0]["code"], "py/dangling-task");
    client.shutdown();
}

/// Panics whenever `py/dangling-task` runs; otherwise the real linter.
fn dangling_task_panics(path: &Path, text: &str, options: &RunOptions) -> Result<Vec<Finding>, String> {
    if options.engine.enabled.as_ref().is_none_or(|e| e.contains("py/dangling-task")) {
        panic!("boom in py/dangling-task");
    }
    ctxlint::run::lint_text(path, text, options)
}

#[test]
fn a_panic_in_a_rule_is_logged_and_the_other_rules_are_published() {
    let dir = workspace();
    let text = format!("{DANGLING}{ATTACH}");
    let file = write(dir.path(), "both.py", &text);
    let (mut client, _) = Client::start_with(dir.path(), json!({}), None, dangling_task_panics);
    client.open(&file, &text);
    let published = client.diagnostics(&file, Some(1));
    let codes: Vec<&str> = published["diagnostics"].as_array().expect("list").iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["py/attach-without-detach"]);
    let logged = client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("rules that panicked")));
    assert_eq!(logged["type"], 1);
    client.shutdown();
}
