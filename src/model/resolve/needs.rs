//! Needs: a record per connection and capability it needs that its system's catalog entry
//! knows (with `also_needs`), with each layer's alternatives, whether the layer is declared
//! and whether it is satisfied; then each connection's flows, capabilities and needs.

use std::collections::HashMap;

use super::access::{satisfied, Access};
use super::flows::FlowNeeds;
use super::groups::Groups;
use crate::catalog::{Catalog, Layer, CAPABILITIES};
use crate::model::fields::{self, connection as C, need as N, Kind};
use crate::model::{Head, ListId, MVal, Model, Slot, StrId};

/// The catalog's alternatives as text, one shared list per (system, capability, layer):
/// layer 2 holds both layers together (`grants`).
struct SharedLists {
    lists: HashMap<(usize, usize, usize), ListId>,
}

impl SharedLists {
    fn get(
        &mut self,
        model: &mut Model,
        catalog: &Catalog,
        si: usize,
        cap: usize,
        layer: usize,
    ) -> ListId {
        if let Some(&r) = self.lists.get(&(si, cap, layer)) {
            return r;
        }
        let sys = &catalog.systems[si];
        let c = sys.capability(cap);
        let layers: Vec<Layer> = match layer {
            0 => vec![Layer::Permission],
            1 => vec![Layer::Scope],
            _ => Layer::ALL.to_vec(),
        };
        let slots: Vec<Slot> = layers
            .iter()
            .filter_map(|l| c.and_then(|c| c.layer(*l)))
            .flatten()
            .map(|alt| Slot::value(MVal::Str(model.store.intern(&sys.describe(alt)))))
            .collect();
        let r = model.store.push_list(slots);
        self.lists.insert((si, cap, layer), r);
        r
    }
}

