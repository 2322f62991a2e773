//! The `html` format: one self-contained page (its style and its sorting script inline, a
//! Content-Security-Policy that lets nothing else load or run), every cell escaped.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{counts, Row, Status, ALL_STATUSES, COLUMNS};
use crate::model::date;

impl Status {
    fn css(self) -> &'static str {
        match self {
            Status::Expired => "status-expired",
            Status::Overdue => "status-overdue",
            Status::NoRotation => "status-no-rotation",
            Status::Findings => "status-findings",
            Status::DueSoon => "status-due-soon",
            Status::Ok => "status-ok",
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HTML_STYLE: &str = r#"
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #fff; }
body { margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.meta { margin: 0 0 1rem; color: #57606a; }
ul.counts { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: .5rem; }
ul.counts li { padding: .2rem .6rem; border: 1px solid #d0d7de; border-radius: 1rem; }
.wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td { max-width: 28rem; overflow-wrap: anywhere; }
thead th { background: #f6f8fa; position: sticky; top: 0; white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid #0969da; }
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
td.date, td.status { white-space: nowrap; }
.status-expired { background: #ffd7d5; }
.status-overdue { background: #ffe2c2; }
.status-no-rotation, .status-findings { background: #ffe2c2; }
.status-due-soon { background: #fff5b1; }
tr.status-expired td.status, tr.status-overdue td.status, tr.status-due-soon td.status { font-weight: 700; }
@media print { thead th { position: static; } th button::after { content: none; } }
"#;

const HTML_SCRIPT: &str = r#"
(function () {
  "use strict";
  var table = document.getElementById("inventory");
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(cell) {
    var k = cell.getAttribute("data-sort");
    return k !== null ? k : cell.textContent;
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.querySelector("button").addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
        return { row: row, key: key(row.cells[col]), index: i };
      });
      rows.sort(function (a, b) {
        if (a.key === "" || b.key === "") {
          if (a.key !== b.key) { return a.key === "" ? 1 : -1; }
          return a.index - b.index;
        }
        var c = a.key.localeCompare(b.key, undefined, { numeric: true, sensitivity: "base" });
        return (ascending ? c : -c) || a.index - b.index;
      });
      rows.forEach(function (r) { body.appendChild(r.row); });
    });
  });
})();
"#;

/// The CSP source of an inline element: its SHA-256, base64.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(super) fn render(rows: &[Row], today: i32) -> String {
    let today_text = date::format(today);
    let n = counts(rows);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n",
    );
    // Nothing may load from anywhere; only this page's own style and script run.
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; base-uri 'none'; form-action 'none'\">",
        csp_hash(HTML_STYLE),
        csp_hash(HTML_SCRIPT)
    );
    let _ = writeln!(
        out,
        "<title>Service-account inventory, {today_text}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>"
    );
    let _ = writeln!(
        out,
        "<h1>Service-account inventory</h1>\n<p class=\"meta\">As of {today_text}: {} {}. Click a column header to sort. Generated by <code>bridgelint inventory</code>.</p>",
        rows.len(),
        if rows.len() == 1 { "row" } else { "rows" }
    );
    out.push_str("<ul class=\"counts\">\n");
    for s in ALL_STATUSES {
        let _ = writeln!(
            out,
            "<li class=\"{}\">{} {}</li>",
            s.css(),
            n[s as usize],
            s.name()
        );
    }
    out.push_str("</ul>\n<div class=\"wrap\">\n<table id=\"inventory\">\n<thead>\n<tr>");
    for (title, _) in COLUMNS {
        let _ = write!(
            out,
            "<th scope=\"col\" aria-sort=\"none\"><button type=\"button\">{}</button></th>",
            html_escape(title)
        );
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for r in rows {
        let _ = write!(out, "<tr class=\"{}\">", r.status.css());
        for (i, c) in r.cells().iter().enumerate() {
            let text = c.as_deref().map(html_escape).unwrap_or_default();
            match i {
                15 => {
                    let _ = write!(
                        out,
                        "<td class=\"status\" data-sort=\"{}\">{text}</td>",
                        r.status as usize
                    );
                }
                9..=13 => {
                    let _ = write!(out, "<td class=\"date\">{text}</td>");
                }
                _ => {
                    let _ = write!(out, "<td>{text}</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    let _ = write!(
        out,
        "</tbody>\n</table>\n</div>\n<script>{HTML_SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::{d, row};

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn html_escape_covers_content_and_attributes() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn cells_are_escaped_and_the_policy_allows_only_the_inline_parts() {
        let text = render(&[row("<script>", None, Status::Expired)], d("2026-11-27"));
        assert!(text.contains("<tr class=\"status-expired\"><td>&lt;script&gt;</td>"));
        assert!(text.contains(&format!("style-src {};", csp_hash(HTML_STYLE))));
        assert!(text.contains(&format!("script-src {};", csp_hash(HTML_SCRIPT))));
        assert!(text.contains("<td class=\"status\" data-sort=\"0\">expired</td>"));
    }
}
