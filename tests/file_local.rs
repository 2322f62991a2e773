//! The file-local checks run on each chunk of files as it is merged, and the details only they
//! read are then let go (ARCHITECTURE.md, "What a run holds"). These tests pin which built-in
//! checks are file-local, that the built-in rules let the details go, and, through the real
//! binary on a project of several chunks, that a run finds the same whether it splits the
//! checks so or (with a custom rule that reads a detail across files) holds every detail to
//! the end.

mod support;

use bridgelint::rules::RuleSet;
use serde_json::Value as Json;
use support::{Scratch, CLEAN_ACCOUNTS, CLEAN_INTEGRATION};

/// `rule#check` (checks counted from 1) of every file-local check.
fn file_local_checks(rules: &RuleSet) -> Vec<String> {
    rules
        .rules
        .iter()
        .filter(|r| !r.intrinsic)
        .flat_map(|r| {
            r.checks
                .iter()
                .enumerate()
                .filter(|(_, c)| c.file_local)
                .map(move |(i, _)| format!("{}#{}", r.name, i + 1))
        })
        .collect()
}

#[test]
fn the_builtin_file_local_checks_are_those_over_one_files_entities() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    assert_eq!(
        file_local_checks(&rules),
        [
            "credential-expired#1",
            "credential-expiring#1",
            "credential-lifetime-too-long#1",
            "deprecated-credential-type#1",
            "insecure-url#1",
            "missing-expiry#1",
            "missing-rotation#1",
            "password-auth#1",
            "plaintext-secret#1",
            "plaintext-secret#2",
            "removed-credential-type#1",
            "rotation-interval-too-long#1",
            "rotation-overdue#1",
            "unknown-connection#1",
            "unknown-connection#2",
            "unknown-system#1",
            "unsupported-capability#1",
        ],
        "the built-in checks that run file by file changed (left: now, right: this list). A new \
         rule's file-local check (left only): add its `rule#check` to this list, in rule-name \
         order. A check no longer file-local (right only) waits for every file, and if it reads \
         a `detail` field every run holds every file's details, which costs memory at scale: \
         make it file-local again, or remove it from this list if that is meant. See \
         CONTRIBUTING.md, \"Add a rule\"."
    );
}

#[test]
fn the_builtin_rules_let_the_details_go() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    assert!(rules.details_stay_local(|_| true));
    // Every check that needs every file reads no detail.
    for r in &rules.rules {
        for (i, c) in r.checks.iter().enumerate() {
            assert!(
                c.file_local || !c.reads_detail(),
                "{}#{} needs every file and reads a detail",
                r.name,
                i + 1
            );
        }
    }
}

/// Files in the project: more than two chunks of 256, so that details are let go between
/// chunks while later files are merged.
const FILES: usize = 600;

/// A project of [`FILES`] integrations: each file's Azure DevOps credential expires on its own
/// day of May 2027, and every seventh file's Jira credential has expired.
fn project() -> Scratch {
    let p = Scratch::project("file-local");
    p.write("accounts/accounts.yaml", CLEAN_ACCOUNTS);
    for i in 0..FILES {
        let text = CLEAN_INTEGRATION
            .replace("name: jira-ado", &format!("name: jira-ado-{i}"))
            .replace(
                "expires: 2027-05-15",
                &format!("expires: {}", ado_expiry(i)),
            );
        let text = match i % 7 {
            0 => text.replace("expires: 2027-11-15", "expires: 2026-11-20"),
            _ => text,
        };
        p.write(&format!("integrations/i{i:03}.yaml"), text);
    }
    p
}

fn ado_expiry(i: usize) -> String {
    format!("2027-05-{:02}", i % 28 + 1)
}

/// A custom rule over accounts (it needs every file: an account's first use may be anywhere)
/// that reads a detail, a credential's `expires`.
const FIRST_USE_EXPIRY: &str = "\
name: first-use-expiry
severity: info
category: integrations
summary: Says when the credential of an account's first use expires.
explanation: Says when the credential of an account's first use expires.
check:
  for_each: accounts
  where: first_use.credential.expires != null
  at: key
  message: \"first used with a credential that expires on {first_use.credential.expires}\"
";

/// A custom rule over flows that needs every file (it reads a resolved field) and has no
/// `at`: its findings point at each flow's key, a detail.
const FLOWS_OF_UNIQUE_NAMES: &str = "\
name: flow-of-unique-integration
severity: info
category: integrations
summary: Lists the flows of integrations whose name is unique.
explanation: Lists the flows of integrations whose name is unique.
check:
  for_each: flows
  where: integration.duplicate_of == null
  message: \"a flow of a uniquely named integration\"
";

fn diagnostics(p: &Scratch, args: &[&str]) -> Vec<Json> {
    let r = p.check().format("json").args(args).run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    support::diagnostics(&r.json()).clone()
}

fn of_rule<'a>(diags: &'a [Json], rule: &str) -> Vec<&'a Json> {
    diags.iter().filter(|d| d["rule"] == rule).collect()
}

#[test]
fn a_run_finds_the_same_whether_the_details_go_or_stay() {
    let p = project();
    // The built-in rules: file-local checks run chunk by chunk, details are let go.
    let split = diagnostics(&p, &["."]);
    let expired = of_rule(&split, "credential-expired");
    assert_eq!(expired.len(), FILES.div_ceil(7));
    let last = expired.last().expect("an expired credential");
    assert_eq!(
        last["path"],
        format!("integrations/i{:03}.yaml", 7 * ((FILES - 1) / 7))
    );
    assert_eq!(last["start"]["line"], 16);

    // A custom rule that needs every file and points at a detail (a flow's key) by default.
    p.write(".bridgelint.yaml", "custom_rules: [policy]\n");
    p.write("policy/flows.yaml", FLOWS_OF_UNIQUE_NAMES);
    let flows = diagnostics(&p, &["."]);
    let custom = of_rule(&flows, "flow-of-unique-integration");
    assert_eq!(custom.len(), FILES);
    let key = &custom[FILES - 1];
    assert_eq!(key["path"], format!("integrations/i{:03}.yaml", FILES - 1));
    assert_eq!(
        (&key["start"]["line"], &key["start"]["column"]),
        (&43.into(), &5.into())
    );

    // A custom rule that reads a detail across files: every detail stays to the end.
    p.remove("policy/flows.yaml");
    p.write("policy/first-use-expiry.yaml", FIRST_USE_EXPIRY);
    let held = diagnostics(&p, &["."]);
    let custom = of_rule(&held, "first-use-expiry");
    // The inventory account and each file's inline account.
    assert_eq!(custom.len(), FILES + 1);
    for (i, d) in custom
        .iter()
        .filter(|d| d["path"] != "accounts/accounts.yaml")
        .enumerate()
    {
        assert_eq!(d["path"], format!("integrations/i{i:03}.yaml"));
        let message = d["message"].as_str().expect("message");
        assert!(message.ends_with(&ado_expiry(i)), "{i}: {message}");
    }
    // What the built-in rules find does not depend on it.
    let builtin: Vec<&Json> = held
        .iter()
        .filter(|d| d["rule"] != "first-use-expiry")
        .collect();
    assert_eq!(builtin, split.iter().collect::<Vec<_>>());
}
