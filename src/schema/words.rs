//! The plain words of schema messages: where a node sits ("the credential of connection
//! `jira`"), how a value is quoted, what each keyword asked for, and the schema facts a message
//! names (the known keys of a mapping, the expected type).

use jsonschema::error::ValidationErrorKind;
use serde_json::Value as Json;

use crate::source::tree::{Node, Step, Value};
use crate::suggest::closest;

/// The message for one more missing key of a mapping whose earlier ones `prev` lists.
pub(super) fn merge_missing(prev: &str, name: &str, context: &str) -> String {
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

/// What the keys of the mapping at `steps` name, for a key that is not a valid name.
pub(super) fn id_kind(steps: &[Step]) -> &'static str {
    match steps.last() {
        Some(Step::Key(k)) if &**k == "connections" => "connection id",
        Some(Step::Key(k)) if &**k == "accounts" => "account id",
        Some(Step::Key(k)) if &**k == "rules" => "rule name",
        _ => "key",
    }
}

/// Why a key is not allowed where it is (in mapping `parent`), when the credential's `type`
/// says.
pub(super) fn false_schema_reason(parent: Option<&Node>, key: &str) -> String {
    let ty = parent.and_then(|p| p.get("type")).and_then(Node::as_str);
    match (key, ty) {
        ("secret", Some(t)) => format!(": a `{t}` credential uses `private_key`, not `secret`"),
        ("private_key", Some(t)) => {
            format!(": only `app-installation` credentials use `private_key`, not `{t}`")
        }
        _ => String::new(),
    }
}

/// The property names a schema object declares, found by following the evaluation path.
pub(super) fn known_properties(schema: &Json, eval_path: &str) -> Vec<String> {
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
            node = ref_target(root, node)?;
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

/// The first item of a list that repeats an earlier one, and how the message shows it.
pub(super) fn first_duplicate<'a>(node: &'a Node<'a>) -> Option<(&'a Node<'a>, String)> {
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
/// 64 bits is held rounded; `****` for a value in a secret range (a literal `secret` of any
/// type, a credential-pattern match: a rounded number would still print part of it).
pub(super) fn shown_value(node: &Node, text: &str, redactions: &[std::ops::Range<u32>]) -> String {
    if crate::secrets::overlaps(redactions, node.span.start.offset, node.span.end.offset) {
        return "`****`".into();
    }
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

/// What a message calls the offending node: a key of its parent, an item of a list, or (the
/// document itself) the context.
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

/// The message for a string that a `pattern` refuses.
fn pattern_message(pattern: &str, node: &Node, shown: &str, what: &str) -> String {
    if pattern.contains("[0-9]{4}-") {
        // The shape is right and the pattern still refuses it: a day that never is.
        let shaped = node.as_str().is_some_and(|s| {
            s.len() == 10
                && s.bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                })
        });
        match shaped {
            true => format!("{shown} in {what} is not a real date"),
            false => format!("{shown} in {what} is not a date; write YYYY-MM-DD"),
        }
    } else if pattern.starts_with("^[a-z0-9]") {
        format!("{shown} in {what} is not a valid identifier: use lower-case letters, digits, `-` and `_`, starting with a letter or digit")
    } else {
        format!("{shown} in {what} does not match the pattern `{pattern}`")
    }
}

/// The message for a value that breaks a value keyword (type, enum, pattern, range, ...).
pub(super) fn value_message(
    kind: &ValidationErrorKind,
    node: &Node,
    shown: &str,
    context: &str,
    schema: &Json,
    eval: &str,
    steps: &[Step],
) -> String {
    let what = leaf_name(steps, context);
    match kind {
        ValidationErrorKind::Type { .. } => type_message(node, &what, shown, schema, eval),
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
        ValidationErrorKind::Pattern { pattern } => pattern_message(pattern, node, shown, &what),
        // A pattern of ours checked natively (`native.rs`): the pattern's words.
        ValidationErrorKind::Format { format } if super::native::pattern_of(format).is_some() => {
            let pattern = super::native::pattern_of(format).unwrap_or_default();
            pattern_message(pattern, node, shown, &what)
        }
        ValidationErrorKind::Format { format } if format == super::native::REAL_DATE_FORMAT => {
            match super::native::date_refusal(node.as_str().unwrap_or_default()) {
                Some(pattern) => pattern_message(pattern, node, shown, &what),
                None => format!("{shown} in {what} is not a real date"),
            }
        }
        ValidationErrorKind::Format { format } if format == "date" => {
            format!("{shown} in {what} is not a real date")
        }
        ValidationErrorKind::Format { format } => {
            format!("{shown} in {what} is not a valid {format}")
        }
        ValidationErrorKind::Minimum { limit } => {
            range_message(true, &limit.to_string(), shown, &what, schema, eval)
        }
        ValidationErrorKind::Maximum { limit } => {
            range_message(false, &limit.to_string(), shown, &what, schema, eval)
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("{shown} is too small for {what} (minimum {limit})")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("{shown} is too large for {what} (maximum {limit})")
        }
        ValidationErrorKind::MinLength { .. } => format!("{what} must not be empty"),
        ValidationErrorKind::MaxLength { limit } => {
            format!("{what} is longer than {limit} characters")
        }
        ValidationErrorKind::MaxItems { limit } => format!("{what} has more than {limit} items"),
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            alternatives_message(false, shown, (&what, context), schema, eval)
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            alternatives_message(true, shown, (&what, context), schema, eval)
        }
        // A keyword the embedded schemas do not use where a value can break it: the keyword
        // (as the schema writes it) says which rule the value breaks.
        other => format!("{what} breaks the schema's `{}` here", other.keyword()),
    }
}

