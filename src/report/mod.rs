//! Output formats. A formatter receives finished diagnostics (positions resolved, secrets
//! masked, order fixed) and knows nothing of rules or the model.

pub mod compact;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use std::path::Path;
use std::sync::Arc;

use crate::finding::{Applicability, Severity};
use crate::source::Pos;

#[derive(Clone, Debug)]
pub struct RelatedDiag {
    pub path: String,
    /// Relative to the repository root (SARIF, GitLab); absolute when outside it.
    pub repo_path: String,
    /// Index of its file in [`Report::sources`].
    pub file: usize,
    pub start: Pos,
    pub end: Pos,
    pub message: String,
}

/// One edit of a fix, with positions.
#[derive(Clone, Debug)]
pub struct DiagEdit {
    pub start: Pos,
    pub end: Pos,
    pub content: String,
}

/// A finding's fix, as the formats show it.
#[derive(Clone, Debug)]
pub struct DiagFix {
    pub applicability: Applicability,
    /// `--fix` would apply it with this run's options (`safe`, or `--unsafe-fixes` given):
    /// what `[*]` marks.
    pub applicable: bool,
    pub message: String,
    pub edits: Vec<DiagEdit>,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// As printed (relative to the current folder when under it).
    pub path: String,
    /// Relative to the context root.
    pub rel: String,
    /// Relative to the repository root (the git root above the context root, else the context
    /// root): what SARIF and GitLab need to place findings in a repository; absolute when
    /// outside it.
    pub repo_path: String,
    pub start: Pos,
    pub end: Pos,
    pub help: String,
    pub related: Vec<RelatedDiag>,
    pub fingerprint: String,
    /// The finding's route in its document (baselines).
    pub route: String,
    /// The reason of the in-source suppression that hides it (only SARIF shows these).
    pub suppressed: Option<String>,
    /// Index of its file in [`Report::sources`].
    pub file: usize,
    /// How to mend it, when it can be said as edits of its file.
    pub fix: Option<DiagFix>,
}

impl Diagnostic {
    /// ` [*]` when `--fix` would mend it.
    pub fn fix_mark(&self) -> &'static str {
        match &self.fix {
            Some(f) if f.applicable => " [*]",
            _ => "",
        }
    }
}

/// How to show a file's text (human excerpts): its path or its text, and what to mask.
#[derive(Clone, Debug, Default)]
pub struct SourceRef {
    pub abs: Option<Arc<Path>>,
    pub text: Option<Arc<str>>,
    pub redactions: Vec<std::ops::Range<u32>>,
    /// SHA-256 of the text the redactions were computed on (`FileInfo::digest`): a file read
    /// again from `abs` is shown only if it still hashes to this.
    pub digest: Option<[u8; 32]>,
}

impl SourceRef {
    /// The text with every secret replaced by `*` (same length in bytes: positions hold).
    /// `None` when there is none to show: a file read again from disk that no longer hashes to
    /// the text that was checked (its redactions would fall in the wrong places), or that can
    /// no longer be read.
    pub fn masked_text(&self) -> Option<String> {
        let text: String = match &self.text {
            Some(t) => t.to_string(),
            None => {
                let text = std::fs::read_to_string(self.abs.as_ref()?).ok()?;
                if Some(crate::source::digest(&text)) != self.digest {
                    return None;
                }
                text
            }
        };
        let mut bytes = text.into_bytes();
        for r in &self.redactions {
            let (s, e) = (r.start as usize, (r.end as usize).min(bytes.len()));
            for b in bytes.iter_mut().take(e).skip(s) {
                // Keep line breaks so that line numbers hold.
                if *b != b'\n' && *b != b'\r' {
                    *b = b'*';
                }
            }
        }
        // Masking can split a multi-byte character: repair lossily, lengths of ASCII hold.
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub skipped: usize,
    pub suppressed: usize,
    pub baselined: usize,
    pub baseline_unmatched: usize,
    /// Findings mended by `--fix` (shown only after a `--fix` run).
    #[serde(skip_serializing_if = "is_zero")]
    pub fixed: usize,
    /// Why `--fix` left a file as it was before a round (it broke the parse, brought back a
    /// finding it fixed, or added an error).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fix_notes: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Rule metadata for formats that describe rules (SARIF).
#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub name: String,
    pub severity: Severity,
    /// The group of the README's rule table (`credentials`, ...) or a custom rule's own.
    pub category: String,
    /// A built-in rule, documented in docs/rules-reference.md.
    pub builtin: bool,
    pub summary: String,
    /// The full explanation (`bridgelint explain RULE`), plain text.
    pub help: Deferred,
    /// The same as Markdown (examples as code blocks).
    pub help_markdown: Deferred,
}

/// A text written the first time it is read, then kept: what only some formats read (the
/// rules' documentation: SARIF and the language server's hover) costs nothing in the others.
#[derive(Clone)]
pub struct Deferred(Arc<DeferredText>);

struct DeferredText {
    text: std::sync::OnceLock<String>,
    write: Box<dyn Fn() -> String + Send + Sync>,
}

impl Deferred {
    pub fn new(write: impl Fn() -> String + Send + Sync + 'static) -> Deferred {
        Deferred(Arc::new(DeferredText {
            text: std::sync::OnceLock::new(),
            write: Box::new(write),
        }))
    }

