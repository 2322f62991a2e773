//! Documents of a stream, merge keys, aliases, the alias budget and the depth limit.

use super::*;

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
