//! Definition, references, document symbols at chosen positions.

use super::*;
use client::uri_of;

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

#[test]
fn definition_references_and_symbols() {
    let s = Scratch::with_files("lsp-nav", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let integ = s.write("integ.yaml", CLEAN_INTEGRATION);
    let accounts = s.path("accounts.yaml");
    let (mut c, _) = Client::start(&s.dir, None);
    let (iu, au) = (uri_of(&integ), uri_of(&accounts));
    c.open(&iu, CLEAN_INTEGRATION);
    c.sync();
    // `account: getint-jira-prod` (line 11, value at column 14) → the inventory's key.
    let r = c.request("textDocument/definition", at(&iu, 10, 16));
    let link = &r["result"][0];
    assert_eq!(link["targetUri"], au, "{r}");
    let key_line = CLEAN_ACCOUNTS
        .lines()
        .position(|l| l.trim() == "getint-jira-prod:")
        .unwrap();
    assert_eq!(
        link["targetSelectionRange"]["start"]["line"], key_line,
        "{r}"
    );
    assert_eq!(
        link["originSelectionRange"]["start"],
        json!({ "line": 10, "character": 13 })
    );
    // A flow's `from: jira` → the connection key `jira` (line 8).
    let flow_line = CLEAN_INTEGRATION
        .lines()
        .position(|l| l.contains("- from: jira"))
        .unwrap() as u32;
    let r = c.request("textDocument/definition", at(&iu, flow_line, 10));
    assert_eq!(
        r["result"][0]["targetSelectionRange"]["start"],
        json!({ "line": 7, "character": 2 }),
        "{r}"
    );
    // References of the inventory key: the connection that uses it.
    c.open(&au, CLEAN_ACCOUNTS);
    let params = json!({ "textDocument": { "uri": au }, "position": { "line": key_line, "character": 4 },
                         "context": { "includeDeclaration": false } });
    let r = c.request("textDocument/references", params);
    assert_eq!(
        r["result"],
        json!([{ "uri": iu, "range": {
        "start": { "line": 10, "character": 13 }, "end": { "line": 10, "character": 29 } } }]),
        "{r}"
    );
    // Symbols: the integration, its connections and flow.
    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": iu } }),
    );
    let top = &r["result"][0];
    assert_eq!(top["name"], "jira-ado", "{r}");
    let names: Vec<&str> = top["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["jira", "ado", "jira → ado"]);
    assert_eq!(c.finish(), 0);
}
