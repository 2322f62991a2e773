//! Resource exhaustion: alias bombs, deep nesting, big files, ten-megabyte lines, many
//! documents, keys, findings and suppressions: each run ends in bounded time and memory.

use bridgelint::source::{DEFAULT_ALIAS_BUDGET, DEFAULT_MAX_DEPTH};

use std::time::Duration;

use super::support::{Run, Scratch, CHECK_FORMATS as FORMATS, TIMEOUT};
use super::*;

// ---------------------------------------------------------------------------------------------
// Resource exhaustion: aliases, nesting, size, long lines, many documents and keys
// ---------------------------------------------------------------------------------------------

/// The billion laughs: nine levels of ten aliases would expand to 10^9 nodes.
#[test]
fn alias_bomb_is_a_parse_error_at_the_alias_that_crosses_the_budget() {
    let text = format!("{HEADER}{}", billion_laughs("lol"));
    let l = lint_big("bomb", "bomb.yaml", &text, &[]);
    // A `[lol × 10]` is 11 nodes, b 111, c 1,111, d 11,111. Expansion so far: b 110, c 1,110,
    // d 11,110 (12,330); the eighth `*d` of line 7 (`e: &e [*d, ...`, column 8 + 7 × 4)
    // reaches 12,330 + 8 × 11,111 = 101,218 > 100,000.
    assert_parse_error(&l, 7, Some(8 + 7 * 4), "alias");
    assert!(message(l.parse_error()).contains(&DEFAULT_ALIAS_BUDGET.to_string()));
    assert!(
        l.run.elapsed < Duration::from_secs(10),
        "{:?}",
        l.run.elapsed
    );
}

#[test]
fn two_hundred_thousand_nested_flow_brackets_in_yaml() {
    let n = 200_000;
    let text = format!("{HEADER}x: {}{}\n", "[".repeat(n), "]".repeat(n));
    let l = lint_big("brackets-yaml", "deep.yaml", &text, &[]);
    // Bracket k opens level k + 1 (the document's mapping is level 1).
    assert_eq!(l.run.code, 1);
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 3, "{d}");
    assert!(
        message(d).contains(&format!("nesting deeper than {DEFAULT_MAX_DEPTH}")),
        "{d}"
    );
    assert_eq!(l.diagnostics().len(), 1);
}

#[test]
fn two_hundred_thousand_nested_brackets_in_json() {
    let n = 200_000;
    let prefix = r#"{"apiVersion": "bridgelint/v1", "x": "#;
    let text = format!("{prefix}{}{}}}", "[".repeat(n), "]".repeat(n));
    let l = lint_big("brackets-json", "deep.json", &text, &[]);
    // The object is level 1; the bracket opening level 129 is the 128th.
    let col = prefix.len() as u64 + DEFAULT_MAX_DEPTH as u64;
    assert_parse_error(
        &l,
        1,
        Some(col),
        &format!("nesting deeper than {DEFAULT_MAX_DEPTH}"),
    );
}

#[test]
fn five_thousand_nested_block_mappings() {
    // Line 3 is a key of the document's mapping (level 1); line 3 + k opens level k + 1.
    let mut text = String::from(HEADER);
    for i in 0..5_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    // 12.5 MB of indentation: raise the size limit so that nesting, not size, is what stops it.
    let l = lint_big(
        "block-maps",
        "deep.yaml",
        &text,
        &["--max-file-size", "16777216"],
    );
    let level = DEFAULT_MAX_DEPTH as u64 + 1;
    assert_parse_error(
        &l,
        level + 2,
        Some(level),
        &format!("nesting deeper than {DEFAULT_MAX_DEPTH}"),
    );
}

#[test]
fn a_file_over_the_size_limit_with_the_marker_is_a_parse_error_naming_the_limit() {
    let mut text = integration("90", "2026-11-01", "2027-04-30");
    while text.len() <= 2048 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let s = Scratch::project("too-big");
    s.write("big.yaml", &text);
    let l = lint_with(&s, "big.yaml", &["--max-file-size", "2048"], false);
    assert_parse_error(&l, 1, Some(1), "2048");
    let m = message(l.parse_error());
    assert!(m.contains("--max-file-size"), "{m}");
    assert!(m.contains("max_file_size"), "{m}");
}

