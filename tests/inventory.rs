//! `bridgelint inventory` through the real binary: rows and statuses, the reporting scope,
//! every format's shape, and that no secret text ever reaches the output.

use std::path::Path;
use std::process::{Command, Output};

mod support;
use support::Scratch;

const NOW: &str = "2026-11-27";
const FORMATS: [&str; 5] = ["table", "markdown", "csv", "json", "html"];

/// Values that must never be printed: literal credential fields, a copy of one, a token.
const PLAINTEXT_SECRET: &str = "FAKE-plaintext-s3cret-value";
const PRIVATE_KEY: &str = "FAKE-private-key-material";
const CLIENT_ID: &str = "FAKE-client-id-0042";
const GITHUB_TOKEN: &str = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

/// A scratch folder pinned as its own context root by a config (`fail_on: warning`).
fn project(tag: &str) -> Scratch {
    let s = Scratch::bare(tag);
    s.write(".bridgelint.yaml", "fail_on: warning\n");
    s
}

fn bridgelint(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bridgelint"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn inventory(cwd: &Path, format: &str, paths: &[&str]) -> Output {
    let mut args = vec!["inventory", "--now", NOW, "--format", format];
    args.extend_from_slice(paths);
    let out = bridgelint(cwd, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "inventory {format} {paths:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn json_rows(cwd: &Path, paths: &[&str]) -> (serde_json::Value, Vec<serde_json::Value>) {
    let out = inventory(cwd, "json", paths);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
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

const ACCOUNTS: &str = r#"apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  acc-ok:
    system: jira-cloud
    type: service
    username: sync-ok@example.test
    owner: team-a
    purpose: "Plain, with a comma | a pipe and a \"quote\""
    reviewed: 2026-11-01
    tested: 2026-11-02
  acc-expiry-soon:
    system: jira-cloud
    type: service
    username: sync-exp@example.test
    owner: "<script>alert(1)</script>"
    purpose: '=HYPERLINK("http://evil.example","click")'
  acc-rotation-soon:
    system: jira-cloud
    type: service
    username: sync-rot@example.test
    owner: "+team"
    purpose: "@SUM(A1)"
  acc-overdue:
    system: jira-cloud
    type: service
    username: "-1+1"
    owner: team-b
    purpose: Two connections, both overdue
  acc-expired:
    system: jira-cloud
    type: service
    username: sync-old@example.test
    owner: team-b
    purpose: Expired yesterday
  acc-edge:
    system: jira-cloud
    type: service
    username: sync-edge@example.test
    owner: team-c
    purpose: "Line one\nline two"
  acc-app:
    system: github
    type: bot
    username: "fixture[bot]"
    owner: team-c
    purpose: GitHub App installation
  acc-unused:
    system: zendesk
    type: service
    username: sync-unused@example.test
    owner: "owner FAKE-plaintext-s3cret-value"
    purpose: "Leaked ghp_0123456789abcdefghijABCDEFGHIJ012345 here"
    reviewed: 2026-06-30
"#;

const INTEGRATION: &str = r#"apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: fixture-int
  owner: team-a
connections:
  ok:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-ok
    credential:
      type: api-token
      secret: env:A
      expires: 2027-11-15
      rotation: { interval_days: 90, last_rotated: 2026-11-16 }
  expiry-soon:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-expiry-soon
    credential:
      type: api-token
      secret: env:B
      expires: 2026-12-20
      rotation: { interval_days: 365, last_rotated: 2026-11-01 }
  rotation-soon:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-rotation-soon
    credential:
      type: api-token
      secret: env:C
      expires: 2027-10-01
      rotation: { interval_days: 30, last_rotated: 2026-11-10 }
  overdue:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-overdue
    credential:
      type: api-token
      secret: env:D
      expires: 2027-06-01
      rotation: { interval_days: 30, last_rotated: 2026-09-01 }
  never-rotated:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-overdue
    credential:
      type: api-token
      secret: env:E
      rotation: { interval_days: 90 }
  expired:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-expired
    credential:
      type: password
      secret: "FAKE-plaintext-s3cret-value"
      expires: 2026-11-26
      rotation: { interval_days: 30, last_rotated: 2026-01-01 }
  expires-today:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-edge
    credential:
      type: api-token
      secret: env:F
      expires: 2026-11-27
  expires-day-31:
    system: jira-cloud
    url: https://a.atlassian.net
    account: acc-edge
    credential:
      type: api-token
      secret: env:G
      expires: 2026-12-28
  app:
    system: github
    url: https://github.com/acme/web
    account: acc-app
    credential:
      type: app-installation
      private_key: "FAKE-private-key-material"
  inline:
    system: jira-cloud
    url: https://a.atlassian.net
    account:
      type: service
      username: inline-sync@example.test
      owner: team-inline
      purpose: Declared inline
      reviewed: 2026-11-20
    credential:
      type: oauth-client-credentials
      client_id: "FAKE-client-id-0042"
      secret: env:H
      rotation: { interval_days: 90, last_rotated: 2026-11-20 }
  ghost:
    system: jira-cloud
    url: https://a.atlassian.net
    account: ghost-account
    credential:
      type: api-token
      secret: env:I
      expires: 2027-01-31
flows:
  - from: ok
    to: expiry-soon
    sync: [update]
"#;

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
    "acc-edge fixture-int expires-day-31 ok",
    "acc-app fixture-int app ok",
    "acc-unused - - ok",
    "fixture-int/inline fixture-int inline ok",
    "ghost-account fixture-int ghost ok",
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
    assert_eq!(keys.len(), 15, "{keys:?}");
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, rows) = json_rows(root, &["examples/"]);
    assert_eq!(
        summary(&rows),
        [
            "getint-jira-prod github-jira-web-prod jira ok",
            "getint-jira-prod gitlab-jira-mobile-prod jira ok",
            "getint-jira-prod jira-ado-platform-prod jira ok",
            "getint-gitlab-prod gitlab-jira-mobile-prod gitlab due soon",
            "getint-servicenow-prod servicenow-jira-itsupport-prod servicenow ok",
            "sam-rivera servicenow-jira-itsupport-prod jira overdue",
            "getint-github-app github-jira-web-prod github ok",
            // Only the excluded legacy/ integration uses it.
            "getint-zendesk-prod - - ok",
            "jira-ado-platform-prod/ado jira-ado-platform-prod ado ok",
        ]
    );
    let sam = &rows[5];
    assert_eq!(sam["next_rotation_due"], "2026-05-31");
    assert_eq!(sam["type"], "personal");
    let gitlab = &rows[3];
    assert_eq!(gitlab["next_rotation_due"], "2026-12-09");
    assert_eq!(gitlab["expires"], "2026-12-10");
    assert_eq!(rows[8]["system"], "azure-devops");

    for format in FORMATS {
        let text = stdout(&inventory(root, format, &["examples/"]));
        assert!(!text.contains("hunter2"), "{format} prints a secret");
        assert!(!text.contains("correct-horse"), "{format} prints a secret");
        if format == "html" {
            // The examples hold no URL in any printed field: the page names none at all.
            assert!(!text.contains("http://") && !text.contains("https://"));
        }
    }
}

