//! SARIF: the log validates against the official schema, describes every rule, locates every
//! result like the `json` diagnostics, encodes its URIs, keeps fingerprints when lines move,
//! and alone shows suppressed findings.

use std::collections::HashSet;

use serde_json::Value;

use super::support::{diagnostics, json_of as json, repo, Bin, Scratch};
use super::{fixture, output_of, sarif_results, CONFIG};

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
        json(&output_of(repo(), "sarif", &[], "examples/")),
        json(&output_of(&fx.dir, "sarif", &[], ".")),
        // A related location in a file without diagnostics of its own.
        json(&output_of(
            repo(),
            "sarif",
            &["--select", "missing-permission"],
            "examples/",
        )),
        // No results at all (a clean file).
        json(&output_of(
            repo(),
            "sarif",
            &[],
            "examples/integrations/jira-ado-platform-prod.yaml",
        )),
    ];
    // A parse error is a point: its region is widened to one column.
    let broken_yaml = Scratch::with_config("parse-error", CONFIG);
    broken_yaml.write(
        "broken.yaml",
        "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: [unclosed\n",
    );
    let point = json(&output_of(&broken_yaml.dir, "sarif", &[], "."));
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
    let rules = Bin::new()
        .args(["rules", "--format", "json"])
        .run()
        .linted()
        .json();
    let rules = rules.as_array().expect("rules");
    assert!(rules.len() > 10);
    let sarif = json(&output_of(repo(), "sarif", &[], "examples/"));
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
    assert_eq!(
        driver["fullName"],
        format!("bridgelint {}", env!("CARGO_PKG_VERSION")).as_str()
    );
    // Outside Azure Pipelines: the same category for every run (cargo test is no Azure agent).
    assert_eq!(run0["automationDetails"]["id"], "bridgelint/");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/bridgelint/bridgelint"
    );
    let described = driver["rules"].as_array().expect("driver.rules");
    for rule in rules {
        assert_rule_described(described, rule);
    }

    // Results: one per finding of `--format json`, in the same order, fully located.
    let report = json(&output_of(repo(), "json", &[], "examples/"));
    let results = sarif_results(&sarif);
    assert_eq!(results.len(), diagnostics(&report).len());
    assert_eq!(results.len(), 20, "examples/EXPECTED.md lists 20 findings");
    for (r, d) in results.iter().zip(diagnostics(&report)) {
        assert_result_is_the_diagnostic(r, d, described);
    }

    // The cross-file finding carries its related location, relative to the repository root.
    let missing = results
        .iter()
        .find(|r| r["ruleId"] == "missing-permission")
        .expect("missing-permission");
    let related = &missing["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "this flow needs `status`");
    let loc = &related["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "examples/integrations/github-jira-docs-prod.yaml"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 45);

    // Same when that file has no diagnostic of its own.
    let only = json(&output_of(
        repo(),
        "sarif",
        &["--select", "missing-permission"],
        "examples/",
    ));
    assert_eq!(sarif_results(&only).len(), 1);
    assert_eq!(
        sarif_results(&only)[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "examples/integrations/github-jira-docs-prod.yaml"
    );
}

/// `rule` (an entry of `bridgelint rules --format json`) is in `tool.driver.rules` with its
/// summary, help and level.
fn assert_rule_described(described: &[Value], rule: &Value) {
    let name = rule["name"].as_str().expect("name");
    let d = described
        .iter()
        .find(|d| d["id"] == name)
        .unwrap_or_else(|| panic!("rule {name} not in tool.driver.rules"));
    // examples/.bridgelint.yaml sets `stale-review: { max_age_days: 120 }`: the description
    // names the value of the run (`rules` names the default).
    let summary = rule["summary"].as_str().expect("summary");
    let summary = if name == "stale-review" {
        summary.replace("`max_age_days` (90)", "`max_age_days` (120)")
    } else {
        summary.to_string()
    };
    assert_eq!(d["shortDescription"]["text"], summary.as_str(), "{name}");
    assert_eq!(d["fullDescription"]["text"], summary.as_str(), "{name}");
    for key in ["text", "markdown"] {
        let help = d["help"][key].as_str().unwrap_or_default();
        assert!(help.contains(name), "{name}: help.{key} is {help:?}");
    }
    // Markdown for code-scanning views: the examples as YAML code blocks.
    let markdown = d["help"]["markdown"].as_str().unwrap_or_default();
    assert!(
        markdown.contains("#### Bad\n\n```yaml\n") && markdown.contains("#### Good\n\n```yaml\n"),
        "{name}: help.markdown has no example code blocks: {markdown}"
    );
    // What Azure DevOps and GitHub show: a name, the rule's section of the reference, tags.
    let pascal: String = name
        .split('-')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect();
    assert_eq!(d["name"], pascal.as_str(), "{name}");
    let category = rule["category"].as_str().expect("category");
    let security = ["accounts", "permissions", "credentials"].contains(&category);
    if rule["builtin"] == true {
        assert_eq!(
            d["helpUri"],
            format!(
                "https://github.com/bridgelint/bridgelint/blob/v{}/docs/rules-reference.md#{name}",
                env!("CARGO_PKG_VERSION")
            )
            .as_str()
        );
    } else {
        assert!(
            d.get("helpUri").is_none(),
            "{name}: a custom rule has no reference section"
        );
    }
    let tags: Vec<&str> = if security {
        vec!["security", category]
    } else {
        vec![category]
    };
    assert_eq!(d["properties"]["tags"], serde_json::json!(tags), "{name}");
    let severity = d["properties"].get("security-severity");
    let expected = match rule["severity"].as_str() {
        Some("error") => "8.0",
        Some("warning") => "5.0",
        _ => "2.0",
    };
    assert_eq!(
        severity.and_then(Value::as_str),
        security.then_some(expected),
        "{name}"
    );
    let level = match rule["severity"].as_str() {
        Some("error") => "error",
        Some("warning") => "warning",
        Some("info") => "note",
        other => panic!("{name}: severity {other:?}"),
    };
    assert_eq!(d["defaultConfiguration"]["level"], level, "{name}");
}

/// The SARIF result `r` says what the `json` diagnostic `d` says, fully located.
fn assert_result_is_the_diagnostic(r: &Value, d: &Value, described: &[Value]) {
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

#[test]
fn sarif_uris_are_encoded() {
    let fx = fixture("uris", 0);
    let sarif = json(&output_of(&fx.dir, "sarif", &[], "."));
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
    let a = fingerprints_and_lines(&json(&output_of(&before.dir, "sarif", &[], ".")));
    let b = fingerprints_and_lines(&json(&output_of(&after.dir, "sarif", &[], ".")));
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
    let ga = json(&output_of(&before.dir, "gitlab", &[], "."));
    let gb = json(&output_of(&after.dir, "gitlab", &[], "."));
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
    let sarif = json(&output_of(&fx.dir, "sarif", &[], "."));
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
    let report = json(&output_of(&fx.dir, "json", &[], "."));
    let in_json: Vec<&Value> = diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "plaintext-secret")
        .collect();
    assert_eq!(in_json.len(), 1);
    assert_eq!(in_json[0]["start"]["line"], 16);
    assert_eq!(report["summary"]["suppressed"], 1);

    let compact = output_of(&fx.dir, "compact", &[], ".");
    let lines: Vec<&str> = compact
        .lines()
        .filter(|l| l.contains("plaintext-secret"))
        .collect();
    assert_eq!(lines.len(), 1, "{compact}");
    assert!(lines[0].contains(":16:"), "{compact}");

    let github = output_of(&fx.dir, "github", &[], ".");
    let lines: Vec<&str> = github
        .lines()
        .filter(|l| l.contains("title=plaintext-secret"))
        .collect();
    assert_eq!(lines.len(), 1, "{github}");
    assert!(lines[0].contains(",line=16,"), "{github}");

    let gitlab = json(&output_of(&fx.dir, "gitlab", &[], "."));
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
