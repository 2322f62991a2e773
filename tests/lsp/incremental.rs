//! The project kept between changes (ARCHITECTURE.md, "The language server"): what an edit
//! parses again and lints (read from the `--verbose` log line of each run), the findings of
//! each document opened alone equal to `check`'s over the whole folder (without custom rules,
//! with the examples' own, which read one file each, and with one that reads other files: it
//! makes every run take every file), files changed,
//! created and deleted on disk with and without a client that reports them, a config that
//! becomes invalid, and several unsaved new documents.

use std::path::Path;

use super::support::{self, Bin};
use super::*;
use client::uri_of;
use diagnostics::{seen_in_check, seen_published};

/// Starts `bridgelint lsp --verbose` on `dir`; `watch`: the client reports changed files.
fn start(dir: &Path, watch: bool) -> Client {
    let bin = Bin::new()
        .args(["lsp", "--now", NOW, "--verbose"])
        .current_dir(dir);
    let mut c = Client::spawn_with(bin);
    let mut caps = json!({ "general": { "positionEncodings": ["utf-32"] } });
    if watch {
        caps["workspace"] = json!({ "didChangeWatchedFiles": { "dynamicRegistration": true } });
    }
    let uri = uri_of(dir);
    let r = c.request(
        "initialize",
        json!({ "capabilities": caps, "workspaceFolders": [{ "uri": uri, "name": "ws" }] }),
    );
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-32");
    c.notify("initialized", json!({}));
    c
}

/// (parsed, listed, linted) of every run logged since the last call.
fn runs(c: &mut Client) -> Vec<(usize, usize, usize)> {
    c.sync();
    let mut out = Vec::new();
    c.backlog.retain(|m| {
        let line = m["params"]["message"].as_str().unwrap_or("");
        let Some((_, counts)) = line.split_once(": ") else {
            return true;
        };
        if m["method"] != "window/logMessage" || !line.starts_with("checked ") {
            return true;
        }
        let n: Vec<usize> = counts
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        out.push((n[0], n[1], n[2]));
        false
    });
    out
}

fn change(c: &mut Client, uri: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }] }),
    );
}

fn watched(c: &mut Client, path: &Path, kind: u8) {
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri_of(path), "type": kind }] }),
    );
}

/// The rule of every diagnostic published last for `uri`.
fn codes(c: &mut Client, uri: &str) -> Vec<String> {
    c.last_published(uri)
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// An integration named `name` whose Jira connection uses the inventory account `account`.
fn integration(name: &str, account: &str) -> String {
    CLEAN_INTEGRATION
        .replace("name: jira-ado", &format!("name: {name}"))
        .replace("account: getint-jira-prod", &format!("account: {account}"))
}

#[test]
fn an_edit_parses_only_its_document_and_lints_the_files_related_to_it() {
    // c.yaml (staging) shares a.yaml's (prod) account: its `shared-account` finding needs a.yaml.
    let sharing = staging("sharing", "getint-jira-prod");
    let s = Scratch::with_files(
        "lsp-incr",
        &[
            ("accounts.yaml", CLEAN_ACCOUNTS),
            ("a.yaml", &integration("jira-ado", "getint-jira-prod")),
            ("b.yaml", &integration("unrelated", "getint-elsewhere")),
        ],
    );
    let path = s.write("c.yaml", &sharing);
    let mut c = start(&s.dir, true);
    let uri = uri_of(&path);
    c.open(&uri, &sharing);
    // The first run parses every file; it lints c.yaml with the inventory and the integration
    // that shares its account, not b.yaml.
    assert_eq!(runs(&mut c), vec![(4, 4, 3)]);
    assert_eq!(codes(&mut c, &uri), vec!["shared-account"]);
    change(&mut c, &uri, 2, &format!("{sharing}# a comment\n"));
    assert_eq!(runs(&mut c), vec![(1, 4, 3)], "an edit parses one file");
    // Renaming the account relates the document to no other file any more.
    change(&mut c, &uri, 3, &staging("sharing", "getint-nobody"));
    assert_eq!(runs(&mut c), vec![(1, 4, 1)]);
    assert_eq!(codes(&mut c, &uri), vec!["unknown-account"]);
    // Closing the last document keeps the project: opening another parses only it (c.yaml,
    // closed, is read from disk again).
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let b = uri_of(&s.path("b.yaml"));
    c.open(&b, &integration("unrelated", "getint-elsewhere"));
    assert_eq!(runs(&mut c), vec![(2, 4, 1)]);
    // An unsaved edit of the config reloads nothing: it is read from disk once saved.
    let config = uri_of(&s.path(".bridgelint.yaml"));
    c.open(&config, "{}\n");
    runs(&mut c);
    change(&mut c, &config, 2, "rules: { unknown-account: off }\n");
    assert_eq!(runs(&mut c), vec![(0, 4, 1)]);
    s.write(".bridgelint.yaml", "rules: { unknown-account: off }\n");
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": config } }),
    );
    assert_eq!(
        runs(&mut c),
        vec![(4, 4, 1)],
        "saved: prepared and parsed anew"
    );
    assert_eq!(c.finish(), 0);
}

