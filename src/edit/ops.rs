//! Edits of one token: replace a scalar, rename a key, remove a comment.

use std::ops::Range;

use super::locate::{aliased, find, find_key, is_scalar, parse_text, verified};
use super::scalar::{render, style_of};
use super::text::{gap, indent_before, remove_lines};
use super::Edit;
use crate::source::Syntax;

/// Replaces the scalar whose span is `value` by `new`, quoted as it was when `new` allows it
/// (plain only when safe, [`render`]); a block scalar (`|`, `>`) becomes a one-line scalar.
/// `None` for a node with an anchor or a tag, a document's root, or a node an alias copies.
pub fn replace_scalar(
    text: &str,
    syntax: Syntax,
    value: Range<usize>,
    new: &str,
) -> Option<Vec<Edit>> {
    let file = parse_text(text, syntax)?;
    let hit = find(&file, &value)?;
    if !is_scalar(hit.node) || aliased(&file, &value) {
        return None;
    }
    // What comes between the previous token and the scalar: a property (`&a`, `!tag`) there
    // would be separated from the value it was written for.
    let (parent, k) = hit.parent()?;
    let before = match (parent.as_map(), parent.as_seq()) {
        (Some(entries), _) => entries.get(k)?.key_span.end.offset as usize,
        (_, Some(_)) if k == 0 => parent.span.start.offset as usize,
        (_, Some(items)) => items.get(k - 1)?.span.end.offset as usize,
        _ => return None,
    };
    if gap(text, before, value.start, b":?-[").other {
        return None;
    }
    let style = style_of(text.get(value.clone())?);
    let edits = vec![Edit::new(value, render(syntax, style, new))];
    verified(text, syntax, edits)
}

/// Renames the mapping key whose span is `key` to `new`, quoted as it was when `new` allows it.
/// `None` when the mapping already has a key `new`, or an alias or a merge key copies the
/// mapping.
pub fn rename_key(text: &str, syntax: Syntax, key: Range<usize>, new: &str) -> Option<Vec<Edit>> {
    let file = parse_text(text, syntax)?;
    let (map, i) = find_key(&file, &key)?;
    let entries = map.as_map()?;
    if entries[i].key == new {
        return Some(Vec::new());
    }
    if entries.iter().any(|e| e.key == new) || aliased(&file, &map.span.byte_range()) {
        return None;
    }
    let style = style_of(text.get(key.clone())?);
    let edits = vec![Edit::new(key, render(syntax, style, new))];
    verified(text, syntax, edits)
}

/// Removes the YAML comment whose span is `comment` (from its `#` to the end of its line, as
/// the parser reports it): the whole line, line break included, when the comment is alone on
/// it; else the comment and the blanks before it. `None` when the parser reports no comment
/// with that span (JSON has none).
pub fn remove_comment(text: &str, comment: Range<usize>) -> Option<Vec<Edit>> {
    let file = parse_text(text, Syntax::Yaml)?;
    if !file.comments.iter().any(|c| c.span.byte_range() == comment) {
        return None;
    }
    let edit = if indent_before(text, comment.start).is_some() {
        remove_lines(text, comment.start, comment.end)
    } else {
        let b = text.as_bytes();
        let mut start = comment.start;
        while start > 0 && matches!(b[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        Edit::delete(start..comment.end)
    };
    verified(text, Syntax::Yaml, vec![edit])
}
