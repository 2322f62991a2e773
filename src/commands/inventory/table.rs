//! The `table` format: aligned columns for a terminal, `-` in empty cells, and a last line
//! with the row count and the count of each status.

use std::fmt::Write as _;

use super::{counts, printable, Row, ALL_STATUSES, COLUMNS};
use crate::model::date;

pub(super) fn render(rows: &[Row], today: i32) -> String {
    let header: Vec<String> = COLUMNS.iter().map(|(t, _)| t.to_string()).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.cells()
                .iter()
                .map(|c| c.as_deref().map_or_else(|| "-".to_string(), printable))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &body {
        for (w, c) in widths.iter_mut().zip(line) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut emit = |cells: &[String]| {
        let mut line = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            line.extend(std::iter::repeat_n(' ', w - c.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    emit(&header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    emit(&rule);
    for line in &body {
        emit(line);
    }
    let _ = writeln!(
        out,
        "\n{} {} on {}: {}",
        rows.len(),
        if rows.len() == 1 { "row" } else { "rows" },
        date::format(today),
        counts_line(rows)
    );
    out
}

fn counts_line(rows: &[Row]) -> String {
    let n = counts(rows);
    ALL_STATUSES
        .iter()
        .map(|s| format!("{} {}", n[*s as usize], s.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::{d, row};
    use crate::commands::inventory::Status;

    #[test]
    fn columns_are_aligned_and_counted() {
        let rows = [
            row("a-much-longer-account", None, Status::Ok),
            row("b", Some("two\nlines"), Status::Expired),
        ];
        let text = render(&rows, d("2026-11-27"));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Account                System  "));
        assert!(lines[1].starts_with("---------------------  ------  "));
        assert!(lines[2].starts_with("a-much-longer-account  -       "));
        assert!(lines[3].contains("  two\\nlines  "), "{}", lines[3]);
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
        assert_eq!(
            lines.last().copied(),
            Some("2 rows on 2026-11-27: 1 expired, 0 overdue, 0 due soon, 1 ok")
        );
    }
}
