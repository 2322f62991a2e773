//! Message templates: literal text with `{expression}` parts, compiled once per rule.

use super::expr::{self, compile, Scope, T};
use super::Part;

/// Compiles `text {expr} text` (`{{` and `}}` are literal braces). With `item`, the name `item`
/// is bound to the related entity.
pub(super) fn compile_template(
    src: &str,
    scope: &Scope,
    item: Option<T>,
) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = src;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            text.push(tail.as_bytes()[0] as char);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err("unmatched `}` (write `}}` for a brace)".into());
        }
        let Some(close) = tail.find('}') else {
            return Err("unclosed `{`".into());
        };
        let inner = &tail[1..close];
        let compiled = match &item {
            Some(t) => expr::compile_with_item(inner, scope, t.clone()),
            None => compile(inner, scope).map(|(e, _, _)| e),
        };
        let e = compiled.map_err(|e| format!("{} (in `{{{inner}}}`)", e.message))?;
        if !text.is_empty() {
            parts.push(Part::Text(std::mem::take(&mut text)));
        }
        parts.push(Part::Expr(e));
        rest = &tail[close + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}
