//! Lines of a text: where a line starts and ends, its line break, what the rest of it holds.
//! Line breaks are `\n`, `\r\n` and a lone `\r`, as everywhere in the tool; a BOM is never part
//! of a line, so no edit removes it.

use super::Edit;

/// Bytes of the BOM at the start of the text (0 or 3).
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// Start of the line holding byte `i` (after the BOM on the first line).
pub fn line_start(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i.min(b.len());
    while j > bom_len(text) && !matches!(b[j - 1], b'\n' | b'\r') {
        j -= 1;
    }
    j
}

/// Offset of the line break ending the line that holds byte `i` (the text's length on the
/// last line).
pub fn line_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i.min(b.len());
    while j < b.len() && !matches!(b[j], b'\n' | b'\r') {
        j += 1;
    }
    j
}

/// Length of the line break at `i` (0 at the end of the text).
pub fn break_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i..).unwrap_or(&[]) {
        [b'\r', b'\n', ..] => 2,
        [b'\n' | b'\r', ..] => 1,
        _ => 0,
    }
}

/// The file's line break: its first one, `\n` when it has none.
pub fn eol(text: &str) -> &'static str {
    let end = line_end(text, 0);
    match text.as_bytes().get(end..).unwrap_or(&[]) {
        [b'\r', b'\n', ..] => "\r\n",
        [b'\r', ..] => "\r",
        _ => "\n",
    }
}

pub fn is_blank(s: &str) -> bool {
    s.bytes().all(|c| c == b' ' || c == b'\t')
}

/// The spaces and tabs before byte `i` on its line, when nothing else comes before it there.
pub fn indent_before(text: &str, i: usize) -> Option<&str> {
    let s = text.get(line_start(text, i)..i)?;
    is_blank(s).then_some(s)
}

/// True when, from byte `i` to the end of its line, there are only blanks, at most one comma
/// when `comma` allows it, and a comment. Returns whether a comma was seen.
pub fn rest_of_line(text: &str, i: usize, comma: bool) -> Option<bool> {
    let rest = text.get(i..line_end(text, i))?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let (seen, rest) = match rest.strip_prefix(',') {
        Some(r) if comma => (true, r.trim_start_matches([' ', '\t'])),
        _ => (false, rest),
    };
    (rest.is_empty() || rest.starts_with('#')).then_some(seen)
}

/// What a gap between two tokens holds, comments and blanks aside.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Gap {
    pub commas: usize,
    pub comment: bool,
    pub newline: bool,
    /// Any other character than those in `allowed` (an anchor, a tag, a key...).
    pub other: bool,
}

/// Scans `text[range]`: blanks, line breaks, comments, commas and the `allowed` punctuation.
pub fn gap(text: &str, start: usize, end: usize, allowed: &[u8]) -> Gap {
    let mut g = Gap::default();
    let b = text.as_bytes();
    let mut i = start;
    if start > end || end > b.len() {
        g.other = true;
        return g;
    }
    while i < end {
        match b[i] {
            b' ' | b'\t' => {}
            b'\n' | b'\r' => g.newline = true,
            b',' => g.commas += 1,
            b'#' => {
                g.comment = true;
                i = line_end(text, i).min(end);
                continue;
            }
            c if allowed.contains(&c) => {}
            _ => g.other = true,
        }
        i += 1;
    }
    g
}

/// The first comma of `text[start..end]` outside comments.
pub fn first_comma(text: &str, start: usize, end: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start;
    while i < end.min(b.len()) {
        match b[i] {
            b',' => return Some(i),
            b'#' => i = line_end(text, i),
            _ => i += 1,
        }
    }
    None
}

/// Removes the whole lines from the one holding `first` to the one holding `last`, their line
/// break included; on the last line of a text without a final line break, the line break
/// before them instead.
pub fn remove_lines(text: &str, first: usize, last: usize) -> Edit {
    let start = line_start(text, first);
    let end = line_end(text, last);
    let len = break_len(text, end);
    if len > 0 || start <= bom_len(text) {
        return Edit::delete(start..end + len);
    }
    let b = text.as_bytes();
    let mut s = start - 1;
    if b[s] == b'\n' && s > 0 && b[s - 1] == b'\r' {
        s -= 1;
    }
    Edit::delete(s..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    #[test]
    fn lines_and_breaks() {
        let t = "\u{feff}a\r\nbé\rc\n";
        assert_eq!(line_start(t, 3), 3);
        assert_eq!(line_start(t, 7), 6);
        assert_eq!(line_end(t, 6), 9);
        assert_eq!(break_len(t, 4), 2);
        assert_eq!(break_len(t, 9), 1);
        assert_eq!(eol(t), "\r\n");
        assert_eq!(eol("a"), "\n");
        assert_eq!(eol("a\rb"), "\r");
    }

    #[test]
    fn removing_lines_keeps_the_bom_and_the_last_break_rule() {
        let t = "\u{feff}a\r\nb\r\nc";
        assert_eq!(apply(t, &[remove_lines(t, 3, 3)]), "\u{feff}b\r\nc");
        assert_eq!(apply(t, &[remove_lines(t, 9, 9)]), "\u{feff}a\r\nb");
        assert_eq!(apply("x", &[remove_lines("x", 0, 0)]), "");
    }

    #[test]
    fn gaps_and_rests() {
        assert_eq!(rest_of_line("a,  # c\nb", 1, true), Some(true));
        assert_eq!(rest_of_line("a  b", 1, true), None);
        assert_eq!(rest_of_line("a ,", 1, false), None);
        let g = gap("a, # c\n &x b", 1, 11, b"");
        assert_eq!(
            (g.commas, g.comment, g.newline, g.other),
            (1, true, true, true)
        );
    }
}
