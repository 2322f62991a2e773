//! `bridgelint inventory` through the real binary: rows and statuses, the reporting scope,
//! every format's shape (`formats.rs`), and that no secret text ever reaches the output.
//! The fixture project's documents are in `documents.rs`.

use std::path::Path;

#[path = "../support/mod.rs"]
mod support;
use support::{Bin, Run, Scratch, INVENTORY_FORMATS as FORMATS, NOW};

mod browser;
mod documents;
mod formats;

use documents::{ACCOUNTS, INTEGRATION};

/// A scratch folder pinned as its own context root by a config (`fail_on: warning`).
fn project(tag: &str) -> Scratch {
    Scratch::with_config(tag, "fail_on: warning\n")
}

/// `inventory --now NOW --format FORMAT PATHS...` in `cwd`; asserts exit status 0.
fn inventory(cwd: &Path, format: &str, paths: &[&str]) -> Run {
    let out = Bin::inventory()
        .format(format)
        .args(paths)
        .current_dir(cwd)
        .run();
    assert_eq!(
        out.code, 0,
        "inventory {format} {paths:?} failed:\n{}",
        out.stderr
    );
    out
}

fn json_rows(cwd: &Path, paths: &[&str]) -> (serde_json::Value, Vec<serde_json::Value>) {
    let doc = inventory(cwd, "json", paths).json();
    let rows = doc["rows"].as_array().expect("rows").clone();
    (doc, rows)
}

/// (account, integration, connection, status) of each row; `-` for null.
fn summary(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("-").to_string();
            format!(
                "{} {} {} {}",
                s("account"),
                s("integration"),
                s("connection"),
                s("status")
            )
        })
        .collect()
}

fn fixture() -> Scratch {
    let dir = project("fixture");
    dir.write("accounts.yaml", ACCOUNTS);
    dir.write("integration.yaml", INTEGRATION);
    dir
}

const FIXTURE_ROWS: [&str; 12] = [
    "acc-ok fixture-int ok ok",
    "acc-expiry-soon fixture-int expiry-soon due soon",
    "acc-rotation-soon fixture-int rotation-soon due soon",
    "acc-overdue fixture-int overdue overdue",
    "acc-overdue fixture-int never-rotated overdue",
    "acc-expired fixture-int expired expired",
    "acc-edge fixture-int expires-today due soon",
    // Never `ok` while an error stands (issue 19): `no rotation` when none is declared.
    "acc-edge fixture-int expires-day-31 no rotation",
    "acc-app fixture-int app no rotation",
    "acc-unused - - findings",
    "fixture-int/inline fixture-int inline ok",
    "ghost-account fixture-int ghost no rotation",
];

#[test]
fn fixture_rows_and_statuses() {
    let dir = fixture();
    let (doc, rows) = json_rows(&dir.dir, &["."]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["today"], NOW);
    assert_eq!(summary(&rows), FIXTURE_ROWS);

    let row = |account: &str, connection: Option<&str>| {
        rows.iter()
            .find(|r| r["account"] == account && r["connection"].as_str() == connection)
            .unwrap_or_else(|| panic!("no row {account} {connection:?}"))
            .clone()
    };
    // Next rotation due is last_rotated + interval_days; empty when either is missing.
    let r = row("acc-rotation-soon", Some("rotation-soon"));
    assert_eq!(r["last_rotated"], "2026-11-10");
    assert_eq!(r["next_rotation_due"], "2026-12-10");
    assert_eq!(r["expires"], "2027-10-01");
    assert_eq!(r["credential_type"], "api-token");
    let r = row("acc-overdue", Some("never-rotated"));
    assert!(r["last_rotated"].is_null() && r["next_rotation_due"].is_null());
    // Every key is present, null when empty.
    let r = row("acc-unused", None);
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 16, "{keys:?}");
    for k in [
        "integration",
        "connection",
        "credential_type",
        "last_rotated",
        "next_rotation_due",
        "expires",
        "tested",
    ] {
        assert!(r[k].is_null(), "{k}: {}", r[k]);
    }
    assert_eq!(r["system"], "zendesk");
    assert_eq!(r["reviewed"], "2026-06-30");
    // The findings column: the errors and warnings of the account and the connection, by
    // rule, errors first.
    assert_eq!(
        r["findings"],
        "leaked-secret, stale-review, untested-account, unused-account"
    );
    assert_eq!(
        row("ghost-account", Some("ghost"))["findings"],
        "missing-rotation, unknown-account"
    );
    // A warning is shown, and leaves the status to the dates.
    let r = row("acc-ok", Some("ok"));
    assert_eq!(
        (&r["findings"], &r["status"]),
        (&"untested-account".into(), &"ok".into())
    );
    // The inline account takes its connection's system and is named integration/connection.
    let r = row("fixture-int/inline", Some("inline"));
    assert_eq!(r["system"], "jira-cloud");
    assert_eq!(r["type"], "service");
    assert_eq!(r["owner"], "team-inline");
    assert_eq!(r["reviewed"], "2026-11-20");
    assert_eq!(r["next_rotation_due"], "2027-02-18");
    // An undeclared account still shows its connection and credential.
    let r = row("ghost-account", Some("ghost"));
    assert_eq!(r["system"], "jira-cloud");
    assert!(r["owner"].is_null() && r["type"].is_null());
    assert_eq!(r["expires"], "2027-01-31");
}

