//! A small LSP client: frames messages, reads the server's in a thread, and fails the test when
//! an expected message does not come within the harness's timeout. `sync()` sends a request
//! the server does not know and waits for its reply: the server handles messages in order, so
//! everything it published before is then in hand.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin};
use std::sync::mpsc::{channel, Receiver};

use serde_json::{json, Value};

use super::support::{Bin, NOW, TIMEOUT};

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet taken.
    pub backlog: Vec<Value>,
}

impl Client {
    /// Starts `bridgelint lsp --now NOW` in `dir`, not yet initialized.
    pub fn spawn(dir: &Path) -> Client {
        Client::spawn_with(Bin::new().args(["lsp", "--now", NOW]).current_dir(dir))
    }

    pub fn spawn_with(bin: Bin) -> Client {
        Client::of_child(bin.spawn())
    }

    /// A client of any language server already started with piped standard input and output
    /// (another server than ours: `yaml_language_server.rs`).
    pub fn of_child(mut child: Child) -> Client {
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            backlog: Vec::new(),
        }
    }

    /// Starts and initializes the server on the workspace folder `dir`, offering `encodings`
    /// (none: the field is left out); the `initialize` result.
    pub fn start(dir: &Path, encodings: Option<&[&str]>) -> (Client, Value) {
        let mut c = Client::spawn(dir);
        let mut caps = json!({
            "workspace": { "workspaceEdit": { "documentChanges": true } },
            "textDocument": { "definition": { "linkSupport": true } },
        });
        if let Some(e) = encodings {
            caps["general"] = json!({ "positionEncodings": e });
        }
        let uri = uri_of(dir);
        let r = c.request(
            "initialize",
            json!({ "capabilities": caps, "workspaceFolders": [{ "uri": uri, "name": "ws" }] }),
        );
        c.notify("initialized", json!({}));
        (c, r["result"].clone())
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, v: &Value) {
        let body = v.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response (notifications meanwhile are kept).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(&json!(id))
    }

    /// Waits for the response with this id.
    pub fn response(&mut self, id: &Value) -> Value {
        loop {
            let m = self.recv();
            if m.get("method").is_none() && &m["id"] == id {
                return m;
            }
            self.backlog.push(m);
        }
    }

    /// The next message from the server.
    pub fn recv(&mut self) -> Value {
        self.rx
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|e| panic!("no message from the server within {TIMEOUT:?}: {e}"))
    }

    /// Waits until the server has handled everything sent so far.
    pub fn sync(&mut self) {
        let r = self.request("bridgelint/sync", json!(null));
        assert_eq!(r["error"]["code"], -32601, "{r}");
    }

    /// Every diagnostics list published for `uri` since the last call, in order.
    pub fn published(&mut self, uri: &str) -> Vec<Vec<Value>> {
        self.sync();
        let mut out = Vec::new();
        self.backlog.retain(|m| {
            let hit = m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
            if hit {
                out.push(
                    m["params"]["diagnostics"]
                        .as_array()
                        .expect("a list")
                        .clone(),
                );
            }
            !hit
        });
        out
    }

    /// The last diagnostics published for `uri` since the last call (fails when none was).
    pub fn last_published(&mut self, uri: &str) -> Vec<Value> {
        self.published(uri)
            .pop()
            .unwrap_or_else(|| panic!("no diagnostics published for {uri}"))
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        let lang = if uri.ends_with(".json") {
            "json"
        } else {
            "yaml"
        };
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": lang, "version": 1, "text": text } }),
        );
    }

    /// `shutdown` then `exit`; the exit status.
    pub fn finish(mut self) -> i32 {
        let r = self.request("shutdown", json!(null));
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", json!(null));
        self.wait()
    }

    /// Closes standard input and waits for the exit status.
    pub fn wait(&mut self) -> i32 {
        drop(self.stdin.take());
        let started = std::time::Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                let code = s.code().expect("an exit status, not a signal");
                assert_ne!(code, 101, "the server panicked");
                return code;
            }
            assert!(started.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of a path (ASCII paths: the scratch folders).
pub fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}
