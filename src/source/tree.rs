//! The spanned document tree shared by YAML and JSON.
//!
//! Every node, mapping key and sequence item knows its exact span. Duplicate keys, tags outside
//! the core schema, complex keys and bad merges are not errors of the tree: they are recorded as
//! [`Problem`]s on the document, so the schema stage can report them as findings (and only for
//! documents that are ours).

use std::borrow::Cow;

use super::pos::{Pos, Span};

/// Node flags.
pub const VIA_ALIAS: u8 = 1;
/// The node broke the data model (a tag outside the core schema, a bad merge): it is reported
/// once and hidden from the rules.
pub const INVALID: u8 = 2;

#[derive(Clone, Debug)]
pub struct Node<'t> {
    pub value: Value<'t>,
    pub span: Span,
    pub flags: u8,
}

#[derive(Clone, Debug)]
pub enum Value<'t> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Borrowed from the text when the source spells the value as is (most scalars).
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    Map(Vec<Entry<'t>>),
}

#[derive(Clone, Debug)]
pub struct Entry<'t> {
    pub key: Cow<'t, str>,
    pub key_span: Span,
    pub value: Node<'t>,
}

/// A structural problem found while building the tree.
#[derive(Clone, Debug)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A later occurrence of a key already in the mapping.
    DuplicateKey,
    /// Reported as a `schema-violation` (tags, complex keys, merges).
    Schema,
}

/// One document of a stream.
#[derive(Clone, Debug)]
pub struct Document<'t> {
    pub root: Node<'t>,
    pub problems: Vec<Problem>,
    /// The later occurrences of duplicate keys, which the tree drops: hidden from the rules,
    /// kept so that redaction sees their values (a second `secret:` is still a secret).
    pub dropped: Vec<Entry<'t>>,
    /// YAML tags whose meaning differs from how they are written (percent escapes, `%TAG`
    /// handles): the written span and the resolved tag, for redaction.
    pub decoded_tags: Vec<(Span, String)>,
}

/// A comment with its span (from `#` to the end of the line, line break excluded).
#[derive(Clone, Debug)]
pub struct Comment {
    pub span: Span,
    /// The text after `#`.
    pub text: Box<str>,
}

/// A parsed file: its documents and, when asked for, its comments.
#[derive(Clone, Debug, Default)]
pub struct ParsedFile<'t> {
    pub documents: Vec<Document<'t>>,
    pub comments: Vec<Comment>,
}

/// The first error a parser reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

impl<'t> Node<'t> {
    pub fn new(value: Value<'t>, span: Span) -> Node<'t> {
        Node {
            value,
            span,
            flags: 0,
        }
    }

    pub fn is_invalid(&self) -> bool {
        self.flags & INVALID != 0
    }

    pub fn via_alias(&self) -> bool {
        self.flags & VIA_ALIAS != 0
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry<'t>]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'t>]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The entry of a mapping with this key.
    pub fn entry(&self, key: &str) -> Option<&Entry<'t>> {
        self.as_map()?.iter().find(|e| &*e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.entry(key).map(|e| &e.value)
    }

    /// A short name of the node's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Number of nodes in this subtree (the alias-expansion budget counts these).
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(entries) => entries.iter().map(|e| e.value.count()).sum(),
            _ => 0,
        }
    }

    /// Depth of this subtree (a scalar is 1).
    pub fn height(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::height).max().unwrap_or(0),
            Value::Map(entries) => entries.iter().map(|e| e.value.height()).max().unwrap_or(0),
            _ => 0,
        }
    }

    pub fn set_flag_deep(&mut self, flag: u8) {
        self.flags |= flag;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.set_flag_deep(flag)),
            Value::Map(entries) => entries.iter_mut().for_each(|e| e.value.set_flag_deep(flag)),
            _ => {}
        }
    }

    /// A copy that owns its strings (for trees kept beyond their text: the config's).
    pub fn into_owned(self) -> Node<'static> {
        let value = match self.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Seq(items) => Value::Seq(items.into_iter().map(Node::into_owned).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|e| Entry {
                        key: Cow::Owned(e.key.into_owned()),
                        key_span: e.key_span,
                        value: e.value.into_owned(),
                    })
                    .collect(),
            ),
        };
        Node {
            value,
            span: self.span,
            flags: self.flags,
        }
    }

    /// Converts to JSON for schema validation. Non-finite floats become strings so that the
    /// validator reports a type error; messages name the tree's own type, not JSON's.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or_else(|| J::String(f.to_string())),
            Value::Str(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.to_string(), e.value.to_json());
                }
                J::Object(map)
            }
        }
    }
}

