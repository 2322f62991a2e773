//! Every format's shape: the aligned table, the GitHub table, CSV that parses back to the same
//! cells, one self-contained HTML page; and what no format may print.

use super::documents::{CLIENT_ID, GITHUB_TOKEN, PLAINTEXT_SECRET, PRIVATE_KEY};
use super::{fixture, inventory, json_rows, project, FIXTURE_ROWS, FORMATS};

#[test]
fn table_is_aligned_with_a_summary() {
    let dir = fixture();
    let text = inventory(&dir.dir, "table", &["--wide", "."]).stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + FIXTURE_ROWS.len() + 2, "{text}");
    assert!(lines[0].contains("  Purpose  ") && lines[0].contains("  Findings  "));
    assert!(lines[0].starts_with("Account "));
    assert!(lines[1].starts_with("------"));
    // Columns line up: every cell of the Status column starts where its header does.
    let status_col = lines[0].find("Status").unwrap();
    for line in &lines[2..2 + FIXTURE_ROWS.len()] {
        let before: String = line.chars().take(status_col).collect();
        assert!(before.ends_with("  "), "misaligned: {line}");
    }
    assert!(lines[2].starts_with("acc-ok "));
    assert!(lines[11].starts_with("acc-unused ") && lines[11].contains(" - "));
    // A line break inside a value does not break the table.
    assert!(text.contains("Line one\\nline two"));
    assert_eq!(lines[lines.len() - 2], "");
    assert_eq!(
        lines[lines.len() - 1],
        "12 rows on 2026-11-27: 1 expired, 2 overdue, 3 no rotation, 1 findings, 3 due soon, 2 ok"
    );
}

#[test]
fn the_table_fits_120_columns_unless_wide() {
    let dir = fixture();
    let text = inventory(&dir.dir, "table", &["."]).stdout;
    let lines: Vec<&str> = text.lines().collect();
    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 120, "{widest} columns:\n{text}");
    for kept in ["Account", "Findings", "Status"] {
        assert!(lines[0].contains(kept), "{kept} is kept:\n{text}");
    }
    assert!(!lines[0].contains("Purpose"), "{text}");
    let note = lines[2 + FIXTURE_ROWS.len() + 2..].join(" ");
    assert!(note.starts_with("Left out to fit 120 columns: "), "{text}");
    assert!(
        note.contains("Purpose") && note.ends_with("--wide shows every column."),
        "{note}"
    );
    let wide = inventory(&dir.dir, "table", &["--wide", "."]).stdout;
    assert!(wide.lines().any(|l| l.chars().count() > 120), "{wide}");
    assert!(!wide.contains("Left out"), "{wide}");
}

/// The fixture's accounts: every account of its rows, once (an undeclared one included).
const FIXTURE_ACCOUNTS: usize = 10;

#[test]
fn markdown_is_a_github_table_with_one_row_per_account() {
    let dir = fixture();
    let text = inventory(&dir.dir, "markdown", &["."]).stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + FIXTURE_ACCOUNTS + 2, "{text}");
    assert!(lines[0].starts_with("| Status | Account | System | Owner | Purpose | Connections |"));
    assert_eq!(lines[1], "|---".repeat(11) + "|");
    for line in &lines[..2 + FIXTURE_ACCOUNTS] {
        // 12 cell delimiters: pipes not preceded by a backslash escape.
        let unescaped = line
            .char_indices()
            .filter(|(i, c)| *c == '|' && !line[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 12, "{line}");
    }
    // An account used by two connections: one row, both connections in it, the worst status.
    let overdue: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("| acc-overdue |"))
        .collect();
    assert_eq!(overdue.len(), 1, "{text}");
    assert!(
        overdue[0].starts_with("| overdue | acc-overdue |")
            && overdue[0]
                .contains("fixture-int/overdue (api-token, overdue)<br>fixture-int/never-rotated (api-token, overdue)"),
        "{}",
        overdue[0]
    );
    assert!(text.contains("Plain, with a comma \\| a pipe and a \"quote\""));
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!text.contains("<script>"));
    assert_eq!(
        lines[lines.len() - 1],
        "10 accounts on 2026-11-27: 1 expired, 1 overdue, 3 no rotation, 1 findings, 2 due soon, 2 ok; 11 connections"
    );
}

