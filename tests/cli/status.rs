//! Exit statuses: 0 and 1 by the findings and `--fail-on`; 2 for a wrong invocation, which
//! reports nothing else.

use super::*;

// ---------------------------------------------------------------------------------------------
// Exit status 0 and 1
// ---------------------------------------------------------------------------------------------

#[test]
fn clean_project_exits_0() {
    let p = clean_project("clean");
    let (code, out, err) = p.check().run().into_parts();
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 infos in 2 files (0 skipped)\n"
    );
    assert_eq!(err, "");
}

#[test]
fn an_error_finding_exits_1() {
    let p = clean_project("err");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "{out}\n{err}");
    assert_eq!(compact_lines(&out), [PLAINTEXT_LINE]);
}

#[test]
fn fail_on_thresholds() {
    let p = Scratch::with_files(
        "failon",
        &[
            ("integ.yaml", CLEAN_INTEGRATION),
            ("accounts.yaml", &accounts_with_stale_review()),
        ],
    );
    // Only a warning.
    let (code, out, _) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "default --fail-on is warning:\n{out}");
    assert_eq!(compact_lines(&out).len(), 1, "{out}");
    assert!(
        out.contains("accounts.yaml:13:15: warning[stale-review]"),
        "{out}"
    );
    assert_eq!(p.check().args(["--fail-on", "warning"]).run().code, 1);
    assert_eq!(p.check().args(["--fail-on", "error"]).run().code, 0);
    assert_eq!(p.check().args(["--fail-on", "info"]).run().code, 1);
    assert_eq!(p.check().args(["--fail-on", "never"]).run().code, 0);

    // Only an info.
    p.write("accounts.yaml", CLEAN_ACCOUNTS);
    p.write("integ.yaml", integration_with_info_only());
    let (code, out, _) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 0, "an info does not fail by default:\n{out}");
    assert_eq!(compact_lines(&out).len(), 1, "{out}");
    assert!(out.contains("info[display-name]"), "{out}");
    assert_eq!(p.check().args(["--fail-on", "info"]).run().code, 1);
    assert_eq!(p.check().args(["--fail-on", "warning"]).run().code, 0);

    // An error, with never.
    p.write("integ.yaml", integration_with_plaintext_secret());
    assert_eq!(p.check().args(["--fail-on", "never"]).run().code, 0);
    assert_eq!(p.check().args(["--fail-on", "error"]).run().code, 1);
}

#[test]
fn fail_on_from_the_config_and_the_command_line_over_it() {
    let p = Scratch::with_files(
        "failoncfg",
        &[
            ("integ.yaml", CLEAN_INTEGRATION),
            ("accounts.yaml", &accounts_with_stale_review()),
        ],
    );
    p.write(".bridgelint.yaml", "fail_on: error\n");
    assert_eq!(p.check().run().code, 0);
    assert_eq!(p.check().args(["--fail-on", "warning"]).run().code, 1);
}

// ---------------------------------------------------------------------------------------------
// Exit status 2: the invocation is wrong; nothing is linted or reported
// ---------------------------------------------------------------------------------------------

/// Wrong invocations, each in a clean project: the arguments, and what the message on standard
/// error must name.
const USAGE_ERRORS: &[(&[&str], &str)] = &[
    // Unknown options, commands and values.
    (&["check", "--now", NOW, "--bogus"], "--bogus"),
    (&["lint"], "lint"),
    (&["check", "--now", NOW, "--format", "xml"], "xml"),
    (
        &["check", "--now", NOW, "--fail-on", "sometimes"],
        "sometimes",
    ),
    (&["check", "--now", NOW, "--color", "maybe"], "maybe"),
    // Unknown rules in --select or --ignore.
    (&["check", "--now", NOW, "--select", "nope"], "nope"),
    (
        &[
            "check",
            "--now",
            NOW,
            "--ignore",
            "plaintext-secret,plaintext-secrte",
        ],
        "did you mean `plaintext-secret`",
    ),
    (
        &["check", "--now", NOW, "--select", "plaintext-secret,nope"],
        "unknown rule `nope`; `bridgelint rules` lists them",
    ),
    // Impossible dates, zero jobs.
    (&["check", "--now", "2026-13-01"], "2026-13-01"),
    (&["check", "--now", "2026-02-29"], "2026-02-29"),
    (&["check", "--now", "27.11.2026"], "27.11.2026"),
    (&["check", "--now", NOW, "-j", "0"], "0"),
    (&["check", "--now", NOW, "--jobs", "x"], "x"),
    // A named path that does not exist.
    (
        &["check", "--now", NOW, "integrations", "nothere.yaml"],
        "nothere.yaml",
    ),
    (&["check", "--now", NOW, "no/such/folder"], "no/such/folder"),
    // A missing baseline file.
    (
        &["check", "--now", NOW, "--baseline", "baseline.json"],
        "baseline.json",
    ),
];

