//! Every built-in rule has fixtures; they pass with the rule and fail without it.

use std::path::PathBuf;

mod support;
use support::Bin;

fn fixtures_dir() -> PathBuf {
    support::repo().join("rules/fixtures")
}

#[test]
fn builtin_fixtures_pass_through_the_binary() {
    let out = Bin::new().arg("test-rules").run();
    let stdout = &out.stdout;
    assert_eq!(out.code, 0, "test-rules failed:\n{stdout}\n{}", out.stderr);
    assert!(stdout.contains("fixture folders passed"), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
}

#[test]
fn every_checked_rule_has_a_fixture_folder_that_needs_it() {
    let rules = bridgelint::rules::RuleSet::builtin().expect("built-in rules load");
    let mut without_fixture = Vec::new();
    for rule in rules
        .rules
        .iter()
        .filter(|r| !r.intrinsic || matches!(r.name.as_str(), "duplicate-key" | "schema-violation"))
    {
        let folder = fixtures_dir().join(&rule.name);
        if !folder.is_dir() {
            without_fixture.push(rule.name.clone());
            continue;
        }
        let with = bridgelint::commands::test_rules::run_folder(&folder, None, &[], &[], &[])
            .expect("runs");
        assert!(
            with.mismatches.is_empty(),
            "{}: {:?}",
            rule.name,
            with.mismatches
        );
        let without = bridgelint::commands::test_rules::run_folder(
            &folder,
            None,
            &[],
            &[],
            std::slice::from_ref(&rule.name),
        )
        .expect("runs");
        let missing = without
            .mismatches
            .iter()
            .filter(|m| m.missing && m.rule == rule.name)
            .count();
        assert!(
            missing > 0,
            "fixtures of `{}` still pass without the rule",
            rule.name
        );
    }
    assert!(
        without_fixture.is_empty(),
        "rules without fixtures: {without_fixture:?}"
    );
}

#[test]
fn the_clean_folder_produces_nothing_at_all() {
    let out = Bin::check()
        .args(["--no-config", "--no-context"])
        .format("compact")
        .arg(fixtures_dir().join("clean"))
        .run();
    assert_eq!(out.stdout, "");
    assert_eq!(out.code, 0);
}

#[test]
fn every_builtin_pattern_compiles_within_the_size_limit() {
    let rules = bridgelint::rules::RuleSet::builtin().expect("built-in rules load");
    for rule in &rules.rules {
        for p in &rule.patterns {
            bridgelint::rules::expr::compile_regex(&p.source)
                .unwrap_or_else(|e| panic!("{} / {}: {e}", rule.name, p.name));
        }
    }
}