/// A minimal RFC 4180 reader.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(cell.is_empty(), "quote inside an unquoted cell");
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("bare LF outside quotes"),
            c => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "trailing data"
    );
    rows
}

#[test]
fn csv_parses_back_to_the_same_cells() {
    let dir = fixture();
    let text = inventory(&dir.dir, "csv", &["."]).stdout;
    let records = parse_csv(&text);
    let (_, rows) = json_rows(&dir.dir, &["."]);
    assert_eq!(records.len(), rows.len() + 1);
    assert_eq!(records[0][0], "Account");
    assert_eq!(records[0][14], "Findings");
    assert_eq!(records[0][15], "Status");
    let keys = [
        "account",
        "system",
        "type",
        "username",
        "owner",
        "purpose",
        "integration",
        "connection",
        "credential_type",
        "last_rotated",
        "next_rotation_due",
        "expires",
        "reviewed",
        "tested",
        "findings",
        "status",
    ];
    for (record, row) in records[1..].iter().zip(&rows) {
        assert_eq!(record.len(), 16);
        for (cell, key) in record.iter().zip(keys) {
            let value = row[key].as_str().unwrap_or("");
            // Formula-looking cells carry one leading apostrophe, nothing else changes.
            let expected = if value.starts_with(['=', '+', '-', '@']) {
                format!("'{value}")
            } else {
                value.to_string()
            };
            assert_eq!(cell, &expected, "{key}");
        }
    }
    // Quoting and formula injection, checked on the raw text too.
    assert!(text.contains("\"Plain, with a comma | a pipe and a \"\"quote\"\"\""));
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""));
    assert!(text.contains(",'+team,'@SUM(A1),"));
    assert!(text.contains(",'-1+1,"));
    assert!(text.contains("\"Line one\nline two\""));
    for record in &records {
        for cell in record {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula: {cell}");
        }
    }
}

#[test]
fn html_is_one_self_contained_sortable_page() {
    let dir = fixture();
    let text = inventory(&dir.dir, "html", &["."]).stdout;
    assert!(text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(text.ends_with("</html>\n"));
    assert_eq!(text.matches("<html").count(), 1);
    assert_eq!(text.matches("</html>").count(), 1);
    assert_eq!(text.matches("<body").count(), 1);
    // No external asset, nothing that loads.
    let lower = text.to_lowercase();
    for needle in [
        "<script src",
        " src=",
        " href=",
        "<link",
        "url(",
        "@import",
        "<iframe",
        " style=",
    ] {
        assert!(!lower.contains(needle), "found {needle}");
    }
    assert!(text.contains("default-src 'none'"));
    // One inline script (sorting, filters), one inline style, the map inline.
    assert_eq!(text.matches("<script").count(), 1);
    assert_eq!(text.matches("<style").count(), 1);
    assert_eq!(text.matches("<svg").count(), 1);
    assert!(text.contains("addEventListener(\"click\""));
    assert_eq!(text.matches("<button type=\"button\">").count(), 11);
    for filter in ["filter-status", "filter-owner", "filter-system"] {
        assert!(
            text.contains(&format!("<select id=\"{filter}\">")),
            "{filter}"
        );
    }
    // Title, date, counts per status (accounts).
    assert!(text.contains("<title>Service-account inventory, 2026-11-27</title>"));
    for count in [
        "1 expired",
        "1 overdue",
        "3 no rotation",
        "1 findings",
        "2 due soon",
        "2 ok",
    ] {
        assert!(text.contains(&format!(">{count}</li>")), "{count}");
    }
    // The print page: A4 landscape, the date and figures in its header.
    assert!(text.contains("size: A4 landscape"));
    assert!(text.contains(
        "content: \"Service-account inventory: 10 accounts on 2026-11-27: 1 expired, 1 overdue"
    ));
    // One row per account, highlighted by its worst status.
    assert_eq!(text.matches("<tr class=\"status-").count(), 10);
    assert_eq!(text.matches("<tr class=\"status-overdue\"").count(), 1);
    assert_eq!(text.matches("<tr class=\"status-expired\"").count(), 1);
    assert_eq!(text.matches("<tr class=\"status-due-soon\"").count(), 2);
    let overdue = text
        .lines()
        .find(|l| l.starts_with("<tr class=\"status-overdue\""))
        .unwrap();
    assert!(overdue.contains(">acc-overdue</span>"), "{overdue}");
    assert_eq!(
        overdue.matches("<li>").count(),
        2,
        "its two connections: {overdue}"
    );
    // Every cell escaped.
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!text.contains("alert(1)</script>"));
    assert!(text.contains("&quot;quote&quot;"));
    assert!(text.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)"));
}

