//! Help that agrees with the config: a summary that names an option's value (the help line of
//! every finding, SARIF's rule descriptions) names the value the run uses, not the default.

use serde_json::Value;

use super::support::{diagnostics, Bin, Scratch, CLEAN_ACCOUNTS};
use super::ACCOUNTS;

/// Every built-in rule's integer options, with their defaults: `(rule, option, default)`.
fn integer_options() -> Vec<(String, String, i64)> {
    let rules = Bin::new()
        .args(["rules", "--format", "json"])
        .run()
        .linted()
        .json();
    let mut out = Vec::new();
    for r in rules.as_array().expect("rules") {
        for o in r["options"].as_array().expect("options") {
            if let Some(default) = o["default"].as_i64() {
                let name = o["name"].as_str().expect("name").to_string();
                out.push((r["name"].as_str().expect("rule").to_string(), name, default));
            }
        }
    }
    out
}

/// The SARIF rule descriptor of `rule`.
fn descriptor<'a>(sarif: &'a Value, rule: &str) -> &'a Value {
    sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|d| d["id"] == rule)
        .unwrap_or_else(|| panic!("{rule} not described"))
}

#[test]
fn every_summary_names_the_configured_option_values() {
    let options = integer_options();
    assert!(options.len() >= 3, "{options:?}");
    // Each integer option set to a value no rule uses by default.
    let config: String = options
        .iter()
        .map(|(rule, option, default)| format!("  {rule}: {{ {option}: {} }}\n", default + 1000))
        .collect();
    let s = Scratch::with_config("help-values", &format!("rules:\n{config}"));
    s.write("accounts.yaml", CLEAN_ACCOUNTS);
    let sarif = s.check().format("sarif").arg(".").run().linted().json();
    for (rule, option, default) in &options {
        let d = descriptor(&sarif, rule);
        for text in [
            &d["shortDescription"]["text"],
            &d["fullDescription"]["text"],
            &d["help"]["text"],
            &d["help"]["markdown"],
        ] {
            let text = text.as_str().expect("text");
            let summary_line = text.lines().find(|l| l.contains(option.as_str()));
            // A summary either names the option with the configured value, or no number.
            if let Some(line) = summary_line.filter(|l| l.contains(&format!("`{option}` ("))) {
                assert!(
                    line.contains(&format!("`{option}` ({})", default + 1000)),
                    "{rule}: {line}"
                );
            }
            assert!(
                !text.contains(&format!("`{option}` ({default})")),
                "{rule} names the default of `{option}` though the config sets it: {text}"
            );
        }
    }
}

#[test]
fn the_help_line_names_the_value_of_the_findings_file() {
    // 150 days since the review: stale under 120 (the config) and 100 (`per_path`).
    let config = "\
rules:
  stale-review: { max_age_days: 120 }
per_path:
  - paths: [\"strict/**\"]
    rules: { stale-review: { max_age_days: 100 } }
";
    let old_review = ACCOUNTS.replace("reviewed: 2026-11-01", "reviewed: 2026-06-30");
    let s = Scratch::with_config("help-per-path", config);
    s.write("accounts.yaml", &old_review);
    s.write(
        "strict/accounts.yaml",
        old_review.replace("getint-jira", "getint-ado"),
    );
    let args = ["--select", "stale-review", "."];
    let report = s.check().format("json").args(args).run().json();
    let found: Vec<(&str, &str, &str)> = diagnostics(&report)
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().expect(k);
            (text("path"), text("message"), text("help"))
        })
        .collect();
    let help = |n: &str| {
        format!("An account never reviewed, or last reviewed more than `max_age_days` ({n}) ago. See `bridgelint explain stale-review`.")
    };
    let expected = [("accounts.yaml", "120"), ("strict/accounts.yaml", "100")];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for ((path, message, line), (want_path, days)) in found.iter().zip(expected) {
        assert_eq!(*path, want_path);
        let said = format!("(at most every {days} days)");
        assert!(message.ends_with(&said), "{path}: {message}");
        assert_eq!(*line, help(days), "{path}");
    }
    // The human help line is the same text.
    let human = s.check().args(args).run().stdout;
    assert!(human.contains(&format!("help: {}", help("100"))), "{human}");
    // SARIF describes each rule once for the run: with two values, it names none.
    let sarif = s.check().format("sarif").args(args).run().json();
    assert_eq!(
        descriptor(&sarif, "stale-review")["shortDescription"]["text"],
        "An account never reviewed, or last reviewed more than `max_age_days` ago."
    );
}
