//! Grants: a record per account permission, then per credential scope (unless the
//! credential's type carries no scopes: the list is then ignored), each with its catalog facts
//! (layer, tier, narrower, advice) and how it stands against what the flows need (checked,
//! used, satisfies, replaceable, implied by another item of its list).

use std::collections::HashMap;

use super::access::{satisfied, Access, Held};
use super::accounts::AccountFacts;
use super::system_of;
use crate::catalog::{Catalog, Layer, System, Tier, CAPABILITIES};
use crate::model::fields::{account as A, connection as C, credential as K, grant as G, Kind};
use crate::model::{Head, MVal, Model, RefsId, Slot, Span32, StrId};

/// One holder of a grant in its layer: the held set and what it needs.
struct Holder<'a> {
    held: &'a Held,
    needed: u16,
    needed_all: u16,
}

/// How a grant stands against its holders.
#[derive(Default)]
struct Standing {
    checked: bool,
    used: bool,
    used_known: bool,
    satisfies: u16,
    replaceable: bool,
}

fn standing(sys: &System, g: u32, holders: &[Holder]) -> Standing {
    let grant = &sys.grants[g as usize];
    let mut out = Standing {
        checked: !holders.is_empty(),
        used_known: true,
        replaceable: true,
        ..Standing::default()
    };
    // A needed capability with no requirement in the grant's layer (or none at all) is unknown
    // there: whether the grant is used cannot be told.
    let known = sys.required_in(grant.layer);
    for h in holders {
        out.used |= grant.requirement_of & h.needed != 0;
        out.used_known &= h.needed_all & !known == 0;
        let mut sat = 0u16;
        for cap in 0..CAPABILITIES.len() {
            if h.needed & grant.requirement_of & (1 << cap) != 0
                && satisfies(sys, cap, g, grant.layer, h.held)
            {
                sat |= 1 << cap;
            }
        }
        out.satisfies |= sat;
        if grant.tier == Tier::Broad && sat != 0 {
            let mut direct: Vec<u32> = h.held.direct.iter().copied().filter(|&x| x != g).collect();
            direct.extend_from_slice(&grant.narrower);
            let without = Held::of(sys, direct);
            out.replaceable &= (0..CAPABILITIES.len())
                .filter(|c| sat & (1 << c) != 0)
                .all(|c| satisfied(sys, c, grant.layer, &without));
        }
    }
    out
}

/// Whether `g` satisfies `cap` for `held`: a fully held alternative of its layer contains it
/// or a grant it implies.
fn satisfies(sys: &System, cap: usize, g: u32, layer: Layer, held: &Held) -> bool {
    let closure = &sys.grants[g as usize].closure;
    let Some(alts) = sys.capability(cap).and_then(|c| c.layer(layer)) else {
        return false;
    };
    alts.iter().any(|alt| {
        alt.iter().all(|&x| held.has(x))
            && alt
                .iter()
                .any(|&x| x == g || closure.binary_search(&x).is_ok())
    })
}

/// What a grant record holds.
struct Row {
    name: Slot,
    file: u32,
    doc: u16,
    scopes: bool,
    account: Option<u32>,
    account_key: Span32,
    connection: Option<u32>,
    uses: Option<RefsId>,
    system: Option<usize>,
    index: u32,
    grant: Option<u32>,
    standing: Standing,
    implied_by: Option<StrId>,
    implied_by_grant: Option<u32>,
    closest: Option<StrId>,
}

/// Makes the grants: account permissions, then credential scopes.
pub(super) fn resolve_grants(
    model: &mut Model,
    catalog: &Catalog,
    conn_system: &[Option<StrId>],
    accounts: &AccountFacts,
    access: &Access,
) {
    let mut cx = Rows {
        catalog,
        access,
        rows: Vec::new(),
        closest: HashMap::new(),
    };
    for a in 0..model.first_duplicate_account as u32 {
        cx.account_rows(model, accounts, a);
    }
    for c in 0..model.len(Kind::Connection) as u32 {
        cx.scope_rows(model, conn_system, c);
    }
    let rows = std::mem::take(&mut cx.rows);
    push_grants(model, catalog, rows);
}

struct Rows<'a> {
    catalog: &'a Catalog,
    access: &'a Access,
    rows: Vec<Row>,
    /// Suggestions by (system, unknown name): names repeat from account to account.
    closest: HashMap<(usize, StrId), Option<String>>,
}

