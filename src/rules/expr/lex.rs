//! The lexer: an expression's text into tokens, each with its byte offset.

use super::ExprError;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok<'s> {
    /// A word, borrowed from the expression's text (most become a field's index).
    Ident(&'s str),
    Int(i64),
    Str(String),
    Op(&'static str),
    End,
}

pub(super) fn lex(src: &str) -> Result<Vec<(Tok<'_>, usize)>, ExprError> {
    let b = src.as_bytes();
    // About one token per three bytes in the built-in rules: growing the vector from empty
    // was a twentieth of compiling them.
    let mut out = Vec::with_capacity(src.len() / 3 + 2);
    let mut i = 0;
    const OPS: [&str; 18] = [
        "==", "!=", "<=", ">=", "=>", "??", "<", ">", "+", "-", "(", ")", "[", "]", ",", ".", "!",
        "*",
    ];
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(&src[start..i]), start));
        } else if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n = src[start..i]
                .parse::<i64>()
                .map_err(|_| ExprError::at(start, "number too large"))?;
            out.push((Tok::Int(n), start));
        } else if c == b'"' || c == b'\'' {
            let (text, end) = string(src, start)?;
            i = end;
            out.push((Tok::Str(text), start));
        } else if let Some(op) = OPS.iter().find(|op| src[i..].starts_with(**op)) {
            // Lexed only to say what to write instead.
            let instead = match *op {
                "!" => Some("use `not` for negation"),
                "*" => Some("the language has no multiplication"),
                _ => None,
            };
            if let Some(instead) = instead {
                return Err(ExprError::at(
                    start,
                    format!("unexpected `{op}` ({instead})"),
                ));
            }
            i += op.len();
            out.push((Tok::Op(op), start));
        } else {
            let ch = src[i..].chars().next().unwrap_or('?');
            return Err(ExprError::at(start, format!("unexpected character `{ch}`")));
        }
    }
    out.push((Tok::End, src.len()));
    Ok(out)
}

/// The string literal that starts (with its quote) at `start`: its text, with `\n`, `\t`,
/// `\\` and escaped quotes unescaped (any other escape is kept as written), and the offset
/// after its closing quote.
fn string(src: &str, start: usize) -> Result<(String, usize), ExprError> {
    let quote = src.as_bytes()[start];
    let mut i = start + 1;
    let mut s = String::new();
    loop {
        let Some(ch) = src[i..].chars().next() else {
            return Err(ExprError::at(start, "unterminated string"));
        };
        i += ch.len_utf8();
        if ch as u32 == quote as u32 {
            return Ok((s, i));
        }
        if ch == '\\' {
            let Some(next) = src[i..].chars().next() else {
                continue;
            };
            i += next.len_utf8();
            match next {
                'n' => s.push('\n'),
                't' => s.push('\t'),
                '\\' | '"' | '\'' => s.push(next),
                other => {
                    s.push('\\');
                    s.push(other);
                }
            }
        } else {
            s.push(ch);
        }
    }
}
