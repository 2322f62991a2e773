//! Loading rule files: the file format, parsing and schema validation, the rule's options and
//! patterns, and the rule sets (the built-in rules, a folder of custom rules). Each check is
//! compiled by `check.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::check::compile_check;
use super::eval::OptVal;
use super::expr::T;
use super::{pattern, Examples, Rule, RuleOption, RuleSet};
use crate::data::{self, error_at, DataError};
use crate::finding::Severity;
use crate::schema::SchemaKind;
use crate::source::tree::{locate, Node, Step};
use crate::source::Pos;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionDecl {
    default: serde_json::Value,
    #[serde(default)]
    description: String,
    /// The smallest and largest value an integer option accepts (`INT_OPTION_RANGE` when
    /// not declared).
    #[serde(default)]
    minimum: Option<i64>,
    #[serde(default)]
    maximum: Option<i64>,
}

/// One check as the rule file writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckFile {
    pub for_each: String,
    #[serde(rename = "where")]
    pub condition: String,
    #[serde(default)]
    pub at: Option<OneOrMany>,
    pub message: String,
    #[serde(default)]
    pub related: Option<String>,
    #[serde(default)]
    pub related_message: Option<String>,
    #[serde(default)]
    pub one_per: Vec<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub each: Option<String>,
    #[serde(default)]
    pub fix: Option<FixFile>,
}

/// A check's fix as the rule file says it: one action on a located value, its
/// applicability and a message template.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FixFile {
    #[serde(default)]
    pub remove: Option<String>,
    #[serde(default)]
    pub append: Option<TargetItems>,
    #[serde(default)]
    pub replace: Option<TargetWith>,
    #[serde(default)]
    pub rename: Option<KeyTo>,
    pub applicability: crate::finding::Applicability,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetItems {
    pub to: String,
    pub items: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetWith {
    pub at: String,
    pub with: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyTo {
    pub key: String,
    pub to: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The rule file being loaded, for located errors.
pub(super) struct RuleText<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub tree: &'a Node<'a>,
}

impl RuleText<'_> {
    /// Where a route of the file starts (the document's start when the route is not there).
    pub fn pos(&self, steps: &[Step]) -> Pos {
        locate(self.tree, steps).map_or(self.tree.span.start, |l| l.node.span.start)
    }

    /// Whether [`RuleText::pos`] can find anything: not for a built-in rule compiled from its
    /// JSON form, whose tree is a bare `null` (every position is then the file's start).
    pub fn is_located(&self) -> bool {
        !matches!(self.tree.value, crate::source::Value::Null)
    }

    pub fn error(&self, pos: Pos, message: impl Into<String>) -> DataError {
        error_at(self.path, self.text, pos, message)
    }
}

fn key(k: &str) -> Step {
    Step::Key(k.into())
}

/// Loads and compiles one rule file.
pub fn load_rule(path: &str, text: &str, builtin: bool) -> Result<Rule, Vec<DataError>> {
    if builtin {
        if let Some(rule) = load_builtin_fast(path, text) {
            return Ok(rule);
        }
    }
    let tree = if builtin {
        data::load_embedded(path, text, SchemaKind::Rule)?
    } else {
        data::load(path, text, SchemaKind::Rule)?
    };
    let rule = RuleText {
        path,
        text,
        tree: &tree,
    };
    let file: RuleFile = serde_json::from_value(tree.to_json())
        .map_err(|e| vec![rule.error(tree.span.start, format!("invalid rule file: {e}"))])?;
    compile_rule(&rule, file, builtin)
}

/// A built-in rule read straight from its JSON form, without the located tree that only an
/// error message needs (building it was a third of a one-file run's rule loading); `None` on
/// any problem, for the located path to say where it is.
fn load_builtin_fast(path: &str, text: &str) -> Option<Rule> {
    let json = crate::data::builtin::json_form(path)?;
    let file: RuleFile = serde_json::from_str(json).ok()?;
    let unlocated = Node::new(crate::source::Value::Null, Default::default());
    let rule = RuleText {
        path,
        text,
        tree: &unlocated,
    };
    compile_rule(&rule, file, true).ok()
}

/// Compiles a rule file read as `file`.
fn compile_rule(rule: &RuleText, file: RuleFile, builtin: bool) -> Result<Rule, Vec<DataError>> {
    let mut errors = Vec::new();
    let (options, option_types) = options(rule, &file.options, &mut errors);
    let patterns = patterns(rule, &file.patterns, builtin, &mut errors);
    let checks: Vec<_> = check_files(rule, &file, &mut errors)
        .into_iter()
        .filter_map(|(steps, c)| {
            compile_check(rule, &steps, c, &option_types, &patterns, &mut errors)
        })
        .collect();
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
        origin: rule.path.to_string(),
        builtin,
    })
}

/// The declared options with their defaults, and their types for compiling expressions.
fn options(
    rule: &RuleText,
    decls: &BTreeMap<String, OptionDecl>,
    errors: &mut Vec<DataError>,
) -> (Vec<RuleOption>, Vec<(String, T)>) {
    let mut options = Vec::new();
    let mut option_types = Vec::new();
    for (name, decl) in decls {
        match opt_value(&decl.default) {
            Some((v, t)) => {
                let range = decl.minimum.unwrap_or(*INT_OPTION_RANGE.start())
                    ..=decl.maximum.unwrap_or(*INT_OPTION_RANGE.end());
                if let OptVal::Int(i) = v {
                    if !range.contains(&i) {
                        errors.push(rule.error(
                            rule.pos(&[key("options"), key(name), key("default")]),
                            format!("option `{name}`: the default {i} is outside its range, from {} to {}", range.start(), range.end()),
                        ));
                    }
                }
                options.push(RuleOption {
                    name: name.clone(),
                    default: v,
                    description: decl.description.clone(),
                    range,
                });
                option_types.push((name.clone(), t));
            }
            None => errors.push(rule.error(
                rule.pos(&[key("options"), key(name), key("default")]),
                format!("option `{name}`: the default must be an integer, a boolean, a string or a list of strings"),
            )),
        }
    }
    (options, option_types)
}

