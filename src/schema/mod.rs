//! The JSON Schemas: embedded in the binary, validated with the `jsonschema` crate (no network,
//! linear-time `regex` engine), and every error turned into a located message in plain words.
//!
//! Invariant: one diagnostic per offending node (the innermost), at the node; a missing key at
//! the key of the mapping that lacks it; an unknown key at that key. Nodes whose value breaks the
//! schema are flagged `INVALID` in the tree, which hides them from the rules.
//!
//! This module holds the schemas and runs validation; `errors.rs` places each error and
//! `words.rs` words it; `tree.rs` shows our tree to the validator.

pub mod tree;

mod errors;
mod native;
mod words;

use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value as Json;

use crate::source::pos::Span;
use crate::source::tree::{at_positions_mut, Node, Step, INVALID};
use errors::Diagnostics;

pub use words::describe;

/// The schemas `bridgelint schema KIND` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    Integration,
    ServiceAccounts,
    Config,
    Rule,
    System,
    Output,
}

pub const ALL_KINDS: [SchemaKind; 6] = [
    SchemaKind::Integration,
    SchemaKind::ServiceAccounts,
    SchemaKind::Config,
    SchemaKind::Rule,
    SchemaKind::System,
    SchemaKind::Output,
];

impl SchemaKind {
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Integration => "integration",
            SchemaKind::ServiceAccounts => "service-accounts",
            SchemaKind::Config => "config",
            SchemaKind::Rule => "rule",
            SchemaKind::System => "system",
            SchemaKind::Output => "output",
        }
    }

    pub fn from_name(name: &str) -> Option<SchemaKind> {
        ALL_KINDS.iter().copied().find(|k| k.name() == name)
    }

    pub fn source(self) -> &'static str {
        match self {
            SchemaKind::Integration => include_str!("../../schemas/integration.schema.json"),
            SchemaKind::ServiceAccounts => {
                include_str!("../../schemas/service-accounts.schema.json")
            }
            SchemaKind::Config => include_str!("../../schemas/config.schema.json"),
            SchemaKind::Rule => include_str!("../../schemas/rule.schema.json"),
            SchemaKind::System => include_str!("../../schemas/system.schema.json"),
            SchemaKind::Output => include_str!("../../schemas/output.schema.json"),
        }
    }

    fn index(self) -> usize {
        ALL_KINDS.iter().position(|k| *k == self).expect("listed")
    }
}

struct Compiled {
    schema: Json,
    validator: Validator<crate::schema::tree::Tree>,
}

fn compiled(kind: SchemaKind) -> &'static Compiled {
    static CELLS: [OnceLock<Compiled>; 6] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    CELLS[kind.index()].get_or_init(|| {
        let mut schema: Json =
            serde_json::from_str(kind.source()).expect("embedded schema is JSON");
        native::use_native_checks(&mut schema);
        // The schemas say draft 2020-12 (for editors) and use only keywords that mean the same
        // in draft 7 (a test below holds them to it). jsonschema checks a schema against its
        // draft's meta-schema before compiling it, and builds that meta-schema validator first:
        // 3.8 M instructions for 2020-12's vocabularies, a seventh of a one-file run, against
        // less than 1 M for draft 7's one document (docs/decisions.md 95).
        let mut options = jsonschema::options_for::<crate::schema::tree::Tree>()
            .with_draft(jsonschema::Draft::Draft7)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .should_validate_formats(true);
        for native in &native::NATIVE {
            options = options.with_format(native.format, native.check);
        }
        let validator = (options.with_format(native::REAL_DATE_FORMAT, native::is_real_date))
            .build(&schema)
            .expect("embedded schema compiles");
        Compiled { schema, validator }
    })
}

/// Compiles the schemas of the lint targets on a background thread, so that their compilation
/// (a few milliseconds, mostly jsonschema checking the schema against its meta-schema) overlaps
/// loading the rules and catalog instead of delaying the first file. `kinds` are the kinds the
/// run is expected to validate: a hint, since a schema not compiled here is compiled by the
/// first document that needs it.
pub fn warm_up_in_background(kinds: Vec<SchemaKind>) {
    if kinds.is_empty() {
        return;
    }
    // If the thread cannot start, the first file compiles what it needs itself.
    let _ = std::thread::Builder::new()
        .name("schema-warm-up".into())
        .spawn(move || {
            for kind in kinds {
                compiled(kind);
            }
        });
}

/// Compiles every embedded schema (a test checks they all compile).
pub fn compile_all() {
    for kind in ALL_KINDS {
        compiled(kind);
    }
}

