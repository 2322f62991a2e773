//! The access model, version 2 (docs/access-model.md): per account, its permission layer
//! (held grants, declared or not, the capabilities its checked connections need); per
//! connection, its credential's scope layer. Grants held are expanded by implication; a layer
//! satisfies a capability when some all-of alternative is fully held. Reads only: the needs
//! and grants passes write what the rules read.

use super::accounts::AccountFacts;
use super::pool::map_range;
use super::system_of;
use crate::catalog::{Catalog, Layer, System, CAPABILITIES};
use crate::model::fields::{account as A, connection as C, credential as K, Kind};
use crate::model::{MVal, Model, StrId};

/// Grant indices held in one layer: as written, and with every implication.
#[derive(Default)]
pub(super) struct Held {
    /// Sorted, without repeats.
    pub direct: Vec<u32>,
    /// Sorted, without repeats: `direct` and everything it implies.
    pub all: Vec<u32>,
}

impl Held {
    pub fn of(sys: &System, mut direct: Vec<u32>) -> Held {
        direct.sort_unstable();
        direct.dedup();
        let mut all = direct.clone();
        for &g in &direct {
            all.extend_from_slice(&sys.grants[g as usize].closure);
        }
        all.sort_unstable();
        all.dedup();
        Held { direct, all }
    }

    pub fn has(&self, g: u32) -> bool {
        self.all.binary_search(&g).is_ok()
    }
}

/// Whether `held` satisfies capability `cap` in `layer` (a layer without requirement does).
pub(super) fn satisfied(sys: &System, cap: usize, layer: Layer, held: &Held) -> bool {
    match sys.capability(cap).and_then(|c| c.layer(layer)) {
        None => true,
        Some(alts) => alts.iter().any(|alt| alt.iter().all(|&g| held.has(g))),
    }
}

/// A connection's side of the access model.
pub(super) struct ConnAccess {
    /// Account and system known and equal.
    pub checkable: bool,
    /// The connection's system (catalog index).
    pub system: Option<usize>,
    /// The credential carries scopes (`None`: the catalog does not know its type).
    pub scoped: Option<bool>,
    /// Capabilities needed and known to the catalog (with `also_needs`, without unsupported
    /// ones): a bit per [`CAPABILITIES`] index.
    pub needed: u16,
    /// Capabilities needed, known or not (without unsupported ones).
    pub needed_all: u16,
    pub scope: Held,
    pub scope_declared: bool,
}

/// An account's permission layer.
#[derive(Default)]
pub(super) struct AccAccess {
    /// Some checkable connection uses it.
    pub checked: bool,
    pub needed: u16,
    pub needed_all: u16,
    pub permission: Held,
    pub permission_declared: bool,
}

/// Everything the access passes read.
pub(super) struct Access {
    pub conns: Vec<ConnAccess>,
    pub accounts: Vec<AccAccess>,
}

/// The names of a list, sorted into layers by a system's catalog: grant indices per layer,
/// and whether some name is unknown.
struct Sorted {
    layers: [Vec<u32>; 2],
    unknown: bool,
    present: bool,
    empty: bool,
}

fn sort_names(model: &Model, sys: &System, list: Option<&[crate::model::Slot]>) -> Sorted {
    let mut out = Sorted {
        layers: [vec![], vec![]],
        unknown: false,
        present: list.is_some(),
        empty: list.is_some_and(<[_]>::is_empty),
    };
    for item in list.into_iter().flatten() {
        let MVal::Str(id) = item.val() else { continue };
        match sys.grant(model.str_of(id)) {
            Some(g) => out.layers[sys.grants[g as usize].layer as usize].push(g),
            None => out.unknown = true,
        }
    }
    out
}

impl Sorted {
    /// The list declares `layer`: it is empty, holds an unknown name, or a name of the layer.
    fn declares(&self, layer: Layer, own: Layer) -> bool {
        let own_layer = layer == own && self.present && (self.empty || self.unknown);
        own_layer || !self.layers[layer as usize].is_empty()
    }
}

/// Adds the capabilities that needed ones also need (transitively), drops unsupported ones;
/// returns (known, all).
pub(super) fn expand_needs(sys: &System, bits: u16) -> (u16, u16) {
    let mut all = bits;
    loop {
        let mut next = all;
        for (ci, _) in CAPABILITIES.iter().enumerate() {
            if all & (1 << ci) != 0 {
                if let Some(c) = sys.capability(ci) {
                    for &o in &c.also_needs {
                        next |= 1 << o;
                    }
                }
            }
        }
        if next == all {
            break;
        }
        all = next;
    }
    let mut known = 0u16;
    for ci in 0..CAPABILITIES.len() {
        if all & (1 << ci) == 0 {
            continue;
        }
        match sys.capability(ci) {
            Some(c) if c.unsupported.is_some() => all &= !(1 << ci),
            Some(_) => known |= 1 << ci,
            None => {}
        }
    }
    (known, all)
}

