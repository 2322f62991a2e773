//! Definition, references, document symbols at chosen positions.

use super::*;
use client::uri_of;

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// A project holding the inventory and [`CLEAN_INTEGRATION`] as `integ.yaml`, the integration
/// open in a client: the folder, the client, and the URIs of the integration and the inventory.
fn integration_open(tag: &str) -> (Scratch, Client, String, String) {
    let s = Scratch::with_files(tag, &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let integ = s.write("integ.yaml", CLEAN_INTEGRATION);
    let (mut c, _) = Client::start(&s.dir, None);
    let (iu, au) = (uri_of(&integ), uri_of(&s.path("accounts.yaml")));
    c.open(&iu, CLEAN_INTEGRATION);
    c.sync();
    (s, c, iu, au)
}

#[test]
fn definition_references_and_symbols() {
    let (_s, mut c, iu, au) = integration_open("lsp-nav");
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

/// The line (0-based) of `CLEAN_INTEGRATION` or `CLEAN_ACCOUNTS` holding `needle`, and the
/// character just after it (ASCII lines).
fn after(text: &str, needle: &str) -> (u32, u32) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap();
    (i as u32, (line.find(needle).unwrap() + needle.len()) as u32)
}

fn hover_text(c: &mut Client, uri: &str, (line, ch): (u32, u32)) -> String {
    let r = c.request("textDocument/hover", at(uri, line, ch));
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no hover: {r}"))
        .to_string()
}

fn labels(c: &mut Client, uri: &str, (line, ch): (u32, u32)) -> Vec<String> {
    let r = c.request("textDocument/completion", at(uri, line, ch));
    let items = r["result"].as_array().unwrap_or_else(|| panic!("{r}"));
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn hover_shows_findings_then_facts() {
    let (_s, mut c, iu, _) = integration_open("lsp-hover");
    let h = hover_text(
        &mut c,
        &iu,
        after(CLEAN_INTEGRATION, "account: getint-jira"),
    );
    assert!(
        h.contains("account `getint-jira-prod`") && h.contains("- system: jira-cloud"),
        "{h}"
    );
    assert!(h.contains("- purpose: Reads Jira issues"), "{h}");
    let h = hover_text(&mut c, &iu, after(CLEAN_INTEGRATION, "system: jira-cl"));
    assert!(
        h.contains("(`jira-cloud`)") && h.contains("credential types: "),
        "{h}"
    );
    let h = hover_text(&mut c, &iu, after(CLEAN_INTEGRATION, "scopes: [vso.wo"));
    assert!(
        h.contains("**vso.work_write**") && h.contains("scope of"),
        "{h}"
    );
    // A finding: its rule's summary before the facts.
    let bad = CLEAN_INTEGRATION.replace("url: https://acme", "url: http://acme");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": iu, "version": 2 }, "contentChanges": [{ "text": bad }] }),
    );
    c.sync();
    let h = hover_text(&mut c, &iu, after(&bad, "url: http:/"));
    assert!(
        h.starts_with("**insecure-url** (error)") || h.starts_with("**insecure-url**"),
        "{h}"
    );
    assert_eq!(c.finish(), 0);
}

/// An account's hover gives its review state from `reviewed` and the `max_age_days` the run
/// gives `stale-review` for the inventory file (the config's `rules`, then `per_path`), and
/// says "overdue" exactly for the accounts `check` reports `stale-review` on.
#[test]
fn hover_shows_the_accounts_review_state() {
    let config = "rules: { stale-review: { max_age_days: 120 } }\n\
                  per_path:\n  - paths: [\"strict/**\"]\n    rules: { stale-review: { max_age_days: 20 } }\n";
    let s = Scratch::with_config("lsp-hover-review", config);
    let strict = CLEAN_ACCOUNTS.replace("getint-jira-prod:", "getint-strict:");
    let never = CLEAN_ACCOUNTS
        .replace("getint-jira-prod:", "getint-never:")
        .replace("    reviewed: 2026-11-01\n", "");
    s.write("accounts.yaml", CLEAN_ACCOUNTS);
    let strict_path = s.write("strict/accounts.yaml", &strict);
    s.write("never/accounts.yaml", &never);
    let integ = s.write("integ.yaml", CLEAN_INTEGRATION);
    let report = s.check().args(["--format", "json", "."]).run().json();
    let mut stale: Vec<String> = support::diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "stale-review")
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    stale.sort();
    assert_eq!(stale, ["never/accounts.yaml", "strict/accounts.yaml"]);

    let (mut c, _) = Client::start(&s.dir, None);
    let (iu, su) = (uri_of(&integ), uri_of(&strict_path));
    c.open(&iu, CLEAN_INTEGRATION);
    c.open(&su, &strict);
    c.sync();
    // From the integration's reference: 2026-11-01 + 120 days, seen on 2026-11-27.
    let h = hover_text(
        &mut c,
        &iu,
        after(CLEAN_INTEGRATION, "account: getint-jira"),
    );
    assert!(
        h.contains("- review: due by 2027-03-01 (in 94 days; at most every 120 days)"),
        "{h}"
    );
    // On the inventory's key, under `per_path`'s 20 days.
    let h = hover_text(&mut c, &su, after(&strict, "  getint-str"));
    assert!(
        h.contains("- review: **overdue**: was due by 2026-11-21 (last on 2026-11-01, 26 days ago; at most every 20 days)"),
        "{h}"
    );
    let nu = uri_of(&s.path("never/accounts.yaml"));
    c.open(&nu, &never);
    c.sync();
    let h = hover_text(&mut c, &nu, after(&never, "  getint-nev"));
    assert!(h.contains("- review: none recorded"), "{h}");
    assert_eq!(c.finish(), 0);
}

