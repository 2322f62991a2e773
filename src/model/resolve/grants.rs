//! Grants: a record per account permission, then per credential scope, each with the system
//! facts of its name and the needs it serves.

use super::accounts::AccountFacts;
use super::needs::Needs;
use super::system_of;
use crate::catalog::Catalog;
use crate::model::fields::{account as A, connection as C, credential as K, grant as G};
use crate::model::fields::{layout, need as N, Kind};
use crate::model::{Head, MVal, Model, RefsId, Slot, Span32, Store, StrId};

/// One grant to make.
struct GrantRow {
    name: Slot,
    file: u32,
    doc: u16,
    scopes: bool,
    known: bool,
    account: Option<u32>,
    account_key: Span32,
    connection: Option<u32>,
    uses: Option<RefsId>,
    admin: MVal,
    system: MVal,
    /// The needs it serves: a run of `by_all`.
    by: (u32, u32),
    index: u32,
}

/// The needs each grant serves, in one flat array: a permission is needed by the needs of
/// checkable uses that list it among their grants.
struct NeededBy<'a> {
    by_all: Vec<u32>,
    checkable: &'a [bool],
    cap_bits: &'a [u16],
    needs: &'a Needs,
}

impl NeededBy<'_> {
    /// The needs of `uses` that `name` serves (a run of `by_all`: start, length), and whether
    /// every capability those uses need is known to their systems.
    fn of(&mut self, model: &Model, uses: &[u32], name: &str) -> (u32, u32, bool) {
        let start = self.by_all.len() as u32;
        let mut known = true;
        for &u in uses {
            if !self.checkable[u as usize] {
                continue;
            }
            let needs = self.needs.needs_of.get(u);
            if needs.len() != self.cap_bits[u as usize].count_ones() as usize {
                known = false;
            }
            for &n in needs {
                let MVal::List(grants) = model.record(Kind::Need, n).val(N::GRANTS) else {
                    continue;
                };
                let names = &self.needs.grant_names[&grants];
                if names.binary_search_by(|g| g.as_str().cmp(name)).is_ok() {
                    self.by_all.push(n);
                }
            }
        }
        (start, self.by_all.len() as u32 - start, known)
    }
}

/// Makes the grants: account permissions, then credential scopes.
///
/// Sequential, in compact rows sized once: the rows of all grants are alive together (160 k
/// on 100k integrations), so a parallel version's per-entity vectors cost more memory than
/// its few milliseconds were worth. The needs each grant serves go to one flat array.
pub(super) fn resolve_grants(
    model: &mut Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    accounts: &AccountFacts,
    needs: &Needs,
    cap_bits: &[u16],
) {
    let mut needed_by = NeededBy {
        by_all: Vec::new(),
        checkable: &needs.checkable,
        cap_bits,
        needs,
    };
    let mut rows: Vec<GrantRow> = Vec::with_capacity(grant_count(model));
    permission_rows(model, catalog, accounts, &mut needed_by, &mut rows);
    scope_rows(model, catalog, conn_system, &mut needed_by, &mut rows);
    push_grants(model, rows, &needed_by.by_all);
}

/// How many grants there are: account permissions and credential scopes.
fn grant_count(model: &Model) -> usize {
    model
        .records(Kind::Account)
        .take(model.first_duplicate_account)
        .filter_map(|rec| rec.list(A::PERMISSIONS).map(<[Slot]>::len))
        .chain(model.records(Kind::Connection).filter_map(|conn| {
            let k = conn.reference(C::CREDENTIAL)?;
            model
                .record(Kind::Credential, k)
                .list(K::SCOPES)
                .map(<[Slot]>::len)
        }))
        .sum()
}

/// The grants of account permissions (first declarations only).
fn permission_rows(
    model: &Model,
    catalog: &Catalog,
    accounts: &AccountFacts,
    needed_by: &mut NeededBy,
    rows: &mut Vec<GrantRow>,
) {
    for rec in model
        .records(Kind::Account)
        .take(model.first_duplicate_account)
    {
        let Some(items) = rec.list(A::PERMISSIONS) else {
            continue;
        };
        let sys = system_of(catalog, model, accounts.system[rec.idx as usize]);
        let uses_range = match rec.val(A::USES) {
            MVal::Refs(r) => Some(r),
            _ => None,
        };
        for (i, item) in items.iter().enumerate() {
            let MVal::Str(id) = item.val() else { continue };
            let name = model.str_of(id);
            let (start, len, known) = needed_by.of(model, accounts.uses.get(rec.idx), name);
            rows.push(GrantRow {
                name: *item,
                file: rec.file(),
                doc: rec.head.doc,
                scopes: false,
                known,
                account: Some(rec.idx),
                account_key: rec.slot(A::KEY).loc,
                connection: None,
                uses: uses_range,
                admin: sys.map_or(MVal::Null, |(_, s)| MVal::Bool(s.is_admin(name))),
                system: sys.map_or(MVal::Null, |(i, _)| MVal::Ref(i as u32)),
                by: (start, len),
                index: i as u32,
            });
        }
    }
}

