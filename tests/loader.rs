//! The spanned YAML/JSON loader, driven through the library API (`bridgelint::source`).
//!
//! Every span is checked at both ends (line, column in code points, byte offset) and, where it
//! helps, against the text it covers. The contract is format.md ("Which files are checked",
//! dialect), cli.md ("Output formats": positions) and rules.md ("Precise semantics": where a
//! value starts and where "the key of the mapping" is).

use bridgelint::source::read::{classify, ReadOutcome};
use bridgelint::source::tree::{
    locate, Document, Node, ParseError, ParsedFile, ProblemKind, Step, Value, INVALID, VIA_ALIAS,
};
use bridgelint::source::{parse, Limits, LineIndex, Pos, Span, Syntax};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn pos(line: u32, column: u32, offset: u32) -> Pos {
    Pos::new(line, column, offset)
}

fn span(start: (u32, u32, u32), end: (u32, u32, u32)) -> Span {
    Span::new(pos(start.0, start.1, start.2), pos(end.0, end.1, end.2))
}

fn load<'t>(text: &'t str, syntax: Syntax, limits: &Limits) -> ParsedFile<'t> {
    match parse(text, syntax, limits, true) {
        Ok(f) => {
            for d in &f.documents {
                assert_positions_consistent(text, &d.root);
            }
            f
        }
        Err(e) => panic!("expected {text:?} to parse, got {e:?}"),
    }
}

fn yaml(text: &str) -> ParsedFile<'_> {
    load(text, Syntax::Yaml, &Limits::default())
}

fn json(text: &str) -> ParsedFile<'_> {
    load(text, Syntax::Json, &Limits::default())
}

/// The only document of a stream.
fn only<'a, 't>(file: &'a ParsedFile<'t>) -> &'a Document<'t> {
    assert_eq!(file.documents.len(), 1, "expected one document");
    &file.documents[0]
}

fn yaml_err(text: &str, limits: &Limits) -> ParseError {
    match parse(text, Syntax::Yaml, limits, false) {
        Ok(f) => panic!("expected a parse error for {text:?}, got {f:?}"),
        Err(e) => e,
    }
}

fn json_err(text: &str) -> ParseError {
    match parse(text, Syntax::Json, &Limits::default(), false) {
        Ok(f) => panic!("expected a parse error for {text:?}, got {f:?}"),
        Err(e) => e,
    }
}

/// Route steps from a `/`-separated path; a number is a sequence index.
fn steps(path: &str) -> Vec<Step> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<usize>() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(s.into()),
        })
        .collect()
}

fn node<'a>(root: &'a Node<'a>, path: &str) -> &'a Node<'a> {
    locate(root, &steps(path))
        .unwrap_or_else(|| panic!("no node at {path}"))
        .node
}

fn key_span(root: &Node, path: &str) -> Span {
    locate(root, &steps(path))
        .unwrap_or_else(|| panic!("no node at {path}"))
        .key_span
        .unwrap_or_else(|| panic!("{path} does not sit under a key"))
}

/// The text a span covers.
fn covered(text: &str, s: Span) -> &str {
    &text[s.byte_range()]
}

/// Every recorded position (nodes and keys) agrees with an independent line index over the
/// same text: offsets are bytes, columns code points, the BOM uncounted.
fn assert_positions_consistent(text: &str, root: &Node) {
    let idx = LineIndex::new(text);
    let check = |p: Pos, what: &str| {
        assert_eq!(idx.pos(p.offset as usize), p, "{what} in {text:?}");
    };
    fn walk(n: &Node, f: &dyn Fn(Pos, &str)) {
        f(n.span.start, "node start");
        f(n.span.end, "node end");
        match &n.value {
            Value::Seq(items) => items.iter().for_each(|i| walk(i, f)),
            Value::Map(entries) => {
                for e in entries {
                    f(e.key_span.start, "key start");
                    f(e.key_span.end, "key end");
                    walk(&e.value, f);
                }
            }
            _ => {}
        }
    }
    walk(root, &check);
}

fn str_of<'a>(n: &'a Node<'_>) -> &'a str {
    n.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {:?}", n.value))
}

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

