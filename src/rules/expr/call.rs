//! Function calls: the built-in functions, and type checking a call's arguments.

use super::lex::Tok;
use super::parse::Parser;
use super::{compile_regex, Expr, ExprError, T};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Len,
    Lower,
    Upper,
    Matches,
    Contains,
    StartsWith,
    EndsWith,
    ContainsAny,
    Count,
    Before,
    After,
    Any,
    All,
    Filter,
    Map,
    First,
    Max,
    Min,
    Join,
    DaysSince,
    DaysBetween,
    IsSecretReference,
    Redact,
    UrlScheme,
    UrlHasUserinfo,
    RedactUrl,
    Key,
    Exists,
}

const FUNCS: &[(&str, Func, &str)] = &[
    ("len", Func::Len, "len(list or string): number of items or characters"),
    ("lower", Func::Lower, "lower(string)"),
    ("upper", Func::Upper, "upper(string)"),
    ("matches", Func::Matches, "matches(string, \"regex\"): the regex (a literal, Rust `regex` syntax) matches somewhere"),
    ("contains", Func::Contains, "contains(string, part) or contains(list, item)"),
    ("starts_with", Func::StartsWith, "starts_with(string, prefix)"),
    ("ends_with", Func::EndsWith, "ends_with(string, suffix)"),
    ("contains_any", Func::ContainsAny, "contains_any(string, list of parts): some part is a substring"),
    ("count", Func::Count, "count(string, part): occurrences; count(list, x => condition): items that satisfy it"),
    ("before", Func::Before, "before(string, separator): the text before the first separator, or null"),
    ("after", Func::After, "after(string, separator): the text after the first separator, or null"),
    ("any", Func::Any, "any(list, x => condition)"),
    ("all", Func::All, "all(list, x => condition)"),
    ("filter", Func::Filter, "filter(list, x => condition)"),
    ("map", Func::Map, "map(list, x => expression)"),
    ("first", Func::First, "first(list): the first item, or null"),
    ("max", Func::Max, "max(list): the largest item, nulls left out"),
    ("min", Func::Min, "min(list): the smallest item, nulls left out"),
    ("join", Func::Join, "join(list, separator)"),
    ("days_since", Func::DaysSince, "days_since(date): today minus the date, in days"),
    ("days_between", Func::DaysBetween, "days_between(a, b): b minus a, in days"),
    ("is_secret_reference", Func::IsSecretReference, "is_secret_reference(string): env:NAME, ${NAME}, vault:PATH, ... (format.md; config `secret_reference_schemes`)"),
    ("redact", Func::Redact, "redact(string): a masked form safe to print"),
    ("url_scheme", Func::UrlScheme, "url_scheme(url): the scheme before `://`, or \"\""),
    ("url_has_userinfo", Func::UrlHasUserinfo, "url_has_userinfo(url): the authority holds `user@` or `user:pass@`"),
    ("redact_url", Func::RedactUrl, "redact_url(url): the URL with its userinfo masked"),
    ("key", Func::Key, "key(field): the location of the key a field sits under"),
    ("exists", Func::Exists, "exists(x): x is present (not null)"),
];

pub fn function_docs() -> impl Iterator<Item = &'static str> {
    FUNCS.iter().map(|(_, _, d)| *d)
}

