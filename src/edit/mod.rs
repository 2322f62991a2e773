//! Format-preserving text edits: the leaf library that fixes are made of.
//!
//! This module owns byte-level edits of a YAML or JSON file's text and the list and scalar
//! operations built on them (remove, append or replace a sequence item, replace a scalar, rename
//! a key, remove a comment). Every operation is a pure function of the text: it parses the text
//! with [`crate::source::parse`] to find its target by exact byte span, returns the edits that
//! change only the bytes they must (comments, quoting, indentation, flow or block style, line
//! endings, a BOM and key order stay), and returns `None` when the target cannot be edited
//! safely: no node with that exact span, a node reached through or copied by an alias, a node
//! with an anchor or a tag, a layout it does not know (a compact nested `- - a`, a comment
//! inside a flow sequence between the item and its separator), or a result that would not parse
//! or would add a problem (a duplicate key). It knows nothing of rules or findings.
//!
//! New scalars are given as their values, not as YAML or JSON text: the operations quote them
//! (see [`scalar::render`]).

mod locate;
mod ops;
pub mod scalar;
mod seq;
mod text;

use std::ops::Range;

pub use ops::{remove_comment, rename_key, replace_scalar};
pub use seq::{append_items, remove_item, replace_item};

/// Replace `text[start..end]` (byte offsets) by `content`; `start == end` inserts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

impl Edit {
    pub fn new(range: Range<usize>, content: impl Into<String>) -> Edit {
        Edit {
            start: range.start,
            end: range.end,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::new(at..at, content)
    }

    pub fn delete(range: Range<usize>) -> Edit {
        Edit::new(range, "")
    }

    /// True when the two edits cannot both be applied in a well-defined order: their ranges
    /// intersect, or they start at the same point (two insertions there, or an insertion at the
    /// start of a replacement). Identical edits do not conflict.
    pub fn conflicts(&self, other: &Edit) -> bool {
        self != other
            && ((self.start < other.end && other.start < self.end) || self.start == other.start)
    }
}

/// Applies edits to a text. The edits may come in any order; identical edits apply once. When
/// two of them conflict ([`Edit::conflicts`]), or one lies outside the text or cuts a character
/// in two, nothing is applied and the text comes back unchanged (use [`try_apply`] to tell).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    try_apply(text, edits).unwrap_or_else(|| text.to_string())
}

/// [`apply`], or `None` when the edits conflict or do not fit the text.
pub fn try_apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort();
    sorted.dedup();
    for pair in sorted.windows(2) {
        if pair[0].conflicts(pair[1]) {
            return None;
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in sorted {
        if edit.start > edit.end || edit.end > text.len() {
            return None;
        }
        out.push_str(text.get(at..edit.start)?);
        text.get(edit.start..edit.end)?;
        out.push_str(&edit.content);
        at = edit.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// True when some edit of `a` conflicts with some edit of `b` ([`Edit::conflicts`]): the two
/// sets cannot be applied in the same round.
pub fn overlaps(a: &[Edit], b: &[Edit]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.conflicts(y)))
}

#[cfg(test)]
mod apply_tests {
    use super::*;

    #[test]
    fn apply_sorts_and_dedups() {
        let edits = [
            Edit::new(4..5, "X"),
            Edit::insert(0, ">"),
            Edit::new(4..5, "X"),
        ];
        assert_eq!(apply("abcdef", &edits), ">abcdXf");
    }

    #[test]
    fn apply_refuses_conflicts_and_bad_offsets() {
        let text = "héllo";
        assert_eq!(
            apply(text, &[Edit::new(0..3, "a"), Edit::new(2..4, "b")]),
            text
        );
        assert_eq!(
            apply(text, &[Edit::insert(1, "a"), Edit::insert(1, "b")]),
            text
        );
        assert_eq!(apply(text, &[Edit::insert(2, "a")]), text);
        assert_eq!(apply(text, &[Edit::delete(3..99)]), text);
        assert_eq!(
            try_apply(text, &[Edit::insert(1, "a"), Edit::new(1..3, "")]),
            None
        );
        assert_eq!(
            apply(text, &[Edit::delete(0..1), Edit::insert(1, "H")]),
            "Héllo"
        );
    }

    #[test]
    fn overlaps_by_range_or_same_point() {
        let a = [Edit::new(2..5, "")];
        assert!(overlaps(&a, &[Edit::new(4..6, "")]));
        assert!(overlaps(&a, &[Edit::insert(2, "x")]));
        assert!(!overlaps(&a, &[Edit::insert(5, "x")]));
        assert!(!overlaps(&a, &[Edit::new(2..5, "")]));
        assert!(!overlaps(&a, &[]));
    }
}
