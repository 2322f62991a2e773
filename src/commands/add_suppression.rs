//! `check --add-suppression REASON`: a suppression comment with REASON for every current
//! finding that can be suppressed, so that a linter can be adopted on an old repository without
//! a hand edit per finding (as `ruff --add-noqa`). Per line, the rules of its findings go into
//! the suppression already on that line (or alone on the line above), else into a new comment
//! at the end of the line, else (the line ends with another comment) on a new line above with
//! the line's indentation. YAML only: JSON cannot hold comments, its findings are listed as
//! skipped. Running it twice changes nothing: the second run finds nothing to suppress.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::pipeline::{discover::absolute, suppress::is_placeholder_reason, Outcome};
use crate::report::visible;
use crate::source::{Limits, Syntax};

/// Rules a suppression cannot hide: the ones about suppressions, and files that do not parse.
pub(crate) const NOT_SUPPRESSIBLE: [&str; 4] = [
    "parse-error",
    "invalid-suppression",
    "unused-suppression",
    "expired-suppression",
];

/// The reason, or the message that refuses it.
pub fn check_reason(reason: &str) -> Result<(), String> {
    let r = reason.trim();
    if r.is_empty() || is_placeholder_reason(r) {
        return Err(format!(
            "--add-suppression needs a real reason, not `{r}`: say why these findings are accepted"
        ));
    }
    if r.contains(['\n', '\r', '#']) {
        return Err("--add-suppression REASON must be one line without `#`".into());
    }
    Ok(())
}

/// What adding the suppressions did.
pub struct Added {
    /// (path as printed, new text) of each file to write.
    pub files: Vec<(PathBuf, String, String)>,
    pub added: usize,
    /// Files whose findings could not be suppressed, with why.
    pub skipped: Vec<String>,
}

/// The suppressions to add for the findings of `outcome`.
pub fn plan(outcome: &Outcome, cwd: &Path, reason: &str, stdin: Option<(&Path, &str)>) -> Added {
    // file → (display, line → rules)
    let mut by_file: BTreeMap<PathBuf, (String, BTreeMap<u32, BTreeSet<String>>)> = BTreeMap::new();
    // Lines whose suppression is invalid or expired: it is left alone, not merged into.
    let mut broken: BTreeSet<(PathBuf, u32)> = BTreeSet::new();
    for d in visible(&outcome.report) {
        if matches!(
            d.rule.as_str(),
            "invalid-suppression" | "expired-suppression"
        ) {
            broken.insert((absolute(cwd, Path::new(&d.path)), d.start.line));
        }
    }
    for d in visible(&outcome.report) {
        if d.suppressed.is_some() || NOT_SUPPRESSIBLE.contains(&d.rule.as_str()) {
            continue;
        }
        let abs = absolute(cwd, Path::new(&d.path));
        let entry = by_file
            .entry(abs)
            .or_insert_with(|| (d.path.clone(), BTreeMap::new()));
        entry
            .1
            .entry(d.start.line)
            .or_default()
            .insert(d.rule.clone());
    }
    let mut out = Added {
        files: Vec::new(),
        added: 0,
        skipped: Vec::new(),
    };
    for (abs, (display, lines)) in by_file {
        let n: usize = lines.values().map(BTreeSet::len).sum();
        if Syntax::of_path(&abs.to_string_lossy()) == Some(Syntax::Json) {
            out.skipped.push(format!(
                "{display}: {n} finding(s) (JSON cannot hold comments)"
            ));
            continue;
        }
        let text = match stdin {
            Some((p, t)) if p == abs => Some(t.to_string()),
            _ => std::fs::read_to_string(&abs).ok(),
        };
        let Some(text) = text else {
            out.skipped.push(format!("{display}: cannot be read"));
            continue;
        };
        let broken_lines: BTreeSet<u32> = broken
            .iter()
            .filter(|(p, _)| *p == abs)
            .map(|(_, l)| *l)
            .collect();
        match annotate(
            &text,
            &lines,
            reason,
            &broken_lines,
            &mut out.skipped,
            &display,
        ) {
            Some(new) if new != text => {
                out.added += n;
                out.files.push((abs, display, new));
            }
            Some(_) => {}
            None => out.skipped.push(format!(
                "{display}: {n} finding(s) on lines a comment cannot be added to"
            )),
        }
    }
    out
}

