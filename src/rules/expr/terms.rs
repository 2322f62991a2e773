//! Terms: literals, lists, names (variables, fields of the entity, `options.NAME`), field
//! access and lambdas.

use super::lex::Tok;
use super::parse::Parser;
use super::{Expr, ExprError, T};
use crate::model::fields::{field_index, fields_of, Kind};

impl Parser<'_> {
    pub(super) fn field(
        &self,
        of: Expr,
        kind: Kind,
        name: &str,
        at: usize,
    ) -> Result<(Expr, T), ExprError> {
        match field_index(kind, name) {
            Some(index) => {
                let ty = T::from_field(fields_of(kind)[index].ty);
                Ok((
                    Expr::Field {
                        of: Box::new(of),
                        kind,
                        index,
                    },
                    ty,
                ))
            }
            None => {
                let names = fields_of(kind).iter().map(|f| f.name);
                let hint = crate::suggest::closest(name, names)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                Err(ExprError::at(
                    at,
                    format!("a {} has no field `{name}`{hint}", kind.name()),
                ))
            }
        }
    }

    pub(super) fn primary(&mut self) -> Result<(Expr, T), ExprError> {
        let at = self.offset();
        match self.next() {
            Tok::Int(n) => Ok((Expr::Int(n), T::Int)),
            Tok::Str(s) => Ok((Expr::Str(s), T::Str)),
            Tok::Op("-") => {
                let (e, t) = self.nested(at, Self::postfix)?;
                if !matches!(t, T::Int | T::Any) {
                    return Err(ExprError::at(at, "`-` needs a number"));
                }
                Ok((Expr::Neg(Box::new(e)), T::Int))
            }
            Tok::Op("(") => {
                let r = self.expr()?;
                self.expect_op(")")?;
                Ok(r)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                let mut elem = T::Any;
                while !self.is_op("]") {
                    let (e, t) = self.expr()?;
                    if elem == T::Any {
                        elem = t;
                    }
                    items.push(e);
                    if !self.is_op("]") {
                        self.expect_op(",")?;
                    }
                }
                self.next();
                Ok((Expr::List(items), T::List(Box::new(elem))))
            }
            Tok::Ident(w) => self.ident(w, at),
            Tok::End => Err(ExprError::at(at, "unexpected end of the expression")),
            Tok::Op(o) => Err(ExprError::at(at, format!("unexpected `{o}`"))),
        }
    }

    fn ident(&mut self, w: String, at: usize) -> Result<(Expr, T), ExprError> {
        match w.as_str() {
            "true" => return Ok((Expr::Bool(true), T::Bool)),
            "false" => return Ok((Expr::Bool(false), T::Bool)),
            "null" => return Ok((Expr::Null, T::Null)),
            "today" => return Ok((Expr::Today, T::Date)),
            "options" => {
                self.expect_op(".")?;
                let at = self.offset();
                let Tok::Ident(name) = self.next() else {
                    return Err(ExprError::at(at, "expected an option name"));
                };
                return match self.scope.options.iter().position(|(n, _)| *n == name) {
                    Some(i) => Ok((Expr::Option(i), self.scope.options[i].1.clone())),
                    None => {
                        let hint = crate::suggest::closest(
                            &name,
                            self.scope.options.iter().map(|(n, _)| n.as_str()),
                        )
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                        Err(ExprError::at(
                            at,
                            format!("the rule declares no option `{name}`{hint}"),
                        ))
                    }
                };
            }
            _ => {}
        }
        if self.is_op("(") {
            return self.call(&w, at);
        }
        if let Some(slot) = self.env.iter().rposition(|(n, _)| *n == w) {
            return Ok((Expr::Var(slot), self.env[slot].1.clone()));
        }
        // A field of the entity being checked.
        self.field(Expr::Var(0), self.scope.subject, &w, at)
    }

    pub(super) fn lambda(&mut self, elem: T) -> Result<(Expr, T), ExprError> {
        let at = self.offset();
        let Tok::Ident(name) = self.next() else {
            return Err(ExprError::at(at, "expected `name => expression`"));
        };
        self.expect_op("=>")?;
        self.env.push((name, elem));
        let slot = self.env.len() - 1;
        self.max_slot = self.max_slot.max(self.env.len());
        let r = self.expr();
        self.env.pop();
        let (body, t) = r?;
        Ok((
            Expr::Lambda {
                slot,
                body: Box::new(body),
            },
            t,
        ))
    }
}
