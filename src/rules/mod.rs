//! Rules as data: the rule file format, loading (built-in and custom), and compilation.
//!
//! This module holds what a loaded rule is (`Rule`, `Check`, `RuleSet`, ...). Reading a rule
//! file is `load.rs`, compiling each of its checks `check.rs`, message templates
//! `template.rs`; the expression language is `expr.rs` and `eval.rs`, the engine `engine.rs`.
//!
//! A rule file is one YAML document (schema: `schemas/rule.schema.json`) with the rule's name,
//! severity, documentation (summary, explanation, examples), options with defaults, and one or
//! more checks: `for_each` (a collection of the model), `where` (a condition), `at` (where the
//! diagnostic points), `message` (a template). Rules that the loader and the schema stage
//! produce (`parse-error`, `duplicate-key`, `schema-violation`) and the suppression rules are
//! `intrinsic`: their files carry documentation only.

pub mod docs;
pub mod engine;
pub mod eval;
pub mod expr;
pub mod functions;
pub mod pattern;

mod check;
mod fix;
mod load;
mod template;

pub use load::CustomRules;

use serde::Deserialize;

use crate::finding::Severity;
use crate::model::fields::{self, Kind};
use eval::OptVal;
use expr::Expr;

pub use load::{load_rule, option_value_like};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub bad: String,
    pub good: String,
}

/// What a check iterates over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    Table(Kind),
    DuplicateAccounts,
    /// The matches of this rule's own patterns.
    Matches,
}

pub const COLLECTIONS: [(&str, Collection); 11] = [
    ("integrations", Collection::Table(Kind::Integration)),
    ("connections", Collection::Table(Kind::Connection)),
    ("credentials", Collection::Table(Kind::Credential)),
    ("rotations", Collection::Table(Kind::Rotation)),
    ("accounts", Collection::Table(Kind::Account)),
    ("flows", Collection::Table(Kind::Flow)),
    ("needs", Collection::Table(Kind::Need)),
    ("grants", Collection::Table(Kind::Grant)),
    ("systems", Collection::Table(Kind::System)),
    ("matches", Collection::Matches),
    ("duplicate_accounts", Collection::DuplicateAccounts),
];

impl Collection {
    pub fn kind(self) -> Kind {
        match self {
            Collection::Table(k) => k,
            Collection::DuplicateAccounts => Kind::Account,
            Collection::Matches => Kind::Match,
        }
    }
}

/// A message template: literal text and `{expression}` parts.
#[derive(Clone, Debug)]
pub enum Part {
    Text(String),
    Expr(Expr),
}

/// What a check's fix does: one action on a located value (expressions of the check's scope).
#[derive(Clone, Debug)]
pub enum FixAction {
    /// Remove the list item the expression locates.
    Remove(Expr),
    /// Append the items (a string or a list) to the list the first expression locates.
    Append { to: Expr, items: Expr },
    /// Replace the located value: a list item by the items (a string or a list), a scalar by
    /// the string.
    Replace { at: Expr, with: Expr },
    /// Rename the located key.
    Rename { key: Expr, to: Expr },
}

#[derive(Clone, Debug)]
pub struct FixSpec {
    pub action: FixAction,
    pub applicability: crate::finding::Applicability,
    pub message: Vec<Part>,
}

#[derive(Clone, Debug)]
pub struct Check {
    pub collection: Collection,
    pub condition: Expr,
    pub at: Vec<Expr>,
    pub message: Vec<Part>,
    pub related: Option<Expr>,
    pub related_message: Option<Vec<Part>>,
    pub one_per: Vec<Expr>,
    pub subject: Option<Expr>,
    /// A list of the entity to check item by item (`item` in every expression): one finding
    /// per item that satisfies the condition.
    pub each: Option<Expr>,
    /// How a finding of the check is mended, when it can be said as data.
    pub fix: Option<FixSpec>,
    /// Environment size the expressions need (slot 0 is the entity, the last one is `item`).
    pub slots: usize,
    /// The check runs on each chunk of files as it is merged ([`Check::reads_one_file`],
    /// decided once when the rule is compiled).
    pub file_local: bool,
}

