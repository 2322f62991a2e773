//! The documents' trees as navigation, hover and completion read them: our documents of a
//! text (parsed with `check`'s parser and limits), what lies at an offset (the route of keys
//! and indexes down to it), and the project's inventory accounts and connections.

use std::path::{Path, PathBuf};

use crate::source::{Limits, Node, Span, Syntax, Value};

/// One step of a route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// What lies at an offset: the route to it, its span, whether it is a key, its text.
#[derive(Debug)]
pub struct At {
    pub steps: Vec<Step>,
    pub span: Span,
    pub on_key: bool,
    pub text: Option<String>,
}

impl At {
    /// The route as keys, indexes written as `#`.
    pub fn keys(&self) -> Vec<&str> {
        self.steps
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.as_str(),
                Step::Index(_) => "#",
            })
            .collect()
    }
}

/// The bridgelint documents of a text (none when it does not parse).
pub fn documents(text: &str, path: &Path) -> Vec<Node<'static>> {
    let syntax = Syntax::of_path(&path.to_string_lossy()).unwrap_or(Syntax::Yaml);
    let Ok(parsed) = crate::source::parse(text, syntax, &Limits::default(), false) else {
        return Vec::new();
    };
    parsed
        .documents
        .into_iter()
        .map(|d| d.root)
        .filter(crate::pipeline::process::is_ours)
        .map(Node::into_owned)
        .collect()
}

pub fn kind<'a>(root: &'a Node<'_>) -> Option<&'a str> {
    root.get("kind").and_then(Node::as_str)
}

fn contains(span: Span, offset: u32) -> bool {
    span.start.offset <= offset && offset <= span.end.offset
}

/// What lies at `offset` in a document.
pub fn at(root: &Node<'_>, offset: u32) -> Option<At> {
    if !contains(root.span, offset) {
        return None;
    }
    let mut steps = Vec::new();
    let mut node = root;
    'down: loop {
        match &node.value {
            Value::Map(entries) => {
                for e in entries {
                    if contains(e.key_span, offset) {
                        steps.push(Step::Key(e.key.to_string()));
                        return Some(At {
                            steps,
                            span: e.key_span,
                            on_key: true,
                            text: Some(e.key.to_string()),
                        });
                    }
                    if contains(e.value.span, offset) {
                        steps.push(Step::Key(e.key.to_string()));
                        node = &e.value;
                        continue 'down;
                    }
                }
            }
            Value::Seq(items) => {
                if let Some((i, n)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| contains(n.span, offset))
                {
                    steps.push(Step::Index(i));
                    node = n;
                    continue 'down;
                }
            }
            _ => {}
        }
        return Some(At {
            steps,
            span: node.span,
            on_key: false,
            text: scalar_text(node),
        });
    }
}

pub fn scalar_text(node: &Node<'_>) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A named entry of the project: an inventory account or a connection.
pub struct Entry {
    pub path: PathBuf,
    pub name: String,
    pub key_span: Span,
    /// The whole entry, key to the end of its value.
    pub span: Span,
    /// The entry's value (owned), for hover.
    pub value: Node<'static>,
}

/// The entries of the mapping `section` (`accounts`, `connections`) of documents of `kind`.
pub fn entries(roots: &[Node<'static>], path: &Path, kind_name: &str, section: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for root in roots.iter().filter(|r| kind(r) == Some(kind_name)) {
        for e in root.get(section).and_then(Node::as_map).unwrap_or_default() {
            out.push(Entry {
                path: path.to_path_buf(),
                name: e.key.to_string(),
                key_span: e.key_span,
                span: Span::new(e.key_span.start, e.value.span.end),
                value: e.value.clone(),
            });
        }
    }
    out
}

/// The system id of the entity holding a route: an inventory account's, a connection's.
pub fn system_of(root: &Node<'_>, keys: &[&str]) -> Option<String> {
    let entity = match keys {
        ["accounts", id, ..] => root.get("accounts")?.get(id)?,
        ["connections", id, ..] => root.get("connections")?.get(id)?,
        _ => return None,
    };
    entity.get("system")?.as_str().map(str::to_string)
}
