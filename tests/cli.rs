//! The command line, through the real binary in scratch folders: exit statuses, which files are
//! read, config discovery, the project context, paths, output formats, colour, verbosity, and
//! the `schema`, `explain`, `--version` and `--help` commands (cli.md, format.md).

mod support;

use serde_json::Value as Json;
use support::{
    accounts_with_stale_review, integration_with_info_only, integration_with_plaintext_secret,
    mkfifo, run, run_with, RunOpts, Scratch, CLEAN_ACCOUNTS, CLEAN_INTEGRATION, NOW,
};

/// `bridgelint check --now NOW ARGS...` in `dir`.
fn check(dir: &Scratch, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check", "--now", NOW];
    all.extend_from_slice(args);
    run(&all, &dir.dir)
}

/// A project with the clean integration and its inventory.
fn clean_project(tag: &str) -> Scratch {
    Scratch::with_files(
        tag,
        &[
            ("integrations/integ.yaml", CLEAN_INTEGRATION),
            ("accounts/accounts.yaml", CLEAN_ACCOUNTS),
        ],
    )
}

fn compact_lines(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| !l.is_empty()).collect()
}

fn json_of(stdout: &str) -> Json {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

fn rules_of(report: &Json) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

const PLAINTEXT_LINE: &str = "integrations/leaky.yaml:14:15: error[plaintext-secret] the \
credential of connection `jira` holds its `secret` in clear (****); store it in a secret \
manager, refer to it (e.g. `env:NAME`, `vault:PATH`), and rotate it";

// ---------------------------------------------------------------------------------------------
// Exit status 0 and 1
// ---------------------------------------------------------------------------------------------

#[test]
fn clean_project_exits_0() {
    let p = clean_project("clean");
    let (code, out, err) = check(&p, &[]);
    assert_eq!(code, Some(0), "{out}\n{err}");
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
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
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
    let (code, out, _) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "default --fail-on is warning:\n{out}");
    assert_eq!(compact_lines(&out).len(), 1, "{out}");
    assert!(
        out.contains("accounts.yaml:13:15: warning[stale-review]"),
        "{out}"
    );
    assert_eq!(check(&p, &["--fail-on", "warning"]).0, Some(1));
    assert_eq!(check(&p, &["--fail-on", "error"]).0, Some(0));
    assert_eq!(check(&p, &["--fail-on", "info"]).0, Some(1));
    assert_eq!(check(&p, &["--fail-on", "never"]).0, Some(0));

    // Only an info.
    p.write("accounts.yaml", CLEAN_ACCOUNTS);
    p.write("integ.yaml", integration_with_info_only());
    let (code, out, _) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(0), "an info does not fail by default:\n{out}");
    assert_eq!(compact_lines(&out).len(), 1, "{out}");
    assert!(out.contains("info[display-name]"), "{out}");
    assert_eq!(check(&p, &["--fail-on", "info"]).0, Some(1));
    assert_eq!(check(&p, &["--fail-on", "warning"]).0, Some(0));

    // An error, with never.
    p.write("integ.yaml", integration_with_plaintext_secret());
    assert_eq!(check(&p, &["--fail-on", "never"]).0, Some(0));
    assert_eq!(check(&p, &["--fail-on", "error"]).0, Some(1));
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
    assert_eq!(check(&p, &[]).0, Some(0));
    assert_eq!(check(&p, &["--fail-on", "warning"]).0, Some(1));
}

// ---------------------------------------------------------------------------------------------
// Exit status 2: the invocation is wrong; nothing is linted or reported
// ---------------------------------------------------------------------------------------------

