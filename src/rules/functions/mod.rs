//! The built-in functions of the rule language, one entry each: name, forms (argument and
//! result types, as the type checker reads them), documentation line and implementation.
//!
//! Adding a function is adding an entry here, and a part for it in the probe rule of
//! `tests/expressions.rs` (its values). `registry.rs` turns the entries into the `Func` enum,
//! the `FUNCTIONS` table that the type checker (`expr/call.rs`) and the generated docs read, and
//! the evaluator's dispatch. The quantifiers (`any`, `all`, `filter`, `map`, `count` with a
//! lambda) are entries too: a form with a lambda argument makes the parser read `x => ...`
//! there, with `x` bound to the items of the list.

mod registry;

use std::cmp::Ordering;
use std::rc::Rc;

pub use registry::{function_docs, function_list, lookup, Arg, Def, Ret, Sig};

use crate::model::MVal;
use crate::rules::eval::{order, Ctx, Src, Tri, Val, V};
use crate::rules::expr::Expr;
use crate::secrets::{is_secret_reference, mask, redact_url, secure_url, url_scheme, url_userinfo};
use registry::{eval_arm, functions, sig};

functions! {
    Len {
        name: "len",
        doc: "len(list or string): number of items or characters",
        sigs: [sig(&[Arg::StrOrList], Ret::Int)],
        eval: values |cx, v| match (&v[0].v, cx.items(&v[0])) {
            (V::Str(x), _) => int(x.chars().count() as i64),
            (_, Some(items)) => int(items.len() as i64),
            _ => null(),
        },
    }
    Lower {
        name: "lower",
        doc: "lower(string)",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(x.to_lowercase())),
    }
    Upper {
        name: "upper",
        doc: "upper(string)",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(x.to_uppercase())),
    }
    Matches {
        name: "matches",
        doc: "matches(string, \"regex\"): the regex (a literal, Rust `regex` syntax) matches somewhere",
        sigs: [sig(&[Arg::Str, Arg::Regex], Ret::Bool)],
        eval: lazy |cx, args, env| cx.with_values(args, env, |v| {
            let Some(Expr::Regex(re)) = args.get(1) else {
                return null();
            };
            on_str(v, |x| boolean(re.is_match(x)))
        }),
    }
    Contains {
        name: "contains",
        doc: "contains(string, part) or contains(list, item)",
        sigs: [sig(&[Arg::StrOrList, Arg::Any], Ret::Bool)],
        eval: values |cx, v| match (&v[0].v, cx.items(&v[0])) {
            (V::Str(x), _) => str_at(v, 1).map_or_else(null, |y| boolean(x.contains(y))),
            (_, Some(items)) => boolean(items.iter().any(|i| cx.equal(i, &v[1]))),
            _ => null(),
        },
    }
    StartsWith {
        name: "starts_with",
        doc: "starts_with(string, prefix)",
        sigs: [sig(&[Arg::Str, Arg::Str], Ret::Bool)],
        eval: values |cx, v| strs(v).map_or_else(null, |(x, y)| boolean(x.starts_with(y))),
    }
    EndsWith {
        name: "ends_with",
        doc: "ends_with(string, suffix)",
        sigs: [sig(&[Arg::Str, Arg::Str], Ret::Bool)],
        eval: values |cx, v| strs(v).map_or_else(null, |(x, y)| boolean(x.ends_with(y))),
    }
    ContainsAny {
        name: "contains_any",
        doc: "contains_any(string, list of parts): some part is a substring",
        sigs: [sig(&[Arg::Str, Arg::StrList], Ret::Bool)],
        eval: values |cx, v| {
            let Some(x) = str_at(v, 0) else { return null() };
            let parts = cx.items(&v[1]).unwrap_or_default();
            boolean(parts.iter().any(|p| match &p.v {
                V::Str(p) => x.contains(p.as_ref()),
                _ => false,
            }))
        },
    }
    Count {
        name: "count",
        doc: "count(string, part): occurrences; count(list, x => condition): items that satisfy it",
        sigs: [
            sig(&[Arg::Str, Arg::Any], Ret::Int),
            sig(&[Arg::List, Arg::Lambda], Ret::Int),
        ],
        eval: lazy |cx, args, env| if matches!(args.get(1), Some(Expr::Lambda { .. })) {
            let mut n = 0;
            cx.for_each_item(args, env, |_, holds| match cx.tri(&holds) {
                Tri::True => {
                    n += 1;
                    None
                }
                Tri::Unknown => Some(invalid()),
                Tri::False => None,
            })
            .unwrap_or_else(|| int(n))
        } else {
            cx.with_values(args, env, |v| match strs(v) {
                Some((x, y)) if !y.is_empty() => int(x.matches(y).count() as i64),
                _ => null(),
            })
        },
    }
    Before {
        name: "before",
        doc: "before(string, separator): the text before the first separator, or null",
        sigs: [sig(&[Arg::Str, Arg::Str], Ret::Str)],
        eval: values |cx, v| split(v, |(before, _)| before),
    }
    After {
        name: "after",
        doc: "after(string, separator): the text after the first separator, or null",
        sigs: [sig(&[Arg::Str, Arg::Str], Ret::Str)],
        eval: values |cx, v| split(v, |(_, after)| after),
    }
    Any {
        name: "any",
        doc: "any(list, x => condition)",
        sigs: [sig(&[Arg::List, Arg::Cond], Ret::Bool)],
        eval: lazy |cx, args, env| any_or_all(cx, args, env, Tri::True),
    }
    All {
        name: "all",
        doc: "all(list, x => condition)",
        sigs: [sig(&[Arg::List, Arg::Cond], Ret::Bool)],
        eval: lazy |cx, args, env| any_or_all(cx, args, env, Tri::False),
    }
    Filter {
        name: "filter",
        doc: "filter(list, x => condition)",
        sigs: [sig(&[Arg::List, Arg::Cond], Ret::First)],
        eval: lazy |cx, args, env| {
            let mut kept = Vec::new();
            cx.for_each_item(args, env, |item, holds| match cx.tri(&holds) {
                Tri::True => {
                    kept.push(item);
                    None
                }
                Tri::Unknown => Some(invalid()),
                Tri::False => None,
            })
            .unwrap_or_else(|| Val::of(V::List(Rc::new(kept))))
        },
    }
    Map {
        name: "map",
        doc: "map(list, x => expression)",
        sigs: [sig(&[Arg::List, Arg::Lambda], Ret::Mapped)],
        eval: lazy |cx, args, env| {
            let list = cx.eval(&args[0], env);
            if list.is_invalid() {
                return invalid();
            }
            let n = cx.len_of(&list).unwrap_or(0);
            let mapped = (0..n)
                .map(|i| cx.with_lambda(&args[1], cx.item(&list, i), env).0)
                .collect();
            Val::of(V::List(Rc::new(mapped)))
        },
    }
    First {
        name: "first",
        doc: "first(list): the first item, or null",
        sigs: [sig(&[Arg::List], Ret::Item)],
        eval: lazy |cx, args, env| match args.first() {
            // `first(filter(list, x => c))` stops at the first match: per-entity rules that look
            // for a reference item (`shared-account`) would otherwise be quadratic.
            Some(Expr::Call(Func::Filter, inner)) => cx
                .for_each_item(inner, env, |item, holds| match cx.tri(&holds) {
                    Tri::True => Some(item),
                    Tri::Unknown => Some(invalid()),
                    Tri::False => None,
                })
                .unwrap_or_else(null),
            _ => cx.with_values(args, env, |v| {
                cx.items(&v[0])
                    .and_then(|i| i.into_iter().next())
                    .unwrap_or_else(null)
            }),
        },
    }
    Max {
        name: "max",
        doc: "max(list): the largest item, nulls left out",
        sigs: [sig(&[Arg::List], Ret::Item)],
        eval: values |cx, v| extreme(cx, &v[0], Ordering::Greater),
    }
    Min {
        name: "min",
        doc: "min(list): the smallest item, nulls left out",
        sigs: [sig(&[Arg::List], Ret::Item)],
        eval: values |cx, v| extreme(cx, &v[0], Ordering::Less),
    }
    Join {
        name: "join",
        doc: "join(list, separator)",
        sigs: [sig(&[Arg::List, Arg::Str], Ret::Str)],
        eval: values |cx, v| {
            let sep = str_at(v, 1).unwrap_or(", ");
            let items = cx.items(&v[0]).unwrap_or_default();
            owned(items.iter().map(|i| cx.render(i)).collect::<Vec<_>>().join(sep))
        },
    }
    DaysSince {
        name: "days_since",
        doc: "days_since(date): today minus the date, in days",
        sigs: [sig(&[Arg::Date], Ret::Int)],
        eval: values |cx, v| match v[0].v {
            V::Date(d) => int(cx.today as i64 - d as i64),
            _ => null(),
        },
    }
    DaysBetween {
        name: "days_between",
        doc: "days_between(a, b): b minus a, in days",
        sigs: [sig(&[Arg::Date, Arg::Date], Ret::Int)],
        eval: values |cx, v| match (&v[0].v, &v[1].v) {
            (V::Date(a), V::Date(b)) => int(*b as i64 - *a as i64),
            _ => null(),
        },
    }
    IsSecretReference {
        name: "is_secret_reference",
        doc: "is_secret_reference(string): env:NAME, ${NAME}, vault:PATH, ... (format.md; config `secret_reference_schemes`)",
        sigs: [sig(&[Arg::Str], Ret::Bool)],
        eval: values |cx, v| on_str(v, |x| boolean(is_secret_reference(x, cx.schemes))),
    }
    Redact {
        name: "redact",
        doc: "redact(string): a masked form safe to print",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(mask(x))),
    }
    UrlScheme {
        name: "url_scheme",
        doc: "url_scheme(url): the scheme before `://`, or \"\"",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(url_scheme(x).to_string())),
    }
    UrlHasUserinfo {
        name: "url_has_userinfo",
        doc: "url_has_userinfo(url): the authority holds `user@` or `user:pass@`",
        sigs: [sig(&[Arg::Str], Ret::Bool)],
        eval: values |cx, v| on_str(v, |x| boolean(url_userinfo(x).is_some())),
    }
    SecureUrl {
        name: "secure_url",
        doc: "secure_url(url): `https` for `http`, userinfo dropped (never holds a password)",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(secure_url(x))),
    }
    UpperSnake {
        name: "upper_snake",
        doc: "upper_snake(string): upper case, each run of other characters than letters and digits one `_`, a leading digit prefixed with `_` (`jira-ado/jira` → `JIRA_ADO_JIRA`)",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(upper_snake(x))),
    }
    RedactUrl {
        name: "redact_url",
        doc: "redact_url(url): the URL with its userinfo masked",
        sigs: [sig(&[Arg::Str], Ret::Str)],
        eval: values |cx, v| on_str(v, |x| owned(redact_url(x))),
    }
    Key {
        name: "key",
        doc: "key(field): the location of the key a field sits under",
        sigs: [sig(&[Arg::Field], Ret::Loc)],
        eval: lazy |cx, args, env| {
            let Expr::Field { of, kind, index } = &args[0] else {
                return invalid();
            };
            match cx.eval(of, env).v {
                V::Ref(k, r) if k == *kind => {
                    let rec = cx.model.record(k, r);
                    if matches!(rec.val(*index), MVal::Absent) {
                        return Val::of(V::Absent);
                    }
                    let src = Src { kind: k, record: r, field: *index as u16, item: u32::MAX };
                    Val {
                        v: V::Loc,
                        loc: rec.key_loc(*index).or(rec.slot_loc(*index)),
                        src: Some(src),
                    }
                }
                V::Invalid => invalid(),
                _ => Val::of(V::Absent),
            }
        },
    }
    Exists {
        name: "exists",
        doc: "exists(x): x is present (not null)",
        sigs: [sig(&[Arg::Any], Ret::Bool)],
        eval: lazy |cx, args, env| {
            let v = cx.eval(&args[0], env);
            match v.v {
                V::Invalid => v,
                _ => boolean(!v.is_null()),
            }
        },
    }
}

