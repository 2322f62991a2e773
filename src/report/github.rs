//! `github`: GitHub Actions workflow commands, one per finding, which the runner turns into
//! annotations on the pull request:
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE`.
//! No summary line: every line is a command. `file` is relative to the repository root
//! (the git root, else the context root), whatever the current folder, as the runner resolves
//! it against the checkout (docs/decisions.md 28).

use super::{is_unsafe, visible, Report};
use crate::finding::Severity;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in visible(report) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (line, col) = (d.start.line.max(1), d.start.column.max(1));
        // The end never before the start (the runner drops reversed ranges with a warning).
        let (end_line, end_col) = (d.end.line.max(1), d.end.column.max(1)).max((line, col));
        out.push_str(&format!(
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
            property(&d.repo_path),
            property(&d.rule),
            data(&d.message)
        ));
    }
    out
}

/// Escapes a command's message (`escapeData` of `@actions/core`); other control and bidi
/// characters (ESC, BEL, U+202E: a file name may hold them) become visible escapes, as in
/// every format, since the runner prints what it does not decode.
fn data(s: &str) -> String {
    let mut shown = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe(c) && c != '\r' && c != '\n' {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty` of `@actions/core`): also `:` and `,`, which
/// separate properties.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        assert_eq!(property("a\u{1b}\u{7}\u{202e}"), "a\\u{1b}\\u{7}\\u{202e}");
    }
}
