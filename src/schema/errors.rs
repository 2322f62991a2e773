//! Each validation error turned into a located diagnostic: one per offending node, at the right
//! place (an unknown key at that key, a missing key at the key of the mapping that lacks it, a
//! bad value at the value), in the words of `words.rs`.

use std::collections::{HashMap, HashSet};

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use serde_json::Value as Json;

use super::words::{
    describe, false_schema_reason, first_duplicate, id_kind, known_properties, merge_missing,
    shown_value, value_message,
};
use super::SchemaError;
use crate::source::pos::Span;
use crate::source::tree::{Entry, Located, Node, RouteIndex, Step};
use crate::suggest::closest;

/// The diagnostics of one document, and the values to flag `INVALID`.
#[derive(Default)]
pub(super) struct Diagnostics<'a> {
    pub out: Vec<SchemaError>,
    /// Routes of the values that break the schema.
    pub hide: Vec<Vec<Step>>,
    // Indexes keep this linear: a document may hold 100,000 unknown keys or mappings, or a
    // mapping 100,000 entries that each break the schema (the routes of their errors).
    seen_nodes: HashSet<(u32, u32, &'static str)>,
    missing_at: HashMap<(u32, u32), usize>,
    pub routes: RouteIndex<'a>,
}

/// The node a validation error is about.
struct Site<'a> {
    root: &'a Node<'a>,
    at: Located<'a>,
    steps: Vec<Step>,
    /// Words for where the node sits.
    context: String,
}

