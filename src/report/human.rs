//! `human`: rustc-style diagnostics with the source excerpt (secrets masked), the span
//! underlined, the rule name, the message, a help line, and a closing summary.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{visible, Diagnostic, Report, Style, Summary};
use crate::rules::Severity;
use crate::source::LineIndex;

pub fn render(report: &Report, style: &Style) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    let texts: Vec<Option<String>> = report.sources.iter().map(|s| s.masked_text()).collect();
    let mut out = String::new();
    for d in visible(report) {
        out.push_str(&render_one(d, &texts, &renderer));
        out.push_str("\n\n");
    }
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

/// The lines of `text` covering `[start, end)`, normalised for display (CR-only line ends
/// become LF; lengths in bytes are kept so offsets hold).
fn excerpt(text: &str, start_line: u32, end_line: u32) -> (String, usize) {
    let idx = LineIndex::new(text);
    let first = idx.line_start(start_line as usize);
    let last_line = (end_line as usize).min(idx.line_count());
    let end = if last_line < idx.line_count() {
        idx.line_start(last_line + 1)
    } else {
        text.len()
    };
    let slice = &text[first.min(text.len())..end.max(first).min(text.len())];
    let mut bytes = slice.as_bytes().to_vec();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' {
            bytes[i] = if bytes.get(i + 1) == Some(&b'\n') {
                b' '
            } else {
                b'\n'
            };
        }
    }
    (String::from_utf8_lossy(&bytes).into_owned(), first)
}

fn render_one(d: &Diagnostic, texts: &[Option<String>], renderer: &Renderer) -> String {
    // Excerpts are cut from the masked texts; a file that cannot be shown gets a note instead.
    let excerpts: Vec<Option<(String, usize)>> = std::iter::once((d.file, d.start, d.end))
        .chain(d.related.iter().map(|r| (r.file, r.start, r.end)))
        .map(|(file, start, end)| {
            let text = texts.get(file)?.as_ref()?;
            Some(excerpt(text, start.line, end.line.max(start.line)))
        })
        .collect();
    let local = |ex: &(String, usize), start: u32, end: u32| -> std::ops::Range<usize> {
        let s = (start as usize).saturating_sub(ex.1).min(ex.0.len());
        let e = (end as usize).saturating_sub(ex.1).clamp(s, ex.0.len());
        s..e
    };
    let mut elements: Vec<annotate_snippets::Element> = Vec::new();
    match &excerpts[0] {
        Some(ex) => elements.push(
            Snippet::source(ex.0.as_str())
                .line_start(d.start.line as usize)
                .path(d.path.as_str())
                .annotation(AnnotationKind::Primary.span(local(ex, d.start.offset, d.end.offset)))
                .into(),
        ),
        None => elements.push(
            Level::NOTE
                .no_name()
                .message(format!("{}:{}:{}", d.path, d.start.line, d.start.column))
                .into(),
        ),
    }
    for (r, ex) in d.related.iter().zip(&excerpts[1..]) {
        elements.push(match ex {
            Some(ex) => Snippet::source(ex.0.as_str())
                .line_start(r.start.line as usize)
                .path(r.path.as_str())
                .annotation(
                    AnnotationKind::Context
                        .span(local(ex, r.start.offset, r.end.offset))
                        .label(r.message.as_str()),
                )
                .into(),
            None => Level::NOTE
                .message(format!(
                    "{} ({}:{}:{})",
                    r.message, r.path, r.start.line, r.start.column
                ))
                .into(),
        });
    }
    elements.push(Level::HELP.message(d.help.as_str()).into());
    let group = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule.as_str())
        .elements(elements);
    renderer.render(&[group])
}

fn plural(n: usize, word: &str) -> String {
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
