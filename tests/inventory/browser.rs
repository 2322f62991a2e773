//! The `html` sheet of `examples/` in a real browser: headless Chromium (Debian's `chromium`,
//! installed by `.ci/install-tools`) at 1280×800. `harness.html` frames the sheet, measures
//! it and drives it (sorting, filters), and writes what it saw into its own page, which
//! `--dump-dom` prints. The print stylesheet is checked on the PDF Chromium prints, with
//! `pdftotext` (poppler-utils). Nothing is fetched: file URLs only, and host names resolve to
//! nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::inventory;
use super::support::{external_tool, repo, Scratch};

const HARNESS: &str = include_str!("harness.html");

/// The examples' accounts, in the sheet's order.
const ACCOUNTS: [&str; 9] = [
    "getint-jira-prod",
    "getint-gitlab-prod",
    "getint-servicenow-prod",
    "sam-rivera",
    "getint-github-app",
    "getint-github-docs",
    "getint-zendesk-prod",
    "jira-ado-data-prod/ado",
    "jira-ado-platform-prod/ado",
];

fn chromium(test: &str) -> Option<PathBuf> {
    external_tool(
        test,
        "Chromium (Debian's chromium package)",
        "BRIDGELINT_CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    )
}

/// Chromium, headless, offline, with a profile of its own in `dir`.
fn headless(browser: &Path, dir: &Path, args: &[&str]) -> Output {
    let profile = dir.join("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pings",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("runs chromium");
    assert!(
        out.status.success(),
        "chromium {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The examples' sheet, written to `dir/sheet.html`.
fn sheet(dir: &Scratch) {
    let html = inventory(repo(), "html", &["examples/"]).stdout;
    dir.write("sheet.html", html);
}

/// What the harness measured, as JSON.
fn measured(browser: &Path, dir: &Scratch) -> serde_json::Value {
    dir.write("harness.html", HARNESS);
    let url = format!("file://{}", dir.path("harness.html").display());
    let out = headless(
        browser,
        &dir.dir,
        &[
            "--allow-file-access-from-files",
            "--window-size=1400,1000",
            "--virtual-time-budget=10000",
            "--dump-dom",
            &url,
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"out\">").expect("the harness's output") + 14;
    let end = start + dom[start..].find("</pre>").expect("its end");
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let value: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the harness wrote no JSON ({e}): {text}"));
    assert!(value.get("error").is_none(), "the harness failed: {value}");
    value
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_sheet_reads_at_1280_by_800_in_chromium() {
    let Some(browser) = chromium("the_sheet_reads_at_1280_by_800_in_chromium") else {
        return;
    };
    let dir = Scratch::bare("browser");
    sheet(&dir);
    let m = measured(&browser, &dir);
    assert_eq!(m["viewport"], serde_json::json!([1280, 800]), "{m}");
    // One row per account, none taller than 80 px.
    let rows = m["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), ACCOUNTS.len(), "{m}");
    for r in rows {
        assert!(num(&r["height"]) <= 80.0, "row too tall: {r}");
    }
    assert!(
        strings(&m["split_words"]).is_empty(),
        "words split over two lines: {}",
        m["split_words"]
    );
    assert!(
        strings(&m["overflowing_cells"]).is_empty(),
        "cells cut off: {}",
        m["overflowing_cells"]
    );
    // No sideways scrolling; the status column (the first) and the last one in view.
    let client = num(&m["client_width"]);
    assert!(num(&m["scroll_width"]) <= client, "scrolls sideways: {m}");
    let status = &m["status_header"];
    assert_eq!(m["status_header_text"], "Status");
    assert!(
        num(&status[0]) >= 0.0 && num(&status[1]) <= client,
        "status out of view: {status}"
    );
    assert!(num(&status[3]) <= 800.0, "status below the fold: {status}");
    assert!(num(&m["last_header_right"]) <= client, "{m}");
    // The header sticks to the top when the table scrolls under it.
    assert!(num(&m["scrolled"]) > 0.0, "the page did not scroll: {m}");
    assert!(
        num(&m["header_top_when_scrolled"]).abs() <= 1.0,
        "header not sticky: {m}"
    );
    interactions(&m);
    map_labels_do_not_overlap(&m["map_boxes"]);
}

/// Sorting, filters and the purpose that opens, as the harness drove them.
fn interactions(m: &serde_json::Value) {
    assert_eq!(strings(&m["initial"]), ACCOUNTS);
    let mut sorted: Vec<String> = ACCOUNTS.iter().map(|s| s.to_string()).collect();
    sorted.sort();
    assert_eq!(strings(&m["by_account"]), sorted, "sorted by account");
    sorted.reverse();
    assert_eq!(strings(&m["by_account_reversed"]), sorted, "then reversed");
    assert_eq!(
        strings(&m["by_status"]),
        [
            "overdue",
            "no rotation",
            "findings",
            "findings",
            "findings",
            "due soon",
            "ok",
            "ok",
            "ok"
        ],
        "sorted by status, worst first"
    );
    assert_eq!(strings(&m["status_overdue"]), ["sam-rivera"]);
    assert_eq!(m["shown_text"], "1 of 9 accounts shown");
    let owner = strings(&m["owner_platform"]);
    assert_eq!(owner.len(), 2, "owner team-platform: {owner:?}");
    assert!(owner.contains(&"getint-jira-prod".to_string()));
    assert_eq!(strings(&m["owner_platform_jira"]), ["getint-jira-prod"]);
    let mut jira = strings(&m["system_jira"]);
    jira.sort();
    assert_eq!(jira, ["getint-jira-prod", "sam-rivera"]);
    assert_eq!(strings(&m["all_again"]).len(), ACCOUNTS.len());
    let heights = &m["purpose_heights"];
    assert!(
        num(&heights[1]) > num(&heights[0]),
        "a click opens a clamped purpose: {heights}"
    );
}

fn map_labels_do_not_overlap(boxes: &serde_json::Value) {
    let boxes = boxes.as_array().expect("map text boxes");
    assert!(boxes.len() > 5, "the map has its texts: {boxes:?}");
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = num(&a[3]) <= num(&b[1])
                || num(&b[3]) <= num(&a[1])
                || num(&a[4]) <= num(&b[2])
                || num(&b[4]) <= num(&a[2]);
            assert!(apart, "map texts overlap: {a} and {b}");
        }
    }
}

#[test]
fn the_sheet_prints_on_a4_landscape_with_the_figures_in_the_page_header() {
    let test = "the_sheet_prints_on_a4_landscape_with_the_figures_in_the_page_header";
    let Some(browser) = chromium(test) else {
        return;
    };
    let Some(pdftotext) = external_tool(
        test,
        "pdftotext (poppler-utils)",
        "BRIDGELINT_PDFTOTEXT",
        &["/usr/bin/pdftotext"],
    ) else {
        return;
    };
    let dir = Scratch::bare("print");
    sheet(&dir);
    let pdf = dir.path("sheet.pdf");
    let url = format!("file://{}", dir.path("sheet.html").display());
    headless(
        &browser,
        &dir.dir,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ],
    );
    let bytes = std::fs::read(&pdf).expect("chromium printed a PDF");
    let text = String::from_utf8_lossy(&bytes);
    // A4 landscape: 842 × 595 points.
    assert!(
        text.contains("/MediaBox [0 0 841.91998 594.95996]")
            || text.contains("/MediaBox [0 0 842 595]"),
        "not A4 landscape: {:?}",
        text.match_indices("/MediaBox")
            .map(|(i, _)| &text[i..i + 40])
            .collect::<Vec<_>>()
    );
    let out = Command::new(pdftotext)
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("runs pdftotext");
    let pages: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(
                "Service-account inventory: 9 accounts on 2026-11-27: 0 expired, 1 overdue"
            ),
            "page {} has no header with the date and figures:\n{page}",
            i + 1
        );
    }
    // Every row, whole: its first and last cells on the first page.
    let first = &pages[0];
    for account in ACCOUNTS {
        assert!(
            first.contains(account),
            "{account} is not printed:\n{first}"
        );
    }
    for line in [
        "Findings",
        "credential-expiring",
        "rotation-overdue",
        "unused-account",
    ] {
        assert!(first.contains(line), "{line} is cut off:\n{first}");
    }
}
