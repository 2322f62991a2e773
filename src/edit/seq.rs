//! Sequence items: remove one, append some, replace one by several, in flow (`[a, b]`, JSON
//! arrays) and block (`- a`) sequences, keeping the sequence's style, indentation, separators,
//! quoting and line breaks.

use std::ops::Range;

use super::locate::{aliased, find, is_scalar, parse_text, verified};
use super::scalar::{render, style_of, Style};
use super::text::{
    break_len, eol, first_comma, gap, indent_before, line_end, remove_lines, rest_of_line,
};
use super::Edit;
use crate::source::{Node, ParsedFile, Syntax};

/// A sequence being edited.
struct Seq<'a, 't> {
    text: &'a str,
    syntax: Syntax,
    node: &'a Node<'t>,
    items: &'a [Node<'t>],
    flow: bool,
    /// The mapping holding the sequence as a value, and the entry's index.
    entry: Option<(&'a Node<'t>, usize)>,
}

impl<'a, 't> Seq<'a, 't> {
    fn new(
        text: &'a str,
        syntax: Syntax,
        file: &ParsedFile<'t>,
        node: &'a Node<'t>,
        parent: Option<(&'a Node<'t>, usize)>,
    ) -> Option<Seq<'a, 't>> {
        let items = node.as_seq()?;
        if node.via_alias() || items.iter().any(Node::via_alias) {
            return None;
        }
        if aliased(file, &node.span.byte_range()) {
            return None;
        }
        let flow = match text.as_bytes().get(node.span.start.offset as usize)? {
            b'[' => true,
            b'-' => false,
            _ => return None,
        };
        let entry = parent.filter(|(p, _)| p.as_map().is_some());
        Some(Seq {
            text,
            syntax,
            node,
            items,
            flow,
            entry,
        })
    }

    fn range(&self, k: usize) -> Range<usize> {
        self.items[k].span.byte_range()
    }

    /// The style new items take after item `k`: its own when it is a scalar.
    fn style(&self, k: usize) -> Style {
        let r = self.range(k);
        match is_scalar(&self.items[k]) {
            true => style_of(self.text.get(r).unwrap_or("")),
            false => Style::Plain,
        }
    }

    fn render_all(&self, style: Style, values: &[&str]) -> Vec<String> {
        values
            .iter()
            .map(|v| render(self.syntax, style, v))
            .collect()
    }

    /// The `-` of block item `k`, first on its line, with only blanks up to the item.
    fn dash(&self, k: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let mut i = self.range(k).start;
        while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        let d = i.checked_sub(1)?;
        (b[d] == b'-' && indent_before(self.text, d).is_some()).then_some(d)
    }

    /// A block item's indentation, and the blanks between its `-` and its value.
    fn block_layout(&self, k: usize) -> Option<(&'a str, &'a str)> {
        let d = self.dash(k)?;
        rest_of_line(self.text, self.range(k).end, false)?;
        let indent = indent_before(self.text, d)?;
        Some((indent, self.text.get(d + 1..self.range(k).start)?))
    }

    /// The flow sequence's `[` and `]`.
    fn brackets(&self) -> Option<(usize, usize)> {
        let r = self.node.span.byte_range();
        let close = r.end.checked_sub(1)?;
        (self.text.as_bytes().get(close) == Some(&b']')).then_some((r.start, close))
    }

    /// True when flow item `k` has nothing but blanks and one separator before it (no anchor,
    /// tag or comment).
    fn flow_prefix_ok(&self, k: usize, open: usize) -> bool {
        let before = if k == 0 {
            open + 1
        } else {
            self.range(k - 1).end
        };
        let g = gap(self.text, before, self.range(k).start, b"");
        !g.other && g.commas == usize::from(k > 0)
    }

    /// A flow item alone on its line: its indentation, and whether a comma follows it.
    fn own_line(&self, k: usize) -> Option<(&'a str, bool)> {
        let r = self.range(k);
        Some((
            indent_before(self.text, r.start)?,
            rest_of_line(self.text, r.end, true)?,
        ))
    }