#[test]
fn table_is_aligned_with_a_summary() {
    let dir = fixture();
    let text = stdout(&inventory(&dir.dir, "table", &["."]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + FIXTURE_ROWS.len() + 2, "{text}");
    assert!(lines[0].starts_with("Account "));
    assert!(lines[1].starts_with("------"));
    // Columns line up: every cell of the Status column starts where its header does.
    let status_col = lines[0].find("Status").unwrap();
    for line in &lines[2..2 + FIXTURE_ROWS.len()] {
        let before: String = line.chars().take(status_col).collect();
        assert!(before.ends_with("  "), "misaligned: {line}");
    }
    assert!(lines[2].starts_with("acc-ok "));
    assert!(lines[11].starts_with("acc-unused ") && lines[11].contains(" - "));
    // A line break inside a value does not break the table.
    assert!(text.contains("Line one\\nline two"));
    assert_eq!(lines[lines.len() - 2], "");
    assert_eq!(
        lines[lines.len() - 1],
        "12 rows on 2026-11-27: 1 expired, 2 overdue, 3 due soon, 6 ok"
    );
}

#[test]
fn markdown_is_a_github_table() {
    let dir = fixture();
    let text = stdout(&inventory(&dir.dir, "markdown", &["."]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + FIXTURE_ROWS.len());
    assert!(lines[0].starts_with("| Account | System |"));
    assert_eq!(lines[1], "|---".repeat(15) + "|");
    for line in &lines {
        // 16 cell delimiters: pipes not preceded by a backslash escape.
        let unescaped = line
            .char_indices()
            .filter(|(i, c)| *c == '|' && !line[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 16, "{line}");
    }
    assert!(text.contains("Plain, with a comma \\| a pipe and a \"quote\""));
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!text.contains("<script>"));
}

/// A minimal RFC 4180 reader.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(cell.is_empty(), "quote inside an unquoted cell");
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("bare LF outside quotes"),
            c => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "trailing data"
    );
    rows
}