/// The grants of credential scopes, connection by connection.
fn scope_rows(
    model: &Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    needed_by: &mut NeededBy,
    rows: &mut Vec<GrantRow>,
) {
    for conn in model.records(Kind::Connection) {
        let Some(k) = conn.reference(C::CREDENTIAL) else {
            continue;
        };
        let cred = model.record(Kind::Credential, k);
        let Some(items) = cred.list(K::SCOPES) else {
            continue;
        };
        let sys = system_of(catalog, model, conn_system[conn.idx as usize]);
        for (i, item) in items.iter().enumerate() {
            let MVal::Str(id) = item.val() else { continue };
            let name = model.str_of(id);
            let (start, len, known) = needed_by.of(model, &[conn.idx], name);
            rows.push(GrantRow {
                name: *item,
                file: cred.file(),
                doc: cred.head.doc,
                scopes: true,
                known,
                account: conn.reference(C::ACCOUNT),
                account_key: Span32::NONE,
                connection: Some(conn.idx),
                uses: None,
                admin: sys.map_or(MVal::Null, |(_, s)| MVal::Bool(s.is_admin(name))),
                system: sys.map_or(MVal::Null, |(i, _)| MVal::Ref(i as u32)),
                by: (start, len),
                index: i as u32,
            });
        }
    }
}

/// Adds the grant records, in row order.
fn push_grants(model: &mut Model, rows: Vec<GrantRow>, by_all: &[u32]) {
    let scopes_id = model.store.intern("scopes");
    let permissions_id = model.store.intern("permissions");
    let t = &mut model.store.tables[Kind::Grant as usize];
    t.heads.reserve_exact(rows.len());
    t.slots
        .reserve_exact(rows.len() * layout(Kind::Grant).located);
    t.vals
        .reserve_exact(rows.len() * layout(Kind::Grant).values);
    for row in rows {
        let source = if row.scopes {
            scopes_id
        } else {
            permissions_id
        };
        push_grant(&mut model.store, row, by_all, source);
    }
}

/// Adds one grant record; `source` names where it was declared (`scopes`, `permissions`).
fn push_grant(s: &mut Store, row: GrantRow, by_all: &[u32], source: StrId) {
    let uses = match (row.uses, row.connection) {
        (Some(r), _) => r,
        (None, Some(c)) => s.push_refs(&[c]),
        (None, None) => s.push_refs(&[]),
    };
    let (start, len) = row.by;
    let by = s.push_refs(&by_all[start as usize..(start + len) as usize]);
    let loc = row.name.loc;
    let g = s.push(
        Kind::Grant,
        Head {
            file: row.file,
            loc,
            doc: row.doc,
        },
    );
    s.set(Kind::Grant, g, G::NAME, Slot::at(row.name.val(), loc));
    s.set_val(Kind::Grant, g, G::SOURCE, MVal::Str(source));
    s.set(
        Kind::Grant,
        g,
        G::ACCOUNT,
        Slot::at(row.account.map_or(MVal::Null, MVal::Ref), row.account_key),
    );
    s.set_val(
        Kind::Grant,
        g,
        G::CONNECTION,
        row.connection.map_or(MVal::Null, MVal::Ref),
    );
    s.set_val(Kind::Grant, g, G::USES, MVal::Refs(uses));
    s.set_val(Kind::Grant, g, G::ADMIN, row.admin);
    s.set_val(Kind::Grant, g, G::NEEDED_BY, MVal::Refs(by));
    s.set_val(Kind::Grant, g, G::NEEDS_KNOWN, MVal::Bool(row.known));
    s.set_val(Kind::Grant, g, G::SYSTEM_INFO, row.system);
    s.set_val(Kind::Grant, g, G::INDEX, MVal::Int(row.index as i32));
}
