//! Diagnostics: what `check` reports for each open document, in every position encoding, on
//! open, change and close, and re-published across files after an inventory edit.

use super::*;
use client::uri_of;

/// [`CLEAN_INTEGRATION`] whose metadata is one flow mapping: a description with `é` and an
/// emoji, then the misspelt key `ownr` (a `schema-violation` with a rename fix) on line 3.
pub fn accented() -> String {
    CLEAN_INTEGRATION.replace(
        "metadata:\n  name: jira-ado\n  owner: team-platform\n  environment: prod\n",
        "metadata: { description: \"café 😀\", name: jira-ado, ownr: team-platform, environment: prod }\n",
    )
}

/// The diagnostic of `ownr` among those published.
pub fn ownr(diags: &[Value]) -> &Value {
    diags
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("`ownr`")))
        .unwrap_or_else(|| panic!("no finding on `ownr`: {diags:?}"))
}

#[test]
fn a_finding_after_non_ascii_characters_is_placed_in_each_encoding() {
    // `ownr` starts at code point 51 (0-based) of line 2; before it, `é` is 2 bytes and one
    // UTF-16 unit, the emoji 4 bytes and two UTF-16 units.
    let cases = [("utf-8", 55, 59), ("utf-16", 52, 56), ("utf-32", 51, 55)];
    for (enc, start, end) in cases {
        let s = Scratch::with_files("lsp-enc", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
        let path = s.write("integ.yaml", accented());
        let (mut c, result) = Client::start(&s.dir, Some(&[enc]));
        assert_eq!(result["capabilities"]["positionEncoding"], enc);
        let uri = uri_of(&path);
        c.open(&uri, &accented());
        let diags = c.last_published(&uri);
        let d = ownr(&diags);
        assert_eq!(
            d["range"]["start"],
            json!({ "line": 2, "character": start }),
            "{enc}"
        );
        assert_eq!(
            d["range"]["end"],
            json!({ "line": 2, "character": end }),
            "{enc}"
        );
        assert_eq!(d["severity"], 1, "{enc}");
        assert_eq!(d["code"], "schema-violation", "{enc}");
        assert_eq!(d["source"], "bridgelint", "{enc}");
        // An edit in the same encoding: `é` → `ex` moves the finding one unit right, except
        // in utf-8 (`é` is 2 bytes, `ex` too).
        let at = json!({ "line": 2, "character": 29 });
        let after = json!({ "line": 2, "character": if enc == "utf-8" { 31 } else { 30 } });
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 },
                    "contentChanges": [{ "range": { "start": at, "end": after }, "text": "ex" }] }),
        );
        let published = c.published(&uri);
        if enc == "utf-8" {
            assert!(
                published.is_empty(),
                "utf-8: nothing moved, nothing re-published"
            );
        } else {
            let diags = published.last().expect("re-published");
            assert_eq!(
                ownr(diags)["range"]["start"]["character"],
                start + 1,
                "{enc}: after the edit"
            );
        }
        assert_eq!(c.finish(), 0);
    }
}

/// (rule, line, column, message, fingerprint) of a diagnostic, 0-based like LSP.
pub type Seen = (String, u64, u64, String, String);

/// What `check --format json` (its parsed report `all`) reports in the file `rel`, sorted.
pub fn seen_in_check(all: &Value, rel: &str) -> Vec<Seen> {
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let mut out: Vec<Seen> = support::diagnostics(all)
        .iter()
        .filter(|d| d["path"] == rel)
        .map(|d| {
            let at = |k: &str| d["start"][k].as_u64().unwrap() - 1;
            let (rule, message) = (text(&d["rule"]), text(&d["message"]));
            (
                rule,
                at("line"),
                at("column"),
                message,
                text(&d["fingerprint"]),
            )
        })
        .collect();
    out.sort();
    out
}

