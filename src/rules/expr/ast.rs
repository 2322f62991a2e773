//! The compiled form of an expression: the tree the evaluator walks.

use regex::Regex;

use super::Func;
use crate::model::fields::Kind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Add,
    Sub,
    In,
    NotIn,
    Coalesce,
}

/// A compiled expression.
#[derive(Clone, Debug)]
pub enum Expr {
    Bool(bool),
    Int(i64),
    Str(String),
    Null,
    Today,
    List(Vec<Expr>),
    /// A variable of the environment (0 is the entity being checked).
    Var(usize),
    Field {
        of: Box<Expr>,
        kind: Kind,
        index: usize,
    },
    Option(usize),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
    /// `x => body` as the argument of a quantifier; binds environment slot `slot`.
    Lambda {
        slot: usize,
        body: Box<Expr>,
    },
    Regex(Box<Regex>),
}

impl Expr {
    /// Calls `read` with every field the expression reads, as (kind, field index).
    pub fn visit_fields(&self, read: &mut impl FnMut(Kind, usize)) {
        match self {
            Expr::Field { of, kind, index } => {
                read(*kind, *index);
                of.visit_fields(read);
            }
            Expr::List(items) | Expr::Call(_, items) => {
                items.iter().for_each(|e| e.visit_fields(read));
            }
            Expr::Not(e) | Expr::Neg(e) | Expr::Lambda { body: e, .. } => e.visit_fields(read),
            Expr::Bin(_, a, b) => {
                a.visit_fields(read);
                b.visit_fields(read);
            }
            Expr::If(a, b, c) => {
                a.visit_fields(read);
                b.visit_fields(read);
                c.visit_fields(read);
            }
            Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Str(_)
            | Expr::Null
            | Expr::Today
            | Expr::Var(_)
            | Expr::Option(_)
            | Expr::Regex(_) => {}
        }
    }
}
