//! Checks of the embedded schemas done in Rust instead of by a regex: the schemas keep their
//! `pattern` (editors and other validators read it), and the copy bridgelint compiles says
//! `format` instead, whose check means exactly what the pattern does under ECMA-262, as
//! `jsonschema` reads it (a test holds each to the same answers on every short string of the
//! characters that matter, and on every date shape).
//!
//! Why: compiling the patterns was a fifth of a schema's compilation, paid by every run that
//! validates a document, a config or a custom rule (`^\S(?:.*\S)?$`, whose class is Unicode,
//! most of all; BENCHMARKS.md, "One-file runs").

use serde_json::Value as Json;

/// A pattern of the embedded schemas and the format that stands for it.
pub(super) struct Native {
    pub pattern: &'static str,
    pub format: &'static str,
    pub check: fn(&str) -> bool,
}

/// "Not empty, no white space at either end, no line break": a name written on one line.
pub(super) const TRIMMED_PATTERN: &str = r"^\S(?:.*\S)?$";

/// `YYYY-MM-DD` with a day its month can have.
const CALENDAR_DATE_PATTERN: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$";

/// Every pattern of the embedded schemas that is checked natively.
pub(super) const NATIVE: [Native; 6] = [
    Native {
        pattern: TRIMMED_PATTERN,
        format: "bridgelint-trimmed-line",
        check: is_trimmed_line,
    },
    Native {
        pattern: "^[a-z0-9][a-z0-9_-]*$",
        format: "bridgelint-id",
        check: |s| ascii_word(s, lower_digit, |b| lower_digit(b) || b == b'_' || b == b'-'),
    },
    Native {
        pattern: "^[a-z0-9][a-z0-9-]*$",
        format: "bridgelint-name",
        check: |s| ascii_word(s, lower_digit, |b| lower_digit(b) || b == b'-'),
    },
    Native {
        pattern: "^[a-z][a-z0-9_]*$",
        format: "bridgelint-option-name",
        check: |s| {
            ascii_word(
                s,
                |b| b.is_ascii_lowercase(),
                |b| lower_digit(b) || b == b'_',
            )
        },
    },
    Native {
        pattern: "^[A-Za-z][A-Za-z0-9+.-]*$",
        format: "bridgelint-url-scheme",
        check: |s| {
            ascii_word(
                s,
                |b| b.is_ascii_alphabetic(),
                |b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'),
            )
        },
    },
    Native {
        pattern: CALENDAR_DATE_PATTERN,
        format: "bridgelint-calendar-date",
        check: is_calendar_date,
    },
];

/// The pattern a native format stands for.
pub(super) fn pattern_of(format: &str) -> Option<&'static str> {
    NATIVE
        .iter()
        .find(|n| n.format == format)
        .map(|n| n.pattern)
}

/// The calendar-date pattern and `format: date` together, where a schema says both: the
/// pattern's refusal is reported first, as jsonschema reports it ([`date_refusal`]).
pub(super) const REAL_DATE_FORMAT: &str = "bridgelint-real-date";

/// A calendar date (the pattern) that is also a real day (`format: date`: February 29 only in
/// a leap year).
pub(super) fn is_real_date(s: &str) -> bool {
    if !is_calendar_date(s) {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    leap || &s[5..] != "02-29"
}

/// Which of the two checks of [`REAL_DATE_FORMAT`] refuses a value: the pattern (`Some` with
/// it), else `format: date` (`None`).
pub(super) fn date_refusal(value: &str) -> Option<&'static str> {
    (!is_calendar_date(value)).then_some(CALENDAR_DATE_PATTERN)
}

