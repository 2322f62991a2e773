//! Scalars: a mapping key keeps its text, a value gets its YAML 1.2 core-schema type (null,
//! bool, int in decimal, octal `0o` or hex `0x`, float, `.inf`, `.nan`, else a string), or the
//! type its core-schema tag asks for.

use std::borrow::Cow;

use granit_parser::{ScalarStyle, Span as GSpan, Tag};

use super::tag::CORE;
use super::{Builder, Frame, Kind, PendingKey};
use crate::source::pos::Span;
use crate::source::tree::{Node, ParseError, Problem, ProblemKind, Value, INVALID};

impl<'t> Builder<'t, '_> {
    /// A scalar event: a mapping key keeps its text (a plain `<<` is a merge key); a value gets
    /// its core-schema type, or its tag's.
    #[inline]
    pub(super) fn scalar(
        &mut self,
        raw: Cow<'t, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mut span: Span,
        gspan: &GSpan,
    ) -> Result<(), ParseError> {
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            span = self.block_scalar_span(span);
        }
        // A mapping key keeps its text; a value gets its core-schema type.
        let in_key_position = matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map { key: None, .. },
                ..
            })
        );
        let bad = self.check_tag(tag, gspan, None);
        if in_key_position && bad.is_none() {
            let merge = style == ScalarStyle::Plain && raw == "<<" && tag.is_none();
            let frame = self.stack.last_mut().expect("key position");
            frame.last_end = span.end;
            if let Kind::Map { key, .. } = &mut frame.kind {
                *key = Some(PendingKey::Key {
                    text: raw,
                    span,
                    merge,
                });
            }
            return Ok(());
        }
        let value = match (style, tag) {
            (ScalarStyle::Plain, None) => resolve_plain(raw),
            (_, Some(t)) if bad.is_none() && t.handle() == CORE => {
                match resolve_tagged(raw.clone(), t.suffix()) {
                    Some(v) => v,
                    None => {
                        self.problems.push(Problem {
                            kind: ProblemKind::Schema,
                            span,
                            message: format!("`{raw}` is not a valid `!!{}` value", t.suffix()),
                        });
                        let mut node = Node::new(Value::Str(raw), span);
                        node.flags |= INVALID;
                        return self.finish_scalar(node, anchor);
                    }
                }
            }
            _ => Value::Str(raw),
        };
        let mut node = Node::new(value, span);
        if let Some(bad) = bad {
            self.bad_tag(&mut node, bad);
        }
        self.finish_scalar(node, anchor)
    }

    fn finish_scalar(&mut self, node: Node<'t>, anchor: usize) -> Result<(), ParseError> {
        if anchor != 0 {
            self.store_anchor(anchor, &node);
        }
        let end = node.span.end;
        self.finish_node(node, end)
    }
}

/// YAML 1.2 core schema for plain scalars.
pub fn resolve_plain(raw: Cow<'_, str>) -> Value<'_> {
    let s: &str = &raw;
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let b = s.as_bytes();
    let first = b[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Value::Str(raw);
    }
    if let Some(v) = resolve_int(s) {
        return v;
    }
    if is_core_float(s) {
        if let Ok(f) = s.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(raw)
}

fn resolve_int(s: &str) -> Option<Value<'static>> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x") {
        (h, 16)
    } else if let Some(o) = s.strip_prefix("0o") {
        (o, 8)
    } else {
        let body = s.strip_prefix(['-', '+']).unwrap_or(s);
        if body.is_empty() || !body.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        return Some(match s.parse::<i64>() {
            Ok(i) => Value::Int(i),
            // Beyond 64 bits: keep the magnitude so range checks still speak.
            Err(_) => Value::Float(s.parse::<f64>().unwrap_or(f64::MAX)),
        });
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i64::from_str_radix(digits, radix) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(f64::MAX),
    })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

fn resolve_tagged<'t>(raw: Cow<'t, str>, suffix: &str) -> Option<Value<'t>> {
    match suffix {
        "str" => Some(Value::Str(raw)),
        "null" => matches!(&*raw, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null),
        "bool" => match resolve_plain(raw) {
            v @ Value::Bool(_) => Some(v),
            _ => None,
        },
        "int" => resolve_int(&raw),
        "float" => match resolve_plain(raw) {
            Value::Int(i) => Some(Value::Float(i as f64)),
            v @ Value::Float(_) => Some(v),
            _ => None,
        },
        _ => None,
    }
}
