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

use crate::finding::Severity;
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
}

/// How to show a file's text (human excerpts): its path or its text, and what to mask.
#[derive(Clone, Debug, Default)]
pub struct SourceRef {
    pub abs: Option<Arc<Path>>,
    pub text: Option<Arc<str>>,
    pub redactions: Vec<std::ops::Range<u32>>,
}

impl SourceRef {
    /// The text with every secret replaced by `*` (same length in bytes: positions hold).
    pub fn masked_text(&self) -> Option<String> {
        let text: String = match &self.text {
            Some(t) => t.to_string(),
            None => std::fs::read_to_string(self.abs.as_ref()?).ok()?,
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
    pub help: String,
    /// The same as Markdown (examples as code blocks).
    pub help_markdown: String,
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

pub fn visible(report: &Report) -> impl Iterator<Item = &Diagnostic> {
    report.diagnostics.iter().filter(|d| d.suppressed.is_none())
}
