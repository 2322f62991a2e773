//! `compact`: one line per finding, `path:line:column: severity[rule] message` (editors'
//! `%f:%l:%c: %m`, VS Code problem matchers).

use super::{inert, visible, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in visible(report) {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]{} {}\n",
            inert(&d.path),
            d.start.line,
            d.start.column,
            d.severity.name(),
            d.rule,
            d.fix_mark(),
            one_line(&d.message)
        ));
    }
    out
}

/// Messages stay on one line in line-oriented formats (a line break becomes a space), and
/// inert ([`inert`]): breaks are replaced first, so that they are not escaped as `\n`.
pub fn one_line(s: &str) -> String {
    inert(&s.replace(['\n', '\r'], " ")).into_owned()
}
