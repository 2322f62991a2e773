//! The `markdown` format: a GitHub table, one line a row, cells escaped so that no text can
//! break the table or become markup.

use std::fmt::Write as _;

use super::{printable, Row, COLUMNS};

fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in printable(s).chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push('|');
    for (t, _) in COLUMNS {
        let _ = write!(out, " {t} |");
    }
    out.push_str("\n|");
    for _ in COLUMNS {
        out.push_str("---|");
    }
    out.push('\n');
    for r in rows {
        out.push('|');
        for c in r.cells() {
            match c {
                Some(c) => {
                    let _ = write!(out, " {} |", markdown_cell(&c));
                }
                None => out.push_str("  |"),
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::row;
    use crate::commands::inventory::Status;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(markdown_cell("a|b\\c <i>&"), "a\\|b\\\\c &lt;i&gt;&amp;");
        assert_eq!(markdown_cell("x\ny"), "x\\\\ny");
    }

    #[test]
    fn one_line_a_row_and_empty_cells_stay_empty() {
        let text = render(&[row("acc", None, Status::Ok)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("| Account | System |"));
        assert!(lines[1].starts_with("|---|---|"));
        assert!(lines[2].starts_with("| acc |  |"));
        assert!(lines[2].ends_with(" ok |"));
    }
}