impl Rows<'_> {
    /// The grants of an account's `permissions`.
    fn account_rows(&mut self, model: &mut Model, accounts: &AccountFacts, a: u32) {
        let rec = model.record(Kind::Account, a);
        let Some(items) = rec.list(A::PERMISSIONS) else {
            return;
        };
        let items = items.to_vec();
        let (file, doc, key) = (rec.file(), rec.head.doc, rec.slot(A::KEY).loc);
        let uses = match rec.val(A::USES) {
            MVal::Refs(r) => Some(r),
            _ => None,
        };
        let sys = system_of(self.catalog, model, accounts.system[a as usize]).map(|(i, _)| i);
        let acc = &self.access.accounts[a as usize];
        // Scope-layer names here count for the scope layer of each scoped credential using it.
        let scope_holders: Vec<Holder> = accounts
            .uses
            .get(a)
            .iter()
            .map(|&c| &self.access.conns[c as usize])
            .filter(|ca| ca.checkable && ca.scoped != Some(false))
            .map(|ca| Holder {
                held: &ca.scope,
                needed: ca.needed,
                needed_all: ca.needed_all,
            })
            .collect();
        let perm_holders: Vec<Holder> = if acc.checked {
            vec![Holder {
                held: &acc.permission,
                needed: acc.needed,
                needed_all: acc.needed_all,
            }]
        } else {
            vec![]
        };
        let rows = self.list_rows(model, sys, &items, [&perm_holders, &scope_holders]);
        for mut row in rows {
            row.file = file;
            row.doc = doc;
            row.account = Some(a);
            row.account_key = key;
            row.uses = uses;
            self.rows.push(row);
        }
    }

    /// The grants of a connection's credential `scopes` (none when its type carries none).
    fn scope_rows(&mut self, model: &mut Model, conn_system: &[Option<StrId>], c: u32) {
        let ca = &self.access.conns[c as usize];
        if ca.scoped == Some(false) {
            return;
        }
        let conn = model.record(Kind::Connection, c);
        let Some(k) = conn.reference(C::CREDENTIAL) else {
            return;
        };
        let account = conn.reference(C::ACCOUNT);
        let cred = model.record(Kind::Credential, k);
        let Some(items) = cred.list(K::SCOPES) else {
            return;
        };
        let items = items.to_vec();
        let (file, doc) = (cred.file(), cred.head.doc);
        let sys = system_of(self.catalog, model, conn_system[c as usize]).map(|(i, _)| i);
        let scope_holders: Vec<Holder> = if ca.checkable {
            vec![Holder {
                held: &ca.scope,
                needed: ca.needed,
                needed_all: ca.needed_all,
            }]
        } else {
            vec![]
        };
        let perm_holders: Vec<Holder> = match account.map(|a| &self.access.accounts[a as usize]) {
            Some(acc) if ca.checkable && acc.checked => {
                vec![Holder {
                    held: &acc.permission,
                    needed: acc.needed,
                    needed_all: acc.needed_all,
                }]
            }
            _ => vec![],
        };
        let rows = self.list_rows(model, sys, &items, [&perm_holders, &scope_holders]);
        for mut row in rows {
            row.file = file;
            row.doc = doc;
            row.scopes = true;
            row.account = account;
            row.connection = Some(c);
            self.rows.push(row);
        }
    }

    /// The rows of one list: each item's grant, standing, the item of the list implying it and,
    /// for an unknown name, the closest known one.
    fn list_rows(
        &mut self,
        model: &mut Model,
        sys: Option<usize>,
        items: &[Slot],
        holders: [&Vec<Holder>; 2],
    ) -> Vec<Row> {
        let system = sys.map(|i| &*self.catalog.systems[i]);
        let grants: Vec<Option<u32>> = items
            .iter()
            .map(|item| match (item.val(), system) {
                (MVal::Str(id), Some(s)) => s.grant(model.str_of(id)),
                _ => None,
            })
            .collect();
        let implied = implied_by(system, &grants);
        let mut rows = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            // An item that breaks the schema is hidden from every rule.
            if !matches!(item.val(), MVal::Str(_)) {
                continue;
            }
            let mut standing = Standing::default();
            let mut closest = None;
            match (system, grants[i], item.val()) {
                (Some(s), Some(g), _) => {
                    let layer = s.grants[g as usize].layer as usize;
                    standing = self::standing(s, g, holders[layer]);
                }
                (Some(s), None, MVal::Str(id)) => {
                    let key = (sys.unwrap_or(0), id);
                    let word = model.str_of(id).to_string();
                    let hint = self.closest.entry(key).or_insert_with(|| {
                        crate::suggest::closest_within(
                            &word,
                            s.grants.iter().map(|g| g.name.as_str()),
                            2,
                        )
                        .map(str::to_string)
                    });
                    closest = hint.clone().map(|h| model.store.intern(&h));
                }
                _ => {}
            }
            let implied_by = implied[i].map(|j| match items[j].val() {
                MVal::Str(id) => id,
                _ => unreachable!("only string items have a grant"),
            });
            let implied_by_grant = implied[i].and_then(|j| grants[j]);
            rows.push(Row {
                name: *item,
                file: 0,
                doc: 0,
                scopes: false,
                account: None,
                account_key: Span32::NONE,
                connection: None,
                uses: None,
                system: sys,
                index: i as u32,
                grant: grants[i],
                standing,
                implied_by,
                implied_by_grant,
                closest,
            });
        }
        rows
    }
}