fn patterns(
    rule: &RuleText,
    sources: &BTreeMap<String, String>,
    builtin: bool,
    errors: &mut Vec<DataError>,
) -> Vec<pattern::Pattern> {
    let mut patterns = Vec::new();
    for (name, re) in sources {
        // Built-in patterns are compiled lazily (tests compile them); custom ones now, so that
        // an oversized regex is an invocation error rather than a surprise later.
        match pattern::Pattern::new(name, re, !builtin) {
            Ok(r) => patterns.push(r),
            Err(m) => errors.push(rule.error(
                rule.pos(&[key("patterns"), key(name)]),
                format!("pattern `{name}`: {m}"),
            )),
        }
    }
    patterns
}

/// The file's checks (`check`, then `checks`) with their routes; an intrinsic rule has none,
/// any other rule at least one.
fn check_files<'f>(
    rule: &RuleText,
    file: &'f RuleFile,
    errors: &mut Vec<DataError>,
) -> Vec<(Vec<Step>, &'f CheckFile)> {
    let mut check_files: Vec<(Vec<Step>, &CheckFile)> = Vec::new();
    if let Some(c) = &file.check {
        check_files.push((vec![key("check")], c));
    }
    for (i, c) in file.checks.iter().enumerate() {
        check_files.push((vec![key("checks"), Step::Index(i)], c));
    }
    let start = rule.tree.span.start;
    if file.intrinsic && !check_files.is_empty() {
        errors.push(rule.error(start, "an intrinsic rule has no checks"));
    }
    if !file.intrinsic && check_files.is_empty() {
        errors.push(rule.error(start, "a rule needs `check` (or `checks`)"));
    }
    check_files
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

/// The values an integer option accepts when its rule declares no `minimum` or `maximum`:
/// wide enough for any count of days or items, small enough that no arithmetic on it is near
/// the ends of 64 bits.
pub const INT_OPTION_RANGE: std::ops::RangeInclusive<i64> = -1_000_000_000..=1_000_000_000;

/// Converts a config value for an option, checking its type against the default's.
pub fn option_value_like(default: &OptVal, v: &serde_json::Value) -> Option<OptVal> {
    let (val, _) = opt_value(v)?;
    (std::mem::discriminant(&val) == std::mem::discriminant(default)).then_some(val)
}

impl RuleSet {
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

    /// Adds custom rules after the set's own, in the order they were read; a rule whose name
    /// the set has already (a built-in one, or one read before) is an error at its file's start.
    pub fn add_custom(&mut self, custom: CustomRules) -> Vec<DataError> {
        let mut errors = Vec::new();
        for (rule, path, text) in custom.0 {
            if self.rules.iter().any(|r| r.name == rule.name) {
                errors.push(error_at(
                    &path,
                    &text,
                    Pos::new(1, 1, 0),
                    format!(
                        "a rule named `{}` already exists; custom rules need their own names",
                        rule.name
                    ),
                ));
            } else {
                self.rules.push(rule);
            }
        }
        errors
    }
}

/// Custom rules read from their folders, not yet in a set: a run reads them while the
/// built-in rules compile on their own thread (both are most of a one-file run's set-up), and
/// [`RuleSet::add_custom`] adds them once those are there. Each rule keeps its file's path
/// and text, for the error of a name already taken.
#[derive(Default)]
pub struct CustomRules(Vec<(Rule, String, String)>);

impl CustomRules {
    /// Reads the rule files of a folder (sorted by file name). `confine`: the project's
    /// canonical root when the config names the folder (no file through a link outside it).
    pub fn read_dir(&mut self, dir: &Path, confine: Option<&Path>) -> Result<(), Vec<DataError>> {
        let yaml =
            |p: &Path| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
        let files = data::read_dir_files(dir, ("rules folder", "rule file"), yaml, confine)?;
        let mut errors = Vec::new();
        for (path, text) in files {
            match load_rule(&path, &text, false) {
                Ok(rule) => self.0.push((rule, path, text)),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in rule takes the fast path, and compiles to what the located path gives.
    #[test]
    fn built_in_rules_load_the_same_without_the_located_tree() {
        let files = crate::data::builtin::files("rules/")
            .filter(|(p, _)| crate::data::builtin::is_rule_file(p));
        let mut n = 0;
        for (path, text) in files {
            let fast = load_builtin_fast(path, text)
                .unwrap_or_else(|| panic!("{path}: the fast path failed"));
            let tree = data::load_embedded(path, text, SchemaKind::Rule).expect(path);
            let rule = RuleText {
                path,
                text,
                tree: &tree,
            };
            let file: RuleFile = serde_json::from_value(tree.to_json()).expect(path);
            let located = compile_rule(&rule, file, true).expect(path);
            assert_eq!(format!("{fast:?}"), format!("{located:?}"), "{path}");
            n += 1;
        }
        assert!(n > 40, "{n} built-in rules");
    }
}
