//! Finding an operation's target in the parsed text by its exact byte span, and the checks every
//! operation shares: not reached through an alias, not copied by one, and a result that parses.

use std::ops::Range;

use super::{try_apply, Edit};
use crate::source::{parse, Limits, Node, ParsedFile, Syntax, Value};

pub fn parse_text(text: &str, syntax: Syntax) -> Option<ParsedFile<'_>> {
    parse(text, syntax, &Limits::default(), syntax == Syntax::Yaml).ok()
}

/// A collection on the way to a node, and the index of the child taken.
pub type Step<'a, 't> = (&'a Node<'t>, usize);

/// A node found by its span, with its ancestors and the index taken at each one.
pub struct Hit<'a, 't> {
    pub node: &'a Node<'t>,
    pub path: Vec<Step<'a, 't>>,
}

impl<'a, 't> Hit<'a, 't> {
    /// The collection holding the node, and the node's index in it.
    pub fn parent(&self) -> Option<(&'a Node<'t>, usize)> {
        self.path.last().copied()
    }

    /// The collection holding the parent, and the parent's index in it.
    pub fn grandparent(&self) -> Option<(&'a Node<'t>, usize)> {
        self.path.iter().rev().nth(1).copied()
    }
}

fn walk<'a, 't>(
    node: &'a Node<'t>,
    path: &mut Vec<Step<'a, 't>>,
    found: &mut dyn FnMut(&'a Node<'t>, &[Step<'a, 't>]),
) {
    if node.via_alias() {
        return;
    }
    found(node, path);
    let children: Vec<&Node<'t>> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Map(entries) => entries.iter().map(|e| &e.value).collect(),
        _ => return,
    };
    for (i, child) in children.into_iter().enumerate() {
        path.push((node, i));
        walk(child, path, found);
        path.pop();
    }
}

/// The one node (not reached through an alias) whose span is `range`: the outermost when a
/// collection and its only child share it.
pub fn find<'a, 't>(file: &'a ParsedFile<'t>, range: &Range<usize>) -> Option<Hit<'a, 't>> {
    let mut hits = Vec::new();
    for doc in &file.documents {
        walk(&doc.root, &mut Vec::new(), &mut |node, path| {
            if node.span.byte_range() == *range && !range.is_empty() {
                hits.push(Hit {
                    node,
                    path: path.to_vec(),
                });
            }
        });
    }
    let mut hits = hits.into_iter();
    let hit = hits.next()?;
    hits.all(|h| h.path.len() > hit.path.len()).then_some(hit)
}

/// The mapping (not reached through an alias) holding a key whose span is `range`, and the
/// entry's index.
pub fn find_key<'a, 't>(
    file: &'a ParsedFile<'t>,
    range: &Range<usize>,
) -> Option<(&'a Node<'t>, usize)> {
    let mut hits = Vec::new();
    for doc in &file.documents {
        walk(&doc.root, &mut Vec::new(), &mut |node, _| {
            for (i, e) in node.as_map().unwrap_or(&[]).iter().enumerate() {
                if e.key_span.byte_range() == *range && !e.value.via_alias() {
                    hits.push((node, i));
                }
            }
        });
    }
    (hits.len() == 1).then(|| hits[0])
}

/// True when an alias (or a merge key) copies something within `range`: editing it there
/// would change the copy too.
pub fn aliased(file: &ParsedFile<'_>, range: &Range<usize>) -> bool {
    fn copied(node: &Node<'_>, range: &Range<usize>) -> bool {
        if node.via_alias() {
            let r = node.span.byte_range();
            return r.start < range.end.max(range.start + 1)
                && range.start < r.end.max(r.start + 1);
        }
        match &node.value {
            Value::Seq(items) => items.iter().any(|n| copied(n, range)),
            Value::Map(entries) => entries.iter().any(|e| copied(&e.value, range)),
            _ => false,
        }
    }
    file.documents.iter().any(|d| copied(&d.root, range))
}

/// The edits, when the text they give parses with as many documents and no more problems.
/// Edits that change nothing are dropped.
pub fn verified(text: &str, syntax: Syntax, mut edits: Vec<Edit>) -> Option<Vec<Edit>> {
    edits.retain(|e| text.get(e.start..e.end) != Some(e.content.as_str()));
    let before = parse_text(text, syntax)?;
    let out = try_apply(text, &edits)?;
    let after = parse_text(&out, syntax)?;
    let problems = |f: &ParsedFile<'_>| f.documents.iter().map(|d| d.problems.len()).sum::<usize>();
    let same =
        before.documents.len() == after.documents.len() && problems(&after) <= problems(&before);
    same.then_some(edits)
}

/// True when the node's span is a scalar's.
pub fn is_scalar(node: &Node<'_>) -> bool {
    !matches!(node.value, Value::Seq(_) | Value::Map(_))
}