/// (connection, capability, flow) triples with the capabilities that `also_needs` adds,
/// sorted: each need's flows, in flow order.
fn needed_triples(catalog: &Catalog, access: &Access, flows: &FlowNeeds) -> Vec<(u32, u8, u32)> {
    let mut out = Vec::with_capacity(flows.needed.len());
    for &(c, cap, f) in &flows.needed {
        out.push((c, cap, f));
        let Some(si) = access.conns[c as usize].system else {
            continue;
        };
        let sys = &catalog.systems[si];
        let (_, all) = super::access::expand_needs(sys, 1 << cap);
        for extra in 0..CAPABILITIES.len() {
            if extra != cap as usize && all & (1 << extra) != 0 {
                out.push((c, extra as u8, f));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Makes the needs, then sets each connection's flows, capabilities, needs, `checkable`,
/// `grants_declared` and `access_declared`.
pub(super) fn resolve_needs(
    model: &mut Model,
    catalog: &Catalog,
    access: &Access,
    flows: &FlowNeeds,
) {
    let n_conn = model.len(Kind::Connection);
    let cap_ids: Vec<StrId> = CAPABILITIES.iter().map(|c| model.store.intern(c)).collect();
    let triples = needed_triples(catalog, access, flows);
    let mut shared = SharedLists {
        lists: HashMap::new(),
    };
    let mut at = 0;
    let mut flow_ids: Vec<u32> = Vec::new();
    for c in 0..n_conn as u32 {
        let ca = &access.conns[c as usize];
        let Some(si) = ca.system else { continue };
        for (cap, &cap_id) in cap_ids.iter().enumerate() {
            if ca.needed & (1 << cap) == 0 {
                continue;
            }
            while at < triples.len() && (triples[at].0, triples[at].1 as usize) < (c, cap) {
                at += 1;
            }
            flow_ids.clear();
            let mut end = at;
            while end < triples.len() && (triples[end].0, triples[end].1 as usize) == (c, cap) {
                flow_ids.push(triples[end].2);
                end += 1;
            }
            let lists = [0, 1, 2].map(|l| shared.get(model, catalog, si, cap, l));
            push_need(model, catalog, access, c, cap, cap_id, lists, &flow_ids);
        }
    }
    let needs_of = Groups::new(n_conn, || {
        model
            .records(Kind::Need)
            .map(|n| (n.reference(N::CONNECTION).unwrap_or(0), n.idx))
    });
    write_connections(model, access, flows, &cap_ids, &needs_of);
}

/// Adds the need of connection `c` for capability `cap`.
#[allow(clippy::too_many_arguments)]
fn push_need(
    model: &mut Model,
    catalog: &Catalog,
    access: &Access,
    c: u32,
    cap: usize,
    capability: StrId,
    lists: [ListId; 3],
    flow_ids: &[u32],
) {
    let ca = &access.conns[c as usize];
    let sys = &catalog.systems[ca.system.unwrap_or(0)];
    let account = model.record(Kind::Connection, c).reference(C::ACCOUNT);
    let acc = account.map(|a| &access.accounts[a as usize]);
    let (perm_declared, perm_ok, scope_declared, scope_ok) = match acc {
        Some(acc) if ca.checkable => (
            acc.permission_declared,
            satisfied(sys, cap, Layer::Permission, &acc.permission),
            ca.scope_declared,
            satisfied(sys, cap, Layer::Scope, &ca.scope),
        ),
        _ => (false, false, false, false),
    };
    let granted = ca.checkable && (!perm_declared || perm_ok) && (!scope_declared || scope_ok);
    let (file, loc, doc) = {
        let h = model.store.head(Kind::Connection, c);
        (h.file, h.loc, h.doc)
    };
    let flows = model.store.push_refs(flow_ids);
    let n = model.store.push(Kind::Need, Head { file, loc, doc });
    let s = &mut model.store;
    let checked = |v: bool| {
        if ca.checkable {
            MVal::Bool(v)
        } else {
            MVal::Null
        }
    };
    s.set(Kind::Need, n, N::CONNECTION, Slot::at(MVal::Ref(c), loc));
    s.set_val(
        Kind::Need,
        n,
        N::ACCOUNT,
        account.map_or(MVal::Null, MVal::Ref),
    );
    s.set_val(Kind::Need, n, N::CAPABILITY, MVal::Str(capability));
    s.set_val(Kind::Need, n, N::GRANTS, MVal::List(lists[2]));
    s.set_val(Kind::Need, n, N::GRANTED, checked(granted));
    s.set_val(Kind::Need, n, N::FLOWS, MVal::Refs(flows));
    s.set_val(
        Kind::Need,
        n,
        N::PERMISSION_DECLARED,
        MVal::Bool(perm_declared),
    );
    s.set_val(Kind::Need, n, N::PERMISSION_SATISFIED, checked(perm_ok));
    s.set_val(Kind::Need, n, N::PERMISSIONS_NEEDED, MVal::List(lists[0]));
    s.set_val(Kind::Need, n, N::SCOPE_DECLARED, MVal::Bool(scope_declared));
    s.set_val(Kind::Need, n, N::SCOPE_SATISFIED, checked(scope_ok));
    s.set_val(Kind::Need, n, N::SCOPES_NEEDED, MVal::List(lists[1]));
    if let Some(acc) = acc.filter(|_| perm_declared && !perm_ok) {
        let missing = missing_of_first(s, sys, cap, Layer::Permission, &acc.permission);
        s.set_val(Kind::Need, n, N::PERMISSIONS_MISSING, missing);
    }
    if scope_declared && !scope_ok {
        let missing = missing_of_first(s, sys, cap, Layer::Scope, &ca.scope);
        s.set_val(Kind::Need, n, N::SCOPES_MISSING, missing);
    }
}

/// The grants of a layer's first alternative that `held` lacks, as a list.
fn missing_of_first(
    s: &mut crate::model::Store,
    sys: &crate::catalog::System,
    cap: usize,
    layer: Layer,
    held: &super::access::Held,
) -> MVal {
    let first = sys
        .capability(cap)
        .and_then(|c| c.layer(layer))
        .and_then(|alts| alts.first());
    let slots: Vec<Slot> = first
        .into_iter()
        .flatten()
        .filter(|&&g| !held.has(g))
        .map(|&g| Slot::value(MVal::Str(s.intern(&sys.grants[g as usize].name))))
        .collect();
    MVal::List(s.push_list(slots))
}

/// Sets each connection's flows, capabilities (one shared list per set), needs, `checkable`,
/// `grants_declared` and `access_declared`.
fn write_connections(
    model: &mut Model,
    access: &Access,
    flows: &FlowNeeds,
    cap_ids: &[StrId],
    needs_of: &Groups,
) {
    let mut cap_lists: HashMap<u16, ListId> = HashMap::new();
    for c in 0..model.len(Kind::Connection) as u32 {
        let bits = flows.cap_bits[c as usize];
        let capabilities = *cap_lists.entry(bits).or_insert_with(|| {
            let slots: Vec<Slot> = (0..CAPABILITIES.len())
                .filter(|b| bits & (1 << b) != 0)
                .map(|b| Slot::value(MVal::Str(cap_ids[b])))
                .collect();
            model.store.push_list(slots)
        });
        let declared = grants_declared(model, c);
        let ca = &access.conns[c as usize];
        let account = model.record(Kind::Connection, c).reference(C::ACCOUNT);
        let access_declared = ca.checkable
            && (account.is_some_and(|a| access.accounts[a as usize].permission_declared)
                || ca.scope_declared);
        let s = &mut model.store;
        let flow_refs = s.push_refs(flows.flows_of.get(c));
        let needs = s.push_refs(needs_of.get(c));
        s.set_val(Kind::Connection, c, C::FLOWS, MVal::Refs(flow_refs));
        s.set_val(
            Kind::Connection,
            c,
            C::CAPABILITIES,
            MVal::List(capabilities),
        );
        s.set_val(Kind::Connection, c, C::NEEDS, MVal::Refs(needs));
        s.set_val(Kind::Connection, c, C::CHECKABLE, MVal::Bool(ca.checkable));
        s.set_val(Kind::Connection, c, C::GRANTS_DECLARED, declared);
        s.set_val(
            Kind::Connection,
            c,
            C::ACCESS_DECLARED,
            if ca.checkable {
                MVal::Bool(access_declared)
            } else {
                MVal::Null
            },
        );
    }
}

/// Whether the connection's account declares `permissions` or its credential `scopes` (an
/// empty list counts); invalid when one of them is invalid and neither is declared.
fn grants_declared(model: &Model, c: u32) -> MVal {
    let conn = model.record(Kind::Connection, c);
    let cred = conn
        .reference(C::CREDENTIAL)
        .map(|k| model.record(Kind::Credential, k));
    let acc = conn
        .reference(C::ACCOUNT)
        .map(|a| model.record(Kind::Account, a));
    let scopes = cred.is_some_and(|k| k.list(fields::credential::SCOPES).is_some());
    let perms = acc.is_some_and(|a| a.list(fields::account::PERMISSIONS).is_some());
    let invalid = cred.is_some_and(|k| k.is_invalid(fields::credential::SCOPES))
        || acc.is_some_and(|a| a.is_invalid(fields::account::PERMISSIONS));
    match (perms || scopes, invalid) {
        (true, _) => MVal::Bool(true),
        (false, true) => MVal::Invalid,
        (false, false) => MVal::Bool(false),
    }
}
