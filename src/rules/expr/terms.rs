//! Terms: literals, lists, names (variables, fields of the entity, `options.NAME`), field
//! access and lambdas.

use super::lex::Tok;
use super::parse::Parser;
use super::{did_you_mean, Expr, ExprError, T};
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
                Err(no_field(
                    kind,
                    name,
                    crate::suggest::closest(name, names),
                    at,
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
                    return Err(ExprError::at(
                        at,
                        format!("`-` needs a number, not {}", t.with_article()),
                    ));
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
                    self.separator("]")?;
                }
                self.next();
                Ok((Expr::List(items), T::List(Box::new(elem))))
            }
            Tok::Ident(w) => self.ident(w, at),
            Tok::End => Err(ExprError::at(at, "unexpected end of the expression")),
            Tok::Op(o) => Err(ExprError::at(at, format!("unexpected `{o}`"))),
        }
    }

    fn ident(&mut self, w: &str, at: usize) -> Result<(Expr, T), ExprError> {
        match w {
            "true" => return Ok((Expr::Bool(true), T::Bool)),
            "false" => return Ok((Expr::Bool(false), T::Bool)),
            "null" => return Ok((Expr::Null, T::Null)),
            "today" => return Ok((Expr::Today, T::Date)),
            "options" => return self.option(),
            _ => {}
        }
        if self.is_op("(") {
            return self.call(w, at);
        }
        if let Some(slot) = self.env.iter().rposition(|(n, _)| *n == w) {
            return Ok((Expr::Var(slot), self.env[slot].1.clone()));
        }
        // A field of the entity being checked; an option's name without `options.` is a
        // likely slip.
        let kind = self.scope.subject;
        if field_index(kind, w).is_none() && self.scope.options.iter().any(|(n, _)| *n == w) {
            return Err(no_field(kind, w, Some(&format!("options.{w}")), at));
        }
        self.field(Expr::Var(0), kind, w, at)
    }

    /// `options.NAME`, `options` just read.
    fn option(&mut self) -> Result<(Expr, T), ExprError> {
        if !self.is_op(".") {
            return Err(self.error("expected `.` after `options` (options.NAME)"));
        }
        self.next();
        let at = self.offset();
        let Tok::Ident(name) = self.next() else {
            return Err(ExprError::at(
                at,
                "expected an option name after `options.`",
            ));
        };
        let options = self.scope.options;
        if let Some(i) = options.iter().position(|(n, _)| *n == name) {
            return Ok((Expr::Option(i), options[i].1.clone()));
        }
        let names = options.iter().map(|(n, _)| n.as_str());
        let hint = did_you_mean(crate::suggest::closest(name, names));
        let m = format!("the rule declares no option `{name}`{hint}");
        Err(ExprError::at(at, m))
    }

    pub(super) fn lambda(&mut self, elem: T) -> Result<(Expr, T), ExprError> {
        let at = self.offset();
        let Tok::Ident(name) = self.next() else {
            return Err(ExprError::at(at, "expected `name => expression`"));
        };
        self.expect_op("=>")?;
        self.env.push((name.to_string(), elem));
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

/// "an account has no field `ownr` (did you mean `owner`?)".
fn no_field(kind: Kind, name: &str, closest: Option<&str>, at: usize) -> ExprError {
    let hint = did_you_mean(closest);
    let m = format!(
        "{} has no field `{name}`{hint}",
        T::Entity(kind).with_article()
    );
    ExprError::at(at, m)
}
