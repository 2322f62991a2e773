//! The `csv` format: RFC 4180 with CRLF line ends, a header row of the column titles, and
//! spreadsheet formula injection neutralised.

use super::{Row, COLUMNS};

/// One CSV field (RFC 4180), with spreadsheet formula injection neutralised: a cell that a
/// spreadsheet would read as a formula gets a leading `'`.
pub fn csv_field(s: &str) -> String {
    let mut s = s.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub(super) fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(COLUMNS.iter().map(|(t, _)| csv_field(t)).collect()));
    for r in rows {
        out.push_str(&line(
            r.cells()
                .iter()
                .map(|c| c.as_deref().map_or_else(String::new, csv_field))
                .collect(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::row;
    use crate::commands::inventory::Status;

    #[test]
    fn csv_fields_are_quoted_and_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-x"), "'-x");
        assert_eq!(csv_field("=A1,B1"), "\"'=A1,B1\"");
    }

    #[test]
    fn a_header_then_a_line_per_row() {
        let text = render(&[row("=acc", Some("a,b"), Status::DueSoon)]);
        let lines: Vec<&str> = text.split_inclusive("\r\n").collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("Account,System,Type,"));
        assert!(lines[1].starts_with("'=acc,,,,,\"a,b\","));
        assert!(lines[1].ends_with(",due soon\r\n"));
    }
}
