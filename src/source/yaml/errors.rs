//! Where and how a scan error is reported. The scanner notices some problems later than where
//! they are (a tab used as indentation, a flow collection past the depth limit): these find the
//! character that caused them.

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
            kind => ParseError {
                message: describe_scan_error(&kind.to_string()),
                pos: self.marker_pos(m),
            },
        }
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
        let line_start = bytes[..end]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
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