#[test]
fn csv_parses_back_to_the_same_cells() {
    let dir = fixture();
    let text = stdout(&inventory(&dir.dir, "csv", &["."]));
    let records = parse_csv(&text);
    let (_, rows) = json_rows(&dir.dir, &["."]);
    assert_eq!(records.len(), rows.len() + 1);
    assert_eq!(records[0][0], "Account");
    assert_eq!(records[0][14], "Status");
    let keys = [
        "account",
        "system",
        "type",
        "username",
        "owner",
        "purpose",
        "integration",
        "connection",
        "credential_type",
        "last_rotated",
        "next_rotation_due",
        "expires",
        "reviewed",
        "tested",
        "status",
    ];
    for (record, row) in records[1..].iter().zip(&rows) {
        assert_eq!(record.len(), 15);
        for (cell, key) in record.iter().zip(keys) {
            let value = row[key].as_str().unwrap_or("");
            // Formula-looking cells carry one leading apostrophe, nothing else changes.
            let expected = if value.starts_with(['=', '+', '-', '@']) {
                format!("'{value}")
            } else {
                value.to_string()
            };
            assert_eq!(cell, &expected, "{key}");
        }
    }
    // Quoting and formula injection, checked on the raw text too.
    assert!(text.contains("\"Plain, with a comma | a pipe and a \"\"quote\"\"\""));
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""));
    assert!(text.contains(",'+team,'@SUM(A1),"));
    assert!(text.contains(",'-1+1,"));
    assert!(text.contains("\"Line one\nline two\""));
    for record in &records {
        for cell in record {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula: {cell}");
        }
    }
}

