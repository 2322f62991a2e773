//! The format-preserving edit library (`bridgelint::edit`): each operation's exact output, byte
//! for byte, that the output parses without problems, and that doing it again changes nothing
//! where that means something; then a table of documents where every item of every sequence is
//! removed, replaced and appended to.

use std::ops::Range;

use bridgelint::edit::{
    append_items, apply, remove_comment, remove_item, replace_item, replace_scalar, Edit,
};
use bridgelint::source::{parse, Limits, Node, Syntax, Value};

mod scalars;

const Y: Syntax = Syntax::Yaml;
const J: Syntax = Syntax::Json;

/// The byte range of the `n`th (0-based) occurrence of `needle`.
fn nth(text: &str, needle: &str, n: usize) -> Range<usize> {
    let start = text.match_indices(needle).nth(n).expect("needle").0;
    start..start + needle.len()
}

fn at(text: &str, needle: &str) -> Range<usize> {
    nth(text, needle, 0)
}

/// The range of `word` within the first occurrence of `context`.
fn within(text: &str, context: &str, word: &str) -> Range<usize> {
    let c = at(text, context).start + context.find(word).expect("word in context");
    c..c + word.len()
}

fn entries<'a, 't>(node: &'a Node<'t>, out: &mut Vec<(&'a str, Range<usize>, &'a Node<'t>)>) {
    match &node.value {
        Value::Map(m) => m.iter().for_each(|e| {
            out.push((&e.key, e.key_span.byte_range(), &e.value));
            entries(&e.value, out)
        }),
        Value::Seq(s) => s.iter().for_each(|n| entries(n, out)),
        _ => {}
    }
}

/// The span of the value of the first key `key` (in any document), and of the key.
fn spans(text: &str, syntax: Syntax, key: &str) -> (Range<usize>, Range<usize>) {
    let file = parse(text, syntax, &Limits::default(), false).expect("parses");
    let mut all = Vec::new();
    file.documents
        .iter()
        .for_each(|d| entries(&d.root, &mut all));
    let (_, k, v) = all.into_iter().find(|e| e.0 == key).expect("key");
    (v.span.byte_range(), k)
}

fn value(text: &str, syntax: Syntax, key: &str) -> Range<usize> {
    spans(text, syntax, key).0
}

fn parses_clean(text: &str, syntax: Syntax) {
    let file = parse(text, syntax, &Limits::default(), true)
        .unwrap_or_else(|e| panic!("{text:?} does not parse: {e:?}"));
    for doc in &file.documents {
        assert!(doc.problems.is_empty(), "{text:?}: {:?}", doc.problems);
    }
}

/// Applies the edits, checks the text and that it parses; returns it.
#[track_caller]
fn check(text: &str, syntax: Syntax, edits: Option<Vec<Edit>>, expected: &str) -> String {
    let edits = edits.unwrap_or_else(|| panic!("no edit for {text:?}"));
    let out = apply(text, &edits);
    assert_eq!(out, expected, "from {text:?}");
    parses_clean(&out, syntax);
    out
}

#[test]
fn block_remove_first_middle_last_keeps_comments_alone_above() {
    let t = "# head\nscopes:\n  - a   # first\n  # about b\n  - 'b'\n  - \"c\"\nother: 1\n";
    check(
        t,
        Y,
        remove_item(t, Y, within(t, "- a ", "a")),
        "# head\nscopes:\n  # about b\n  - 'b'\n  - \"c\"\nother: 1\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, at(t, "'b'")),
        "# head\nscopes:\n  - a   # first\n  # about b\n  - \"c\"\nother: 1\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, at(t, "\"c\"")),
        "# head\nscopes:\n  - a   # first\n  # about b\n  - 'b'\nother: 1\n",
    );
}

#[test]
fn block_remove_only_item_leaves_key_brackets() {
    let t = "key:   # keep\n  - a  # gone\nnext: 1\n";
    let out = check(
        t,
        Y,
        remove_item(t, Y, within(t, "- a ", "a")),
        "key: []   # keep\nnext: 1\n",
    );
    // Nothing left to remove: the `[]` is no item.
    assert!(remove_item(&out, Y, at(&out, "[]")).is_none());
    let t = "key:\n  - a";
    check(t, Y, remove_item(t, Y, 9..10), "key: []");
    let t = "key:\r\n  - a";
    check(t, Y, remove_item(t, Y, 10..11), "key: []");
    let t = "m:\n  key:\n  # own\n  - a\n";
    check(
        t,
        Y,
        remove_item(t, Y, within(t, "- a", "a")),
        "m:\n  key: []\n  # own\n",
    );
}