    /// The separator between flow items: `,` when the sequence writes it so, else `, `.
    fn separator(&self) -> &'static str {
        for pair in self.items.windows(2) {
            let between = self
                .text
                .get(pair[0].span.end.offset as usize..pair[1].span.start.offset as usize);
            match between {
                Some(",") => return ",",
                Some(s) if !s.contains(['\n', '\r']) => return ", ",
                _ => {}
            }
        }
        ", "
    }
}

/// Finds the item whose span is `item`, and its sequence.
fn item_seq<'a, 't>(
    text: &'a str,
    syntax: Syntax,
    file: &'a ParsedFile<'t>,
    item: &Range<usize>,
) -> Option<(Seq<'a, 't>, usize)> {
    let hit = find(file, item)?;
    let (seq, k) = hit.parent()?;
    Some((Seq::new(text, syntax, file, seq, hit.grandparent())?, k))
}

/// Removes the sequence item whose span is `item` (block: its whole lines, end-of-line comment
/// included, a comment alone above stays; flow: with the separator after it, for the last item
/// the one before it). The only item leaves `[]` (block: `key: []`, the key line's comment
/// kept).
pub fn remove_item(text: &str, syntax: Syntax, item: Range<usize>) -> Option<Vec<Edit>> {
    let file = parse_text(text, syntax)?;
    let (seq, k) = item_seq(text, syntax, &file, &item)?;
    let edits = if seq.flow {
        flow_remove(&seq, k)?
    } else {
        block_remove(&seq, k)?
    };
    verified(text, syntax, edits)
}

fn block_remove(seq: &Seq<'_, '_>, k: usize) -> Option<Vec<Edit>> {
    let d = seq.dash(k)?;
    seq.block_layout(k)?;
    let lines = remove_lines(seq.text, d, seq.range(k).end);
    if seq.items.len() > 1 {
        return Some(vec![lines]);
    }
    // The only item: `key:` becomes `key: []`.
    let (map, i) = seq.entry?;
    let key_end = map.as_map()?.get(i)?.key_span.end.offset as usize;
    let g = gap(seq.text, key_end, d, b":");
    let colon = key_end + seq.text.get(key_end..d)?.find(':')?;
    let after = gap(seq.text, colon + 1, d, b"");
    if g.other || after.other || after.commas > 0 {
        return None;
    }
    if lines.start == colon + 1 {
        return Some(vec![Edit::new(colon + 1..lines.end, " []")]);
    }
    Some(vec![Edit::insert(colon + 1, " []"), lines])
}

fn flow_remove(seq: &Seq<'_, '_>, k: usize) -> Option<Vec<Edit>> {
    let (open, close) = seq.brackets()?;
    let n = seq.items.len();
    let r = seq.range(k);
    if !seq.flow_prefix_ok(k, open) {
        return None;
    }
    if n == 1 {
        let (g, h) = (
            gap(seq.text, open + 1, r.start, b""),
            gap(seq.text, r.end, close, b""),
        );
        let plain = !g.comment && !h.other && !h.comment && h.commas <= 1;
        return plain.then(|| vec![Edit::delete(open + 1..close)]);
    }
    if let Some((_, comma_after)) = seq.own_line(k) {
        let mut edits = vec![remove_lines(seq.text, r.start, r.end)];
        if k == n - 1 && !comma_after {
            // The previous item's comma would be left trailing (not JSON): it goes too.
            let prev = seq.range(k - 1).end;
            let comma = first_comma(seq.text, prev, r.start)?;
            edits.insert(0, Edit::delete(comma..comma + 1));
        }
        return Some(edits);
    }
    let (from, to) = if k + 1 < n {
        (r.start, seq.range(k + 1).start)
    } else {
        (seq.range(k - 1).end, r.end)
    };
    let between = if k + 1 < n { r.end..to } else { from..r.start };
    let g = gap(seq.text, between.start, between.end, b"");
    (!g.other && !g.comment && g.commas == 1).then(|| vec![Edit::delete(from..to)])
}

/// Inserts new lines after the line holding `at`, each ending with the file's line break (at
/// the end of a text without a final line break, each starting with one).
fn lines_after(text: &str, at: usize, lines: &[String]) -> Edit {
    let end = line_end(text, at);
    let len = break_len(text, end);
    let nl = eol(text);
    let content: String = if len > 0 {
        lines.iter().map(|l| format!("{l}{nl}")).collect()
    } else {
        lines.iter().map(|l| format!("{nl}{l}")).collect()
    };
    Edit::insert(end + len, content)
}

