//! The JSON-RPC framing over a byte stream (standard input and output): `Content-Length` headers, one message each.
//! Unlike `lsp_server::Connection::stdio`, a malformed message does not end the reading: it is answered (an
//! `Invalid Request` error when it has an id) or reported to the server as [`MALFORMED`], and reading goes on.
use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{bounded, unbounded, Sender};
use lsp_server::{Connection, Message, Notification, RequestId, Response};

/// The method of the notification that stands for a message that could not be read (its params: why).
pub const MALFORMED: &str = "$/ctxlint/malformed";

/// The largest message read: a bigger `Content-Length` is refused, not allocated.
pub const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// The threads of a connection: the writer is joined at the end, so that every message is written.
pub struct Threads {
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    pub fn join(self) -> io::Result<()> {
        self.writer.join().unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")))
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, Threads) {
    spawn(io::BufReader::new(io::stdin()), io::stdout())
}

/// A connection reading `input` and writing `output`, each on a thread of its own.
pub fn spawn(mut input: impl BufRead + Send + 'static, mut output: impl Write + Send + 'static) -> (Connection, Threads) {
    let (to_writer, from_server) = unbounded::<Message>();
    let (to_server, from_reader) = bounded::<Message>(0);
    let answers = to_writer.clone();
    let writer = std::thread::spawn(move || {
        for message in from_server {
            message.write(&mut output)?;
        }
        output.flush()
    });
    std::thread::spawn(move || read_loop(&mut input, &to_server, &answers));
    (Connection { sender: to_writer, receiver: from_reader }, Threads { writer })
}

/// Reads messages until the end of the input (or the `exit` notification), sending each on.
fn read_loop(input: &mut dyn BufRead, to_server: &Sender<Message>, answers: &Sender<Message>) {
    loop {
        let message = match read_frame(input) {
            Ok(None) => return,
            Ok(Some(text)) => parse(&text),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => Err((None, e.to_string())),
            Err(_) => return,
        };
        let message = match message {
            Ok(message) => message,
            // an id to answer: the client waits for it
            Err((Some(id), why)) => {
                let _ = answers.send(Response::new_err(id, lsp_server::ErrorCode::InvalidRequest as i32, why).into());
                continue;
            }
            Err((None, why)) => Message::Notification(Notification::new(MALFORMED.to_string(), why)),
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() || exit {
            return;
        }
    }
}

/// A message of the protocol, or why not (with the id to answer, when it has one).
fn parse(text: &str) -> Result<Message, (Option<RequestId>, String)> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| (None, format!("not JSON: {e}")))?;
    let id = match value.get("id") {
        Some(serde_json::Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()).map(RequestId::from),
        Some(serde_json::Value::String(s)) => Some(RequestId::from(s.clone())),
        _ => None,
    };
    serde_json::from_value(value).map_err(|e| (id, format!("not a JSON-RPC message: {e}")))
}

/// One message's body: `Ok(None)` at the end of the input; `InvalidData` for a broken header or body (what it took
/// is consumed, so reading can go on at the next header).
fn read_frame(input: &mut dyn BufRead) -> io::Result<Option<String>> {
    let mut length = None;
    let mut line = String::new();
    let mut broken = None;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() || broken.is_some() {
                break;
            }
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => match value.trim().parse::<usize>() {
                Ok(n) if n <= MAX_MESSAGE => length = Some(n),
                _ => broken = Some(format!("bad Content-Length: {:?}", value.trim())),
            },
            Some(_) => {}
            None => broken = Some(format!("malformed header: {header:?}")),
        }
    }
    if let Some(why) = broken {
        return Err(io::Error::new(io::ErrorKind::InvalidData, why));
    }
    let mut body = vec![0; length.unwrap_or(0)];
    input.read_exact(&mut body)?;
    String::from_utf8(body).map(Some).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("not UTF-8: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_broken_headers_and_bodies() {
        let mut input: &[u8] =
            b"Content-Length: 2\r\n\r\n{}garbage\r\n\r\nContent-Length: 99999999999999\r\n\r\nContent-Length: 3\r\n\r\nnul";
        assert_eq!(read_frame(&mut input).expect("a frame"), Some("{}".to_string()));
        assert!(read_frame(&mut input).is_err_and(|e| e.to_string().contains("malformed header")));
        assert!(read_frame(&mut input).is_err_and(|e| e.to_string().contains("bad Content-Length")));
        assert_eq!(read_frame(&mut input).expect("a frame"), Some("nul".to_string()));
        assert_eq!(read_frame(&mut input).expect("the end"), None);
    }

    #[test]
    fn a_request_that_is_not_one_is_answered_with_its_id() {
        assert!(matches!(parse(r#"{"jsonrpc":"2.0","id":7,"params":3}"#), Err((Some(id), _)) if id == RequestId::from(7)));
        assert!(matches!(parse("{oops"), Err((None, _))));
        assert!(parse(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#).is_ok());
    }
}
