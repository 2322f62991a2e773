//! Tags: the core-schema tags that fit their node (`!!str`, `!!int`, ... on scalars, `!!map`,
//! `!!seq` on collections, and the non-specific `!`) are read; any other tag makes its node
//! `INVALID`, with a problem from the tag to the node's end.

use granit_parser::{Span as GSpan, Tag};

use super::{Builder, Kind};
use crate::source::pos::{Pos, Span};
use crate::source::tree::{Node, Problem, ProblemKind, INVALID};

/// A tag outside the core schema (or that does not fit its node), as written.
pub(super) struct BadTag {
    text: String,
    start: Pos,
}

/// The handle of the YAML 1.2 core-schema tags (`!!`).
pub(super) const CORE: &str = "tag:yaml.org,2002:";

impl<'t> Builder<'t, '_> {
    /// Returns the tag when it is outside the core schema (or does not fit the node: `kind` is
    /// the collection's, `None` for a scalar).
    #[inline]
    pub(super) fn check_tag(
        &mut self,
        tag: Option<&Tag>,
        gspan: &GSpan,
        kind: Option<&Kind<'t>>,
    ) -> Option<BadTag> {
        let tag = tag?;
        let text = gspan
            .tag_span()
            .and_then(|s| s.slice(self.text))
            .map(str::to_string)
            .unwrap_or_else(|| tag.to_string());
        let start = gspan
            .tag_start
            .map(|m| self.marker_pos(&m))
            .unwrap_or_else(|| self.marker_pos(&gspan.start));
        // A tag whose meaning is not its spelling (`%5F`, a `%TAG` handle): redaction must
        // see the meaning, which the raw text does not hold.
        let meaning = tag.to_string();
        if meaning != text {
            let end = Pos::new(
                start.line,
                start.column + text.chars().count() as u32,
                start.offset + text.len() as u32,
            );
            self.decoded_tags.push((Span::new(start, end), meaning));
        }
        let core = tag.handle() == CORE;
        let fits = match (core, tag.suffix(), kind) {
            (false, "", _) if tag.handle() == "!" => true,
            (true, "map", Some(Kind::Map { .. })) => true,
            (true, "seq", Some(Kind::Seq(_))) => true,
            (true, "str" | "int" | "float" | "bool" | "null", None) => true,
            _ => false,
        };
        (!fits).then_some(BadTag { text, start })
    }

    /// Flags a node with an unsupported tag and records the problem.
    pub(super) fn bad_tag(&mut self, node: &mut Node<'t>, tag: BadTag) {
        node.flags |= INVALID;
        self.problems.push(Problem {
            kind: ProblemKind::Schema,
            span: Span::new(tag.start, node.span.end),
            message: format!(
                "tag `{}` is not supported: bridgelint reads plain YAML 1.2 core-schema values",
                tag.text
            ),
        });
    }
}