/// Appends `values` to the sequence whose span is `seq`: flow `, item` after the last item
/// (`[]` → `[item]`; a multi-line flow sequence or JSON array gets one line per item at the
/// last item's indentation); block, a `- item` line per value after the last item's line, at
/// its indentation. New values are quoted like the last item when they can be ([`render`]).
pub fn append_items(
    text: &str,
    syntax: Syntax,
    seq: Range<usize>,
    values: &[&str],
) -> Option<Vec<Edit>> {
    let file = parse_text(text, syntax)?;
    let hit = find(&file, &seq)?;
    let seq = Seq::new(text, syntax, &file, hit.node, hit.parent())?;
    if values.is_empty() {
        return Some(Vec::new());
    }
    let edits = match seq.flow {
        true => flow_append(&seq, values)?,
        false => {
            let k = seq.items.len() - 1;
            let (indent, space) = seq.block_layout(k)?;
            let lines: Vec<String> = (seq.render_all(seq.style(k), values).into_iter())
                .map(|v| format!("{indent}-{space}{v}"))
                .collect();
            vec![lines_after(text, seq.range(k).end, &lines)]
        }
    };
    verified(text, syntax, edits)
}

fn flow_append(seq: &Seq<'_, '_>, values: &[&str]) -> Option<Vec<Edit>> {
    let (open, close) = seq.brackets()?;
    let Some(k) = seq.items.len().checked_sub(1) else {
        let g = gap(seq.text, open + 1, close, b"");
        let rendered = seq.render_all(Style::Plain, values);
        return (!g.other && !g.comment && g.commas == 0)
            .then(|| vec![Edit::insert(open + 1, rendered.join(", "))]);
    };
    let rendered = seq.render_all(seq.style(k), values);
    let end = seq.range(k).end;
    let multi_line = seq.text.get(open..close)?.contains(['\n', '\r']);
    match seq.own_line(k).filter(|_| multi_line) {
        Some((indent, trailing)) => {
            let last = rendered.len() - 1;
            let lines: Vec<String> = (rendered.iter().enumerate())
                .map(|(i, v)| format!("{indent}{v}{}", if i < last || trailing { "," } else { "" }))
                .collect();
            let mut edits = vec![lines_after(seq.text, end, &lines)];
            if !trailing {
                edits.insert(0, Edit::insert(end, ","));
            }
            Some(edits)
        }
        None => {
            let sep = seq.separator();
            let content: String = rendered.iter().map(|v| format!("{sep}{v}")).collect();
            Some(vec![Edit::insert(end, content)])
        }
    }
}

/// Replaces the scalar item whose span is `item` by `values` (none: [`remove_item`]), quoted
/// like it when they can be. Block: the first value takes the item's place (its end-of-line
/// comment stays after it), the others follow on new `- ` lines; flow: separated as the
/// sequence separates its items, one per line when the item is alone on its line.
pub fn replace_item(
    text: &str,
    syntax: Syntax,
    item: Range<usize>,
    values: &[&str],
) -> Option<Vec<Edit>> {
    if values.is_empty() {
        return remove_item(text, syntax, item);
    }
    let file = parse_text(text, syntax)?;
    let (seq, k) = item_seq(text, syntax, &file, &item)?;
    if !is_scalar(&seq.items[k]) {
        return None;
    }
    let rendered = seq.render_all(seq.style(k), values);
    let edits = if seq.flow {
        let (open, _) = seq.brackets()?;
        if !seq.flow_prefix_ok(k, open) {
            return None;
        }
        let sep = match seq.own_line(k) {
            Some((indent, _)) => format!(",{}{indent}", eol(text)),
            None => seq.separator().to_string(),
        };
        vec![Edit::new(item, rendered.join(&sep))]
    } else {
        let (indent, space) = seq.block_layout(k)?;
        let mut edits = vec![Edit::new(item.clone(), rendered[0].clone())];
        if rendered.len() > 1 {
            let lines: Vec<String> = (rendered[1..].iter())
                .map(|v| format!("{indent}-{space}{v}"))
                .collect();
            edits.push(lines_after(text, item.end, &lines));
        }
        edits
    };
    verified(text, syntax, edits)
}
