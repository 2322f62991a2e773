//! Needs: a record per connection and capability its flows need that its system's catalog
//! entry knows, with the alternatives that would grant it and whether one is granted; then each
//! connection's flows, capabilities and needs.

use std::collections::HashMap;

use super::flows::FlowNeeds;
use super::groups::Groups;
use super::pool::map_range;
use super::{system_of, CAPABILITY_ORDER};
use crate::catalog::Catalog;
use crate::model::fields::{self, account as A, connection as C, credential as K, layout, Kind};
use crate::model::{Head, ListId, MVal, Model, RefsId, Slot, Store, StrId};

/// What the needs leave for the grants.
pub(super) struct Needs {
    /// Each connection's needs.
    pub needs_of: Groups,
    /// Per connection: whether least privilege can be compared.
    pub checkable: Vec<bool>,
    /// The permission names of each shared list of alternatives, sorted and without
    /// repeats (a grant looks its name up by binary search: a catalog may list thousands).
    pub grant_names: HashMap<ListId, Vec<String>>,
}

/// Per connection (in parallel: this only reads the model): whether it declares grants,
/// whether least privilege can be compared, and its needs as capability bits.
struct ConnNeeds {
    declared: MVal,
    checkable: bool,
    system: u32,
    needs: u16,
    granted: u16,
}

/// The catalog's alternatives for a (system, capability), stored once and shared.
struct SharedGrants {
    /// By (system, capability): `system * CAPABILITY_ORDER.len() + capability`.
    lists: Vec<Option<ListId>>,
    /// The permission names of each shared list of alternatives.
    names: HashMap<ListId, Vec<String>>,
}

impl SharedGrants {
    /// The list of alternatives for capability `cap` of catalog system `si`.
    fn list(&mut self, store: &mut Store, catalog: &Catalog, si: usize, cap: u8) -> ListId {
        let shared = si * CAPABILITY_ORDER.len() + cap as usize;
        match self.lists[shared] {
            Some(r) => r,
            None => {
                let alts = &catalog.systems[si].capabilities[CAPABILITY_ORDER[cap as usize]];
                let mut names: Vec<String> = alts.iter().flatten().cloned().collect();
                names.sort_unstable();
                names.dedup();
                let slots: Vec<Slot> = alts
                    .iter()
                    .map(|alt| Slot::value(MVal::Str(store.intern(&alt.join(" + ")))))
                    .collect();
                let r = store.push_list(slots);
                self.lists[shared] = Some(r);
                self.names.insert(r, names);
                r
            }
        }
    }
}

/// Makes the needs, then sets each connection's flows, capabilities, needs, `checkable` and
/// `grants_declared`.
pub(super) fn resolve_needs(
    model: &mut Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    acc_system: &[Option<StrId>],
    flows: &FlowNeeds,
) -> Needs {
    let n_conn = model.len(Kind::Connection);
    // Capability names and lists are shared: one string per capability, one list per set.
    let cap_ids: Vec<StrId> = CAPABILITY_ORDER
        .iter()
        .map(|c| model.store.intern(c))
        .collect();
    let mut shared = SharedGrants {
        lists: vec![None; catalog.systems.len() * CAPABILITY_ORDER.len()],
        names: HashMap::new(),
    };
    let per_conn: Vec<ConnNeeds> = map_range(n_conn, |c| {
        let cap_bits = flows.cap_bits[c];
        connection_needs(model, catalog, conn_system, acc_system, c as u32, cap_bits)
    });
    let checkable: Vec<bool> = per_conn.iter().map(|p| p.checkable).collect();
    let declared_of: Vec<MVal> = per_conn.iter().map(|p| p.declared).collect();
    push_needs(
        model,
        catalog,
        &per_conn,
        &flows.needed,
        &cap_ids,
        &mut shared,
    );
    // Needs were made connection by connection.
    let needs_of = Groups::new(n_conn, || {
        model
            .records(Kind::Need)
            .map(|n| (n.reference(fields::need::CONNECTION).unwrap_or(0), n.idx))
    });
    write_connections(model, flows, &cap_ids, &needs_of, &checkable, &declared_of);
    Needs {
        needs_of,
        checkable,
        grant_names: shared.names,
    }
}

/// One connection's needs against its system's catalog entry; reads only.
fn connection_needs(
    model: &Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    acc_system: &[Option<StrId>],
    c: u32,
    cap_bits: u16,
) -> ConnNeeds {
    let conn = model.record(Kind::Connection, c);
    let account = conn.reference(C::ACCOUNT);
    let cred = conn
        .reference(C::CREDENTIAL)
        .map(|k| model.record(Kind::Credential, k));
    let acc = account.map(|a| model.record(Kind::Account, a));
    let scopes = cred.and_then(|k| k.strs(K::SCOPES));
    let perms = acc.and_then(|a| a.strs(A::PERMISSIONS));
    let invalid = cred.is_some_and(|k| k.is_invalid(K::SCOPES))
        || acc.is_some_and(|a| a.is_invalid(A::PERMISSIONS));
    let declared = if perms.is_some() || scopes.is_some() {
        MVal::Bool(true)
    } else if invalid {
        MVal::Invalid
    } else {
        MVal::Bool(false)
    };
    // Sorted, for lookups by binary search: an account may hold thousands of permissions and
    // a catalog list thousands of alternatives (linear time in both, not their product).
    let mut granted: Vec<&str> = perms
        .iter()
        .flatten()
        .chain(scopes.iter().flatten())
        .map(|(p, _, _)| *p)
        .collect();
    granted.sort_unstable();
    let conn_sys = system_of(catalog, model, conn_system[c as usize]);
    let acc_sys = account.and_then(|a| acc_system[a as usize].map(|s| model.str_of(s)));
    let checkable = match (conn_sys, acc_sys) {
        (Some((_, cs)), Some(asys)) => catalog.get(asys).is_some() && cs.id == asys,
        _ => false,
    };
    let mut out = ConnNeeds {
        declared,
        checkable,
        system: 0,
        needs: 0,
        granted: 0,
    };
    let Some((si, sys)) = conn_sys else {
        return out;
    };
    out.system = si as u32;
    for (cap, name) in CAPABILITY_ORDER.iter().enumerate() {
        if cap_bits & (1 << cap) == 0 {
            continue;
        }
        let Some(alts) = sys.capabilities.get(*name) else {
            continue;
        };
        out.needs |= 1 << cap;
        if alts.iter().any(|alt| {
            alt.iter()
                .all(|p| granted.binary_search(&p.as_str()).is_ok())
        }) {
            out.granted |= 1 << cap;
        }
    }
    out
}

