//! The machine formats for CI (`sarif`, `github`, `gitlab`), through the real binary on real
//! files: SARIF validates against the official OASIS schema and describes every rule
//! (`sarif.rs`), GitHub workflow commands and the GitLab report match the `json` diagnostics
//! (`ci.rs`), suppressed findings show only in SARIF, fingerprints survive line moves, output is
//! byte-identical across runs and thread counts, and no secret text leaks.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

#[path = "../support/mod.rs"]
mod support;
use support::{diagnostics, json_of as json, repo, Bin, Scratch};

mod actions;
mod ci;
mod help;
mod multitool;
mod paths;
mod sarif;

/// The plaintext secret of the fixture: never printed by any format.
const SECRET: &str = "hunter2-fake-password-123";
/// The suppressed one.
const SUPPRESSED_SECRET: &str = "suppressed-fake-token-456";
/// The fixture's integration file: a comma and a colon, which workflow-command properties must
/// escape, and a space, which a URI must encode (Windows allows no colon in a file name).
const INTEGRATION: &str = if cfg!(windows) {
    "integrations/team one,prod.yaml"
} else {
    "integrations/team one,prod:v1.yaml"
};

// ---------------------------------------------------------------- harness and fixture

/// `bridgelint check --now NOW --format FORMAT [EXTRA...] PATH` in `dir`: its standard output
/// (the run must end with status 0 or 1).
fn output_of(dir: &Path, format: &str, extra: &[&str], path: &str) -> String {
    Bin::check()
        .format(format)
        .args(extra)
        .arg(path)
        .current_dir(dir)
        .run()
        .linted()
        .stdout
}

const CONFIG: &str = "fail_on: warning\n";

const ACCOUNTS: &str = "\
apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  getint-jira:
    system: jira-cloud
    type: service
    username: getint-getint-jira@acme.example
    display_name: Getint Sync (Jira)
    owner: team-platform
    purpose: Mirrors work items between the team's trackers
    reviewed: 2026-11-01
    tested: 2026-11-02
";

/// Line 5 and 6 repeat a key (two `duplicate-key` findings with one fingerprint), line 12 an
/// `http://` URL with a `%` (`insecure-url`), line 16 a plaintext secret, line 26 a suppressed
/// one.
fn integration() -> String {
    format!(
        "\
apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: jira-jira-platform-prod
  owner: team-platform
  owner: team-platform
  owner: team-platform
  environment: prod
connections:
  c00:
    system: jira-cloud
    url: http://acme.atlassian.net/a%41
    account: getint-jira
    credential:
      type: api-token
      secret: {SECRET}
      created: 2026-11-01
      expires: 2027-10-31
      rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }}
  c01:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira
    credential:
      type: api-token
      secret: \"{SUPPRESSED_SECRET}\"  # bridgelint: ignore[plaintext-secret] fake token for tests
      created: 2026-11-01
      expires: 2027-10-31
      rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }}
flows:
  - from: c00
    to: c01
    sync: [create, update]
"
    )
}

/// The fixture project: a config (the context root), an inventory and the integration, with
/// `blank` blank lines inserted at the top of the integration.
fn fixture(name: &str, blank: usize) -> Scratch {
    let s = Scratch::with_config(name, CONFIG);
    s.write("accounts.yaml", ACCOUNTS);
    s.write(
        INTEGRATION,
        format!("{}{}", "\n".repeat(blank), integration()),
    );
    s
}

fn sarif_results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().expect("results")
}

// ---------------------------------------------------------------- determinism, secrets

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let fx = fixture("determinism", 0);
    for format in ["sarif", "github", "gitlab"] {
        for (dir, path) in [(repo(), "examples/"), (fx.dir.as_path(), ".")] {
            let one = output_of(dir, format, &["-j", "1"], path);
            let four = output_of(dir, format, &["-j", "4"], path);
            let again = output_of(dir, format, &["-j", "4"], path);
            assert!(!one.is_empty());
            assert_eq!(one, four, "{format} differs between -j 1 and -j 4");
            assert_eq!(four, again, "{format} differs between runs");
        }
    }
    // No absolute path of the scratch folder and no timestamps in SARIF.
    let sarif = output_of(&fx.dir, "sarif", &[], ".");
    let root = fx.dir.to_string_lossy().replace('\\', "/");
    assert!(!sarif.contains(&*root), "absolute path in SARIF");
    assert!(!sarif.contains("Time"), "timestamp in SARIF");
}

