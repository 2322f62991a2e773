//! The CI formats: GitHub workflow commands and the GitLab code-quality report say what the
//! `json` diagnostics say, escaped and fingerprinted as those tools need.

use std::collections::HashSet;

use serde_json::Value;

use super::support::{diagnostics, json_of as json, repo, Scratch};
use super::{fixture, output_of, ACCOUNTS, INTEGRATION};

// ---------------------------------------------------------------- GitHub

/// `::SEVERITY file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::MESSAGE` from a `json`
/// diagnostic, escaped as `@actions/core` does.
fn expected_github_line(d: &Value) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let command = match d["severity"].as_str() {
        Some("error") => "error",
        Some("warning") => "warning",
        Some("info") => "notice",
        other => panic!("severity {other:?}"),
    };
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        property(d["path"].as_str().expect("path")),
        d["start"]["line"],
        d["start"]["column"],
        d["end"]["line"],
        d["end"]["column"],
        property(d["rule"].as_str().expect("rule")),
        data(d["message"].as_str().expect("message"))
    )
}

#[test]
fn github_workflow_commands() {
    let github = output_of(repo(), "github", &[], "examples/");
    let report = json(&output_of(repo(), "json", &[], "examples/"));
    let expected: Vec<String> = diagnostics(&report)
        .iter()
        .map(expected_github_line)
        .collect();
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines, expected);
    assert!(github.ends_with('\n'));
    // One known finding, literally (examples/EXPECTED.md row 9).
    assert!(
        github.contains(
            "::error file=examples/integrations/gitlab-jira-mobile-prod.yaml,line=15,col=10,endLine=15,endColumn=37,title=insecure-url::"
        ),
        "{github}"
    );
    // Each severity has its command; no summary line.
    for prefix in ["::error ", "::warning ", "::notice "] {
        assert!(lines.iter().any(|l| l.starts_with(prefix)), "{prefix}");
    }
    assert!(lines.iter().all(|l| l.starts_with("::")), "{github}");

    // Escaping: `,` and `:` in the file property, `%` in the message.
    let fx = fixture("github", 0);
    let github = output_of(&fx.dir, "github", &[], ".");
    let report = json(&output_of(&fx.dir, "json", &[], "."));
    let expected: Vec<String> = diagnostics(&report)
        .iter()
        .map(expected_github_line)
        .collect();
    assert_eq!(github.lines().collect::<Vec<_>>(), expected);
    let file = if cfg!(windows) {
        "integrations/team one%2Cprod.yaml"
    } else {
        "integrations/team one%2Cprod%3Av1.yaml"
    };
    let insecure = github
        .lines()
        .find(|l| l.contains("title=insecure-url"))
        .expect("insecure-url");
    assert!(
        insecure.starts_with(&format!(
            "::error file={file},line=12,col=10,endLine=12,endColumn=40,title=insecure-url::"
        )),
        "{insecure}"
    );
    assert!(
        insecure.contains("http://acme.atlassian.net/a%2541"),
        "{insecure}"
    );
    assert!(!insecure.contains("/a%41"), "{insecure}");
}

// ---------------------------------------------------------------- GitLab

