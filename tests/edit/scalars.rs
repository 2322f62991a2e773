//! The operations on scalars, keys and comments, JSON files, and the cases that have no safe
//! edit: exact output byte for byte, output that parses without problems, a second run that
//! changes nothing. (Sequences: main.rs, whose helpers these share.)

use super::*;
use bridgelint::edit::rename_key;

#[test]
fn json_pretty() {
    let t = "{\n  \"scopes\": [\n    \"a\",\n    \"b\"\n  ],\n  \"url\": \"http://x\"\n}\n";
    check(
        t,
        J,
        remove_item(t, J, at(t, "\"b\"")),
        "{\n  \"scopes\": [\n    \"a\"\n  ],\n  \"url\": \"http://x\"\n}\n",
    );
    check(
        t,
        J,
        remove_item(t, J, at(t, "\"a\"")),
        "{\n  \"scopes\": [\n    \"b\"\n  ],\n  \"url\": \"http://x\"\n}\n",
    );
    check(
        t,
        J,
        append_items(t, J, value(t, J, "scopes"), &["c"]),
        "{\n  \"scopes\": [\n    \"a\",\n    \"b\",\n    \"c\"\n  ],\n  \"url\": \"http://x\"\n}\n",
    );
    check(t, J, replace_item(t, J, at(t, "\"a\""), &["x", "y\"z"]), "{\n  \"scopes\": [\n    \"x\",\n    \"y\\\"z\",\n    \"b\"\n  ],\n  \"url\": \"http://x\"\n}\n");
    let out = check(
        t,
        J,
        replace_scalar(t, J, at(t, "\"http://x\""), "https://x"),
        "{\n  \"scopes\": [\n    \"a\",\n    \"b\"\n  ],\n  \"url\": \"https://x\"\n}\n",
    );
    assert_eq!(
        replace_scalar(&out, J, at(&out, "\"https://x\""), "https://x"),
        Some(vec![])
    );
    check(
        t,
        J,
        rename_key(t, J, at(t, "\"url\""), "link"),
        "{\n  \"scopes\": [\n    \"a\",\n    \"b\"\n  ],\n  \"link\": \"http://x\"\n}\n",
    );
    let t = "{\n  \"s\": [\n    \"a\"\n  ]\n}";
    check(t, J, remove_item(t, J, at(t, "\"a\"")), "{\n  \"s\": []\n}");
}

#[test]
fn json_compact() {
    let t = "{\"s\":[\"a\",\"b\"],\"e\":[]}";
    check(
        t,
        J,
        remove_item(t, J, at(t, "\"a\"")),
        "{\"s\":[\"b\"],\"e\":[]}",
    );
    check(
        t,
        J,
        remove_item(t, J, at(t, "\"b\"")),
        "{\"s\":[\"a\"],\"e\":[]}",
    );
    check(
        t,
        J,
        append_items(t, J, value(t, J, "s"), &["c"]),
        "{\"s\":[\"a\",\"b\",\"c\"],\"e\":[]}",
    );
    check(
        t,
        J,
        append_items(t, J, value(t, J, "e"), &["c", "yes"]),
        "{\"s\":[\"a\",\"b\"],\"e\":[\"c\", \"yes\"]}",
    );
    let t = "{\"s\": [1, \"a\"]}";
    check(t, J, remove_item(t, J, at(t, "1")), "{\"s\": [\"a\"]}");
}

#[test]
fn replace_scalar_keeps_or_chooses_quoting() {
    let t = "a: http://x  # c\nb: 'http://y'\nc: \"z\"\nd: |\n  line 1\n  line 2\ne: 1\n";
    let out = check(
        t,
        Y,
        replace_scalar(t, Y, at(t, "http://x"), "https://x"),
        "a: https://x  # c\nb: 'http://y'\nc: \"z\"\nd: |\n  line 1\n  line 2\ne: 1\n",
    );
    assert_eq!(
        replace_scalar(&out, Y, at(&out, "https://x"), "https://x"),
        Some(vec![])
    );
    check(
        t,
        Y,
        replace_scalar(t, Y, at(t, "'http://y'"), "it's"),
        "a: http://x  # c\nb: 'it''s'\nc: \"z\"\nd: |\n  line 1\n  line 2\ne: 1\n",
    );
    check(
        t,
        Y,
        replace_scalar(t, Y, at(t, "\"z\""), "w"),
        "a: http://x  # c\nb: 'http://y'\nc: \"w\"\nd: |\n  line 1\n  line 2\ne: 1\n",
    );
    check(
        t,
        Y,
        replace_scalar(t, Y, value(t, Y, "d"), "env:A_B_SECRET"),
        "a: http://x  # c\nb: 'http://y'\nc: \"z\"\nd: env:A_B_SECRET\ne: 1\n",
    );
    check(
        t,
        Y,
        replace_scalar(t, Y, at(t, "http://x"), "no"),
        "a: \"no\"  # c\nb: 'http://y'\nc: \"z\"\nd: |\n  line 1\n  line 2\ne: 1\n",
    );
    check(
        t,
        Y,
        replace_scalar(t, Y, value(t, Y, "e"), "x # y"),
        "a: http://x  # c\nb: 'http://y'\nc: \"z\"\nd: |\n  line 1\n  line 2\ne: \"x # y\"\n",
    );
}