/// The same of published diagnostics (utf-32 positions), sorted.
pub fn seen_published(diags: &[Value]) -> Vec<Seen> {
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let mut out: Vec<Seen> = diags
        .iter()
        .map(|d| {
            let at = |k: &str| d["range"]["start"][k].as_u64().unwrap();
            let (rule, message) = (text(&d["code"]), text(&d["message"]));
            let fingerprint = text(&d["data"]["fingerprint"]);
            (rule, at("line"), at("character"), message, fingerprint)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn open_documents_get_what_check_reports_for_them() {
    let s = Scratch::with_files("lsp-same", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let path = s.write("integ.yaml", accented());
    let check = s.check().format("json").arg(".").run();
    let expected = seen_in_check(&check.json(), "integ.yaml");
    assert!(!expected.is_empty());
    let (mut c, _) = Client::start(&s.dir, Some(&["utf-32"]));
    let uri = uri_of(&path);
    c.open(&uri, &accented());
    assert_eq!(seen_published(&c.last_published(&uri)), expected);
    // Closing publishes nothing.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(c.last_published(&uri), Vec::<Value>::new());
    assert_eq!(c.finish(), 0);
}

#[test]
fn an_inventory_edit_re_publishes_the_integration_it_changes() {
    let s = Scratch::with_files("lsp-cross", &[("integ.yaml", CLEAN_INTEGRATION)]);
    let accounts = s.write("accounts.yaml", CLEAN_ACCOUNTS);
    let integ = s.path("integ.yaml");
    let (mut c, _) = Client::start(&s.dir, None);
    let (iu, au) = (uri_of(&integ), uri_of(&accounts));
    c.open(&iu, CLEAN_INTEGRATION);
    assert_eq!(c.last_published(&iu), Vec::<Value>::new(), "clean at first");
    c.open(&au, CLEAN_ACCOUNTS);
    assert_eq!(c.last_published(&au), Vec::<Value>::new());
    assert!(
        c.published(&iu).is_empty(),
        "nothing changed for the integration: no re-publish"
    );
    // Rename the account in the (unsaved) inventory: the integration's account is now unknown.
    let renamed = CLEAN_ACCOUNTS.replace("getint-jira-prod:", "getint-jira-renamed:");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": au, "version": 2 }, "contentChanges": [{ "text": renamed }] }),
    );
    let diags = c.last_published(&iu);
    assert!(
        diags.iter().any(|d| d["code"] == "unknown-account"),
        "the integration's findings after the inventory edit: {diags:?}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn a_document_whose_file_does_not_exist_yet_joins_the_project() {
    let s = Scratch::with_files("lsp-new", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let (mut c, _) = Client::start(&s.dir, None);
    let uri = uri_of(&s.path("new.yaml"));
    let bad = CLEAN_INTEGRATION.replace("account: getint-jira-prod", "account: nobody-declared");
    c.open(&uri, &bad);
    let codes: Vec<Value> = c
        .last_published(&uri)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert!(codes.contains(&json!("unknown-account")), "{codes:?}");
    assert_eq!(c.finish(), 0);
}

#[test]
fn an_invalid_config_is_a_diagnostic_on_the_config_and_its_repair_clears_it() {
    // The config is read from disk (saved), as check reads it: a watched-file change or a save
    // reloads it.
    let s = Scratch::with_files("lsp-config", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let (mut c, _) = Client::start(&s.dir, None);
    let config = s.path(".bridgelint.yaml");
    let uri = uri_of(&config);
    let bad = "rules:\n  no-such-rule: { severity: error }\n";
    c.open(&uri, "{}\n");
    c.sync();
    let changed = |c: &mut Client, text: &str, version: i64| {
        std::fs::write(&config, text).unwrap();
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": uri, "type": 2 }] }),
        );
    };
    changed(&mut c, bad, 2);
    let diags = c.last_published(&uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({ "line": 1, "character": 2 })
    );
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("unknown rule `no-such-rule`"));
    changed(&mut c, "{}\n", 3);
    assert_eq!(c.last_published(&uri), Vec::<Value>::new());
    assert_eq!(c.finish(), 0);
}