#[test]
fn a_ten_megabyte_line_in_a_valid_document_is_linted() {
    // A 10,000,000-character scalar in an otherwise valid document (under the 10 MiB limit).
    let long = "a".repeat(10_000_000);
    let text = integration("90", "2026-11-01", "2027-04-30")
        .replace("owner: team-x", &format!("owner: team-x, remark: {long}"));
    let l = lint_big("long-line", "long.yaml", &text, &[]);
    l.no_parse_error();
    // The long value is reported where it is (an unknown key on line 3), and nothing hangs.
    let unknown: Vec<_> = l
        .of_rule("schema-violation")
        .into_iter()
        .filter(|d| message(d).contains("remark"))
        .collect();
    assert_eq!(unknown.len(), 1, "{}", l.run.stdout);
    assert_eq!(line_col(unknown[0]).0, 3);
}

#[test]
fn a_ten_megabyte_line_of_garbage_with_the_marker_is_a_parse_error() {
    let text = format!("# bridgelint/v1\nx: {}\n", "][".repeat(5_000_000));
    let l = lint_big("long-garbage", "garbage.yaml", &text, &[]);
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 2, "{d}");
    assert!(message(d).starts_with("invalid YAML"), "{d}");
}

#[test]
fn a_ten_megabyte_json_line_with_an_error_at_its_end_is_located() {
    let long = "b".repeat(10_000_000);
    let text = format!(r#"{{"apiVersion": "bridgelint/v1", "x": "{long}", oops}}"#);
    let l = lint_big("long-json", "long.json", &text, &[]);
    let col = text.find("oops").expect("oops") as u64 + 1;
    assert_parse_error(&l, 1, Some(col), "a string key");
}

#[test]
fn one_hundred_thousand_document_separators() {
    let mut text = String::from("# bridgelint/v1 appears in a comment only\n");
    text.push_str(&"---\n".repeat(100_000));
    let l = lint_big("separators", "seps.yaml", &text, &[]);
    l.skipped_quietly();
    // The same with one of our documents at the end: it is linted at the right line.
    let mut text = "---\n".repeat(100_000);
    text.push_str(HEADER);
    text.push_str("unexpected: 1\n");
    let l = lint_big("separators-ours", "seps.yaml", &text, &[]);
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("unexpected"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout))
        .clone();
    assert_eq!(line_col(&d), (100_003, 1));
}

#[test]
fn twenty_thousand_documents_in_one_stream() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "---\napiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {{}}\n# {i}\n"
        ));
    }
    // The last document has an unknown key: one diagnostic, at its line.
    text.push_str("---\napiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\nodd: 1\n");
    let l = lint_big("documents", "many.yaml", &text, &[]);
    l.no_parse_error();
    let odd: Vec<_> = l
        .diagnostics()
        .iter()
        .filter(|d| message(d).contains("odd"))
        .collect();
    assert_eq!(odd.len(), 1, "{}", l.run.stdout);
    assert_eq!(line_col(odd[0]), (20_000 * 5 + 5, 1));
}

#[test]
fn one_hundred_thousand_keys_in_a_mapping_of_a_document_not_ours() {
    let mut text = String::from("# bridgelint/v1\n");
    for i in 0..100_000 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    let l = lint_big("keys-other", "keys.yaml", &text, &[]);
    l.skipped_quietly();
}

#[test]
fn one_hundred_thousand_duplicate_keys() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str(&"dup: 1\n".repeat(100_000));
    let l = lint_big("keys-dup", "dups.yaml", &text, &[]);
    l.no_parse_error();
    assert_eq!(l.of_rule("duplicate-key").len(), 99_999);
    assert!(l.run.elapsed < TIMEOUT);
}

/// The human format (the default) with many findings: bounded time too.
#[test]
fn one_hundred_thousand_duplicate_keys_in_the_human_format() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str(&"dup: 1\n".repeat(100_000));
    let s = Scratch::project("keys-dup-human");
    s.write("dups.yaml", &text);
    let run = check_format(&s, "dups.yaml", "human");
    assert_eq!(run.code, 1);
    // 99,999 duplicate keys and the unknown key `dup`.
    assert!(run.stdout.contains("100000 errors"), "{}", run.stdout.len());
}

