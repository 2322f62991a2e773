//! In-source suppressions and their three rules, through the real binary.

mod support;
use support::{integration, Scratch, INVENTORY};

const NOW: [&str; 2] = ["--now", "2026-11-27"];

fn check(s: &Scratch) -> support::Output {
    let mut args = vec!["check", "--format", "compact"];
    args.extend(NOW);
    s.run(&args)
}

fn setup(secret_line: &str) -> Scratch {
    let s = Scratch::new("suppress");
    s.write("accounts.yaml", INVENTORY);
    let text = integration("env:JIRA_TOKEN").replace("      secret: env:JIRA_TOKEN\n", secret_line);
    s.write("jira-ado.yaml", &text);
    s
}

#[test]
fn a_clean_setup_is_clean() {
    let s = setup("      secret: env:JIRA_TOKEN\n");
    let out = check(&s);
    assert_eq!(out.stdout, "", "{}", out.stderr);
    assert_eq!(out.code, 0);
}

#[test]
fn a_trailing_comment_suppresses_the_finding_on_its_line() {
    let s = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] test credential, revoked\n");
    let out = check(&s);
    assert_eq!(out.stdout, "", "{}", out.stderr);
    assert_eq!(out.code, 0);
    let human = s.run(&["check", "--now", "2026-11-27", "--color", "never"]);
    assert!(human.stdout.contains("1 suppressed"), "{}", human.stdout);
}

#[test]
fn a_comment_alone_covers_the_next_line_that_is_not_blank_or_a_comment() {
    let s = setup(
        "      # bridgelint: ignore[plaintext-secret] test credential, revoked\n\n      # another comment\n      secret: \"fake-password-1\"\n",
    );
    let out = check(&s);
    assert_eq!(out.stdout, "", "{}", out.stderr);
    assert_eq!(out.code, 0);
}

#[test]
fn a_suppression_without_reason_is_invalid_and_suppresses_nothing() {
    let s = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret]\n");
    let out = check(&s);
    assert_eq!(
        support::compact_keys(&out.stdout),
        [
            "jira-ado.yaml:14:15: error[plaintext-secret]",
            "jira-ado.yaml:14:34: warning[invalid-suppression]"
        ]
    );
    assert!(out.stdout.contains("needs a reason"), "{}", out.stdout);
    assert_eq!(out.code, 1);
}

#[test]
fn an_unknown_rule_is_invalid_with_a_suggestion() {
    let s = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secrets] test credential\n");
    let out = check(&s);
    assert!(out.stdout.contains("warning[invalid-suppression] invalid suppression: unknown rule `plaintext-secrets` (did you mean `plaintext-secret`?)"), "{}", out.stdout);
    assert!(out.stdout.contains("error[plaintext-secret]"));
}

#[test]
fn an_expired_suppression_no_longer_suppresses() {
    let s = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] waiver SEC-1 until=2026-11-26\n");
    let out = check(&s);
    assert_eq!(
        support::compact_keys(&out.stdout),
        [
            "jira-ado.yaml:14:15: error[plaintext-secret]",
            "jira-ado.yaml:14:34: warning[expired-suppression]"
        ]
    );
    // On its last day it still works.
    let s2 = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] waiver SEC-1 until=2026-11-27\n");
    assert_eq!(check(&s2).stdout, "");
}

#[test]
fn an_impossible_until_date_is_invalid() {
    let s = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] waiver until=2027-02-30\n");
    let out = check(&s);
    assert!(
        out.stdout.contains(
            "invalid-suppression] invalid suppression: `until=2027-02-30` is not a real date"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn unused_rules_of_a_suppression_are_reported() {
    let s = setup("      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret, insecure-url] waiver SEC-1\n");
    let out = check(&s);
    assert_eq!(
        support::compact_keys(&out.stdout),
        ["jira-ado.yaml:14:34: warning[unused-suppression]"]
    );
    assert!(
        out.stdout
            .contains("no `insecure-url` finding starts on line 14"),
        "{}",
        out.stdout
    );
    // A rule turned off for the file is not reported as unused.
    let off = s.run(&[
        "check",
        "--format",
        "compact",
        "--now",
        "2026-11-27",
        "--ignore",
        "insecure-url",
    ]);
    assert_eq!(off.stdout, "");
}

#[test]
fn parse_error_cannot_be_suppressed() {
    let s = Scratch::new("suppress-parse");
    s.write("broken.yaml", "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: [\n# bridgelint: ignore[parse-error] broken on purpose\n");
    let out = check(&s);
    assert!(out.stdout.contains("error[parse-error]"), "{}", out.stdout);
    assert_eq!(out.code, 1);
    // Naming it in a readable file is itself invalid.
    let s = setup("      secret: env:JIRA_TOKEN  # bridgelint: ignore[parse-error] no reason to\n");
    let out = check(&s);
    assert!(
        out.stdout
            .contains("invalid suppression: `parse-error` cannot be suppressed"),
        "{}",
        out.stdout
    );
}

#[test]
fn per_path_settings_silence_json_files() {
    let s = Scratch::new("per-path");
    s.write("accounts.yaml", INVENTORY);
    s.write("sandbox/jira-ado.json", SANDBOX_JSON);
    let out = check(&s);
    assert!(
        out.stdout.contains("sandbox/jira-ado.json:") && out.stdout.contains("plaintext-secret"),
        "{}",
        out.stdout
    );
    s.write(
        ".bridgelint.yaml",
        "per_path:\n  - paths: [\"sandbox/**\"]\n    rules: { plaintext-secret: off }\n",
    );
    let out = check(&s);
    assert_eq!(out.stdout, "", "{}", out.stderr);
}

/// An Integration in JSON with a plaintext secret (JSON cannot hold suppression comments).
const SANDBOX_JSON: &str = r#"{
  "apiVersion": "bridgelint/v1",
  "kind": "Integration",
  "metadata": {"name": "jira-ado-sandbox", "owner": "team-platform", "environment": "prod"},
  "connections": {
    "jira": {
      "system": "jira-cloud", "url": "https://acme.atlassian.net", "account": "getint-jira",
      "credential": {"type": "api-token", "secret": "fake-password-1", "expires": "2027-06-30",
                     "rotation": {"interval_days": 90, "last_rotated": "2026-11-01"}}
    },
    "ado": {
      "system": "azure-devops", "url": "https://dev.azure.com/acme", "account": "getint-ado",
      "credential": {"type": "personal-access-token", "secret": "vault:kv/ado#pat", "expires": "2027-06-30",
                     "rotation": {"interval_days": 90, "last_rotated": "2026-11-01"}}
    }
  },
  "flows": [{"from": "jira", "to": "ado", "sync": ["create", "update"]}, {"from": "ado", "to": "jira", "sync": ["comments"]}]
}
"#;