#[test]
fn block_scalar_after_an_explicit_document_start_starts_at_its_indicator() {
    let text = "--- >\n  folded\n";
    let f = yaml(text);
    assert_eq!(f.documents[0].root.span, span((1, 5, 4), (2, 9, 14)));
}

#[test]
fn top_level_block_scalar_starts_at_its_indicator() {
    let text = "|\n  lit\n";
    let f = yaml(text);
    assert_eq!(f.documents[0].root.span, span((1, 1, 0), (2, 6, 7)));
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

// ---------------------------------------------------------------------------------------------
// Documents, merges, aliases
// ---------------------------------------------------------------------------------------------

#[test]
fn several_documents_per_stream_each_with_its_own_spans() {
    let text = "a: 1\n---\nb: 2\n...\n---\n- x\n--- plain\n";
    let f = yaml(text);
    assert_eq!(f.documents.len(), 4);
    assert_eq!(f.documents[0].root.span, span((1, 1, 0), (1, 5, 4)));
    assert_eq!(f.documents[1].root.span, span((3, 1, 9), (3, 5, 13)));
    assert_eq!(f.documents[2].root.span, span((6, 1, 22), (6, 4, 25)));
    assert_eq!(f.documents[3].root.span, span((7, 5, 30), (7, 10, 35)));
    assert_eq!(str_of(&f.documents[3].root), "plain");
}

#[test]
fn anchors_do_not_cross_documents() {
    let e = yaml_err("a: &x 1\n---\nb: *x\n", &Limits::default());
    assert_eq!(e.pos, pos(3, 4, 15));
}

#[test]
fn merge_keys_are_applied_and_an_explicit_key_wins_without_a_duplicate() {
    for (text, y_line, y_offset) in [
        ("base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\n", 6, 39),
        ("base: &b\n  x: 1\n  y: 2\nuse:\n  y: 3\n  <<: *b\n", 5, 30),
    ] {
        let f = yaml(text);
        let doc = only(&f);
        assert!(doc.problems.is_empty(), "{text:?}: {:?}", doc.problems);
        let root = &doc.root;
        let used = node(root, "use");
        assert_eq!(used.as_map().map(<[_]>::len), Some(2), "{text:?}");
        assert!(used.entry("<<").is_none());
        // The written key wins, at its own place.
        let y = node(root, "use/y");
        assert!(matches!(y.value, Value::Int(3)), "{text:?}");
        assert!(!y.via_alias());
        assert_eq!(
            key_span(root, "use/y"),
            span((y_line, 3, y_offset), (y_line, 4, y_offset + 1))
        );
        // The merged key keeps the anchored text's spans and is marked as reached by alias.
        let x = node(root, "use/x");
        assert!(matches!(x.value, Value::Int(1)));
        assert_eq!(key_span(root, "use/x"), span((2, 3, 11), (2, 4, 12)));
        assert_eq!(x.span, span((2, 6, 14), (2, 7, 15)));
        assert_ne!(x.flags & VIA_ALIAS, 0);
    }
}

#[test]
fn merge_of_a_list_of_mappings_earlier_sources_win() {
    let text = "a: &a {x: 1}\nb: &b {y: 2, x: 3}\nc:\n  <<: [*a, *b]\n  z: 0\n";
    let f = yaml(text);
    let doc = only(&f);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    let c = node(&doc.root, "c");
    assert!(matches!(node(c, "x").value, Value::Int(1)));
    assert!(matches!(node(c, "y").value, Value::Int(2)));
    assert!(matches!(node(c, "z").value, Value::Int(0)));
    assert_eq!(node(c, "y").span, span((2, 11, 23), (2, 12, 24)));
}

#[test]
fn merging_a_scalar_is_a_schema_problem_at_it() {
    let text = "d:\n  <<: 5\n  k: v\n";
    let f = yaml(text);
    let doc = only(&f);
    assert_eq!(doc.problems.len(), 1, "{:?}", doc.problems);
    assert_eq!(doc.problems[0].kind, ProblemKind::Schema);
    assert_eq!(doc.problems[0].span, span((2, 7, 9), (2, 8, 10)));
}

#[test]
fn aliases_expand_to_the_anchored_node_with_its_spans() {
    let text = "a: &x [1, 2]\nb: *x\nc: &s hello\nd: *s\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let a = node(root, "a");
    let b = node(root, "b");
    assert_eq!(a.span, span((1, 7, 6), (1, 13, 12)));
    assert_eq!(b.span, a.span);
    assert!(!a.via_alias());
    assert!(b.via_alias());
    assert!(node(root, "b/1").via_alias());
    assert_eq!(node(root, "b/1").span, span((1, 11, 10), (1, 12, 11)));
    assert_eq!(str_of(node(root, "d")), "hello");
    assert_eq!(node(root, "d").span, span((3, 7, 25), (3, 12, 30)));
    // The mapping ends at the alias site, not at the anchored text.
    assert_eq!(root.span, span((1, 1, 0), (4, 6, 36)));
}

#[test]
fn alias_budget_exactly_at_the_limit_is_accepted() {
    let limits = Limits {
        alias_budget: 10,
        ..Limits::default()
    };
    // `&a` is 5 nodes (the list and its 4 items): two aliases expand to exactly 10.
    let text = "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n";
    let f = load(text, Syntax::Yaml, &limits);
    assert_eq!(
        node(&only(&f).root, "b/1/3").span,
        span((1, 17, 16), (1, 18, 17))
    );
    // Ten scalar aliases: 10 nodes.
    let text = format!("a: &s x\nb: [{}]\n", ["*s"; 10].join(", "));
    load(&text, Syntax::Yaml, &limits);
}

#[test]
fn alias_budget_one_over_the_limit_is_an_error_at_the_alias() {
    let limits = Limits {
        alias_budget: 10,
        ..Limits::default()
    };
    // 5 + 5 + 1 = 11 nodes: the third alias (the scalar one) overflows.
    let text = "a: &a [1, 2, 3, 4]\ns: &s x\nb: [*a, *a, *s]\n";
    let e = yaml_err(text, &limits);
    assert_eq!(e.pos, pos(3, 13, 39), "{e:?}");
    assert!(e.message.contains("10"), "{e:?}");
    let text = format!("a: &s x\nb: [{}]\n", ["*s"; 11].join(", "));
    let e = yaml_err(&text, &limits);
    assert_eq!(e.pos, pos(2, 45, 52), "{e:?}");
}

#[test]
fn the_default_alias_budget_stops_a_billion_laughs() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        prev = name;
    }
    let e = yaml_err(&text, &Limits::default());
    assert!(e.message.contains("alias"), "{e:?}");
}

