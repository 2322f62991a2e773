//! The nesting, alias and size limits at their boundary: exactly at the limit is read, one
//! more is a parse-error at the place that crosses it.

use bridgelint::source::{DEFAULT_ALIAS_BUDGET, DEFAULT_MAX_DEPTH};

use super::support::Scratch;
use super::*;

// ---------------------------------------------------------------------------------------------
// The limits at their boundary
// ---------------------------------------------------------------------------------------------

/// `n` nested flow sequences as the value of `x` in our document: depth n + 1.
fn nested_flow(n: usize) -> String {
    format!("{HEADER}x: {}{}\n", "[".repeat(n), "]".repeat(n))
}

/// Our document whose last key opens `n` nested block mappings: depth n + 1.
fn nested_block(n: usize) -> String {
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    text.push_str(&" ".repeat(n));
    text.push_str("leaf: 1\n");
    text
}

#[test]
fn nesting_exactly_at_the_depth_limit_is_read() {
    let d = DEFAULT_MAX_DEPTH;
    lint_bytes("depth-flow-ok", "d.yaml", nested_flow(d - 1)).no_parse_error();
    lint_bytes("depth-block-ok", "d.yaml", nested_block(d - 1)).no_parse_error();
    let json = format!(
        r#"{{"apiVersion": "bridgelint/v1", "x": {}{}}}"#,
        "[".repeat(d - 1),
        "]".repeat(d - 1)
    );
    lint_bytes("depth-json-ok", "d.json", json).no_parse_error();
    // A top-level sequence of exactly the limit: read (and not ours).
    let top = format!("{}\"bridgelint/v1\"{}\n", "[".repeat(d), "]".repeat(d));
    lint_bytes("depth-top-ok", "d.yaml", top).skipped_quietly();
}

#[test]
fn one_level_over_the_depth_limit_is_a_parse_error_at_the_collection_that_opens_it() {
    let d = DEFAULT_MAX_DEPTH;
    let cause = format!("nesting deeper than {d}");
    // `x: ` then the bracket that opens level d + 1 (the d-th).
    let l = lint_bytes("depth-flow", "d.yaml", nested_flow(d));
    assert_parse_error(&l, 3, Some(3 + d as u64), &cause);
    // Line 3 + k opens level k + 1 at column k + 1 (after k spaces).
    let l = lint_bytes("depth-block", "d.yaml", nested_block(d));
    assert_parse_error(&l, 3 + d as u64, Some(d as u64 + 1), &cause);
    let prefix = r#"{"apiVersion": "bridgelint/v1", "x": "#;
    let json = format!("{prefix}{}{}}}", "[".repeat(d), "]".repeat(d));
    let l = lint_bytes("depth-json", "d.json", json);
    assert_parse_error(&l, 1, Some(prefix.len() as u64 + d as u64), &cause);
    let top = format!(
        "# bridgelint/v1\n{}1{}\n",
        "[".repeat(d + 1),
        "]".repeat(d + 1)
    );
    let l = lint_bytes("depth-top", "d.yaml", top);
    assert_parse_error(&l, 2, Some(d as u64 + 1), &cause);
}

/// The position of the depth error must not depend on what follows the collection that opens
/// the level over the limit.
#[test]
fn the_depth_error_position_does_not_depend_on_what_follows() {
    let d = DEFAULT_MAX_DEPTH;
    let cause = format!("nesting deeper than {d}");
    for extra in [0, 1, 10] {
        let l = lint_bytes("depth-flow-more", "d.yaml", nested_flow(d + extra));
        assert_parse_error(&l, 3, Some(3 + d as u64), &cause);
    }
}

#[test]
fn aliases_through_an_alias_count_their_depth() {
    // An anchored sequence of height 2 (one collection level) used at the deepest allowed spot:
    // exactly at the limit is read, one deeper is an error at the alias.
    let d = DEFAULT_MAX_DEPTH;
    let ok = format!(
        "{HEADER}a: &s [1]\nx: {}*s{}\n",
        "[".repeat(d - 2),
        "]".repeat(d - 2)
    );
    lint_bytes("alias-depth-ok", "a.yaml", ok).no_parse_error();
    let over = format!(
        "{HEADER}a: &s [1]\nx: {}*s{}\n",
        "[".repeat(d - 1),
        "]".repeat(d - 1)
    );
    let l = lint_bytes("alias-depth", "a.yaml", over);
    assert_parse_error(
        &l,
        4,
        Some(4 + d as u64 - 1),
        &format!("nesting deeper than {d}"),
    );
}

