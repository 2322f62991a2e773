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
        let schema: Json = serde_json::from_str(kind.source()).expect("embedded schema is JSON");
        let validator = jsonschema::options_for::<crate::schema::tree::Tree>()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .should_validate_formats(true)
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