impl<'a> Diagnostics<'a> {
    /// Adds what one validation error says, unless its node is already flagged (a bad tag).
    /// `redactions`: the file's secret ranges, never quoted.
    pub fn add(
        &mut self,
        error: &ValidationError,
        root: &'a Node<'a>,
        (text, redactions): (&str, &[std::ops::Range<u32>]),
        schema: &Json,
    ) {
        let pointer = error.instance_path().to_string();
        let steps = self.routes.pointer_steps(root, &pointer);
        let Some(at) = self.routes.locate(root, &steps) else {
            return;
        };
        if at.node.is_invalid() {
            return;
        }
        let eval = error.evaluation_path().to_string();
        let context = describe(&steps);
        let site = Site {
            root,
            at,
            steps,
            context,
        };
        let (at, context) = (&site.at, &site.context);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                self.unknown_keys(&site, unexpected, known_properties(schema, &eval));
            }
            ValidationErrorKind::Required { property } => self.missing_key(&site, property),
            ValidationErrorKind::FalseSchema => self.key_not_allowed(&site),
            ValidationErrorKind::PropertyNames { error: inner } => {
                self.invalid_name(&site, inner.instance().as_str().unwrap_or(""));
            }
            ValidationErrorKind::MinProperties { limit } => {
                let found = at.node.as_map().map_or(0, <[_]>::len);
                let message = format!("{context} needs at least {limit} entries, found {found}");
                self.push(at.node.span, "count", message, site.steps.clone());
            }
            ValidationErrorKind::MinItems { limit } => {
                let found = at.node.as_seq().map_or(0, <[_]>::len);
                let s = if *limit == 1 { "" } else { "s" };
                let message = format!("{context} needs at least {limit} item{s}, found {found}");
                self.push(at.node.span, "count", message, site.steps.clone());
            }
            ValidationErrorKind::UniqueItems => self.duplicate_items(&site),
            ValidationErrorKind::OneOfNotValid { context: forms }
            | ValidationErrorKind::AnyOf { context: forms } => match meant_form(forms, &pointer) {
                // What is wrong is said by the one form the value's shape is meant for.
                Some(errors) => {
                    for e in errors {
                        self.add(e, root, (text, redactions), schema);
                    }
                }
                None => self.value_error(&site, error.kind(), (text, redactions), schema, &eval),
            },
            kind => self.value_error(&site, kind, (text, redactions), schema, &eval),
        }
    }

    /// A value that breaks a value keyword (type, enum, pattern, range, the forms of a
    /// `oneOf`, ...): one message at the value, which is hidden from the rules.
    fn value_error(
        &mut self,
        site: &Site<'a>,
        kind: &ValidationErrorKind,
        (text, redactions): (&str, &[std::ops::Range<u32>]),
        schema: &Json,
        eval: &str,
    ) {
        let node = site.at.node;
        let shown = shown_value(node, text, redactions);
        let message = value_message(kind, node, &shown, &site.context, schema, eval, &site.steps);
        self.push(node.span, "value", message, site.steps.clone());
        self.hide.push(site.steps.clone());
    }

    /// One diagnostic per node and class of problem.
    fn push(&mut self, span: Span, class: &'static str, message: String, route: Vec<Step>) {
        if !self
            .seen_nodes
            .insert((span.start.offset, span.end.offset, class))
        {
            return;
        }
        self.out.push(SchemaError {
            span,
            message,
            route,
            rename: None,
        });
    }

    /// Keys the schema does not know, each at its first entry (duplicates are reported on
    /// their own), with the closest known key.
    fn unknown_keys(&mut self, site: &Site, unexpected: &[String], known: Vec<String>) {
        let mut entries: HashMap<&str, &Entry> = HashMap::new();
        for e in site.at.node.as_map().unwrap_or(&[]) {
            entries.entry(&*e.key).or_insert(e);
        }
        for key in unexpected {
            let Some(entry) = entries.get(key.as_str()) else {
                continue;
            };
            let mut message = format!("unknown key `{key}` in {}", site.context);
            if let Some(s) = closest(key, known.iter().map(String::as_str)) {
                message.push_str(&format!(" (did you mean `{s}`?)"));
            }
            let mut route = site.steps.clone();
            route.push(Step::Key(key.as_str().into()));
            let before = self.out.len();
            self.push(entry.key_span, "key", message, route);
            let near: Vec<&String> = known
                .iter()
                .filter(|k| strsim::damerau_levenshtein(key, k) <= 2)
                .collect();
            if let (true, [only]) = (self.out.len() > before, near.as_slice()) {
                // Only a key a schema names, never text from the file: safe to write back.
                if !entry.value.via_alias() {
                    self.out.last_mut().expect("just pushed").rename = Some((*only).clone());
                }
            }
        }
    }

    /// A missing key, at the key of the mapping that lacks it; several missing keys of one
    /// mapping make one diagnostic.
    fn missing_key(&mut self, site: &Site, property: &Json) {
        let name = property.as_str().unwrap_or("?").to_string();
        // For the top-level mapping, "the key of the mapping" is the `kind:` key.
        let span = if site.steps.is_empty() {
            site.root
                .entry("kind")
                .map_or(site.at.key_of_mapping(), |e| e.key_span)
        } else {
            site.at.key_of_mapping()
        };
        let at_span = (span.start.offset, span.end.offset);
        if let Some(&prev) = self.missing_at.get(&at_span) {
            self.out[prev].message = merge_missing(&self.out[prev].message, &name, &site.context);
            return;
        }
        self.missing_at.insert(at_span, self.out.len());
        let message = format!("missing required key `{name}` in {}", site.context);
        self.push(span, "required", message, site.steps.clone());
    }

    /// A key the schema forbids where it is (`false`), at the key.
    fn key_not_allowed(&mut self, site: &Site<'a>) {
        let (at, steps) = (&site.at, &site.steps);
        let key = at.key.unwrap_or("?").to_string();
        let span = at.key_span.unwrap_or(at.node.span);
        let within = describe(&steps[..steps.len().saturating_sub(1)]);
        let parent = self
            .routes
            .locate(site.root, &steps[..steps.len().saturating_sub(1)]);
        let why = false_schema_reason(parent.map(|p| p.node), &key);
        let message = format!("key `{key}` is not allowed in {within}{why}");
        self.push(span, "key", message, steps.clone());
    }

    /// A key that is not a valid name (an id, a rule name), at the key.
    fn invalid_name(&mut self, site: &Site<'a>, bad: &str) {
        let Some(map) = site.at.node.as_map() else {
            return;
        };
        let Some(entry) = self.routes.entry(site.at.node, map, bad).map(|i| &map[i]) else {
            return;
        };
        let what = id_kind(&site.steps);
        let mut route = site.steps.clone();
        route.push(Step::Key(bad.into()));
        self.push(entry.key_span, "key", format!("`{bad}` is not a valid {what}: use lower-case letters, digits, `-` and `_`, starting with a letter or digit"), route);
    }

    /// A list with a repeated item, at the first repeat.
    fn duplicate_items(&mut self, site: &Site) {
        let (span, message) = match first_duplicate(site.at.node) {
            Some((node, text)) => (
                node.span,
                format!("{} lists `{text}` more than once", site.context),
            ),
            None => (
                site.at.node.span,
                format!("{} has duplicate items", site.context),
            ),
        };
        self.push(span, "unique", message, site.steps.clone());
    }
}

/// The form of a `oneOf` or `anyOf` that a value is meant for: the only one that accepts its
/// shape (no `type` or `const` refusal at the value itself), such as the list form of
/// `resources` for a list with a duplicate. `None` when no form or several do (the value is
/// another shape, or the forms differ only in their keys): the message then names the forms.
fn meant_form<'e>(
    forms: &'e [Vec<ValidationError<'static>>],
    pointer: &str,
) -> Option<&'e [ValidationError<'static>]> {
    let refuses_shape = |e: &ValidationError| {
        matches!(
            e.kind(),
            ValidationErrorKind::Type { .. } | ValidationErrorKind::Constant { .. }
        ) && e.instance_path().to_string() == pointer
    };
    let mut fitting = forms
        .iter()
        .filter(|errors| !errors.iter().any(refuses_shape));
    let form = fitting.next()?;
    (fitting.next().is_none() && !form.is_empty()).then_some(form.as_slice())
}
