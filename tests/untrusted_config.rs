//! A pull request can change the config and add custom rules: they must not crash the linter,
//! make it read outside the project, or make it quadratic.

mod support;
use support::Scratch;

fn rule_with_where(condition: &str) -> String {
    format!(
        "name: deep\nseverity: error\nsummary: s\nexplanation: e\ncheck:\n  for_each: accounts\n  where: \"{condition}\"\n  message: m\n"
    )
}

#[test]
fn a_deeply_nested_custom_rule_is_refused_not_a_crash() {
    let s = Scratch::with_inventory("deep-rule");
    let nested = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
    s.write("rules/deep.yaml", rule_with_where(&nested));
    let out = s.run(&["check", "--rules", "rules", "--format", "compact"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("nested more than"), "{}", out.stderr);
    assert!(out.stderr.contains("rules/deep.yaml:7:"), "{}", out.stderr);

    let chain = vec!["true"; 20_000].join(" or ");
    s.write("rules/deep.yaml", rule_with_where(&chain));
    let out = s.run(&["check", "--rules", "rules", "--format", "compact"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("operands"), "{}", out.stderr);

    let nots = format!("{}true", "not ".repeat(10_000));
    s.write("rules/deep.yaml", rule_with_where(&nots));
    assert_eq!(s.run(&["check", "--rules", "rules"]).code, 2);
}

#[test]
fn config_paths_must_stay_inside_the_project() {
    let s = Scratch::with_inventory("confined");
    for (key, value) in [
        ("custom_rules", "[\"../\"]"),
        ("catalogs", "[\"/etc\"]"),
        ("baseline", "/dev/zero"),
    ] {
        s.write(".bridgelint.yaml", format!("{key}: {value}\n"));
        let out = s.run(&["check", "--format", "compact"]);
        assert_eq!(out.code, 2, "{key}: {}", out.stderr);
        assert!(
            out.stderr.contains("outside the project"),
            "{key}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(".bridgelint.yaml:1:"),
            "{key}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_baseline_that_is_not_a_regular_file_is_refused() {
    let s = Scratch::with_inventory("baseline-dev");
    let out = s.run(&["check", "--baseline", "/dev/zero"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("regular file"), "{}", out.stderr);
}

#[test]
fn thousands_of_uses_of_one_account_are_checked() {
    // shared-account looks for the first use with an environment for every use: it must stop
    // at the first (a quadratic rule would time out here).
    let s = Scratch::with_inventory("many-uses");
    let mut text = String::new();
    for i in 0..1500 {
        let env = if i % 2 == 0 { "prod" } else { "test" };
        text.push_str(&format!(
            "---\napiVersion: bridgelint/v1\nkind: Integration\nmetadata: {{ name: i{i}, owner: team-platform, environment: {env} }}\nconnections:\n  jira:\n    system: jira-cloud\n    url: https://acme.atlassian.net\n    account: getint-jira\n    credential: {{ type: api-token, secret: env:T, expires: 2027-06-30, rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }} }}\n  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential: {{ type: personal-access-token, secret: env:A, expires: 2027-06-30, rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }} }}\nflows:\n  - {{ from: jira, to: ado, sync: [create] }}\n"
        ));
    }
    s.write("many.yaml", &text);
    let v = s
        .check()
        .format("json")
        .args(["--select", "shared-account"])
        .run()
        .json();
    // Every test use of both accounts differs from the first (prod) use.
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1500);
}
