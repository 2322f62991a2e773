//! The `html` page's table: one row per account, its connections inside it. Every text is
//! escaped, and no word can be split at the end of a line: a browser breaks lines after a
//! hyphen or a slash, so each word holding one is kept whole (`nw`); lines break at spaces only.

use std::fmt::Write as _;

use super::accounts::Account;
use super::html::html_escape;
use super::Status;
use crate::model::date;

/// How many lines a row's connections or findings take at most: past that, the first ones
/// and a line that opens the rest.
pub const LINES: usize = 3;

/// The column titles, in order, and the class of their cells.
pub const HEADS: [(&str, &str); 11] = [
    ("Status", "status"),
    ("Account", "account"),
    ("System", "system"),
    ("Owner", "owner"),
    ("Purpose", "purpose"),
    ("Connections", "uses"),
    ("Next rotation", "date"),
    ("Expires", "date"),
    ("Reviewed", "date"),
    ("Tested", "date"),
    ("Findings", "findings"),
];

/// Escaped text whose lines may break at spaces only.
pub fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let breakable = word
            .chars()
            .any(|c| !(c.is_alphanumeric() || ",.;:!?'\"()".contains(c)));
        if breakable {
            let _ = write!(out, "<span class=\"nw\">{}</span>", html_escape(word));
        } else {
            out.push_str(&html_escape(word));
        }
    }
    out
}

fn opt_words(s: &Option<String>) -> String {
    s.as_deref().map(words).unwrap_or_default()
}

fn data(out: &mut String, name: &str, value: &Option<String>) {
    if let Some(v) = value {
        let _ = write!(out, " data-{name}=\"{}\"", html_escape(v));
    }
}

pub(super) fn table(out: &mut String, accounts: &[Account]) {
    out.push_str("<table id=\"inventory\">\n<thead>\n<tr>");
    for (title, class) in HEADS {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"{class}\" aria-sort=\"none\"><button type=\"button\">{}</button></th>",
            html_escape(title)
        );
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for a in accounts {
        row(out, a);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn row(out: &mut String, a: &Account) {
    let _ = write!(
        out,
        "<tr class=\"{}\" data-status=\"{}\"",
        a.status.css(),
        a.status.name()
    );
    data(out, "owner", &a.owner);
    data(out, "system", &a.system);
    let _ = write!(
        out,
        "><td class=\"status\" data-sort=\"{}\"><span class=\"badge\">{}</span></td>",
        a.status as usize,
        a.status.name()
    );
    let _ = write!(
        out,
        "<td class=\"account\" data-sort=\"{}\"><span class=\"id\">{}</span>",
        html_escape(a.account.as_deref().unwrap_or("")),
        opt_words(&a.account)
    );
    // The type, then the username, a line each.
    for sub in [&a.account_type, &a.username].into_iter().flatten() {
        let _ = write!(out, "<span class=\"sub\">{}</span>", words(sub));
    }
    out.push_str("</td>");
    let _ = write!(
        out,
        "<td class=\"system\">{}</td><td class=\"owner\">{}</td>",
        opt_words(&a.system),
        opt_words(&a.owner)
    );
    match &a.purpose {
        Some(p) => {
            let _ = write!(
                out,
                "<td class=\"purpose\"><div class=\"clamp\" tabindex=\"0\" title=\"{}\">{}</div></td>",
                html_escape(p),
                words(p)
            );
        }
        None => out.push_str("<td class=\"purpose\"></td>"),
    }
    uses(out, a);
    for d in [a.next_rotation_due, a.expires, a.reviewed, a.tested] {
        let _ = write!(
            out,
            "<td class=\"date\">{}</td>",
            d.map(date::format).unwrap_or_default()
        );
    }
    // Findings: one rule a line, errors first; past [`LINES`], folded.
    out.push_str("<td class=\"findings\">");
    let rules: Vec<String> = a
        .findings
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let class = if i < a.errors { "rule error" } else { "rule" };
            format!("<li class=\"{class}\">{}</li>", html_escape(rule))
        })
        .collect();
    if !rules.is_empty() {
        folded(out, "ul", &rules);
    }
    out.push_str("</td></tr>\n");
}

/// The Connections cell: `integration / connection` and its credential type and environment,
/// one a line (a mark of its own status when the account has several and it is not `ok`);
/// past [`LINES`], the first ones and the rest behind a `<details>`.
fn uses(out: &mut String, a: &Account) {
    let first = a.uses.first().map(|u| u.name()).unwrap_or_default();
    let _ = write!(
        out,
        "<td class=\"uses\" data-sort=\"{}\">",
        html_escape(&first)
    );
    if a.uses.is_empty() {
        out.push_str("<span class=\"sub\">no connection uses it</span></td>");
        return;
    }
    let among = a.uses.len() > 1;
    let items: Vec<String> = a
        .uses
        .iter()
        .map(|u| {
            let mark = if among && u.status != Status::Ok {
                format!(
                    "<span class=\"mark {}\" title=\"{}\">●</span> ",
                    u.status.css(),
                    u.status.name()
                )
            } else {
                String::new()
            };
            format!(
                "<li>{mark}<span class=\"id\">{}</span> / <span class=\"id\">{}</span> <span class=\"sub\">{}</span></li>",
                html_escape(u.integration.as_deref().unwrap_or("-")),
                html_escape(u.connection.as_deref().unwrap_or("-")),
                html_escape(&u.detail(false))
            )
        })
        .collect();
    folded(out, "ul", &items);
    out.push_str("</td>");
}

/// `items` in a `tag` list: all of them when they fit in [`LINES`], else the first ones and
/// a `<details>` holding the rest.
fn folded(out: &mut String, tag: &str, items: &[String]) {
    let shown = if items.len() <= LINES {
        items.len()
    } else {
        LINES - 1
    };
    let _ = write!(out, "<{tag}>{}</{tag}>", items[..shown].concat());
    if shown < items.len() {
        let _ = write!(
            out,
            "<details><summary>{} more</summary><{tag}>{}</{tag}></details>",
            items.len() - shown,
            items[shown..].concat()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_a_hyphen_or_slash_are_kept_whole_and_escaped() {
        assert_eq!(
            words("Mirrors team-platform <b> issues"),
            "Mirrors <span class=\"nw\">team-platform</span> <span class=\"nw\">&lt;b&gt;</span> issues"
        );
        assert_eq!(words("Jira, GitLab."), "Jira, GitLab.");
    }
}
