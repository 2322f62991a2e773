//! Tags and the YAML 1.2 core schema, mapping keys, duplicate keys.

use super::*;

// ---------------------------------------------------------------------------------------------
// Tags and the core schema
// ---------------------------------------------------------------------------------------------

#[test]
fn tags_outside_the_core_schema_are_schema_problems_at_the_tagged_node() {
    let text = "a: !custom x\nb: !!binary aGVsbG8=\ne: !custom\n  k: v\ng: !x [1]\n";
    let f = yaml(text);
    let doc = only(&f);
    let schema: Vec<_> = doc
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Schema)
        .collect();
    assert_eq!(schema.len(), 4, "{:?}", doc.problems);
    assert_eq!(schema[0].span, span((1, 4, 3), (1, 13, 12)));
    assert_eq!(covered(text, schema[0].span), "!custom x");
    assert_eq!(schema[1].span, span((2, 4, 16), (2, 21, 33)));
    assert_eq!(covered(text, schema[1].span), "!!binary aGVsbG8=");
    assert_eq!(schema[2].span, span((3, 4, 37), (4, 7, 51)));
    assert_eq!(covered(text, schema[3].span), "!x [1]");
    assert!(schema[1].message.contains("!!binary"), "{:?}", schema[1]);
    for path in ["a", "b", "e", "g"] {
        assert_ne!(node(&doc.root, path).flags & INVALID, 0, "{path}");
    }
}

#[test]
fn core_schema_tags_are_accepted() {
    let text = "c: !!str 1\nd: !!int 7\nf: !!float 1\ng: !!bool true\nh: !!null ~\ni: !!map {a: 1}\nj: !!seq [1]\n";
    let f = yaml(text);
    let doc = only(&f);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    assert_eq!(str_of(node(&doc.root, "c")), "1");
    assert!(matches!(node(&doc.root, "d").value, Value::Int(7)));
    assert!(matches!(node(&doc.root, "f").value, Value::Float(x) if x == 1.0));
    assert!(matches!(node(&doc.root, "g").value, Value::Bool(true)));
    assert!(matches!(node(&doc.root, "h").value, Value::Null));
    assert_eq!(node(&doc.root, "c").flags & INVALID, 0);
}

/// Documents with one schema problem: (case, text, the problem's span).
const ONE_SCHEMA_PROBLEM: [(&str, &str, (At, At)); 3] = [
    (
        "merging a scalar, at it",
        "d:\n  <<: 5\n  k: v\n",
        ((2, 7, 9), (2, 8, 10)),
    ),
    (
        "a core tag on a wrong value",
        "f: !!int abc\n",
        ((1, 10, 9), (1, 13, 12)),
    ),
    (
        "a collection as a key",
        "a: 1\n[x]: 5\n",
        ((2, 1, 5), (2, 4, 8)),
    ),
];

#[test]
fn one_schema_problem_at_the_offending_node() {
    for (case, text, (start, end)) in ONE_SCHEMA_PROBLEM {
        let f = yaml(text);
        let doc = only(&f);
        assert_eq!(doc.problems.len(), 1, "{case}: {:?}", doc.problems);
        assert_eq!(doc.problems[0].kind, ProblemKind::Schema, "{case}");
        assert_eq!(doc.problems[0].span, span(start, end), "{case}");
    }
}

#[test]
fn yaml_1_2_core_schema_scalars() {
    let text = "a: no\nb: off\nc: yes\nd: 90.0\ne: 0x1F\nf: ~\ng: 0o17\nh: 1e3\ni: .5\nj: \"1\"\nk: +1\nl: True\nm: y\nn: .inf\no: null\np: on\nq: -7\nr: 1_000\ns: 2026-11-27\nt: 0x\nu: '~'\nv:\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let v = |k: &str| &node(root, k).value;
    for (k, s) in [
        ("a", "no"),
        ("b", "off"),
        ("c", "yes"),
        ("j", "1"),
        ("m", "y"),
        ("p", "on"),
        ("r", "1_000"),
        ("s", "2026-11-27"),
        ("t", "0x"),
        ("u", "~"),
    ] {
        assert!(
            matches!(v(k), Value::Str(x) if &**x == s),
            "{k}: {:?}",
            v(k)
        );
    }
    assert!(
        matches!(v("d"), Value::Float(x) if *x == 90.0),
        "{:?}",
        v("d")
    );
    assert!(matches!(v("e"), Value::Int(31)), "{:?}", v("e"));
    assert!(matches!(v("f"), Value::Null));
    assert!(matches!(v("g"), Value::Int(15)), "{:?}", v("g"));
    assert!(matches!(v("h"), Value::Float(x) if *x == 1000.0));
    assert!(matches!(v("i"), Value::Float(x) if *x == 0.5));
    assert!(matches!(v("k"), Value::Int(1)));
    assert!(matches!(v("l"), Value::Bool(true)));
    assert!(matches!(v("n"), Value::Float(x) if x.is_infinite()));
    assert!(matches!(v("o"), Value::Null));
    assert!(matches!(v("q"), Value::Int(-7)));
    assert!(matches!(v("v"), Value::Null));
}

#[test]
fn mapping_keys_keep_their_text() {
    let f = yaml("yes: 1\n1: 2\nnull: 3\n\"q\": 4\n");
    let root = &only(&f).root;
    let keys: Vec<&str> = root
        .as_map()
        .expect("a mapping")
        .iter()
        .map(|e| &*e.key)
        .collect();
    assert_eq!(keys, ["yes", "1", "null", "q"]);
}

// ---------------------------------------------------------------------------------------------
// Duplicate keys
// ---------------------------------------------------------------------------------------------

#[test]
fn yaml_duplicate_keys_are_recorded_at_every_later_key_and_the_first_is_read() {
    let text = "a: 1\nb: 2\na: 3\n\"a\": 4\n";
    let f = yaml(text);
    let doc = only(&f);
    let dups: Vec<_> = doc
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::DuplicateKey)
        .collect();
    assert_eq!(dups.len(), 2, "{:?}", doc.problems);
    assert_eq!(dups[0].span, span((3, 1, 10), (3, 2, 11)));
    assert_eq!(dups[1].span, span((4, 1, 15), (4, 4, 18)));
    assert!(dups[0].message.contains("line 1"), "{:?}", dups[0]);
    assert!(matches!(node(&doc.root, "a").value, Value::Int(1)));
    assert_eq!(doc.root.as_map().map(<[_]>::len), Some(2));
}

#[test]
fn yaml_duplicate_keys_in_a_large_mapping_are_found() {
    // More than 16 keys switches the loader to an index.
    let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k7: again\n");
    let f = yaml(&text);
    let doc = only(&f);
    assert_eq!(doc.problems.len(), 1, "{:?}", doc.problems);
    assert_eq!(doc.problems[0].kind, ProblemKind::DuplicateKey);
    assert_eq!(doc.problems[0].span.start.line, 41);
    assert!(matches!(node(&doc.root, "k7").value, Value::Int(7)));
}