/// [`integration`] in the `staging` environment.
fn staging(name: &str, account: &str) -> String {
    integration(name, account).replace("environment: prod", "environment: staging")
}

/// The custom rules of an examples project.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rules {
    /// None (the config's line naming them goes).
    BuiltIn,
    /// The examples' rule that reads one file's records (`no-stale-ado-pat-in-prod`).
    FileLocal,
    /// The examples' own: `owner-is-a-team` also reads accounts, their own file's values.
    Examples,
    /// The examples' own and one whose findings depend on other files (an account's uses).
    CrossFile,
}

/// A custom rule whose findings depend on other files: an account's uses.
const CROSS_FILE_RULE: &str = "\
name: account-used-twice
severity: info
category: custom
summary: An inventory account used by more than one connection.
explanation: A test rule that reads other files' records.
checks:
  - for_each: accounts
    where: len(uses) > 1
    message: \"account `{id}` is used by {len(uses)} connections\"
    subject: id
";

/// Copies the examples (documents, config, custom rules) into a scratch project.
fn examples(rules: Rules) -> Scratch {
    let s = Scratch::bare("lsp-examples");
    let root = support::repo().join("examples");
    for entry in walk(&root) {
        let rel = entry
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let text = std::fs::read_to_string(&entry).unwrap();
        let text = match (rel.as_str(), rules) {
            (".bridgelint.yaml", Rules::BuiltIn) => {
                text.replace("custom_rules: [\"policy/rules\"]", "")
            }
            _ => text,
        };
        s.write(&rel, text);
    }
    match rules {
        Rules::CrossFile => {
            s.write("policy/rules/account-used-twice.yaml", CROSS_FILE_RULE);
        }
        Rules::FileLocal => s.remove("policy/rules/owner-is-a-team.yaml"),
        _ => {}
    }
    s
}

/// The YAML and JSON files under `dir`, in order.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
    out
}

#[test]
fn each_document_opened_alone_gets_what_check_reports_for_it_over_the_whole_folder() {
    for rules in [
        Rules::BuiltIn,
        Rules::FileLocal,
        Rules::Examples,
        Rules::CrossFile,
    ] {
        let s = examples(rules);
        let check = s.check().format("json").arg(".").run();
        let all = check.json();
        let mut c = start(&s.dir, true);
        let mut seen_any = 0;
        for path in walk(&s.dir) {
            let rel = path.strip_prefix(&s.dir).unwrap().to_str().unwrap();
            let expected = seen_in_check(&all, rel);
            let uri = uri_of(&path);
            c.open(&uri, &std::fs::read_to_string(&path).unwrap());
            let got = seen_published(&c.last_published(&uri));
            assert_eq!(got, expected, "{rel} ({rules:?})");
            seen_any += got.len();
            c.notify(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": uri } }),
            );
        }
        assert!(seen_any >= 10, "the examples hold findings: {seen_any}");
        let linted: Vec<usize> = runs(&mut c).iter().map(|r| r.2).collect();
        let listed = runs_listed(&s);
        match rules {
            // A rule that reads other files' records may relate files in any way: every run
            // lints every file.
            Rules::CrossFile => assert!(linted.iter().all(|&n| n == listed), "{linted:?}"),
            _ => assert!(linted.iter().any(|&n| n < listed), "{linted:?}"),
        }
        assert_eq!(c.finish(), 0);
    }
}

