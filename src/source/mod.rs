//! Reading files: bytes → text → spanned tree, with every limit that keeps hostile input cheap.
//!
//! This module knows nothing of bridgelint documents beyond the `bridgelint/` marker that lets
//! the walker skip unrelated files before parsing them.

pub mod json;
mod mapping;
pub mod pos;
pub mod read;
pub mod tree;
pub mod yaml;

pub use pos::{LineIndex, Pos, Span};
pub use tree::{Document, Node, ParseError, ParsedFile, Value};

/// Resource limits applied while reading and parsing one file.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Files larger than this are not parsed (default 10 MiB; `--max-file-size`).
    pub max_file_size: u64,
    /// Maximum nesting of collections, aliases included.
    pub max_depth: usize,
    /// Maximum number of nodes that aliases may expand to, per file.
    pub alias_budget: usize,
}

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// The smallest and largest size limit `--max-file-size` and `max_file_size:` accept (the
/// config schema holds the same numbers). Offsets are 32-bit and a file is held whole in
/// memory: a limit above 1 GiB would promise what a run cannot keep.
pub const MAX_FILE_SIZE_RANGE: std::ops::RangeInclusive<u64> = 1024..=1 << 30;
pub const DEFAULT_MAX_DEPTH: usize = 128;
pub const DEFAULT_ALIAS_BUDGET: usize = 100_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_depth: DEFAULT_MAX_DEPTH,
            alias_budget: DEFAULT_ALIAS_BUDGET,
        }
    }
}

/// The marker whose absence lets a file be skipped without parsing.
pub const MARKER: &[u8] = b"bridgelint/";

pub fn has_marker(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, MARKER).is_some()
}

/// Which parser a path goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

impl Syntax {
    pub fn of_path(path: &str) -> Option<Syntax> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Some(Syntax::Yaml)
        } else if lower.ends_with(".json") {
            Some(Syntax::Json)
        } else {
            None
        }
    }
}

/// The message for a file holding a NUL byte (read.rs reports it too, when it comes before
/// invalid UTF-8).
pub const BINARY_MESSAGE: &str = "binary content (a NUL byte); this is not a YAML or JSON text";

/// Parses text with the parser for its syntax.
pub fn parse<'t>(
    text: &'t str,
    syntax: Syntax,
    limits: &Limits,
    want_comments: bool,
) -> Result<ParsedFile<'t>, ParseError> {
    if let Some(nul) = memchr::memchr(0, text.as_bytes()) {
        return Err(ParseError {
            message: BINARY_MESSAGE.into(),
            pos: LineIndex::new(text).pos(nul),
        });
    }
    match syntax {
        Syntax::Yaml => yaml::parse(text, limits, want_comments),
        Syntax::Json => json::parse(text, limits),
    }
}

/// The SHA-256 of a text: what a file held when it was checked, to tell whether a later read
/// of it is the same text (the `human` format's excerpts).
pub fn digest(text: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes()).into()
}