/// A step of a route into a document: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Key(Box<str>),
    Index(usize),
}

/// What a JSON pointer designates in a tree.
pub struct Located<'a> {
    pub node: &'a Node<'a>,
    /// The span of the key the node sits under, if it sits under a key.
    pub key_span: Option<Span>,
    /// The key text the node sits under.
    pub key: Option<&'a str>,
    /// The span of the first key of the node when it is a mapping.
    pub first_key_span: Option<Span>,
    /// True when the node is an item of a sequence.
    pub in_sequence: bool,
}

impl<'a> Located<'a> {
    /// The span that stands for "the key of the mapping" (rules.md, Precise semantics): the key
    /// it sits under, else (a sequence item) its first key, else the node itself.
    pub fn key_of_mapping(&self) -> Span {
        if self.in_sequence {
            return self.first_key_span.unwrap_or(self.node.span);
        }
        self.key_span
            .or(self.first_key_span)
            .unwrap_or(self.node.span)
    }
}

/// Follows route steps from a root.
pub fn locate<'a>(root: &'a Node<'a>, steps: &[Step]) -> Option<Located<'a>> {
    locate_with(root, steps, &mut |_, entries, k| first_entry(entries, k))
}

/// The position of the first entry with key `k`.
fn first_entry(entries: &[Entry<'_>], k: &str) -> Option<usize> {
    entries.iter().position(|e| *e.key == *k)
}

/// Finds an entry of a mapping node by key: its position.
type FindEntry<'f, 'a> = dyn FnMut(&'a Node<'a>, &'a [Entry<'a>], &str) -> Option<usize> + 'f;

fn locate_with<'a>(
    root: &'a Node<'a>,
    steps: &[Step],
    find: &mut FindEntry<'_, 'a>,
) -> Option<Located<'a>> {
    let mut node = root;
    let mut key_span = None;
    let mut key = None;
    let mut in_sequence = false;
    for step in steps {
        match (step, &node.value) {
            (Step::Key(k), Value::Map(entries)) => {
                let e = &entries[find(node, entries, k)?];
                key_span = Some(e.key_span);
                key = Some(&*e.key);
                in_sequence = false;
                node = &e.value;
            }
            (Step::Index(i), Value::Seq(items)) => {
                node = items.get(*i)?;
                key_span = None;
                key = None;
                in_sequence = true;
            }
            _ => return None,
        }
    }
    let first_key_span = node.as_map().and_then(|m| m.first()).map(|e| e.key_span);
    Some(Located {
        node,
        key_span,
        key,
        first_key_span,
        in_sequence,
    })
}

/// Looks up many routes in one tree in linear time: a mapping of more than 16 entries gets an
/// index of its keys the first time a route goes through it, so that one error per entry of a
/// mapping of 100,000 entries (each a schema error) does not scan the mapping for each.
#[derive(Default)]
pub struct RouteIndex<'a> {
    /// By the mapping node's address: its keys' first positions.
    maps: std::collections::HashMap<usize, std::collections::HashMap<&'a str, usize>>,
}

