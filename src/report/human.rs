//! `human`: rustc-style diagnostics with the source excerpt (secrets masked), the span
//! underlined, the rule name, the message, a help line, and a closing summary.

use std::collections::HashMap;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

use super::{inert, inert_same_length, visible, Diagnostic, Report, Style, Summary};
use crate::finding::Severity;
use crate::source::pos::{ceil_char_boundary, floor_char_boundary};
use crate::source::{LineIndex, Pos};

pub fn render(report: &Report, style: &Style) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    // Diagnostics come file by file. The texts excerpts are cut from are loaded for one file's
    // diagnostics at a time, with the files their related locations point into, and dropped
    // after: the report never holds every text of a run (10,000 files with findings would
    // be read back at once), only what one file's diagnostics show.
    let shown: Vec<&Diagnostic> = visible(report).collect();
    let mut out = String::new();
    for group in shown.chunk_by(|a, b| a.file == b.file) {
        let mut files: Vec<usize> = group
            .iter()
            .flat_map(|d| std::iter::once(d.file).chain(d.related.iter().map(|r| r.file)))
            .collect();
        files.sort_unstable();
        files.dedup();
        let texts: Vec<(usize, String)> = files
            .into_iter()
            .filter_map(|f| Some((f, report.sources.get(f)?.masked_text()?)))
            .collect();
        // One line index per file, shared by the group's diagnostics.
        let indexes: HashMap<usize, LineIndex> = texts
            .iter()
            .map(|(f, text)| (*f, LineIndex::new(text)))
            .collect();
        for d in group {
            out.push_str(&render_one(d, &indexes, &renderer));
            out.push_str("\n\n");
        }
    }
    out.push_str(&fix_hint(report));
    out.push_str(&summary_line(&report.summary, style.color));
    out.push('\n');
    out
}

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// Lines longer than this (in bytes) are shown as a window around the span: a minified JSON
/// file is one line, and rendering all of it for each of its findings would be quadratic.
const WIDE_LINE: usize = 1024;
/// Bytes of context kept on each side of the span in a window.
const WINDOW_CONTEXT: usize = 80;
/// A span over more lines than this is shown on its first line only.
const MAX_EXCERPT_LINES: u32 = 12;

/// The text shown for one span, and how file offsets map into it.
struct Excerpt {
    text: String,
    /// File offset of the first byte of `text` after `prefix`.
    base: usize,
    /// Bytes added before the file text (an ellipsis when the line was cut on the left).
    prefix: usize,
    /// The span, clipped to what is shown.
    span: std::ops::Range<usize>,
    /// The line was cut: the location must be given explicitly, since the renderer would
    /// count the column from the cut.
    windowed: bool,
}

impl Excerpt {
    fn local(&self) -> std::ops::Range<usize> {
        let map = |x: usize| (x.saturating_sub(self.base) + self.prefix).min(self.text.len());
        let s = map(self.span.start);
        s..map(self.span.end).max(s)
    }
}

/// The lines of a file covering a span, normalised for display (CR-only line ends become LF;
/// lengths in bytes are kept so offsets hold), cut to a window when a line is too wide.
fn excerpt(idx: &LineIndex, start: Pos, end: Pos) -> Excerpt {
    let text = idx.text();
    // End of a line's text, before its line break.
    let line_end = |line: u32| idx.line_start(line as usize) + idx.line_text(line as usize).len();
    let mut last = end.line.max(start.line).min(idx.line_count() as u32);
    let mut span = start.offset as usize..(end.offset as usize).max(start.offset as usize);
    let wide = (start.line..=last)
        .any(|l| line_end(l).saturating_sub(idx.line_start(l as usize)) > WIDE_LINE);
    if wide || last - start.line >= MAX_EXCERPT_LINES {
        last = start.line;
        span.end = span.end.min(line_end(start.line)).max(span.start);
    }
    let first = idx.line_start(start.line as usize).min(text.len());
    let stop = if (last as usize) < idx.line_count() {
        idx.line_start(last as usize + 1)
    } else {
        text.len()
    };
    let (from, to, windowed) = if wide {
        span.end = span.end.min(span.start + WIDE_LINE / 2);
        let from = floor_char_boundary(text, span.start.saturating_sub(WINDOW_CONTEXT).max(first));
        let to = ceil_char_boundary(text, (span.end + WINDOW_CONTEXT).min(line_end(start.line)));
        span.end = ceil_char_boundary(text, span.end);
        (from, to, true)
    } else {
        (first, stop.max(first).min(text.len()), false)
    };
    let mut shown = String::new();
    if from > first {
        shown.push('…');
    }
    let prefix = shown.len();
    let mut bytes = text.as_bytes()[from..to].to_vec();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' {
            bytes[i] = if bytes.get(i + 1) == Some(&b'\n') {
                b' '
            } else {
                b'\n'
            };
        }
    }
    // Control and bidi characters of the file are shown as visible ones of the same length.
    shown.push_str(&inert_same_length(&String::from_utf8_lossy(&bytes)));
    if windowed && to < line_end(start.line) {
        shown.push('…');
    }
    Excerpt {
        text: shown,
        base: from,
        prefix,
        span,
        windowed,
    }
}

