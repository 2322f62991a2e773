//! Positions and spans in a source file.
//!
//! A position carries the byte offset (BOM included, as in the file), the 1-based line and the
//! 1-based column counted in Unicode code points (a BOM is not counted). Line breaks are `\n`,
//! `\r\n` and a lone `\r`, as in YAML 1.2, everywhere in the tool.

use serde::Serialize;

/// One point in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32, offset: u32) -> Pos {
        Pos {
            line,
            column,
            offset,
        }
    }
}

/// A half-open range `[start, end)` in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }

    pub const fn point(pos: Pos) -> Span {
        Span {
            start: pos,
            end: pos,
        }
    }

    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.start.offset as usize..self.end.offset as usize
    }

    /// True when `other` lies within this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start.offset <= other.start.offset && other.end.offset <= self.end.offset
    }

    pub fn overlaps(&self, range: &std::ops::Range<usize>) -> bool {
        (self.start.offset as usize) < range.end && range.start < (self.end.offset as usize)
    }
}

/// `offset` clamped to the text and moved back to the start of its character.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `offset` clamped to the text and moved forward to the end of its character.
pub fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// The position of `offset`, computed from a known position `from` in the same text. Costs the
/// distance between them plus one line, so parsers can place a few extra points cheaply.
pub fn relative_pos(text: &str, from: Pos, offset: usize) -> Pos {
    let bytes = text.as_bytes();
    let offset = floor_char_boundary(text, offset);
    let known = from.offset as usize;
    let mut line = from.line as i64;
    if offset >= known {
        let mut i = known;
        while i < offset {
            match bytes[i] {
                b'\n' => line += 1,
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
                _ => {}
            }
            i += 1;
        }
    } else {
        let mut i = offset;
        while i < known {
            match bytes[i] {
                b'\n' => line -= 1,
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line -= 1,
                _ => {}
            }
            i += 1;
        }
    }
    let mut start = offset;
    while start > 0 && bytes[start - 1] != b'\n' && bytes[start - 1] != b'\r' {
        start -= 1;
    }
    if start == 0 && text.starts_with('\u{feff}') {
        start = 3.min(offset);
    }
    let column = text[start..offset].chars().count() + 1;
    Pos::new(line.max(1) as u32, column as u32, offset as u32)
}

/// Maps byte offsets of one text to positions. Built on demand (comments, regex matches,
/// rendering), never for every node: parsers report positions themselves.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    bom: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex {
            text,
            line_starts,
            bom,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The position of a byte offset (clamped to the text, moved back to a char boundary).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = floor_char_boundary(self.text, offset);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line];
        if line == 0 {
            start = start.max(self.bom.min(offset));
        }
        let column = self.text[start..offset].chars().count() + 1;
        Pos::new(line as u32 + 1, column as u32, offset as u32)
    }

    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.pos(range.start), self.pos(range.end))
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        if line == 0 || line > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let s = &self.text[start..end];
        let s = s.strip_suffix('\n').unwrap_or(s);
        let s = s.strip_suffix('\r').unwrap_or(s);
        if line == 1 {
            s.strip_prefix('\u{feff}').unwrap_or(s)
        } else {
            s
        }
    }

    /// Byte offset where a 1-based line starts (after the BOM on line 1).
    pub fn line_start(&self, line: usize) -> usize {
        let start = self.line_starts[(line.max(1) - 1).min(self.line_starts.len() - 1)];
        if line <= 1 {
            start.max(self.bom)
        } else {
            start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points_and_skip_the_bom() {
        let text = "\u{feff}a: é\r\nb: x\rc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.pos(3), Pos::new(1, 1, 3));
        assert_eq!(idx.pos(6), Pos::new(1, 4, 6));
        assert_eq!(idx.pos(8), Pos::new(1, 5, 8));
        assert_eq!(idx.pos(10), Pos::new(2, 1, 10));
        assert_eq!(idx.pos(15), Pos::new(3, 1, 15));
        assert_eq!(idx.line_text(1), "a: é");
        assert_eq!(idx.line_text(2), "b: x");
        assert_eq!(idx.line_text(3), "c");
    }
}
