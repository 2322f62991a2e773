//! The wire: `Content-Length` framing on standard input and output, and the JSON-RPC error
//! replies the message types of `lsp-server` cannot say (a reply to an unparsable message has
//! `id: null`). Reading is ours, not `lsp_server::Connection`'s: its reader thread stops at the
//! first malformed message, and the server must answer it and go on.

use std::io::{self, BufRead, Write};

use lsp_server::Message;

/// One message read: a message, or text that is not one (answered with an error).
pub enum Incoming {
    Message(Message),
    /// Not JSON (-32700).
    Unparsable(String),
    /// JSON, but no JSON-RPC message (-32600), with the id when it had one.
    Invalid(serde_json::Value, String),
}

/// Reads the next framed message; `None` at the end of input (or when the framing is lost).
pub fn read(r: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        // Without a length the next message cannot be found: the stream is over.
        return Ok(None);
    };
    let mut body = vec![0; length];
    r.read_exact(&mut body)?;
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Ok(Some(Incoming::Unparsable(e.to_string()))),
    };
    let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
    Ok(Some(match serde_json::from_value::<Message>(value) {
        Ok(m) => Incoming::Message(m),
        Err(e) => Incoming::Invalid(id, e.to_string()),
    }))
}

/// Writes one message.
pub fn write(w: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(w)
}

/// Writes an error reply whose id may be `null` (unparsable or invalid messages).
pub fn write_raw_error(
    w: &mut impl Write,
    id: serde_json::Value,
    code: i32,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(w, "Content-Length: {}\r\n\r\n{}", body.len(), body)?;
    w.flush()
}