#[test]
fn completion_offers_what_the_key_takes() {
    let (_s, mut c, iu, au) = integration_open("lsp-complete");
    c.open(&au, CLEAN_ACCOUNTS);
    c.sync();
    let i = CLEAN_INTEGRATION;
    let cases: [(&str, (u32, u32), &[&str]); 7] = [
        (
            "system",
            after(i, "system: jira-cloud"),
            &["jira-cloud", "azure-devops", "github"],
        ),
        (
            "account",
            after(i, "account: getint-jira-prod"),
            &["getint-jira-prod"],
        ),
        (
            "credential type",
            after(i, "type: api-token"),
            &["api-token"],
        ),
        (
            "scopes",
            after(i, "scopes: ["),
            &["vso.work_write", "vso.work"],
        ),
        (
            "sync",
            after(i, "sync: [create, "),
            &["create", "update", "comments"],
        ),
        ("flow end", after(i, "- from: "), &["jira", "ado"]),
        ("flow end", after(i, "to: "), &["jira", "ado"]),
    ];
    for (what, pos, expected) in cases {
        let got = labels(&mut c, &iu, pos);
        for e in expected {
            assert!(
                got.iter().any(|g| g == e),
                "{what} at {pos:?}: {e} not in {got:?}"
            );
        }
    }
    let got = labels(&mut c, &au, after(CLEAN_ACCOUNTS, "permissions: ["));
    assert!(
        got.iter().any(|g| g == "BROWSE_PROJECTS"),
        "permissions: {got:?}"
    );
    assert!(
        !got.iter().any(|g| g == "vso.work"),
        "only the account's system: {got:?}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn definition_is_a_plain_location_for_clients_without_link_support() {
    let s = Scratch::with_files("lsp-nav-plain", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let integ = s.write("integ.yaml", CLEAN_INTEGRATION);
    let mut c = Client::spawn(&s.dir);
    c.request(
        "initialize",
        json!({ "capabilities": {}, "rootUri": uri_of(&s.dir) }),
    );
    let iu = uri_of(&integ);
    c.open(&iu, CLEAN_INTEGRATION);
    c.sync();
    let r = c.request("textDocument/definition", at(&iu, 10, 16));
    let key_line = CLEAN_ACCOUNTS
        .lines()
        .position(|l| l.trim() == "getint-jira-prod:")
        .unwrap();
    assert_eq!(
        r["result"][0]["uri"],
        uri_of(&s.path("accounts.yaml")),
        "{r}"
    );
    assert_eq!(
        r["result"][0]["range"]["start"],
        json!({ "line": key_line, "character": 2 }),
        "{r}"
    );
    assert_eq!(c.finish(), 0);
}