#[test]
fn block_items_at_the_parent_key_indentation() {
    let t = "key:\n- a\n- b\nz: 1\n";
    check(t, Y, remove_item(t, Y, at(t, "a")), "key:\n- b\nz: 1\n");
    check(t, Y, remove_item(t, Y, at(t, "b")), "key:\n- a\nz: 1\n");
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "key"), &["c"]),
        "key:\n- a\n- b\n- c\nz: 1\n",
    );
    let t = "key:\n- a\n";
    check(t, Y, remove_item(t, Y, at(t, "a")), "key: []\n");
}

#[test]
fn block_items_with_end_of_line_comments() {
    let t = "s:\n  - a  # ca\n  - b  # cb\n  - c  # cc\n";
    check(
        t,
        Y,
        remove_item(t, Y, within(t, "- b", "b")),
        "s:\n  - a  # ca\n  - c  # cc\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, within(t, "- c", "c")),
        "s:\n  - a  # ca\n  - b  # cb\n",
    );
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["d", "e"]),
        "s:\n  - a  # ca\n  - b  # cb\n  - c  # cc\n  - d\n  - e\n",
    );
}

#[test]
fn block_append_nested_keeps_indentation_and_dash_spacing() {
    let t = "connections:\n  ado:\n    credential:\n      scopes:\n        -   vso.work\n      expires: 2027-01-31\n";
    let out = check(t, Y, append_items(t, Y, value(t, Y, "scopes"), &["vso.work_write"]),
        "connections:\n  ado:\n    credential:\n      scopes:\n        -   vso.work\n        -   vso.work_write\n      expires: 2027-01-31\n");
    check(&out, Y, remove_item(&out, Y, within(&out, "vso.work\n", "vso.work")),
        "connections:\n  ado:\n    credential:\n      scopes:\n        -   vso.work_write\n      expires: 2027-01-31\n");
    let t = "a:\n  - x";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "a"), &["z"]),
        "a:\n  - x\n  - z",
    );
}

#[test]
fn flow_remove_first_middle_last_only() {
    let t = "s: [a, b, c]  # tail\n";
    check(t, Y, remove_item(t, Y, at(t, "a")), "s: [b, c]  # tail\n");
    check(t, Y, remove_item(t, Y, at(t, "b")), "s: [a, c]  # tail\n");
    check(
        t,
        Y,
        remove_item(t, Y, nth(t, "c", 0)),
        "s: [a, b]  # tail\n",
    );
    let t = "s: [ a ]  # tail\n";
    check(t, Y, remove_item(t, Y, at(t, "a")), "s: []  # tail\n");
    let t = "s: ['a','b']\n";
    check(t, Y, remove_item(t, Y, at(t, "'a'")), "s: ['b']\n");
}

#[test]
fn flow_append_keeps_separators_and_quoting() {
    let t = "s: [a, b]  # c\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["c", "yes"]),
        "s: [a, b, c, \"yes\"]  # c\n",
    );
    let t = "s: []\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["x"]),
        "s: [x]\n",
    );
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["x", "w"]),
        "s: [x, w]\n",
    );
    let t = "s: [a,b]\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["c"]),
        "s: [a,b,c]\n",
    );
    let t = "s: ['a', 'b']\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["it's"]),
        "s: ['a', 'b', 'it''s']\n",
    );
    let t = "s: [\"a\"]\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["read:jira-work"]),
        "s: [\"a\", \"read:jira-work\"]\n",
    );
    let t = "s: [a]\n";
    check(
        t,
        Y,
        append_items(
            t,
            Y,
            value(t, Y, "s"),
            &["issues:write", "a: b", "#x", "12", "null"],
        ),
        "s: [a, issues:write, \"a: b\", \"#x\", \"12\", \"null\"]\n",
    );
}

#[test]
fn multi_line_flow_sequences() {
    let t = "s: [\n  a,  # ca\n  b,  # cb\n]\n";
    check(t, Y, remove_item(t, Y, at(t, "b")), "s: [\n  a,  # ca\n]\n");
    check(t, Y, remove_item(t, Y, at(t, "a")), "s: [\n  b,  # cb\n]\n");
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["c"]),
        "s: [\n  a,  # ca\n  b,  # cb\n  c,\n]\n",
    );
    let t = "s: [\n  a,\n  b\n]\n";
    check(t, Y, remove_item(t, Y, at(t, "b")), "s: [\n  a\n]\n");
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["c", "d"]),
        "s: [\n  a,\n  b,\n  c,\n  d\n]\n",
    );
    check(
        t,
        Y,
        replace_item(t, Y, at(t, "a"), &["x", "w"]),
        "s: [\n  x,\n  w,\n  b\n]\n",
    );
    let t = "s: [a,\n  b]\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["c"]),
        "s: [a,\n  b, c]\n",
    );
}

