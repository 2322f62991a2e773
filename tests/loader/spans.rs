//! Spans: keys, scalars and collections at both ends; line ends and the BOM.

use super::*;

// ---------------------------------------------------------------------------------------------
// Spans: keys, scalars, collections
// ---------------------------------------------------------------------------------------------

#[test]
fn mapping_keys_and_plain_scalars_have_exact_spans() {
    let text = "apiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: x-1\n";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(key_span(root, "apiVersion"), span((1, 1, 0), (1, 11, 10)));
    assert_eq!(
        node(root, "apiVersion").span,
        span((1, 13, 12), (1, 26, 25))
    );
    assert_eq!(str_of(node(root, "apiVersion")), "bridgelint/v1");
    assert_eq!(key_span(root, "kind"), span((2, 1, 26), (2, 5, 30)));
    assert_eq!(node(root, "kind").span, span((2, 7, 32), (2, 18, 43)));
    assert_eq!(key_span(root, "metadata"), span((3, 1, 44), (3, 9, 52)));
    assert_eq!(
        key_span(root, "metadata/name"),
        span((4, 3, 56), (4, 7, 60))
    );
    assert_eq!(
        node(root, "metadata/name").span,
        span((4, 9, 62), (4, 12, 65))
    );
    assert_eq!(covered(text, node(root, "metadata/name").span), "x-1");
}

#[test]
fn quoted_scalars_include_their_quotes() {
    let text = "a: 'it''s'\nb: \"x\\ty\"\n'k': \"multi\n  line\"\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let a = node(root, "a");
    assert_eq!(str_of(a), "it's");
    assert_eq!(a.span, span((1, 4, 3), (1, 11, 10)));
    assert_eq!(covered(text, a.span), "'it''s'");
    let b = node(root, "b");
    assert_eq!(str_of(b), "x\ty");
    assert_eq!(b.span, span((2, 4, 14), (2, 10, 20)));
    assert_eq!(covered(text, b.span), "\"x\\ty\"");
    // A quoted key keeps its quotes in its span; a multi-line quoted value ends after its quote.
    assert_eq!(key_span(root, "k"), span((3, 1, 21), (3, 4, 24)));
    let k = node(root, "k");
    assert_eq!(str_of(k), "multi line");
    assert_eq!(k.span, span((3, 6, 26), (4, 8, 40)));
}

#[test]
fn multi_line_plain_scalar_ends_after_its_last_character() {
    let text = "b: foo\n  bar\nc: 1\n";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(str_of(node(root, "b")), "foo bar");
    assert_eq!(node(root, "b").span, span((1, 4, 3), (2, 6, 12)));
}

#[test]
fn multi_byte_characters_count_one_column_and_their_bytes_in_offsets() {
    // é is 2 bytes, 😀 is 4 bytes.
    let text = "k: \"é😀\"\né: plain é😀 x\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let k = node(root, "k");
    assert_eq!(str_of(k), "é😀");
    assert_eq!(k.span, span((1, 4, 3), (1, 8, 11)));
    assert_eq!(covered(text, k.span), "\"é😀\"");
    assert_eq!(key_span(root, "é"), span((2, 1, 12), (2, 2, 14)));
    let v = node(root, "é");
    assert_eq!(str_of(v), "plain é😀 x");
    assert_eq!(v.span, span((2, 4, 16), (2, 14, 30)));
    assert_eq!(root.span, span((1, 1, 0), (2, 14, 30)));
}

#[test]
fn block_scalars_start_at_the_indicator_and_end_after_the_last_content_line() {
    let text = "a: |\n  lit\n  more\n\nb: >-\n  folded\n  text\n\n# comment\nc: |+ # kept\n    kept\n\n\nd: x\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let a = node(root, "a");
    assert_eq!(str_of(a), "lit\nmore\n");
    assert_eq!(a.span, span((1, 4, 3), (3, 7, 17)));
    assert_eq!(covered(text, a.span), "|\n  lit\n  more");
    let b = node(root, "b");
    assert_eq!(str_of(b), "folded text");
    assert_eq!(b.span, span((5, 4, 22), (7, 7, 40)));
    let c = node(root, "c");
    assert_eq!(str_of(c), "kept\n\n\n");
    assert_eq!(c.span.start, pos(10, 4, 55));
    assert_eq!(c.span.end, pos(11, 9, 73));
    // The mapping ends at the last character of its last value.
    assert_eq!(root.span, span((1, 1, 0), (14, 5, 80)));
}

