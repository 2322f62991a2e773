//! Leaks the first audit found, each reproduced on a minimal input (SECURITY.md, "Gaps found
//! and closed"; the `bug_` prefix keeps the history): they now pass.

use super::detect::context;
use super::support::Scratch;
use super::WINDOW;

const INTEGRATION_HEAD: &str = "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: { name: bug, owner: team-platform, environment: prod }\n";
const ADO_CONNECTION: &str = "  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential:\n      type: personal-access-token\n      secret: env:ADO_PAT\n";
const FLOW: &str = "flows:\n  - { from: jira, to: ado, sync: [create] }\n";

/// A one-off project: files, a run, the outputs of every format.
fn outputs_of(files: &[(&str, &str)], extra: &[&str]) -> Vec<(String, String)> {
    let scratch = Scratch::project("bug");
    for (p, t) in files {
        scratch.write(p, t);
    }
    let mut out = Vec::new();
    for (label, run) in super::check_every_format(&scratch, &[extra]) {
        let f = label.split(' ').next().unwrap_or_default().to_string();
        out.push((format!("{f} [stdout]"), run.stdout));
        out.push((format!("{f} [stderr]"), run.stderr));
    }
    out
}

/// Asserts that no output holds `secret` (`name` says which case).
fn assert_absent(name: &str, outputs: &[(String, String)], secret: &str) {
    let leaks: Vec<String> = outputs
        .iter()
        .filter_map(|(label, text)| {
            text.find(secret)
                .map(|at| format!("{label}: {}", context(text, at, secret.len())))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "{name}: `{secret}` is printed:\n{}",
        leaks.join("\n")
    );
}

/// A leak on one integration file: the case (the test it once was, with what went wrong),
/// the file, the rule whose finding must be reported, and the texts no output may hold.
struct OneFileLeak {
    name: &'static str,
    text: String,
    rule: &'static str,
    secrets: Vec<&'static str>,
}

fn one_file_leaks() -> Vec<OneFileLeak> {
    let ghp = "ghp_Zr8Qm2Lk5Vx9Tb3Nw7Hc1Yd6Pf4Sg0Ja8KeM";
    let glpat = "glpat-Xq3Vn8Rt2Lm6Kp9Wz1Hd";
    vec![
        // `url: https://svc:Hunter2-Hunter2@jira.example`: the message masks the userinfo, but the
        // human excerpt of the `insecure-url` finding prints the line as written.
        OneFileLeak {
            name: "bug_url_userinfo_password_shown_in_human_excerpt",
            text: format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://svc:Hunter2-Hunter2@jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:JIRA_TOKEN\n{ADO_CONNECTION}{FLOW}"),
            rule: "insecure-url",
            secrets: vec!["Hunter2-Hunter2"],
        },
        // `expires: ghp_...` (a token pasted into the wrong field): the schema stage quotes the
        // value in its message (`\`ghp_...\` in \`expires\` ... is not a date`) before the
        // credential scan redacts it, so every format prints the whole token.
        OneFileLeak {
            name: "bug_schema_violation_message_quotes_a_token",
            text: format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n      expires: {ghp}\n{ADO_CONNECTION}{FLOW}"),
            rule: "schema-violation",
            secrets: vec![&ghp[4..4 + WINDOW]],
        },
        // A YAML error on the line of a token: the file is not scanned, so nothing is redacted, and
        // the human excerpt of the `parse-error` shows the token.
        OneFileLeak {
            name: "bug_parse_error_excerpt_shows_a_token",
            text: format!("{INTEGRATION_HEAD}connections:\n  jira:\n    credential:\n      secret: \"{glpat}\" trailing: x\n"),
            rule: "parse-error",
            secrets: vec![&glpat[6..6 + WINDOW]],
        },
        // A `secret` that breaks the schema is not recorded as a redaction (only string values of
        // credentials that were built are), so the `human` excerpt of its `schema-violation` shows
        // it: `secret: 918273645546372819`, `secret: ["..."]`, or a string `secret` under a
        // credential with a custom tag (`credential: !vault`, whose violation spans the mapping).
        OneFileLeak {
            name: "bug_secret_that_breaks_the_schema_shown_in_human_excerpt",
            text: format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: 918273645546372819\n  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential:\n      type: personal-access-token\n      secret: [\"Sup3r-Secret-Pa55word!\"]\n  gitlab:\n    system: gitlab\n    url: https://gitlab.example\n    account: getint-gitlab\n    credential: !vault\n      type: personal-access-token\n      secret: \"Tagged-Secret-Pa55word\"\n{FLOW}"),
            rule: "schema-violation",
            secrets: vec![
                "918273645546372819",
                "Sup3r-Secret-Pa55word!",
                "Tagged-Secret-Pa55word",
            ],
        },
        // The literal `secret` repeated in a comment at the end of a line that has a finding: the
        // inventory masks such copies (src/commands/inventory/mod.rs, `scrub`), the human excerpt does not.
        OneFileLeak {
            name: "bug_copy_of_plaintext_secret_shown_in_human_excerpt",
            text: format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: http://jira.example  # password: Sup3r-Secret-Pa55word!\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: \"Sup3r-Secret-Pa55word!\"\n{ADO_CONNECTION}{FLOW}"),
            rule: "insecure-url",
            secrets: vec!["Sup3r-Secret-Pa55word!"],
        },
    ]
}

#[test]
fn bugs_on_one_file_print_no_secret() {
    for case in one_file_leaks() {
        let name = case.name;
        let outputs = outputs_of(&[("i.yaml", &case.text)], &[]);
        assert!(
            outputs.iter().any(|(_, t)| t.contains(case.rule)),
            "{name}: no `{}` finding",
            case.rule
        );
        for secret in case.secrets {
            assert_absent(name, &outputs, secret);
        }
    }
}

/// The `private-key` pattern matches the `-----BEGIN ... PRIVATE KEY-----` line only, so only
/// that is redacted: wherever an excerpt shows the lines after it (a JSON string, where the
/// whole key is one line; a comment inside a flow that a `missing-permission` finding shows
/// as related), the key itself is printed.
#[test]
fn bug_private_key_body_shown_in_human_excerpt() {
    let body = "MIIEowIBAAKCAQEAq7BFUZkGc0iWnT3xJpXa9L1mJqFhQWb2cR5vY8ZpTn4sK1eD";
    let json = format!(
        "{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {{\"name\": \"bug\", \"owner\": \"team-platform\", \"description\": \"key: -----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\"}},\n\"connections\": {{\"jira\": {{\"system\": \"jira-cloud\", \"url\": \"https://jira.example\", \"account\": \"getint-jira\", \"credential\": {{\"type\": \"api-token\", \"secret\": \"env:X\"}}}},\n\"ado\": {{\"system\": \"azure-devops\", \"url\": \"https://dev.azure.com/acme\", \"account\": \"getint-ado\", \"credential\": {{\"type\": \"api-token\", \"secret\": \"env:Y\"}}}}}},\n\"flows\": [{{\"from\": \"jira\", \"to\": \"ado\", \"sync\": [\"create\"]}}]}}\n"
    );
    let outputs = outputs_of(&[("i.json", &json)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("leaked-secret")));
    let in_json = outputs.iter().any(|(_, t)| t.contains(&body[..WINDOW]));

    let body2 = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2";
    let accounts = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n  jira-svc:\n    system: jira-cloud\n    type: service\n    username: jira-svc@acme.example\n    display_name: Jira Sync\n    owner: team-platform\n    purpose: sync\n    permissions: [BROWSE_PROJECTS]\n    login: api-only\n    reviewed: 2026-11-01\n    tested: 2026-11-01\n";
    let yaml = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: jira-svc\n    credential:\n      type: api-token\n      secret: env:X\n{ADO_CONNECTION}flows:\n  - from: ado\n    # -----BEGIN OPENSSH PRIVATE KEY-----\n    # {body2}\n    # -----END OPENSSH PRIVATE KEY-----\n    to: jira\n    sync: [create]\n");
    let outputs = outputs_of(&[("i.yaml", &yaml), ("a.yaml", accounts)], &[]);
    assert!(outputs
        .iter()
        .any(|(_, t)| t.contains("missing-permission")));
    let in_yaml = outputs.iter().any(|(_, t)| t.contains(&body2[..WINDOW]));
    assert!(
        !in_json && !in_yaml,
        "the key body is printed: from a JSON description {in_json}, from a YAML comment {in_yaml}"
    );
}

/// A token used as a mapping key (here a connection id, which the schema accepts): messages
/// mask it, but the baseline's `route` records it as written (cli.md: "no secret text").
#[test]
fn bug_baseline_route_holds_a_token_used_as_key() {
    let key = "glpat-abcdefghij0123456789";
    let text = format!("{INTEGRATION_HEAD}connections:\n  {key}:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n{ADO_CONNECTION}flows:\n  - {{ from: {key}, to: ado, sync: [create] }}\n");
    let scratch = Scratch::project("bug-baseline");
    scratch.write("i.yaml", &text);
    let run = scratch
        .check()
        .args(["--write-baseline", "b.json", "."])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let baseline = scratch.read("b.json");
    assert!(baseline.contains("leaked-secret"));
    assert!(
        !baseline.contains(&key[6..6 + WINDOW]),
        "the baseline holds the token:\n{baseline}"
    );
}

/// Not a leak, the opposite: a `leaked-secret` message masks its own pattern name, the masked
/// match and the key name (`**** (****) in \`****\``), because those values are located in
/// the match, which is redacted. The template means `github-token (ghp_****) in
/// \`description\``.
#[test]
fn bug_leaked_secret_message_masks_its_own_pattern_name() {
    let text = format!("apiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: bug\n  owner: team-platform\n  description: token ghp_Zr8Qm2Lk5Vx9Tb3Nw7Hc1Yd6Pf4Sg0Ja8KeM here\nconnections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n{ADO_CONNECTION}{FLOW}");
    let outputs = outputs_of(&[("i.yaml", &text)], &["--select", "leaked-secret"]);
    let compact = &outputs
        .iter()
        .find(|(l, _)| l == "compact [stdout]")
        .expect("compact")
        .1;
    assert!(
        compact.contains("github-token (ghp_****) in `description`"),
        "{compact}"
    );
}

/// Not a secret but the same channel: a linted file can write terminal control sequences into
/// the output. `compact` and `github` print message values as written, so a `display_name`
/// holding `ESC [2K CR` erases the line it is printed on in a terminal or a CI log and writes a
/// forged one (`human` and the inventory escape control characters; the JSON formats escape
/// them by syntax).
#[test]
fn bug_control_characters_from_files_reach_the_output() {
    let text = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n  svc:\n    system: jira-cloud\n    type: service\n    username: svc\n    display_name: \"x\\e[2K\\rforged line\\a\"\n";
    let outputs = outputs_of(&[("a.yaml", text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("display-name")));
    let raw: Vec<&String> = outputs
        .iter()
        .filter(|(_, t)| t.contains(['\u{1b}', '\u{7}', '\r']))
        .map(|(label, _)| label)
        .collect();
    assert!(raw.is_empty(), "control characters printed in: {raw:?}");
}
