//! `ctxlint server`: a synchronous language server (`lsp-server`, no async runtime) over the library: the same
//! rules, configuration discovery, runtime models, suppressions and fixes as the command line. [`serve`] runs the
//! protocol on a connection; the main loop reads the client's messages and the lint results of the thread pool.
use crossbeam_channel::{select, unbounded};
use lsp_server::{Connection, ErrorCode, Message, Response};

mod actions;
mod capabilities;
mod commands;
mod diagnostics;
mod documents;
pub mod encoding;
mod hover;
pub mod lint;
mod session;
mod settings;
pub mod transport;
mod uri;

pub use lint::LintFn;
pub use settings::ClientSettings;

use session::Session;

/// Runs the server on standard input and output until the client sends `exit` (or goes away).
pub fn run_stdio() -> Result<(), String> {
    let (connection, threads) = transport::stdio();
    let result = serve(connection, crate::run::lint_text);
    threads.join().map_err(|e| format!("writing to the client: {e}"))?;
    result
}

/// Runs the protocol on `connection`, linting with `lint`: the handshake, then every message until `exit`.
pub fn serve(connection: Connection, lint: LintFn) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| format!("initialize: {e}"))?;
    let (done_tx, done_rx) = unbounded();
    let mut session = Session::new(connection.sender.clone(), done_tx, lint, &params);
    let result = capabilities::initialize_result(&session.client, session.encoding);
    connection.initialize_finish(id, result).map_err(|e| format!("initialize: {e}"))?;
    session.start();
    loop {
        select! {
            recv(connection.receiver) -> message => {
                let Ok(message) = message else { return Ok(()) };
                match message {
                    Message::Request(req) => {
                        if req.method == "shutdown" {
                            // answered, then `exit` is awaited; anything else ends the server as well
                            let _ = connection.handle_shutdown(&req);
                            return Ok(());
                        }
                        let (id, method) = (req.id.clone(), req.method.clone());
                        if let Err(panic) = lint::catch(|| session.request_in(req)) {
                            session.log(1, &format!("{method} panicked: {panic}"));
                            let _ = connection.sender.send(Response::new_err(id, ErrorCode::InternalError as i32, panic).into());
                        }
                    }
                    Message::Notification(n) if n.method == "exit" => return Ok(()),
                    Message::Notification(n) => {
                        let method = n.method.clone();
                        if let Err(panic) = lint::catch(|| session.notification(n)) {
                            session.log(1, &format!("{method} panicked: {panic}"));
                        }
                    }
                    // answers to the server's requests (registration, applyEdit, refresh): nothing to do
                    Message::Response(_) => {}
                }
            }
            recv(done_rx) -> done => {
                if let Ok(done) = done {
                    session.lint_done(done);
                }
            }
        }
    }
}