/// Asserts status 2, nothing on stdout, and a message on stderr holding `needle`.
fn assert_usage_error(r: (Option<i32>, String, String), needle: &str) {
    let (code, out, err) = r;
    assert_eq!(code, Some(2), "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(out, "", "status 2 reports nothing else");
    assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
}

#[test]
fn unknown_option_exits_2() {
    let p = clean_project("unkopt");
    assert_usage_error(check(&p, &["--bogus"]), "--bogus");
    assert_usage_error(run(&["lint"], &p.dir), "lint");
    assert_usage_error(check(&p, &["--format", "xml"]), "xml");
    assert_usage_error(check(&p, &["--fail-on", "sometimes"]), "sometimes");
    assert_usage_error(check(&p, &["--color", "maybe"]), "maybe");
}

#[test]
fn unknown_rule_in_select_or_ignore_exits_2() {
    let p = clean_project("unkrule");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    assert_usage_error(check(&p, &["--select", "nope"]), "nope");
    assert_usage_error(
        check(&p, &["--ignore", "plaintext-secret,plaintext-secrte"]),
        "did you mean `plaintext-secret`",
    );
    assert_usage_error(
        check(&p, &["--select", "plaintext-secret,nope"]),
        "unknown rule `nope`",
    );
    // Known names are fine.
    assert_eq!(check(&p, &["--select", "plaintext-secret"]).0, Some(1));
    assert_eq!(check(&p, &["--ignore", "plaintext-secret"]).0, Some(0));
}

#[test]
fn impossible_dates_and_zero_jobs_exit_2() {
    let p = clean_project("badvalues");
    let r = run(&["check", "--now", "2026-13-01"], &p.dir);
    assert_usage_error(r, "2026-13-01");
    let r = run(&["check", "--now", "2026-02-29"], &p.dir);
    assert_usage_error(r, "2026-02-29");
    let r = run(&["check", "--now", "27.11.2026"], &p.dir);
    assert_usage_error(r, "27.11.2026");
    assert_usage_error(check(&p, &["-j", "0"]), "0");
    assert_usage_error(check(&p, &["--jobs", "x"]), "x");
    // A leap day that exists, and one job, are fine (credentials have expired by then).
    assert_eq!(run(&["check", "--now", "2028-02-29"], &p.dir).0, Some(1));
    assert_eq!(check(&p, &["-j", "1"]).0, Some(0));
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
        let (code, out, err) = check(&p, &[]);
        assert_eq!(code, Some(2), "{text:?}:\n{out}{err}");
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
    assert_usage_error(check(&p, &[]), ".bridgelint.yaml");
    // A folder given as the config file.
    p.write(".bridgelint.yaml", "{}\n");
    p.mkdir("cfgdir");
    assert_usage_error(check(&p, &["--config", "cfgdir"]), "cfgdir");
    // A config file that does not exist.
    assert_usage_error(check(&p, &["--config", "missing.yaml"]), "missing.yaml");
}

#[test]
fn both_config_names_present_exits_2() {
    let p = clean_project("bothcfg");
    p.write(".bridgelint.yml", "{}\n");
    let (code, out, err) = check(&p, &[]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert_eq!(out, "");
    assert!(
        err.contains(".bridgelint.yaml") && err.contains(".bridgelint.yml"),
        "{err}"
    );
}

#[test]
fn a_named_path_that_does_not_exist_exits_2() {
    let p = clean_project("nopath");
    assert_usage_error(check(&p, &["integrations", "nothere.yaml"]), "nothere.yaml");
    assert_usage_error(check(&p, &["no/such/folder"]), "no/such/folder");
}

#[test]
fn stdin_filename_with_paths_exits_2() {
    let p = clean_project("stdinpaths");
    let r = run_with(
        &[
            "check",
            "--now",
            NOW,
            "--stdin-filename",
            "integrations/integ.yaml",
            "accounts/accounts.yaml",
        ],
        &p.dir,
        RunOpts {
            stdin: Some(CLEAN_INTEGRATION.as_bytes()),
            ..RunOpts::default()
        },
    );
    assert_usage_error((r.code, r.stdout, r.stderr), "--stdin-filename");
}

#[test]
fn missing_baseline_file_exits_2() {
    let p = clean_project("nobaseline");
    assert_usage_error(check(&p, &["--baseline", "baseline.json"]), "baseline.json");
}

#[test]
fn output_into_a_missing_folder_exits_2() {
    let p = clean_project("badoutput");
    let (code, out, err) = check(&p, &["-o", "no/such/folder/report.txt"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains("report.txt"), "{err}");
    // Into an existing folder it works and writes nothing to stdout.
    let (code, out, _) = check(&p, &["-o", "report.txt", "--format", "json"]);
    assert_eq!(code, Some(0));
    assert_eq!(out, "");
    assert_eq!(json_of(&p.read("report.txt"))["version"], 1);
}

#[test]
fn an_empty_config_file_is_a_config_with_no_settings() {
    let p = clean_project("emptycfg");
    for text in ["", "# every setting commented out\n# fail_on: error\n"] {
        p.write(".bridgelint.yaml", text);
        let (code, out, err) = check(&p, &[]);
        assert_eq!(code, Some(0), "{text:?}:\n{out}{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Which files are ours
// ---------------------------------------------------------------------------------------------

#[test]
fn yaml_without_our_api_version_is_skipped_silently() {
    let p = Scratch::with_files(
        "notours",
        &[
            ("other.yaml", "apiVersion: v1\nkind: ConfigMap\n"),
            (
                "list.yaml",
                "- apiVersion: bridgelint/v1\n  kind: Integration\n",
            ),
            ("scalar.yaml", "bridgelint/v1\n"),
            ("helm.yaml", "{{ .Values.x }}: [\nkind: bridgelint/v1\n"),
            ("data.json", "{\"apiVersion\": \"bridgelint\"}"),
        ],
    );
    // helm.yaml holds the marker and does not parse: that is a parse-error, checked apart.
    p.remove("helm.yaml");
    let (code, out, err) = check(&p, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 infos in 0 files (4 skipped)\n"
    );
    assert_eq!(err, "", "skipped silently without --verbose");
    let (code, _, err) = check(&p, &["-v"]);
    assert_eq!(code, Some(0));
    for f in ["other.yaml", "list.yaml", "scalar.yaml", "data.json"] {
        assert!(
            err.contains(&format!("skipped {f}")),
            "{f} not listed:\n{err}"
        );
    }
}

#[test]
fn broken_files_without_the_marker_never_fail_the_run() {
    let p = Scratch::with_files(
        "helm",
        &[
            ("templates/deploy.yaml", "{{ if .Values.x }}\nkind: [\n"),
            ("bin.yaml", "\u{0}\u{1}garbage"),
            ("bad.json", "{'a': 1,}"),
        ],
    );
    let (code, out, err) = check(&p, &["templates/deploy.yaml", "bin.yaml", "bad.json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = check(&p, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
}

#[test]
fn a_broken_file_of_ours_gets_one_parse_error_and_nothing_else() {
    let p = Scratch::with_files(
        "parseerr",
        &[
            (
                "multi.yaml",
                &format!("{}---\nfoo: [\n", integration_with_plaintext_secret()),
            ),
            (
                "bad.json",
                "{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\",}",
            ),
            ("bytes.yaml", "apiVersion: bridgelint/v1\nkind: \u{0}\n"),
        ],
    );
    p.write(
        "latin1.yaml",
        b"apiVersion: bridgelint/v1\nowner: J\xfcrgen\n",
    );
    let (code, out, err) = check(&p, &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report = json_of(&out);
    let diags = report["diagnostics"].as_array().expect("diagnostics");
    let found: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("bad.json", "parse-error"),
            ("bytes.yaml", "parse-error"),
            ("latin1.yaml", "parse-error"),
            ("multi.yaml", "parse-error"),
        ],
        "{out}"
    );
    let latin1 = &diags[2];
    assert_eq!(latin1["start"]["line"], 2);
    assert_eq!(latin1["start"]["column"], 9);
    assert!(latin1["message"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn api_version_v2_is_exactly_one_schema_violation_at_the_value() {
    let p = Scratch::with_files(
        "v2",
        &[(
            "v2.yaml",
            "apiVersion: bridgelint/v2\nkind: Integration\nmetadata: 5\nbogus: [\n  1]\n",
        )],
    );
    let (code, out, err) = check(&p, &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report = json_of(&out);
    assert_eq!(rules_of(&report), ["schema-violation"], "{out}");
    let d = &report["diagnostics"][0];
    assert_eq!(d["start"]["line"], 1);
    assert_eq!(d["start"]["column"], 13);
    assert_eq!(d["start"]["offset"], 12);
    assert_eq!(d["end"]["column"], 26);
}

#[test]
fn positions_skip_the_bom_in_columns_and_count_it_in_offsets() {
    let p = Scratch::project("bom");
    p.write(
        "bom.yaml",
        "\u{feff}apiVersion: bridgelint/v2\r\nkind: x\r\n",
    );
    let (_, out, _) = check(&p, &["--format", "json"]);
    let report = json_of(&out);
    assert_eq!(rules_of(&report), ["schema-violation"], "{out}");
    let d = &report["diagnostics"][0];
    assert_eq!(
        d["start"],
        serde_json::json!({"line": 1, "column": 13, "offset": 15})
    );
    assert_eq!(
        d["end"],
        serde_json::json!({"line": 1, "column": 26, "offset": 28})
    );
}

#[test]
fn a_wrong_typed_indentless_sequence_is_located_at_its_dash() {
    let p = Scratch::with_files(
        "indentless",
        &[(
            "seq.yaml",
            "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n- a\n- b\n",
        )],
    );
    let (_, out, _) = check(&p, &["--format", "compact"]);
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("seq.yaml:4:1: error[schema-violation] "),
        "{out}"
    );
}

#[test]
fn parse_error_cannot_be_turned_off() {
    let p = Scratch::with_files(
        "parseoff",
        &[("broken.yaml", "apiVersion: \"bridgelint/v1\"\nkind: [\n")],
    );
    for args in [
        &["--select", "plaintext-secret"][..],
        &["--ignore", "parse-error"][..],
        &[][..],
    ] {
        let mut all = vec!["--format", "compact"];
        all.extend_from_slice(args);
        let (code, out, _) = check(&p, &all);
        assert_eq!(code, Some(1), "{args:?}: {out}");
        assert!(
            out.starts_with("broken.yaml:2:7: error[parse-error] "),
            "{args:?}: {out}"
        );
    }
    p.write(".bridgelint.yaml", "rules:\n  parse-error: off\n");
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_ne!(code, Some(0), "{out}{err}");
    if code == Some(1) {
        assert!(out.contains("error[parse-error]"), "{out}");
    }
}

#[test]
fn a_file_over_the_size_limit_is_a_parse_error_only_when_ours() {
    let padding = "# padding\n".repeat(200);
    let p = Scratch::with_files(
        "size",
        &[
            (
                "big.yaml",
                &format!("apiVersion: bridgelint/v1\nkind: Integration\n{padding}"),
            ),
            ("bignot.yaml", &padding),
        ],
    );
    let (code, out, err) = check(&p, &["--format", "json", "--max-file-size", "1024"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report = json_of(&out);
    assert_eq!(rules_of(&report), ["parse-error"], "{out}");
    let d = &report["diagnostics"][0];
    assert_eq!(d["path"], "big.yaml");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("1024") && message.contains("--max-file-size"),
        "{message}"
    );
    assert_eq!(report["summary"]["skipped"], 1, "{out}");
    assert_valid_output(&report);
    // Without the limit both are read: the big one is an incomplete Integration.
    let (_, out, _) = check(&p, &["--format", "json"]);
    assert!(
        !rules_of(&json_of(&out)).contains(&"parse-error".to_string()),
        "{out}"
    );
}

#[test]
fn a_finding_reached_through_an_alias_is_reported_once_at_the_anchored_text() {
    let integration = integration_with_plaintext_secret()
        .replace(
            "    credential:\n      type: api-token",
            "    credential: &cred\n      type: api-token",
        )
        .replace(
            "  ado:\n    system: azure-devops",
            "  jira2:\n    system: jira-cloud\n    url: https://acme2.atlassian.net\n    \
             account: getint-jira-prod\n    credential: *cred\n  ado:\n    system: azure-devops",
        );
    let p = Scratch::with_files(
        "aliasonce",
        &[
            ("integ.yaml", &integration),
            ("accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("integ.yaml:14:15: error[plaintext-secret]"),
        "{out}"
    );
}

#[test]
fn a_key_whose_value_is_an_alias_is_located_at_the_key() {
    // The second `rotation` is an alias of the first: its value is the anchored text, which
    // comes before its key, so the key is stored apart from the value (a far key). Both
    // credentials lack `last_rotated`: `rotation-overdue` points at each `rotation` key.
    let rotation = "      rotation:\n        interval_days: 90\n        last_rotated: 2026-11-16\n";
    let integration = CLEAN_INTEGRATION
        .replacen(
            rotation,
            "      rotation: &rot\n        interval_days: 90\n",
            1,
        )
        .replacen(rotation, "      rotation: *rot\n", 1);
    let line_of = |needle: &str| {
        let at = integration
            .find(needle)
            .expect("the rotation key is in the text");
        integration[..at].matches('\n').count() + 1
    };
    let (anchored, aliased) = (line_of("rotation: &rot"), line_of("rotation: *rot"));
    assert!(aliased > anchored + 1, "{integration}");
    let p = Scratch::with_files(
        "farkey",
        &[
            ("integ.yaml", &integration),
            ("accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let overdue: Vec<&str> = compact_lines(&out)
        .into_iter()
        .filter(|l| l.contains("[rotation-overdue]"))
        .collect();
    assert_eq!(overdue.len(), 2, "{out}");
    assert!(
        overdue[0].starts_with(&format!("integ.yaml:{anchored}:7: ")),
        "{out}"
    );
    assert!(
        overdue[1].starts_with(&format!("integ.yaml:{aliased}:7: ")),
        "{out}"
    );
}

#[test]
fn unknown_kind_is_exactly_one_schema_violation_at_the_kind() {
    let p = Scratch::with_files(
        "kind",
        &[(
            "kind.yaml",
            "apiVersion: bridgelint/v1\nkind: Integrations\nbogus: 1\nmetadata: {name: X}\n",
        )],
    );
    let (code, out, _) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1));
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("kind.yaml:2:7: error[schema-violation] "),
        "{out}"
    );
    assert!(lines[0].contains("did you mean `Integration`"), "{out}");

    // No kind at all: at the apiVersion key.
    p.write(
        "kind.yaml",
        "apiVersion: bridgelint/v1\nmetadata: {name: X}\n",
    );
    let (_, out, _) = check(&p, &["--format", "compact"]);
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("kind.yaml:1:1: error[schema-violation] "),
        "{out}"
    );
}

#[test]
fn missing_keys_are_located_at_the_key_of_the_mapping() {
    let commented = CLEAN_INTEGRATION.replace(
        "apiVersion: bridgelint/v1\nkind: Integration\n",
        "apiVersion: bridgelint/v1\n# the kind:\nkind: Integration\n",
    );
    let no_type_no_sync = commented
        .replace("      type: api-token\n", "")
        .replace("    sync: [create, update]\n", "");
    let flows_at = commented.find("flows:").unwrap();
    let no_flows = commented[..flows_at].to_string();
    let p = Scratch::with_files(
        "missing",
        &[
            ("a.yaml", &no_type_no_sync),
            (
                "b.yaml",
                &no_flows.replace("name: jira-ado", "name: jira-ado-b"),
            ),
            ("accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    let (code, out, _) = check(&p, &["--format", "compact", "--select", "schema-violation"]);
    assert_eq!(code, Some(1), "{out}");
    let starts: Vec<&str> = compact_lines(&out)
        .iter()
        .map(|l| l.split(" error[").next().unwrap())
        .collect();
    // The credential's key; a sequence item's first key; the document's `kind:` key.
    assert_eq!(
        starts,
        ["a.yaml:13:5:", "a.yaml:43:5:", "b.yaml:3:1:"],
        "{out}"
    );
}

#[test]
fn each_document_of_a_stream_is_checked_on_its_own() {
    let text = format!(
        "foo: 1\n---\n{}---\n- a\n---\n{}",
        CLEAN_ACCOUNTS,
        integration_with_plaintext_secret()
    );
    let p = Scratch::with_files("stream", &[("all.yaml", &text)]);
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let lines = compact_lines(&out);
    // 1 + 1 + 14 + 1 + 1 + 1 lines before the integration, whose secret is on its line 14.
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("all.yaml:33:15: error[plaintext-secret]"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Walking folders
// ---------------------------------------------------------------------------------------------

const UNKNOWN_KIND: &str = "apiVersion: bridgelint/v1\nkind: Nope\n";

fn reported_paths(stdout: &str) -> Vec<String> {
    let mut v: Vec<String> = compact_lines(stdout)
        .iter()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    v.dedup();
    v
}

#[test]
fn walking_honours_gitignore_ignore_hidden_folders_and_excludes() {
    // No `.git` anywhere: .gitignore is honoured outside a git repository too.
    let p = Scratch::with_files(
        "walk",
        &[
            ("a/x.yaml", UNKNOWN_KIND),
            ("a/deep/y.yml", UNKNOWN_KIND),
            ("gitignored/x.yaml", UNKNOWN_KIND),
            ("a/secret.yaml", UNKNOWN_KIND),
            ("ignored/x.yaml", UNKNOWN_KIND),
            (".hidden/x.yaml", UNKNOWN_KIND),
            ("legacy/x.yaml", UNKNOWN_KIND),
            ("legacy/sub/x.yaml", UNKNOWN_KIND),
            ("notes.txt", UNKNOWN_KIND),
            (".gitignore", "gitignored/\nsecret.yaml\n"),
            (".ignore", "ignored\n"),
            (".bridgelint.yaml", "exclude: [\"legacy/**\"]\n"),
        ],
    );
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(reported_paths(&out), ["a/deep/y.yml", "a/x.yaml"], "{out}");

    // Named explicitly, hidden and ignored files and folders are read.
    let (_, out, _) = check(
        &p,
        &[
            "--format",
            "compact",
            ".hidden",
            "gitignored/x.yaml",
            "legacy/x.yaml",
        ],
    );
    assert_eq!(
        reported_paths(&out),
        [".hidden/x.yaml", "gitignored/x.yaml", "legacy/x.yaml"],
        "{out}"
    );
}

#[test]
fn a_symlink_loop_does_not_hang_the_walk() {
    let p = Scratch::with_files("symloop", &[("a/x.yaml", UNKNOWN_KIND)]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", p.path("a/up")).expect("symlink");
        std::os::unix::fs::symlink("loop.yaml", p.path("a/loop.yaml")).expect("symlink");
        std::os::unix::fs::symlink("missing.yaml", p.path("a/dangling.yaml")).expect("symlink");
    }
    let (code, out, err) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(reported_paths(&out), ["a/x.yaml"], "{out}");
    #[cfg(unix)]
    {
        // Named, a self-referencing or dangling link gets a parse-error naming the cause.
        let (code, out, _) = check(
            &p,
            &["--format", "compact", "a/loop.yaml", "a/dangling.yaml"],
        );
        assert_eq!(code, Some(1), "{out}");
        let lines = compact_lines(&out);
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("a/dangling.yaml:1:1: error[parse-error] "),
            "{out}"
        );
        assert!(
            lines[1].starts_with("a/loop.yaml:1:1: error[parse-error] "),
            "{out}"
        );
    }
}

#[test]
fn a_fifo_in_a_walked_folder_does_not_hang_the_run() {
    let p = clean_project("fifowalk");
    if !mkfifo(&p.path("integrations/x.yaml")) {
        return;
    }
    let (code, out, err) = check(&p, &["integrations"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, _, err) = check(&p, &["-v", "integrations"]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("integrations/x.yaml"),
        "the FIFO is listed:\n{err}"
    );
}

#[test]
fn a_fifo_found_while_walking_is_listed_once() {
    let p = clean_project("fifoonce");
    if !mkfifo(&p.path("integrations/x.yaml")) {
        return;
    }
    let (_, _, err) = check(&p, &["-v", "integrations"]);
    assert_eq!(err.matches("integrations/x.yaml").count(), 1, "{err}");
    let (_, _, err) = check(&p, &["-v"]);
    assert_eq!(err.matches("integrations/x.yaml").count(), 1, "{err}");
}

#[test]
fn a_fifo_found_while_walking_counts_as_skipped() {
    let p = clean_project("fifocount");
    if !mkfifo(&p.path("integrations/x.yaml")) {
        return;
    }
    let (_, out, _) = check(&p, &["--format", "json", "integrations"]);
    assert_eq!(json_of(&out)["summary"]["skipped"], 1, "{out}");
}

#[test]
fn a_named_fifo_is_a_parse_error_naming_the_cause() {
    let p = clean_project("fifonamed");
    if !mkfifo(&p.path("pipe.yaml")) {
        return;
    }
    let (code, out, err) = check(&p, &["--format", "compact", "pipe.yaml"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("pipe.yaml:1:1: error[parse-error] "),
        "{out}"
    );
    assert!(
        lines[0].contains("FIFO") || lines[0].contains("regular file"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Config discovery
// ---------------------------------------------------------------------------------------------

#[test]
fn config_is_found_upward_from_a_named_file() {
    let p = clean_project("cfgup");
    p.write(
        "integrations/team/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write(".bridgelint.yaml", "rules:\n  plaintext-secret: off\n");
    let (code, out, err) = check(&p, &["--format", "compact", "integrations/team/leaky.yaml"]);
    assert_eq!(code, Some(0), "the config turns the rule off:\n{out}{err}");
    assert_eq!(out, "");
    // From inside the subfolder too.
    let r = run(
        &["check", "--now", NOW, "--format", "compact", "leaky.yaml"],
        &p.path("integrations/team"),
    );
    assert_eq!(r.0, Some(0), "{}{}", r.1, r.2);
    // --no-config ignores it.
    let (code, out, _) = check(
        &p,
        &[
            "--format",
            "compact",
            "--no-config",
            "integrations/team/leaky.yaml",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(out.contains("error[plaintext-secret]"), "{out}");
    // --config FILE uses another.
    p.write(
        "strict/other.yaml",
        "rules:\n  plaintext-secret: {severity: warning}\n",
    );
    let (code, out, _) = check(
        &p,
        &[
            "--format",
            "compact",
            "--config",
            "strict/other.yaml",
            "integrations/team/leaky.yaml",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(out.contains("warning[plaintext-secret]"), "{out}");
    let (code, _, _) = check(
        &p,
        &[
            "--config",
            "strict/other.yaml",
            "--fail-on",
            "error",
            "integrations/team/leaky.yaml",
        ],
    );
    assert_eq!(code, Some(0));
}

#[test]
fn the_yml_name_is_found_too() {
    let p = clean_project("yml");
    p.remove(".bridgelint.yaml");
    p.write(".bridgelint.yml", "rules:\n  plaintext-secret: off\n");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, err) = check(&p, &["integrations/leaky.yaml"]);
    assert_eq!(code, Some(0), "{out}{err}");
}

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
    let (code, out, err) = check(&p, &["--format", "compact", "integrations/integ.yaml"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out, "");
    // From the integration's own folder.
    let r = run(
        &["check", "--now", NOW, "--format", "compact", "integ.yaml"],
        &p.path("integrations"),
    );
    assert_eq!(r.0, Some(0), "{}{}", r.1, r.2);
    // Without the context, the account is unknown.
    let (code, out, _) = check(
        &p,
        &[
            "--format",
            "compact",
            "--no-context",
            "integrations/integ.yaml",
        ],
    );
    assert_eq!(code, Some(1));
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
    let (_, all, _) = check(&p, &["--format", "json", "."]);
    let all = json_of(&all);
    let (_, one, err) = check(&p, &["--format", "json", "-v", "integrations/integ.yaml"]);
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
    assert!(err.contains("3 context files not parsed"), "{err}");
}

#[test]
fn a_context_file_that_may_spell_an_id_with_escapes_is_parsed() {
    let p = project_with_unrelated_files("prune-escape");
    // The inventory, in JSON, spells the id with escapes: its bytes do not hold it.
    p.remove("accounts/accounts.yaml");
    let accounts = CLEAN_ACCOUNTS.replace("getint-jira-prod:", "\"getint\\u002djira\\u002dprod\":");
    p.write("accounts/accounts.yaml", accounts);
    let (_, all, _) = check(&p, &["--format", "json", "."]);
    let all = json_of(&all);
    assert!(
        !reported_for(&all, "integrations/integ.yaml")
            .iter()
            .any(|d| d["rule"] == "unknown-account"),
        "the escaped id declares the account: {all}"
    );
    let (_, one, _) = check(&p, &["--format", "json", "integrations/integ.yaml"]);
    assert_eq!(
        json_of(&one)["diagnostics"]
            .as_array()
            .expect("diagnostics"),
        &reported_for(&all, "integrations/integ.yaml")
    );
}

#[test]
fn custom_rules_named_folders_and_inventory_read_the_whole_context() {
    let p = project_with_unrelated_files("prune-off");
    // A named folder.
    let (_, _, err) = check(&p, &["--format", "json", "-v", "integrations/"]);
    assert!(!err.contains("not parsed"), "{err}");
    // The inventory shows the whole model.
    let (code, _, err) = run(
        &["inventory", "--now", NOW, "-v", "integrations/integ.yaml"],
        &p.dir,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("files read") && !err.contains("not parsed"),
        "{err}"
    );
    // Custom rules may relate files in ways the built-in ones do not.
    p.write(".bridgelint.yaml", "custom_rules: [policy]\n");
    p.write(
        "policy/owner.yaml",
        "name: owner-is-a-team\nseverity: info\ncategory: integrations\nsummary: Owners are teams.\nexplanation: Owners are teams.\ncheck:\n  for_each: integrations\n  where: not matches(owner, '^team-')\n  at: owner\n  message: \"owner `{owner}` is not a team\"\n",
    );
    let (code, _, err) = check(&p, &["--format", "json", "-v", "integrations/integ.yaml"]);
    assert!(code == Some(0) || code == Some(1), "{err}");
    assert!(!err.contains("not parsed"), "{err}");
}

#[test]
fn a_buffer_on_stdin_is_pruned_against_like_the_file_it_replaces() {
    let p = project_with_unrelated_files("prune-stdin");
    let (_, all, _) = check(&p, &["--format", "json", "."]);
    let all = json_of(&all);
    let r = run_with(
        &[
            "check",
            "--now",
            NOW,
            "--format",
            "json",
            "-v",
            "--stdin-filename",
            "integrations/integ.yaml",
        ],
        &p.dir,
        RunOpts {
            stdin: Some(CLEAN_INTEGRATION.as_bytes()),
            ..RunOpts::default()
        },
    );
    assert_eq!(
        json_of(&r.stdout)["diagnostics"]
            .as_array()
            .expect("diagnostics"),
        &reported_for(&all, "integrations/integ.yaml")
    );
    assert!(
        r.stderr.contains("3 context files not parsed"),
        "{}",
        r.stderr
    );
}

#[test]
fn stdin_buffer_replaces_the_file_at_its_path() {
    let p = clean_project("stdin");
    let r = run_with(
        &[
            "check",
            "--now",
            NOW,
            "--format",
            "compact",
            "--stdin-filename",
            "integrations/integ.yaml",
        ],
        &p.dir,
        RunOpts {
            stdin: Some(
                integration_with_plaintext_secret()
                    .replace("name: jira-ado-leaky", "name: jira-ado")
                    .as_bytes(),
            ),
            ..RunOpts::default()
        },
    );
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
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
    let (_, out, _) = check(&p, &["--format", "compact", "integrations/leaky.yaml"]);
    assert!(out.starts_with("integrations/leaky.yaml:14:15: "), "{out}");
    let (_, out, _) = check(
        &p,
        &["--format", "compact", "./integrations/../integrations"],
    );
    assert!(out.starts_with("integrations/leaky.yaml:14:15: "), "{out}");

    let r = run(
        &["check", "--now", NOW, "--format", "compact", "leaky.yaml"],
        &p.path("integrations"),
    );
    assert!(r.1.starts_with("leaky.yaml:14:15: "), "{}", r.1);

    // Outside the current folder: absolute, with `/` separators.
    let r = run(
        &[
            "check",
            "--now",
            NOW,
            "--format",
            "compact",
            "../integrations/leaky.yaml",
        ],
        &p.path("elsewhere"),
    );
    let abs = format!("{}:14:15: ", p.path("integrations/leaky.yaml").display());
    assert!(r.1.starts_with(&abs), "expected {abs:?} in\n{}", r.1);

    // JSON uses the same paths.
    let (_, out, _) = check(&p, &["--format", "json", "integrations/leaky.yaml"]);
    assert_eq!(
        json_of(&out)["diagnostics"][0]["path"],
        "integrations/leaky.yaml"
    );
}

// ---------------------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------------------

#[test]
fn compact_format_is_one_exact_line_per_finding() {
    let p = clean_project("compact");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write("other/kind.yaml", UNKNOWN_KIND);
    let (code, out, _) = check(&p, &["--format", "compact"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        format!(
            "{PLAINTEXT_LINE}\nother/kind.yaml:2:7: error[schema-violation] unknown kind \
             `Nope`; expected `Integration` or `ServiceAccounts`\n"
        )
    );
    // The secret is never printed.
    assert!(!out.contains("hunter2"));
}

fn output_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/output.schema.json"),
    )
    .expect("the output schema");
    let schema: Json = serde_json::from_str(&text).expect("the output schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the output schema compiles")
}

fn assert_valid_output(report: &Json) {
    let validator = output_validator();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
}

#[test]
fn json_format_has_the_documented_shape_and_validates() {
    let p = clean_project("json");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write("ignored.yaml", "foo: bar\n");
    let (code, out, _) = check(&p, &["--format", "json"]);
    assert_eq!(code, Some(1));
    let report = json_of(&out);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "bridgelint");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let diags = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{out}");
    let d = &diags[0];
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "end",
            "fingerprint",
            "help",
            "message",
            "path",
            "related",
            "rule",
            "severity",
            "start"
        ]
    );
    assert_eq!(d["rule"], "plaintext-secret");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "integrations/leaky.yaml");
    let secret_offset = integration_with_plaintext_secret()
        .find("hunter2-fake")
        .unwrap();
    assert_eq!(
        d["start"],
        serde_json::json!({"line": 14, "column": 15, "offset": secret_offset})
    );
    assert_eq!(
        d["end"],
        serde_json::json!({"line": 14, "column": 27, "offset": secret_offset + 12})
    );
    assert!(d["help"]
        .as_str()
        .unwrap()
        .contains("explain plaintext-secret"));
    assert!(d["related"].as_array().unwrap().is_empty());
    assert!(!d["fingerprint"].as_str().unwrap().is_empty());
    assert!(!out.contains("hunter2"), "the secret is never printed");
    let s = &report["summary"];
    assert_eq!(s["errors"], 1);
    assert_eq!(s["warnings"], 0);
    assert_eq!(s["infos"], 0);
    assert_eq!(s["files"], 3);
    assert_eq!(s["skipped"], 1);
    assert_eq!(s["suppressed"], 0);
    assert_valid_output(&report);
}

#[test]
fn json_output_with_related_locations_and_no_findings_validates() {
    // Capability `create` on Jira needs CREATE_ISSUES; the inventory grants only reading.
    let p = Scratch::with_files(
        "jsonrel",
        &[
            (
                "integ.yaml",
                &CLEAN_INTEGRATION.replace(
                    "  - from: jira\n    to: ado\n",
                    "  - from: ado\n    to: jira\n",
                ),
            ),
            ("accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    let (code, out, _) = check(&p, &["--format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let report = json_of(&out);
    assert!(
        rules_of(&report).contains(&"missing-permission".to_string()),
        "{out}"
    );
    let with_related = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| !d["related"].as_array().unwrap().is_empty())
        .unwrap_or_else(|| panic!("a finding with related locations:\n{out}"));
    let rel = &with_related["related"][0];
    assert_eq!(rel["path"], "integ.yaml");
    assert!(rel["start"]["line"].as_u64().unwrap() >= 43, "{rel}");
    assert_valid_output(&report);

    let clean = clean_project("jsonclean");
    let (code, out, _) = check(&clean, &["--format", "json"]);
    assert_eq!(code, Some(0));
    let report = json_of(&out);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["summary"]["files"], 2);
    assert_valid_output(&report);
}

#[test]
fn schema_output_is_the_schema_in_the_repository() {
    let p = clean_project("schemaout");
    let (code, out, _) = run(&["schema", "output"], &p.dir);
    assert_eq!(code, Some(0));
    let file: Json = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/output.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(json_of(&out), file);
}

// ---------------------------------------------------------------------------------------------
// Colour, quiet, verbose
// ---------------------------------------------------------------------------------------------

const ESC: &str = "\u{1b}[";

#[test]
fn colour_choices_into_a_pipe() {
    let p = clean_project("color");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (_, out, _) = check(&p, &["--color", "always"]);
    assert!(out.contains(ESC), "--color always colours a pipe:\n{out}");
    let (_, out, _) = check(&p, &["--color", "auto"]);
    assert!(!out.contains(ESC), "{out}");
    let (_, out, _) = check(&p, &[]);
    assert!(!out.contains(ESC), "{out}");
    let (_, out, _) = check(&p, &["--color", "never"]);
    assert!(!out.contains(ESC), "{out}");
    let r = run_with(
        &["check", "--now", NOW, "--color", "auto"],
        &p.dir,
        RunOpts {
            env: &[("NO_COLOR", "1")],
            ..RunOpts::default()
        },
    );
    assert!(!r.stdout.contains(ESC), "{}", r.stdout);
    // An explicit request overrides NO_COLOR.
    let r = run_with(
        &["check", "--now", NOW, "--color", "always"],
        &p.dir,
        RunOpts {
            env: &[("NO_COLOR", "1")],
            ..RunOpts::default()
        },
    );
    assert!(r.stdout.contains(ESC), "{}", r.stdout);
    // Never into an --output file under auto.
    check(&p, &["-o", "report.txt"]);
    let written = p.read("report.txt");
    assert!(written.contains("plaintext-secret") && !written.contains(ESC));
}

#[test]
fn human_output_shows_the_location_snippet_and_summary() {
    let p = clean_project("human");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, _) = check(&p, &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("error[plaintext-secret]"), "{out}");
    assert!(out.contains("integrations/leaky.yaml:14:15"), "{out}");
    assert!(!out.contains("hunter2"), "{out}");
    assert!(
        out.ends_with("1 error, 0 warnings, 0 infos in 3 files (0 skipped)\n")
            || out.ends_with("1 errors, 0 warnings, 0 infos in 3 files (0 skipped)\n"),
        "{out}"
    );
}

#[test]
fn quiet_prints_no_summary_line() {
    let p = clean_project("quiet");
    let (code, out, err) = check(&p, &["-q"]);
    assert_eq!(code, Some(0));
    assert_eq!(out, "", "a clean quiet run prints nothing");
    assert_eq!(err, "");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, _) = check(&p, &["--quiet"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("error[plaintext-secret]"), "{out}");
    assert!(!out.contains("infos in"), "{out}");
}

#[test]
fn verbose_lists_skipped_files_and_timings_on_stderr_only() {
    let p = clean_project("verbose");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write("notes/other.yaml", "foo: bar\n");
    let (code, plain, plain_err) = check(&p, &["--format", "json"]);
    assert_eq!(code, Some(1));
    assert_eq!(plain_err, "");
    let (code, verbose, err) = check(&p, &["--format", "json", "-v"]);
    assert_eq!(code, Some(1));
    assert_eq!(verbose, plain, "--verbose does not change stdout");
    assert!(err.contains("skipped notes/other.yaml"), "{err}");
    assert!(err.contains("timings"), "{err}");
    let (_, _, err) = check(&p, &["--verbose"]);
    assert!(err.contains("timings"), "{err}");
    // -q and -v together are a usage error.
    assert_eq!(check(&p, &["-q", "-v"]).0, Some(2));
}

// ---------------------------------------------------------------------------------------------
// Other commands
// ---------------------------------------------------------------------------------------------

#[test]
fn schema_integration_is_a_usable_json_schema() {
    let p = clean_project("schemacmd");
    let (code, out, _) = run(&["schema", "integration"], &p.dir);
    assert_eq!(code, Some(0));
    let schema = json_of(&out);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the integration schema compiles");
    let parsed = bridgelint::source::parse(
        CLEAN_INTEGRATION,
        bridgelint::source::Syntax::Yaml,
        &bridgelint::source::Limits::default(),
        false,
    )
    .expect("the clean integration parses");
    let doc = parsed.documents[0].root.to_json();
    assert!(validator.is_valid(&doc), "the clean integration validates");
    let mut broken = doc.clone();
    broken["metadata"]["bogus"] = Json::from(1);
    assert!(
        !validator.is_valid(&broken),
        "an unknown key does not validate"
    );

    for kind in ["service-accounts", "rule", "system", "config", "output"] {
        let (code, out, _) = run(&["schema", kind], &p.dir);
        assert_eq!(code, Some(0), "{kind}");
        json_of(&out);
    }
}

#[test]
fn unknown_schema_kind_exits_2_with_a_suggestion() {
    let p = clean_project("schemabad");
    let (code, out, err) = run(&["schema", "nope"], &p.dir);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert!(err.contains("nope") && err.contains("integration"), "{err}");
    let (code, _, err) = run(&["schema", "integraton"], &p.dir);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `integration`"), "{err}");
}

#[test]
fn version_and_help_exit_0() {
    let p = clean_project("version");
    let (code, out, _) = run(&["--version"], &p.dir);
    assert_eq!(code, Some(0));
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    let (code, out, _) = run(&["--help"], &p.dir);
    assert_eq!(code, Some(0));
    assert!(out.contains("check") && out.contains("explain"), "{out}");
    let (code, out, _) = run(&["check", "--help"], &p.dir);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("--fail-on") && out.contains("--stdin-filename"),
        "{out}"
    );
    let (code, _, _) = run(&[], &p.dir);
    assert_eq!(code, Some(2), "no command is a usage error");
}

#[test]
fn explain_prints_the_explanation_and_suggests_on_a_typo() {
    let p = clean_project("explain");
    let (code, out, _) = run(&["explain", "plaintext-secret"], &p.dir);
    assert_eq!(code, Some(0));
    assert!(out.contains("plaintext-secret"), "{out}");
    assert!(out.lines().count() > 5, "a full explanation:\n{out}");
    let (code, out, err) = run(&["explain", "plaintext-secrte"], &p.dir);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert!(err.contains("did you mean `plaintext-secret`"), "{err}");
}