#[test]
fn recursive_alias_is_a_parse_error_at_the_alias() {
    let e = yaml_err("a: &x\n  b: *x\n", &Limits::default());
    assert_eq!(e.pos, pos(2, 6, 11), "{e:?}");
    assert!(e.message.contains("recursive"), "{e:?}");
}

#[test]
fn undefined_alias_is_a_parse_error_at_the_alias() {
    let e = yaml_err("k: 1\na: *nope\n", &Limits::default());
    assert_eq!(e.pos, pos(2, 4, 8), "{e:?}");
    assert!(e.message.contains("anchor"), "{e:?}");
}

// ---------------------------------------------------------------------------------------------
// Depth limit
// ---------------------------------------------------------------------------------------------

fn depth4() -> Limits {
    Limits {
        max_depth: 4,
        ..Limits::default()
    }
}

#[test]
fn depth_limit_yaml_block_boundary() {
    load("a:\n b:\n  c:\n   d: 1\n", Syntax::Yaml, &depth4());
    load("- - - - 1\n", Syntax::Yaml, &depth4());
    let e = yaml_err("a:\n b:\n  c:\n   d:\n    e: 1\n", &depth4());
    assert_eq!(e.pos.line, 5, "{e:?}");
    let e = yaml_err("- - - - - 1\n", &depth4());
    assert_eq!(e.pos.line, 1, "{e:?}");
}