#[test]
fn reporting_scope_follows_the_named_files() {
    let dir = fixture();
    // Only the integration: every account it uses (declared elsewhere in the context), but
    // not the unused account declared in the inventory.
    let (_, rows) = json_rows(&dir.dir, &["integration.yaml"]);
    let expected: Vec<&str> = FIXTURE_ROWS
        .iter()
        .copied()
        .filter(|r| !r.starts_with("acc-unused"))
        .collect();
    assert_eq!(summary(&rows), expected);
    // Only the inventory: its accounts with all their uses, no inline or undeclared ones.
    let (_, rows) = json_rows(&dir.dir, &["accounts.yaml"]);
    assert_eq!(summary(&rows), FIXTURE_ROWS[..10]);
}

#[test]
fn examples_give_the_expected_sheet() {
    let root = support::repo();
    let (_, rows) = json_rows(root, &["examples/"]);
    assert_eq!(
        summary(&rows),
        [
            // A Jira Cloud password: removed-credential-type, an error.
            "getint-jira-prod github-jira-docs-prod jira findings",
            // broad-resource-access is a warning: the dates decide.
            "getint-jira-prod github-jira-web-prod jira ok",
            "getint-jira-prod gitlab-jira-mobile-prod jira ok",
            "getint-jira-prod jira-ado-data-prod jira ok",
            "getint-jira-prod jira-ado-platform-prod jira ok",
            "getint-gitlab-prod gitlab-jira-mobile-prod gitlab due soon",
            "getint-servicenow-prod servicenow-jira-itsupport-prod servicenow no rotation",
            "sam-rivera servicenow-jira-itsupport-prod jira overdue",
            "getint-github-app github-jira-web-prod github ok",
            "getint-github-docs github-jira-docs-prod github findings",
            // Only the excluded legacy/ integration uses it.
            "getint-zendesk-prod - - ok",
            "jira-ado-data-prod/ado jira-ado-data-prod ado findings",
            "jira-ado-platform-prod/ado jira-ado-platform-prod ado ok",
        ]
    );
    assert_eq!(
        rows[0]["findings"],
        "removed-credential-type, broad-resource-access"
    );
    let sam = &rows[7];
    assert_eq!(sam["next_rotation_due"], "2026-05-31");
    assert_eq!(sam["type"], "personal");
    let gitlab = &rows[5];
    assert_eq!(gitlab["next_rotation_due"], "2026-12-09");
    assert_eq!(gitlab["expires"], "2026-12-10");
    assert_eq!(
        gitlab["findings"],
        "insecure-url, missing-scope, credential-expiring"
    );
    assert_eq!(rows[11]["findings"], "missing-scope");
    assert_eq!(rows[12]["system"], "azure-devops");

    for format in FORMATS {
        let text = inventory(root, format, &["examples/"]).stdout;
        assert!(!text.contains("hunter2"), "{format} prints a secret");
        assert!(!text.contains("correct-horse"), "{format} prints a secret");
        if format == "html" {
            // The examples hold no URL in any printed field: the page names none at all.
            assert!(!text.contains("http://") && !text.contains("https://"));
        }
    }
}

#[test]
fn invocation_errors_exit_2() {
    let dir = fixture();
    let out = dir.inventory().arg("no-such-folder").run();
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("no-such-folder"));

    let out = dir.run(&["inventory", "--now", "2026-13-01", "."]);
    assert_eq!(out.code, 2);
    let out = dir.run(&["inventory", "--format", "xml", "."]);
    assert_eq!(out.code, 2);

    let out = dir
        .inventory()
        .args(["-o", "missing/dir/sheet.txt", "."])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot write"));

    dir.write(".bridgelint.yaml", "no_such_key: true\n");
    let out = dir.inventory().arg(".").run();
    assert_eq!(out.code, 2, "an invalid config is exit 2");
}

#[test]
fn broken_files_are_counted_not_fatal() {
    let dir = project("broken");
    dir.write("accounts.yaml", ACCOUNTS);
    dir.write(
        "broken.yaml",
        "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: [unclosed\n",
    );
    let out = inventory(&dir.dir, "table", &["."]);
    let stderr = &out.stderr;
    assert!(
        stderr.contains("1 file could not be read") && stderr.contains("broken.yaml"),
        "{stderr}"
    );
    assert!(out.stdout.contains("acc-unused "));
    // -q keeps standard error quiet.
    let out = dir.run(&["inventory", "-q", "--now", NOW, "."]);
    assert_eq!(out.code, 0);
    assert!(out.stderr.is_empty());
}
