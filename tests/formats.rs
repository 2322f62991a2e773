//! The machine formats for CI (`sarif`, `github`, `gitlab`), through the real binary on real
//! files: SARIF validates against the official OASIS schema, suppressed findings show only in
//! SARIF, fingerprints survive line moves, output is byte-identical across runs and thread
//! counts, and no secret text leaks.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod support;
use support::Scratch;

const NOW: &str = "2026-11-27";
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

// ---------------------------------------------------------------- harness

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    stdout: String,
    code: i32,
}

/// Runs `bridgelint ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_bridgelint"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    let code = out.status.code().expect("exited normally");
    assert!(
        code == 0 || code == 1,
        "bridgelint {args:?} in {} exited {code}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Run {
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        code,
    }
}

/// `bridgelint check --now NOW --format FORMAT [EXTRA...] PATH` in `dir`.
fn check(dir: &Path, format: &str, extra: &[&str], path: &str) -> String {
    let mut args = vec!["check", "--now", NOW, "--format", format];
    args.extend_from_slice(extra);
    args.push(path);
    run(dir, &args).stdout
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
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
    let s = Scratch::bare(name);
    s.write(".bridgelint.yaml", CONFIG);
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

fn diagnostics(json_report: &Value) -> &Vec<Value> {
    json_report["diagnostics"].as_array().expect("diagnostics")
}

// ---------------------------------------------------------------- SARIF schema

/// The official SARIF 2.1.0 schema (draft-04), vendored from the OASIS SARIF TC; see
/// tests/data/README.md.
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("tests/data/sarif-schema-2.1.0.json"))
        .expect("vendored schema");
    // Workaround, here only: some published copies of this schema (e.g. the one serde-sarif
    // ships) spell the `language` patterns `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, with a
    // stray `]` that the `jsonschema` crate's regex engine rejects, so the schema would not
    // compile. The intended pattern is the one the OASIS errata file uses; patch it in memory so
    // that the vendored file stays byte-identical to its source whichever copy it is. A no-op
    // for the current OASIS file.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        // `uri-reference` is not a draft-04 format, so the crate would ignore it: check it here
        // (the characters RFC 3986 allows, and `%` only as an escape), which catches an
        // unencoded space or `%` in `artifactLocation.uri`.
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if !(i + 2 < b.len()
                    && b[i + 1].is_ascii_hexdigit()
                    && b[i + 2].is_ascii_hexdigit())
                {
                    return false;
                }
                i += 3;
                continue;
            }
            c if c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c) => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = sarif_validator();
    let fx = fixture("schema", 0);
    let logs = [
        json(&check(repo(), "sarif", &[], "examples/")),
        json(&check(&fx.dir, "sarif", &[], ".")),
        // A related location in a file without diagnostics of its own.
        json(&check(
            repo(),
            "sarif",
            &["--select", "missing-permission"],
            "examples/",
        )),
        // No results at all (a clean file).
        json(&check(
            repo(),
            "sarif",
            &[],
            "examples/integrations/jira-ado-platform-prod.yaml",
        )),
    ];
    // A parse error is a point: its region is widened to one column.
    let broken_yaml = Scratch::bare("parse-error");
    broken_yaml.write(".bridgelint.yaml", CONFIG);
    broken_yaml.write(
        "broken.yaml",
        "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: [unclosed\n",
    );
    let point = json(&check(&broken_yaml.dir, "sarif", &[], "."));
    let region = &sarif_results(&point)[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(sarif_results(&point)[0]["ruleId"], "parse-error");
    assert_eq!(region["endLine"], region["startLine"]);
    assert_eq!(
        region["endColumn"].as_u64(),
        region["startColumn"].as_u64().map(|c| c + 1)
    );
    for log in logs.iter().chain([&point]) {
        let errors = schema_errors(&validator, log);
        assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    }
    assert!(sarif_results(&logs[3]).is_empty());

    // The validation can fail: break a valid log in three ways.
    let mut broken = logs[1].clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    broken["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .expect("driver")
        .remove("name");
    let errors = schema_errors(&validator, &broken);
    assert!(errors.len() >= 3, "broken SARIF accepted: {errors:#?}");
    for what in ["fatal", "startLine", "name"] {
        assert!(
            errors.iter().any(|e| e.contains(what)),
            "no error about {what}: {errors:#?}"
        );
    }
    let mut bad_uri = logs[1].clone();
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"] = "integrations/a b%.yaml".into();
    assert!(!schema_errors(&validator, &bad_uri).is_empty());
    let mut no_version = logs[1].clone();
    no_version.as_object_mut().expect("log").remove("version");
    assert!(!schema_errors(&validator, &no_version).is_empty());
}

// ---------------------------------------------------------------- SARIF content

#[test]
fn sarif_describes_every_rule_and_locates_every_result() {
    let rules = json(&run(repo(), &["rules", "--format", "json"]).stdout);
    let rules = rules.as_array().expect("rules");
    assert!(rules.len() > 10);
    let sarif = json(&check(repo(), "sarif", &[], "examples/"));
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"].as_array().map(Vec::len), Some(1));
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "bridgelint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/bridgelint/bridgelint"
    );
    let described = driver["rules"].as_array().expect("driver.rules");
    for rule in rules {
        let name = rule["name"].as_str().expect("name");
        let d = described
            .iter()
            .find(|d| d["id"] == name)
            .unwrap_or_else(|| panic!("rule {name} not in tool.driver.rules"));
        assert_eq!(d["shortDescription"]["text"], rule["summary"], "{name}");
        assert_eq!(d["fullDescription"]["text"], rule["summary"], "{name}");
        for key in ["text", "markdown"] {
            let help = d["help"][key].as_str().unwrap_or_default();
            assert!(help.contains(name), "{name}: help.{key} is {help:?}");
        }
        let level = match rule["severity"].as_str() {
            Some("error") => "error",
            Some("warning") => "warning",
            Some("info") => "note",
            other => panic!("{name}: severity {other:?}"),
        };
        assert_eq!(d["defaultConfiguration"]["level"], level, "{name}");
    }

    // Results: one per finding of `--format json`, in the same order, fully located.
    let report = json(&check(repo(), "json", &[], "examples/"));
    let results = sarif_results(&sarif);
    assert_eq!(results.len(), diagnostics(&report).len());
    assert_eq!(results.len(), 13, "examples/EXPECTED.md lists 13 findings");
    for (r, d) in results.iter().zip(diagnostics(&report)) {
        assert_eq!(r["ruleId"], d["rule"]);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(described[index]["id"], r["ruleId"]);
        let level = match d["severity"].as_str() {
            Some("info") => "note",
            other => other.expect("severity"),
        };
        assert_eq!(r["level"], level);
        assert_eq!(r["message"]["text"], d["message"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // Relative to the repository root (the git root above examples/, whose
        // .bridgelint.yaml makes it the context root), so that code scanning can place it.
        let printed = d["path"].as_str().expect("path");
        assert_eq!(loc["artifactLocation"]["uri"].as_str(), Some(printed));
        let region = &loc["region"];
        assert_eq!(region["startLine"], d["start"]["line"]);
        assert_eq!(region["startColumn"], d["start"]["column"]);
        assert_eq!(region["endLine"], d["end"]["line"]);
        assert_eq!(region["endColumn"], d["end"]["column"]);
        let fp = &r["partialFingerprints"]["bridgelintFingerprint/v1"];
        assert_eq!(fp, &d["fingerprint"]);
        assert!(r.get("suppressions").is_none());
    }

    // The cross-file finding carries its related location, relative to the repository root.
    let missing = results
        .iter()
        .find(|r| r["ruleId"] == "missing-permission")
        .expect("missing-permission");
    let related = &missing["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "this flow needs `comments`");
    let loc = &related["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "examples/integrations/gitlab-jira-mobile-prod.yaml"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 42);

    // Same when that file has no diagnostic of its own.
    let only = json(&check(
        repo(),
        "sarif",
        &["--select", "missing-permission"],
        "examples/",
    ));
    assert_eq!(sarif_results(&only).len(), 1);
    assert_eq!(
        sarif_results(&only)[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "examples/integrations/gitlab-jira-mobile-prod.yaml"
    );
}

#[test]
fn sarif_uris_are_encoded() {
    let fx = fixture("uris", 0);
    let sarif = json(&check(&fx.dir, "sarif", &[], "."));
    let encoded = if cfg!(windows) {
        "integrations/team%20one%2Cprod.yaml"
    } else {
        "integrations/team%20one%2Cprod%3Av1.yaml"
    };
    let uris: HashSet<&str> = sarif_results(&sarif)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert!(uris.contains(encoded), "{uris:?}");
    assert!(uris.iter().all(|u| !u.contains(' ')), "{uris:?}");
}

fn fingerprints_and_lines(sarif: &Value) -> Vec<(String, String, String, u64)> {
    sarif_results(sarif)
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().expect("ruleId").to_string(),
                r["partialFingerprints"]["bridgelintFingerprint/v1"]
                    .as_str()
                    .expect("fingerprint")
                    .to_string(),
                loc["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri")
                    .to_string(),
                loc["region"]["startLine"].as_u64().expect("startLine"),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_inserted_lines() {
    let before = fixture("lines-before", 0);
    let after = fixture("lines-after", 3);
    let a = fingerprints_and_lines(&json(&check(&before.dir, "sarif", &[], ".")));
    let b = fingerprints_and_lines(&json(&check(&after.dir, "sarif", &[], ".")));
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter()
            .filter(|x| x.2.starts_with("integrations/"))
            .count()
            >= 4
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (&x.0, &x.1, &x.2),
            (&y.0, &y.1, &y.2),
            "fingerprint changed"
        );
        // Findings in the integration moved down by the three inserted lines, the others stayed.
        let shift = if x.2.starts_with("integrations/") {
            3
        } else {
            0
        };
        assert_eq!(y.3, x.3 + shift, "{x:?} -> {y:?}");
    }

    // GitLab too: same fingerprints, lines moved.
    let ga = json(&check(&before.dir, "gitlab", &[], "."));
    let gb = json(&check(&after.dir, "gitlab", &[], "."));
    let fps = |v: &Value| -> Vec<Value> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|i| i["fingerprint"].clone())
            .collect()
    };
    assert_eq!(fps(&ga), fps(&gb));
    let secret_line = |v: &Value| {
        v.as_array()
            .expect("array")
            .iter()
            .find(|i| i["check_name"] == "plaintext-secret")
            .expect("plaintext-secret")["location"]["lines"]["begin"]
            .as_u64()
    };
    assert_eq!(secret_line(&ga), Some(16));
    assert_eq!(secret_line(&gb), Some(19));
}

// ---------------------------------------------------------------- suppressions

#[test]
fn suppressed_findings_only_in_sarif() {
    let fx = fixture("suppressed", 0);
    let sarif = json(&check(&fx.dir, "sarif", &[], "."));
    let secrets: Vec<&Value> = sarif_results(&sarif)
        .iter()
        .filter(|r| r["ruleId"] == "plaintext-secret")
        .collect();
    assert_eq!(secrets.len(), 2, "{secrets:#?}");
    let line = |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].clone();
    let suppressed = secrets
        .iter()
        .find(|r| line(r) == 26)
        .expect("the suppressed finding, line 26");
    assert_eq!(suppressed["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "fake token for tests"
    );
    let open = secrets.iter().find(|r| line(r) == 16).expect("line 16");
    assert!(open.get("suppressions").is_none());

    // Every other format leaves it out.
    let report = json(&check(&fx.dir, "json", &[], "."));
    let in_json: Vec<&Value> = diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "plaintext-secret")
        .collect();
    assert_eq!(in_json.len(), 1);
    assert_eq!(in_json[0]["start"]["line"], 16);
    assert_eq!(report["summary"]["suppressed"], 1);

    let compact = check(&fx.dir, "compact", &[], ".");
    let lines: Vec<&str> = compact
        .lines()
        .filter(|l| l.contains("plaintext-secret"))
        .collect();
    assert_eq!(lines.len(), 1, "{compact}");
    assert!(lines[0].contains(":16:"), "{compact}");

    let github = check(&fx.dir, "github", &[], ".");
    let lines: Vec<&str> = github
        .lines()
        .filter(|l| l.contains("title=plaintext-secret"))
        .collect();
    assert_eq!(lines.len(), 1, "{github}");
    assert!(lines[0].contains(",line=16,"), "{github}");

    let gitlab = json(&check(&fx.dir, "gitlab", &[], "."));
    let issues: Vec<&Value> = gitlab
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| i["check_name"] == "plaintext-secret")
        .collect();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["location"]["lines"]["begin"], 16);

    // SARIF results = visible diagnostics + suppressed ones.
    assert_eq!(sarif_results(&sarif).len(), diagnostics(&report).len() + 1);
}

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
    let github = check(repo(), "github", &[], "examples/");
    let report = json(&check(repo(), "json", &[], "examples/"));
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
    let github = check(&fx.dir, "github", &[], ".");
    let report = json(&check(&fx.dir, "json", &[], "."));
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
    let text = check(&fx.dir, "gitlab", &[], ".");
    assert!(text.ends_with('\n'));
    let issues = json(&text);
    let issues = issues.as_array().expect("a JSON array");
    let report = json(&check(&fx.dir, "json", &[], "."));
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
        assert_eq!(i["location"]["lines"]["begin"], d["start"]["line"]);
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
    let examples = json(&check(repo(), "gitlab", &[], "examples/"));
    let severities: HashSet<&str> = examples
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["severity"].as_str().expect("severity"))
        .collect();
    assert_eq!(severities, HashSet::from(["major", "minor", "info"]));

    // Stable across runs; an empty report is an empty array.
    assert_eq!(check(&fx.dir, "gitlab", &[], "."), text);
    let clean = check(
        repo(),
        "gitlab",
        &[],
        "examples/integrations/jira-ado-platform-prod.yaml",
    );
    assert_eq!(clean.trim(), "[]");
    let github = check(
        repo(),
        "github",
        &[],
        "examples/integrations/jira-ado-platform-prod.yaml",
    );
    assert_eq!(github, "");
}

