//! Which files are ours, and where their findings are located: files without the marker
//! are skipped, broken files of ours get one parse-error, and each finding sits at its text
//! (BOMs, aliases, missing keys, streams of documents).

use super::*;

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
    let (code, out, err) = p.check().run().into_parts();
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 infos in 0 files (4 skipped)\n"
    );
    assert_eq!(
        err, "warning: no bridgelint document found (4 files skipped; --verbose says why)\n",
        "skipped without a note of their own; the run says it found nothing"
    );
    let (code, _, err) = p.check().args(["-v"]).run().into_parts();
    assert_eq!(code, 0);
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
    let (code, out, err) = p
        .check()
        .args(["templates/deploy.yaml", "bin.yaml", "bad.json"])
        .run()
        .into_parts();
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = p.check().run().into_parts();
    assert_eq!(code, 0, "{out}{err}");
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
    let (code, out, err) = p.check().args(["--format", "json"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
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
    let (code, out, err) = p.check().args(["--format", "json"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
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
    let (_, out, _) = p.check().args(["--format", "json"]).run().into_parts();
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
    let (_, out, _) = p.check().args(["--format", "compact"]).run().into_parts();
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
        let (code, out, _) = p.check().args(&all).run().into_parts();
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(
            out.starts_with("broken.yaml:2:7: error[parse-error] "),
            "{args:?}: {out}"
        );
    }
    p.write(".bridgelint.yaml", "rules:\n  parse-error: off\n");
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_ne!(code, 0, "{out}{err}");
    if code == 1 {
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
    let (code, out, err) = p
        .check()
        .args(["--format", "json", "--max-file-size", "1024"])
        .run()
        .into_parts();
    assert_eq!(code, 1, "{out}{err}");
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
    let (_, out, _) = p.check().args(["--format", "json"]).run().into_parts();
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
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
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
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
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
    let (code, out, _) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1);
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
    let (_, out, _) = p.check().args(["--format", "compact"]).run().into_parts();
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
    let (code, out, _) = p
        .check()
        .args(["--format", "compact", "--select", "schema-violation"])
        .run()
        .into_parts();
    assert_eq!(code, 1, "{out}");
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
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
    let lines = compact_lines(&out);
    // 1 + 1 + 14 + 1 + 1 + 1 lines before the integration, whose secret is on its line 14.
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("all.yaml:33:15: error[plaintext-secret]"),
        "{out}"
    );
}

/// A ServiceAccounts document holding CLEAN_ACCOUNTS's account once per entry: renamed to the
/// entry's name, then edited by `edit` with the entry's values.
fn accounts_document<T>(entries: &[(&str, T)], edit: impl Fn(&T, String) -> String) -> String {
    let account = CLEAN_ACCOUNTS.split_once("accounts:\n").unwrap().1;
    let mut text = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n".to_string();
    for (name, values) in entries {
        text.push_str(&edit(values, account.replace("getint-jira-prod", name)));
    }
    text
}

/// The patterns bridgelint checks in Rust rather than by regex (`src/schema/native.rs`) say what
/// the patterns said: a date of the wrong shape, a month or day that never is, February 29 of a
/// common year, an identifier, a resource with white space at an end (here inside a `oneOf`).
#[test]
fn natively_checked_patterns_keep_their_messages() {
    let untrimmed = "permissions: [BROWSE_PROJECTS]\n    resources: [\"PROJ \"]";
    let entries = [
        ("a-shape", ("jira-cloud", "2026-1-01", None)),
        ("b-month", ("jira-cloud", "2026-13-01", None)),
        ("c-leap", ("jira-cloud", "2025-02-29", None)),
        ("d-leap-ok", ("jira-cloud", "2024-02-29", None)),
        ("e-id", ("Jira_Cloud", "2026-11-01", None)),
        ("f-trim", ("jira-cloud", "2026-11-01", Some(untrimmed))),
    ];
    let text = accounts_document(&entries, |(system, reviewed, permissions), account| {
        account
            .replace("system: jira-cloud", &format!("system: {system}"))
            .replace("reviewed: 2026-11-01", &format!("reviewed: {reviewed}"))
            .replace(
                "permissions: [BROWSE_PROJECTS]",
                permissions.unwrap_or("permissions: [BROWSE_PROJECTS]"),
            )
    });
    let p = Scratch::with_files("native", &[("accounts.yaml", &text)]);
    let (_, out, _) = p
        .check()
        .args(["--format", "compact", "--select", "schema-violation"])
        .run()
        .into_parts();
    let messages: Vec<&str> = compact_lines(&out)
        .iter()
        .map(|l| l.split("error[schema-violation] ").nth(1).unwrap_or(l))
        .collect();
    assert_eq!(
        messages,
        [
            "`2026-1-01` in `reviewed` in account `a-shape` is not a date; write YYYY-MM-DD",
            "`2026-13-01` in `reviewed` in account `b-month` is not a real date",
            "`2025-02-29` in `reviewed` in account `c-leap` is not a real date",
            "`Jira_Cloud` in `system` in account `e-id` is not a valid identifier: use lower-case \
             letters, digits, `-` and `_`, starting with a letter or digit",
            "`PROJ ` in item 1 of `resources` of account `f-trim` does not match the pattern \
             `^\\S(?:.*\\S)?$`",
        ],
        "{out}"
    );
}

/// A value a `oneOf` or `anyOf` refuses says which forms are allowed, in words (not the
/// validator's name for the keyword); a value whose shape one form is meant for (a list for
/// `resources`) gets that form's own message, at the item that breaks it. Custom rules and
/// catalogs get the same words.
#[test]
fn one_of_values_say_which_forms_are_allowed() {
    let entries = [
        ("a-word", "all"),
        ("b-number", "5"),
        ("c-mapping", "{ PLAT: 1 }"),
        ("d-twice", "[PLAT, PLAT]"),
        ("e-empty", "[\"\"]"),
        ("f-number-item", "[5]"),
        ("g-every", "\"*\""),
    ];
    let text = accounts_document(&entries, |resources, account| {
        account.replace(
            "permissions: [BROWSE_PROJECTS]",
            &format!("permissions: [BROWSE_PROJECTS]\n    resources: {resources}"),
        )
    });
    let rule = "name: acme-fix\nseverity: info\nsummary: s\nexplanation: e\ncheck:\n  \
                for_each: integrations\n  where: \"true\"\n  message: m\n  \
                fix: { applicability: safe, message: m }\n";
    let system = std::fs::read_to_string(repo().join("rules/systems/github.yaml"))
        .expect("the GitHub system")
        .replace("id: github\n", "id: acme-github\n")
        .replacen("scoped: true", "scoped: \"yes\"", 1)
        .replacen("source: gh-pat-policy\n", "source: \"Bad Source!\"\n", 1);
    let p = Scratch::with_files(
        "one-of",
        &[
            ("accounts.yaml", &text),
            ("rules/acme-fix.yaml", rule),
            ("catalog/acme-github.yaml", &system),
        ],
    );
    let messages = |r: &crate::support::Run| -> Vec<String> {
        (r.stdout.lines().chain(r.stderr.lines()))
            .filter_map(|l| {
                l.split_once("error[schema-violation] ")
                    .map(|(_, m)| m)
                    .or_else(|| l.strip_prefix("error: "))
            })
            .map(|m| m.rsplit_once(".yaml:").map_or(m, |(_, m)| m).to_string())
            .collect()
    };
    let r = p
        .check()
        .args(["--format", "compact", "--select", "schema-violation"])
        .run();
    assert_eq!(
        messages(&r),
        [
            "`resources` in account `a-word` must be `*` or a list, not `all`",
            "`resources` in account `b-number` must be `*` or a list, not `5`",
            "`resources` in account `c-mapping` must be `*` or a list, not a mapping",
            "`resources` of account `d-twice` lists `PLAT` more than once",
            "item 1 of `resources` of account `e-empty` must not be empty",
            "item 1 of `resources` of account `f-number-item` must be a string, not an integer (`5`)",
        ],
        "{}{}",
        r.stdout,
        r.stderr
    );
    let r = p
        .check()
        .args(["--rules", "rules", "--catalog", "catalog", "accounts.yaml"])
        .run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    let errors = messages(&r);
    for expected in [
        "9:8: `check.fix` needs exactly one of the keys `remove`, `append`, `replace`, `rename`",
        ": `scoped` in `credential_types.personal-access-token` must be `true` or `false` or a \
         mapping, not `yes`",
        ": `source` in `credential_types.personal-access-token` must be a string matching \
         `^[a-z0-9][a-z0-9_-]*$` or a string matching `^https?://\\S+$`, not `Bad Source!`",
    ] {
        assert!(
            errors.iter().any(|e| e.ends_with(expected)),
            "{expected}\n{errors:#?}"
        );
    }
    assert!(!r.stderr.contains("Valid"), "{}", r.stderr);
}