#[test]
fn block_scalar_as_a_sequence_item_and_as_the_last_value() {
    let text = "d:\n  - |\n    in seq\n  - end\ne: >\n  last\n  line\n\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let item = node(root, "d/0");
    assert_eq!(str_of(item), "in seq\n");
    assert_eq!(item.span, span((2, 5, 7), (3, 11, 19)));
    assert_eq!(node(root, "d/1").span, span((4, 5, 24), (4, 8, 27)));
    let e = node(root, "e");
    assert_eq!(e.span, span((5, 4, 31), (7, 7, 46)));
    assert_eq!(root.span, span((1, 1, 0), (7, 7, 46)));
}

/// Documents that are a block scalar: (case, text, the root's span).
const BLOCK_SCALAR_DOCUMENTS: [(&str, &str, (At, At)); 2] = [
    (
        "after an explicit document start",
        "--- >\n  folded\n",
        ((1, 5, 4), (2, 9, 14)),
    ),
    ("top level", "|\n  lit\n", ((1, 1, 0), (2, 6, 7))),
];

#[test]
fn a_documents_block_scalar_starts_at_its_indicator() {
    for (case, text, (start, end)) in BLOCK_SCALAR_DOCUMENTS {
        let f = yaml(text);
        assert_eq!(f.documents[0].root.span, span(start, end), "{case}");
    }
}

#[test]
fn block_scalar_content_that_looks_like_a_comment_is_content() {
    let text = "a: |\n  x\n  # y\n # z\nb: 1\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let a = node(root, "a");
    assert_eq!(str_of(a), "x\n# y\n");
    assert_eq!(a.span, span((1, 4, 3), (3, 6, 14)));
}

#[test]
fn block_mappings_start_at_their_first_key_and_end_at_their_last_value() {
    let text = "outer:\n  inner:\n    x: 1   # trailing comment\n    y: [1, {z: w}]  # c\n# done\nnext: 2\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let outer = node(root, "outer");
    assert_eq!(outer.span, span((2, 3, 9), (4, 19, 64)));
    let inner = node(root, "outer/inner");
    assert_eq!(inner.span, span((3, 5, 20), (4, 19, 64)));
    assert_eq!(
        covered(text, inner.span).lines().last(),
        Some("    y: [1, {z: w}]")
    );
    assert_eq!(root.span, span((1, 1, 0), (6, 8, 84)));
}

#[test]
fn indented_block_sequences_start_at_their_first_dash() {
    let text = "k:\n  - a: 1\n    b: 2\n  - - x\n    - y\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let seq = node(root, "k");
    assert_eq!(seq.span, span((2, 3, 5), (5, 8, 36)));
    // A mapping item starts at its first key; a nested sequence item at its own `-`.
    assert_eq!(node(root, "k/0").span, span((2, 5, 7), (3, 9, 20)));
    assert_eq!(node(root, "k/1").span, span((4, 5, 25), (5, 8, 36)));
    assert_eq!(node(root, "k/1/0").span, span((4, 7, 27), (4, 8, 28)));
}

#[test]
fn top_level_block_sequence_starts_at_its_dash() {
    let text = "- - a\n  - b\n- c\n";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(root.span, span((1, 1, 0), (3, 4, 15)));
    assert_eq!(node(root, "0").span, span((1, 3, 2), (2, 6, 11)));
    assert_eq!(node(root, "1").span, span((3, 3, 14), (3, 4, 15)));
}

#[test]
fn indentless_block_sequence_starts_at_its_first_dash() {
    let text = "flows:\n- from: a\n  to: b\n- x\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let seq = node(root, "flows");
    assert_eq!(seq.span, span((2, 1, 7), (4, 4, 28)));
    // The items themselves are right.
    assert_eq!(node(root, "flows/0").span, span((2, 3, 9), (3, 8, 24)));
    assert_eq!(node(root, "flows/1").span, span((4, 3, 27), (4, 4, 28)));
}

