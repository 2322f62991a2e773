//! What a run keeps of each file ([`FileInfo`]): its paths, its line table (and the positions
//! of its UTF-8 continuation bytes, for columns without the text), its redactions.

use std::sync::Arc;

use super::Loc;

/// Per-file facts kept after parsing (the tree itself is dropped).
#[derive(Clone, Debug, Default)]
pub struct FileInfo {
    /// Path as printed (relative to the current folder when under it, `/`-separated).
    pub display: Arc<str>,
    /// Path relative to the context root (ordering, baselines, SARIF).
    pub rel: Arc<str>,
    /// Findings in this file are reported (named, or found under a named folder).
    pub reported: bool,
    /// Byte offsets where lines start.
    pub line_starts: Vec<u32>,
    /// The text, kept only for standard input and for files dense in non-ASCII characters.
    pub text: Option<Arc<str>>,
    /// Where the UTF-8 continuation bytes of a file with non-ASCII characters are, when its
    /// text is not kept: columns count code points, the bytes before an offset on its line less
    /// these. Four bytes each, kept only while that is less than the text itself.
    pub continuation: Vec<u32>,
    /// The text's length in bytes.
    pub len: u32,
    /// Byte ranges holding secrets (literal secret values, credential-pattern matches): masked
    /// in every excerpt and message.
    pub redactions: Vec<std::ops::Range<u32>>,
    /// The file starts with a UTF-8 BOM (not counted in columns).
    pub bom: bool,
    /// SHA-256 of the text, when the text is not kept: the `human` format reads the file again
    /// for its excerpts, and shows them only if the file still hashes to this (the redactions
    /// were computed on this text; a file changed since must not print text they never saw).
    pub digest: Option<[u8; 32]>,
}

impl FileInfo {
    pub fn new(display: Arc<str>, rel: Arc<str>, reported: bool) -> FileInfo {
        FileInfo {
            display,
            rel,
            reported,
            ..FileInfo::default()
        }
    }

    /// Records the line structure of the text (and keeps non-ASCII texts for column counts).
    pub fn set_text(&mut self, text: &str, keep: bool) {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i as u32 + 1);
        }
        starts.shrink_to_fit();
        self.line_starts = starts;
        self.bom = text.starts_with('\u{feff}');
        self.len = text.len() as u32;
        if keep {
            self.text = Some(text.into());
            return;
        }
        self.digest = Some(crate::source::digest(text));
        if !text.is_ascii() {
            // A run must not hold every text: most non-ASCII files have a few accented names.
            let continuation: Vec<u32> = (bytes.iter().enumerate())
                .filter(|(_, b)| (0x80..0xc0).contains(*b))
                .map(|(i, _)| i as u32)
                .collect();
            if continuation.len() * 4 < text.len() {
                self.continuation = continuation;
            } else {
                self.text = Some(text.into());
            }
        }
    }

    /// Line and column of a byte offset (1-based; columns in code points, BOM not counted).
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        if self.line_starts.is_empty() {
            return (1, 1);
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line];
        if line == 0 && self.bom {
            start = start.max(3.min(offset));
        }
        let column = match &self.text {
            Some(text) => {
                let (s, e) = (start as usize, (offset as usize).min(text.len()));
                text.get(s..e)
                    .map_or(e.saturating_sub(s), |t| t.chars().count())
            }
            None if !self.continuation.is_empty() => {
                let end = offset.min(self.len);
                let before = |x: u32| self.continuation.partition_point(|&c| c < x);
                let bytes = end.saturating_sub(start) as usize;
                // An offset inside a character counts bytes, as the text's own slice would.
                match self.continuation.binary_search(&end) {
                    Ok(_) => bytes,
                    Err(_) => bytes - (before(end) - before(start)),
                }
            }
            None => (offset - start) as usize,
        };
        (line as u32 + 1, column as u32 + 1)
    }

    pub fn is_redacted(&self, loc: &Loc) -> bool {
        crate::secrets::overlaps(&self.redactions, loc.start, loc.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_without_the_text_are_those_of_the_text() {
        let texts = [
            "owner: Zoë Müller\nname: café\r\n  x: «y»\n",
            "\u{feff}name: Ünïcode\nb: ok\n",
            "a: 😀 and é\rb: ö\r\nc: plain ascii line that is long enough\n",
            "display_name: \"Équipe Intégrations\"\nowner: team-platform\npurpose: Synchronise les tickets entre Jira et Azure DevOps\n",
        ];
        for text in texts {
            let mut kept = FileInfo::default();
            kept.set_text(text, true);
            let mut compact = FileInfo::default();
            compact.set_text(text, false);
            assert!(
                compact.text.is_none() && !compact.continuation.is_empty(),
                "{text:?}"
            );
            for offset in 0..text.len() as u32 + 3 {
                assert_eq!(
                    compact.line_col(offset),
                    kept.line_col(offset),
                    "{text:?} at {offset}"
                );
            }
        }
        // A text mostly of multi-byte characters is kept: its table would be larger.
        let mut dense = FileInfo::default();
        dense.set_text("名前: 統合同期サービス\n", false);
        assert!(dense.text.is_some() && dense.continuation.is_empty());
    }
}