impl Parser<'_> {
    pub(super) fn call(&mut self, name: &str, at: usize) -> Result<(Expr, T), ExprError> {
        let Some(&(_, func, _)) = FUNCS.iter().find(|(n, _, _)| *n == name) else {
            let hint = crate::suggest::closest(name, FUNCS.iter().map(|(n, _, _)| *n))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(ExprError {
                offset: at,
                message: format!("unknown function `{name}`{hint}"),
            });
        };
        self.expect_op("(")?;
        let mut args: Vec<(Expr, T)> = Vec::new();
        let takes_lambda = matches!(
            func,
            Func::Any | Func::All | Func::Filter | Func::Map | Func::Count
        );
        while !self.is_op(")") {
            let lambda_here = takes_lambda
                && args.len() == 1
                && matches!(self.toks.get(self.pos + 1), Some((Tok::Op("=>"), _)));
            if lambda_here {
                let elem = match &args[0].1 {
                    T::List(e) => (**e).clone(),
                    _ => T::Any,
                };
                args.push(self.lambda(elem)?);
            } else {
                args.push(self.expr()?);
            }
            if !self.is_op(")") {
                self.expect_op(",")?;
            }
        }
        self.next();
        let arity = |n: usize| -> Result<(), ExprError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(ExprError {
                    offset: at,
                    message: format!(
                        "`{name}` takes {n} argument{}",
                        if n == 1 { "" } else { "s" }
                    ),
                })
            }
        };
        let ty = |i: usize| args[i].1.clone();
        let want = |i: usize, ok: &dyn Fn(&T) -> bool, what: &str| -> Result<(), ExprError> {
            if ok(&args[i].1) || matches!(args[i].1, T::Any | T::Null) {
                Ok(())
            } else {
                Err(ExprError {
                    offset: at,
                    message: format!(
                        "argument {} of `{name}` must be {what}, not a {}",
                        i + 1,
                        args[i].1.name()
                    ),
                })
            }
        };
        let is_str = |t: &T| *t == T::Str;
        let is_list = |t: &T| matches!(t, T::List(_));
        let is_lambda = |e: &Expr| matches!(e, Expr::Lambda { .. });
        let result = match func {
            Func::Len => {
                arity(1)?;
                want(0, &|t| is_str(t) || is_list(t), "a list or string")?;
                T::Int
            }
            Func::Lower | Func::Upper | Func::Redact | Func::RedactUrl | Func::UrlScheme => {
                arity(1)?;
                want(0, &is_str, "a string")?;
                T::Str
            }
            Func::UrlHasUserinfo | Func::IsSecretReference => {
                arity(1)?;
                want(0, &is_str, "a string")?;
                T::Bool
            }
            Func::Matches => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                let Expr::Str(pattern) = &args[1].0 else {
                    return Err(ExprError {
                        offset: at,
                        message: "the regex of `matches` must be a string literal".into(),
                    });
                };
                let re = compile_regex(pattern).map_err(|m| ExprError {
                    offset: at,
                    message: m,
                })?;
                args[1] = (Expr::Regex(Box::new(re)), T::Str);
                T::Bool
            }
            Func::Contains => {
                arity(2)?;
                want(0, &|t| is_str(t) || is_list(t), "a list or string")?;
                T::Bool
            }
            Func::StartsWith | Func::EndsWith => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                want(1, &is_str, "a string")?;
                T::Bool
            }
            Func::ContainsAny => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                want(1, &|t| *t == T::List(Box::new(T::Str)), "a list of strings")?;
                T::Bool
            }
            Func::Count => {
                arity(2)?;
                if is_lambda(&args[1].0) {
                    want(0, &is_list, "a list")?;
                } else {
                    want(0, &is_str, "a string")?;
                }
                T::Int
            }
            Func::Before | Func::After => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                want(1, &is_str, "a string")?;
                T::Str
            }
            Func::Any | Func::All | Func::Filter | Func::Map => {
                arity(2)?;
                want(0, &is_list, "a list")?;
                if !is_lambda(&args[1].0) {
                    return Err(ExprError {
                        offset: at,
                        message: format!("argument 2 of `{name}` must be `x => expression`"),
                    });
                }
                match func {
                    Func::Any | Func::All => {
                        if !matches!(ty(1), T::Bool | T::Any | T::Null) {
                            return Err(ExprError {
                                offset: at,
                                message: format!("the body of `{name}` must be a condition"),
                            });
                        }
                        T::Bool
                    }
                    Func::Filter => ty(0),
                    _ => T::List(Box::new(ty(1))),
                }
            }
            Func::First | Func::Max | Func::Min => {
                arity(1)?;
                want(0, &is_list, "a list")?;
                match ty(0) {
                    T::List(e) => *e,
                    _ => T::Any,
                }
            }
            Func::Join => {
                arity(2)?;
                want(0, &is_list, "a list")?;
                want(1, &is_str, "a string")?;
                T::Str
            }
            Func::DaysSince => {
                arity(1)?;
                want(0, &|t| *t == T::Date, "a date")?;
                T::Int
            }
            Func::DaysBetween => {
                arity(2)?;
                want(0, &|t| *t == T::Date, "a date")?;
                want(1, &|t| *t == T::Date, "a date")?;
                T::Int
            }
            Func::Key => {
                arity(1)?;
                if !matches!(args[0].0, Expr::Field { .. }) {
                    return Err(ExprError {
                        offset: at,
                        message: "`key` takes a field, e.g. key(rotation)".into(),
                    });
                }
                T::Loc
            }
            Func::Exists => {
                arity(1)?;
                T::Bool
            }
        };
        Ok((
            Expr::Call(func, args.into_iter().map(|(e, _)| e).collect()),
            result,
        ))
    }
}
