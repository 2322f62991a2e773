//! Where and how a scan error is reported. The scanner notices some problems later than where
//! they are (a tab used as indentation, a flow collection past the depth limit): these find the
//! character that caused them. A key past YAML's 1024-character limit for implicit keys gets
//! a message that says so, not the scanner's ("simple key expected ':'").

use granit_parser::{ErrorKind, ScanError};

use super::Builder;
use crate::source::pos::{relative_pos, Pos};
use crate::source::tree::ParseError;
use crate::source::Limits;

pub(super) fn too_deep_message(limits: &Limits) -> String {
    format!(
        "nesting deeper than {} levels; bridgelint stops reading this file",
        limits.max_depth
    )
}

/// YAML 1.2 (7.4.2): a key written without `? ` (an implicit key) is at most 1024 characters.
pub(super) const MAX_IMPLICIT_KEY: usize = 1024;

fn long_key_message() -> String {
    format!(
        "a key longer than {MAX_IMPLICIT_KEY} characters: YAML limits a key written without `? ` to {MAX_IMPLICIT_KEY}; shorten it"
    )
}

/// Where the line holding `offset` starts.
fn line_start_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

fn describe_scan_error(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        "invalid YAML".to_string()
    } else {
        format!("invalid YAML: {raw}")
    }
}

impl Builder<'_, '_> {
    /// The parse error for a scan error, at the character that caused it.
    pub(super) fn scan_error(&self, e: &ScanError) -> ParseError {
        let m = e.marker();
        match e.kind() {
            ErrorKind::RecursionLimitExceeded => ParseError {
                message: too_deep_message(self.limits),
                pos: self.flow_too_deep_at().unwrap_or(self.marker_pos(m)),
            },
            ErrorKind::TabInPlainScalar => ParseError {
                message: describe_scan_error(&e.kind().to_string()),
                pos: self.next_indentation_tab(self.marker_pos(m)),
            },
            ErrorKind::TabInBlockIndentation => ParseError {
                message: describe_scan_error(&e.kind().to_string()),
                pos: self.indentation_tab_at(self.marker_pos(m)),
            },
            kind => {
                let pos = self.marker_pos(m);
                match self.long_key_on_line(pos) {
                    Some(key) => ParseError {
                        message: long_key_message(),
                        pos: key,
                    },
                    None => ParseError {
                        message: describe_scan_error(&kind.to_string()),
                        pos,
                    },
                }
            }
        }
    }

    /// The start of a key longer than YAML's limit on the line of `at`, if there is one: the
    /// scanner stops looking for a key's `:` after 1024 characters and reports what it then
    /// sees (a missing `:`, a mapping value not allowed, a flow collection not closed).
    fn long_key_on_line(&self, at: Pos) -> Option<Pos> {
        let bytes = self.text.as_bytes();
        let at_offset = (at.offset as usize).min(bytes.len());
        let line_start = line_start_of(bytes, at_offset);
        let line_end = bytes[at_offset..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |n| at_offset + n);
        let skip_blanks = |mut i: usize| {
            while i < line_end && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
            }
            i
        };
        // Where the key being read started: at the line's start (after `- ` and `? `) or
        // after a flow indicator; after a key's `:` comes a value, which is no key.
        let mut key = Some(skip_blanks(line_start));
        while let Some(k) = key.filter(|&k| {
            k + 1 < line_end && matches!(bytes[k], b'-' | b'?') && bytes[k + 1] == b' '
        }) {
            key = Some(skip_blanks(k + 1));
        }
        let first = key.unwrap_or(line_start);
        for i in first..line_end {
            match bytes[i] {
                b'{' | b'[' | b',' => key = Some(skip_blanks(i + 1)),
                b':' if i + 1 >= line_end
                    || matches!(bytes[i + 1], b' ' | b'\t' | b',' | b']' | b'}') =>
                {
                    if let Some(k) = key.filter(|&k| k <= i) {
                        let written = self.text[k..i].trim_end();
                        if written.len() > MAX_IMPLICIT_KEY
                            && written.chars().count() > MAX_IMPLICIT_KEY
                        {
                            return Some(relative_pos(self.text, at, k));
                        }
                    }
                    key = None;
                }
                _ => {}
            }
        }
        None
    }

    pub(super) fn too_deep(&self, pos: Pos) -> ParseError {
        ParseError {
            message: too_deep_message(self.limits),
            pos,
        }
    }

    /// The first tab of the indentation of the line holding `at`: the scanner reports a tab
    /// used as indentation after it, where it noticed.
    fn indentation_tab_at(&self, at: Pos) -> Pos {
        let bytes = self.text.as_bytes();
        let end = (at.offset as usize).min(bytes.len());
        let line_start = line_start_of(bytes, end);
        let indentation = bytes[line_start..]
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .map_or(bytes.len(), |n| line_start + n);
        match bytes[line_start..indentation]
            .iter()
            .position(|&b| b == b'\t')
        {
            Some(i) => Pos::new(at.line, i as u32 + 1, (line_start + i) as u32),
            None => at,
        }
    }

    /// The first tab used as indentation (only blanks before it on its line) at or after
    /// `at`: a plain scalar that would continue on a tab-indented line is reported at its
    /// start, not at the tab.
    fn next_indentation_tab(&self, at: Pos) -> Pos {
        let bytes = self.text.as_bytes();
        let mut line_blank = false;
        for (i, &b) in bytes.iter().enumerate().skip(at.offset as usize) {
            match b {
                b'\n' | b'\r' => line_blank = true,
                b'\t' if line_blank => return relative_pos(self.text, at, i),
                b' ' => {}
                _ => line_blank = false,
            }
        }
        at
    }

    /// Where a flow collection first goes deeper than the limit, after the last event.
    ///
    /// The scanner holds flow tokens back while it looks ahead for a `:` that would make them
    /// a key, so its own nesting limit fires somewhere past the bracket that crossed ours:
    /// walk the brackets from the last event received to find that bracket.
    fn flow_too_deep_at(&self) -> Option<Pos> {
        let bytes = self.text.as_bytes();
        let mut depth = self.stack.len();
        let mut i = self.last_end.offset as usize;
        let mut after_indicator = true;
        while i < bytes.len() {
            match bytes[i] {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.limits.max_depth {
                        return Some(relative_pos(self.text, self.last_end, i));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'"' if after_indicator => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'\'' if after_indicator => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                }
                b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => {}
            }
            if i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                after_indicator = matches!(bytes[i], b'[' | b'{' | b',' | b':');
            }
            i += 1;
        }
        None
    }
}
