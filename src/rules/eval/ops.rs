//! Operators: three-valued `and` and `or`, `??`, comparison, membership and arithmetic.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::{Ctx, Tri, Val, V};
use crate::rules::expr::{BinOp, Expr};

fn bool_val<'m>(b: bool) -> Val<'m> {
    Val::of(V::Bool(b))
}

impl<'m> Ctx<'m> {
    #[inline]
    pub(super) fn binary(
        &self,
        op: BinOp,
        l: &'m Expr,
        r: &'m Expr,
        env: &mut Vec<Val<'m>>,
    ) -> Val<'m> {
        // The operators that may not evaluate their right side.
        match op {
            BinOp::And => return self.kleene(l, r, env, Tri::False),
            BinOp::Or => return self.kleene(l, r, env, Tri::True),
            BinOp::Coalesce => {
                let a = self.eval(l, env);
                return if a.is_null() { self.eval(r, env) } else { a };
            }
            _ => {}
        }
        let a = self.eval(l, env);
        let b = self.eval(r, env);
        if a.is_invalid() || b.is_invalid() {
            return Val::of(V::Invalid);
        }
        match op {
            BinOp::Eq => bool_val(self.equal(&a, &b)),
            BinOp::Ne => bool_val(!self.equal(&a, &b)),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let Some(ord) = order(&a, &b) else {
                    return Val::of(V::Null);
                };
                bool_val(match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                })
            }
            BinOp::In | BinOp::NotIn => match self.member(&a, &b) {
                Some(f) => bool_val(if op == BinOp::In { f } else { !f }),
                None => Val::of(V::Invalid),
            },
            BinOp::Add | BinOp::Sub => self.arithmetic(op, &a, &b),
            _ => Val::of(V::Invalid),
        }
    }

    /// `and` (`stop` is false) or `or` (`stop` is true) in Kleene's logic: `stop` on either side
    /// decides alone, and the right side is not evaluated when the left one decided; otherwise
    /// an unknown side makes the result unknown.
    #[inline]
    fn kleene(&self, l: &'m Expr, r: &'m Expr, env: &mut Vec<Val<'m>>, stop: Tri) -> Val<'m> {
        let a = self.tri(&self.eval(l, env));
        if a == stop {
            return bool_val(stop == Tri::True);
        }
        let b = self.tri(&self.eval(r, env));
        if b == stop {
            return bool_val(stop == Tri::True);
        }
        if a == Tri::Unknown || b == Tri::Unknown {
            return Val::of(V::Invalid);
        }
        bool_val(stop != Tri::True)
    }

    /// `a in b`: a substring of a string, or an item of a list; `None` (unknown) when `a` is
    /// not in the list but an item of it is invalid.
    #[inline]
    fn member(&self, a: &Val<'m>, b: &Val<'m>) -> Option<bool> {
        if let (V::Str(hay), V::Str(needle)) = (&b.v, &a.v) {
            return Some(hay.contains(needle.as_ref()));
        }
        let Some(items) = self.items(b) else {
            return Some(false);
        };
        if items.iter().any(|i| self.equal(i, a)) {
            Some(true)
        } else if items.iter().any(Val::is_invalid) {
            None
        } else {
            Some(false)
        }
    }

    /// `+` and `-`: numbers, days added to or taken from a date, days between dates, and `+`
    /// with a string concatenates the texts of both sides.
    #[inline]
    fn arithmetic(&self, op: BinOp, a: &Val<'m>, b: &Val<'m>) -> Val<'m> {
        if op == BinOp::Add && (matches!(a.v, V::Str(_)) || matches!(b.v, V::Str(_))) {
            return Val::of(V::Str(Cow::Owned(format!(
                "{}{}",
                self.render(a),
                self.render(b)
            ))));
        }
        let v = match (&a.v, &b.v, op) {
            (V::Int(x), V::Int(y), BinOp::Add) => V::Int(x.saturating_add(*y)),
            (V::Int(x), V::Int(y), _) => V::Int(x.saturating_sub(*y)),
            (V::Date(d), V::Int(n), BinOp::Add) | (V::Int(n), V::Date(d), BinOp::Add) => {
                V::Date(clamp_days((*d as i64).saturating_add(*n)))
            }
            (V::Date(d), V::Int(n), _) => V::Date(clamp_days((*d as i64).saturating_sub(*n))),
            (V::Date(x), V::Date(y), BinOp::Sub) => V::Int(*x as i64 - *y as i64),
            (V::Str(x), V::Str(y), BinOp::Add) => V::Str(Cow::Owned(format!("{x}{y}"))),
            _ => V::Null,
        };
        Val::of(v)
    }

    #[inline]
    pub fn equal(&self, a: &Val<'m>, b: &Val<'m>) -> bool {
        match (&a.v, &b.v) {
            (V::Absent | V::Null, V::Absent | V::Null) => true,
            (V::Absent | V::Null, _) | (_, V::Absent | V::Null) => false,
            (V::Bool(x), V::Bool(y)) => x == y,
            (V::Int(x), V::Int(y)) => x == y,
            (V::Date(x), V::Date(y)) => x == y,
            (V::Str(x), V::Str(y)) => x == y,
            (V::Ref(k1, r1), V::Ref(k2, r2)) => k1 == k2 && r1 == r2,
            _ => match (self.items(a), self.items(b)) {
                (Some(x), Some(y)) => {
                    x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| self.equal(p, q))
                }
                _ => false,
            },
        }
    }
}

fn clamp_days(d: i64) -> i32 {
    d.clamp(-3_000_000, 3_000_000) as i32
}

/// The order of two numbers, dates or strings; `None` for anything else.
#[inline]
pub(crate) fn order(a: &Val, b: &Val) -> Option<Ordering> {
    match (&a.v, &b.v) {
        (V::Int(x), V::Int(y)) => Some(x.cmp(y)),
        (V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
