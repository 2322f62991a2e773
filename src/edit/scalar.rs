//! Writing a value as a YAML or JSON scalar: plain when that reads back as the same string in
//! YAML 1.2 and in the YAML 1.1 readers many tools still use, else quoted.

use std::borrow::Cow;

use crate::source::yaml::resolve_plain;
use crate::source::{Syntax, Value};

/// How a scalar is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Single,
    Double,
}

/// The style of the scalar written at the start of `raw` (a block scalar counts as plain: a
/// value that replaces it is written on one line).
pub fn style_of(raw: &str) -> Style {
    match raw.as_bytes().first() {
        Some(b'\'') => Style::Single,
        Some(b'"') => Style::Double,
        _ => Style::Plain,
    }
}

/// `value` written in `style` when the style can hold it: JSON always double-quoted; YAML plain
/// when [`plain_ok`], single-quoted when it needs no escape, else double-quoted.
pub fn render(syntax: Syntax, style: Style, value: &str) -> String {
    match (syntax, style) {
        (Syntax::Json, _) => double(value),
        (Syntax::Yaml, Style::Plain) if plain_ok(value) => value.to_string(),
        (Syntax::Yaml, Style::Single) if value.chars().all(|c| !needs_escape(c)) => {
            format!("'{}'", value.replace('\'', "''"))
        }
        _ => double(value),
    }
}

/// True when `s` can be written as a plain scalar, in a block or a flow collection, as a key or
/// a value, and read back as the same string: no indicator first, no `: ` or ` #`, no flow
/// indicator, nothing a YAML 1.2 or 1.1 reader takes for a null, a boolean, a number or a date.
pub fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || "-?:,[]{}#&*!|>'\"%@`<=~".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(":\t") || s.ends_with(':') || s.contains(" #") {
        return false;
    }
    if s.chars().any(|c| ",[]{}\t".contains(c) || needs_escape(c)) {
        return false;
    }
    if !matches!(resolve_plain(Cow::Borrowed(s)), Value::Str(_)) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    ) {
        return false;
    }
    // Numbers, dates and times of YAML 1.1 (`0777`, `1_000`, `2026-11-01`, `1:20`).
    let numeric = |c: char| c.is_ascii_hexdigit() || "xXoO._:+-".contains(c);
    !((first.is_ascii_digit() || first == '+' || first == '.') && s.chars().all(numeric))
}

/// Characters a double-quoted scalar must escape and a plain or single-quoted one cannot hold.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A double-quoted scalar, valid both as YAML and as a JSON string.
pub fn double(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_when_safe() {
        for s in [
            "vso.work_write",
            "issues:write",
            "read:jira-work",
            "env:JIRA_TOKEN",
            "é 日本",
        ] {
            assert!(plain_ok(s), "{s}");
        }
        for s in [
            "",
            " a",
            "a: b",
            "a #b",
            "#a",
            "-a",
            "*a",
            "&a",
            "!a",
            "yes",
            "No",
            "null",
            "~",
            "true",
            "12",
            "1.5",
            "0x1F",
            "2026-11-01",
            "1:20",
            "a,b",
            "[a]",
            "a:",
            "'a",
            "<<",
            "a\nb",
            "%a",
            "@a",
            "`a",
            ".inf",
        ] {
            assert!(!plain_ok(s), "{s:?}");
        }
    }

    #[test]
    fn quoting_keeps_the_style_when_it_can() {
        assert_eq!(render(Syntax::Yaml, Style::Plain, "repo"), "repo");
        assert_eq!(render(Syntax::Yaml, Style::Plain, "yes"), "\"yes\"");
        assert_eq!(render(Syntax::Yaml, Style::Single, "it's"), "'it''s'");
        assert_eq!(render(Syntax::Yaml, Style::Single, "a\tb"), "\"a\\tb\"");
        assert_eq!(render(Syntax::Yaml, Style::Double, "a"), "\"a\"");
        assert_eq!(
            render(Syntax::Json, Style::Plain, "a\"\\\u{1}"),
            "\"a\\\"\\\\\\u0001\""
        );
        assert_eq!(style_of("'x'"), Style::Single);
        assert_eq!(style_of("|\n  x"), Style::Plain);
    }
}