    pub fn as_str(&self) -> &str {
        self.0.text.get_or_init(|| (self.0.write)())
    }
}

impl std::fmt::Display for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

pub struct Report {
    /// In the deterministic order; suppressed ones included (flagged).
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    pub sources: Vec<SourceRef>,
    pub rules: Vec<RuleMeta>,
    /// Lines for `--verbose`: skipped files and timings (never in machine formats).
    pub verbose: Vec<String>,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Compact,
    Json,
    Sarif,
    Github,
    Gitlab,
}

pub struct Style {
    pub color: bool,
}

/// Renders a report.
pub fn render(report: &Report, format: Format, style: &Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Compact => compact::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
    }
}

/// Writes the report in a format to `out`; JSON and SARIF are written as they are serialised,
/// diagnostic by diagnostic, without the whole text (8.5 MB of SARIF on 10k integrations) or a
/// list of the serialised diagnostics in memory. The same bytes as [`render`].
pub fn write(
    report: &Report,
    format: Format,
    style: &Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        _ => out.write_all(render(report, format, style).as_bytes()),
    }
}

/// Pretty JSON of `value` and a final line break, written to `out` as it is serialised.
fn write_pretty(
    value: &impl serde::Serialize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// [`write_pretty`] into a string (for the callers that want the text).
fn pretty_text(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    // Writing to a vector fails only if serialising does, which our types never do.
    let _ = write(&mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// A list serialised item by item from an iterator made on demand: what is written is never
/// gathered first.
struct Streamed<F>(F);

impl<F, I> serde::Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Whether a character must not reach a terminal or a CI log as itself: C0 and C1 control
/// characters (ESC, BEL, CR, LF, ...) and the bidirectional overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069, and the marks U+200E, U+200F, U+061C), which reorder what
/// a reader sees.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Text from a linted file or a file name made inert for line-oriented output: every unsafe
/// character ([`is_unsafe`]) becomes a visible escape (`\n`, `\u{1b}`, `\u{202e}`), so that
/// it can neither start a line (a GitHub workflow command, `::error ...`) nor move the cursor.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Source text for an excerpt made inert without moving any offset: each unsafe character
/// except line breaks and tabs is replaced by a visible one of the same length in bytes
/// (`?`, `¿` or U+FFFD), so that spans computed on the text still fall where they did.
pub fn inert_same_length(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && c != '\n' && c != '\t';
    if !s.chars().any(unsafe_here) {
        return std::borrow::Cow::Borrowed(s);
    }
    let out = s
        .chars()
        .map(|c| match (unsafe_here(c), c.len_utf8()) {
            (false, _) => c,
            (true, 1) => '?',
            (true, 2) => '\u{bf}',
            (true, _) => '\u{fffd}',
        })
        .collect();
    std::borrow::Cow::Owned(out)
}

pub fn visible(report: &Report) -> impl Iterator<Item = &Diagnostic> {
    report.diagnostics.iter().filter(|d| d.suppressed.is_none())
}
