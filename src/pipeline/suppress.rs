//! In-source suppressions: `# bridgelint: ignore[rule, ...] reason until=YYYY-MM-DD`.
//!
//! A comment at the end of a line covers findings that start on that line; a comment alone on
//! its line covers the next line that is neither blank nor only a comment (cli.md).

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::{date, Loc};
use crate::rules::{RuleSet, UNSUPPRESSIBLE};
use crate::source::tree::{route_at, route_string, Comment, Node};
use crate::source::LineIndex;

#[derive(Clone, Debug)]
pub struct Suppression {
    pub loc: Loc,
    /// The 1-based line it covers.
    pub line: u32,
    pub rules: Vec<String>,
    pub reason: String,
    pub until: Option<i32>,
    /// Why it is invalid, when it is.
    pub problem: Option<String>,
    /// The comment's text: with `anchor`, what its findings' baseline fingerprints hold.
    pub text: Box<str>,
    /// Where the comment is without its line number, so that a baseline survives lines
    /// inserted above it: the route of the node on the line it covers, then `#` and its
    /// ordinal among the comments of the same text covering that node.
    pub anchor: String,
}

fn grammar() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^bridgelint:\s*ignore\[\s*([^\]\s,]+(?:\s*,\s*[^\]\s,]+)*)\s*\]\s+(.*?)\s*$")
            .expect("static regex")
    })
}

/// Reads the suppressions among a file's comments; `roots` are the file's documents that are
/// ours, where the nodes the comments cover are found.
pub fn parse(
    comments: &[Comment],
    text: &str,
    file: u32,
    rules: &RuleSet,
    roots: &[&Node],
) -> Vec<Suppression> {
    let idx = LineIndex::new(text);
    let mut next = NextCodeLine::default();
    let mut out = Vec::new();
    let mut seen: HashMap<(String, &str), usize> = HashMap::new();
    for c in comments {
        let body = c.text.trim();
        if !body.starts_with("bridgelint:") {
            continue;
        }
        let loc = Loc {
            file,
            start: c.span.start.offset,
            end: c.span.end.offset,
            via_alias: false,
        };
        let line = covered_line(&idx, c, &mut next);
        let route = covered_route(&idx, line, roots);
        let ordinal = seen.entry((route.clone(), body)).or_insert(0);
        *ordinal += 1;
        let mut s = Suppression {
            loc,
            line,
            rules: Vec::new(),
            reason: String::new(),
            until: None,
            problem: None,
            text: body.into(),
            anchor: format!("{route}#{ordinal}"),
        };
        read_body(body, rules, &mut s);
        out.push(s);
    }
    out
}

/// The last answer of [`covered_line`] for an own-line comment: every line in `from..found` is
/// blank or only a comment, and `found` is not. Comments come in file order, so a run of
/// own-line comments (a hostile file can hold 100,000 of them) is scanned once, not once per
/// comment: linear time.
#[derive(Default)]
struct NextCodeLine {
    from: usize,
    found: usize,
}

/// The line a comment covers: its own, or for a comment alone on its line the next line that is
/// neither blank nor only a comment.
fn covered_line(idx: &LineIndex, c: &Comment, next: &mut NextCodeLine) -> u32 {
    let line = c.span.start.line as usize;
    let before = idx.line_text(line);
    let own_line = before
        .chars()
        .take(c.span.start.column.saturating_sub(1) as usize)
        .all(char::is_whitespace);
    if !own_line {
        return line as u32;
    }
    let from = line + 1;
    if !(next.from <= from && from <= next.found) {
        let mut l = from;
        while l <= idx.line_count() {
            let t = idx.line_text(l).trim();
            if !t.is_empty() && !t.starts_with('#') {
                break;
            }
            l += 1;
        }
        *next = NextCodeLine { from, found: l };
    }
    next.found as u32
}

/// The route of the node on a covered line: the deepest node holding the line's first
/// character after its indentation and any `- ` or `? ` indicators (empty past the documents).
fn covered_route(idx: &LineIndex, line: u32, roots: &[&Node]) -> String {
    let line = line as usize;
    if line > idx.line_count() {
        return String::new();
    }
    let start = idx.line_start(line);
    let full = idx.line_text(line);
    let mut rest = full.trim_start();
    while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
        rest = after.trim_start();
    }
    let at = (start + full.len() - rest.len()) as u32;
    roots
        .iter()
        .find(|r| r.span.start.offset <= at && at < r.span.end.offset.max(r.span.start.offset + 1))
        .map(|r| route_string(&route_at(r, at)))
        .unwrap_or_default()
}

/// Reads the rules, the reason and `until=` of a comment's body into `s`, or why it is
/// invalid.
fn read_body(body: &str, rules: &RuleSet, s: &mut Suppression) {
    let Some(caps) = grammar().captures(body) else {
        s.problem = Some(if body.contains("ignore[") && !body.contains(']') {
            "malformed suppression: `ignore[` is not closed".into()
        } else if grammar_without_reason(body) {
            "a suppression needs a reason after `]`".into()
        } else {
            "malformed suppression; write `# bridgelint: ignore[rule] reason`".into()
        });
        return;
    };
    s.rules = caps[1].split(',').map(|r| r.trim().to_string()).collect();
    let mut reason = caps[2].trim().to_string();
    // `until=` is the last token.
    if let Some(pos) = reason.rfind("until=") {
        let token = reason[pos + 6..].trim();
        let at_token_start = pos == 0 || reason[..pos].ends_with(char::is_whitespace);
        if at_token_start && !token.contains(char::is_whitespace) {
            match date::parse(token) {
                Some(d) => s.until = Some(d),
                None => {
                    s.problem = Some(format!("`until={token}` is not a real date (YYYY-MM-DD)"))
                }
            }
            reason = reason[..pos].trim().to_string();
        }
    }
    if reason.is_empty() {
        s.problem
            .get_or_insert_with(|| "a suppression needs a reason after `]`".into());
    } else if is_placeholder_reason(&reason) {
        s.problem.get_or_insert_with(|| {
            format!("`{reason}` is a placeholder, not a reason: say why the finding is accepted")
        });
    }
    s.reason = reason;
    for r in &s.rules {
        if s.problem.is_some() {
            break;
        }
        if rules.index(r).is_none() {
            let hint = rules
                .closest_name(r)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            s.problem = Some(format!("unknown rule `{r}`{hint}"));
        } else if UNSUPPRESSIBLE.contains(&r.as_str()) {
            s.problem = Some(format!("`{r}` cannot be suppressed"));
        }
    }
}

fn grammar_without_reason(body: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^bridgelint:\s*ignore\[[^\]]*\]\s*$").expect("static regex"))
        .is_match(body)
}

/// A reason that only holds a place: trimmed, one of `<why>`, `TODO`, `reason`, `...`
/// (case-insensitive); suppressions version 2 refuse it (editing.md), as `--add-suppression`
/// does.
pub fn is_placeholder_reason(reason: &str) -> bool {
    let r = reason.trim().to_ascii_lowercase();
    matches!(r.as_str(), "<why>" | "todo" | "reason" | "...")
}