/// Computes both layers: connections first (in parallel), then accounts, then each
/// connection's scope layer (which reads its account's permissions).
pub(super) fn evaluate(
    model: &Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    accounts: &AccountFacts,
    cap_bits: &[u16],
) -> Access {
    let n_conn = model.len(Kind::Connection);
    let mut conns: Vec<ConnAccess> = map_range(n_conn, |c| {
        connection_side(model, catalog, conn_system, accounts, c as u32, cap_bits[c])
    });
    let accs: Vec<AccAccess> = map_range(model.len(Kind::Account), |a| {
        account_side(model, catalog, accounts, &conns, a as u32)
    });
    for (c, ca) in conns.iter_mut().enumerate() {
        scope_side(model, catalog, c as u32, ca);
    }
    Access {
        conns,
        accounts: accs,
    }
}

/// A connection's system, needs and whether its credential is scoped.
fn connection_side(
    model: &Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    accounts: &AccountFacts,
    c: u32,
    bits: u16,
) -> ConnAccess {
    let conn = model.record(Kind::Connection, c);
    let sys = system_of(catalog, model, conn_system[c as usize]);
    let account = conn.reference(C::ACCOUNT);
    let acc_sys = account.and_then(|a| accounts.system[a as usize]);
    let checkable = match (sys, acc_sys) {
        (Some((_, s)), Some(a)) => s.id == model.str_of(a),
        _ => false,
    };
    let mut out = ConnAccess {
        checkable,
        system: sys.map(|(i, _)| i),
        scoped: None,
        needed: 0,
        needed_all: 0,
        scope: Held::default(),
        scope_declared: false,
    };
    let Some((_, sys)) = sys else { return out };
    (out.needed, out.needed_all) = expand_needs(sys, bits);
    let account_type = account.and_then(|a| model.record(Kind::Account, a).str(A::TYPE));
    out.scoped = conn
        .reference(C::CREDENTIAL)
        .and_then(|k| model.record(Kind::Credential, k).str(K::TYPE))
        .and_then(|t| sys.credential_types.get(t))
        .map(|t| t.is_scoped(account_type));
    out
}

/// The scopes list of a connection's credential, unless its type carries none.
fn scopes_of<'m>(model: &'m Model, c: u32, ca: &ConnAccess) -> Option<&'m [crate::model::Slot]> {
    if ca.scoped == Some(false) {
        return None;
    }
    let k = model.record(Kind::Connection, c).reference(C::CREDENTIAL)?;
    model.record(Kind::Credential, k).list(K::SCOPES)
}

/// An account's permission layer: its own permission-layer names and those in the scopes of
/// the checkable connections using it.
fn account_side(
    model: &Model,
    catalog: &Catalog,
    accounts: &AccountFacts,
    conns: &[ConnAccess],
    a: u32,
) -> AccAccess {
    let Some((_, sys)) = system_of(catalog, model, accounts.system[a as usize]) else {
        return AccAccess::default();
    };
    let rec = model.record(Kind::Account, a);
    let own = sort_names(model, sys, rec.list(A::PERMISSIONS));
    let mut declared = own.declares(Layer::Permission, Layer::Permission);
    let mut direct = own.layers[Layer::Permission as usize].clone();
    let mut out = AccAccess::default();
    for &c in accounts.uses.get(a) {
        let ca = &conns[c as usize];
        if !ca.checkable {
            continue;
        }
        out.checked = true;
        out.needed |= ca.needed;
        out.needed_all |= ca.needed_all;
        let scopes = sort_names(model, sys, scopes_of(model, c, ca));
        let from_scopes = &scopes.layers[Layer::Permission as usize];
        declared |= !from_scopes.is_empty();
        direct.extend_from_slice(from_scopes);
    }
    out.permission = Held::of(sys, direct);
    out.permission_declared = declared;
    out
}

/// A checkable connection's scope layer: its credential's scope-layer names and those in its
/// account's permissions.
fn scope_side(model: &Model, catalog: &Catalog, c: u32, ca: &mut ConnAccess) {
    let (true, Some(si)) = (ca.checkable, ca.system) else {
        return;
    };
    if ca.scoped == Some(false) {
        return;
    }
    let sys = &catalog.systems[si];
    let conn = model.record(Kind::Connection, c);
    let own = sort_names(model, sys, scopes_of(model, c, ca));
    let account = conn.reference(C::ACCOUNT);
    let perms = account.map(|a| model.record(Kind::Account, a).list(A::PERMISSIONS));
    let from_account = sort_names(model, sys, perms.flatten());
    let mut direct = own.layers[Layer::Scope as usize].clone();
    direct.extend_from_slice(&from_account.layers[Layer::Scope as usize]);
    ca.scope_declared = own.declares(Layer::Scope, Layer::Scope)
        || !from_account.layers[Layer::Scope as usize].is_empty();
    ca.scope = Held::of(sys, direct);
}

/// Writes each credential's `scoped`.
pub(super) fn write_scoped(model: &mut Model, access: &Access) {
    for (c, ca) in access.conns.iter().enumerate() {
        let Some(k) = model
            .record(Kind::Connection, c as u32)
            .reference(C::CREDENTIAL)
        else {
            continue;
        };
        let v = ca.scoped.map_or(MVal::Null, MVal::Bool);
        model.store.set_val(Kind::Credential, k, K::SCOPED, v);
    }
}
