//! A mapping being built by either parser: its entries in order, the first of each key kept and
//! every later one recorded as a duplicate-key problem.

use std::borrow::Cow;
use std::collections::HashMap;

use super::pos::Span;
use super::tree::{Entry, Node, Problem, ProblemKind};

/// The entries of a mapping being built. Past 16 entries an index by key is built, so that
/// looking for a duplicate stays linear however many keys a hostile file writes (below that, a
/// scan is cheaper than hashing).
#[derive(Default)]
pub(super) struct MapBuilder<'t> {
    pub entries: Vec<Entry<'t>>,
    index: Option<HashMap<Cow<'t, str>, usize>>,
}

impl<'t> MapBuilder<'t> {
    /// Adds an entry, unless the mapping has the key already: then the later occurrence is
    /// recorded as a problem and moved to `dropped` (out of the tree).
    #[inline]
    pub fn insert(
        &mut self,
        key: Cow<'t, str>,
        key_span: Span,
        value: Node<'t>,
        problems: &mut Vec<Problem>,
        dropped: &mut Vec<Entry<'t>>,
    ) {
        match self.position(&key) {
            Some(first) => {
                let first_span = self.entries[first].key_span;
                problems.push(duplicate_key(&key, key_span, Some(first_span)));
                dropped.push(Entry {
                    key,
                    key_span,
                    value,
                });
            }
            None => self.push(key, key_span, value),
        }
    }

    /// Where the entry with this key is, if there is one.
    #[inline]
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(map) => map.get(key).copied(),
            None => self.entries.iter().position(|e| *e.key == *key),
        }
    }

    /// Adds an entry whose key is not in the mapping yet.
    #[inline]
    fn push(&mut self, key: Cow<'t, str>, key_span: Span, value: Node<'t>) {
        let entries = &mut self.entries;
        if self.index.is_none() && entries.len() >= 16 {
            self.index = Some(
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key.clone(), i))
                    .collect(),
            );
        }
        if let Some(map) = &mut self.index {
            map.insert(key.clone(), entries.len());
        }
        entries.push(Entry {
            key,
            key_span,
            value,
        });
    }
}

/// A later occurrence of a key: where the first one is, when there is a line to name.
pub(super) fn duplicate_key(key: &str, span: Span, first: Option<Span>) -> Problem {
    let message = match first {
        Some(f) => format!(
            "duplicate key `{key}` (first defined on line {}); only the first is read",
            f.start.line
        ),
        None => format!("duplicate key `{key}`; only the first is read"),
    };
    Problem {
        kind: ProblemKind::DuplicateKey,
        span,
        message,
    }
}
