//! The `table` format: aligned columns for a terminal, `-` in empty cells, and a last line
//! with the row count and the count of each status. It fits a 120-column terminal: long cells
//! are cut and the columns least needed in a review are left out (the last line names them);
//! `--wide` shows every column whole.

use std::fmt::Write as _;

use super::{counts, printable, Row, ALL_STATUSES, COLUMNS};
use crate::model::date;

/// The width the table fits in, unless `--wide`.
pub const WIDTH: usize = 120;

/// The longest cell shown, unless `--wide`; a longer one is cut with `…`.
const MAX_CELL: usize = 36;

/// The columns (indices of [`COLUMNS`]) in the order they are kept when not all fit: what a
/// review asks first (who, what state, why, where, which dates), then the rest.
const PRIORITY: [usize; 16] = [0, 15, 14, 6, 7, 11, 10, 12, 1, 8, 13, 9, 4, 2, 3, 5];

pub(super) fn render(rows: &[Row], today: i32, wide: bool) -> String {
    let header: Vec<String> = COLUMNS.iter().map(|(t, _)| t.to_string()).collect();
    let cut = |s: String| match s.char_indices().nth(MAX_CELL - 1) {
        Some((i, _)) if !wide && s.chars().count() > MAX_CELL => format!("{}…", &s[..i]),
        _ => s,
    };
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.cells()
                .iter()
                .map(|c| cut(c.as_deref().map_or_else(|| "-".to_string(), printable)))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &body {
        for (w, c) in widths.iter_mut().zip(line) {
            *w = (*w).max(c.chars().count());
        }
    }
    let shown = shown_columns(&widths, wide);
    let pick =
        |cells: &[String]| -> Vec<String> { shown.iter().map(|&i| cells[i].clone()).collect() };
    let header = pick(&header);
    let body: Vec<Vec<String>> = body.iter().map(|l| pick(l)).collect();
    let widths: Vec<usize> = shown.iter().map(|&i| widths[i]).collect();
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
    let left_out: Vec<&str> = (0..COLUMNS.len())
        .filter(|i| !shown.contains(i))
        .map(|i| COLUMNS[i].0)
        .collect();
    if !left_out.is_empty() {
        let note = format!(
            "Left out to fit {WIDTH} columns: {}; --wide shows every column.",
            left_out.join(", ")
        );
        out.push_str(&wrap(&note));
    }
    out
}

/// Text wrapped at spaces into lines of at most [`WIDTH`] characters.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The columns shown, in [`COLUMNS`] order: all with `wide`, else as many as fit in [`WIDTH`]
/// in [`PRIORITY`] order (two spaces between columns).
fn shown_columns(widths: &[usize], wide: bool) -> Vec<usize> {
    if wide {
        return (0..widths.len()).collect();
    }
    let mut shown = Vec::new();
    let mut total = 0;
    for &i in &PRIORITY {
        let needed = widths[i] + if shown.is_empty() { 0 } else { 2 };
        if total + needed <= WIDTH {
            total += needed;
            shown.push(i);
        }
    }
    shown.sort_unstable();
    shown
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
        let text = render(&rows, d("2026-11-27"), true);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Account                System  "));
        assert!(lines[1].starts_with("---------------------  ------  "));
        assert!(lines[2].starts_with("a-much-longer-account  -       "));
        assert!(lines[3].contains("  two\\nlines  "), "{}", lines[3]);
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
        assert_eq!(
            lines.last().copied(),
            Some("2 rows on 2026-11-27: 1 expired, 0 overdue, 0 no rotation, 0 findings, 0 due soon, 1 ok")
        );
    }
}
