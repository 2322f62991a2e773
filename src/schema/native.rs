//! Checks of the embedded schemas done in Rust instead of by a regex: the schemas keep their
//! `pattern` (editors and other validators read it), and the copy bridgelint compiles says
//! `format` instead, whose check means exactly what the pattern does under ECMA-262, as
//! `jsonschema` reads it (a test holds them to the same answers).
//!
//! Why: `^\S(?:.*\S)?$` has a Unicode class, and compiling it was a sixth of the Integration
//! schema's compilation, paid by every run that validates an integration (BENCHMARKS.md,
//! "One-file runs").

use serde_json::Value as Json;

/// "Not empty, no white space at either end, no line break": a name written on one line.
pub(super) const TRIMMED_PATTERN: &str = r"^\S(?:.*\S)?$";
/// The format that replaces [`TRIMMED_PATTERN`].
pub(super) const TRIMMED_FORMAT: &str = "bridgelint-trimmed-line";

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
pub(super) fn is_trimmed_line(s: &str) -> bool {
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
            let trimmed = map.get("pattern").and_then(Json::as_str) == Some(TRIMMED_PATTERN);
            if trimmed && !map.contains_key("format") {
                map.remove("pattern");
                map.insert("format".into(), Json::from(TRIMMED_FORMAT));
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
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .with_format(TRIMMED_FORMAT, is_trimmed_line)
            .should_validate_formats(true)
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
            ValidationErrorKind::Pattern { .. } => "not a trimmed line",
            ValidationErrorKind::Format { format } if format == TRIMMED_FORMAT => {
                "not a trimmed line"
            }
            other => panic!("unexpected error {other:?}"),
        }
    }

    /// Every string of up to three characters drawn from white space (ECMA's and Unicode's,
    /// which differ), line terminators and ordinary characters gets the same first error from
    /// the pattern as from the format, with and without `minLength: 1` beside it (the empty
    /// string breaks both: `minLength` must still be the one reported).
    #[test]
    fn formats_mean_what_the_pattern_means() {
        let chars = [
            'a', 'é', '-', '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}',
            '\u{2000}', '\u{200a}', '\u{200b}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}',
            '\u{3000}', '\u{feff}', '\u{180e}',
        ];
        let mut strings = vec![String::new()];
        for len in 1..=3 {
            let mut index = vec![0; len];
            loop {
                strings.push(index.iter().map(|&i| chars[i]).collect());
                let Some(at) = (0..len).rev().find(|&i| index[i] + 1 < chars.len()) else {
                    break;
                };
                index[at] += 1;
                index[at + 1..].iter_mut().for_each(|i| *i = 0);
            }
        }
        for original in [
            serde_json::json!({"type": "string", "pattern": TRIMMED_PATTERN}),
            serde_json::json!({"type": "string", "minLength": 1, "pattern": TRIMMED_PATTERN}),
        ] {
            let mut native = original.clone();
            use_native_checks(&mut native);
            assert!(native.get("pattern").is_none(), "{native}");
            let (before, after) = (validator(&original), validator(&native));
            let mut refused = 0;
            for s in &strings {
                let value = Json::from(s.as_str());
                let expected = first_error(&before, &value);
                assert_eq!(
                    first_error(&after, &value),
                    expected,
                    "{s:?} under {original}"
                );
                refused += usize::from(expected != "valid");
            }
            assert!(refused > 1000 && refused < strings.len() - 100, "{refused}");
        }
    }

    /// The embedded schemas that had the pattern no longer compile it.
    #[test]
    fn embedded_schemas_use_the_native_check() {
        for kind in [
            crate::schema::SchemaKind::Integration,
            crate::schema::SchemaKind::ServiceAccounts,
        ] {
            assert!(kind.source().contains(r#""pattern": "^\\S(?:.*\\S)?$""#));
            let mut schema: Json = serde_json::from_str(kind.source()).unwrap();
            use_native_checks(&mut schema);
            assert!(!schema
                .to_string()
                .contains(r#""pattern":"^\\S(?:.*\\S)?$""#));
        }
    }
}
