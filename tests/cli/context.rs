//! The project context: a named file is checked with the whole project around it, and only
//! the context files related to it are parsed; standard input stands for the file at its
//! path; printed paths are relative to the current folder.

use super::*;

// ---------------------------------------------------------------------------------------------
// Project context
// ---------------------------------------------------------------------------------------------

#[test]
fn one_named_file_still_resolves_accounts_from_the_project() {
    let p = Scratch::with_files(
        "context",
        &[
            ("integrations/integ.yaml", CLEAN_INTEGRATION),
            ("accounts/accounts.yaml", &accounts_with_stale_review()),
        ],
    );
    // The stale review lies in a file that is not named: it is not reported.
    let (code, out, err) = p
        .check()
        .args(["--format", "compact", "integrations/integ.yaml"])
        .run()
        .into_parts();
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "");
    // From the integration's own folder.
    let r = Bin::check()
        .format("compact")
        .arg("integ.yaml")
        .current_dir(p.path("integrations"))
        .run();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Without the context, the account is unknown.
    let (code, out, _) = p
        .check()
        .args([
            "--format",
            "compact",
            "--no-context",
            "integrations/integ.yaml",
        ])
        .run()
        .into_parts();
    assert_eq!(code, 1);
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("integrations/integ.yaml:11:14: error[unknown-account] "),
        "{out}"
    );
}

/// The findings a run over the whole project reports for `file` (primary or related location
/// in it): what a run naming `file` must report (cli.md, "Project context").
fn reported_for(all: &Json, file: &str) -> Vec<Json> {
    all["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| {
            d["path"] == file
                || d["related"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x["path"] == file))
        })
        .cloned()
        .collect()
}

/// A project with the clean integration and its inventory, one integration related to it
/// (the same name: `duplicate-name` there points back at the clean one) and three that are not
/// (other accounts and names, each leaking a secret).
fn project_with_unrelated_files(tag: &str) -> Scratch {
    let related = CLEAN_INTEGRATION.replace("environment: prod", "environment: staging");
    let p = clean_project(tag);
    p.write("integrations/staging.yaml", related);
    for i in 0..3 {
        let other = integration_with_plaintext_secret()
            .replace("name: jira-ado-leaky", &format!("name: other-{i}"))
            .replace("getint-jira-prod", &format!("getint-other-{i}"));
        p.write(&format!("integrations/other-{i}.yaml"), other);
    }
    p
}

#[test]
fn naming_a_file_parses_only_the_context_files_related_to_it_with_the_same_findings() {
    let p = project_with_unrelated_files("prune");
    let (_, all, _) = p.check().args(["--format", "json", "."]).run().into_parts();
    let all = json_of(&all);
    let (_, one, err) = p
        .check()
        .args(["--format", "json", "-v", "integrations/integ.yaml"])
        .run()
        .into_parts();
    assert_eq!(
        json_of(&one)["diagnostics"]
            .as_array()
            .expect("diagnostics"),
        &reported_for(&all, "integrations/integ.yaml")
    );
    assert!(
        reported_for(&all, "integrations/integ.yaml")
            .iter()
            .any(|d| d["related"].as_array().is_some_and(|r| !r.is_empty())),
        "the named file has a cross-file finding: {all}"
    );
    // The three unrelated integrations are read, not parsed; the related one and the
    // inventory are.
    assert!(
        err.contains("3 files of the project context not parsed"),
        "{err}"
    );
}

#[test]
fn a_context_file_that_may_spell_an_id_with_escapes_is_parsed() {
    let p = project_with_unrelated_files("prune-escape");
    // The inventory, in JSON, spells the id with escapes: its bytes do not hold it.
    p.remove("accounts/accounts.yaml");
    let accounts = CLEAN_ACCOUNTS.replace("getint-jira-prod:", "\"getint\\u002djira\\u002dprod\":");
    p.write("accounts/accounts.yaml", accounts);
    let (_, all, _) = p.check().args(["--format", "json", "."]).run().into_parts();
    let all = json_of(&all);
    assert!(
        !reported_for(&all, "integrations/integ.yaml")
            .iter()
            .any(|d| d["rule"] == "unknown-account"),
        "the escaped id declares the account: {all}"
    );
    let (_, one, _) = p
        .check()
        .args(["--format", "json", "integrations/integ.yaml"])
        .run()
        .into_parts();
    assert_eq!(
        json_of(&one)["diagnostics"]
            .as_array()
            .expect("diagnostics"),
        &reported_for(&all, "integrations/integ.yaml")
    );
}

