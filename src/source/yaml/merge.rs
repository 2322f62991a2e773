//! Merge keys (`<<`): when a mapping closes, it takes the entries of the mappings its merge key
//! named, explicit keys first. (The tree builder keeps a mapping's first `<<` value aside; a
//! second `<<` is a duplicate key.)

use std::borrow::Cow;
use std::collections::HashSet;

use super::Builder;
use crate::source::tree::{Entry, Node, Problem, ProblemKind, Value, VIA_ALIAS};

impl<'t> Builder<'t, '_> {
    /// Adds the entries of the mappings a `<<` key names (one mapping or a list of them) that
    /// the mapping does not have itself; explicit keys win. Merged values count as aliased.
    /// The keys already present are a set, so merging `n` keys is linear, not quadratic.
    pub(super) fn apply_merges(&mut self, entries: &mut Vec<Entry<'t>>, merges: Vec<Node<'t>>) {
        if merges.is_empty() {
            return;
        }
        let mut present: HashSet<Cow<'t, str>> = entries.iter().map(|e| e.key.clone()).collect();
        for merge in merges {
            let sources: Vec<Node> = match merge.value {
                Value::Map(_) => vec![merge],
                Value::Seq(items) if items.iter().all(|n| n.as_map().is_some()) => items,
                _ => {
                    self.problems.push(Problem {
                        kind: ProblemKind::Schema,
                        span: merge.span,
                        message: "a merge key `<<` needs a mapping or a list of mappings".into(),
                    });
                    continue;
                }
            };
            for source in sources {
                let Value::Map(src) = source.value else {
                    continue;
                };
                for mut e in src {
                    if present.insert(e.key.clone()) {
                        e.value.set_flag_deep(VIA_ALIAS);
                        entries.push(e);
                    }
                }
            }
        }
    }
}
