//! What the functions' implementations (`rules/functions/`) share: evaluating a call's
//! arguments, binding a lambda's variable, running a lambda over a list.

use super::{Ctx, Val, V};
use crate::rules::expr::Expr;

impl<'m> Ctx<'m> {
    /// Evaluates a call's arguments and hands their values to `f`; an invalid argument makes the
    /// call invalid without running it. No function takes more than two values: they are
    /// evaluated on the stack.
    #[inline]
    pub(crate) fn with_values(
        &self,
        args: &'m [Expr],
        env: &mut Vec<Val<'m>>,
        f: impl FnOnce(&[Val<'m>]) -> Val<'m>,
    ) -> Val<'m> {
        let mut buf = [Val::of(V::Absent), Val::of(V::Absent)];
        for (slot, a) in buf.iter_mut().zip(args) {
            *slot = self.eval(a, env);
        }
        let vals = &buf[..args.len().min(2)];
        if vals.iter().any(Val::is_invalid) {
            return Val::of(V::Invalid);
        }
        f(vals)
    }

    /// The value of a lambda for `item`, which is bound to the lambda's variable only while its
    /// body is evaluated; the item is handed back beside the value (no copy to keep it).
    #[inline]
    pub(crate) fn with_lambda(
        &self,
        lambda: &'m Expr,
        item: Val<'m>,
        env: &mut Vec<Val<'m>>,
    ) -> (Val<'m>, Val<'m>) {
        let Expr::Lambda { slot, body } = lambda else {
            return (Val::of(V::Invalid), item);
        };
        if env.len() <= *slot {
            env.resize(*slot + 1, Val::of(V::Absent));
        }
        let saved = std::mem::replace(&mut env[*slot], item);
        let value = self.eval(body, env);
        let item = std::mem::replace(&mut env[*slot], saved);
        (value, item)
    }

    /// Runs a quantifier's lambda (`args[1]`) over the items of its list (`args[0]`) in order,
    /// handing `each` every item with the lambda's value for it; `each` returns `Some` to stop
    /// with that result. `None` when every item was seen; an invalid list gives invalid.
    #[inline]
    pub(crate) fn for_each_item(
        &self,
        args: &'m [Expr],
        env: &mut Vec<Val<'m>>,
        mut each: impl FnMut(Val<'m>, Val<'m>) -> Option<Val<'m>>,
    ) -> Option<Val<'m>> {
        let list = self.eval(&args[0], env);
        if list.is_invalid() {
            return Some(Val::of(V::Invalid));
        }
        for i in 0..self.len_of(&list).unwrap_or(0) {
            let (value, item) = self.with_lambda(&args[1], self.item(&list, i), env);
            if let Some(result) = each(item, value) {
                return Some(result);
            }
        }
        None
    }
}