/// One span as renderer elements: the located excerpt, or a note when the file cannot be shown.
fn span_elements<'a>(
    ex: Option<&'a Excerpt>,
    path: &'a str,
    start: Pos,
    annotation: annotate_snippets::Annotation<'a>,
    note: impl FnOnce() -> annotate_snippets::Element<'a>,
) -> Vec<annotate_snippets::Element<'a>> {
    match ex {
        Some(ex) if ex.windowed => vec![
            Origin::path(path)
                .line(start.line as usize)
                .char_column(start.column as usize)
                .into(),
            Snippet::source(ex.text.as_str())
                .line_start(start.line as usize)
                .annotation(annotation)
                .into(),
        ],
        Some(ex) => vec![Snippet::source(ex.text.as_str())
            .line_start(start.line as usize)
            .path(path)
            .annotation(annotation)
            .into()],
        None => vec![note()],
    }
}

fn render_one(d: &Diagnostic, indexes: &HashMap<usize, LineIndex>, renderer: &Renderer) -> String {
    // Excerpts are cut from the masked texts; a file that cannot be shown gets a note instead.
    let excerpts: Vec<Option<Excerpt>> = std::iter::once((d.file, d.start, d.end))
        .chain(d.related.iter().map(|r| (r.file, r.start, r.end)))
        .map(|(file, start, end)| Some(excerpt(indexes.get(&file)?, start, end)))
        .collect();
    // Paths are file names an author chose: inert, like messages.
    let path = inert(&d.path);
    let related_paths: Vec<_> = d.related.iter().map(|r| inert(&r.path)).collect();
    let mut elements: Vec<annotate_snippets::Element> = Vec::new();
    let primary = excerpts[0].as_ref();
    let span = primary.map_or(0..0, Excerpt::local);
    elements.extend(span_elements(
        primary,
        &path,
        d.start,
        AnnotationKind::Primary.span(span),
        || {
            Level::NOTE
                .no_name()
                .message(format!("{path}:{}:{}", d.start.line, d.start.column))
                .into()
        },
    ));
    for ((r, ex), rpath) in d.related.iter().zip(&excerpts[1..]).zip(&related_paths) {
        let span = ex.as_ref().map_or(0..0, Excerpt::local);
        elements.extend(span_elements(
            ex.as_ref(),
            rpath,
            r.start,
            AnnotationKind::Context.span(span).label(r.message.as_str()),
            || {
                Level::NOTE
                    .message(format!(
                        "{} ({}:{}:{})",
                        r.message, rpath, r.start.line, r.start.column
                    ))
                    .into()
            },
        ));
    }
    if let Some(fix) = &d.fix {
        let how = match (fix.applicable, fix.applicability) {
            (true, _) => "",
            (false, _) => " (unsafe: applied with --fix --unsafe-fixes)",
        };
        elements.push(
            Level::HELP
                .with_name("fix")
                .message(format!("{}{how}", fix.message))
                .into(),
        );
    }
    elements.push(Level::HELP.message(d.help.as_str()).into());
    let title = match d.fix_mark() {
        "" => d.message.clone(),
        _ => format!("[*] {}", d.message),
    };
    let group = level(d.severity)
        .primary_title(title)
        .id(d.rule.as_str())
        .elements(elements);
    let out = renderer.render(&[group]);
    if excerpts.iter().flatten().any(|e| e.windowed) {
        // A snippet placed after an explicit location gets an empty "other file" marker line.
        out.lines()
            .filter(|l| strip_ansi(l).trim() != "⸬")
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        out
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn summary_line(s: &Summary, color: bool) -> String {
    let mut line = format!(
        "{}, {}, {} in {} ({} skipped)",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file"),
        s.skipped
    );
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.baselined > 0 {
        line.push_str(&format!("; {} in the baseline", s.baselined));
    }
    if s.fixed > 0 {
        line.push_str(&format!("; {} fixed", s.fixed));
    }
    if s.baseline_unmatched > 0 {
        line.push_str(&format!(
            "; {} baseline {} no longer found",
            s.baseline_unmatched,
            if s.baseline_unmatched == 1 {
                "entry"
            } else {
                "entries"
            }
        ));
    }
    if color {
        let code = if s.errors > 0 {
            "1;31"
        } else if s.warnings > 0 {
            "1;33"
        } else {
            "1;32"
        };
        format!("\x1b[{code}m{line}\x1b[0m")
    } else {
        line
    }
}

/// `[*] N fixable with --fix` (and the unsafe fixes `--unsafe-fixes` would add), before the
/// summary, when some visible finding has a fix.
fn fix_hint(report: &Report) -> String {
    let (mut now, mut more) = (0, 0);
    for d in super::visible(report) {
        match &d.fix {
            Some(f) if f.applicable => now += 1,
            Some(_) => more += 1,
            None => {}
        }
    }
    match (now, more) {
        (0, 0) => String::new(),
        (n, 0) => format!("[*] {n} fixable with --fix\n"),
        (0, m) => format!("{m} fixable with --fix --unsafe-fixes\n"),
        (n, m) => format!("[*] {n} fixable with --fix ({m} more with --unsafe-fixes)\n"),
    }
}