#[test]
fn wrong_invocations_exit_2_and_report_nothing_else() {
    let p = clean_project("usage");
    for (args, needle) in USAGE_ERRORS {
        p.run(args).assert_usage_error(needle);
    }
}

#[test]
fn known_rule_names_in_select_and_ignore_are_fine() {
    let p = clean_project("knownrule");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    assert_eq!(
        p.check().args(["--select", "plaintext-secret"]).run().code,
        1
    );
    assert_eq!(
        p.check().args(["--ignore", "plaintext-secret"]).run().code,
        0
    );
}

#[test]
fn a_leap_day_that_exists_and_one_job_are_fine() {
    let p = clean_project("goodvalues");
    // Credentials have expired by then.
    assert_eq!(p.run(&["check", "--now", "2028-02-29"]).code, 1);
    assert_eq!(p.check().args(["-j", "1"]).run().code, 0);
}

#[test]
fn invalid_config_exits_2_with_a_located_message() {
    let p = clean_project("badcfg");
    let cases = [
        (
            "rules:\n  plaintext-secret: {severity: loud}\n",
            ".bridgelint.yaml:2:32:",
        ),
        ("rules:\n  no-such-rule: off\n", ".bridgelint.yaml:2:3:"),
        ("exclud: []\n", ".bridgelint.yaml:1:1:"),
        ("fail_on: sometimes\n", ".bridgelint.yaml:1:10:"),
        ("jobs: 0\n", ".bridgelint.yaml:1:7:"),
        ("exclude: [\"a\"\nrules: {}\n", ".bridgelint.yaml:"),
        (
            "rules:\n  stale-review: {max_age: 3}\n",
            ".bridgelint.yaml:2:18:",
        ),
    ];
    for (text, located) in cases {
        p.write(".bridgelint.yaml", text);
        let (code, out, err) = p.check().run().into_parts();
        assert_eq!(code, 2, "{text:?}:\n{out}{err}");
        assert_eq!(out, "", "{text:?}");
        assert!(
            err.contains(located),
            "{text:?}: expected {located:?} in\n{err}"
        );
    }
}

#[test]
fn unreadable_config_exits_2() {
    let p = clean_project("unreadcfg");
    // Not UTF-8 (permissions cannot be relied on: tests may run as root).
    p.write(".bridgelint.yaml", b"fail_on: \xff\n");
    p.check().run().assert_usage_error(".bridgelint.yaml");
    // A folder given as the config file.
    p.write(".bridgelint.yaml", "{}\n");
    p.mkdir("cfgdir");
    p.check()
        .args(["--config", "cfgdir"])
        .run()
        .assert_usage_error("cfgdir");
    // A config file that does not exist.
    p.check()
        .args(["--config", "missing.yaml"])
        .run()
        .assert_usage_error("missing.yaml");
}

#[test]
fn both_config_names_present_exits_2() {
    let p = clean_project("bothcfg");
    p.write(".bridgelint.yml", "{}\n");
    let (code, out, err) = p.check().run().into_parts();
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "");
    assert!(
        err.contains(".bridgelint.yaml") && err.contains(".bridgelint.yml"),
        "{err}"
    );
}

#[test]
fn stdin_filename_with_paths_exits_2() {
    let p = clean_project("stdinpaths");
    p.check()
        .args([
            "--stdin-filename",
            "integrations/integ.yaml",
            "accounts/accounts.yaml",
        ])
        .stdin(CLEAN_INTEGRATION)
        .run()
        .assert_usage_error("--stdin-filename");
}

#[test]
fn output_into_a_missing_folder_exits_2() {
    let p = clean_project("badoutput");
    let (code, out, err) = p
        .check()
        .args(["-o", "no/such/folder/report.txt"])
        .run()
        .into_parts();
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains("report.txt"), "{err}");
    // Into an existing folder it works and writes nothing to stdout.
    let (code, out, _) = p
        .check()
        .args(["-o", "report.txt", "--format", "json"])
        .run()
        .into_parts();
    assert_eq!(code, 0);
    assert_eq!(out, "");
    assert_eq!(json_of(&p.read("report.txt"))["version"], 1);
}

#[test]
fn an_empty_config_file_is_a_config_with_no_settings() {
    let p = clean_project("emptycfg");
    for text in ["", "# every setting commented out\n# fail_on: error\n"] {
        p.write(".bridgelint.yaml", text);
        let (code, out, err) = p.check().run().into_parts();
        assert_eq!(code, 0, "{text:?}:\n{out}{err}");
    }
}
