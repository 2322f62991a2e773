//! Evaluating rule expressions over the model.
//!
//! Three-valued logic: a value that broke the schema is `Invalid` and poisons what reads it,
//! so a rule that reads it does not fire (rules.md, "Precise semantics"); `and`/`or` follow
//! Kleene's logic, so `owner == null or purpose == null` still fires for a missing purpose when
//! the owner is invalid. A missing value is `null`: comparisons with it are false, field access
//! through it gives null.
//!
//! This module owns the evaluator's walk over an expression and its reads of the model (fields,
//! list items); operators are in `ops.rs`, what the functions share in `call.rs`, the text of a
//! value in `render.rs`; each function's implementation is its entry in `rules/functions/`.
//!
//! The crate builds without link-time optimisation, so a function on the evaluation path that
//! another module calls is `#[inline]`: it can then still be inlined into its caller, as when
//! evaluation was one file.

mod call;
mod ops;
mod render;
mod value;

use std::borrow::Cow;
use std::rc::Rc;

pub use value::{OptVal, Src, Tri, Val, V};

pub(crate) use ops::order;

use super::expr::Expr;
use crate::model::fields::{fields_of, Kind, Ty};
use crate::model::{MVal, Model, Slot};

pub struct Ctx<'m> {
    pub model: &'m Model,
    pub today: i32,
    pub options: &'m [OptVal],
    pub schemes: &'m [String],
}

impl<'m> Ctx<'m> {
    #[inline]
    pub fn tri(&self, v: &Val<'m>) -> Tri {
        match v.v {
            V::Bool(true) => Tri::True,
            V::Invalid => Tri::Unknown,
            _ => Tri::False,
        }
    }

    fn slot_val(&self, slot: Slot, ty: Ty, file: u32, src: Src) -> Val<'m> {
        let store = &self.model.store;
        let v = match slot.val() {
            MVal::Absent => V::Absent,
            MVal::Invalid => V::Invalid,
            MVal::Null => V::Null,
            MVal::Bool(b) => V::Bool(b),
            MVal::Int(i) => V::Int(i64::from(i)),
            MVal::Str(s) => V::Str(Cow::Borrowed(store.str_of(s))),
            MVal::Date(d) => V::Date(d),
            MVal::Ref(r) => match ty {
                Ty::Ref(k) | Ty::ListRef(k) => V::Ref(k, r),
                _ => V::Invalid,
            },
            MVal::List(r) => V::Slots(store.list(r), file),
            MVal::Refs(r) => match ty {
                Ty::ListRef(k) => V::Refs(store.refs_of(r), k),
                _ => V::Invalid,
            },
        };
        Val {
            v,
            loc: slot.loc().loc(file),
            src: Some(src),
        }
    }

    /// Number of items of a list value (`None` when the value is not a list).
    #[inline]
    pub fn len_of(&self, v: &Val<'m>) -> Option<usize> {
        match &v.v {
            V::Slots(s, _) => Some(s.len()),
            V::Refs(r, _) => Some(r.len()),
            V::Strs(s) => Some(s.len()),
            V::List(l) => Some(l.len()),
            _ => None,
        }
    }

    /// The `i`-th item of a list value.
    #[inline]
    pub fn item(&self, v: &Val<'m>, i: usize) -> Val<'m> {
        match &v.v {
            V::Slots(slots, file) => {
                let mut src = v.src.unwrap_or(Src {
                    kind: Kind::Integration,
                    record: u32::MAX,
                    field: 0,
                    item: 0,
                });
                src.item = i as u32;
                self.slot_val(slots[i], Ty::Str, *file, src)
            }
            V::Refs(refs, kind) => {
                let r = refs[i];
                if r == u32::MAX {
                    return Val::of(V::Null);
                }
                Val {
                    v: V::Ref(*kind, r),
                    loc: self.model.record(*kind, r).loc(),
                    src: None,
                }
            }
            V::Strs(s) => Val::of(V::Str(Cow::Borrowed(&s[i]))),
            V::List(l) => l[i].clone(),
            _ => Val::of(V::Invalid),
        }
    }

    /// The items of a list value (`None` when the value is not a list).
    #[inline]
    pub fn items(&self, v: &Val<'m>) -> Option<Vec<Val<'m>>> {
        let n = self.len_of(v)?;
        Some((0..n).map(|i| self.item(v, i)).collect())
    }

    pub fn field(&self, of: &Val<'m>, kind: Kind, index: usize) -> Val<'m> {
        match of.v {
            V::Ref(k, r) if k == kind => {
                // Straight to the slot: the hottest path of the engine.
                let store = &self.model.store;
                let file = store.head(kind, r).file;
                let def = &fields_of(kind)[index];
                if def.name == "path" {
                    // Derived from the record's file; not stored.
                    let rel = self.model.files.get(file as usize).map_or("", |f| &f.rel);
                    return Val::of(V::Str(Cow::Borrowed(rel)));
                }
                let src = Src {
                    kind,
                    record: r,
                    field: index as u16,
                    item: u32::MAX,
                };
                self.slot_val(store.slot(kind, r, index), def.ty, file, src)
            }
            V::Invalid => Val::of(V::Invalid),
            _ => Val::of(V::Absent),
        }
    }

    pub fn eval(&self, e: &'m Expr, env: &mut Vec<Val<'m>>) -> Val<'m> {
        match e {
            Expr::Bool(b) => Val::of(V::Bool(*b)),
            Expr::Int(i) => Val::of(V::Int(*i)),
            Expr::Str(s) => Val::of(V::Str(Cow::Borrowed(s))),
            Expr::Null => Val::of(V::Null),
            Expr::Today => Val::of(V::Date(self.today)),
            Expr::Regex(re) => Val::of(V::Str(Cow::Borrowed(re.as_str()))),
            Expr::List(items) => {
                let vals = items.iter().map(|i| self.eval(i, env)).collect();
                Val::of(V::List(Rc::new(vals)))
            }
            Expr::Var(slot) => env[*slot].clone(),
            Expr::Field { of, kind, index } => match &**of {
                // Most reads are of a variable's field (`account.id`): read it in place rather
                // than copy the variable's value first.
                Expr::Var(slot) => self.field(&env[*slot], *kind, *index),
                _ => {
                    let base = self.eval(of, env);
                    self.field(&base, *kind, *index)
                }
            },
            Expr::Option(i) => Val::of(match &self.options[*i] {
                OptVal::Int(n) => V::Int(*n),
                OptVal::Bool(b) => V::Bool(*b),
                OptVal::Str(s) => V::Str(Cow::Borrowed(s)),
                OptVal::List(l) => V::Strs(l),
            }),
            Expr::Not(x) => {
                let v = self.eval(x, env);
                match self.tri(&v) {
                    Tri::True => Val::of(V::Bool(false)),
                    Tri::False => Val::of(V::Bool(true)),
                    Tri::Unknown => Val::of(V::Invalid),
                }
            }
            Expr::Neg(x) => match self.eval(x, env).v {
                V::Int(i) => Val::of(V::Int(i.saturating_neg())),
                V::Invalid => Val::of(V::Invalid),
                _ => Val::of(V::Null),
            },
            Expr::If(c, a, b) => {
                let cv = self.eval(c, env);
                match self.tri(&cv) {
                    Tri::True => self.eval(a, env),
                    Tri::False => self.eval(b, env),
                    Tri::Unknown => Val::of(V::Invalid),
                }
            }
            Expr::Bin(op, l, r) => self.binary(*op, l, r, env),
            Expr::Call(f, args) => self.call(*f, args, env),
            Expr::Lambda { body, .. } => self.eval(body, env),
        }
    }
}
