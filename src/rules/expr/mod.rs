//! The rule expression language: parsing and type checking.
//!
//! Expressions read like sentences over the model's fields:
//! `type == "personal"`, `reviewed == null or days_since(reviewed) > options.max_age_days`,
//! `any(uses, c => c.credential.type != "api-token")`. The language has no loops but the
//! quantifiers over finite model lists, no recursion, no user functions and no I/O; regexes are
//! literals compiled once with a size limit (linear time). Evaluation is therefore bounded by
//! the size of the model. Field names are checked against the model's field tables when a rule
//! is loaded, with a "did you mean" for typos.
//!
//! This module owns the entry points (`compile`, `compile_with_item`, `compile_regex`) and the
//! limits on an expression's size; the lexer, the parser and the type checker are its children.

mod ast;
mod call;
mod lex;
mod parse;
mod terms;
mod types;

use std::fmt;

use regex::Regex;

pub use crate::rules::functions::Func;
pub use ast::{BinOp, Expr};
pub use types::T;

use crate::model::fields::Kind;
use lex::{lex, Tok};
use parse::Parser;

/// An error in a rule expression, with the offset of the offending token.
#[derive(Clone, Debug)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl ExprError {
    pub(crate) fn at(offset: usize, message: impl Into<String>) -> ExprError {
        ExprError {
            offset,
            message: message.into(),
        }
    }
}

/// " (did you mean `owner`?)" after a mistyped name, when a known one is close.
fn did_you_mean(closest: Option<&str>) -> String {
    closest
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a rule's expressions may refer to.
pub struct Scope<'a> {
    /// The kind of the entity being checked (`self`).
    pub subject: Kind,
    /// Declared option names and their types.
    pub options: &'a [(String, T)],
}

/// Compiles an expression; returns it with its static type and the number of environment
/// slots it needs.
pub fn compile(src: &str, scope: &Scope) -> Result<(Expr, T, usize), ExprError> {
    compile_in(src, scope, vec![("self".into(), T::Entity(scope.subject))])
}

/// Compiles an expression in which `item` (environment slot 1) names a related entity.
pub fn compile_with_item(src: &str, scope: &Scope, item: T) -> Result<Expr, ExprError> {
    compile_item(src, scope, Some(item)).map(|(e, _, _)| e)
}

/// Compiles an expression, with `item` (environment slot 1) in scope when it has a type: the
/// current item of a check's `each`.
pub fn compile_item(
    src: &str,
    scope: &Scope,
    item: Option<T>,
) -> Result<(Expr, T, usize), ExprError> {
    let mut env = vec![("self".into(), T::Entity(scope.subject))];
    if let Some(item) = item {
        env.push(("item".into(), item));
    }
    compile_in(src, scope, env)
}

/// Compiles an expression with the given variables in scope (slot 0 is `self`).
fn compile_in(
    src: &str,
    scope: &Scope,
    env: Vec<(String, T)>,
) -> Result<(Expr, T, usize), ExprError> {
    let mut p = Parser::new(lex(src)?, scope, env);
    let (e, t) = p.expr()?;
    if p.peek() != &Tok::End {
        return Err(p.error("unexpected text after the expression"));
    }
    check_depth(&e)?;
    Ok((e, t, p.max_slot))
}

/// Deepest an expression may nest once compiled: evaluation recurses, and a rule from a pull
/// request must not be able to overflow the stack (long `a or b or ...` chains nest too).
const MAX_TREE_DEPTH: usize = 256;

/// Depth of a compiled expression, computed without recursion.
fn tree_depth(e: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Expr, usize)> = vec![(e, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        match e {
            Expr::List(items) | Expr::Call(_, items) => {
                stack.extend(items.iter().map(|c| (c, d + 1)));
            }
            Expr::Field { of, .. } => stack.push((of, d + 1)),
            Expr::Not(x) | Expr::Neg(x) => stack.push((x, d + 1)),
            Expr::Bin(_, a, b) => stack.extend([(&**a, d + 1), (&**b, d + 1)]),
            Expr::If(a, b, c) => stack.extend([(&**a, d + 1), (&**b, d + 1), (&**c, d + 1)]),
            Expr::Lambda { body, .. } => stack.push((body, d + 1)),
            _ => {}
        }
    }
    deepest
}

fn check_depth(e: &Expr) -> Result<(), ExprError> {
    if tree_depth(e) > MAX_TREE_DEPTH {
        return Err(ExprError::at(
            0,
            format!("expression nested more than {MAX_TREE_DEPTH} levels deep"),
        ));
    }
    Ok(())
}

/// Compiles a regex with a size limit (16 MiB of compiled program: a Unicode `\w{82}` fits, a
/// hostile pattern does not); matching is linear time by construction of the `regex` crate.
pub fn compile_regex(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(16 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| format!("invalid regex: {e}"))
}
