//! Accounts by id: each connection's account (the first declaration of its id), the names of
//! inline accounts, each account's uses and effective system.

use std::collections::HashMap;

use super::groups::Groups;
use crate::catalog::Catalog;
use crate::model::fields::{account as A, connection as C, integration as I, Kind};
use crate::model::{MVal, Model, Slot, StrId};

/// What [`connection_facts`] reads off the connections.
pub(super) struct ConnectionFacts {
    /// Each connection's system, by string id, not a copy: the catalog is asked through
    /// `system_of`.
    pub system: Vec<Option<StrId>>,
    /// Each connection's account by id, when it names one.
    pub accounts: Vec<(u32, Option<MVal>)>,
    /// Inline accounts and the names they take from their connection.
    pub inline_names: Vec<(u32, String)>,
}

/// Connections: system, account resolution; inline accounts are named after their connection.
/// Reads only.
pub(super) fn connection_facts(
    model: &Model,
    account_ids: &HashMap<String, u32>,
) -> ConnectionFacts {
    let n_conn = model.len(Kind::Connection);
    let mut conn_system: Vec<Option<StrId>> = Vec::with_capacity(n_conn);
    let mut conn_updates = Vec::with_capacity(n_conn);
    let mut inline_names = Vec::new();
    for rec in model.records(Kind::Connection) {
        let system = match rec.val(C::SYSTEM) {
            MVal::Str(id) => Some(id),
            _ => None,
        };
        let account = rec
            .str(C::ACCOUNT_REF)
            .map(|id| account_ids.get(id).map_or(MVal::Null, |&a| MVal::Ref(a)));
        if let (Some(a), Some(i)) = (rec.reference(C::ACCOUNT), rec.reference(C::INTEGRATION)) {
            let acc = model.record(Kind::Account, a);
            if acc.bool(A::INLINE) == Some(true) {
                let iname = model
                    .record(Kind::Integration, i)
                    .str(I::NAME)
                    .unwrap_or("?");
                inline_names.push((a, format!("{iname}/{}", rec.str(C::ID).unwrap_or("?"))));
            }
        }
        conn_updates.push((rec.idx, account));
        conn_system.push(system);
    }
    ConnectionFacts {
        system: conn_system,
        accounts: conn_updates,
        inline_names,
    }
}

/// Writes the connections' accounts and the inline accounts' names.
pub(super) fn write_accounts(
    model: &mut Model,
    conn_updates: Vec<(u32, Option<MVal>)>,
    inline_names: Vec<(u32, String)>,
) {
    for (c, account) in conn_updates {
        if let Some(a) = account {
            model.store.set_val(Kind::Connection, c, C::ACCOUNT, a);
        }
    }
    for (a, name) in inline_names {
        let id = model.store.intern(&name);
        model.store.set_val(Kind::Account, a, A::ID, MVal::Str(id));
        model.store.set_val(Kind::Account, a, A::KEY, MVal::Str(id));
    }
}

/// Each account's uses and effective system.
pub(super) struct AccountFacts {
    pub uses: Groups,
    /// The effective system, by string id.
    pub system: Vec<Option<StrId>>,
}

/// Sets each account's uses (connections are in path, then line order already) and effective
/// system: its own `system`, or its connection's when it is inline.
pub(super) fn account_uses(model: &mut Model, catalog: &Catalog) -> AccountFacts {
    let n_acc = model.len(Kind::Account);
    let uses = Groups::new(n_acc, || {
        model
            .records(Kind::Connection)
            .filter_map(|rec| Some((rec.reference(C::ACCOUNT)?, rec.idx)))
    });
    let mut acc_updates = Vec::with_capacity(n_acc);
    for rec in model.records(Kind::Account) {
        let u = uses.get(rec.idx);
        let inline = rec.bool(A::INLINE) == Some(true);
        // The account's own `system`, or its connection's: the same string, not a copy.
        let effective =
            match (rec.val(A::SYSTEM), inline) {
                (MVal::Str(s), _) => Some(Ok(s)),
                (MVal::Invalid, _) => Some(Err(())),
                (_, true) => u.first().and_then(|&c| {
                    match model.record(Kind::Connection, c).val(C::SYSTEM) {
                        MVal::Str(s) => Some(Ok(s)),
                        _ => None,
                    }
                }),
                _ => None,
            };
        acc_updates.push((rec.idx, effective));
    }
    let mut acc_system: Vec<Option<StrId>> = vec![None; n_acc];
    for (a, effective) in acc_updates {
        let (val, info) = match effective {
            Some(Ok(id)) => {
                let info = catalog
                    .get(model.str_of(id))
                    .map_or(MVal::Null, |(i, _)| MVal::Ref(i as u32));
                acc_system[a as usize] = Some(id);
                (MVal::Str(id), info)
            }
            Some(Err(())) => (MVal::Invalid, MVal::Invalid),
            None => (MVal::Null, MVal::Null),
        };
        let loc = model.store.slot(Kind::Account, a, A::SYSTEM).loc;
        let refs = model.store.push_refs(uses.get(a));
        let s = &mut model.store;
        s.set(Kind::Account, a, A::EFFECTIVE_SYSTEM, Slot::at(val, loc));
        s.set_val(Kind::Account, a, A::SYSTEM_INFO, info);
        s.set_val(Kind::Account, a, A::USES, MVal::Refs(refs));
        s.set_val(
            Kind::Account,
            a,
            A::FIRST_USE,
            uses.get(a).first().map_or(MVal::Null, |&c| MVal::Ref(c)),
        );
    }
    AccountFacts {
        uses,
        system: acc_system,
    }
}