#[test]
fn flow_collections_end_after_their_closing_bracket() {
    let text = "a: [1, {b: c}, [d]]\ne: {f: [g],  h: i }\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let a = node(root, "a");
    assert_eq!(a.span, span((1, 4, 3), (1, 20, 19)));
    assert_eq!(covered(text, a.span), "[1, {b: c}, [d]]");
    assert_eq!(node(root, "a/1").span, span((1, 8, 7), (1, 14, 13)));
    assert_eq!(node(root, "a/2").span, span((1, 16, 15), (1, 19, 18)));
    let e = node(root, "e");
    assert_eq!(e.span, span((2, 4, 23), (2, 20, 39)));
    assert_eq!(covered(text, e.span), "{f: [g],  h: i }");
    assert_eq!(key_span(root, "e/h"), span((2, 14, 33), (2, 15, 34)));
}

#[test]
fn sequence_items_have_their_own_spans() {
    let text = "s:\n  - plain\n  - 'q'\n  - {m: 1}\n  - x: 1\n    y: 2\n";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(node(root, "s/0").span, span((2, 5, 7), (2, 10, 12)));
    assert_eq!(node(root, "s/1").span, span((3, 5, 17), (3, 8, 20)));
    assert_eq!(node(root, "s/2").span, span((4, 5, 25), (4, 11, 31)));
    assert_eq!(node(root, "s/3").span, span((5, 5, 36), (6, 9, 49)));
}

// ---------------------------------------------------------------------------------------------
// Line ends and the BOM
// ---------------------------------------------------------------------------------------------

#[test]
fn crlf_line_ends_count_one_line_each() {
    let text = "a: 1\r\nb: x\r\nc:\r\n  - 1\r\nd: |\r\n  x\r\n  y\r\ne: 2\r\n";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(node(root, "b").span, span((2, 4, 9), (2, 5, 10)));
    assert_eq!(node(root, "c").span, span((4, 3, 18), (4, 6, 21)));
    assert_eq!(key_span(root, "d"), span((5, 1, 23), (5, 2, 24)));
    let d = node(root, "d");
    assert_eq!(str_of(d), "x\ny\n");
    assert_eq!(d.span, span((5, 4, 26), (7, 4, 37)));
    assert_eq!(node(root, "e").span, span((8, 4, 42), (8, 5, 43)));
}

#[test]
fn cr_only_line_ends_count_one_line_each() {
    let text = "a: 1\rb: x\rc:\r  d: 1\re: >\r  p\r  q\rf: 2\r";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(node(root, "b").span, span((2, 4, 8), (2, 5, 9)));
    assert_eq!(node(root, "c").span, span((4, 3, 15), (4, 7, 19)));
    assert_eq!(key_span(root, "c/d"), span((4, 3, 15), (4, 4, 16)));
    let e = node(root, "e");
    assert_eq!(str_of(e), "p q\n");
    assert_eq!(e.span, span((5, 4, 23), (7, 4, 32)));
    assert_eq!(node(root, "f").span, span((8, 4, 36), (8, 5, 37)));
}

#[test]
fn a_utf8_bom_is_not_a_column_but_is_counted_in_offsets() {
    let text = "\u{feff}k: |\n  é😀\né: 1\n";
    let f = yaml(text);
    let root = &only(&f).root;
    assert_eq!(root.span.start, pos(1, 1, 3));
    assert_eq!(key_span(root, "k"), span((1, 1, 3), (1, 2, 4)));
    assert_eq!(node(root, "k").span, span((1, 4, 6), (2, 5, 16)));
    assert_eq!(key_span(root, "é"), span((3, 1, 17), (3, 2, 19)));

    let text = "\u{feff}{\"k\": \"v\"}";
    let f = json(text);
    let root = &only(&f).root;
    assert_eq!(root.span, span((1, 1, 3), (1, 11, 13)));
    assert_eq!(key_span(root, "k"), span((1, 2, 4), (1, 5, 7)));
    assert_eq!(node(root, "k").span, span((1, 7, 9), (1, 10, 12)));
}
