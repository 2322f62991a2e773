//! Function calls: binding a lambda's variable, and each function's evaluation.

use std::borrow::Cow;
use std::rc::Rc;

use super::ops::order;
use super::{Ctx, Src, Tri, Val, V};
use crate::model::MVal;
use crate::rules::expr::{Expr, Func};
use crate::secrets::{is_secret_reference, mask, redact_url, url_scheme, url_userinfo};

impl<'m> Ctx<'m> {
    #[inline]
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

    #[inline]
    pub(super) fn call(&self, f: Func, args: &'m [Expr], env: &mut Vec<Val<'m>>) -> Val<'m> {
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
}