impl<'a> RouteIndex<'a> {
    /// The position of the first entry of `node` (a mapping of `entries`) with key `k`.
    pub fn entry(
        &mut self,
        node: &'a Node<'a>,
        entries: &'a [Entry<'a>],
        k: &str,
    ) -> Option<usize> {
        if entries.len() <= 16 {
            return first_entry(entries, k);
        }
        let keys = self
            .maps
            .entry(std::ptr::from_ref(node) as usize)
            .or_insert_with(|| {
                let mut keys = std::collections::HashMap::with_capacity(entries.len());
                for (i, e) in entries.iter().enumerate() {
                    keys.entry(&*e.key).or_insert(i);
                }
                keys
            });
        keys.get(k).copied()
    }

    /// [`locate`] through the index.
    pub fn locate(&mut self, root: &'a Node<'a>, steps: &[Step]) -> Option<Located<'a>> {
        locate_with(root, steps, &mut |n, es, k| self.entry(n, es, k))
    }

    /// [`pointer_steps`] through the index.
    pub fn pointer_steps(&mut self, root: &'a Node<'a>, pointer: &str) -> Vec<Step> {
        pointer_steps_with(root, pointer, &mut |n, es, k| self.entry(n, es, k))
    }

    /// The positions (entry or item) that route `steps` takes, for [`at_positions_mut`].
    pub fn positions(&mut self, root: &'a Node<'a>, steps: &[Step]) -> Option<Vec<usize>> {
        let mut node = root;
        let mut out = Vec::with_capacity(steps.len());
        for step in steps {
            let i = match (step, &node.value) {
                (Step::Key(k), Value::Map(entries)) => {
                    let i = self.entry(node, entries, k)?;
                    node = &entries[i].value;
                    i
                }
                (Step::Index(i), Value::Seq(items)) => {
                    node = items.get(*i)?;
                    *i
                }
                _ => return None,
            };
            out.push(i);
        }
        Some(out)
    }
}

/// The node at the positions [`RouteIndex::positions`] gave.
pub fn at_positions_mut<'a, 't>(
    root: &'a mut Node<'t>,
    positions: &[usize],
) -> Option<&'a mut Node<'t>> {
    let mut node = root;
    for &i in positions {
        node = match &mut node.value {
            Value::Map(entries) => &mut entries.get_mut(i)?.value,
            Value::Seq(items) => items.get_mut(i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Parses a JSON pointer (RFC 6901) into steps, guided by the tree so that numeric mapping keys
/// stay keys.
pub fn pointer_steps<'a>(root: &'a Node<'a>, pointer: &str) -> Vec<Step> {
    pointer_steps_with(root, pointer, &mut |_, entries, k| first_entry(entries, k))
}

fn pointer_steps_with<'a>(
    root: &'a Node<'a>,
    pointer: &str,
    find: &mut FindEntry<'_, 'a>,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut node = Some(root);
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let step = match node.map(|n| &n.value) {
            Some(Value::Seq(_)) => match token.parse::<usize>() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(token.into()),
            },
            _ => Step::Key(token.into()),
        };
        node = node.and_then(|n| match (&step, &n.value) {
            (Step::Key(k), Value::Map(entries)) => find(n, entries, k).map(|i| &entries[i].value),
            (Step::Index(i), Value::Seq(items)) => items.get(*i),
            _ => None,
        });
        steps.push(step);
    }
    steps
}

/// Renders route steps as a `/`-separated route (keys escaped as in JSON pointers).
pub fn route_string(steps: &[Step]) -> String {
    let mut s = String::new();
    for step in steps {
        s.push('/');
        match step {
            Step::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

/// The route of the deepest node whose span contains `offset` (keys are followed when the
/// offset lies in a key).
pub fn route_at(root: &Node<'_>, offset: u32) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Map(entries) => entries.iter().find_map(|e| {
                let in_key = e.key_span.start.offset <= offset
                    && offset < e.key_span.end.offset.max(e.key_span.start.offset + 1);
                let in_value = !e.value.via_alias()
                    && e.value.span.start.offset <= offset
                    && offset < e.value.span.end.offset.max(e.value.span.start.offset + 1);
                (in_key || in_value).then(|| (Step::Key(e.key.as_ref().into()), &e.value, in_key))
            }),
            Value::Seq(items) => items.iter().enumerate().find_map(|(i, n)| {
                (!n.via_alias()
                    && n.span.start.offset <= offset
                    && offset < n.span.end.offset.max(n.span.start.offset + 1))
                .then_some((Step::Index(i), n, false))
            }),
            _ => None,
        };
        match next {
            Some((step, child, in_key)) => {
                steps.push(step);
                if in_key {
                    return steps;
                }
                node = child;
            }
            None => return steps,
        }
    }
}