#[test]
fn depth_limit_yaml_flow_boundary() {
    load("[[[[1]]]]\n", Syntax::Yaml, &depth4());
    load("{a: {b: {c: {d: 1}}}}\n", Syntax::Yaml, &depth4());
    load("a:\n  - {b: [1]}\n", Syntax::Yaml, &depth4());
    let e = yaml_err("[[[[[1]]]]]\n", &depth4());
    assert_eq!(e.pos, pos(1, 5, 4), "{e:?}");
    yaml_err("{a: {b: {c: {d: {e: 1}}}}}\n", &depth4());
    yaml_err("a:\n  - {b: [[1]]}\n", &depth4());
}

#[test]
fn depth_limit_json_boundary() {
    load("[[[[1]]]]", Syntax::Json, &depth4());
    load("{\"a\":{\"b\":{\"c\":{}}}}", Syntax::Json, &depth4());
    let e = match parse("[[[[[1]]]]]", Syntax::Json, &depth4(), false) {
        Err(e) => e,
        Ok(_) => panic!("5 levels pass a limit of 4"),
    };
    assert_eq!(e.pos, pos(1, 5, 4), "{e:?}");
    assert!(parse(
        "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}",
        Syntax::Json,
        &depth4(),
        false
    )
    .is_err());
}

#[test]
fn deep_nesting_is_a_clean_error_not_a_stack_overflow() {
    let deep = "[".repeat(200_000);
    assert!(parse(&deep, Syntax::Json, &Limits::default(), false).is_err());
    assert!(parse(&deep, Syntax::Yaml, &Limits::default(), false).is_err());
}

#[test]
fn alias_expansion_counts_nesting_like_the_written_out_text() {
    load("a: x\nb: [[[x]]]\n", Syntax::Yaml, &depth4());
    load("a: &s x\nb: [[[*s]]]\n", Syntax::Yaml, &depth4());
    load("a: &s [[1]]\nb: [*s]\n", Syntax::Yaml, &depth4());
    // One more level through the alias is over the limit.
    yaml_err("a: &s [[1]]\nb: [[*s]]\n", &depth4());
}

#[test]
fn alias_expansion_over_the_depth_limit_is_an_error() {
    yaml_err("a: &s [[[1]]]\nb: [[*s]]\n", &depth4());
}

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

