//! The built-in rules and systems are loaded from the JSON form `build.rs` makes of them, which
//! is read faster than the YAML at every start. These tests hold the two forms to the same tree,
//! value for value and key for key, in order, so that what runs is what the YAML says.

use bridgelint::source::tree::{Node, Value};
use bridgelint::source::{parse, Limits, Syntax};

/// The tree as text: types, values and mapping keys in document order (not spans).
fn shape(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("bool:{b}"),
        Value::Int(i) => format!("int:{i}"),
        Value::Float(f) => format!("float:{f:?}"),
        Value::Str(s) => format!("str:{s:?}"),
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(shape).collect::<Vec<_>>().join(",")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{:?}:{}", e.key, shape(&e.value)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

fn tree_of(path: &str, text: &str, syntax: Syntax) -> String {
    let parsed = parse(text, syntax, &Limits::default(), false)
        .unwrap_or_else(|e| panic!("{path} ({syntax:?}): {}", e.message));
    assert_eq!(parsed.documents.len(), 1, "{path} ({syntax:?})");
    let doc = &parsed.documents[0];
    assert!(
        doc.problems.is_empty(),
        "{path} ({syntax:?}): {:?}",
        doc.problems
    );
    shape(&doc.root)
}

#[test]
fn every_rule_and_system_file_has_a_json_form() {
    let converted: Vec<&str> = bridgelint::data::builtin::json_forms()
        .map(|(p, _, _)| p)
        .collect();
    // What the loaders read at every start (`RuleSet::builtin`, `Catalog::builtin`).
    let expected: Vec<&str> = bridgelint::data::builtin::files("rules/")
        .map(|(p, _)| p)
        .filter(|p| {
            bridgelint::data::builtin::is_rule_file(p)
                || bridgelint::data::builtin::is_system_file(p)
        })
        .collect();
    assert!(expected.len() >= 40, "{expected:?}");
    // A file left out (build.rs keeps anchors, tags and unusual numbers on the YAML path) would
    // still load, only slower: extend the conversion, or say here why not.
    assert_eq!(converted, expected);
}

#[test]
fn the_json_form_gives_the_yaml_tree() {
    let mut checked = 0;
    for (path, yaml, json) in bridgelint::data::builtin::json_forms() {
        assert_eq!(
            tree_of(path, json, Syntax::Json),
            tree_of(path, yaml, Syntax::Yaml),
            "{path}: the JSON form differs from the YAML"
        );
        checked += 1;
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn the_tree_comparison_sees_order_types_and_values() {
    // The comparison itself can fail: a key order, a type or a value that differs is seen.
    let yaml = "a: 1\nb: [x, 'y']\nc: null\n";
    let base = tree_of("t", yaml, Syntax::Yaml);
    assert_eq!(
        base,
        tree_of("t", r#"{"a":1,"b":["x","y"],"c":null}"#, Syntax::Json)
    );
    for json in [
        r#"{"b":["x","y"],"a":1,"c":null}"#,
        r#"{"a":"1","b":["x","y"],"c":null}"#,
        r#"{"a":1,"b":["x","z"],"c":null}"#,
        r#"{"a":1,"b":["x","y"],"c":false}"#,
    ] {
        assert_ne!(base, tree_of("t", json, Syntax::Json), "{json}");
    }
}