// What the entries share.

fn null<'m>() -> Val<'m> {
    Val::of(V::Null)
}

fn invalid<'m>() -> Val<'m> {
    Val::of(V::Invalid)
}

fn boolean<'m>(b: bool) -> Val<'m> {
    Val::of(V::Bool(b))
}

fn int<'m>(i: i64) -> Val<'m> {
    Val::of(V::Int(i))
}

fn owned<'m>(s: String) -> Val<'m> {
    Val::of(V::Str(std::borrow::Cow::Owned(s)))
}

/// Argument `i` when it is a string.
fn str_at<'a>(v: &'a [Val], i: usize) -> Option<&'a str> {
    match &v.get(i)?.v {
        V::Str(s) => Some(s.as_ref()),
        _ => None,
    }
}

/// `f` of the first argument when it is a string, else null.
fn on_str<'m>(v: &[Val<'m>], f: impl FnOnce(&str) -> Val<'m>) -> Val<'m> {
    str_at(v, 0).map_or_else(null, f)
}

/// The two arguments when both are strings.
fn strs<'a>(v: &'a [Val]) -> Option<(&'a str, &'a str)> {
    Some((str_at(v, 0)?, str_at(v, 1)?))
}

/// One side of the first argument split at the first occurrence of the second (both strings),
/// or null.
fn split<'m>(v: &[Val<'m>], side: for<'s> fn((&'s str, &'s str)) -> &'s str) -> Val<'m> {
    strs(v)
        .and_then(|(x, y)| x.split_once(y))
        .map_or_else(null, |parts| owned(side(parts).to_string()))
}

