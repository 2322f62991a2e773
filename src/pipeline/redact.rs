//! What must never be printed: the byte ranges of a file that hold secret text.
//!
//! Computed from the text and the tree before anything else looks at a file, independently of
//! which rules run: a finding's excerpt, a schema message quoting a value, a duplicate key — any
//! output that shows file text masks these ranges. The ranges are generous on purpose:
//!
//! - the value of every `secret` and `private_key` key, whatever its type (a list, a number, a
//!   tagged node), unless it is a secret reference;
//! - every other occurrence of such a literal value in the file (a copy in a comment);
//! - every credential-pattern match of any rule, widened to the whole string value it lies in
//!   (or to the end of its line outside values), and a private key to its `-----END` line;
//! - the userinfo of every URL (`https://user:pass@host`);
//! - every string scalar or key whose *decoded* text matches a credential pattern though its
//!   written form does not (escapes such as `\x67hp_`, `\u0067hp_`, lines folded with `\`):
//!   the whole scalar or key ([`decoded_matches`]);
//! - all of this in the later occurrences of duplicate keys too, which the tree drops
//!   ([`crate::source::tree::Document::dropped`]).
//!
//! Messages get a last pass of their own ([`mask_message`]): whatever a message quotes (a key,
//! a tag, an alias name, a decoded value) is searched for the credential patterns again.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::rules::pattern::Pattern;
use crate::secrets::is_secret_reference;
use crate::secrets::mask;
use crate::source::pos::floor_char_boundary;
use crate::source::tree::{Entry, Node, Value};

/// Matches per pattern per file beyond which a file is not searched further (a pathological
/// custom pattern can make each search scan to the end of the file).
pub const MAX_MATCHES_PER_PATTERN: usize = 10_000;

/// What the userinfo of a URL is: the first group of this regex. [`userinfo`] finds the same
/// ranges without compiling it (its Unicode class cost a fifteenth of a one-file run); a test
/// holds the two to the same answers.
#[cfg(test)]
const URL_USERINFO: &str = r"[A-Za-z][A-Za-z0-9+.-]*://([^\s/?#@]+)@";

fn secret_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?m)(?:^|[\s{,"])"?(?:secret|private_key)"?\s*:[ \t]*([^\n\r]*)"#)
            .expect("static regex")
    })
}