#[test]
fn html_is_one_self_contained_sortable_page() {
    let dir = fixture();
    let text = stdout(&inventory(&dir.dir, "html", &["."]));
    assert!(text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(text.ends_with("</html>\n"));
    assert_eq!(text.matches("<html").count(), 1);
    assert_eq!(text.matches("</html>").count(), 1);
    assert_eq!(text.matches("<body").count(), 1);
    // No external asset, nothing that loads.
    let lower = text.to_lowercase();
    for needle in [
        "<script src",
        " src=",
        " href=",
        "<link",
        "url(",
        "@import",
        "<iframe",
    ] {
        assert!(!lower.contains(needle), "found {needle}");
    }
    assert!(text.contains("default-src 'none'"));
    // One inline script (the sorter) and one inline style.
    assert_eq!(text.matches("<script").count(), 1);
    assert_eq!(text.matches("<style").count(), 1);
    assert!(text.contains("addEventListener(\"click\""));
    assert_eq!(text.matches("<button type=\"button\">").count(), 15);
    // Title, date, counts per status.
    assert!(text.contains("<title>Service-account inventory, 2026-11-27</title>"));
    for count in ["1 expired", "2 overdue", "3 due soon", "6 ok"] {
        assert!(text.contains(&format!(">{count}</li>")), "{count}");
    }
    // Highlighted rows.
    assert!(text.contains(".status-overdue { background:"));
    assert!(text.contains(".status-expired { background:"));
    assert!(text.contains(".status-due-soon { background:"));
    assert_eq!(text.matches("<tr class=\"status-overdue\">").count(), 2);
    assert_eq!(text.matches("<tr class=\"status-expired\">").count(), 1);
    assert_eq!(text.matches("<tr class=\"status-due-soon\">").count(), 3);
    let overdue = text
        .lines()
        .find(|l| l.starts_with("<tr class=\"status-overdue\">"))
        .unwrap();
    assert!(overdue.contains("<td>acc-overdue</td>"));
    // Every cell escaped.
    assert!(text.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
    assert!(!text.contains("alert(1)</script>"));
    assert!(text.contains("&quot;quote&quot;"));
    assert!(text.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)"));
}

#[test]
fn no_secret_text_in_any_format() {
    let dir = fixture();
    for format in FORMATS {
        let out = inventory(&dir.dir, format, &["."]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in [PLAINTEXT_SECRET, PRIVATE_KEY, CLIENT_ID, GITHUB_TOKEN] {
            assert!(!all.contains(secret), "{format} prints {secret}");
        }
        assert!(
            !all.contains("0123456789abcdefghij"),
            "{format}: token text"
        );
    }
    let (_, rows) = json_rows(&dir.dir, &["."]);
    let unused = rows.iter().find(|r| r["account"] == "acc-unused").unwrap();
    assert_eq!(unused["owner"], "owner ****");
    assert_eq!(unused["purpose"], "****");
}

#[test]
fn output_file_and_determinism() {
    let dir = fixture();
    let first = stdout(&inventory(&dir.dir, "html", &["."]));
    let second = stdout(&inventory(&dir.dir, "html", &["."]));
    assert_eq!(first, second);
    let out = bridgelint(
        &dir.dir,
        &[
            "inventory",
            "--now",
            NOW,
            "--format",
            "csv",
            "-o",
            "sheet.csv",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(dir.dir.join("sheet.csv")).unwrap();
    assert_eq!(written, stdout(&inventory(&dir.dir, "csv", &["."])));
}

#[test]
fn invocation_errors_exit_2() {
    let dir = fixture();
    let out = bridgelint(&dir.dir, &["inventory", "--now", NOW, "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-folder"));

    let out = bridgelint(&dir.dir, &["inventory", "--now", "2026-13-01", "."]);
    assert_eq!(out.status.code(), Some(2));
    let out = bridgelint(&dir.dir, &["inventory", "--format", "xml", "."]);
    assert_eq!(out.status.code(), Some(2));

    let out = bridgelint(
        &dir.dir,
        &[
            "inventory",
            "--now",
            NOW,
            "-o",
            "missing/dir/sheet.txt",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));

    dir.write(".bridgelint.yaml", "no_such_key: true\n");
    let out = bridgelint(&dir.dir, &["inventory", "--now", NOW, "."]);
    assert_eq!(out.status.code(), Some(2), "an invalid config is exit 2");
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 file could not be read") && stderr.contains("broken.yaml"),
        "{stderr}"
    );
    assert!(stdout(&out).contains("acc-unused "));
    // -q keeps standard error quiet.
    let out = bridgelint(&dir.dir, &["inventory", "-q", "--now", NOW, "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn empty_sheet_in_every_format() {
    let dir = project("empty");
    dir.write("notes.yaml", "just: a file that is not ours\n");
    let (_, rows) = json_rows(&dir.dir, &["."]);
    assert!(rows.is_empty());
    let csv = stdout(&inventory(&dir.dir, "csv", &["."]));
    assert_eq!(parse_csv(&csv).len(), 1);
    let table = stdout(&inventory(&dir.dir, "table", &["."]));
    assert!(table.ends_with("0 rows on 2026-11-27: 0 expired, 0 overdue, 0 due soon, 0 ok\n"));
    let html = stdout(&inventory(&dir.dir, "html", &["."]));
    assert!(html.contains("<tbody>\n</tbody>"));
}
