//! `human`: rustc-style diagnostics with the source excerpt (secrets masked), the span
//! underlined, the rule name, the message, a help line, and a closing summary.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

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
        out.push_str(&render_one(d, report, &texts, &renderer));
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

fn render_one(
    d: &Diagnostic,
    report: &Report,
    texts: &[Option<String>],
    renderer: &Renderer,
) -> String {
    let title = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule.as_str());
    let mut group = title.element(Level::NOTE.no_name().message(""));
    // Rebuild with the excerpt when the text is available.
    let text = texts.get(d.file).and_then(Option::as_ref);
    let mut elements: Vec<annotate_snippets::Element> = Vec::new();
    let mut owned: Vec<(String, usize)> = Vec::new();
    if let Some(text) = text {
        owned.push(excerpt(text, d.start.line, d.end.line.max(d.start.line)));
    }
    for r in &d.related {
        let rtext = report
            .diagnostics
            .iter()
            .find(|x| x.path == r.path)
            .and_then(|x| texts.get(x.file))
            .and_then(Option::as_ref)
            .or_else(|| if r.path == d.path { text } else { None });
        if let Some(t) = rtext {
            owned.push(excerpt(t, r.start.line, r.end.line.max(r.start.line)));
        } else {
            owned.push((String::new(), usize::MAX));
        }
    }
    let primary_offsets = |(src, first): &(String, usize)| -> std::ops::Range<usize> {
        let s = (d.start.offset as usize)
            .saturating_sub(*first)
            .min(src.len());
        let e = (d.end.offset as usize)
            .saturating_sub(*first)
            .clamp(s, src.len());
        s..e
    };
    if let Some(ex) = owned.first().filter(|_| text.is_some()) {
        let range = primary_offsets(ex);
        elements.push(
            Snippet::source(ex.0.as_str())
                .line_start(d.start.line as usize)
                .path(d.path.as_str())
                .annotation(AnnotationKind::Primary.span(range))
                .into(),
        );
    } else {
        elements.push(
            Level::NOTE
                .no_name()
                .message(format!("at {}:{}:{}", d.path, d.start.line, d.start.column))
                .into(),
        );
    }
    let rel_offset = if text.is_some() { 1 } else { 0 };
    for (i, r) in d.related.iter().enumerate() {
        let Some((src, first)) = owned.get(i + rel_offset) else {
            continue;
        };
        if *first == usize::MAX {
            elements.push(
                Level::NOTE
                    .message(format!(
                        "{} ({}:{}:{})",
                        r.message, r.path, r.start.line, r.start.column
                    ))
                    .into(),
            );
            continue;
        }
        let s = (r.start.offset as usize)
            .saturating_sub(*first)
            .min(src.len());
        let e = (r.end.offset as usize)
            .saturating_sub(*first)
            .clamp(s, src.len());
        elements.push(
            Snippet::source(src.as_str())
                .line_start(r.start.line as usize)
                .path(r.path.as_str())
                .annotation(AnnotationKind::Context.span(s..e).label(r.message.as_str()))
                .into(),
        );
    }
    elements.push(Level::HELP.message(d.help.as_str()).into());
    group = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule.as_str())
        .elements(elements);
    let _ = Group::with_level(Level::NOTE);
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