/// How many files `check` lists in the folder (its `--verbose` summary line).
fn runs_listed(s: &Scratch) -> usize {
    let run = s.check().args(["--verbose", "--format", "json", "."]).run();
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("files checked"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let checked: usize = line.split(' ').next().unwrap().parse().unwrap();
    let skipped: usize = line
        .split(", ")
        .nth(1)
        .and_then(|w| w.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    checked + skipped
}

#[test]
fn files_created_changed_and_deleted_on_disk_are_seen_when_the_client_reports_them() {
    let s = Scratch::project("lsp-disk");
    let a = s.write("a.yaml", CLEAN_INTEGRATION);
    let mut c = start(&s.dir, true);
    let uri = uri_of(&a);
    c.open(&uri, CLEAN_INTEGRATION);
    assert_eq!(codes(&mut c, &uri), vec!["unknown-account"]);
    let accounts = s.write("accounts.yaml", CLEAN_ACCOUNTS);
    watched(&mut c, &accounts, 1);
    assert_eq!(codes(&mut c, &uri), Vec::<String>::new(), "created");
    let renamed = CLEAN_ACCOUNTS.replace("getint-jira-prod:", "getint-jira-renamed:");
    s.write("accounts.yaml", &renamed);
    watched(&mut c, &accounts, 2);
    assert_eq!(codes(&mut c, &uri), vec!["unknown-account"], "changed");
    assert_eq!(runs(&mut c).last().unwrap().0, 1, "only the changed file");
    s.write("accounts.yaml", CLEAN_ACCOUNTS);
    watched(&mut c, &accounts, 2);
    assert_eq!(codes(&mut c, &uri), Vec::<String>::new(), "changed back");
    s.remove("accounts.yaml");
    watched(&mut c, &accounts, 3);
    assert_eq!(codes(&mut c, &uri), vec!["unknown-account"], "deleted");
    assert_eq!(c.finish(), 0);
}

#[test]
fn without_reports_from_the_client_a_changed_file_is_seen_at_the_next_run() {
    let s = Scratch::with_files("lsp-nowatch", &[("accounts.yaml", CLEAN_ACCOUNTS)]);
    let a = s.write("a.yaml", CLEAN_INTEGRATION);
    let mut c = start(&s.dir, false);
    let uri = uri_of(&a);
    c.open(&uri, CLEAN_INTEGRATION);
    assert_eq!(codes(&mut c, &uri), Vec::<String>::new());
    // The inventory changes on disk (another size), and nobody says so.
    let renamed = CLEAN_ACCOUNTS.replace("getint-jira-prod:", "getint-jira-renamed:");
    s.write("accounts.yaml", &renamed);
    change(&mut c, &uri, 2, &format!("{CLEAN_INTEGRATION}# edited\n"));
    assert_eq!(codes(&mut c, &uri), vec!["unknown-account"]);
    assert_eq!(
        runs(&mut c).last().unwrap().0,
        2,
        "the edit and the inventory"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn an_invalid_config_keeps_the_last_valid_one_for_the_other_documents() {
    let s = Scratch::with_config("lsp-keep", "rules:\n  display-name: off\n");
    s.write("accounts.yaml", CLEAN_ACCOUNTS);
    let info_only = support::integration_with_info_only();
    let a = s.write("a.yaml", &info_only);
    let config = s.path(".bridgelint.yaml");
    let mut c = start(&s.dir, true);
    let uri = uri_of(&a);
    c.open(&uri, &info_only);
    assert_eq!(
        codes(&mut c, &uri),
        Vec::<String>::new(),
        "display-name is off"
    );
    s.write(".bridgelint.yaml", "rules:\n  no-such-rule: off\n");
    watched(&mut c, &config, 2);
    c.sync();
    let warned = c.backlog.iter().any(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("unknown rule `no-such-rule`"))
    });
    assert!(warned, "{:?}", c.backlog);
    // An edit is still checked, with the config that last loaded (display-name still off).
    let leaky = info_only.replace("secret: env:JIRA_API_TOKEN", "secret: hunter2-fake");
    change(&mut c, &uri, 2, &leaky);
    assert_eq!(codes(&mut c, &uri), vec!["plaintext-secret"]);
    // Repaired: the new config applies (display-name back on).
    s.write(".bridgelint.yaml", "{}\n");
    watched(&mut c, &config, 2);
    let mut now = codes(&mut c, &uri);
    now.sort();
    assert_eq!(now, vec!["display-name", "plaintext-secret"]);
    assert_eq!(c.finish(), 0);
}

#[test]
fn every_unsaved_new_document_joins_the_project() {
    let s = Scratch::project("lsp-unsaved");
    let mut c = start(&s.dir, true);
    let integ = uri_of(&s.path("new-integration.yaml"));
    let inventory = uri_of(&s.path("team/new-accounts.yaml"));
    let other = uri_of(&s.path("other.yaml"));
    c.open(&integ, CLEAN_INTEGRATION);
    assert_eq!(codes(&mut c, &integ), vec!["unknown-account"]);
    c.open(&inventory, CLEAN_ACCOUNTS);
    c.open(&other, &staging("other", "getint-jira-prod"));
    // other.yaml (staging) comes after new-integration.yaml (prod): its use is the one flagged.
    assert_eq!(codes(&mut c, &integ), Vec::<String>::new());
    assert_eq!(codes(&mut c, &other), vec!["shared-account"]);
    assert_eq!(codes(&mut c, &inventory), Vec::<String>::new());
    assert_eq!(c.finish(), 0);
}

#[test]
fn without_reports_from_the_client_an_opened_file_the_walk_missed_joins_the_project() {
    let s = Scratch::project("lsp-nowatch-new");
    let a = s.write("a.yaml", CLEAN_INTEGRATION);
    let mut c = start(&s.dir, false);
    let uri = uri_of(&a);
    c.open(&uri, CLEAN_INTEGRATION);
    assert_eq!(codes(&mut c, &uri), vec!["unknown-account"]);
    // The inventory is created on disk, unreported, then opened: the folder is walked again.
    let accounts = s.write("accounts.yaml", CLEAN_ACCOUNTS);
    c.open(&uri_of(&accounts), CLEAN_ACCOUNTS);
    assert_eq!(codes(&mut c, &uri), Vec::<String>::new());
    assert_eq!(runs(&mut c).last().unwrap().1, 2, "the walk lists it");
    assert_eq!(c.finish(), 0);
}