impl Check {
    /// Calls `read` with every field the check reads (condition, locations, messages, related,
    /// grouping, subject, and the entity's key, its default location), as (kind, field index).
    pub fn visit_fields(&self, read: &mut impl FnMut(Kind, usize)) {
        let parts = self
            .message
            .iter()
            .chain(self.related_message.iter().flatten());
        let exprs = parts.filter_map(|p| match p {
            Part::Expr(e) => Some(e),
            Part::Text(_) => None,
        });
        let fix_exprs: Vec<&Expr> = match self.fix.as_ref().map(|f| &f.action) {
            None => vec![],
            Some(FixAction::Remove(e)) => vec![e],
            Some(FixAction::Append { to: a, items: b })
            | Some(FixAction::Replace { at: a, with: b })
            | Some(FixAction::Rename { key: a, to: b }) => vec![a, b],
        };
        let fix_parts = self
            .fix
            .iter()
            .flat_map(|f| &f.message)
            .filter_map(|p| match p {
                Part::Expr(e) => Some(e),
                Part::Text(_) => None,
            });
        std::iter::once(&self.condition)
            .chain(fix_exprs)
            .chain(fix_parts)
            .chain(&self.each)
            .chain(&self.at)
            .chain(&self.related)
            .chain(&self.one_per)
            .chain(&self.subject)
            .chain(exprs)
            .for_each(|e| e.visit_fields(read));
        // Where a finding points when no `at` gives a location: the entity's key.
        let kind = self.collection.kind();
        if let Some(key) = fields::field_index(kind, "key") {
            read(kind, key);
        }
    }

    /// Whether the check can be evaluated on one file's records as soon as that file is
    /// merged: it runs over entities a file builds whole, groups nothing across them
    /// (`one_per`), and reads only fields that are final then (no cross-file resolution).
    fn reads_one_file(&self) -> bool {
        let Collection::Table(kind) = self.collection else {
            return false;
        };
        let mut local = fields::built_per_file(kind) && self.one_per.is_empty();
        self.visit_fields(&mut |k, f| local &= fields::final_per_file(k, f));
        local
    }

    /// Whether every finding of the check relates only its entity's own file to others by
    /// account id: it runs over entities of one file (a file's integrations, connections,
    /// credentials, rotations, flows, or its accounts), groups nothing across them, and reads
    /// only values that come from the entity's own file ([`fields::from_own_file`]).
    fn reads_own_file_values(&self) -> bool {
        let Collection::Table(kind) = self.collection else {
            return false;
        };
        let per_file = fields::built_per_file(kind) || kind == Kind::Account;
        let mut own = per_file && self.one_per.is_empty();
        self.visit_fields(&mut |k, f| own &= fields::from_own_file(k, f));
        own
    }

    /// Whether the check reads a file-local detail (a field the run lets go of after the
    /// file-local checks, see [`fields::FieldDef::detail`]).
    pub fn reads_detail(&self) -> bool {
        let mut reads = false;
        self.visit_fields(&mut |k, f| reads |= fields::fields_of(k)[f].detail);
        reads
    }
}

#[derive(Clone, Debug)]
pub struct RuleOption {
    pub name: String,
    pub default: OptVal,
    pub description: String,
    /// The values an integer option accepts.
    pub range: std::ops::RangeInclusive<i64>,
}

/// A loaded rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub name: String,
    pub severity: Severity,
    pub category: String,
    pub summary: String,
    pub explanation: String,
    pub examples: Option<Examples>,
    pub sources: Vec<String>,
    pub options: Vec<RuleOption>,
    pub intrinsic: bool,
    pub patterns: Vec<pattern::Pattern>,
    pub checks: Vec<Check>,
    /// Where the rule came from (embedded path or user file).
    pub origin: String,
    pub builtin: bool,
}

impl Rule {
    pub fn option_index(&self, name: &str) -> Option<usize> {
        self.options.iter().position(|o| o.name == name)
    }
}

/// The rules that cannot be turned off or suppressed.
pub const UNSUPPRESSIBLE: [&str; 4] = [
    "parse-error",
    "invalid-suppression",
    "unused-suppression",
    "expired-suppression",
];

/// Every rule of a run: built-ins first (ordered by name), then custom rules.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Whether the run can evaluate the file-local checks as files are merged and then let go
    /// of the details: true unless a check that needs every file (of a rule that runs) reads a
    /// detail. With the built-in rules it is true (`tests/file_local.rs`); a custom rule may
    /// make it false, and the run then holds every detail to the end.
    pub fn details_stay_local(&self, runs: impl Fn(usize) -> bool) -> bool {
        self.rules
            .iter()
            .enumerate()
            .filter(|(i, r)| !r.intrinsic && runs(*i))
            .flat_map(|(_, r)| &r.checks)
            .all(|c| c.file_local || !c.reads_detail())
    }

    /// Whether files relate only as the built-in rules relate them (an account id, an
    /// integration name: `pipeline/prune.rs`): every custom check reads only values that come
    /// from its entity's own file, so its findings and their related locations stay in that
    /// file (an account's duplicates are other files declaring its id).
    pub fn relate_files_as_builtins(&self) -> bool {
        self.rules
            .iter()
            .filter(|r| !r.builtin)
            .flat_map(|r| &r.checks)
            .all(|c| c.file_local || c.reads_own_file_values())
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.name == name)
    }

    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.index(name).map(|i| &self.rules[i])
    }

    pub fn closest_name(&self, name: &str) -> Option<&str> {
        crate::suggest::closest(name, self.rules.iter().map(|r| r.name.as_str()))
    }
}
