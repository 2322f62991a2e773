//! Values the schema must catch (huge integers, impossible dates, tabs, complex keys, null
//! mappings, aliases, tags, merges), JSON's extensions, and line ends other than LF.

use super::support::Scratch;
use super::*;

// ---------------------------------------------------------------------------------------------
// Values the schema must catch
// ---------------------------------------------------------------------------------------------

#[test]
fn an_integer_beyond_64_bits_is_a_schema_violation_at_the_value() {
    let text = integration("99999999999999999999999", "2026-11-01", "2027-04-30");
    let l = lint_bytes("bigint", "big.yaml", &text);
    l.no_parse_error();
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("interval_days"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), pos_of(&text, "99999999999999999999999"), "{d}");
    // JSON: the same number.
    let json = r#"{"apiVersion": "bridgelint/v1", "kind": "ServiceAccounts", "accounts": {"a": {"n": 99999999999999999999999}}}"#;
    let l = lint_bytes("bigint-json", "big.json", json);
    l.no_parse_error();
    assert_eq!(l.run.code, 1);
}

#[test]
fn an_integer_beyond_64_bits_is_quoted_as_written() {
    let text = integration("99999999999999999999999", "2026-11-01", "2027-04-30");
    let l = lint_bytes("bigint-msg", "big.yaml", &text);
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("interval_days"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert!(message(d).contains("99999999999999999999999"), "{d}");
}

#[test]
fn impossible_dates_are_schema_violations_at_the_date() {
    let text = integration("90", "2026-02-30", "0000-00-00");
    let l = lint_bytes("dates", "dates.yaml", &text);
    l.no_parse_error();
    let violations = l.of_rule("schema-violation");
    let at = |needle: &str| {
        violations
            .iter()
            .find(|d| message(d).contains(needle))
            .map(|d| line_col(d))
            .unwrap_or_else(|| panic!("no violation for {needle}: {}", l.run.stdout))
    };
    assert_eq!(at("2026-02-30"), pos_of(&text, "2026-02-30"));
    assert_eq!(at("0000-00-00"), pos_of(&text, "0000-00-00"));
}

#[test]
fn complex_keys_are_schema_violations_at_the_key() {
    let l = lint_bytes(
        "complex",
        "complex.yaml",
        format!("{HEADER}? [a, b]\n: c\n{{a: 1}}: x\n"),
    );
    l.no_parse_error();
    let keys: Vec<_> = l
        .of_rule("schema-violation")
        .into_iter()
        .filter(|d| message(d).contains("plain scalar"))
        .map(line_col)
        .collect();
    assert_eq!(keys, [(3, 3), (5, 1)], "{}", l.run.stdout);
}

#[test]
fn null_where_a_mapping_is_expected_is_a_schema_violation() {
    let text = integration("90", "2026-11-01", "2027-04-30");
    let start = text
        .find("    credential:\n      type: api-token")
        .expect("credential");
    let end = text[start..].find("  ado:").expect("ado") + start;
    let text = format!("{}    credential: ~\n{}", &text[..start], &text[end..]);
    let l = lint_bytes("null-cred", "null.yaml", &text);
    l.no_parse_error();
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("credential"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), pos_of(&text, "~"), "{d}");
    assert!(message(d).contains("null"), "{d}");
}

#[test]
fn a_recursive_alias_is_a_parse_error() {
    let l = lint_bytes(
        "rec-alias",
        "alias.yaml",
        format!("{HEADER}a: &x [1, *x]\n"),
    );
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 3, "{d}");
}

#[test]
fn custom_and_binary_tags_are_schema_violations_at_the_tag() {
    let l = lint_bytes(
        "tags",
        "tags.yaml",
        format!("{HEADER}metadata: !custom {{name: x}}\nb: !!binary aGVsbG8=\n"),
    );
    l.no_parse_error();
    let tags: Vec<_> = l
        .of_rule("schema-violation")
        .into_iter()
        .filter(|d| message(d).contains("tag"))
        .map(|d| (line_col(d), message(d).to_string()))
        .collect();
    assert_eq!(tags.len(), 2, "{}", l.run.stdout);
    assert_eq!(tags[0].0, (3, 11));
    assert!(tags[0].1.contains("!custom"));
    assert_eq!(tags[1].0, (4, 4));
    assert!(tags[1].1.contains("!!binary"));
}

#[test]
fn merge_keys_are_applied_and_a_bad_merge_is_a_schema_violation() {
    let good = format!(
        "{HEADER}x-base: &base {{ name: merged, owner: team-x }}\nmetadata:\n  <<: *base\n  environment: prod\n"
    );
    let l = lint_bytes("merge", "merge.yaml", &good);
    l.no_parse_error();
    // Merged keys count: no missing `name` or `owner` in the metadata.
    assert!(
        !l.diagnostics()
            .iter()
            .any(|d| message(d).contains("missing required key `name`")
                || message(d).contains("missing required key `owner`")),
        "{}",
        l.run.stdout
    );
    let bad = format!("{HEADER}metadata:\n  <<: 5\n  name: x\n");
    let l = lint_bytes("merge-bad", "merge.yaml", &bad);
    l.no_parse_error();
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("merge"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), (4, 7), "{d}");
}

