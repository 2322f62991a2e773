//! Reading one file's bytes safely: regular files only (a FIFO must never block the run), a size
//! limit, UTF-8 checked with the position of the first bad byte, UTF-16 and UTF-32 (with a
//! byte order mark) told apart and reported instead of skipped.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::pos::{LineIndex, Pos};
use super::{has_marker, Limits};

/// A text encoding other than UTF-8 that a byte order mark announces.
#[derive(Clone, Copy)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    fn name(self) -> &'static str {
        match self {
            Wide::Utf16Le | Wide::Utf16Be => "UTF-16",
            Wide::Utf32Le | Wide::Utf32Be => "UTF-32",
        }
    }

    /// An ASCII text in this encoding.
    fn encode(self, ascii: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(ascii.len() * 4);
        for &b in ascii {
            match self {
                Wide::Utf16Le => out.extend([b, 0]),
                Wide::Utf16Be => out.extend([0, b]),
                Wide::Utf32Le => out.extend([b, 0, 0, 0]),
                Wide::Utf32Be => out.extend([0, 0, 0, b]),
            }
        }
        out
    }
}

/// The encoding a byte order mark announces (UTF-32 first: its little-endian mark starts with
/// UTF-16's).
fn wide_encoding(bytes: &[u8]) -> Option<Wide> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => Some(Wide::Utf32Le),
        [0, 0, 0xFE, 0xFF, ..] => Some(Wide::Utf32Be),
        [0xFF, 0xFE, ..] => Some(Wide::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Wide::Utf16Be),
        _ => None,
    }
}

/// Whether the `bridgelint/` marker, in that encoding, is in the bytes: the file is ours.
fn has_wide_marker(bytes: &[u8], encoding: Wide) -> bool {
    memchr::memmem::find(bytes, &encoding.encode(super::MARKER)).is_some()
}

/// What reading a file gave.
pub enum ReadOutcome {
    Text(String),
    /// Not for us: no `bridgelint/` marker (or too big and no marker in its head).
    NotOurs,
    /// The file is ours (or named) and cannot be read as text; the message says why.
    Unreadable {
        message: String,
        pos: Pos,
    },
}

/// How many bytes of an oversized file are looked at for the marker.
pub const HEAD_BYTES: usize = 64 * 1024;

/// Reads a file. `named` files (given on the command line) report every failure; walked files
/// that cannot be opened are the caller's to list under `--verbose`.
pub fn read_file(path: &Path, limits: &Limits, named: bool) -> Result<ReadOutcome, std::io::Error> {
    match read_regular(path, limits.max_file_size)? {
        Ok(bytes) => Ok(classify_as(bytes, limits, named)),
        Err(what) => Ok(ReadOutcome::Unreadable {
            message: format!("cannot read this path: it is {what}"),
            pos: Pos::new(1, 1, 0),
        }),
    }
}

/// The bytes of a regular file, at most `max + 1` of them (one past the limit tells an
/// oversized file, however large it is); `Err(what it is)` for a path that is not a regular
/// file (a FIFO must not block the run). Documents and our own data files are read with it.
pub fn read_regular(path: &Path, max: u64) -> std::io::Result<Result<Vec<u8>, &'static str>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Ok(Err(if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a FIFO, socket or device)"
        }));
    }
    let file = File::open(path)?;
    // Saturating keeps any caller's limit from wrapping to zero.
    let cap = max.saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(cap)).unwrap_or(0));
    file.take(cap).read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

/// Applies the size limit, the marker check and UTF-8 decoding to a file's bytes (a file
/// found while walking: see [`classify_as`]).
pub fn classify(bytes: Vec<u8>, limits: &Limits) -> ReadOutcome {
    classify_as(bytes, limits, false)
}

/// [`classify`], for a file that was `named` (on the command line, or standard input): a
/// UTF-16 or UTF-32 file is then reported even when it does not hold the marker.
pub fn classify_as(bytes: Vec<u8>, limits: &Limits, named: bool) -> ReadOutcome {
    if let Some(encoding) = wide_encoding(&bytes) {
        let seen = &bytes[..bytes
            .len()
            .min(if bytes.len() as u64 > limits.max_file_size {
                HEAD_BYTES
            } else {
                bytes.len()
            })];
        if !named && !has_wide_marker(seen, encoding) {
            return ReadOutcome::NotOurs;
        }
        return ReadOutcome::Unreadable {
            message: format!(
                "{} text: bridgelint reads UTF-8; convert the file",
                encoding.name()
            ),
            pos: Pos::new(1, 1, 0),
        };
    }
    if bytes.len() as u64 > limits.max_file_size {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        if !has_marker(head) {
            return ReadOutcome::NotOurs;
        }
        return ReadOutcome::Unreadable {
            message: format!(
                "file is larger than the {} byte limit; raise it with --max-file-size or `max_file_size` in .bridgelint.yaml",
                limits.max_file_size
            ),
            pos: Pos::new(1, 1, 0),
        };
    }
    if !has_marker(&bytes) {
        return ReadOutcome::NotOurs;
    }
    match String::from_utf8(bytes) {
        Ok(text) => ReadOutcome::Text(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // The first problem is the one reported: a NUL byte before the bad UTF-8 makes the
            // file binary at the NUL.
            let nul = memchr::memchr(0, &bytes[..valid]);
            let at = nul.unwrap_or(valid);
            let text = std::str::from_utf8(&bytes[..at]).unwrap_or("");
            let mut pos = LineIndex::new(text).pos(at);
            pos.offset = at as u32;
            let message = match nul {
                Some(_) => super::BINARY_MESSAGE.into(),
                None => "invalid UTF-8: bridgelint reads UTF-8 text only".into(),
            };
            ReadOutcome::Unreadable { message, pos }
        }
    }
}
