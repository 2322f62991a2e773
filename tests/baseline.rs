//! Baselines through the real binary: adoption is one command, moved lines stay hidden, new
//! findings fail, disappeared ones are counted, and no secret text is ever written.

mod support;
use support::{integration, Run, Scratch};

const SECRET: &str = "fake-baseline-password-77";

fn setup() -> Scratch {
    let s = Scratch::with_inventory("baseline");
    s.write("jira-ado.yaml", integration(&format!("\"{SECRET}\"")));
    s
}

/// `check --now NOW --format compact EXTRA...` in the folder.
fn compact(s: &Scratch, extra: &[&str]) -> Run {
    s.check().format("compact").args(extra).run()
}

/// The human format, without colour, against `baseline.json`.
fn human_with_baseline(s: &Scratch) -> Run {
    s.check()
        .args(["--color", "never", "--baseline", "baseline.json"])
        .run()
}

#[test]
fn writing_a_baseline_exits_0_and_holds_no_secret() {
    let s = setup();
    assert_eq!(compact(&s, &[]).code, 1);
    let out = compact(&s, &["--write-baseline", "baseline.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = s.read("baseline.json");
    assert!(!text.contains(SECRET), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["rule"], "plaintext-secret");
    assert_eq!(entries[0]["path"], "jira-ado.yaml");
    assert!(!text.contains("\"line\""), "no line numbers: {text}");
}

#[test]
fn baselined_findings_stay_hidden_when_lines_move() {
    let s = setup();
    compact(&s, &["--write-baseline", "baseline.json"]);
    let out = compact(&s, &["--baseline", "baseline.json"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    // Lines added above the finding do not bring it back.
    let moved = format!(
        "# a comment\n# another one\n\n{}",
        integration(&format!("\"{SECRET}\""))
    );
    s.write("jira-ado.yaml", &moved);
    let out = compact(&s, &["--baseline", "baseline.json"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let human = human_with_baseline(&s);
    assert!(
        human.stdout.contains("1 in the baseline"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_new_finding_still_fails_the_run() {
    let s = setup();
    compact(&s, &["--write-baseline", "baseline.json"]);
    let text = integration(&format!("\"{SECRET}\""))
        .replace("https://acme.atlassian.net", "http://acme.atlassian.net");
    s.write("jira-ado.yaml", &text);
    let out = compact(&s, &["--baseline", "baseline.json"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.compact_keys(),
        ["jira-ado.yaml:10:10: error[insecure-url]"]
    );
}

#[test]
fn fixed_findings_are_counted_as_unmatched() {
    let s = setup();
    compact(&s, &["--write-baseline", "baseline.json"]);
    s.write("jira-ado.yaml", integration("env:JIRA_TOKEN"));
    let human = human_with_baseline(&s);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains("1 baseline entry no longer found"),
        "{}",
        human.stdout
    );
    let v = s
        .check()
        .format("json")
        .args(["--baseline", "baseline.json"])
        .run()
        .json();
    assert_eq!(v["summary"]["baseline_unmatched"], 1);
}

#[test]
fn each_entry_hides_one_finding() {
    // Two tokens of one format in one comment share a fingerprint; the baseline is a multiset.
    let token = |c: char| format!("ghp_{}", c.to_string().repeat(36));
    let s = Scratch::with_inventory("baseline-multiset");
    let with = |n: usize| {
        let tokens: Vec<String> = "ABC".chars().take(n).map(token).collect();
        format!(
            "# old tokens: {}\n{}",
            tokens.join(" "),
            integration("env:JIRA_TOKEN")
        )
    };
    s.write("a.yaml", with(2));
    compact(&s, &["--write-baseline", "baseline.json"]);
    let entries: serde_json::Value = serde_json::from_str(&s.read("baseline.json")).unwrap();
    assert_eq!(entries["entries"].as_array().unwrap().len(), 2);
    assert_eq!(
        entries["entries"][0]["fingerprint"],
        entries["entries"][1]["fingerprint"]
    );
    assert!(!s.read("baseline.json").contains("AAAAAAAA"));
    assert_eq!(compact(&s, &["--baseline", "baseline.json"]).stdout, "");
    s.write("a.yaml", with(3));
    let out = compact(&s, &["--baseline", "baseline.json"]);
    assert_eq!(out.compact_keys().len(), 1, "{}", out.stdout);
    assert_eq!(out.code, 1);
}

#[test]
fn a_missing_or_invalid_baseline_is_an_invocation_error() {
    let s = setup();
    let out = compact(&s, &["--baseline", "nope.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.json"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    s.write("bad.json", "{ not json");
    assert_eq!(compact(&s, &["--baseline", "bad.json"]).code, 2);
}

#[test]
fn the_config_can_name_the_baseline() {
    let s = setup();
    compact(&s, &["--write-baseline", "baseline.json"]);
    s.write(".bridgelint.yaml", "baseline: baseline.json\n");
    let out = compact(&s, &[]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

/// `invalid-suppression`, `unused-suppression` and `expired-suppression` are fingerprinted by
/// the comment's text and the node it covers, not by its line: lines inserted above them keep
/// them in the baseline, and two identical comments on different nodes stay two entries.
#[test]
fn suppression_findings_stay_baselined_when_lines_move() {
    let accounts = |above: &str, inside: &str| {
        support::CLEAN_ACCOUNTS
            .replace("apiVersion:", &format!("{above}apiVersion:"))
            .replace("    owner: team-platform\n", &format!("{inside}    owner: team-platform  # bridgelint: ignore[stale-review] yearly audit\n"))
            .replace(
                "    permissions: [BROWSE_PROJECTS]\n",
                "    # bridgelint: ignore[stale-review] yearly audit\n    permissions: [BROWSE_PROJECTS]  # bridgelint: ignore[no-such-rule] why\n",
            )
            .replace(
                "    login: api-only\n",
                "    login: api-only  # bridgelint: ignore[stale-review] legacy until=2026-01-01\n",
            )
    };
    let s = Scratch::with_files(
        "baseline-suppressions",
        &[
            ("integ.yaml", support::CLEAN_INTEGRATION),
            ("accounts.yaml", &accounts("", "")),
        ],
    );
    let before = compact(&s, &["--fail-on", "info"]);
    let rules: Vec<&str> = before
        .lines()
        .iter()
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert_eq!(
        rules,
        [
            "unused-suppression",
            "unused-suppression",
            "invalid-suppression",
            "expired-suppression"
        ],
        "{}",
        before.stdout
    );
    compact(&s, &["--write-baseline", "baseline.json"]);

    s.write(
        "accounts.yaml",
        accounts("# moved\n\n# down\n", "    # a note\n\n"),
    );
    let after = compact(&s, &["--fail-on", "info", "--baseline", "baseline.json"]);
    assert_eq!(
        (after.code, after.stdout.as_str()),
        (0, ""),
        "{}",
        after.stderr
    );

    // A third comment of the same text on another node is a new finding, and only it.
    s.write(
        "accounts.yaml",
        accounts("", "").replace(
            "    tested: 2026-11-20\n",
            "    tested: 2026-11-20  # bridgelint: ignore[stale-review] yearly audit\n",
        ),
    );
    let added = compact(&s, &["--fail-on", "info", "--baseline", "baseline.json"]);
    assert_eq!(added.lines().len(), 1, "{}", added.stdout);
    assert!(
        added.stdout.contains(":15:") && added.stdout.contains("unused-suppression"),
        "{}",
        added.stdout
    );
}