#[test]
fn rename_key_keeps_quoting_and_refuses_a_duplicate() {
    let t = "metdata:\n  name: x  # c\n'kind': y\n";
    let out = check(
        t,
        Y,
        rename_key(t, Y, at(t, "metdata"), "metadata"),
        "metadata:\n  name: x  # c\n'kind': y\n",
    );
    assert_eq!(
        rename_key(&out, Y, at(&out, "metadata"), "metadata"),
        Some(vec![])
    );
    check(
        t,
        Y,
        rename_key(t, Y, at(t, "'kind'"), "kinds"),
        "metdata:\n  name: x  # c\n'kinds': y\n",
    );
    assert!(rename_key(t, Y, at(t, "metdata"), "kind").is_none());
    check(
        t,
        Y,
        rename_key(t, Y, at(t, "name"), "yes"),
        "metdata:\n  \"yes\": x  # c\n'kind': y\n",
    );
}

#[test]
fn remove_comment_alone_or_after_code() {
    let t = "a: 1\n  # own\nb: 2   # bridgelint: ignore[x] reason\n# last";
    check(
        t,
        Y,
        remove_comment(t, at(t, "# own")),
        "a: 1\nb: 2   # bridgelint: ignore[x] reason\n# last",
    );
    check(
        t,
        Y,
        remove_comment(t, at(t, "# bridgelint: ignore[x] reason")),
        "a: 1\n  # own\nb: 2\n# last",
    );
    check(
        t,
        Y,
        remove_comment(t, at(t, "# last")),
        "a: 1\n  # own\nb: 2   # bridgelint: ignore[x] reason",
    );
    // Not a comment: inside a quoted scalar; not the whole comment.
    let t = "a: 'x # y'\nb: 1 # c d\n";
    assert!(remove_comment(t, at(t, "# y")).is_none());
    assert!(remove_comment(t, at(t, "# c")).is_none());
}

#[test]
fn none_when_not_safe() {
    // Anchored and aliased: editing would change the copy too.
    let t = "base: &b [a, b]\nother: *b\n";
    assert!(remove_item(t, Y, at(t, "a")).is_none());
    assert!(append_items(t, Y, value(t, Y, "base"), &["c"]).is_none());
    let t = "s:\n  - &x a\n  - b\nt: *x\n";
    assert!(remove_item(t, Y, at(t, "b")).is_none());
    assert!(replace_scalar(t, Y, nth(t, "a", 0), "z").is_none());
    let t = "s: [&x a, *x, b]\n";
    assert!(remove_item(t, Y, at(t, "b")).is_none());
    let t = "s: [!!str a, b]\nk: &v x\nm: !!str y\n";
    assert!(remove_item(t, Y, at(t, "a")).is_none());
    check(
        t,
        Y,
        remove_item(t, Y, at(t, "b")),
        "s: [!!str a]\nk: &v x\nm: !!str y\n",
    );
    assert!(replace_scalar(t, Y, at(t, "x"), "z").is_none());
    assert!(replace_scalar(t, Y, at(t, "y"), "z").is_none());
    let t = "m: &m {a: 1}\nn:\n  <<: *m\n";
    assert!(rename_key(t, Y, at(t, "a"), "b").is_none());
    // A compact nested sequence, a span that is no item, a span in no node.
    let t = "- - a\n  - b\n- c\n";
    assert!(remove_item(t, Y, at(t, "a")).is_none());
    let t = "s: [ab, c]\n";
    assert!(remove_item(t, Y, 4..5).is_none());
    assert!(remove_item(t, Y, 0..1).is_none());
    assert!(remove_item(t, Y, 90..99).is_none());
    // Text that does not parse.
    assert!(remove_item("s: [a, b", Y, 4..5).is_none());
}

#[test]
fn multi_document_streams() {
    let t = "a: [x]\n---\na: [x, y]\n";
    check(
        t,
        Y,
        remove_item(t, Y, nth(t, "x", 1)),
        "a: [x]\n---\na: [y]\n",
    );
    check(
        t,
        Y,
        remove_item(t, Y, nth(t, "x", 0)),
        "a: []\n---\na: [x, y]\n",
    );
}

#[test]
fn no_range_makes_an_operation_panic() {
    let docs = [
        (
            "\u{feff}a: &x [é, 'b']\nb:\n- 日本  # c\n- *x\nc: |\n  z\n",
            Y,
        ),
        ("k:\r\n  - a # c\r\n  # own\r\n  - [p, {q: r}]\r\n", Y),
        ("{\"a\": [\"x\", 1], \"b\": []}", J),
    ];
    for (t, syntax) in docs {
        for start in 0..=t.len() + 1 {
            for end in start..(start + 12).min(t.len() + 2) {
                let r = start..end;
                let got = [
                    remove_item(t, syntax, r.clone()),
                    append_items(t, syntax, r.clone(), &["v"]),
                    replace_item(t, syntax, r.clone(), &["v", "w"]),
                    replace_scalar(t, syntax, r.clone(), "v"),
                    rename_key(t, syntax, r.clone(), "v"),
                    remove_comment(t, r.clone()),
                ];
                for edits in got.into_iter().flatten() {
                    parses_clean(&apply(t, &edits), syntax);
                }
            }
        }
    }
}