#[test]
fn custom_rules_reading_other_files_named_folders_and_inventory_read_the_whole_context() {
    let p = project_with_unrelated_files("prune-off");
    // A named folder.
    let (_, _, err) = p
        .check()
        .args(["--format", "json", "-v", "integrations/"])
        .run()
        .into_parts();
    assert!(!err.contains("not parsed"), "{err}");
    // The inventory shows the whole model.
    let (code, _, err) = p
        .run(&["inventory", "--now", NOW, "-v", "integrations/integ.yaml"])
        .into_parts();
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("of the project context read as well") && !err.contains("not parsed"),
        "{err}"
    );
    // A custom rule that reads other files' records (an account's uses) may relate files in
    // ways the built-in ones do not.
    p.write(".bridgelint.yaml", "custom_rules: [policy]\n");
    p.write(
        "policy/used.yaml",
        "name: account-used-twice\nseverity: info\ncategory: accounts\nsummary: Used twice.\nexplanation: Used twice.\ncheck:\n  for_each: accounts\n  where: len(uses) > 1\n  message: \"account `{id}` is used twice\"\n",
    );
    let (code, _, err) = p
        .check()
        .args(["--format", "json", "-v", "integrations/integ.yaml"])
        .run()
        .into_parts();
    assert!(code == 0 || code == 1, "{err}");
    assert!(!err.contains("not parsed"), "{err}");
    p.remove("policy/used.yaml");
    // Rules that read only values of their entity's own file (an integration's, an account's)
    // relate no files: the context is pruned, with the findings of the whole project.
    p.write(
        "policy/account-owner.yaml",
        "name: account-owner-is-a-team\nseverity: info\ncategory: accounts\nsummary: Owners are teams.\nexplanation: Owners are teams.\ncheck:\n  for_each: accounts\n  where: matches(owner, '^team-')\n  at: owner\n  message: \"account `{id}` is owned by `{owner}`\"\n",
    );
    p.write(
        "policy/owner.yaml",
        "name: owner-is-a-team\nseverity: info\ncategory: integrations\nsummary: Owners are teams.\nexplanation: Owners are teams.\ncheck:\n  for_each: integrations\n  where: not matches(owner, '^team-')\n  at: owner\n  message: \"owner `{owner}` is not a team\"\n",
    );
    let all = p.check().args(["--format", "json", "."]).run().json();
    assert!(!reported_for(&all, "accounts/accounts.yaml").is_empty());
    for named in ["integrations/integ.yaml", "accounts/accounts.yaml"] {
        let (code, out, err) = p
            .check()
            .args(["--format", "json", "-v", named])
            .run()
            .into_parts();
        assert!(code == 0 || code == 1, "{err}");
        assert!(err.contains("not parsed"), "{named}: {err}");
        let got: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(
            got["diagnostics"].as_array().expect("diagnostics"),
            &reported_for(&all, named),
            "{named}"
        );
    }
}

#[test]
fn a_buffer_on_stdin_is_pruned_against_like_the_file_it_replaces() {
    let p = project_with_unrelated_files("prune-stdin");
    let (_, all, _) = p.check().args(["--format", "json", "."]).run().into_parts();
    let all = json_of(&all);
    let r = p
        .check()
        .args(["--format", "json", "-v"])
        .args(["--stdin-filename", "integrations/integ.yaml"])
        .stdin(CLEAN_INTEGRATION)
        .run();
    assert_eq!(
        json_of(&r.stdout)["diagnostics"]
            .as_array()
            .expect("diagnostics"),
        &reported_for(&all, "integrations/integ.yaml")
    );
    assert!(
        r.stderr
            .contains("3 files of the project context not parsed"),
        "{}",
        r.stderr
    );
}

#[test]
fn stdin_buffer_replaces_the_file_at_its_path() {
    let p = clean_project("stdin");
    let buffer =
        integration_with_plaintext_secret().replace("name: jira-ado-leaky", "name: jira-ado");
    let r = p
        .check()
        .args(["--format", "compact"])
        .args(["--stdin-filename", "integrations/integ.yaml"])
        .stdin(buffer)
        .run();
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let lines = compact_lines(&r.stdout);
    // The buffer replaces the file on disk: no duplicate-name with it; the account resolves.
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert!(
        lines[0].starts_with("integrations/integ.yaml:14:15: error[plaintext-secret]"),
        "{}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

#[test]
fn paths_are_printed_relative_to_the_current_folder() {
    let p = clean_project("paths");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.mkdir("elsewhere");
    let (_, out, _) = p
        .check()
        .args(["--format", "compact", "integrations/leaky.yaml"])
        .run()
        .into_parts();
    assert!(out.starts_with("integrations/leaky.yaml:14:15: "), "{out}");
    let (_, out, _) = p
        .check()
        .args(["--format", "compact", "./integrations/../integrations"])
        .run()
        .into_parts();
    assert!(out.starts_with("integrations/leaky.yaml:14:15: "), "{out}");

    let r = Bin::check()
        .format("compact")
        .arg("leaky.yaml")
        .current_dir(p.path("integrations"))
        .run();
    assert!(r.stdout.starts_with("leaky.yaml:14:15: "), "{}", r.stdout);

    // Outside the current folder: absolute, with `/` separators.
    let r = Bin::check()
        .format("compact")
        .arg("../integrations/leaky.yaml")
        .current_dir(p.path("elsewhere"))
        .run();
    let abs = format!("{}:14:15: ", p.path("integrations/leaky.yaml").display());
    assert!(
        r.stdout.starts_with(&abs),
        "expected {abs:?} in\n{}",
        r.stdout
    );

    // JSON uses the same paths.
    let (_, out, _) = p
        .check()
        .args(["--format", "json", "integrations/leaky.yaml"])
        .run()
        .into_parts();
    assert_eq!(
        json_of(&out)["diagnostics"][0]["path"],
        "integrations/leaky.yaml"
    );
}