/// A value of another type than the schema's; a number says its value, and an integer
/// beyond 64 bits (held as a float) says so.
/// A number out of its range: the message names the whole range when the schema bounds both
/// ends (the sibling keyword of the one that failed).
fn range_message(
    small: bool,
    limit: &str,
    shown: &str,
    what: &str,
    schema: &Json,
    eval: &str,
) -> String {
    let parent = eval.rsplit_once('/').map_or("", |(p, _)| p);
    let bounds = schema_at(schema, parent);
    let bound = |k: &str| bounds.and_then(|b| b.get(k)).map(Json::to_string);
    let side = if small { "small" } else { "large" };
    match (bound("minimum"), bound("maximum")) {
        (Some(min), Some(max)) if names_whole_range(schema) => {
            format!("{shown} is too {side} for {what}: it must be from {min} to {max}")
        }
        _ if small => format!("{shown} is too small for {what} (minimum {limit})"),
        _ => format!("{shown} is too large for {what} (maximum {limit})"),
    }
}

/// Whether a range message names the whole range. A `schema-violation` in a linted file takes
/// its message as its baseline subject, so the wording for integrations and service accounts
/// stays as users' baselines hold it; our own files (config, rules, systems) get the range.
fn names_whole_range(schema: &Json) -> bool {
    let id = schema.get("$id").and_then(Json::as_str).unwrap_or("");
    !(id.ends_with("/integration.schema.json") || id.ends_with("/service-accounts.schema.json"))
}

fn type_message(node: &Node, what: &str, shown: &str, schema: &Json, eval: &str) -> String {
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

/// The message for a value that fits none of the forms a `oneOf` or `anyOf` allows (or, with
/// `several`, more than one of a `oneOf`'s), each form in words: "`resources` in account `a`
/// must be `*` or a list, not 5". A value whose shape one form is meant for never comes here:
/// that form's own errors say what is wrong (`errors.rs`, `meant_form`).
fn alternatives_message(
    several: bool,
    shown: &str,
    (what, context): (&str, &str),
    schema: &Json,
    eval: &str,
) -> String {
    let forms: Vec<&Json> = schema_at(schema, eval)
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|f| ref_target(schema, f).unwrap_or(f))
                .collect()
        })
        .unwrap_or_default();
    // Forms that each require one key (a fix's action): exactly one of them.
    let keys: Option<Vec<&str>> = forms.iter().map(|f| only_required_key(f)).collect();
    if let Some(keys) = keys.filter(|k| !k.is_empty()) {
        let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        return format!(
            "{context} needs exactly one of the keys {}",
            keys.join(", ")
        );
    }
    let mut words: Vec<String> = Vec::new();
    for form in forms {
        let w = form_words(form);
        if !words.contains(&w) {
            words.push(w);
        }
    }
    let forms = match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "another form".into(),
    };
    match several {
        false => format!("{what} must be {forms}, not {shown}"),
        true => format!("{what} fits more than one of {forms}"),
    }
}

/// What a subschema's `$ref` designates (local references only: the embedded schemas have no
/// other).
fn ref_target<'a>(root: &'a Json, node: &Json) -> Option<&'a Json> {
    let pointer = node.get("$ref")?.as_str()?.strip_prefix('#')?;
    root.pointer(pointer)
}

/// The key a form requires when requiring it is all the form says (`{required: [remove]}`).
fn only_required_key(form: &Json) -> Option<&str> {
    let map = form.as_object()?;
    let [key] = map.get("required")?.as_array()?.as_slice() else {
        return None;
    };
    (map.len() == 1).then_some(key.as_str()?)
}

/// One form of a `oneOf` or `anyOf` in words: its constant, its values, its pattern or its type.
fn form_words(form: &Json) -> String {
    let code = |v: &Json| {
        format!(
            "`{}`",
            v.as_str().map_or_else(|| v.to_string(), str::to_string)
        )
    };
    if let Some(c) = form.get("const") {
        return code(c);
    }
    if let Some(values) = form.get("enum").and_then(Json::as_array) {
        let values: Vec<String> = values.iter().map(code).collect();
        return format!("one of {}", values.join(", "));
    }
    let pattern = (form.get("pattern").and_then(Json::as_str)).or_else(|| {
        form.get("format")
            .and_then(Json::as_str)
            .and_then(super::native::pattern_of)
    });
    match (pattern, form.get("type")) {
        (Some(p), _) => format!("a string matching `{p}`"),
        (None, Some(ty)) => type_words(ty),
        (None, None) => "another form".into(),
    }
}