/// The alias budget counts the nodes every alias expands to (the anchored node and all below
/// it), per file.
fn alias_budget_document(extra_scalar_aliases: usize) -> String {
    // An anchored list of 99 scalars is 100 nodes; 1,000 aliases to it are exactly the budget.
    assert_eq!(DEFAULT_ALIAS_BUDGET % 100, 0);
    let aliases = DEFAULT_ALIAS_BUDGET / 100;
    let mut text = String::from(HEADER);
    text.push_str("one: &one x\n");
    text.push_str(&format!("a: &a [{}]\n", vec!["v"; 99].join(", ")));
    text.push_str("b:\n");
    text.push_str(&"  - *a\n".repeat(aliases));
    text.push_str(&"  - *one\n".repeat(extra_scalar_aliases));
    text
}

#[test]
fn aliases_expanding_to_exactly_the_budget_are_read() {
    let l = lint_bytes("alias-budget-ok", "a.yaml", alias_budget_document(0));
    l.no_parse_error();
}

#[test]
fn one_node_over_the_alias_budget_is_a_parse_error_at_that_alias() {
    let l = lint_bytes("alias-budget", "a.yaml", alias_budget_document(1));
    let line = 5 + (DEFAULT_ALIAS_BUDGET / 100) as u64 + 1;
    assert_parse_error(&l, line, Some(5), "alias");
}

#[test]
fn the_alias_budget_is_per_file_not_per_document() {
    // Two documents of 60,000 expanded nodes each: the second crosses the budget.
    let doc = |n: usize| {
        format!(
            "---\n{HEADER}a: &a [{}]\nb:\n{}",
            vec!["v"; 99].join(", "),
            "  - *a\n".repeat(n)
        )
    };
    let text = format!("{}{}", doc(600), doc(600));
    let l = lint_bytes("alias-budget-file", "a.yaml", text);
    let d = l.parse_error();
    assert!(message(d).contains("alias"), "{d}");
    assert!(line_col(d).0 > 600, "{d}");
}

#[test]
fn a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_not() {
    let limit = 4096usize;
    let mut text = integration("90", "2026-11-01", "2027-04-30");
    text.push('#');
    while text.len() < limit - 1 {
        text.push('x');
    }
    text.push('\n');
    assert_eq!(text.len(), limit);
    let s = Scratch::project("size-exact");
    s.write("exact.yaml", &text);
    let arg = limit.to_string();
    let l = lint_with(&s, "exact.yaml", &["--max-file-size", &arg], false);
    l.no_parse_error();
    assert_eq!(l.summary("files"), 1);
    // One byte more.
    text.insert(text.len() - 1, 'x');
    s.write("exact.yaml", &text);
    let l = lint_with(&s, "exact.yaml", &["--max-file-size", &arg], false);
    assert_parse_error(&l, 1, Some(1), &arg);
}

/// A key written without `? ` is at most 1024 characters (YAML 1.2): one more, or 5 MB, is a
/// parse-error that names the limit at the key's start, in block and flow mappings and in a
/// sequence item, never the scanner's "simple key expected ':'".
#[test]
fn a_key_past_the_yaml_key_length_limit_names_the_limit() {
    let key = |n: usize| "k".repeat(n);
    let cases: [ParseErrorCase<String>; 6] = [
        (
            "key-1025",
            "k.yaml",
            format!("{HEADER}{}: 1\n", key(1025)),
            3,
            1,
            "",
        ),
        (
            "key-5mb",
            "k.yaml",
            format!("{HEADER}{}: 1\n", key(5 << 20)),
            3,
            1,
            "",
        ),
        (
            "key-quoted",
            "k.yaml",
            format!("{HEADER}\"{}\": 1\n", key(1100)),
            3,
            1,
            "",
        ),
        (
            "key-flow",
            "k.yaml",
            format!("{HEADER}x: {{a: 1, {}: 1}}\n", key(1100)),
            3,
            11,
            "",
        ),
        (
            "key-item",
            "k.yaml",
            format!("{HEADER}x:\n  - {}: 1\n", key(1100)),
            4,
            5,
            "",
        ),
        (
            "key-utf8",
            "k.yaml",
            format!("{HEADER}{}: 1\n", "é".repeat(1025)),
            3,
            1,
            "",
        ),
    ];
    for (tag, name, text, line, column, _) in cases {
        let l = lint_bytes(tag, name, text);
        assert_parse_error(&l, line, Some(column), "a key longer than 1024 characters");
    }
    // Exactly at the limit (in characters, not bytes) the key is read.
    lint_bytes("key-1024", "k.yaml", format!("{HEADER}{}: 1\n", key(1024))).no_parse_error();
    lint_bytes(
        "key-utf8-1024",
        "k.yaml",
        format!("{HEADER}{}: 1\n", "é".repeat(1024)),
    )
    .no_parse_error();
    // A long value followed by `: ` is no key: the scanner's own message stays.
    let l = lint_bytes(
        "long-value",
        "k.yaml",
        format!("{HEADER}k: {}: 1\n", key(1100)),
    );
    assert_parse_error(&l, 3, None, "mapping values are not allowed");
}
