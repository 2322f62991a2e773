//! Evaluating rule expressions over the model.
//!
//! Three-valued logic: a value that broke the schema is `Invalid` and poisons what reads it,
//! so a rule that reads it does not fire (rules.md, "Precise semantics"); `and`/`or` follow
//! Kleene's logic, so `owner == null or purpose == null` still fires for a missing purpose when
//! the owner is invalid. A missing value is `null`: comparisons with it are false, field access
//! through it gives null.

use std::borrow::Cow;
use std::rc::Rc;

use super::expr::{BinOp, Expr, Func};
use crate::model::fields::{fields_of, Kind, Ty};
use crate::model::{date, Loc, MVal, Model, Slot};
use crate::secrets::{is_secret_reference, mask, redact_url, url_scheme, url_userinfo};

/// Where a value was read from, for routes (baselines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Src {
    pub kind: Kind,
    pub record: u32,
    pub field: u16,
    /// Index in a list field, `u32::MAX` when the value is the field itself.
    pub item: u32,
}

#[derive(Clone, Debug)]
pub enum V<'m> {
    Absent,
    Null,
    Invalid,
    Bool(bool),
    Int(i64),
    Date(i32),
    Str(Cow<'m, str>),
    Ref(Kind, u32),
    /// A list stored in the model: located strings of the record's file.
    Slots(&'m [Slot], u32),
    /// Derived references (their locations are the entities').
    Refs(&'m [u32], Kind),
    /// A list option value.
    Strs(&'m [String]),
    List(Rc<Vec<Val<'m>>>),
    /// Only a location (`key(...)`).
    Loc,
}

#[derive(Clone, Debug)]
pub struct Val<'m> {
    pub v: V<'m>,
    pub loc: Option<Loc>,
    pub src: Option<Src>,
}

impl<'m> Val<'m> {
    pub fn of(v: V<'m>) -> Val<'m> {
        Val {
            v,
            loc: None,
            src: None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Absent | V::Null)
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self.v, V::Invalid)
    }
}

/// An option value from a rule's declaration or the config.
#[derive(Clone, Debug, PartialEq)]
pub enum OptVal {
    Int(i64),
    Bool(bool),
    Str(String),
    List(Vec<String>),
}

/// Truth of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

pub struct Ctx<'m> {
    pub model: &'m Model,
    pub today: i32,
    pub options: &'m [OptVal],
    pub schemes: &'m [String],
}

impl<'m> Ctx<'m> {
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
                V::Int(i) => Val::of(V::Int(-i)),
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

    fn binary(&self, op: BinOp, l: &'m Expr, r: &'m Expr, env: &mut Vec<Val<'m>>) -> Val<'m> {
        let bool_val = |b: bool| Val::of(V::Bool(b));
        match op {
            BinOp::And => {
                let a = self.tri(&self.eval(l, env));
                if a == Tri::False {
                    return bool_val(false);
                }
                let b = self.tri(&self.eval(r, env));
                return match (a, b) {
                    (_, Tri::False) => bool_val(false),
                    (Tri::True, Tri::True) => bool_val(true),
                    _ => Val::of(V::Invalid),
                };
            }
            BinOp::Or => {
                let a = self.tri(&self.eval(l, env));
                if a == Tri::True {
                    return bool_val(true);
                }
                let b = self.tri(&self.eval(r, env));
                return match (a, b) {
                    (_, Tri::True) => bool_val(true),
                    (Tri::False, Tri::False) => bool_val(false),
                    _ => Val::of(V::Invalid),
                };
            }
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
            BinOp::In | BinOp::NotIn => {
                let found = match (&b.v, &a.v) {
                    (V::Str(hay), V::Str(needle)) => Some(hay.contains(needle.as_ref())),
                    _ => match self.items(&b) {
                        Some(items) => {
                            if items.iter().any(|i| self.equal(i, &a)) {
                                Some(true)
                            } else if items.iter().any(Val::is_invalid) {
                                None
                            } else {
                                Some(false)
                            }
                        }
                        None => Some(false),
                    },
                };
                match found {
                    Some(f) => bool_val(if op == BinOp::In { f } else { !f }),
                    None => Val::of(V::Invalid),
                }
            }
            BinOp::Add if matches!(a.v, V::Str(_)) || matches!(b.v, V::Str(_)) => Val::of(V::Str(
                Cow::Owned(format!("{}{}", self.render(&a), self.render(&b))),
            )),
            BinOp::Add | BinOp::Sub => {
                let v = match (&a.v, &b.v, op) {
                    (V::Int(x), V::Int(y), BinOp::Add) => V::Int(x.saturating_add(*y)),
                    (V::Int(x), V::Int(y), _) => V::Int(x.saturating_sub(*y)),
                    (V::Date(d), V::Int(n), BinOp::Add) | (V::Int(n), V::Date(d), BinOp::Add) => {
                        V::Date(clamp_days(*d as i64 + n))
                    }
                    (V::Date(d), V::Int(n), _) => V::Date(clamp_days(*d as i64 - n)),
                    (V::Date(x), V::Date(y), BinOp::Sub) => V::Int(*x as i64 - *y as i64),
                    (V::Str(x), V::Str(y), BinOp::Add) => V::Str(Cow::Owned(format!("{x}{y}"))),
                    _ => V::Null,
                };
                Val::of(v)
            }
            _ => Val::of(V::Invalid),
        }
    }

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

    fn with_lambda(&self, lambda: &'m Expr, item: Val<'m>, env: &mut Vec<Val<'m>>) -> Val<'m> {
        let Expr::Lambda { slot, body } = lambda else {
            return Val::of(V::Invalid);
        };
        if env.len() <= *slot {
            env.resize(*slot + 1, Val::of(V::Absent));
        }
        let saved = std::mem::replace(&mut env[*slot], item);
        let r = self.eval(body, env);
        env[*slot] = saved;
        r
    }

    fn call(&self, f: Func, args: &'m [Expr], env: &mut Vec<Val<'m>>) -> Val<'m> {
        // `first(filter(list, x => c))` stops at the first match: per-entity rules that look
        // for a reference item (`shared-account`) would otherwise be quadratic.
        if let (Func::First, Some(Expr::Call(Func::Filter, inner))) = (f, args.first()) {
            let list = self.eval(&inner[0], env);
            if list.is_invalid() {
                return Val::of(V::Invalid);
            }
            for i in 0..self.len_of(&list).unwrap_or(0) {
                let item = self.item(&list, i);
                match self.tri(&self.with_lambda(&inner[1], item.clone(), env)) {
                    Tri::True => return item,
                    Tri::Unknown => return Val::of(V::Invalid),
                    Tri::False => {}
                }
            }
            return Val::of(V::Null);
        }
        // Quantifiers evaluate their lambda per item.
        if matches!(f, Func::Any | Func::All | Func::Filter | Func::Map)
            || (f == Func::Count && matches!(args.get(1), Some(Expr::Lambda { .. })))
        {
            let list = self.eval(&args[0], env);
            if list.is_invalid() {
                return Val::of(V::Invalid);
            }
            let n = self.len_of(&list).unwrap_or(0);
            let items = (0..n).map(|i| self.item(&list, i));
            return match f {
                Func::Any | Func::All => {
                    let mut unknown = false;
                    for item in items {
                        let t = self.tri(&self.with_lambda(&args[1], item, env));
                        match (f, t) {
                            (Func::Any, Tri::True) => return Val::of(V::Bool(true)),
                            (Func::All, Tri::False) => return Val::of(V::Bool(false)),
                            (_, Tri::Unknown) => unknown = true,
                            _ => {}
                        }
                    }
                    if unknown {
                        Val::of(V::Invalid)
                    } else {
                        Val::of(V::Bool(f == Func::All))
                    }
                }
                Func::Filter => {
                    let mut kept = Vec::new();
                    for item in items {
                        match self.tri(&self.with_lambda(&args[1], item.clone(), env)) {
                            Tri::True => kept.push(item),
                            Tri::Unknown => return Val::of(V::Invalid),
                            Tri::False => {}
                        }
                    }
                    Val::of(V::List(Rc::new(kept)))
                }
                Func::Count => {
                    let mut n = 0;
                    for item in items {
                        match self.tri(&self.with_lambda(&args[1], item, env)) {
                            Tri::True => n += 1,
                            Tri::Unknown => return Val::of(V::Invalid),
                            Tri::False => {}
                        }
                    }
                    Val::of(V::Int(n))
                }
                _ => {
                    let mapped = items
                        .map(|item| self.with_lambda(&args[1], item, env))
                        .collect();
                    Val::of(V::List(Rc::new(mapped)))
                }
            };
        }
        if f == Func::Key {
            let Expr::Field { of, kind, index } = &args[0] else {
                return Val::of(V::Invalid);
            };
            let base = self.eval(of, env);
            return match base.v {
                V::Ref(k, r) if k == *kind => {
                    let rec = self.model.record(k, r);
                    if matches!(rec.val(*index), MVal::Absent) {
                        return Val::of(V::Absent);
                    }
                    Val {
                        v: V::Loc,
                        loc: rec.key_loc(*index).or(rec.slot_loc(*index)),
                        src: Some(Src {
                            kind: k,
                            record: r,
                            field: *index as u16,
                            item: u32::MAX,
                        }),
                    }
                }
                V::Invalid => Val::of(V::Invalid),
                _ => Val::of(V::Absent),
            };
        }
        if f == Func::Exists {
            let v = self.eval(&args[0], env);
            return match v.v {
                V::Invalid => v,
                _ => Val::of(V::Bool(!v.is_null())),
            };
        }
        // Every function takes at most two arguments: evaluate them on the stack.
        let mut buf = [Val::of(V::Absent), Val::of(V::Absent)];
        for (slot, a) in buf.iter_mut().zip(args) {
            *slot = self.eval(a, env);
        }
        let vals = &buf[..args.len().min(2)];
        if vals.iter().any(Val::is_invalid) {
            return Val::of(V::Invalid);
        }
        let s = |i: usize| -> Option<&str> {
            match &vals.get(i)?.v {
                V::Str(s) => Some(s.as_ref()),
                _ => None,
            }
        };
        let owned = |x: String| Val::of(V::Str(Cow::Owned(x)));
        let null = || Val::of(V::Null);
        match f {
            Func::Len => match (&vals[0].v, self.items(&vals[0])) {
                (V::Str(x), _) => Val::of(V::Int(x.chars().count() as i64)),
                (_, Some(items)) => Val::of(V::Int(items.len() as i64)),
                _ => null(),
            },
            Func::Lower => s(0).map_or_else(null, |x| owned(x.to_lowercase())),
            Func::Upper => s(0).map_or_else(null, |x| owned(x.to_uppercase())),
            Func::Matches => {
                let Some(Expr::Regex(re)) = args.get(1) else {
                    return null();
                };
                s(0).map_or_else(null, |x| Val::of(V::Bool(re.is_match(x))))
            }
            Func::Contains => match (&vals[0].v, self.items(&vals[0])) {
                (V::Str(x), _) => s(1).map_or_else(null, |y| Val::of(V::Bool(x.contains(y)))),
                (_, Some(items)) => Val::of(V::Bool(items.iter().any(|i| self.equal(i, &vals[1])))),
                _ => null(),
            },
            Func::StartsWith => match (s(0), s(1)) {
                (Some(x), Some(y)) => Val::of(V::Bool(x.starts_with(y))),
                _ => null(),
            },
            Func::EndsWith => match (s(0), s(1)) {
                (Some(x), Some(y)) => Val::of(V::Bool(x.ends_with(y))),
                _ => null(),
            },
            Func::ContainsAny => {
                let Some(x) = s(0) else { return null() };
                let parts = self.items(&vals[1]).unwrap_or_default();
                Val::of(V::Bool(parts.iter().any(|p| match &p.v {
                    V::Str(p) => x.contains(p.as_ref()),
                    _ => false,
                })))
            }
            Func::Count => match (s(0), s(1)) {
                (Some(x), Some(y)) if !y.is_empty() => Val::of(V::Int(x.matches(y).count() as i64)),
                _ => null(),
            },
            Func::Before => match (s(0), s(1)) {
                (Some(x), Some(y)) => x
                    .split_once(y)
                    .map_or_else(null, |(a, _)| owned(a.to_string())),
                _ => null(),
            },
            Func::After => match (s(0), s(1)) {
                (Some(x), Some(y)) => x
                    .split_once(y)
                    .map_or_else(null, |(_, b)| owned(b.to_string())),
                _ => null(),
            },
            Func::First => self
                .items(&vals[0])
                .and_then(|i| i.into_iter().next())
                .unwrap_or_else(null),
            Func::Max | Func::Min => {
                let items = self.items(&vals[0]).unwrap_or_default();
                if items.iter().any(Val::is_invalid) {
                    return Val::of(V::Invalid);
                }
                let mut best: Option<Val<'m>> = None;
                for item in items.into_iter().filter(|i| !i.is_null()) {
                    best = match best {
                        None => Some(item),
                        Some(b) => {
                            let better = order(&item, &b).is_some_and(|o| {
                                if f == Func::Max {
                                    o.is_gt()
                                } else {
                                    o.is_lt()
                                }
                            });
                            Some(if better { item } else { b })
                        }
                    };
                }
                best.unwrap_or_else(null)
            }
            Func::Join => {
                let sep = s(1).unwrap_or(", ");
                let items = self.items(&vals[0]).unwrap_or_default();
                owned(
                    items
                        .iter()
                        .map(|i| self.render(i))
                        .collect::<Vec<_>>()
                        .join(sep),
                )
            }
            Func::DaysSince => match vals[0].v {
                V::Date(d) => Val::of(V::Int(self.today as i64 - d as i64)),
                _ => null(),
            },
            Func::DaysBetween => match (&vals[0].v, &vals[1].v) {
                (V::Date(a), V::Date(b)) => Val::of(V::Int(*b as i64 - *a as i64)),
                _ => null(),
            },
            Func::IsSecretReference => s(0).map_or_else(null, |x| {
                Val::of(V::Bool(is_secret_reference(x, self.schemes)))
            }),
            Func::Redact => s(0).map_or_else(null, |x| owned(mask(x))),
            Func::UrlScheme => s(0).map_or_else(null, |x| owned(url_scheme(x).to_string())),
            Func::UrlHasUserinfo => {
                s(0).map_or_else(null, |x| Val::of(V::Bool(url_userinfo(x).is_some())))
            }
            Func::RedactUrl => s(0).map_or_else(null, |x| owned(redact_url(x))),
            Func::Any | Func::All | Func::Filter | Func::Map | Func::Key | Func::Exists => null(),
        }
    }

    /// Text of a value for messages. Strings located in a secret are masked.
    pub fn render(&self, v: &Val<'m>) -> String {
        match &v.v {
            V::Absent | V::Null => "none".into(),
            V::Invalid => "?".into(),
            V::Bool(b) => b.to_string(),
            V::Int(i) => i.to_string(),
            V::Date(d) => date::format(*d),
            V::Str(s) => {
                let secret = v.loc.is_some_and(|l| {
                    self.model
                        .files
                        .get(l.file as usize)
                        .is_some_and(|f| f.is_redacted(&l))
                });
                if secret {
                    mask(s)
                } else {
                    s.to_string()
                }
            }
            V::Ref(kind, r) => self.entity_name(*kind, *r),
            V::Slots(..) | V::Refs(..) | V::Strs(_) | V::List(_) => self
                .items(v)
                .unwrap_or_default()
                .iter()
                .map(|i| self.render(i))
                .collect::<Vec<_>>()
                .join(", "),
            V::Loc => String::new(),
        }
    }

    pub fn entity_name(&self, kind: Kind, r: u32) -> String {
        use crate::model::fields::*;
        let rec = self.model.record(kind, r);
        let s = |f: usize| rec.str(f).unwrap_or("?").to_string();
        match kind {
            Kind::Integration => s(integration::NAME),
            Kind::Connection => s(connection::ID),
            Kind::Account => s(account::ID),
            Kind::System => s(system::ID),
            Kind::Need => s(need::CAPABILITY),
            Kind::Grant => s(grant::NAME),
            Kind::Match => s(matched::PATTERN),
            Kind::Flow => match (rec.str(flow::FROM), rec.str(flow::TO)) {
                (Some(a), Some(b)) => format!("{a} → {b}"),
                _ => format!("flow {}", r + 1),
            },
            Kind::Credential | Kind::Rotation => {
                let conn = match kind {
                    Kind::Credential => rec.reference(credential::CONNECTION),
                    _ => rec.reference(rotation::CREDENTIAL).and_then(|c| {
                        self.model
                            .record(Kind::Credential, c)
                            .reference(credential::CONNECTION)
                    }),
                };
                conn.map(|c| self.entity_name(Kind::Connection, c))
                    .unwrap_or_else(|| "?".into())
            }
        }
    }
}

fn clamp_days(d: i64) -> i32 {
    d.clamp(-3_000_000, 3_000_000) as i32
}

fn order(a: &Val, b: &Val) -> Option<std::cmp::Ordering> {
    match (&a.v, &b.v) {
        (V::Int(x), V::Int(y)) => Some(x.cmp(y)),
        (V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