/// The text with a suppression for each line's rules; `None` when the result would not parse.
fn annotate(
    text: &str,
    lines: &BTreeMap<u32, BTreeSet<String>>,
    reason: &str,
    broken: &BTreeSet<u32>,
    skipped: &mut Vec<String>,
    display: &str,
) -> Option<String> {
    let parsed = crate::source::parse(text, Syntax::Yaml, &Limits::default(), true).ok()?;
    let starts = line_starts(text);
    let multi = multi_line_spans(text, &parsed);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (&line, rules) in lines {
        let l = line as usize;
        let Some(&ls) = starts.get(l.wrapping_sub(1)) else {
            continue;
        };
        let le = starts.get(l).copied().unwrap_or(text.len());
        let body_end = ls + text[ls..le].trim_end_matches(['\n', '\r']).len();
        // A comment-only line, or one that continues a multi-line scalar or flow collection:
        // a comment cannot say which node it covers there.
        let comment_only = text[ls..body_end].trim_start().starts_with('#');
        let continues = multi.iter().any(|(s, e)| *s < ls && ls < *e);
        if comment_only || continues {
            skipped.push(format!(
                "{display}:{line}: a suppression comment cannot go on this line"
            ));
            continue;
        }
        let place = Placement {
            merge: !broken.contains(&line),
            above: multi.iter().any(|(s, e)| *s < body_end && body_end < *e),
        };
        let names: Vec<&str> = rules.iter().map(String::as_str).collect();
        match line_edit(text, &parsed.comments, &starts, line, &names, reason, place) {
            Some(edit) => edits.push(edit),
            // A suppression on the line that cannot take the names: leave the file alone.
            None => return None,
        }
    }
    edits.sort_by_key(|(s, e, _)| (*s, *e));
    let mut out = String::with_capacity(text.len() + edits.len() * 64);
    let mut at = 0;
    for (s, e, content) in edits {
        if s < at {
            return None;
        }
        out.push_str(&text[at..s]);
        out.push_str(&content);
        at = e;
    }
    out.push_str(&text[at..]);
    let reparsed = crate::source::parse(&out, Syntax::Yaml, &Limits::default(), false).ok()?;
    (reparsed.documents.len() == parsed.documents.len()).then_some(out)
}

/// Where a suppression may go on a line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Placement {
    /// The suppression already on the line may take the names (it is valid and not expired).
    pub merge: bool,
    /// The line ends inside a multi-line scalar or flow collection: only a line above works.
    pub above: bool,
}

impl Default for Placement {
    fn default() -> Placement {
        Placement {
            merge: true,
            above: false,
        }
    }
}

/// The edit that suppresses `names` on `line` (1-based) of a YAML text: merged into the
/// suppression already on the line, else a new comment at its end, else (the line ends with
/// another comment, or inside a multi-line value) a new line above at the line's indentation.
/// The language server's "suppress on this line" action uses it too.
pub(crate) fn line_edit(
    text: &str,
    comments: &[crate::source::tree::Comment],
    starts: &[usize],
    line: u32,
    names: &[&str],
    reason: &str,
    place: Placement,
) -> Option<(usize, usize, String)> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let l = line as usize;
    let &ls = starts.get(l.wrapping_sub(1))?;
    let le = starts.get(l).copied().unwrap_or(text.len());
    let body_end = ls + text[ls..le].trim_end_matches(['\n', '\r']).len();
    let on_line = comments.iter().find(|c| {
        let at = c.span.start.offset as usize;
        at >= ls && at < body_end
    });
    Some(match on_line {
        Some(c) if c.text.trim().starts_with("bridgelint:") && place.merge => {
            let (s, e) = (c.span.start.offset as usize, c.span.end.offset as usize);
            (s, e, merge(&text[s..e], names)?)
        }
        _ if on_line.is_some() || place.above => {
            let indent: String = text[ls..body_end]
                .chars()
                .take_while(|c| *c == ' ')
                .collect();
            let comment = format!(
                "{indent}# bridgelint: ignore[{}] {reason}{nl}",
                names.join(", ")
            );
            (ls, ls, comment)
        }
        _ => {
            let comment = format!("  # bridgelint: ignore[{}] {reason}", names.join(", "));
            (body_end, body_end, comment)
        }
    })
}

/// An existing suppression comment with the names added that it lacks.
fn merge(comment: &str, names: &[&str]) -> Option<String> {
    let open = comment.find("ignore[")? + "ignore[".len();
    let close = open + comment[open..].find(']')?;
    let mut have: Vec<String> = comment[open..close]
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    for n in names {
        if !have.iter().any(|h| h == n) {
            have.push((*n).to_string());
        }
    }
    Some(format!(
        "{}{}{}",
        &comment[..open],
        have.join(", "),
        &comment[close..]
    ))
}

/// Byte offsets where lines start.
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len() || i == 0)
        .collect()
}

/// The byte spans of scalars and flow collections that cross a line break (a comment cannot
/// end a line inside them).
fn multi_line_spans(text: &str, parsed: &crate::source::ParsedFile) -> Vec<(usize, usize)> {
    fn walk(text: &str, n: &crate::source::Node, out: &mut Vec<(usize, usize)>) {
        let (s, e) = (n.span.start.offset as usize, n.span.end.offset as usize);
        let multi = text.get(s..e).is_some_and(|t| t.contains('\n'));
        let flow = text.get(s..).is_some_and(|t| t.starts_with(['[', '{']));
        match &n.value {
            crate::source::Value::Seq(items) => {
                if multi && flow {
                    out.push((s, e));
                }
                items.iter().for_each(|i| walk(text, i, out));
            }
            crate::source::Value::Map(entries) => {
                if multi && flow {
                    out.push((s, e));
                }
                entries.iter().for_each(|en| walk(text, &en.value, out));
            }
            _ if multi => out.push((s, e)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for d in &parsed.documents {
        walk(text, &d.root, &mut out);
    }
    out
}