/// Secret ranges of a file that parsed; `roots` are its documents that are ours, `dropped`
/// their duplicate entries. `pattern_hits` are the matches of every credential pattern in
/// `text` ([`matches`]) and in its decoded scalars ([`decoded_matches`]).
pub fn secret_ranges(
    text: &str,
    roots: &[&Node<'_>],
    dropped: &[&Entry<'_>],
    pattern_hits: &[Vec<Range<usize>>],
    schemes: &[String],
) -> Vec<Range<u32>> {
    let mut out = Vec::new();
    let literals = secret_values((roots, dropped), text, schemes, &mut out);
    for lit in literals {
        if lit.chars().count() >= 6 {
            for (i, _) in text.match_indices(lit) {
                out.push(i as u32..(i + lit.len()) as u32);
            }
        }
    }
    for m in pattern_hits.iter().flatten() {
        out.push(widen(text, roots, m.clone()));
    }
    userinfo(text, &mut out);
    merge(out)
}

/// Secret ranges of a file that could not be parsed: what the text alone tells.
pub fn secret_ranges_unparsed<'p>(
    text: &str,
    patterns: impl IntoIterator<Item = &'p Pattern>,
) -> Vec<Range<u32>> {
    let mut out = Vec::new();
    let patterns: Vec<&Pattern> = patterns.into_iter().collect();
    for p in &patterns {
        for m in matches(p, text) {
            out.push(widen(text, &[], m));
        }
    }
    escaped_lines(text, &patterns, &mut out);
    for c in secret_line().captures_iter(text) {
        if let Some(v) = c.get(1) {
            out.push(v.start() as u32..v.end() as u32);
        }
    }
    userinfo(text, &mut out);
    merge(out)
}

/// Lines of a file that could not be parsed whose escapes, decoded naively (`\xHH`, `\uHHHH`,
/// `\UHHHHHHHH`, `%HH`, a `\` at the end of a line joining the next), match a pattern: with no
/// tree, the text cannot say what is a string, so each such run of lines is redacted whole.
/// Only runs holding a `\` or `%` are decoded.
fn escaped_lines(text: &str, patterns: &[&Pattern], out: &mut Vec<Range<u32>>) {
    if memchr::memchr2(b'\\', b'%', text.as_bytes()).is_none() {
        return;
    }
    let mut start = 0;
    while start < text.len() {
        let mut end = start;
        loop {
            end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            if end < text.len() && text[..end].trim_end_matches('\r').ends_with('\\') {
                end += 1;
                continue;
            }
            break;
        }
        let run = &text[start..end];
        if run.contains(['\\', '%']) {
            let decoded = naive_unescape(run);
            let hit =
                |p: &&Pattern| p.may_match(decoded.as_bytes()) && p.regex().is_match(&decoded);
            if patterns.iter().any(hit) {
                out.push(start as u32..end as u32);
            }
        }
        start = end + 1;
    }
}

/// YAML and JSON escapes and URI escapes decoded without knowing where strings are.
fn naive_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| -> Option<char> {
        let digits: String = (0..n)
            .map_while(|_| chars.next_if(char::is_ascii_hexdigit))
            .collect();
        char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
    };
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some('x')) | ('\\', Some('u')) | ('\\', Some('U')) => {
                let n = match chars.next() {
                    Some('x') => 2,
                    Some('u') => 4,
                    _ => 8,
                };
                out.extend(hex(&mut chars, n));
            }
            ('\\', Some('\r' | '\n')) => while chars.next_if(|c| c.is_whitespace()).is_some() {},
            ('\\', Some(_)) => out.extend(chars.next()),
            ('%', Some(_)) => match hex(&mut chars, 2) {
                Some(c) => out.push(c),
                None => out.push('%'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The matches of a pattern in a text (at most [`MAX_MATCHES_PER_PATTERN`]).
pub fn matches(p: &Pattern, text: &str) -> Vec<Range<usize>> {
    if !p.may_match(text.as_bytes()) {
        return Vec::new();
    }
    p.regex()
        .find_iter(text)
        .take(MAX_MATCHES_PER_PATTERN)
        .map(|m| m.range())
        .collect()
}

/// The userinfo of every URL in the text (`https://user:pass@host`): a scheme (a letter, then
/// letters, digits, `+`, `.`, `-`) right before `://`, then characters other than white space
/// and `/?#@` up to an `@`; searched from the end of the previous one, as the regex
/// [`URL_USERINFO`] would.
fn userinfo(text: &str, out: &mut Vec<Range<u32>>) {
    if !text.contains('@') {
        return;
    }
    let bytes = text.as_bytes();
    let scheme_byte = |b: &&u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-');
    let mut from = 0;
    for at in memchr::memmem::find_iter(bytes, b"://") {
        if at < from {
            continue;
        }
        let scheme = bytes[from..at].iter().rev().take_while(scheme_byte);
        if !scheme.clone().any(u8::is_ascii_alphabetic) {
            continue;
        }
        let start = at + 3;
        let len = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@'))
            .unwrap_or(text.len() - start);
        if len > 0 && bytes.get(start + len) == Some(&b'@') {
            out.push(start as u32..(start + len) as u32);
            from = start + len + 1;
        }
    }
}

/// A match widened to the string value that holds it, or to the end of its line; a private key
/// to its end marker.
fn widen(text: &str, roots: &[&Node<'_>], m: Range<usize>) -> Range<u32> {
    let mut start = m.start;
    let mut end = m.end;
    if text[m.clone()].starts_with("-----BEGIN") {
        // Cut at a character boundary: slicing inside a character would panic.
        let window = &text[m.end..floor_char_boundary(text, m.end + 64 * 1024)];
        if let Some(i) = window.find("-----END") {
            let after = &window[i + 8..];
            let close = after.find("-----").map_or(after.len(), |j| j + 5);
            end = m.end + i + 8 + close;
        }
    }
    match roots.iter().find_map(|r| scalar_at(r, m.start)) {
        Some(span) => {
            start = start.min(span.start);
            end = end.max(span.end);
        }
        None => {
            let line_end = text[end..]
                .find(['\n', '\r'])
                .map_or(text.len(), |i| end + i);
            end = end.max(line_end);
        }
    }
    start as u32..end as u32
}

/// The span of the string scalar containing `offset`, if any.
fn scalar_at(node: &Node<'_>, offset: usize) -> Option<Range<usize>> {
    let r = node.span.byte_range();
    if !(r.start <= offset && offset < r.end.max(r.start + 1)) {
        return None;
    }
    match &node.value {
        Value::Str(_) => Some(r),
        Value::Map(entries) => entries.iter().find_map(|e| scalar_at(&e.value, offset)),
        Value::Seq(items) => items.iter().find_map(|n| scalar_at(n, offset)),
        _ => None,
    }
}

/// Values under `secret` and `private_key` keys, anywhere below `roots` and in the `dropped`
/// duplicate entries: their ranges, and the string literals as written (to find copies).
fn secret_values<'t>(
    (roots, dropped): (&[&'t Node<'_>], &[&'t Entry<'_>]),
    text: &'t str,
    schemes: &[String],
    out: &mut Vec<Range<u32>>,
) -> Vec<&'t str> {
    let mut literals = Vec::new();
    let mut stack: Vec<&Node<'_>> = roots.to_vec();
    let mut entries: Vec<&Entry<'_>> = dropped.to_vec();
    loop {
        for e in entries.drain(..) {
            stack.push(&e.value);
            let secret = matches!(&*e.key, "secret" | "private_key");
            let reference = e
                .value
                .as_str()
                .is_some_and(|s| is_secret_reference(s, schemes));
            if !secret || reference {
                continue;
            }
            let r = e.value.span.byte_range();
            out.push(r.start as u32..r.end as u32);
            if let Value::Str(_) = e.value.value {
                let raw = text.get(r.clone()).unwrap_or("");
                literals.push(raw.trim_matches(|c| c == '"' || c == '\''));
            }
        }
        let Some(node) = stack.pop() else {
            return literals;
        };
        match &node.value {
            Value::Map(es) => entries.extend(es.iter()),
            Value::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}

/// The credential-pattern matches the raw scan cannot see, per pattern: string scalars and
/// keys whose decoded text is not their written text (the parser then owns the string: an
/// escape, a folded or continued line, a block scalar) and that match a pattern, each as the
/// span of the whole scalar or key. Scalars spelled as written are skipped: the raw scan
/// ([`matches`]) already saw them, so an ordinary file costs one walk of its tree. A scalar
/// where the raw scan found the same pattern is not reported twice. `raw` is sorted per pattern.
///
/// `tags` are the YAML tags whose meaning differs from their spelling (`!ghp%5F…`), searched in
/// their meaning and reported at their written span.
pub fn decoded_matches(
    roots: &[&Node<'_>],
    dropped: &[&Entry<'_>],
    tags: &[&(crate::source::Span, String)],
    patterns: &[&Pattern],
    raw: &[Vec<Range<usize>>],
) -> Vec<Vec<Range<usize>>> {
    let mut out = vec![Vec::new(); patterns.len()];
    let mut look = |s: &str, span: Range<usize>| {
        for (i, p) in patterns.iter().enumerate() {
            let first = raw[i].partition_point(|m| m.start < span.start);
            let seen = raw[i].get(first).is_some_and(|m| m.end <= span.end);
            if !seen && p.may_match(s.as_bytes()) && p.regex().is_match(s) {
                out[i].push(span.clone());
            }
        }
    };
    for (span, meaning) in tags {
        look(meaning, span.byte_range());
    }
    let mut stack: Vec<&Node<'_>> = roots.to_vec();
    for e in dropped {
        decoded_key(e, &mut look);
        stack.push(&e.value);
    }
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Str(std::borrow::Cow::Owned(s)) => look(s, node.span.byte_range()),
            Value::Map(entries) => {
                for e in entries {
                    decoded_key(e, &mut look);
                    stack.push(&e.value);
                }
            }
            Value::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    for v in &mut out {
        v.sort_by_key(|r| (r.start, r.end));
        v.dedup();
    }
    out
}

fn decoded_key(e: &Entry<'_>, look: &mut impl FnMut(&str, Range<usize>)) {
    if let std::borrow::Cow::Owned(k) = &e.key {
        look(k, e.key_span.byte_range());
    }
}

/// A message with every credential-pattern match it holds masked, widened to the run of token
/// characters around it (a message quotes keys, tags, alias names and decoded values, which
/// the file's redaction ranges may not cover as written).
pub fn mask_message<'p>(message: &str, patterns: impl IntoIterator<Item = &'p Pattern>) -> String {
    let mut found: Vec<Range<usize>> = Vec::new();
    for p in patterns {
        if !p.may_match(message.as_bytes()) {
            continue;
        }
        for m in p.regex().find_iter(message).take(MAX_MATCHES_PER_PATTERN) {
            found.push(token_run(message, m.range()));
        }
    }
    if found.is_empty() {
        return message.to_string();
    }
    let found = found.into_iter().map(|r| r.start as u32..r.end as u32);
    replace_ranges(message, found.collect(), mask)
}

/// `text` with each of `ranges` (merged first) replaced by what `by` makes of it.
fn replace_ranges(text: &str, ranges: Vec<Range<u32>>, by: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in merge(ranges) {
        let (s, e) = (r.start as usize, r.end as usize);
        out.push_str(&text[at..s]);
        out.push_str(&by(&text[s..e]));
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// A match widened to the characters around it that can belong to a token.
fn token_run(s: &str, m: Range<usize>) -> Range<usize> {
    let token =
        |c: char| !c.is_whitespace() && !matches!(c, '`' | '\'' | '"' | ',' | ';' | '(' | ')');
    let start = s[..m.start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| token(c))
        .last()
        .map_or(m.start, |(i, _)| i);
    let end = s[m.end..]
        .char_indices()
        .find(|&(_, c)| !token(c))
        .map_or(s.len(), |(i, _)| m.end + i);
    start..end.max(m.end)
}

/// Sorts and merges overlapping ranges.
pub fn merge(mut ranges: Vec<Range<u32>>) -> Vec<Range<u32>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<u32>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A message with every secret of the file that it quotes masked (a safety net for messages
/// that show file text: duplicate keys, schema values). Each quote is masked with the run of
/// token characters around it: a message that quotes part of a secret (its first 60
/// characters) must not print the rest.
pub fn scrub(message: &str, text: &str, ranges: &[Range<u32>]) -> String {
    let mut out = message.to_string();
    for r in ranges {
        let Some(secret) = text.get(r.start as usize..r.end as usize) else {
            continue;
        };
        // The whole range, each line, and each long word of it (a range widened to the end of
        // its line holds more than the token a message quotes: `!ghp%5F… x` for a tag).
        let words = secret
            .split_whitespace()
            .filter(|w| w.chars().count() >= 16);
        for part in std::iter::once(secret).chain(secret.lines()).chain(words) {
            let part = part.trim();
            if part.chars().count() >= 6 && out.contains(part) {
                out = mask_quotes(&out, part);
            }
        }
        // Messages quote at most 60 characters of a value.
        let head: String = secret.trim_matches('"').chars().take(60).collect();
        if head.chars().count() >= 6 && out.contains(&head) {
            out = mask_quotes(&out, &head);
        }
    }
    out
}

/// `message` with every occurrence of `quote`, widened to its run of token characters,
/// replaced by `****`.
fn mask_quotes(message: &str, quote: &str) -> String {
    let found: Vec<Range<u32>> = message
        .match_indices(quote)
        .map(|(i, q)| token_run(message, i..i + q.len()))
        .map(|r| r.start as u32..r.end as u32)
        .collect();
    replace_ranges(message, found, |_| "****".to_string())
}

/// Control characters and bidirectional controls from linted files become visible escapes in
/// messages, so that a value cannot forge, reorder or erase lines of a terminal or CI log.
pub fn escape_controls(s: &str) -> String {
    crate::report::inert(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::overlaps;

    /// The hand-written search finds what the regex captures, on texts built from the pieces
    /// that matter (schemes, `://`, `@`, separators, Unicode and ASCII white space).
    #[test]
    fn userinfo_is_what_the_regex_captures() {
        let re = Regex::new(URL_USERINFO).unwrap();
        let pieces = [
            "a", "Z", "9", "+", ".", "-", "://", "@", ":", "/", "?", "#", " ", "\n", "\u{a0}",
            "\u{2003}", "é", "x@y", "https://", "u:p@h", "1://",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut matched = 0;
        for _ in 0..20_000 {
            let len = 1 + next() % 12;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let expected: Vec<Range<u32>> = re
                .captures_iter(&text)
                .filter_map(|c| c.get(1))
                .map(|g| g.start() as u32..g.end() as u32)
                .collect();
            let mut found = Vec::new();
            userinfo(&text, &mut found);
            assert_eq!(found, expected, "{text:?}");
            matched += usize::from(!expected.is_empty());
        }
        assert!(matched > 1000, "too few texts with a userinfo: {matched}");
    }

    #[test]
    fn ranges_merge_and_overlap() {
        let r = merge(vec![5..8, 1..3, 2..4, 10..12]);
        assert_eq!(r, vec![1..4, 5..8, 10..12]);
        assert!(overlaps(&r, 3, 5));
        assert!(!overlaps(&r, 4, 5));
        assert!(overlaps(&r, 11, 11));
        assert!(!overlaps(&r, 12, 20));
    }

    #[test]
    fn escapes_are_decoded_without_a_tree() {
        assert_eq!(
            naive_unescape("a\\x67\\u0068\\U00000069 %5F \\\"\\\n    j"),
            "aghi _ \"j"
        );
        assert_eq!(naive_unescape("100% \\xZ"), "100% Z");
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\u{1b}[2K\rb"), "a\\u{1b}[2K\\rb");
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(escape_controls("a\u{202e}b\u{85}"), "a\\u{202e}b\\u{85}");
    }
}
