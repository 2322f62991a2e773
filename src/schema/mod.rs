//! The JSON Schemas: embedded in the binary, validated with the `jsonschema` crate (no network,
//! linear-time `regex` engine), and every error turned into a located message in plain words.
//!
//! Invariant: one diagnostic per offending node (the innermost), at the node; a missing key at
//! the key of the mapping that lacks it; an unknown key at that key. Nodes whose value breaks the
//! schema are flagged `INVALID` in the tree, which hides them from the rules.

pub mod tree;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use serde_json::Value as Json;

use crate::source::pos::Span;
use crate::source::tree::{locate, pointer_steps, Entry, Node, Step, Value, INVALID};
use crate::suggest::closest;

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
/// loading the rules and catalog instead of delaying the first file.
pub fn warm_up_in_background() {
    // If the thread cannot start, the first file compiles what it needs itself.
    let _ = std::thread::Builder::new()
        .name("schema-warm-up".into())
        .spawn(|| {
            compiled(SchemaKind::Integration);
            compiled(SchemaKind::ServiceAccounts);
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
}

/// Validates a document against a schema, flags the offending nodes `INVALID`, and returns the
/// located errors. Nodes already flagged (bad tags) are not reported twice.
pub fn validate(kind: SchemaKind, root: &mut Node, text: &str) -> Vec<SchemaError> {
    let c = compiled(kind);
    use crate::schema::tree::TreeRef;
    if c.validator.is_valid(TreeRef::Node(root)) {
        return Vec::new();
    }
    let mut out: Vec<SchemaError> = Vec::new();
    let mut hide: Vec<Vec<Step>> = Vec::new();
    // Indexes keep this linear: a document may hold 100,000 unknown keys or mappings.
    let mut seen_nodes: HashSet<(u32, u32, &'static str)> = HashSet::new();
    let mut missing_at: HashMap<(u32, u32), usize> = HashMap::new();
    // Errors borrow the tree; collect what they say, then flag the offending nodes.
    let root_ro: &Node = root;
    for error in c.validator.iter_errors(TreeRef::Node(root_ro)) {
        let pointer = error.instance_path().to_string();
        let steps = pointer_steps(root, &pointer);
        let Some(at) = locate(root, &steps) else {
            continue;
        };
        if at.node.is_invalid() {
            continue;
        }
        let eval = error.evaluation_path().to_string();
        let context = describe(&steps);
        let mut push = |out: &mut Vec<SchemaError>,
                        span: Span,
                        class: &'static str,
                        message: String,
                        route: Vec<Step>| {
            if !seen_nodes.insert((span.start.offset, span.end.offset, class)) {
                return;
            }
            out.push(SchemaError {
                span,
                message,
                route,
            });
        };
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let known = known_properties(&c.schema, &eval);
                // The first entry of each key (duplicates are reported on their own).
                let mut entries: HashMap<&str, &Entry> = HashMap::new();
                for e in at.node.as_map().unwrap_or(&[]) {
                    entries.entry(&*e.key).or_insert(e);
                }
                for key in unexpected {
                    let Some(entry) = entries.get(key.as_str()) else {
                        continue;
                    };
                    let mut message = format!("unknown key `{key}` in {context}");
                    if let Some(s) = closest(key, known.iter().map(String::as_str)) {
                        message.push_str(&format!(" (did you mean `{s}`?)"));
                    }
                    let mut route = steps.clone();
                    route.push(Step::Key(key.as_str().into()));
                    push(&mut out, entry.key_span, "key", message, route);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("?").to_string();
                // For the top-level mapping, "the key of the mapping" is the `kind:` key.
                let span = if steps.is_empty() {
                    root.entry("kind")
                        .map_or(at.key_of_mapping(), |e| e.key_span)
                } else {
                    at.key_of_mapping()
                };
                // Several missing keys of one mapping make one diagnostic.
                let at_span = (span.start.offset, span.end.offset);
                if let Some(&prev) = missing_at.get(&at_span) {
                    out[prev].message = merge_missing(&out[prev].message, &name, &context);
                    continue;
                }
                missing_at.insert(at_span, out.len());
                push(
                    &mut out,
                    span,
                    "required",
                    format!("missing required key `{name}` in {context}"),
                    steps.clone(),
                );
            }
            ValidationErrorKind::FalseSchema => {
                let key = at.key.unwrap_or("?").to_string();
                let span = at.key_span.unwrap_or(at.node.span);
                let parent = describe(&steps[..steps.len().saturating_sub(1)]);
                let why = false_schema_reason(root, &steps, &key);
                push(
                    &mut out,
                    span,
                    "key",
                    format!("key `{key}` is not allowed in {parent}{why}"),
                    steps.clone(),
                );
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                let bad = inner.instance().as_str().unwrap_or("").to_string();
                if let Some(entry) = at
                    .node
                    .as_map()
                    .and_then(|m| m.iter().find(|e| *e.key == *bad))
                {
                    let what = id_kind(&steps);
                    let mut route = steps.clone();
                    route.push(Step::Key(bad.as_str().into()));
                    push(&mut out, entry.key_span, "key", format!("`{bad}` is not a valid {what}: use lower-case letters, digits, `-` and `_`, starting with a letter or digit"), route);
                }
            }
            ValidationErrorKind::MinProperties { limit } => {
                let span = at.node.span;
                push(
                    &mut out,
                    span,
                    "count",
                    format!(
                        "{context} needs at least {limit} entries, found {}",
                        at.node.as_map().map_or(0, <[_]>::len)
                    ),
                    steps.clone(),
                );
            }
            ValidationErrorKind::MinItems { limit } => {
                let span = at.node.span;
                let found = at.node.as_seq().map_or(0, <[_]>::len);
                push(
                    &mut out,
                    span,
                    "count",
                    format!(
                        "{context} needs at least {limit} item{}, found {found}",
                        if *limit == 1 { "" } else { "s" }
                    ),
                    steps.clone(),
                );
            }
            ValidationErrorKind::UniqueItems => {
                let dup = first_duplicate(at.node);
                let (span, message) = match dup {
                    Some((node, text)) => (
                        node.span,
                        format!("{context} lists `{text}` more than once"),
                    ),
                    None => (at.node.span, format!("{context} has duplicate items")),
                };
                push(&mut out, span, "unique", message, steps.clone());
            }
            kind => {
                let message =
                    value_message(kind, at.node, text, &context, &c.schema, &eval, &steps);
                push(&mut out, at.node.span, "value", message, steps.clone());
                hide.push(steps.clone());
            }
        }
    }
    for route in hide {
        if let Some(node) = locate_mut(root, &route) {
            node.flags |= INVALID;
        }
    }
    out
}

fn merge_missing(prev: &str, name: &str, context: &str) -> String {
    // The context may itself hold backquoted names: only the part before " in " lists keys.
    let head = prev.split(" in ").next().unwrap_or(prev);
    let mut names: Vec<&str> = head
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    names.push(name);
    let list = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("missing required keys {list} in {context}")
}

fn locate_mut<'a, 't>(root: &'a mut Node<'t>, steps: &[Step]) -> Option<&'a mut Node<'t>> {
    let mut node = root;
    for step in steps {
        node = match (step, &mut node.value) {
            (Step::Key(k), Value::Map(entries)) => {
                &mut entries.iter_mut().find(|e| *e.key == **k)?.value
            }
            (Step::Index(i), Value::Seq(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Words for where a node sits, e.g. "the credential of connection `jira`".
pub fn describe(steps: &[Step]) -> String {
    let key = |i: usize| match steps.get(i) {
        Some(Step::Key(k)) => Some(&**k),
        _ => None,
    };
    let index = |i: usize| match steps.get(i) {
        Some(Step::Index(n)) => Some(*n),
        _ => None,
    };
    match (key(0), steps.len()) {
        (None, 0) => return "the document".into(),
        (Some("connections"), 1) => return "`connections`".into(),
        (Some("accounts"), 1) => return "`accounts`".into(),
        (Some("flows"), 1) => return "`flows`".into(),
        (Some("metadata"), 1) => return "`metadata`".into(),
        (Some("rules"), 1) => return "`rules`".into(),
        _ => {}
    }
    let base = match (key(0), key(1), index(1)) {
        (Some("connections"), Some(id), _) => Some((format!("connection `{id}`"), 2)),
        (Some("accounts"), Some(id), _) => Some((format!("account `{id}`"), 2)),
        (Some("flows"), _, Some(n)) => Some((format!("flow {}", n + 1), 2)),
        (Some("rules"), Some(name), _) => Some((format!("the settings of rule `{name}`"), 2)),
        (Some("per_path"), _, Some(n)) => Some((format!("`per_path` entry {}", n + 1), 2)),
        _ => None,
    };
    let Some((base, used)) = base else {
        return format!("`{}`", dotted(steps));
    };
    let rest = &steps[used..];
    match rest {
        [] => base,
        [Step::Key(k)] if &**k == "credential" => format!("the credential of {base}"),
        [Step::Key(k)] if &**k == "account" => format!("the inline account of {base}"),
        [Step::Key(a), Step::Key(b)] if &**a == "credential" && &**b == "rotation" => {
            format!("the rotation of {base}")
        }
        _ => format!("`{}` of {base}", dotted(rest)),
    }
}

fn dotted(steps: &[Step]) -> String {
    let mut s = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn id_kind(steps: &[Step]) -> &'static str {
    match steps.last() {
        Some(Step::Key(k)) if &**k == "connections" => "connection id",
        Some(Step::Key(k)) if &**k == "accounts" => "account id",
        Some(Step::Key(k)) if &**k == "rules" => "rule name",
        _ => "key",
    }
}

fn false_schema_reason(root: &Node, steps: &[Step], key: &str) -> String {
    let parent = locate(root, &steps[..steps.len().saturating_sub(1)]);
    let ty = parent
        .and_then(|p| p.node.get("type"))
        .and_then(Node::as_str);
    match (key, ty) {
        ("secret", Some(t)) => format!(": a `{t}` credential uses `private_key`, not `secret`"),
        ("private_key", Some(t)) => {
            format!(": only `app-installation` credentials use `private_key`, not `{t}`")
        }
        _ => String::new(),
    }
}

/// The property names a schema object declares, found by following the evaluation path.
fn known_properties(schema: &Json, eval_path: &str) -> Vec<String> {
    let parent = eval_path.rsplit_once('/').map_or("", |(p, _)| p);
    schema_at(schema, parent)
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|o| o.keys().filter(|k| !k.starts_with('$')).cloned().collect())
        .unwrap_or_default()
}

/// Follows an evaluation path (a JSON pointer through keywords, `$ref` segments included).
fn schema_at<'a>(root: &'a Json, path: &str) -> Option<&'a Json> {
    let mut node = root;
    for raw in path.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        if seg == "$ref" {
            let target = node.get("$ref")?.as_str()?;
            let pointer = target.strip_prefix('#')?;
            node = root.pointer(pointer)?;
            continue;
        }
        node = match node {
            Json::Object(o) => o.get(&seg)?,
            Json::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn first_duplicate<'a>(node: &'a Node<'a>) -> Option<(&'a Node<'a>, String)> {
    let items = node.as_seq()?;
    for (i, item) in items.iter().enumerate() {
        let text = item.to_json().to_string();
        if items[..i].iter().any(|p| p.to_json() == item.to_json()) {
            let shown = item.as_str().map(str::to_string).unwrap_or(text);
            return Some((item, shown));
        }
    }
    None
}

/// A value as the message quotes it; numbers as written in the file, since a number beyond
/// 64 bits is held rounded.
fn shown_value(node: &Node, text: &str) -> String {
    let written = text
        .get(node.span.byte_range())
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 40 && !t.contains(['\n', '\r', '`']));
    match (&node.value, written) {
        (Value::Int(_) | Value::Float(_), Some(w)) => format!("`{w}`"),
        (Value::Str(s), _) => {
            let s: String = s.chars().take(60).collect();
            format!("`{s}`")
        }
        (Value::Int(i), None) => format!("`{i}`"),
        (Value::Float(f), None) => format!("`{f}`"),
        (Value::Bool(b), _) => format!("`{b}`"),
        (Value::Null, _) => "null".into(),
        _ => node.type_name().into(),
    }
}

fn leaf_name(steps: &[Step], context: &str) -> String {
    match steps.last() {
        Some(Step::Key(k)) => {
            let parent = describe(&steps[..steps.len() - 1]);
            format!("`{k}` in {parent}")
        }
        Some(Step::Index(i)) => {
            let parent = describe(&steps[..steps.len() - 1]);
            format!("item {} of {parent}", i + 1)
        }
        None => context.to_string(),
    }
}

fn value_message(
    kind: &ValidationErrorKind,
    node: &Node,
    text: &str,
    context: &str,
    schema: &Json,
    eval: &str,
    steps: &[Step],
) -> String {
    let what = leaf_name(steps, context);
    let shown = shown_value(node, text);
    match kind {
        ValidationErrorKind::Type { .. } => {
            let expected = schema_at(schema, eval)
                .map(type_words)
                .unwrap_or_else(|| "another type".into());
            let mut m = format!("{what} must be {expected}, not {}", node.type_name());
            if matches!(node.value, Value::Int(_) | Value::Float(_)) {
                m.push_str(&format!(" ({shown})"));
                let digits = shown.trim_matches('`').trim_start_matches(['-', '+']);
                if matches!(node.value, Value::Float(_))
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
                {
                    m.push_str(", too large for a 64-bit integer");
                }
            }
            m
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<&str> = options
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            let mut m = format!(
                "{shown} is not a valid value for {what}; expected one of {}",
                opts.iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(s) = node.as_str().and_then(|v| closest(v, opts.iter().copied())) {
                m.push_str(&format!(" (did you mean `{s}`?)"));
            }
            m
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!(
                "{what} must be `{}`, not {shown}",
                expected_value
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| expected_value.to_string())
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            if pattern.contains("[0-9]{4}-") {
                format!("{shown} in {what} is not a date; write YYYY-MM-DD")
            } else if pattern.starts_with("^[a-z0-9]") {
                format!("{shown} in {what} is not a valid identifier: use lower-case letters, digits, `-` and `_`, starting with a letter or digit")
            } else {
                format!("{shown} in {what} does not match the pattern `{pattern}`")
            }
        }
        ValidationErrorKind::Format { format } if format == "date" => {
            format!("{shown} in {what} is not a real date")
        }
        ValidationErrorKind::Format { format } => {
            format!("{shown} in {what} is not a valid {format}")
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("{shown} is too small for {what} (minimum {limit})")
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("{shown} is too large for {what} (maximum {limit})")
        }
        ValidationErrorKind::MinLength { .. } => format!("{what} must not be empty"),
        ValidationErrorKind::MaxLength { limit } => {
            format!("{what} is longer than {limit} characters")
        }
        ValidationErrorKind::MaxItems { limit } => format!("{what} has more than {limit} items"),
        other => format!("{what} is not valid here ({})", keyword_name(other)),
    }
}

fn keyword_name(kind: &ValidationErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("schema")
        .to_string()
}

fn type_words(ty: &Json) -> String {
    let one = |t: &str| match t {
        "string" => "a string",
        "object" => "a mapping",
        "array" => "a list",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        "null" => "null",
        _ => "a value",
    };
    match ty {
        Json::String(t) => one(t).into(),
        Json::Array(ts) => ts
            .iter()
            .filter_map(Json::as_str)
            .map(one)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".into(),
    }
}