#[test]
fn replace_item_with_narrower_grants() {
    let t = "scopes: [repo]  # classic token\n";
    let out = check(
        t,
        Y,
        replace_item(t, Y, at(t, "repo"), &["issues:write", "contents:read"]),
        "scopes: [issues:write, contents:read]  # classic token\n",
    );
    assert_eq!(
        replace_item(&out, Y, at(&out, "issues:write"), &["issues:write"]),
        Some(vec![])
    );
    let t = "scopes:\n  - repo  # classic\n  - x\n";
    check(
        t,
        Y,
        replace_item(t, Y, at(t, "repo"), &["issues:write", "contents:read"]),
        "scopes:\n  - issues:write  # classic\n  - contents:read\n  - x\n",
    );
    check(
        t,
        Y,
        replace_item(t, Y, at(t, "repo"), &[]),
        "scopes:\n  - x\n",
    );
    let t = "scopes: ['repo', x]\n";
    check(
        t,
        Y,
        replace_item(t, Y, at(t, "'repo'"), &["a", "b"]),
        "scopes: ['a', 'b', x]\n",
    );
}

#[test]
fn crlf_stays_crlf() {
    let t = "a:\r\n  - x\r\n  # own\r\n  - y  # cy\r\nb: [p, q]\r\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "a"), &["z"]),
        "a:\r\n  - x\r\n  # own\r\n  - y  # cy\r\n  - z\r\nb: [p, q]\r\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, at(t, "x")),
        "a:\r\n  # own\r\n  - y  # cy\r\nb: [p, q]\r\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, within(t, "- y", "y")),
        "a:\r\n  - x\r\n  # own\r\nb: [p, q]\r\n",
    );
    check(
        t,
        Y,
        remove_comment(t, at(t, "# own")),
        "a:\r\n  - x\r\n  - y  # cy\r\nb: [p, q]\r\n",
    );
    check(
        t,
        Y,
        remove_comment(t, at(t, "# cy")),
        "a:\r\n  - x\r\n  # own\r\n  - y\r\nb: [p, q]\r\n",
    );
    let t = "s: [\r\n  a\r\n]\r\n";
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["b"]),
        "s: [\r\n  a,\r\n  b\r\n]\r\n",
    );
    let t = "a:\r\n  - x\r\n";
    check(t, Y, remove_item(t, Y, at(t, "x")), "a: []\r\n");
}

#[test]
fn a_bom_stays() {
    let t = "\u{feff}s:\n  - a\n";
    check(t, Y, remove_item(t, Y, at(t, "a")), "\u{feff}s: []\n");
    let t = "\u{feff}# c\ns: [a]\n";
    check(t, Y, remove_comment(t, at(t, "# c")), "\u{feff}s: [a]\n");
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["b"]),
        "\u{feff}# c\ns: [a, b]\n",
    );
    let t = "\u{feff}{\"s\": [\"a\"]}";
    check(
        t,
        J,
        remove_item(t, J, at(t, "\"a\"")),
        "\u{feff}{\"s\": []}",
    );
}

#[test]
fn non_ascii_before_the_edit() {
    let t = "# café 日本 😀\nname: é😀\ns: [é, 日本, x]  # ☃\nb:\n  - 😀  # 日本\n  - y\n";
    check(
        t,
        Y,
        remove_item(t, Y, at(t, "x")),
        "# café 日本 😀\nname: é😀\ns: [é, 日本]  # ☃\nb:\n  - 😀  # 日本\n  - y\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, nth(t, "日本", 1)),
        "# café 日本 😀\nname: é😀\ns: [é, x]  # ☃\nb:\n  - 😀  # 日本\n  - y\n",
    );
    check(
        t,
        Y,
        append_items(t, Y, value(t, Y, "s"), &["ü"]),
        "# café 日本 😀\nname: é😀\ns: [é, 日本, x, ü]  # ☃\nb:\n  - 😀  # 日本\n  - y\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, nth(t, "😀", 2)),
        "# café 日本 😀\nname: é😀\ns: [é, 日本, x]  # ☃\nb:\n  - y\n",
    );
    check(
        t,
        Y,
        replace_scalar(t, Y, at(t, "é😀"), "ñ"),
        "# café 日本 😀\nname: ñ\ns: [é, 日本, x]  # ☃\nb:\n  - 😀  # 日本\n  - y\n",
    );
    check(
        t,
        Y,
        remove_comment(t, at(t, "# ☃")),
        "# café 日本 😀\nname: é😀\ns: [é, 日本, x]\nb:\n  - 😀  # 日本\n  - y\n",
    );
}