/// For each item, another item of the list (the first) whose grant implies its grant.
fn implied_by(system: Option<&System>, grants: &[Option<u32>]) -> Vec<Option<usize>> {
    let mut out = vec![None; grants.len()];
    let Some(sys) = system else { return out };
    // (implied grant, item implying it), sorted: linear in the closures' total size.
    let mut implied: Vec<(u32, usize)> = grants
        .iter()
        .enumerate()
        .filter_map(|(i, g)| g.map(|g| (i, g)))
        .flat_map(|(i, g)| sys.grants[g as usize].closure.iter().map(move |&x| (x, i)))
        .collect();
    implied.sort_unstable();
    for (i, g) in grants.iter().enumerate() {
        let Some(g) = g else { continue };
        let start = implied.partition_point(|&(x, _)| x < *g);
        out[i] = implied[start..]
            .iter()
            .take_while(|&&(x, _)| x == *g)
            .map(|&(_, j)| j)
            .find(|&j| j != i && grants[j] != Some(*g));
    }
    out
}

/// Adds the grant records, in row order.
fn push_grants(model: &mut Model, catalog: &Catalog, rows: Vec<Row>) {
    let scopes_id = model.store.intern("scopes");
    let permissions_id = model.store.intern("permissions");
    let layer_ids = Layer::ALL.map(|l| model.store.intern(l.name()));
    let tier_ids = [Tier::Admin, Tier::Destructive, Tier::Broad, Tier::Narrow]
        .map(|t| model.store.intern(t.name()));
    let cap_ids: Vec<StrId> = CAPABILITIES.iter().map(|c| model.store.intern(c)).collect();
    let mut cap_lists: HashMap<u16, crate::model::ListId> = HashMap::new();
    for row in rows {
        let s = &mut model.store;
        let uses = match (row.uses, row.connection) {
            (Some(r), _) => r,
            (None, Some(c)) => s.push_refs(&[c]),
            (None, None) => s.push_refs(&[]),
        };
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
        let source = if row.scopes {
            scopes_id
        } else {
            permissions_id
        };
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
        s.set_val(
            Kind::Grant,
            g,
            G::SYSTEM_INFO,
            row.system.map_or(MVal::Null, |i| MVal::Ref(i as u32)),
        );
        s.set_val(Kind::Grant, g, G::INDEX, MVal::Int(row.index as i32));
        let Some(si) = row.system else { continue };
        let sys = &catalog.systems[si];
        s.set_val(Kind::Grant, g, G::KNOWN, MVal::Bool(row.grant.is_some()));
        s.set_val(
            Kind::Grant,
            g,
            G::CLOSEST,
            row.closest.map_or(MVal::Null, MVal::Str),
        );
        let Some(gi) = row.grant else { continue };
        let grant = &sys.grants[gi as usize];
        let st = &row.standing;
        let in_list = if row.scopes {
            Layer::Scope
        } else {
            Layer::Permission
        };
        s.set_val(
            Kind::Grant,
            g,
            G::ADMIN,
            MVal::Bool(grant.tier == Tier::Admin),
        );
        s.set_val(
            Kind::Grant,
            g,
            G::LAYER,
            MVal::Str(layer_ids[grant.layer as usize]),
        );
        s.set_val(
            Kind::Grant,
            g,
            G::TIER,
            MVal::Str(tier_ids[grant.tier as usize]),
        );
        s.set_val(
            Kind::Grant,
            g,
            G::MISPLACED,
            MVal::Bool(grant.layer != in_list),
        );
        s.set_val(Kind::Grant, g, G::CHECKED, MVal::Bool(st.checked));
        s.set_val(Kind::Grant, g, G::USED, MVal::Bool(st.used));
        s.set_val(Kind::Grant, g, G::USED_KNOWN, MVal::Bool(st.used_known));
        let sat = *cap_lists.entry(st.satisfies).or_insert_with(|| {
            let slots: Vec<Slot> = (0..CAPABILITIES.len())
                .filter(|c| st.satisfies & (1 << c) != 0)
                .map(|c| Slot::value(MVal::Str(cap_ids[c])))
                .collect();
            s.push_list(slots)
        });
        s.set_val(Kind::Grant, g, G::SATISFIES, MVal::List(sat));
        let broad = grant.tier == Tier::Broad;
        s.set_val(
            Kind::Grant,
            g,
            G::REPLACEABLE,
            if broad {
                MVal::Bool(st.replaceable)
            } else {
                MVal::Null
            },
        );
        let narrower: Vec<Slot> = grant
            .narrower
            .iter()
            .map(|&n| Slot::value(MVal::Str(s.intern(&sys.grants[n as usize].name))))
            .collect();
        let narrower = s.push_list(narrower);
        s.set_val(Kind::Grant, g, G::NARROWER, MVal::List(narrower));
        let advice = grant
            .advice
            .as_ref()
            .map_or(MVal::Null, |a| MVal::Str(s.intern(a)));
        s.set_val(Kind::Grant, g, G::ADVICE, advice);
        s.set_val(
            Kind::Grant,
            g,
            G::IMPLIED_BY,
            row.implied_by.map_or(MVal::Null, MVal::Str),
        );
        let by_tier = row.implied_by_grant.map_or(MVal::Null, |b| {
            MVal::Str(tier_ids[sys.grants[b as usize].tier as usize])
        });
        s.set_val(Kind::Grant, g, G::IMPLIED_BY_TIER, by_tier);
    }
}