/// `any` (`stop` true) or `all` (`stop` false): the first item for which the condition is
/// `stop` decides; otherwise an unknown condition makes the result unknown.
fn any_or_all<'m>(cx: &Ctx<'m>, args: &'m [Expr], env: &mut Vec<Val<'m>>, stop: Tri) -> Val<'m> {
    let mut unknown = false;
    cx.for_each_item(args, env, |_, holds| match cx.tri(&holds) {
        t if t == stop => Some(boolean(stop == Tri::True)),
        Tri::Unknown => {
            unknown = true;
            None
        }
        _ => None,
    })
    .unwrap_or_else(|| {
        if unknown {
            invalid()
        } else {
            boolean(stop != Tri::True)
        }
    })
}

/// The largest (`want` greater) or smallest item of a list, nulls left out; invalid when an
/// item is.
fn extreme<'m>(cx: &Ctx<'m>, list: &Val<'m>, want: Ordering) -> Val<'m> {
    let items = cx.items(list).unwrap_or_default();
    if items.iter().any(Val::is_invalid) {
        return invalid();
    }
    let mut best: Option<Val<'m>> = None;
    for item in items.into_iter().filter(|i| !i.is_null()) {
        best = match best {
            None => Some(item),
            Some(b) => Some(if order(&item, &b) == Some(want) {
                item
            } else {
                b
            }),
        };
    }
    best.unwrap_or_else(null)
}

/// Upper case, each run of characters other than ASCII letters and digits one `_`, none at
/// either end: a name fit for an environment variable.
fn upper_snake(x: &str) -> String {
    let mut out = String::with_capacity(x.len());
    for c in x.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    // An environment variable cannot start with a digit.
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_documents_itself_under_its_name() {
        for d in FUNCTIONS {
            assert!(d.doc.starts_with(&format!("{}(", d.name)), "{}", d.name);
        }
    }

    #[test]
    fn every_function_takes_at_most_two_values() {
        // `Ctx::with_values` evaluates the arguments into a buffer of two.
        for d in FUNCTIONS {
            assert!(d.sigs.iter().all(|s| s.args.len() <= 2), "{}", d.name);
        }
    }

    #[test]
    fn a_lambda_comes_after_the_list_it_ranges_over() {
        for d in FUNCTIONS {
            for s in d.sigs {
                if let Some(i) = s.args.iter().position(|a| a.is_lambda()) {
                    assert!(i == 1 && s.args[0] == Arg::List, "{}", d.name);
                }
            }
        }
    }
}