fn lower_digit(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// A first byte that `first` accepts, then bytes that `rest` accepts (ASCII: a byte of a
/// character beyond ASCII is accepted by neither).
fn ascii_word(s: &str, first: fn(u8) -> bool, rest: fn(u8) -> bool) -> bool {
    match s.as_bytes().split_first() {
        Some((&b, tail)) => first(b) && tail.iter().all(|&c| rest(c)),
        None => false,
    }
}

/// `YYYY-MM-DD` with a month of the calendar and a day that month can have (February up to
/// the 29th, whatever the year: the rules refuse February 29 of a common year).
fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    if !shaped || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return false;
    }
    let number = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let (month, day) = (number(5), number(8));
    let last = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// ECMA-262 `\s`: WhiteSpace (TAB, VT, FF, SP, NBSP, ZWNBSP, every `Zs`) and LineTerminator.
fn is_ecma_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// What [`TRIMMED_PATTERN`] accepts: a first and last character that are not white space, and
/// no line terminator (which ECMA-262's `.` does not match) between them.
fn is_trimmed_line(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    !is_ecma_space(first)
        && !is_ecma_space(last)
        && !s.contains(['\n', '\r', '\u{2028}', '\u{2029}'])
}

/// Replaces, in place, each `pattern` that has a native check by that check's `format`.
pub(super) fn use_native_checks(schema: &mut Json) {
    match schema {
        Json::Object(map) => {
            let pattern = map.get("pattern").and_then(Json::as_str);
            let native = pattern.and_then(|p| NATIVE.iter().find(|n| n.pattern == p));
            let format = match (native, map.get("format").and_then(Json::as_str)) {
                (Some(native), None) => Some(native.format),
                (Some(native), Some("date")) if native.pattern == CALENDAR_DATE_PATTERN => {
                    Some(REAL_DATE_FORMAT)
                }
                _ => None,
            };
            if let Some(format) = format {
                map.remove("pattern");
                map.insert("format".into(), Json::from(format));
            }
            map.values_mut().for_each(use_native_checks);
        }
        Json::Array(items) => items.iter_mut().for_each(use_native_checks),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonschema::error::ValidationErrorKind;

    fn validator(schema: &Json) -> jsonschema::Validator {
        let mut options = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .should_validate_formats(true);
        for native in &NATIVE {
            options = options.with_format(native.format, native.check);
        }
        options
            .with_format(REAL_DATE_FORMAT, is_real_date)
            .build(schema)
            .unwrap()
    }

    /// What the first error of a value says, in words that do not depend on the keyword that
    /// carries the check.
    fn first_error(v: &jsonschema::Validator, value: &Json) -> &'static str {
        let Some(error) = v.iter_errors(value).next() else {
            return "valid";
        };
        match error.kind() {
            ValidationErrorKind::MinLength { .. } => "too short",
            ValidationErrorKind::Pattern { .. } => "does not match",
            ValidationErrorKind::Format { format } if pattern_of(format).is_some() => {
                "does not match"
            }
            ValidationErrorKind::Format { format } if format == "date" => "not a real date",
            ValidationErrorKind::Format { format } if format == REAL_DATE_FORMAT => {
                match date_refusal(value.as_str().unwrap_or_default()) {
                    Some(_) => "does not match",
                    None => "not a real date",
                }
            }
            other => panic!("unexpected error {other:?}"),
        }
    }

    /// Every string of `chars` of up to `longest` characters.
    fn strings(chars: &[char], longest: usize) -> Vec<String> {
        let mut out = vec![String::new()];
        for len in 1..=longest {
            let mut index = vec![0; len];
            loop {
                out.push(index.iter().map(|&i| chars[i]).collect());
                let Some(at) = (0..len).rev().find(|&i| index[i] + 1 < chars.len()) else {
                    break;
                };
                index[at] += 1;
                index[at + 1..].iter_mut().for_each(|i| *i = 0);
            }
        }
        out
    }

    /// Dates of every shape: months 00 to 13, days 00 to 32, in four years, and near misses
    /// (a short part, another separator, text around it, digits beyond ASCII).
    fn dates() -> Vec<String> {
        let mut out = Vec::new();
        for year in ["0000", "1900", "2000", "2023", "2024", "9999"] {
            for month in 0..=13 {
                for day in 0..=32 {
                    out.push(format!("{year}-{month:02}-{day:02}"));
                }
            }
        }
        let near = [
            "2024-1-01",
            "2024-01-1",
            "2024/01/01",
            "2024-01-01T",
            " 2024-01-01",
            "2024-01-01\n",
            "24-01-01",
            "20240-01-01",
            "2024-01-011",
            "\u{661}\u{662}\u{663}\u{664}-01-01",
            "2024-0a-01",
            "2024--1-01",
            "",
        ];
        out.extend(near.iter().map(|s| s.to_string()));
        out
    }

    /// Each native format gives the first error its pattern gives, on every string of up to
    /// three characters drawn from what matters to it (white space of ECMA and of Unicode,
    /// which differ; line terminators; letters of both cases, digits, the punctuation the
    /// patterns name, a character beyond ASCII), and on every date shape; with and without
    /// `minLength: 1` beside it (the empty string breaks both: `minLength` must still be the
    /// one reported).
    #[test]
    fn formats_mean_what_their_patterns_mean() {
        let spaces = [
            'a', 'é', '-', '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}',
            '\u{2000}', '\u{200a}', '\u{200b}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}',
            '\u{3000}', '\u{feff}', '\u{180e}',
        ];
        let words = [
            'a', 'z', 'A', 'Z', '0', '9', '-', '_', '+', '.', ' ', '\n', 'é', '\u{a0}', '/',
        ];
        for native in &NATIVE {
            let samples = match native.format {
                "bridgelint-trimmed-line" => strings(&spaces, 3),
                "bridgelint-calendar-date" => dates(),
                _ => strings(&words, 3),
            };
            for original in [
                serde_json::json!({"type": "string", "pattern": native.pattern}),
                serde_json::json!({"type": "string", "minLength": 1, "pattern": native.pattern}),
            ] {
                let mut changed = original.clone();
                use_native_checks(&mut changed);
                assert_eq!(changed.get("format"), Some(&Json::from(native.format)));
                let (before, after) = (validator(&original), validator(&changed));
                let mut refused = 0;
                for s in &samples {
                    let value = Json::from(s.as_str());
                    let expected = first_error(&before, &value);
                    assert_eq!(
                        first_error(&after, &value),
                        expected,
                        "{s:?} under {original}"
                    );
                    refused += usize::from(expected != "valid");
                }
                let accepted = samples.len() - refused;
                assert!(
                    refused > 100 && accepted > 20,
                    "{}: {refused} / {accepted}",
                    native.format
                );
            }
        }
        // Where a schema says `format: date` beside the date pattern: one format for both, the
        // pattern's refusal first, then February 29 of a common year.
        let original = serde_json::json!({"type": "string", "pattern": CALENDAR_DATE_PATTERN, "format": "date"});
        let mut changed = original.clone();
        use_native_checks(&mut changed);
        assert_eq!(
            changed,
            serde_json::json!({"type": "string", "format": REAL_DATE_FORMAT})
        );
        let (before, after) = (validator(&original), validator(&changed));
        let mut seen = std::collections::BTreeSet::new();
        for s in dates() {
            let value = Json::from(s.as_str());
            let expected = first_error(&before, &value);
            assert_eq!(first_error(&after, &value), expected, "{s:?}");
            seen.insert(expected);
        }
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    /// The embedded schemas compile none of these patterns any more.
    #[test]
    fn embedded_schemas_use_the_native_checks() {
        use crate::schema::SchemaKind;
        let mut replaced = 0;
        for kind in [
            SchemaKind::Integration,
            SchemaKind::ServiceAccounts,
            SchemaKind::Config,
            SchemaKind::Rule,
        ] {
            let mut schema: Json = serde_json::from_str(kind.source()).unwrap();
            let before = schema.to_string();
            use_native_checks(&mut schema);
            let after = schema.to_string();
            for native in &NATIVE {
                let written = Json::from(native.pattern).to_string();
                replaced += before.matches(&written).count();
                assert!(
                    !after.contains(&format!("\"pattern\":{written}")),
                    "{kind:?}"
                );
            }
        }
        assert!(replaced >= 15, "{replaced}");
    }
}
