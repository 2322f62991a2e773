//! Resources: what each connection's flows touch (its `resources`) against what its account
//! and its credential reach (their `resources`, each unknown when undeclared). Items are exact
//! ids or globs (`*` does not cross `/`); `"*"` alone reaches everything.

use std::collections::HashMap;

use globset::{GlobBuilder, GlobMatcher};

use super::accounts::AccountFacts;
use crate::model::fields::{account as A, connection as C, credential as K, Kind};
use crate::model::{MVal, Model, Slot, StrId};

/// Whether an item is a glob rather than an exact id.
fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Compiled globs, by string.
#[derive(Default)]
struct Globs(HashMap<StrId, Option<GlobMatcher>>);

impl Globs {
    fn matches(&mut self, model: &Model, glob: StrId, id: &str) -> bool {
        self.0
            .entry(glob)
            .or_insert_with(|| {
                GlobBuilder::new(model.str_of(glob))
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            })
            .as_ref()
            .is_some_and(|m| m.is_match(id))
    }
}

/// The string items of a list field (invalid items left out).
fn items(list: Option<&[Slot]>) -> Vec<(StrId, Slot)> {
    list.into_iter()
        .flatten()
        .filter_map(|s| match s.val() {
            MVal::Str(id) => Some((id, *s)),
            _ => None,
        })
        .collect()
}

/// Whether a reach covers one connection item.
fn covers(model: &Model, globs: &mut Globs, reach: &[(StrId, Slot)], item: StrId) -> bool {
    let text = model.str_of(item);
    reach.iter().any(|&(r, _)| {
        let r_text = model.str_of(r);
        r_text == "*"
            || r == item
            || (!is_glob(text) && is_glob(r_text) && globs.matches(model, r, text))
    })
}

/// Whether a reach is wider than exact ids.
fn is_broad(model: &Model, reach: &[(StrId, Slot)]) -> bool {
    reach.iter().any(|&(r, _)| is_glob(model.str_of(r)))
}

/// The exact ids the connections need, when each declares a non-empty list of exact ids.
fn exact_needs(model: &Model, conns: &[u32]) -> Option<Vec<StrId>> {
    let mut ids = Vec::new();
    for &c in conns {
        let list = items(model.record(Kind::Connection, c).list(C::RESOURCES));
        if list.is_empty() || list.iter().any(|&(s, _)| is_glob(model.str_of(s))) {
            return None;
        }
        ids.extend(list.into_iter().map(|(s, _)| s));
    }
    if ids.is_empty() {
        return None;
    }
    ids.sort_by(|a, b| model.str_of(*a).cmp(model.str_of(*b)));
    ids.dedup();
    Some(ids)
}

/// Sets each connection's `uncovered_resources` and the `resources_needed` of accounts and
/// credentials.
pub(super) fn resolve_resources(model: &mut Model, accounts: &AccountFacts) {
    let mut globs = Globs::default();
    let mut writes: Vec<(Kind, u32, usize, Vec<Slot>)> = Vec::new();
    for c in 0..model.len(Kind::Connection) as u32 {
        let conn = model.record(Kind::Connection, c);
        let wanted = items(conn.list(C::RESOURCES));
        let cred = conn.reference(C::CREDENTIAL);
        let reaches: Vec<Vec<(StrId, Slot)>> = [
            conn.reference(C::ACCOUNT)
                .and_then(|a| model.record(Kind::Account, a).list(A::RESOURCES)),
            cred.and_then(|k| model.record(Kind::Credential, k).list(K::RESOURCES)),
        ]
        .into_iter()
        .flatten()
        .map(|l| items(Some(l)))
        .collect();
        if !wanted.is_empty() && !reaches.is_empty() {
            let uncovered: Vec<Slot> = wanted
                .iter()
                .filter(|&&(id, _)| !reaches.iter().all(|r| covers(model, &mut globs, r, id)))
                .map(|&(_, s)| s)
                .collect();
            writes.push((Kind::Connection, c, C::UNCOVERED_RESOURCES, uncovered));
        }
        if let Some(k) = cred {
            let reach = items(model.record(Kind::Credential, k).list(K::RESOURCES));
            if is_broad(model, &reach) {
                if let Some(ids) = exact_needs(model, &[c]) {
                    let slots = ids.into_iter().map(|s| Slot::value(MVal::Str(s))).collect();
                    writes.push((Kind::Credential, k, K::RESOURCES_NEEDED, slots));
                }
            }
        }
    }
    for a in 0..model.first_duplicate_account as u32 {
        let reach = items(model.record(Kind::Account, a).list(A::RESOURCES));
        let uses = accounts.uses.get(a);
        if uses.is_empty() || !is_broad(model, &reach) {
            continue;
        }
        if let Some(ids) = exact_needs(model, uses) {
            let slots = ids.into_iter().map(|s| Slot::value(MVal::Str(s))).collect();
            writes.push((Kind::Account, a, A::RESOURCES_NEEDED, slots));
        }
    }
    for (kind, idx, field, slots) in writes {
        let list = model.store.push_list(slots);
        model.store.set_val(kind, idx, field, MVal::List(list));
    }
}
