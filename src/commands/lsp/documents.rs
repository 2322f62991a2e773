//! Open documents and positions: the text the client holds for each open URI, its incremental
//! changes, the negotiated position encoding (utf-8, utf-16, utf-32) and the conversions
//! between protocol positions and byte offsets, and between `file:` URIs and paths.

use std::path::{Path, PathBuf};

use lsp_types::{Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent, Uri};

/// The position encoding the server and client agreed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first encoding of the client's list that the server supports, in the client's
    /// order; utf-16 (the protocol's default) when it names none of them.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|k| match k.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The byte offset where line `line` (0-based) starts; the text's end past its last line.
fn line_start(text: &str, line: u32) -> usize {
    if line == 0 {
        return 0;
    }
    memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(line as usize - 1)
        .map_or(text.len(), |i| i + 1)
}

/// Where the line starting at `start` ends, before its line break.
fn line_end(text: &str, start: usize) -> usize {
    let end = memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
    if end > start && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The protocol position of a byte offset (clamped to the text, moved back to a character's
/// start).
pub fn position(text: &str, offset: usize, enc: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() as u32;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let character = text[start..offset].chars().map(|c| enc.units(c)).sum();
    Position { line, character }
}

/// The byte offset of a protocol position: a character past the line's end is its end, a
/// position inside a character is its start, a line past the text is the text's end.
pub fn offset(text: &str, pos: Position, enc: Encoding) -> usize {
    let start = line_start(text, pos.line);
    if start >= text.len() {
        return text.len();
    }
    let end = line_end(text, start);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        let next = units + enc.units(c);
        if next > pos.character {
            return start + i;
        }
        units = next;
    }
    end
}

pub fn range(text: &str, start: usize, end: usize, enc: Encoding) -> Range {
    Range {
        start: position(text, start, enc),
        end: position(text, end, enc),
    }
}

/// A document the client has open.
#[derive(Clone)]
pub struct Document {
    /// Exactly as the client sent it (diagnostics use it).
    pub uri: Uri,
    pub path: PathBuf,
    pub version: i32,
    pub text: String,
}

impl Document {
    /// Applies one change: a range replaced, or the whole text.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            Some(r) => {
                let s = offset(&self.text, r.start, enc);
                let e = offset(&self.text, r.end, enc).max(s);
                self.text.replace_range(s..e, &change.text);
            }
            None => self.text = change.text,
        }
    }

    pub fn is_yaml(&self) -> bool {
        crate::source::Syntax::of_path(&self.path.to_string_lossy())
            == Some(crate::source::Syntax::Yaml)
    }
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file://host/path`: only the local host (empty or `localhost`) is a path here.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if &rest[..i] == "localhost" => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(crate::pipeline::discover::normalize(Path::new(&text)))
}

/// The `file:` URI of a path (every byte outside the unreserved set and `/` percent-encoded).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a: é😀x\r\nb\n";

    #[test]
    fn positions_count_the_units_of_each_encoding() {
        let x = TEXT.find('x').unwrap();
        let cases = [
            (Encoding::Utf8, 9),
            (Encoding::Utf16, 6),
            (Encoding::Utf32, 5),
        ];
        for (enc, character) in cases {
            assert_eq!(
                position(TEXT, x, enc),
                Position::new(0, character),
                "{enc:?}"
            );
            assert_eq!(offset(TEXT, Position::new(0, character), enc), x, "{enc:?}");
        }
    }

    #[test]
    fn positions_past_the_end_or_inside_a_character_are_clamped() {
        let emoji = TEXT.find('😀').unwrap();
        // Inside the emoji (utf-16: its second unit; utf-8: its third byte): its start.
        assert_eq!(offset(TEXT, Position::new(0, 5), Encoding::Utf16), emoji);
        assert_eq!(offset(TEXT, Position::new(0, 7), Encoding::Utf8), emoji);
        // Past the line's end: the end, before `\r\n`.
        assert_eq!(
            offset(TEXT, Position::new(0, 99), Encoding::Utf16),
            TEXT.find('\r').unwrap()
        );
        // Past the last line: the text's end.
        assert_eq!(
            offset(TEXT, Position::new(9, 0), Encoding::Utf16),
            TEXT.len()
        );
        // An offset inside a character is that character's start.
        assert_eq!(
            position(TEXT, emoji + 1, Encoding::Utf32),
            Position::new(0, 4)
        );
    }

    #[test]
    fn file_uris_and_paths_round_trip() {
        let path = Path::new("/tmp/a b/é:c.yaml");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%A9%3Ac.yaml");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&other), None);
    }
}