#[test]
fn block_items_that_are_mappings_or_block_scalars() {
    let t = "flows:\n  - from: a  # fa\n    to: b\n  # own\n  - from: c\n    to: d\n";
    check(
        t,
        Y,
        remove_item(t, Y, value(t, Y, "flows").start + 2..at(t, "to: b").end),
        "flows:\n  # own\n  - from: c\n    to: d\n",
    );
    let t = "s:\n  - |\n    text\n  - b\n";
    check(t, Y, remove_item(t, Y, at(t, "|\n    text")), "s:\n  - b\n");
    check(
        t,
        Y,
        replace_item(t, Y, at(t, "|\n    text"), &["x"]),
        "s:\n  - x\n  - b\n",
    );
}

/// Every item of every sequence of each document: remove it, replace it by two values, append
/// after the sequence; each result parses, changes only bytes within the edits, and reads back
/// as the expected list.
#[test]
fn every_item_of_every_sequence() {
    let docs: &[(&str, Syntax)] = &[
        ("a:\n  - p\n  - 'q'  # c\n  # own\n  - \"r\"\nb: [s, t, u]\nc:\n- v\n- w\n", Y),
        ("x:\r\n  y:\r\n    - é\r\n    - 日本  # 😀\r\n  z: [\r\n    a,\r\n    b\r\n  ]\r\n", Y),
        ("\u{feff}k: [one]  # c\nl:\n    -   two\n", Y),
        ("flows:\n  - from: a\n    sync: [create]\n  - from: b\n    sync:\n      - update  # u\n      - comments\n", Y),
        ("m:\n  n:\n  - 'x'\n  - y\n  o: [\"p\", 'q']\n---\nm: [\n  r, s,\n  t\n]\n", Y),
        ("{\n  \"a\": [\n    \"p\",\n    \"q\"\n  ],\n  \"b\": [\"r\"],\n  \"c\": [\"s\",\"t\"]\n}\n", J),
    ];
    for &(text, syntax) in docs {
        let file = parse(text, syntax, &Limits::default(), false).unwrap();
        let mut seqs = Vec::new();
        file.documents
            .iter()
            .for_each(|d| entries(&d.root, &mut seqs));
        let strings = |n: &Node<'_>| {
            n.as_seq()
                .is_some_and(|s| s.iter().all(|i| i.as_str().is_some()))
        };
        for (key, (_, _, seq)) in seqs.into_iter().enumerate().filter(|e| strings(e.1 .2)) {
            let items: Vec<&str> = seq
                .as_seq()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect();
            for (i, node) in seq.as_seq().unwrap().iter().enumerate() {
                let span = node.span.byte_range();
                let mut expect = items.clone();
                expect.remove(i);
                round(
                    text,
                    syntax,
                    key,
                    remove_item(text, syntax, span.clone()),
                    &expect,
                );
                let mut expect = items.clone();
                expect.splice(i..=i, ["n1", "n:2"]);
                round(
                    text,
                    syntax,
                    key,
                    replace_item(text, syntax, span, &["n1", "n:2"]),
                    &expect,
                );
            }
            let mut expect = items.clone();
            expect.extend(["yes", "z"]);
            let edits = append_items(text, syntax, seq.span.byte_range(), &["yes", "z"]);
            round(text, syntax, key, edits, &expect);
        }
    }
}

/// Checks one result; `key` is the index of the sequence's entry in document order.
fn round(text: &str, syntax: Syntax, key: usize, edits: Option<Vec<Edit>>, expect: &[&str]) {
    let edits = edits.unwrap_or_else(|| panic!("no edit in {text:?} at {key}"));
    let out = apply(text, &edits);
    parses_clean(&out, syntax);
    // Outside the edits, the bytes are those of the text, in order.
    let mut rest = out.as_str();
    let mut at = 0;
    let mut sorted = edits.clone();
    sorted.sort();
    for e in &sorted {
        let kept = &text[at..e.start];
        assert!(rest.starts_with(kept), "{text:?} → {out:?}");
        rest = &rest[kept.len() + e.content.len()..];
        at = e.end;
    }
    assert_eq!(rest, &text[at..]);
    let file = parse(&out, syntax, &Limits::default(), false).unwrap();
    let mut all = Vec::new();
    file.documents
        .iter()
        .for_each(|d| entries(&d.root, &mut all));
    let (_, _, seq) = all[key];
    let got: Vec<&str> = seq
        .as_seq()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(got, expect, "{text:?} → {out:?}");
}
