//! Strict JSON: spans, errors at their position, duplicate keys, surrogates, line ends.

use super::*;

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn json_spans_of_keys_values_and_containers() {
    let text = "{\n  \"a\": 1,\n  \"b\": [true, null, -1.5e2],\n  \"c\": {\"d\": \"é\"}\n}\n";
    let f = json(text);
    let root = &only(&f).root;
    assert_eq!(root.span, span((1, 1, 0), (5, 2, 61)));
    assert_eq!(key_span(root, "a"), span((2, 3, 4), (2, 6, 7)));
    assert_eq!(node(root, "a").span, span((2, 8, 9), (2, 9, 10)));
    assert_eq!(node(root, "b").span, span((3, 8, 19), (3, 28, 39)));
    assert_eq!(covered(text, node(root, "b").span), "[true, null, -1.5e2]");
    assert!(matches!(node(root, "b/2").value, Value::Float(x) if x == -150.0));
    assert_eq!(node(root, "b/2").span, span((3, 21, 32), (3, 27, 38)));
    assert_eq!(node(root, "c").span, span((4, 8, 48), (4, 18, 59)));
    assert_eq!(node(root, "c/d").span, span((4, 14, 54), (4, 17, 58)));
}

#[test]
fn json_strict_errors_have_positions() {
    let cases: [(&str, &str, Pos); 10] = [
        ("line comment", "{\"a\": 1 // c\n}", pos(1, 9, 8)),
        ("block comment", "/* c */ {\"a\": 1}", pos(1, 1, 0)),
        (
            "trailing comma in array",
            "{\"a\": [1, 2,]}",
            pos(1, 13, 12),
        ),
        ("trailing comma in object", "{\"a\": 1,\n}", pos(2, 1, 9)),
        ("single-quoted key", "{'a': 1}", pos(1, 2, 1)),
        ("single-quoted value", "{\"a\": 'x'}", pos(1, 7, 6)),
        ("NaN", "{\"a\": NaN}", pos(1, 7, 6)),
        ("Infinity", "{\"a\":\n Infinity}", pos(2, 2, 7)),
        ("leading zero", "{\"a\": 01}", pos(1, 8, 7)),
        ("two values", "{} {}", pos(1, 4, 3)),
    ];
    for (what, text, at) in cases {
        let e = json_err(text);
        assert_eq!(e.pos, at, "{what}: {e:?}");
        assert!(!e.message.is_empty());
    }
    assert!(json_err("{\"a\": -Infinity}").message.contains("Infinity"));
    assert!(json_err("{\"a\": NaN}").message.contains("NaN"));
    assert!(json_err("{\"a\": 1 // c\n}").message.contains("comment"));
    assert!(json_err("[1,]").message.contains("trailing comma"));
    assert!(json_err("{'a': 1}").message.contains("quote"));
    json_err("");
    json_err("{\"a\": -}");
    json_err("{\"a\": 1.}");
    json_err("{\"a\" 1}");
    json_err("{\"a\": \"x\ty\"}");
    json_err("{\"a\": \"\\x\"}");
    json_err("{\"a\": tru}");
}

#[test]
fn json_duplicate_keys_are_recorded_at_the_later_key() {
    let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": {\"x\": 1}\n}\n";
    let f = json(text);
    let doc = only(&f);
    assert_eq!(doc.problems.len(), 1, "{:?}", doc.problems);
    assert_eq!(doc.problems[0].kind, ProblemKind::DuplicateKey);
    assert_eq!(doc.problems[0].span, span((4, 3, 24), (4, 6, 27)));
    assert!(matches!(node(&doc.root, "a").value, Value::Int(1)));
}

#[test]
fn json_surrogate_pairs_decode_and_columns_count_the_raw_text() {
    let text = "{\"b\": \"\\ud83d\\ude00é\", \"c\": 1}";
    let f = json(text);
    let root = &only(&f).root;
    assert_eq!(str_of(node(root, "b")), "😀é");
    // The raw text `"\ud83d\ude00é"` is 15 code points and 16 bytes.
    assert_eq!(node(root, "b").span, span((1, 7, 6), (1, 22, 22)));
    assert_eq!(key_span(root, "c"), span((1, 24, 24), (1, 27, 27)));
    assert!(json_err("{\"a\": \"\\ud800\"}")
        .message
        .contains("surrogate"));
    assert!(json_err("{\"a\": \"\\ude00\"}")
        .message
        .contains("surrogate"));
    assert!(json_err("{\"a\": \"\\ud83d\\u0041\"}")
        .message
        .contains("surrogate"));
}

#[test]
fn json_crlf_and_cr_line_ends() {
    for (text, b_start) in [
        ("{\r\n\"a\": 1,\r\n\"b\": 2\r\n}", pos(3, 1, 12)),
        ("{\r\"a\": 1,\r\"b\": 2\r}", pos(3, 1, 10)),
    ] {
        let f = json(text);
        assert_eq!(key_span(&only(&f).root, "b").start, b_start, "{text:?}");
        assert_eq!(only(&f).root.span.end.line, 4);
    }
}