/// One schema error, located.
#[derive(Clone, Debug)]
pub struct SchemaError {
    pub span: Span,
    pub message: String,
    /// The route of the offending node (for baselines).
    pub route: Vec<Step>,
    /// For an unknown key with exactly one known key within two edits: that key (a fix
    /// renames it).
    pub rename: Option<String>,
}

/// Validates a document against a schema, flags the offending nodes `INVALID`, and returns the
/// located errors. Nodes already flagged (bad tags) are not reported twice.
/// `redactions` are the text's secret ranges (sorted, merged): no message quotes them.
pub fn validate(
    kind: SchemaKind,
    root: &mut Node,
    text: &str,
    redactions: &[std::ops::Range<u32>],
) -> Vec<SchemaError> {
    let c = compiled(kind);
    use crate::schema::tree::TreeRef;
    if c.validator.is_valid(TreeRef::Node(root)) {
        return Vec::new();
    }
    let mut found = Diagnostics::default();
    // Errors borrow the tree; collect what they say, then flag the offending nodes.
    let root_ro: &Node = root;
    for error in c.validator.iter_errors(TreeRef::Node(root_ro)) {
        found.add(&error, root_ro, (text, redactions), &c.schema);
    }
    // Positions, found through the index while the tree is borrowed, then followed to flag.
    let positions: Vec<Vec<usize>> = (found.hide.iter())
        .filter_map(|route| found.routes.positions(root_ro, route))
        .collect();
    let out = found.out;
    for p in positions {
        if let Some(node) = at_positions_mut(root, &p) {
            node.flags |= INVALID;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keywords of draft 2020-12 (or 2019-09) that draft 7 does not know or reads otherwise.
    const NOT_IN_DRAFT_7: [&str; 13] = [
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "$anchor",
        "$vocabulary",
        "minContains",
        "maxContains",
    ];

    /// Words that may stand beside `$ref`: draft 7 ignores a `$ref`'s siblings, 2020-12 applies
    /// them, so only annotations may.
    const ANNOTATIONS: [&str; 6] = [
        "description",
        "title",
        "examples",
        "default",
        "$comment",
        "markdownDescription",
    ];

    /// Every keyword of `schema` (a subschema at `at`) that would mean something else under
    /// draft 7, walking only where subschemas are (not into property names, enums or examples).
    fn draft_7_differences(schema: &Json, at: &str, found: &mut Vec<String>) {
        let Some(map) = schema.as_object() else {
            return;
        };
        for (key, value) in map {
            let here = format!("{at}/{key}");
            if NOT_IN_DRAFT_7.contains(&key.as_str()) {
                found.push(format!("{here}: a keyword draft 7 does not have"));
            }
            match key.as_str() {
                "$ref" => {
                    let siblings: Vec<&String> = (map.keys())
                        .filter(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
                        .collect();
                    if !siblings.is_empty() {
                        found.push(format!(
                            "{here}: beside {siblings:?}, which draft 7 ignores"
                        ));
                    }
                }
                "properties" | "patternProperties" | "$defs" | "definitions" => {
                    for (name, sub) in value.as_object().into_iter().flatten() {
                        draft_7_differences(sub, &format!("{here}/{name}"), found);
                    }
                }
                "items" if value.is_array() => {
                    found.push(format!(
                        "{here}: an array, which 2020-12 reads as prefixItems"
                    ));
                }
                "items"
                | "additionalProperties"
                | "propertyNames"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contains"
                | "additionalItems" => {
                    draft_7_differences(value, &here, found);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                        draft_7_differences(sub, &format!("{here}/{i}"), found);
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_schemas_mean_the_same_under_draft_7() {
        let mut found = Vec::new();
        for kind in ALL_KINDS {
            let schema: Json = serde_json::from_str(kind.source()).expect("JSON");
            draft_7_differences(&schema, kind.name(), &mut found);
        }
        assert!(
            found.is_empty(),
            "the embedded schemas are compiled as draft 7 (schema/mod.rs, `compiled`): {found:#?}"
        );
        // The walk sees what it must: a sibling of `$ref` deep in a schema.
        let mut seen = Vec::new();
        let planted = serde_json::json!({"$defs": {"a": {"properties": {"x": {"$ref": "#/$defs/b", "minimum": 1}}}}, "items": [{}]});
        draft_7_differences(&planted, "planted", &mut seen);
        assert_eq!(seen.len(), 2, "{seen:#?}");
    }
}
