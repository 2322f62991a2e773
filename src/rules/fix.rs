//! A check's fix, evaluated for one finding: the action's located value and the text it
//! brings, as a [`PlannedFix`] the pipeline turns into edits. No fix when the value it acts on
//! is absent, has no location, or was reached through an alias (editing the anchored text
//! would change every place that uses it).

use super::eval::{Ctx, Val, V};
use super::{FixAction, FixSpec, Part};
use crate::finding::{FixPlan, PlannedFix};
use crate::model::Loc;

/// The planned fix of the finding whose entity (and `item`) are in `env`.
pub(super) fn plan<'m>(
    ctx: &Ctx<'m>,
    spec: &'m FixSpec,
    env: &mut Vec<Val<'m>>,
) -> Option<PlannedFix> {
    let plan = match &spec.action {
        FixAction::Remove(at) => FixPlan::RemoveItem {
            item: located(ctx, at, env)?,
        },
        FixAction::Append { to, items } => FixPlan::AppendItems {
            list: located(ctx, to, env)?,
            items: texts(ctx, items, env)?,
        },
        FixAction::Replace { at, with } => {
            let target = ctx.eval(at, env);
            let loc = loc_of(&target)?;
            if target.src.is_some_and(|s| s.item != u32::MAX) {
                // An empty list removes the item (every narrower grant is held already).
                let with = texts(ctx, with, env).or_else(|| empty_list(ctx, with, env))?;
                FixPlan::ReplaceItem { item: loc, with }
            } else {
                let with = texts(ctx, with, env)?;
                FixPlan::ReplaceValue {
                    value: loc,
                    with: with.into_iter().next()?,
                }
            }
        }
        FixAction::Rename { key, to } => FixPlan::RenameKey {
            key: located(ctx, key, env)?,
            to: texts(ctx, to, env)?.into_iter().next()?,
        },
    };
    let mut message = String::new();
    for p in &spec.message {
        match p {
            Part::Text(t) => message.push_str(t),
            Part::Expr(e) => {
                let v = ctx.eval(e, env);
                message.push_str(&ctx.render(&v));
            }
        }
    }
    Some(PlannedFix {
        plan,
        applicability: spec.applicability,
        message,
    })
}

fn loc_of(v: &Val) -> Option<Loc> {
    if v.is_null() || v.is_invalid() {
        return None;
    }
    v.loc.filter(|l| !l.via_alias)
}

fn located<'m>(ctx: &Ctx<'m>, e: &'m super::expr::Expr, env: &mut Vec<Val<'m>>) -> Option<Loc> {
    loc_of(&ctx.eval(e, env))
}

/// `Some(vec![])` when the expression is an empty list.
fn empty_list<'m>(
    ctx: &Ctx<'m>,
    e: &'m super::expr::Expr,
    env: &mut Vec<Val<'m>>,
) -> Option<Vec<String>> {
    let v = ctx.eval(e, env);
    ctx.items(&v).filter(Vec::is_empty).map(|_| Vec::new())
}

/// A string, or the strings of a list; `None` when there is none.
fn texts<'m>(
    ctx: &Ctx<'m>,
    e: &'m super::expr::Expr,
    env: &mut Vec<Val<'m>>,
) -> Option<Vec<String>> {
    let v = ctx.eval(e, env);
    if v.is_null() || v.is_invalid() {
        return None;
    }
    let out: Vec<String> = match ctx.items(&v) {
        Some(items) => items
            .iter()
            .filter(|i| matches!(i.v, V::Str(_)))
            .map(|i| ctx.render(i))
            .collect(),
        None => vec![ctx.render(&v)],
    };
    (!out.is_empty()).then_some(out)
}