// ---------------------------------------------------------------- determinism, secrets

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let fx = fixture("determinism", 0);
    for format in ["sarif", "github", "gitlab"] {
        for (dir, path) in [(repo(), "examples/"), (fx.dir.as_path(), ".")] {
            let one = check(dir, format, &["-j", "1"], path);
            let four = check(dir, format, &["-j", "4"], path);
            let again = check(dir, format, &["-j", "4"], path);
            assert!(!one.is_empty());
            assert_eq!(one, four, "{format} differs between -j 1 and -j 4");
            assert_eq!(four, again, "{format} differs between runs");
        }
    }
    // No absolute path of the scratch folder and no timestamps in SARIF.
    let sarif = check(&fx.dir, "sarif", &[], ".");
    let root = fx.dir.to_string_lossy().replace('\\', "/");
    assert!(!sarif.contains(&*root), "absolute path in SARIF");
    assert!(!sarif.contains("Time"), "timestamp in SARIF");
}

#[test]
fn no_secret_text_in_any_format() {
    let fx = fixture("secrets", 0);
    for format in ["sarif", "github", "gitlab", "json", "compact"] {
        let out = check(&fx.dir, format, &[], ".");
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
    let out = check(repo(), "sarif", &[], "examples/");
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
        .map(|f| {
            (
                f,
                run(&fx.dir, &["check", "--now", NOW, "--format", f, "."]).code,
            )
        })
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
    let report = json(&check(&s.dir, "json", &[], "min.json"));
    let expected: Vec<String> = diagnostics(&report)
        .iter()
        .map(|d| format!("min.json:1:{}", d["start"]["column"]))
        .collect();
    assert_eq!(
        expected.len(),
        300,
        "299 duplicate keys and the unknown key"
    );
    let human = check(&s.dir, "human", &["--color", "never"], "min.json");
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
    let human = check(
        repo(),
        "human",
        &["--color", "never", "--select", "missing-permission"],
        "examples/",
    );
    assert!(
        human.contains("examples/accounts/service-accounts.yaml:33:3"),
        "{human}"
    );
    assert!(
        human.contains("examples/integrations/gitlab-jira-mobile-prod.yaml:42:5"),
        "{human}"
    );
    assert!(human.contains("42 │     - from: jira"), "{human}");
    assert!(
        human.contains("└ this flow needs `comments`")
            || human.contains("┘ this flow needs `comments`"),
        "{human}"
    );
}