/// Minified JSON: many findings on one long line, in the human format.
#[test]
fn twenty_thousand_findings_on_one_line_in_the_human_format() {
    let text = format!(
        r#"{{"apiVersion": "bridgelint/v1", "kind": "ServiceAccounts", "accounts": {{}}{}}}"#,
        r#", "dup": 1"#.repeat(20_000)
    );
    let s = Scratch::project("one-line-human");
    s.write("min.json", &text);
    let run = check_format(&s, "min.json", "human");
    assert_eq!(run.code, 1);
}

/// One account used by 8,000 connections (a 1.7 MB file): the rules stay bounded. (Found by
/// this suite and by tests/secrets/: `first(filter(account.uses, ...))` in shared-account was
/// quadratic, 82 s for 8,000 connections in a debug build, until it stopped at the first match.)
#[test]
fn eight_thousand_connections_sharing_one_account() {
    let mut text = format!(
        "{HEADER}metadata: {{ name: wide, owner: team-x, environment: prod }}\nconnections:\n"
    );
    for i in 0..8_000 {
        text.push_str(&format!(
            "  c{i}:\n    system: jira-cloud\n    url: https://a{i}.atlassian.net\n    \
             account: shared\n    credential: {{ type: api-token, secret: env:T{i}, \
             expires: 2027-01-01, rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }} }}\n"
        ));
    }
    text.push_str("flows:\n  - { from: c0, to: c1, sync: [create] }\n");
    let l = lint_big("wide", "wide.yaml", &text, &[]);
    l.no_parse_error();
    assert!(l.of_rule("shared-account").is_empty(), "one environment");
}

/// 100,000 unknown keys in one of our mappings: 100,000 schema violations, in bounded time.
#[test]
fn one_hundred_thousand_unknown_keys_in_our_mapping() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    for i in 0..100_000 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    let l = lint_big("keys-ours", "keys.yaml", &text, &[]);
    l.no_parse_error();
    assert_eq!(l.of_rule("schema-violation").len(), 100_000);
}

/// 100,000 suppression comments, each hiding a finding on its line: bounded time.
#[test]
fn one_hundred_thousand_suppressions() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str("dup: 0\n");
    text.push_str(&"dup: 1  # bridgelint: ignore[duplicate-key] generated\n".repeat(100_000));
    let l = lint_big("suppressions", "sup.yaml", &text, &[]);
    l.no_parse_error();
    assert!(l.of_rule("duplicate-key").is_empty(), "{}", l.run.stdout);
    assert_eq!(l.summary("suppressed"), 100_000);
}

/// A 5 MB string that starts like a GitHub token (`gh[pousr]_` and 36 characters): bounded, and
/// the matched token is printed in no format.
#[test]
fn a_five_megabyte_token_like_string_is_masked_and_does_not_hang() {
    let body = "A1b2".repeat(1_250_000);
    let text = format!("{HEADER}note: ghp_{body}\n");
    let s = Scratch::project("token");
    s.write("token.yaml", &text);
    let l = lint_with(&s, "token.yaml", &[], true);
    l.memory_below(MEMORY_LIMIT_KB);
    l.no_parse_error();
    assert_eq!(l.of_rule("leaked-secret").len(), 1, "{}", l.run.stdout);
    let token = &text[text.find("ghp_").expect("token")..][..40];
    for format in FORMATS {
        let run = check_format(&s, "token.yaml", format);
        assert!(
            !run.stdout.contains(token) && !run.stderr.contains(token),
            "{format} prints the token"
        );
    }
}

/// The rest of the token-like run is token text too: no format may print it. (The human
/// excerpt used to mask only the 40-character match and print the other 5 MB.)
#[test]
fn no_part_of_a_long_token_like_string_is_printed() {
    let body = "A1b2".repeat(1_250_000);
    let s = Scratch::project("token-tail");
    s.write("token.yaml", format!("{HEADER}note: ghp_{body}\n"));
    for format in FORMATS {
        let run = check_format(&s, "token.yaml", format);
        assert!(
            !run.stdout.contains("A1b2A1b2A1b2A1b2"),
            "{format} prints part of the token"
        );
    }
}

/// `check --format FORMAT --color never` on one file.
fn check_format(s: &Scratch, file: &str, format: &str) -> Run {
    let run = check_in(s, &["--color", "never"], false)
        .format(format)
        .arg(file)
        .run();
    assert!(matches!(run.code, 0 | 1), "{format}: {run:?}");
    run
}
