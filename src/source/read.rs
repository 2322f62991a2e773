//! Reading one file's bytes safely: regular files only (a FIFO must never block the run), a size
//! limit, UTF-8 checked with the position of the first bad byte.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::pos::{LineIndex, Pos};
use super::{has_marker, Limits};

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
pub fn read_file(path: &Path, limits: &Limits) -> Result<ReadOutcome, std::io::Error> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Ok(ReadOutcome::Unreadable {
            message: format!("cannot read this path: it is {what}"),
            pos: Pos::new(1, 1, 0),
        });
    }
    let file = File::open(path)?;
    // One byte past the limit tells an oversized file; the limit is bounded by the config and
    // the command line, and saturating here keeps any caller's limit from wrapping to zero.
    let cap = limits.max_file_size.saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(cap)).unwrap_or(0));
    file.take(cap).read_to_end(&mut bytes)?;
    Ok(classify(bytes, limits))
}

/// Applies the size limit, the marker check and UTF-8 decoding to a file's bytes.
pub fn classify(bytes: Vec<u8>, limits: &Limits) -> ReadOutcome {
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
