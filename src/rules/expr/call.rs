//! Function calls: parsing the arguments, and checking them against the function's forms in
//! the registry (`rules/functions/`).

use super::lex::Tok;
use super::parse::Parser;
use super::{compile_regex, did_you_mean, Expr, ExprError, T};
use crate::rules::functions::{lookup, Arg, Def, Ret, FUNCTIONS};

impl Parser<'_> {
    /// A call of the function `name` (at offset `at`), its `(` next.
    pub(super) fn call(&mut self, name: &str, at: usize) -> Result<(Expr, T), ExprError> {
        let Some(def) = lookup(name) else {
            let hint = did_you_mean(crate::suggest::closest(
                name,
                FUNCTIONS.iter().map(|d| d.name),
            ));
            return Err(ExprError::at(
                at,
                format!("unknown function `{name}`{hint}"),
            ));
        };
        self.expect_op("(")?;
        let mut args = self.arguments(def)?;
        let result = check(def, &mut args, at)?;
        Ok((
            Expr::Call(def.func, args.into_iter().map(|(e, _)| e).collect()),
            result,
        ))
    }

    /// The arguments up to the closing `)`, with their types. Where a form of the function takes
    /// a lambda, `x => ...` binds `x` to the items of the first argument.
    fn arguments(&mut self, def: &Def) -> Result<Vec<(Expr, T)>, ExprError> {
        let mut args: Vec<(Expr, T)> = Vec::new();
        while !self.is_op(")") {
            let lambda_here =
                def.lambda_at(args.len()) && matches!(self.peek_next(), Some(Tok::Op("=>")));
            if lambda_here {
                let elem = match args.first() {
                    Some((_, T::List(e))) => (**e).clone(),
                    _ => T::Any,
                };
                args.push(self.lambda(elem)?);
            } else {
                args.push(self.expr()?);
            }
            self.separator(")")?;
        }
        self.next();
        Ok(args)
    }
}

/// Checks a call's arguments, in order, against the form of the function they take; returns
/// the type of the result. A regex argument is compiled here, once.
fn check(def: &Def, args: &mut [(Expr, T)], at: usize) -> Result<T, ExprError> {
    let name = def.name;
    let form = def.form(|i| matches!(args.get(i), Some((Expr::Lambda { .. }, _))));
    let n = form.args.len();
    if args.len() != n {
        let s = if n == 1 { "" } else { "s" };
        return Err(ExprError::at(at, format!("`{name}` takes {n} argument{s}")));
    }
    for (i, (kind, arg)) in form.args.iter().zip(args.iter_mut()).enumerate() {
        check_arg(name, i, *kind, arg).map_err(|m| {
            // A function of several forms (`count`): the argument may be right for another,
            // which its documentation line shows.
            let m = match def.sigs.len() {
                1 => m,
                _ => format!("{m} ({})", def.doc),
            };
            ExprError::at(at, m)
        })?;
    }
    let ty = |i: usize| args[i].1.clone();
    Ok(match form.ret {
        Ret::Bool => T::Bool,
        Ret::Int => T::Int,
        Ret::Str => T::Str,
        Ret::Loc => T::Loc,
        Ret::Item => match ty(0) {
            T::List(e) => *e,
            _ => T::Any,
        },
        Ret::First => ty(0),
        Ret::Mapped => T::List(Box::new(ty(1))),
    })
}

/// Checks argument `i` (0-based) of a call of `name` against what the form wants there.
fn check_arg(name: &str, i: usize, kind: Arg, arg: &mut (Expr, T)) -> Result<(), String> {
    let (e, t) = arg;
    match kind {
        Arg::Regex => {
            let Expr::Str(pattern) = e else {
                return Err(format!("the regex of `{name}` must be a string literal"));
            };
            *e = Expr::Regex(Box::new(compile_regex(pattern)?));
        }
        Arg::Field => {
            if !matches!(e, Expr::Field { .. }) {
                return Err(format!("`{name}` takes a field, e.g. key(rotation)"));
            }
        }
        Arg::Cond | Arg::Lambda => {
            if !matches!(e, Expr::Lambda { .. }) {
                return Err(format!(
                    "argument {} of `{name}` must be `x => expression`",
                    i + 1
                ));
            }
            if kind == Arg::Cond && !matches!(t, T::Bool | T::Any | T::Null) {
                let a = t.with_article();
                return Err(format!(
                    "the body of `{name}` must be a condition (bool), not {a}"
                ));
            }
        }
        _ => {
            let (fits, what) = kind.fits(t);
            if !fits {
                return Err(format!(
                    "argument {} of `{name}` must be {what}, not {}",
                    i + 1,
                    t.with_article()
                ));
            }
        }
    }
    Ok(())
}
