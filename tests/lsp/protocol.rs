//! The protocol itself: position-encoding negotiation, the states before `initialize` and after
//! `shutdown`, malformed messages, unknown methods, a panicking handler, a hostile document,
//! and the exit status.

use super::*;
use client::uri_of;
use support::Bin;

#[test]
fn initialize_negotiates_the_first_supported_encoding_in_the_clients_order() {
    let s = Scratch::project("lsp-encodings");
    let cases: [(Option<&[&str]>, &str); 5] = [
        (None, "utf-16"),
        (Some(&["utf-8"]), "utf-8"),
        (Some(&["utf-32", "utf-8"]), "utf-32"),
        (Some(&["latin-1", "utf-8", "utf-16"]), "utf-8"),
        (Some(&["latin-1"]), "utf-16"),
    ];
    for (offered, expected) in cases {
        let (c, result) = Client::start(&s.dir, offered);
        assert_eq!(
            result["capabilities"]["positionEncoding"], expected,
            "offered {offered:?}: {result}"
        );
        assert_eq!(
            result["capabilities"]["textDocumentSync"], 2,
            "incremental sync"
        );
        assert_eq!(
            c.finish(),
            0,
            "offered {offered:?}: shutdown then exit is status 0"
        );
    }
}

#[test]
fn protocol_errors_are_answered_and_the_server_goes_on() {
    let s = Scratch::project("lsp-errors");
    let mut c = Client::spawn(&s.dir);
    // A request before initialize.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let (mut c, _) = {
        drop(c);
        Client::start(&s.dir, None)
    };
    // Not JSON: -32700 with id null.
    c.send_raw(b"Content-Length: 9\r\n\r\n{\"jsonrpc");
    let r = c.recv();
    assert_eq!(r["error"]["code"], -32700, "{r}");
    assert_eq!(r["id"], Value::Null, "{r}");
    // JSON but not a message.
    c.send(&json!([1, 2, 3]));
    let r = c.recv();
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // An unknown request, an unknown notification (ignored), invalid params.
    let r = c.request("no/such/method", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("no/such/notification", json!({}));
    let r = c.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Still alive and well.
    c.sync();
    assert_eq!(c.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1_and_requests_after_shutdown_are_refused() {
    let s = Scratch::project("lsp-exit");
    let (mut c, _) = Client::start(&s.dir, None);
    c.notify("exit", json!(null));
    assert_eq!(c.wait(), 1);
    let (mut c, _) = Client::start(&s.dir, None);
    let r = c.request("shutdown", json!(null));
    assert_eq!(r["result"], Value::Null, "{r}");
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32600, "after shutdown: {r}");
    c.notify("exit", json!(null));
    assert_eq!(c.wait(), 0);
    // The end of input without shutdown is an exit without shutdown.
    let (mut c, _) = Client::start(&s.dir, None);
    assert_eq!(c.wait(), 1);
}

#[test]
fn a_panicking_handler_is_logged_and_answered_and_the_server_goes_on() {
    let s = Scratch::project("lsp-panic");
    let bin = Bin::new()
        .args(["lsp", "--now", NOW])
        .current_dir(&s.dir)
        .env("BRIDGELINT_LSP_TEST_PANIC", "1");
    let mut c = Client::spawn_with(bin);
    c.request(
        "initialize",
        json!({ "capabilities": {}, "rootUri": uri_of(&s.dir) }),
    );
    let r = c.request("bridgelint/panic", json!(null));
    assert_eq!(r["error"]["code"], -32603, "{r}");
    let logged = c
        .backlog
        .iter()
        .any(|m| m["method"] == "window/logMessage" && m["params"]["type"] == 1);
    assert!(logged, "the panic is logged: {:?}", c.backlog);
    assert_eq!(c.finish(), 0);
}

#[test]
fn a_yaml_alias_bomb_document_is_answered() {
    let s = Scratch::project("lsp-bomb");
    let mut bomb = String::from(
        "apiVersion: bridgelint/v1\nkind: Integration\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let path = s.write("bomb.yaml", &bomb);
    let (mut c, _) = Client::start(&s.dir, None);
    let uri = uri_of(&path);
    c.open(&uri, &bomb);
    let diags = c.last_published(&uri);
    assert!(!diags.is_empty(), "the bomb is a finding, not a hang");
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
    ] {
        let r = c.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": { "line": 14, "character": 6 } }),
        );
        assert!(r.get("error").is_none(), "{method}: {r}");
    }
    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(r.get("error").is_none(), "{r}");
    assert_eq!(c.finish(), 0);
}

#[test]
fn watched_files_are_registered_when_the_client_can() {
    let s = Scratch::project("lsp-watch");
    let mut c = Client::spawn(&s.dir);
    let caps = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    c.request(
        "initialize",
        json!({ "capabilities": caps, "rootUri": uri_of(&s.dir) }),
    );
    c.notify("initialized", json!({}));
    let m = c.recv();
    assert_eq!(m["method"], "client/registerCapability", "{m}");
    let reg = &m["params"]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles", "{m}");
    c.send(&json!({ "jsonrpc": "2.0", "id": m["id"], "result": null }));
    assert_eq!(c.finish(), 0);
}