#[test]
fn no_secret_text_in_any_format() {
    let fx = fixture("secrets", 0);
    for format in ["sarif", "github", "gitlab", "json", "compact"] {
        let out = output_of(&fx.dir, format, &[], ".");
        assert!(out.contains("plaintext-secret"), "{format}: {out}");
        assert!(!out.contains(SECRET), "{format} prints the secret");
        assert!(
            !out.contains("hunter2"),
            "{format} prints part of the secret"
        );
        assert!(
            !out.contains(SUPPRESSED_SECRET),
            "{format} prints the suppressed secret"
        );
    }
    let out = output_of(repo(), "sarif", &[], "examples/");
    assert!(
        !out.contains("hunter2"),
        "sarif prints the examples' secret"
    );
}

#[test]
fn exit_status_does_not_depend_on_the_format() {
    let fx = fixture("status", 0);
    let codes: BTreeMap<&str, i32> = ["human", "json", "sarif", "github", "gitlab"]
        .into_iter()
        .map(|f| (f, fx.check().format(f).arg(".").run().linted().code))
        .collect();
    assert!(codes.values().all(|c| *c == 1), "{codes:?}");
}

/// A minified JSON file is one long line: the human format shows a window around each span,
/// and its location line still gives the exact column of the finding.
#[test]
fn human_excerpts_of_a_long_line_are_windows_with_exact_columns() {
    let s = Scratch::bare("human-long-line");
    let text = format!(
        r#"{{"apiVersion": "bridgelint/v1", "kind": "ServiceAccounts", "accounts": {{}}{}}}"#,
        r#", "dup": 1"#.repeat(300)
    );
    s.write("min.json", &text);
    let report = json(&output_of(&s.dir, "json", &[], "min.json"));
    let expected: Vec<String> = diagnostics(&report)
        .iter()
        .map(|d| format!("min.json:1:{}", d["start"]["column"]))
        .collect();
    assert_eq!(
        expected.len(),
        300,
        "299 duplicate keys and the unknown key"
    );
    let human = output_of(&s.dir, "human", &["--color", "never"], "min.json");
    let shown: Vec<String> = human
        .lines()
        .filter_map(|l| l.split_once("╭▸ ").map(|(_, loc)| loc.to_string()))
        .collect();
    assert_eq!(shown, expected);
    // Each excerpt is a window: no output line holds more than a few hundred characters.
    let widest = human.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 400, "a line of {widest} characters");
    // The span is underlined where the window shows it: under the key of the last finding.
    let last = human.rsplit("1 │ ").next().expect("an excerpt");
    let (source, marks) = last.split_once('\n').expect("an underline");
    let at = |c: char| {
        marks
            .chars()
            .position(|m| m == c)
            .expect("an underlined excerpt")
    };
    let underline = at('━') - at('│') - 2;
    let prefix: String = source.chars().take(underline).collect();
    assert!(
        source[prefix.len()..].starts_with(r#""dup""#),
        "{source}\n{marks}"
    );
}

#[test]
fn human_shows_related_excerpts_from_files_without_findings_of_their_own() {
    // The human format loads the texts of the files its excerpts come from: a related location
    // in a file with no visible diagnostic of its own still gets its excerpt, not a note.
    let human = output_of(
        repo(),
        "human",
        &["--color", "never", "--select", "missing-permission"],
        "examples/",
    );
    assert!(
        human.contains("examples/accounts/service-accounts.yaml:98:5"),
        "{human}"
    );
    assert!(
        human.contains("examples/integrations/github-jira-docs-prod.yaml:45:5"),
        "{human}"
    );
    assert!(human.contains("45 │     - from: jira"), "{human}");
    assert!(
        human.contains("└ this flow needs `status`")
            || human.contains("┘ this flow needs `status`"),
        "{human}"
    );
}