#[test]
fn gitlab_code_quality_report() {
    let fx = fixture("gitlab", 0);
    let text = output_of(&fx.dir, "gitlab", &[], ".");
    assert!(text.ends_with('\n'));
    let issues = json(&text);
    let issues = issues.as_array().expect("a JSON array");
    let report = json(&output_of(&fx.dir, "json", &[], "."));
    let diags = diagnostics(&report);
    assert_eq!(issues.len(), diags.len());
    for (i, d) in issues.iter().zip(diags) {
        let keys: Vec<&String> = i.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "check_name",
                "description",
                "fingerprint",
                "location",
                "severity"
            ]
        );
        assert_eq!(i["description"], d["message"]);
        assert_eq!(i["check_name"], d["rule"]);
        let severity = match d["severity"].as_str() {
            Some("error") => "major",
            Some("warning") => "minor",
            Some("info") => "info",
            other => panic!("severity {other:?}"),
        };
        assert_eq!(i["severity"], severity);
        // Relative to the context root (the scratch folder).
        let path = i["location"]["path"].as_str().expect("path");
        assert!(path == INTEGRATION || path == "accounts.yaml", "{path}");
        // `lines`: the first and the last line; `positions`: the start and the exclusive end.
        let location = &i["location"];
        assert_eq!(location["lines"]["begin"], d["start"]["line"]);
        let (end_line, end_column) = (&d["end"]["line"], &d["end"]["column"]);
        let last = match end_column.as_u64() {
            Some(1) if end_line.as_u64() > d["start"]["line"].as_u64() => {
                (end_line.as_u64().expect("line") - 1).into()
            }
            _ => end_line.clone(),
        };
        assert_eq!(location["lines"]["end"], last);
        for (key, pos) in [("begin", &d["start"]), ("end", &d["end"])] {
            assert_eq!(location["positions"][key]["line"], pos["line"], "{key}");
            assert_eq!(location["positions"][key]["column"], pos["column"], "{key}");
        }
        let fp = i["fingerprint"].as_str().expect("fingerprint");
        assert!(!fp.is_empty());
    }

    // Two findings share a fingerprint (the same key repeated twice); their issues do not.
    let dups: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] == "duplicate-key")
        .collect();
    assert_eq!(dups.len(), 2);
    assert_eq!(dups[0]["fingerprint"], dups[1]["fingerprint"]);
    let fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint"))
        .collect();
    let unique: HashSet<&&str> = fps.iter().collect();
    assert_eq!(unique.len(), fps.len(), "fingerprints not unique: {fps:?}");
    // The first occurrence keeps the diagnostic's own fingerprint.
    let first_dup = issues
        .iter()
        .find(|i| i["check_name"] == "duplicate-key")
        .expect("duplicate-key");
    assert_eq!(first_dup["fingerprint"], dups[0]["fingerprint"]);

    // Each severity is used by the examples.
    let examples = json(&output_of(repo(), "gitlab", &[], "examples/"));
    let severities: HashSet<&str> = examples
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["severity"].as_str().expect("severity"))
        .collect();
    assert_eq!(severities, HashSet::from(["major", "minor", "info"]));

    // Stable across runs; an empty report is an empty array.
    assert_eq!(output_of(&fx.dir, "gitlab", &[], "."), text);
    let clean = output_of(
        repo(),
        "gitlab",
        &[],
        "examples/integrations/jira-ado-platform-prod.yaml",
    );
    assert_eq!(clean.trim(), "[]");
    let github = output_of(
        repo(),
        "github",
        &[],
        "examples/integrations/jira-ado-platform-prod.yaml",
    );
    assert_eq!(github, "");
}

// ---------------------------------------------------------------- line breaks in messages

/// A custom rule whose message holds line breaks (`\n`, and `\r\n` in a value it quotes).
const MULTI_LINE_RULE: &str = r#"name: multi-line
severity: warning
category: custom
summary: A message over three lines.
explanation: Line breaks in messages.
check:
  for_each: accounts
  where: "true"
  at: key
  message: "account `{id}` breaks\nover lines;\r\nand\ttabs stay escaped"
"#;

#[test]
fn a_line_break_in_a_message_is_shown_the_way_of_each_format() {
    let s = Scratch::with_config("multi-line", "rules: { unused-account: off }\n");
    s.write("policy/multi-line.yaml", MULTI_LINE_RULE);
    s.write("accounts.yaml", ACCOUNTS);
    let run = |format: &str| {
        s.check()
            .format(format)
            .args([
                "--rules",
                "policy",
                "--select",
                "multi-line",
                "accounts.yaml",
            ])
            .run()
            .linted()
            .stdout
    };
    let message = "account `getint-jira` breaks\nover lines;\nand\\ttabs stay escaped";
    // Human: a break, the next lines indented under the start of the message.
    let human = run("human");
    let indent = " ".repeat("warning[multi-line]: ".len());
    let shown = format!(
        "warning[multi-line]: account `getint-jira` breaks\n{indent}over lines;\n{indent}and\\ttabs stay escaped\n"
    );
    assert!(human.contains(&shown), "human:\n{human}");
    // Compact: one line per finding.
    assert_eq!(
        run("compact"),
        "accounts.yaml:4:3: warning[multi-line] account `getint-jira` breaks over lines; and\\ttabs stay escaped\n"
    );
    // GitHub: the runner's escape, `%0A`.
    let github = run("github");
    assert!(
        github
            .ends_with("::account `getint-jira` breaks%0Aover lines;%0Aand\\ttabs stay escaped\n"),
        "github: {github}"
    );
    // The JSON formats: a real line break in the string.
    assert_eq!(json(&run("json"))["diagnostics"][0]["message"], message);
    assert_eq!(json(&run("gitlab"))[0]["description"], message);
    assert_eq!(
        json(&run("sarif"))["runs"][0]["results"][0]["message"]["text"],
        message
    );
}