#[test]
fn a_core_tag_on_a_wrong_value_is_a_schema_problem() {
    let f = yaml("f: !!int abc\n");
    let doc = only(&f);
    assert_eq!(doc.problems.len(), 1, "{:?}", doc.problems);
    assert_eq!(doc.problems[0].kind, ProblemKind::Schema);
    assert_eq!(doc.problems[0].span, span((1, 10, 9), (1, 13, 12)));
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

#[test]
fn a_collection_as_a_key_is_a_schema_problem() {
    let f = yaml("a: 1\n[x]: 5\n");
    let doc = only(&f);
    assert_eq!(doc.problems.len(), 1, "{:?}", doc.problems);
    assert_eq!(doc.problems[0].kind, ProblemKind::Schema);
    assert_eq!(doc.problems[0].span, span((2, 1, 5), (2, 4, 8)));
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

// ---------------------------------------------------------------------------------------------
// Bytes: invalid UTF-8, NUL, sizes
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_is_unreadable_at_the_first_bad_byte() {
    let bytes = b"apiVersion: bridgelint/v1\nk: \xc3\xa9\xff\n".to_vec();
    match classify(bytes, &Limits::default()) {
        ReadOutcome::Unreadable { message, pos: p } => {
            assert!(message.contains("UTF-8"), "{message}");
            assert_eq!(p, pos(2, 5, 31));
        }
        _ => panic!("invalid UTF-8 must be unreadable"),
    }
    // With a BOM on the only line: the BOM is not a column, but counts in the offset.
    let bytes = b"\xef\xbb\xbfapiVersion: bridgelint/v1 \xff".to_vec();
    match classify(bytes, &Limits::default()) {
        ReadOutcome::Unreadable { pos: p, .. } => assert_eq!(p, pos(1, 27, 29)),
        _ => panic!("invalid UTF-8 must be unreadable"),
    }
}

#[test]
fn classify_skips_files_without_the_marker_and_keeps_text_with_it() {
    assert!(matches!(
        classify(b"a: \xff\n".to_vec(), &Limits::default()),
        ReadOutcome::NotOurs
    ));
    match classify(b"apiVersion: bridgelint/v1\n".to_vec(), &Limits::default()) {
        ReadOutcome::Text(t) => assert_eq!(t, "apiVersion: bridgelint/v1\n"),
        _ => panic!("valid text with the marker is text"),
    }
}

#[test]
fn classify_applies_the_size_limit() {
    let limits = Limits {
        max_file_size: 1024,
        ..Limits::default()
    };
    let mut ours = b"apiVersion: bridgelint/v1\n".to_vec();
    ours.resize(1025, b'#');
    match classify(ours, &limits) {
        ReadOutcome::Unreadable { message, pos: p } => {
            assert!(message.contains("1024"), "{message}");
            assert!(message.contains("--max-file-size"), "{message}");
            assert_eq!(p, pos(1, 1, 0));
        }
        _ => panic!("an oversized file of ours is unreadable"),
    }
    let mut exact = b"apiVersion: bridgelint/v1\n".to_vec();
    exact.resize(1024, b'#');
    assert!(matches!(classify(exact, &limits), ReadOutcome::Text(_)));
    let other = vec![b'#'; 2048];
    assert!(matches!(classify(other, &limits), ReadOutcome::NotOurs));
}

#[test]
fn nul_bytes_are_binary_content_at_the_nul() {
    let e = yaml_err("a: 1\nb: x\0y\n", &Limits::default());
    assert_eq!(e.pos, pos(2, 5, 9));
    assert!(e.message.contains("NUL"), "{e:?}");
    let e = json_err("{\"a\": \"é\0\"}");
    assert_eq!(e.pos, pos(1, 9, 9));
}

#[test]
fn yaml_syntax_errors_have_positions() {
    let e = yaml_err("a: [1, 2\nb: 3\n", &Limits::default());
    assert_eq!(e.pos.line, 2, "{e:?}");
    assert!(e.message.starts_with("invalid YAML"), "{e:?}");
    let e = yaml_err("a:\n\tb: 1\n", &Limits::default());
    assert_eq!(e.pos.line, 2, "{e:?}");
}

#[test]
fn empty_streams_and_documents() {
    assert!(yaml("").documents.is_empty());
    assert!(yaml("# only a comment\n").documents.is_empty());
    let f = yaml("---\n---\na: 1\n");
    assert_eq!(f.documents.len(), 2);
    assert!(matches!(f.documents[0].root.value, Value::Null));
}

#[test]
fn comments_are_collected_with_spans() {
    let text = "# top\r\na: 1 # é c\r\nb: 2\n";
    let f = yaml(text);
    assert_eq!(f.comments.len(), 2);
    assert_eq!(f.comments[0].span, span((1, 1, 0), (1, 6, 5)));
    assert_eq!(&*f.comments[0].text, " top");
    assert_eq!(f.comments[1].span, span((2, 6, 12), (2, 11, 18)));
    assert_eq!(&*f.comments[1].text, " é c");
}

// ---------------------------------------------------------------------------------------------
// "The key of the mapping" (rules.md, Precise semantics)
// ---------------------------------------------------------------------------------------------

#[test]
fn key_of_mapping_is_the_key_it_sits_under_or_a_sequence_items_first_key() {
    let text = "connections:\n  jira:\n    credential:\n      type: api-token\nflows:\n  - from: jira\n    to: ado\n";
    let f = yaml(text);
    let root = &only(&f).root;
    let cred = locate(root, &steps("connections/jira/credential")).expect("found");
    assert_eq!(cred.key, Some("credential"));
    assert_eq!(cred.key_of_mapping(), span((3, 5, 25), (3, 15, 35)));
    let item = locate(root, &steps("flows/0")).expect("found");
    assert!(item.in_sequence);
    assert_eq!(item.key_of_mapping(), span((6, 5, 70), (6, 9, 74)));
    assert_eq!(item.node.span.start, pos(6, 5, 70));
    assert!(locate(root, &steps("flows/1")).is_none());
    assert!(locate(root, &steps("nope")).is_none());
}
