//! `compact`: one line per finding, `path:line:column: severity[rule] message` (editors'
//! `%f:%l:%c: %m`, VS Code problem matchers).

use super::{visible, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in visible(report) {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            d.path,
            d.start.line,
            d.start.column,
            d.severity.name(),
            d.rule,
            one_line(&d.message)
        ));
    }
    out
}

/// Messages stay on one line in line-oriented formats.
pub fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