/// Syntax errors, each in a file of its own.
fn syntax_errors() -> Vec<ParseErrorCase<String>> {
    vec![
        // Tab indentation, on its line.
        (
            "tabs",
            "tabs.yaml",
            format!("{HEADER}metadata:\n\tname: x\n"),
            4,
            1,
            "tab",
        ),
        // A tab-indented line after a plain scalar, at the tab: the scanner notices while
        // reading `x`, which could continue on the next line.
        (
            "tabs-continued",
            "tabs.yaml",
            format!("{HEADER}metadata:\n  name: x\n  \t owner: y\n"),
            5,
            3,
            "tab",
        ),
        // An undefined alias, at the alias.
        (
            "undef-alias",
            "alias.yaml",
            format!("{HEADER}a: *nope\n"),
            3,
            4,
            "unknown anchor `nope`",
        ),
        (
            "undef-alias-flow",
            "alias.yaml",
            format!("{HEADER}a: [1, *nope]\n"),
            3,
            8,
            "unknown anchor `nope`",
        ),
        // JSON's extensions, at the offending token.
        (
            "nan",
            "bad.json",
            r#"{"apiVersion": "bridgelint/v1", "x": NaN}"#.into(),
            1,
            38,
            "NaN",
        ),
        (
            "inf",
            "bad.json",
            "{\"apiVersion\": \"bridgelint/v1\",\n\"x\": -Infinity}".into(),
            2,
            7,
            "Infinity",
        ),
        (
            "comment",
            "bad.json",
            "{\"apiVersion\": \"bridgelint/v1\", // why\n\"x\": 1}".into(),
            1,
            33,
            "comments",
        ),
        (
            "trailing",
            "bad.json",
            "{\"apiVersion\": \"bridgelint/v1\",\n \"x\": [1,2,],\n}".into(),
            2,
            12,
            "trailing comma",
        ),
        (
            "quote",
            "bad.json",
            "{\"apiVersion\": \"bridgelint/v1\", 'x': 1}".into(),
            1,
            33,
            "double quotes",
        ),
    ]
}

#[test]
fn syntax_errors_are_one_parse_error_at_the_offending_token() {
    for (tag, file, text, line, column, cause) in syntax_errors() {
        let l = lint_bytes(tag, file, text);
        assert_parse_error(&l, line, Some(column), cause);
    }
}

/// `\r` alone ends a line (YAML 1.2): the findings of a CR-only file are those of the LF one,
/// at the same lines and columns; CRLF too.
#[test]
fn cr_only_line_ends_give_the_same_findings_at_the_same_positions() {
    let lf = integration("90", "2026-11-01", "2027-04-30")
        .replace("https://acme.atlassian.net", "http://acme.atlassian.net")
        .replace("env:JIRA_API_TOKEN", "hunter2-plaintext");
    let reference = lint_bytes("lf", "doc.yaml", &lf);
    reference.no_parse_error();
    let positions = |l: &Lint| -> Vec<(String, u64, u64)> {
        l.diagnostics()
            .iter()
            .map(|d| {
                let (line, col) = line_col(d);
                (d["rule"].as_str().unwrap_or("").to_string(), line, col)
            })
            .collect()
    };
    let expected = positions(&reference);
    let (url_line, url_col) = pos_of(&lf, "http://");
    let (secret_line, _) = pos_of(&lf, "hunter2");
    assert!(
        expected
            .iter()
            .any(|(r, l, c)| r == "insecure-url" && (*l, *c) == (url_line, url_col)),
        "{expected:?}"
    );
    assert!(
        expected
            .iter()
            .any(|(r, l, _)| r == "plaintext-secret" && *l == secret_line),
        "{expected:?}"
    );
    let url_prefix = format!("doc.yaml:{url_line}:{url_col}: error[insecure-url]");
    for (tag, eol) in [("cr", "\r"), ("crlf", "\r\n")] {
        let l = lint_bytes(tag, "doc.yaml", lf.replace('\n', eol));
        assert_eq!(positions(&l), expected, "{tag}: {}", l.run.stdout);
        // The compact format says the same.
        let s = Scratch::project(tag);
        s.write("doc.yaml", lf.replace('\n', eol));
        let lines = compact(&s, "doc.yaml", &[]);
        assert!(
            lines.iter().any(|l| l.starts_with(&url_prefix)),
            "{lines:?}"
        );
    }
}