#[test]
fn no_secret_text_in_any_format() {
    let dir = fixture();
    for format in FORMATS {
        let out = inventory(&dir.dir, format, &["."]);
        let all = format!("{}{}", out.stdout, out.stderr);
        for secret in [PLAINTEXT_SECRET, PRIVATE_KEY, CLIENT_ID, GITHUB_TOKEN] {
            assert!(!all.contains(secret), "{format} prints {secret}");
        }
        assert!(
            !all.contains("0123456789abcdefghij"),
            "{format}: token text"
        );
    }
    let (_, rows) = json_rows(&dir.dir, &["."]);
    let unused = rows.iter().find(|r| r["account"] == "acc-unused").unwrap();
    assert_eq!(unused["owner"], "owner ****");
    assert_eq!(unused["purpose"], "****");
}

#[test]
fn output_file_and_determinism() {
    let dir = fixture();
    let first = inventory(&dir.dir, "html", &["."]).stdout;
    let second = inventory(&dir.dir, "html", &["."]).stdout;
    assert_eq!(first, second);
    let out = dir
        .inventory()
        .format("csv")
        .args(["-o", "sheet.csv", "."])
        .run();
    assert_eq!(out.code, 0);
    assert!(out.stdout.is_empty());
    let written = dir.read("sheet.csv");
    assert_eq!(written, inventory(&dir.dir, "csv", &["."]).stdout);
}

#[test]
fn empty_sheet_in_every_format() {
    let dir = project("empty");
    dir.write("notes.yaml", "just: a file that is not ours\n");
    let (_, rows) = json_rows(&dir.dir, &["."]);
    assert!(rows.is_empty());
    let csv = inventory(&dir.dir, "csv", &["."]).stdout;
    assert_eq!(parse_csv(&csv).len(), 1);
    let table = inventory(&dir.dir, "table", &["."]).stdout;
    assert!(table.contains(
        "0 rows on 2026-11-27: 0 expired, 0 overdue, 0 no rotation, 0 findings, 0 due soon, 0 ok\n"
    ));
    let html = inventory(&dir.dir, "html", &["."]).stdout;
    assert!(html.contains("<tbody>\n</tbody>"));
    assert!(html.contains("No connection on this sheet: nothing to draw."));
    for format in ["mermaid", "dot"] {
        let map = inventory(&dir.dir, format, &["."]).stdout;
        assert_eq!(
            map.lines().count(),
            if format == "dot" { 5 } else { 1 },
            "{map}"
        );
    }
}

/// The block of docs/inventory.md under `heading`, opened by `fence`.
fn doc_block<'d>(doc: &'d str, heading: &str, fence: &str) -> &'d str {
    let at = doc
        .find(heading)
        .unwrap_or_else(|| panic!("docs/inventory.md lacks {heading}"));
    let start = at + doc[at..].find(fence).expect("a fenced block") + fence.len() + 1;
    &doc[start..start + doc[start..].find("```\n").expect("its end")]
}

#[test]
fn the_examples_of_docs_inventory_md_are_what_the_command_prints() {
    let doc = std::fs::read_to_string(super::support::repo().join("docs/inventory.md"))
        .expect("reads docs/inventory.md");
    let paths = ["examples/integrations/gitlab-jira-mobile-prod.yaml"];
    for (format, heading, fence) in [
        ("table", "### `table`", "```text"),
        ("markdown", "### `markdown`", "```markdown"),
        ("csv", "### `csv`", "```text"),
        ("mermaid", "### `mermaid`", "```mermaid"),
        ("dot", "### `dot`", "```dot"),
    ] {
        let printed = inventory(super::support::repo(), format, &paths).stdout;
        assert_eq!(
            doc_block(&doc, heading, fence),
            printed.replace("\r\n", "\n"),
            "docs/inventory.md's {format} example is not what `bridgelint inventory --now \
             2026-11-27 --format {format} {}` prints",
            paths[0]
        );
    }
}
