//! Code actions, applied as the client would and the result checked again: a fix, a
//! suppression, fix-all.

use super::diagnostics::{accented, ownr};
use super::*;
use client::uri_of;

/// Applies a code action's edits (utf-32 positions: characters) to `text`.
fn apply(text: &str, action: &Value, uri: &str) -> String {
    let changes = &action["edit"]["documentChanges"];
    let edits = changes[0]["edits"]
        .as_array()
        .expect("documentChanges edits");
    assert_eq!(changes[0]["textDocument"]["uri"], uri);
    let mut edits = edits.clone();
    edits.sort_by_key(|e| {
        let s = &e["range"]["start"];
        std::cmp::Reverse((
            s["line"].as_u64().unwrap(),
            s["character"].as_u64().unwrap(),
        ))
    });
    let mut out = text.to_string();
    for e in edits {
        let at = |p: &Value| {
            let line = p["line"].as_u64().unwrap() as usize;
            let start: usize = out.split_inclusive('\n').take(line).map(str::len).sum();
            let col = p["character"].as_u64().unwrap() as usize;
            start
                + out[start..]
                    .chars()
                    .take(col)
                    .map(char::len_utf8)
                    .sum::<usize>()
        };
        let (s, t) = (at(&e["range"]["start"]), at(&e["range"]["end"]));
        out.replace_range(s..t, e["newText"].as_str().unwrap());
    }
    out
}

fn actions(c: &mut Client, uri: &str, range: &Value, only: Option<&str>) -> Vec<Value> {
    let mut ctx = json!({ "diagnostics": [] });
    if let Some(o) = only {
        ctx["only"] = json!([o]);
    }
    let r = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": ctx }),
    );
    r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .clone()
}

fn replace_all(c: &mut Client, uri: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
    );
}

/// A project holding the inventory and `file` with `text`, that file open in a client
/// (utf-32): the scratch folder, the client, the file's URI and its first diagnostics.
fn opened(tag: &str, file: &str, text: &str) -> (Scratch, Client, String, Vec<Value>) {
    let s = Scratch::with_files(tag, &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let path = s.write(file, text);
    let (mut c, _) = Client::start(&s.dir, Some(&["utf-32"]));
    let uri = uri_of(&path);
    c.open(&uri, text);
    let diags = c.last_published(&uri);
    (s, c, uri, diags)
}

#[test]
fn the_rename_fix_applied_removes_the_finding() {
    let (_s, mut c, uri, diags) = opened("lsp-fix", "integ.yaml", &accented());
    let range = ownr(&diags)["range"].clone();
    let all = actions(&mut c, &uri, &range, None);
    let fix = all
        .iter()
        .find(|a| a["title"] == "rename the key to `owner`")
        .unwrap_or_else(|| panic!("no rename among {all:?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], false, "an unsafe fix is not preferred");
    assert_eq!(fix["diagnostics"][0]["code"], "schema-violation");
    assert_eq!(
        fix["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let fixed = apply(&accented(), fix, &uri);
    assert!(
        fixed.contains("owner: team-platform, environment"),
        "{fixed}"
    );
    replace_all(&mut c, &uri, 2, &fixed);
    assert_eq!(
        c.last_published(&uri),
        Vec::<Value>::new(),
        "clean once fixed"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn suppress_on_this_line_inserts_the_placeholder_comment() {
    let (_s, mut c, uri, diags) = opened("lsp-suppress", "integ.yaml", &accented());
    let range = ownr(&diags)["range"].clone();
    let all = actions(&mut c, &uri, &range, Some("quickfix"));
    let sup = all
        .iter()
        .find(|a| a["title"] == "Suppress schema-violation on this line")
        .unwrap_or_else(|| panic!("no suppression among {all:?}"));
    let text = apply(&accented(), sup, &uri);
    let line = text.lines().nth(2).unwrap();
    assert!(
        line.ends_with("environment: prod }  # bridgelint: ignore[schema-violation] <why>"),
        "{line}"
    );
    replace_all(&mut c, &uri, 2, &text);
    let codes: Vec<Value> = c
        .last_published(&uri)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert!(
        codes.contains(&json!("invalid-suppression")),
        "the placeholder reason is invalid until a reason is written: {codes:?}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn fix_all_applies_the_safe_fixes_of_the_document() {
    let unused = CLEAN_INTEGRATION.replace(
        "    url: https://acme.atlassian.net\n",
        "    url: https://acme.atlassian.net  # bridgelint: ignore[insecure-url] checked by hand\n",
    );
    let (_s, mut c, uri, diags) = opened("lsp-fixall", "integ.yaml", &unused);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "unused-suppression");
    assert_eq!(diags[0]["tags"], json!([1]), "unnecessary");
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    let all = actions(&mut c, &uri, &whole, Some("source.fixAll"));
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["kind"], "source.fixAll.bridgelint");
    let fixed = apply(&unused, &all[0], &uri);
    assert_eq!(fixed, CLEAN_INTEGRATION);
    replace_all(&mut c, &uri, 2, &fixed);
    assert_eq!(c.last_published(&uri), Vec::<Value>::new());
    assert_eq!(c.finish(), 0);
}

#[test]
fn json_documents_get_fixes_but_no_suppression() {
    let text = "{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {\"name\": \"x\", \"ownr\": \"t\"}}\n";
    let (_s, mut c, uri, diags) = opened("lsp-json", "integ.json", text);
    let range = ownr(&diags)["range"].clone();
    let all = actions(&mut c, &uri, &range, None);
    let titles: Vec<&str> = all.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"rename the key to `owner`"), "{titles:?}");
    assert!(
        !titles.iter().any(|t| t.starts_with("Suppress")),
        "{titles:?}"
    );
    let fixed = apply(
        text,
        all.iter()
            .find(|a| a["title"] == "rename the key to `owner`")
            .unwrap(),
        &uri,
    );
    assert!(fixed.contains("\"owner\": \"t\""), "{fixed}");
    assert_eq!(c.finish(), 0);
}
