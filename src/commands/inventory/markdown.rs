//! The `markdown` format: a GitHub table with one row per account, its connections listed in
//! its row (`<br>` between them), and the figures below. Cells are escaped so that no text can
//! break the table or become markup.

use std::fmt::Write as _;

use super::accounts::{accounts, figures};
use super::{printable, Row};
use crate::model::date;

/// The column titles.
pub const HEADS: [&str; 11] = [
    "Status",
    "Account",
    "System",
    "Owner",
    "Purpose",
    "Connections",
    "Next rotation due",
    "Expires",
    "Reviewed",
    "Tested",
    "Findings",
];

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

pub(super) fn render(rows: &[Row], today: i32) -> String {
    let accounts = accounts(rows);
    let mut out = String::from("|");
    for t in HEADS {
        let _ = write!(out, " {t} |");
    }
    out.push_str("\n|");
    for _ in HEADS {
        out.push_str("---|");
    }
    out.push('\n');
    let opt = |s: &Option<String>| s.as_deref().map(markdown_cell).unwrap_or_default();
    let day = |d: Option<i32>| d.map(date::format).unwrap_or_default();
    for a in &accounts {
        let uses: Vec<String> = a
            .uses
            .iter()
            .map(|u| {
                let detail = u.detail(a.uses.len() > 1);
                let name = markdown_cell(&u.name());
                if detail.is_empty() {
                    name
                } else {
                    format!("{name} ({})", markdown_cell(&detail))
                }
            })
            .collect();
        let cells = [
            a.status.name().to_string(),
            opt(&a.account),
            opt(&a.system),
            opt(&a.owner),
            opt(&a.purpose),
            uses.join("<br>"),
            day(a.next_rotation_due),
            day(a.expires),
            day(a.reviewed),
            day(a.tested),
            markdown_cell(&a.findings.join(", ")),
        ];
        out.push('|');
        for c in cells {
            if c.is_empty() {
                out.push_str("  |");
            } else {
                let _ = write!(out, " {c} |");
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\n{}", figures(&accounts, today));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::{d, row};
    use crate::commands::inventory::Status;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(markdown_cell("a|b\\c <i>&"), "a\\|b\\\\c &lt;i&gt;&amp;");
        assert_eq!(markdown_cell("x\ny"), "x\\\\ny");
    }

    #[test]
    fn one_line_an_account_its_connections_in_its_row() {
        let mut one = row("acc", None, Status::Ok);
        one.integration = Some("int".into());
        one.connection = Some("a".into());
        one.credential_type = Some("api-token".into());
        one.environment = Some("prod".into());
        let mut two = one.clone();
        two.connection = Some("b|c".into());
        two.environment = None;
        let text = render(&[one, two], d("2026-11-27"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[0].starts_with("| Status | Account | System |"));
        assert!(lines[1].starts_with("|---|---|"));
        assert!(
            lines[2].starts_with(
                "| ok | acc |  |  |  | int/a (api-token, prod)<br>int/b\\|c (api-token) |"
            ),
            "{}",
            lines[2]
        );
        assert_eq!(lines[3], "");
        assert!(lines[4].starts_with("1 account on 2026-11-27: 0 expired"));
    }
}
