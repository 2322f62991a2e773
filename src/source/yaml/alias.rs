//! Anchors and aliases: an alias is a copy of its anchored node (marked `VIA_ALIAS`), within a
//! budget of expanded nodes per file against alias bombs, within the depth limit, and never
//! inside the node it refers to.

use super::Builder;
use crate::source::pos::Span;
use crate::source::tree::{Node, ParseError, VIA_ALIAS};

/// An anchored node, with what an alias to it costs.
pub(super) struct Anchored<'t> {
    node: Node<'t>,
    /// Nodes an alias expands to.
    count: usize,
    /// Collection levels it adds.
    height: usize,
}

impl<'t> Builder<'t, '_> {
    /// An alias event: the anchored node again, at the alias's site.
    pub(super) fn alias(&mut self, id: usize, span: Span) -> Result<(), ParseError> {
        let depth = self.stack.len();
        let Some(Some(anchored)) = self.anchors.get(id) else {
            return Err(ParseError {
                message: "invalid YAML: an alias refers to the node that contains it \
                          (recursive alias)"
                    .into(),
                pos: span.start,
            });
        };
        self.expanded += anchored.count;
        if self.expanded > self.limits.alias_budget {
            return Err(ParseError {
                message: format!(
                    "aliases expand to more than {} nodes (alias bomb?); bridgelint \
                     stops reading this file",
                    self.limits.alias_budget
                ),
                pos: span.start,
            });
        }
        // Depth counts collections, as for written-out text (a scalar adds none).
        if depth + anchored.height - 1 > self.limits.max_depth {
            return Err(self.too_deep(span.start));
        }
        let mut node = anchored.node.clone();
        node.set_flag_deep(VIA_ALIAS);
        self.finish_node(node, span.end)
    }

    /// Records a finished node under its anchor id.
    pub(super) fn store_anchor(&mut self, id: usize, node: &Node<'t>) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchored {
            count: node.count(),
            height: node.height(),
            node: node.clone(),
        });
    }
}
