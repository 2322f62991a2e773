//! Generated documentation stays in step with the code it is generated from.
//! `UPDATE_DOCS=1 cargo test --test docs` rewrites the files.

mod support;
use support::Scratch;

/// Asserts that the file at `path` (in the repository) holds `generated`; rewrites it instead
/// under `UPDATE_DOCS=1`.
fn assert_up_to_date(path: &str, generated: String) {
    let full = support::repo().join(path);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&full, &generated).expect("writes");
        return;
    }
    let on_disk = std::fs::read_to_string(&full).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{path} is out of date: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn model_reference_is_current() {
    assert_up_to_date("docs/model.md", bridgelint::rules::docs::model_reference());
}

#[test]
fn rules_reference_is_current() {
    let rules = bridgelint::rules::RuleSet::builtin().expect("loads");
    assert_up_to_date(
        "docs/rules-reference.md",
        bridgelint::rules::docs::rules_reference(&rules),
    );
}

#[test]
fn init_template_is_a_valid_config() {
    let dir = Scratch::bare("init");
    let path = dir.write(".bridgelint.yaml", bridgelint::commands::init::TEMPLATE);
    let loaded = bridgelint::config::Config::load(&path);
    assert!(loaded.is_ok(), "{:?}", loaded.err());
}

#[test]
fn every_embedded_schema_compiles() {
    bridgelint::schema::compile_all();
}

#[test]
fn every_embedded_rule_and_system_file_validates_against_its_schema() {
    // The binary skips validating its own embedded files at run time; this test is why that is
    // safe.
    for (path, text) in bridgelint::data::builtin::files("rules/") {
        let kind = if path.starts_with("rules/systems/") {
            bridgelint::schema::SchemaKind::System
        } else if path.starts_with("rules/fixtures/") || !path.ends_with(".yaml") {
            continue;
        } else {
            bridgelint::schema::SchemaKind::Rule
        };
        if let Err(errors) = bridgelint::data::load(path, text, kind) {
            panic!(
                "{path}: {}",
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}

#[test]
fn rules_md_lists_every_function() {
    // The functions row of the Expressions table is generated from the registry, between two
    // markers; the quantifiers have a row of their own, written by hand, that names each.
    let path = "docs/rules.md";
    let text = std::fs::read_to_string(support::repo().join(path)).expect("reads docs/rules.md");
    let (open, close) = (
        "<!-- functions: generated from src/rules/functions/ -->",
        "<!-- end of functions -->",
    );
    let start = text
        .find(open)
        .expect("docs/rules.md has the functions marker")
        + open.len();
    let end = start + text[start..].find(close).expect("and its end marker");
    let list = bridgelint::rules::functions::function_list();
    assert_up_to_date(path, format!("{}{list}{}", &text[..start], &text[end..]));
    let quantifiers = bridgelint::rules::functions::FUNCTIONS
        .iter()
        .filter(|d| d.is_quantifier());
    for d in quantifiers {
        let shown = format!("`{}(", d.name);
        let row = text.lines().find(|l| l.ends_with("| quantifiers |"));
        assert!(
            row.is_some_and(|r| r.contains(&shown)),
            "docs/rules.md's quantifiers row does not show `{}`",
            d.name
        );
    }
}
