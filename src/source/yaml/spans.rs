//! The two span corrections the parser's events need: a block scalar starts at its `|` or `>`
//! indicator and ends after its last content line (the event ends at the next token), and an
//! indentless block sequence starts at its first `-` (the event starts at the item).

use super::Builder;
use crate::source::pos::{relative_pos, Pos, Span};

impl Builder<'_, '_> {
    /// Block scalars start at their `|` or `>` indicator and end after their last content line.
    pub(super) fn block_scalar_span(&self, span: Span) -> Span {
        let bytes = self.text.as_bytes();
        let from = self
            .stack
            .last()
            .map(|f| f.last_end.offset)
            .unwrap_or(self.prev_doc_end) as usize;
        let content = span.start.offset as usize;
        let mut i = from.min(content);
        let mut indicator = None;
        while i < content {
            match bytes[i] {
                b'|' | b'>' => {
                    indicator = Some(i);
                    break;
                }
                b'#' => {
                    while i < content && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        let start = indicator
            .map(|i| relative_pos(self.text, span.start, i))
            .unwrap_or(span.start);
        // The parser ends the scalar at the next token: drop trailing blank lines and less
        // indented comment lines.
        let end_limit = (span.end.offset as usize).min(bytes.len());
        let body = &self.text[content.min(end_limit)..end_limit];
        let content_indent = body
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .unwrap_or(0);
        let mut end = content.min(end_limit);
        let mut offset = content.min(end_limit);
        for line in body.split_inclusive(['\n', '\r']) {
            let trimmed = line.trim_end_matches(['\n', '\r']);
            let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
            let blank = trimmed.trim().is_empty();
            let outdented_comment =
                trimmed.trim_start().starts_with('#') && indent < content_indent;
            if !blank && !outdented_comment {
                end = offset + trimmed.trim_end().len();
            }
            offset += line.len();
        }
        if indicator.is_some() && end <= content {
            // Empty block scalar: it ends after its header.
            let header_end = self.text[start.offset as usize..content]
                .find(['\n', '\r'])
                .map(|n| start.offset as usize + n)
                .unwrap_or(content);
            let header = self.text[start.offset as usize..header_end]
                .split('#')
                .next()
                .unwrap_or("")
                .trim_end();
            end = start.offset as usize + header.len();
        }
        Span::new(start, relative_pos(self.text, span.start, end))
    }

    /// Where a block sequence starts: an indentless sequence (`key:\n- a`) starts at the
    /// parser's first item token, so move back to its `-`.
    pub(super) fn block_sequence_start(&self, start: Pos) -> Pos {
        let bytes = self.text.as_bytes();
        let mut i = start.offset as usize;
        if bytes.get(i) != Some(&b'-') {
            while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
                i -= 1;
            }
            if i > 0 && bytes[i - 1] == b'-' {
                return relative_pos(self.text, start, i - 1);
            }
        }
        start
    }
}
