//! In-source suppressions and their three rules, through the real binary.

mod support;
use support::{integration, Run, Scratch};

/// `check --now NOW --format compact` in the folder.
fn compact(s: &Scratch) -> Run {
    s.check().format("compact").run()
}

fn setup(secret_line: &str) -> Scratch {
    let s = Scratch::with_inventory("suppress");
    let text = integration("env:JIRA_TOKEN").replace("      secret: env:JIRA_TOKEN\n", secret_line);
    s.write("jira-ado.yaml", &text);
    s
}

/// A trailing suppression with its reason.
const TRAILING: &str = "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] test credential, revoked\n";
/// A suppression naming two rules, one of which finds nothing on its line.
const TWO_RULES: &str = "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret, insecure-url] waiver SEC-1\n";

/// One suppression case: the `secret` line of the integration, and what the compact run says.
struct Case {
    name: &'static str,
    /// Replaces the integration's `secret: env:JIRA_TOKEN` line.
    secret_line: &'static str,
    /// The compact keys, when the case pins them (an empty list: nothing printed at all).
    keys: Option<&'static [&'static str]>,
    /// Texts the output holds.
    says: &'static [&'static str],
    /// The exit status, when the case pins it.
    code: Option<i32>,
}

const CASES: &[Case] = &[
    Case {
        name: "a clean setup is clean",
        secret_line: "      secret: env:JIRA_TOKEN\n",
        keys: Some(&[]),
        says: &[],
        code: Some(0),
    },
    Case {
        name: "a trailing comment suppresses the finding on its line",
        secret_line: TRAILING,
        keys: Some(&[]),
        says: &[],
        code: Some(0),
    },
    Case {
        name: "a comment alone covers the next line that is not blank or a comment",
        secret_line: "      # bridgelint: ignore[plaintext-secret] test credential, revoked\n\n      # another comment\n      secret: \"fake-password-1\"\n",
        keys: Some(&[]),
        says: &[],
        code: Some(0),
    },
    Case {
        name: "a suppression without reason is invalid and suppresses nothing",
        secret_line: "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret]\n",
        keys: Some(&[
            "jira-ado.yaml:14:15: error[plaintext-secret]",
            "jira-ado.yaml:14:34: warning[invalid-suppression]",
        ]),
        says: &["needs a reason"],
        code: Some(1),
    },
    Case {
        name: "an unknown rule is invalid with a suggestion",
        secret_line: "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secrets] test credential\n",
        keys: None,
        says: &[
            "warning[invalid-suppression] invalid suppression: unknown rule `plaintext-secrets` (did you mean `plaintext-secret`?)",
            "error[plaintext-secret]",
        ],
        code: None,
    },
    Case {
        name: "an expired suppression no longer suppresses",
        secret_line: "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] waiver SEC-1 until=2026-11-26\n",
        keys: Some(&[
            "jira-ado.yaml:14:15: error[plaintext-secret]",
            "jira-ado.yaml:14:34: warning[expired-suppression]",
        ]),
        says: &[],
        code: None,
    },
    Case {
        name: "on its last day a suppression still works",
        secret_line: "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] waiver SEC-1 until=2026-11-27\n",
        keys: Some(&[]),
        says: &[],
        code: None,
    },
    Case {
        name: "an impossible until date is invalid",
        secret_line: "      secret: \"fake-password-1\"  # bridgelint: ignore[plaintext-secret] waiver until=2027-02-30\n",
        keys: None,
        says: &["invalid-suppression] invalid suppression: `until=2027-02-30` is not a real date"],
        code: None,
    },
    Case {
        name: "unused rules of a suppression are reported",
        secret_line: TWO_RULES,
        keys: Some(&["jira-ado.yaml:14:34: warning[unused-suppression]"]),
        says: &["no `insecure-url` finding starts on line 14"],
        code: None,
    },
    Case {
        name: "naming parse-error in a readable file is itself invalid",
        secret_line: "      secret: env:JIRA_TOKEN  # bridgelint: ignore[parse-error] no reason to\n",
        keys: None,
        says: &["invalid suppression: `parse-error` cannot be suppressed"],
        code: None,
    },
];

#[test]
fn suppression_comments_and_their_findings() {
    for case in CASES {
        let name = case.name;
        let s = setup(case.secret_line);
        let out = compact(&s);
        match case.keys {
            Some([]) => assert_eq!(out.stdout, "", "{name}: {}", out.stderr),
            Some(keys) => assert_eq!(out.compact_keys(), keys, "{name}"),
            None => {}
        }
        for text in case.says {
            assert!(out.stdout.contains(text), "{name}: {}", out.stdout);
        }
        if let Some(code) = case.code {
            assert_eq!(out.code, code, "{name}");
        }
    }
}

#[test]
fn the_human_summary_counts_suppressed_findings() {
    let s = setup(TRAILING);
    let human = s.check().args(["--color", "never"]).run();
    assert!(human.stdout.contains("1 suppressed"), "{}", human.stdout);
}

#[test]
fn a_rule_turned_off_is_not_reported_as_unused() {
    let s = setup(TWO_RULES);
    let off = s
        .check()
        .format("compact")
        .args(["--ignore", "insecure-url"])
        .run();
    assert_eq!(off.stdout, "");
}

#[test]
fn parse_error_cannot_be_suppressed() {
    let s = Scratch::new("suppress-parse");
    s.write("broken.yaml", "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: [\n# bridgelint: ignore[parse-error] broken on purpose\n");
    let out = compact(&s);
    assert!(out.stdout.contains("error[parse-error]"), "{}", out.stdout);
    assert_eq!(out.code, 1);
    // Naming it in a readable file is itself invalid: a case of
    // `suppression_comments_and_their_findings`.
}

#[test]
fn per_path_settings_silence_json_files() {
    let s = Scratch::with_inventory("per-path");
    s.write("sandbox/jira-ado.json", SANDBOX_JSON);
    let out = compact(&s);
    assert!(
        out.stdout.contains("sandbox/jira-ado.json:") && out.stdout.contains("plaintext-secret"),
        "{}",
        out.stdout
    );
    s.write(
        ".bridgelint.yaml",
        "per_path:\n  - paths: [\"sandbox/**\"]\n    rules: { plaintext-secret: off }\n",
    );
    let out = compact(&s);
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