/// Makes the need records, connection by connection, in capability order.
fn push_needs(
    model: &mut Model,
    catalog: &Catalog,
    per_conn: &[ConnNeeds],
    needed: &[(u32, u8, u32)],
    cap_ids: &[StrId],
    shared: &mut SharedGrants,
) {
    let need_count: usize = per_conn.iter().map(|p| p.needs.count_ones() as usize).sum();
    let need_rows = per_conn.iter().enumerate().flat_map(|(c, p)| {
        (0..CAPABILITY_ORDER.len())
            .filter(move |cap| p.needs & (1 << cap) != 0)
            .map(move |cap| (c as u32, cap as u8, p.system, p.granted & (1 << cap) != 0))
    });
    let tables = &mut model.store.tables[Kind::Need as usize];
    tables.heads.reserve_exact(need_count);
    tables
        .slots
        .reserve_exact(need_count * layout(Kind::Need).located);
    tables
        .vals
        .reserve_exact(need_count * layout(Kind::Need).values);
    let mut at = 0;
    let mut flow_ids: Vec<u32> = Vec::new();
    for (c, cap, si, ok) in need_rows {
        let grants = shared.list(&mut model.store, catalog, si as usize, cap);
        while at < needed.len() && (needed[at].0, needed[at].1) < (c, cap) {
            at += 1;
        }
        let mut end = at;
        while end < needed.len() && (needed[end].0, needed[end].1) == (c, cap) {
            end += 1;
        }
        flow_ids.clear();
        flow_ids.extend(needed[at..end].iter().map(|t| t.2));
        let flows = model.store.push_refs(&flow_ids);
        push_need(model, c, cap_ids[cap as usize], grants, ok, flows);
    }
}

/// Adds the need of connection `c` for one capability.
fn push_need(
    model: &mut Model,
    c: u32,
    capability: StrId,
    grants: ListId,
    granted: bool,
    flows: RefsId,
) {
    use fields::need as N;
    let (file, loc, doc) = {
        let h = model.store.head(Kind::Connection, c);
        (h.file, h.loc, h.doc)
    };
    let account = model.record(Kind::Connection, c).reference(C::ACCOUNT);
    let n = model.store.push(Kind::Need, Head { file, loc, doc });
    let s = &mut model.store;
    s.set(Kind::Need, n, N::CONNECTION, Slot::at(MVal::Ref(c), loc));
    s.set_val(
        Kind::Need,
        n,
        N::ACCOUNT,
        account.map_or(MVal::Null, MVal::Ref),
    );
    s.set_val(Kind::Need, n, N::CAPABILITY, MVal::Str(capability));
    s.set_val(Kind::Need, n, N::GRANTS, MVal::List(grants));
    s.set_val(Kind::Need, n, N::GRANTED, MVal::Bool(granted));
    s.set_val(Kind::Need, n, N::FLOWS, MVal::Refs(flows));
}

/// Sets each connection's flows, capabilities (one shared list per set), needs, `checkable`
/// and `grants_declared`.
fn write_connections(
    model: &mut Model,
    flows: &FlowNeeds,
    cap_ids: &[StrId],
    needs_of: &Groups,
    checkable: &[bool],
    declared_of: &[MVal],
) {
    let mut cap_lists: HashMap<u16, ListId> = HashMap::new();
    for c in 0..model.len(Kind::Connection) {
        let bits = flows.cap_bits[c];
        let capabilities = match cap_lists.get(&bits) {
            Some(r) => *r,
            None => {
                let slots: Vec<Slot> = (0..CAPABILITY_ORDER.len())
                    .filter(|b| bits & (1 << b) != 0)
                    .map(|b| Slot::value(MVal::Str(cap_ids[b])))
                    .collect();
                let r = model.store.push_list(slots);
                cap_lists.insert(bits, r);
                r
            }
        };
        let s = &mut model.store;
        let flow_refs = s.push_refs(flows.flows_of.get(c as u32));
        let needs = s.push_refs(needs_of.get(c as u32));
        let c32 = c as u32;
        s.set_val(Kind::Connection, c32, C::FLOWS, MVal::Refs(flow_refs));
        s.set_val(
            Kind::Connection,
            c32,
            C::CAPABILITIES,
            MVal::List(capabilities),
        );
        s.set_val(Kind::Connection, c32, C::NEEDS, MVal::Refs(needs));
        s.set_val(
            Kind::Connection,
            c32,
            C::CHECKABLE,
            MVal::Bool(checkable[c]),
        );
        s.set_val(Kind::Connection, c32, C::GRANTS_DECLARED, declared_of[c]);
    }
}
