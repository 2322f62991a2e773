//! Rules as data: the rule file format, loading (built-in and custom), and compilation.
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

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::data::{self, error_at, DataError};
use crate::finding::Severity;
use crate::model::fields::{self, Kind};
use crate::schema::SchemaKind;
use crate::source::tree::{locate, Step};
use crate::source::Pos;
use eval::OptVal;
use expr::{compile, Expr, Scope, T};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    name: String,
    severity: Severity,
    #[serde(default)]
    category: Option<String>,
    summary: String,
    explanation: String,
    #[serde(default)]
    examples: Option<Examples>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    options: BTreeMap<String, OptionDecl>,
    #[serde(default)]
    intrinsic: bool,
    #[serde(default)]
    patterns: BTreeMap<String, String>,
    #[serde(default)]
    check: Option<CheckFile>,
    #[serde(default)]
    checks: Vec<CheckFile>,
    #[serde(default, rename = "$schema")]
    _schema: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub bad: String,
    pub good: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionDecl {
    default: serde_json::Value,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckFile {
    for_each: String,
    #[serde(rename = "where")]
    condition: String,
    #[serde(default)]
    at: Option<OneOrMany>,
    message: String,
    #[serde(default)]
    related: Option<String>,
    #[serde(default)]
    related_message: Option<String>,
    #[serde(default)]
    one_per: Vec<String>,
    #[serde(default)]
    subject: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
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
        std::iter::once(&self.condition)
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

    pub fn builtin() -> Result<RuleSet, Vec<DataError>> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        let files = crate::data::builtin::files("rules/")
            .filter(|(p, _)| crate::data::builtin::is_rule_file(p));
        for (path, text) in files {
            match load_rule(path, text, true) {
                Ok(rule) => set.rules.push(rule),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        set.rules.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(set)
    }

    /// Adds the rule files of a folder (sorted by file name).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), Vec<DataError>> {
        let display = dir.display().to_string();
        let err = |m: String| {
            vec![DataError {
                path: display.clone(),
                pos: Pos::new(1, 1, 0),
                message: m,
                line_text: String::new(),
            }]
        };
        let entries =
            std::fs::read_dir(dir).map_err(|e| err(format!("cannot read rules folder: {e}")))?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
            })
            .collect();
        paths.sort();
        let mut errors = Vec::new();
        for p in paths {
            let path = p.display().to_string();
            let text = match std::fs::read_to_string(&p) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(DataError {
                        path: path.clone(),
                        pos: Pos::new(1, 1, 0),
                        message: format!("cannot read rule file: {e}"),
                        line_text: String::new(),
                    });
                    continue;
                }
            };
            match load_rule(&path, &text, false) {
                Ok(rule) => {
                    if self.rules.iter().any(|r| r.name == rule.name) {
                        errors.push(error_at(&path, &text, Pos::new(1, 1, 0), format!("a rule named `{}` already exists; custom rules need their own names", rule.name)));
                    } else {
                        self.rules.push(rule);
                    }
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
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

fn opt_value(v: &serde_json::Value) -> Option<(OptVal, T)> {
    match v {
        serde_json::Value::Bool(b) => Some((OptVal::Bool(*b), T::Bool)),
        serde_json::Value::Number(n) => n.as_i64().map(|i| (OptVal::Int(i), T::Int)),
        serde_json::Value::String(s) => Some((OptVal::Str(s.clone()), T::Str)),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(|l| (OptVal::List(l), T::List(Box::new(T::Str)))),
        _ => None,
    }
}

/// Converts a config value for an option, checking its type against the default's.
pub fn option_value_like(default: &OptVal, v: &serde_json::Value) -> Option<OptVal> {
    let (val, _) = opt_value(v)?;
    (std::mem::discriminant(&val) == std::mem::discriminant(default)).then_some(val)
}

/// Loads and compiles one rule file.
pub fn load_rule(path: &str, text: &str, builtin: bool) -> Result<Rule, Vec<DataError>> {
    let tree = if builtin {
        data::load_embedded(path, text, SchemaKind::Rule)?
    } else {
        data::load(path, text, SchemaKind::Rule)?
    };
    let file: RuleFile = serde_json::from_value(tree.to_json()).map_err(|e| {
        vec![error_at(
            path,
            text,
            tree.span.start,
            format!("invalid rule file: {e}"),
        )]
    })?;
    let at = |steps: &[Step]| -> Pos {
        locate(&tree, steps).map_or(tree.span.start, |l| l.node.span.start)
    };
    let key = |k: &str| Step::Key(k.into());
    let mut errors = Vec::new();

    let mut options = Vec::new();
    let mut option_types = Vec::new();
    for (name, decl) in &file.options {
        match opt_value(&decl.default) {
            Some((v, t)) => {
                options.push(RuleOption { name: name.clone(), default: v, description: decl.description.clone() });
                option_types.push((name.clone(), t));
            }
            None => errors.push(error_at(path, text, at(&[key("options"), key(name), key("default")]), format!("option `{name}`: the default must be an integer, a boolean, a string or a list of strings"))),
        }
    }
    let mut patterns = Vec::new();
    for (name, re) in &file.patterns {
        // Built-in patterns are compiled lazily (tests compile them); custom ones now, so that
        // an oversized regex is an invocation error rather than a surprise later.
        match pattern::Pattern::new(name, re, !builtin) {
            Ok(r) => patterns.push(r),
            Err(m) => errors.push(error_at(
                path,
                text,
                at(&[key("patterns"), key(name)]),
                format!("pattern `{name}`: {m}"),
            )),
        }
    }

    let mut check_files: Vec<(Vec<Step>, &CheckFile)> = Vec::new();
    if let Some(c) = &file.check {
        check_files.push((vec![key("check")], c));
    }
    for (i, c) in file.checks.iter().enumerate() {
        check_files.push((vec![key("checks"), Step::Index(i)], c));
    }
    if file.intrinsic && !check_files.is_empty() {
        errors.push(error_at(
            path,
            text,
            tree.span.start,
            "an intrinsic rule has no checks",
        ));
    }
    if !file.intrinsic && check_files.is_empty() {
        errors.push(error_at(
            path,
            text,
            tree.span.start,
            "a rule needs `check` (or `checks`)",
        ));
    }

    let mut checks = Vec::new();
    for (steps, c) in check_files {
        let field_pos = |f: &str, i: Option<usize>| -> Pos {
            let mut s = steps.clone();
            s.push(key(f));
            if let Some(i) = i {
                s.push(Step::Index(i));
            }
            at(&s)
        };
        let Some(&(_, collection)) = COLLECTIONS.iter().find(|(n, _)| *n == c.for_each) else {
            let hint = crate::suggest::closest(&c.for_each, COLLECTIONS.iter().map(|(n, _)| *n))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            errors.push(error_at(
                path,
                text,
                field_pos("for_each", None),
                format!(
                    "unknown collection `{}`{hint}; one of: {}",
                    c.for_each,
                    COLLECTIONS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        };
        if collection == Collection::Matches && patterns.is_empty() {
            errors.push(error_at(
                path,
                text,
                field_pos("for_each", None),
                "`for_each: matches` needs `patterns` in the rule",
            ));
        }
        let scope = Scope {
            subject: collection.kind(),
            options: &option_types,
        };
        let mut slots = 1;
        let mut compile_at = |src: &str, pos: Pos, what: &str, want_bool: bool| -> Option<Expr> {
            match compile(src, &scope) {
                Ok((e, t, n)) => {
                    slots = slots.max(n);
                    if want_bool && !matches!(t, T::Bool | T::Any | T::Null) {
                        errors.push(error_at(
                            path,
                            text,
                            pos,
                            format!(
                                "{what} must be a condition (bool), not a {}",
                                describe_t(&t)
                            ),
                        ));
                        return None;
                    }
                    Some(e)
                }
                Err(e) => {
                    errors.push(error_at(
                        path,
                        text,
                        pos,
                        format!("{what}: {} (at `{}`)", e.message, snippet(src, e.offset)),
                    ));
                    None
                }
            }
        };
        let condition = compile_at(&c.condition, field_pos("where", None), "`where`", true);
        let at_srcs: Vec<(String, Pos)> = match &c.at {
            None => vec![],
            Some(OneOrMany::One(s)) => vec![(s.clone(), field_pos("at", None))],
            Some(OneOrMany::Many(v)) => v
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), field_pos("at", Some(i))))
                .collect(),
        };
        let at_exprs: Vec<Expr> = at_srcs
            .iter()
            .filter_map(|(s, p)| compile_at(s, *p, "`at`", false))
            .collect();
        let related = c
            .related
            .as_ref()
            .and_then(|s| compile_at(s, field_pos("related", None), "`related`", false));
        let one_per: Vec<Expr> = c
            .one_per
            .iter()
            .enumerate()
            .filter_map(|(i, s)| compile_at(s, field_pos("one_per", Some(i)), "`one_per`", false))
            .collect();
        let subject = c
            .subject
            .as_ref()
            .and_then(|s| compile_at(s, field_pos("subject", None), "`subject`", false));
        let message = compile_template(&c.message, &scope, None)
            .map_err(|m| {
                errors.push(error_at(
                    path,
                    text,
                    field_pos("message", None),
                    format!("`message`: {m}"),
                ))
            })
            .ok();
        let related_message = match &c.related_message {
            Some(t) => {
                // `item` is the related entity; its type is the element type of `related`.
                let elem = c
                    .related
                    .as_ref()
                    .and_then(|s| compile(s, &scope).ok())
                    .map(|(_, t, _)| match t {
                        T::List(e) => *e,
                        other => other,
                    })
                    .unwrap_or(T::Any);
                compile_template(t, &scope, Some(elem))
                    .map_err(|m| {
                        errors.push(error_at(
                            path,
                            text,
                            field_pos("related_message", None),
                            format!("`related_message`: {m}"),
                        ))
                    })
                    .ok()
            }
            None => None,
        };
        if let (Some(condition), Some(message)) = (condition, message) {
            if at_exprs.len() == at_srcs.len() {
                let mut check = Check {
                    collection,
                    condition,
                    at: at_exprs,
                    message,
                    related,
                    related_message,
                    one_per,
                    subject,
                    slots: slots + 1,
                    file_local: false,
                };
                check.file_local = check.reads_one_file();
                checks.push(check);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        name: file.name,
        severity: file.severity,
        category: file.category.unwrap_or_else(|| {
            if builtin {
                "structure".into()
            } else {
                "custom".into()
            }
        }),
        summary: file.summary,
        explanation: file.explanation,
        examples: file.examples,
        sources: file.sources,
        options,
        intrinsic: file.intrinsic,
        patterns,
        checks,
        origin: path.to_string(),
        builtin,
    })
}

fn describe_t(t: &T) -> String {
    format!("{t:?}").to_lowercase()
}

fn snippet(src: &str, offset: usize) -> String {
    let s: String = src.get(offset..).unwrap_or("").chars().take(24).collect();
    if s.is_empty() {
        "end".into()
    } else {
        s
    }
}

/// Compiles `text {expr} text` (`{{` and `}}` are literal braces). With `item`, the name `item`
/// is bound to the related entity.
fn compile_template(src: &str, scope: &Scope, item: Option<T>) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = src;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            text.push(tail.as_bytes()[0] as char);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err("unmatched `}` (write `}}` for a brace)".into());
        }
        let Some(close) = tail.find('}') else {
            return Err("unclosed `{`".into());
        };
        let inner = &tail[1..close];
        let compiled = match &item {
            Some(t) => expr::compile_with_item(inner, scope, t.clone()),
            None => compile(inner, scope).map(|(e, _, _)| e),
        };
        let e = compiled.map_err(|e| format!("{} (in `{{{inner}}}`)", e.message))?;
        if !text.is_empty() {
            parts.push(Part::Text(std::mem::take(&mut text)));
        }
        parts.push(Part::Expr(e));
        rest = &tail[close + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}
