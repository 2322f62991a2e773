//! Cross-file resolution: merges the per-file fragments in path order, then derives what needs
//! every file at once: accounts by id (first declaration wins), their uses, capabilities and
//! needs from flows and the catalog, granted permissions, duplicate names.

use std::collections::HashMap;

use super::build::Fragment;
use super::fields::{self, fields_of, Kind, Ty, ALL_KINDS, KIND_COUNT};
use super::{FileInfo, Loc, MVal, Model, Record, Slot};
use crate::catalog::Catalog;

/// The per-file output of the parallel phase, ready to merge.
pub struct FileModel {
    pub info: FileInfo,
    pub fragment: Fragment,
    /// Match records with (rule, pattern).
    pub matches: Vec<(usize, usize, Record)>,
}

const CAPABILITY_ORDER: [&str; 9] = [
    "read",
    "create",
    "update",
    "comments",
    "attachments",
    "status",
    "assignee",
    "worklogs",
    "links",
];

fn remap_slot(slot: &mut Slot, ty: Ty, offsets: &[u32; KIND_COUNT], accounts: &[Option<u32>]) {
    let map = |k: Kind, r: u32| -> MVal {
        if k == Kind::Account {
            accounts
                .get(r as usize)
                .copied()
                .flatten()
                .map_or(MVal::Null, MVal::Ref)
        } else {
            MVal::Ref(r + offsets[k as usize])
        }
    };
    match (&mut slot.val, ty) {
        (MVal::Ref(r), Ty::Ref(k)) => slot.val = map(k, *r),
        (MVal::List(items), Ty::ListRef(k)) => {
            for item in items.iter_mut() {
                if let MVal::Ref(r) = item.val {
                    item.val = map(k, r);
                }
            }
        }
        _ => {}
    }
}

/// Merges file models (already in path order; file ids are their positions) and resolves.
pub fn assemble(files: Vec<FileModel>, catalog: &Catalog) -> Model {
    let mut model = Model::default();
    for sys in &catalog.systems {
        use fields::system as S;
        let mut rec = Record::new(Kind::System, u32::MAX, None, format!("system:{}", sys.id));
        rec.set(
            S::ID,
            Slot::new(MVal::Str(sys.id.as_str().into()), None, None),
        );
        rec.set(
            S::NAME,
            Slot::new(MVal::Str(sys.name.as_str().into()), None, None),
        );
        rec.set(
            S::URL_HINTS,
            Slot::new(
                MVal::List(
                    sys.url_hints
                        .iter()
                        .map(|h| Slot::new(MVal::Str(h.as_str().into()), None, None))
                        .collect(),
                ),
                None,
                None,
            ),
        );
        rec.set(
            S::PASSWORD_TOKEN_ALTERNATIVE,
            Slot::new(
                sys.password_token_alternative
                    .map_or(MVal::Null, MVal::Bool),
                None,
                None,
            ),
        );
        model.tables[Kind::System as usize].push(rec);
    }

    let mut account_ids: HashMap<Box<str>, u32> = HashMap::new();
    let mut duplicates: Vec<Record> = Vec::new();
    for fm in files {
        model.files.push(fm.info);
        let mut frag = fm.fragment;
        let mut offsets = [0u32; KIND_COUNT];
        for k in ALL_KINDS {
            offsets[k as usize] = model.tables[k as usize].len() as u32;
        }
        // Accounts: first declaration of an id wins; later ones are set aside.
        let mut account_map: Vec<Option<u32>> = Vec::new();
        let accounts = std::mem::take(&mut frag.tables[Kind::Account as usize]);
        for rec in accounts {
            let inline = matches!(rec.slots[fields::account::INLINE].val, MVal::Bool(true));
            let id = rec.str(fields::account::ID).map(Box::<str>::from);
            let table = &mut model.tables[Kind::Account as usize];
            if inline {
                account_map.push(Some(table.len() as u32));
                table.push(rec);
            } else if let Some(id) = id {
                match account_ids.entry(id) {
                    std::collections::hash_map::Entry::Occupied(_) => {
                        account_map.push(None);
                        duplicates.push(rec);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(table.len() as u32);
                        account_map.push(Some(table.len() as u32));
                        table.push(rec);
                    }
                }
            } else {
                account_map.push(None);
            }
        }
        let remap_record = |rec: &mut Record, kind: Kind| {
            for (i, def) in fields_of(kind).iter().enumerate() {
                remap_slot(&mut rec.slots[i], def.ty, &offsets, &account_map);
            }
        };
        // Re-map the accounts just added (their references are file-local too).
        let added =
            model.tables[Kind::Account as usize].len() - account_map.iter().flatten().count();
        for rec in &mut model.tables[Kind::Account as usize][added..] {
            remap_record(rec, Kind::Account);
        }
        for k in ALL_KINDS {
            if k == Kind::Account {
                continue;
            }
            for mut rec in std::mem::take(&mut frag.tables[k as usize]) {
                remap_record(&mut rec, k);
                model.tables[k as usize].push(rec);
            }
        }
        for (rule, pattern, mut rec) in fm.matches {
            remap_record(&mut rec, Kind::Match);
            model.tables[Kind::Match as usize].push(rec);
            model.match_rules.push((rule, pattern));
        }
    }
    model.first_duplicate_account = model.tables[Kind::Account as usize].len();
    model.tables[Kind::Account as usize].extend(duplicates);

    resolve(&mut model, catalog, &account_ids);
    model
}

fn str_of(rec: &Record, f: usize) -> Option<Box<str>> {
    rec.str(f).map(Into::into)
}

fn is_invalid(rec: &Record, f: usize) -> bool {
    matches!(rec.slots[f].val, MVal::Invalid)
}

fn list_strs(rec: &Record, f: usize) -> Option<Vec<(String, Option<Loc>, usize)>> {
    match &rec.slots[f].val {
        MVal::List(items) => Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, s)| match &s.val {
                    MVal::Str(x) => Some((x.to_string(), s.loc, i)),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

fn refs(list: &[u32], loc_of: impl Fn(u32) -> Option<Loc>) -> MVal {
    MVal::List(
        list.iter()
            .map(|&r| Slot::new(MVal::Ref(r), loc_of(r), None))
            .collect(),
    )
}

fn resolve(model: &mut Model, catalog: &Catalog, account_ids: &HashMap<Box<str>, u32>) {
    use fields::{account as A, connection as C, credential as K, flow as F, integration as I};
    let sys_index = |id: &str| catalog.get(id).map(|(i, _)| i as u32);

    // Integrations: duplicate names.
    let mut names: HashMap<Box<str>, u32> = HashMap::new();
    for (i, rec) in model.tables[Kind::Integration as usize]
        .iter_mut()
        .enumerate()
    {
        if let Some(name) = str_of(rec, I::NAME) {
            match names.get(&name) {
                Some(&first) => rec.slots[I::DUPLICATE_OF].val = MVal::Ref(first),
                None => {
                    names.insert(name, i as u32);
                }
            }
        }
    }

    // Connections: system, account resolution.
    let n_conn = model.tables[Kind::Connection as usize].len();
    for c in 0..n_conn {
        let (integration, account_ref, system) = {
            let rec = &model.tables[Kind::Connection as usize][c];
            (
                rec.reference(C::INTEGRATION),
                str_of(rec, C::ACCOUNT_REF),
                str_of(rec, C::SYSTEM),
            )
        };
        let system_info = match &system {
            Some(s) => sys_index(s).map_or(MVal::Null, MVal::Ref),
            None if is_invalid(&model.tables[Kind::Connection as usize][c], C::SYSTEM) => {
                MVal::Invalid
            }
            None => MVal::Null,
        };
        let rec = &mut model.tables[Kind::Connection as usize][c];
        rec.slots[C::SYSTEM_INFO] = Slot::new(system_info, None, None);
        if let Some(id) = account_ref {
            rec.slots[C::ACCOUNT].val = account_ids.get(&id).map_or(MVal::Null, |&a| MVal::Ref(a));
        }
        // Inline accounts are named `integration/connection`.
        if let (Some(MVal::Ref(a)), Some(i)) =
            (Some(rec.slots[C::ACCOUNT].val.clone()), integration)
        {
            let conn_id = str_of(rec, C::ID).unwrap_or_default();
            let acc = &model.tables[Kind::Account as usize][a as usize];
            if matches!(acc.slots[A::INLINE].val, MVal::Bool(true)) {
                let iname = model.tables[Kind::Integration as usize][i as usize]
                    .str(I::NAME)
                    .unwrap_or("?")
                    .to_string();
                let acc = &mut model.tables[Kind::Account as usize][a as usize];
                let id: Box<str> = format!("{iname}/{conn_id}").into();
                acc.slots[A::ID].val = MVal::Str(id.clone());
                acc.slots[A::KEY].val = MVal::Str(id);
            }
        }
    }

    // Account uses (connections are in path, then line order already).
    let n_acc = model.tables[Kind::Account as usize].len();
    let mut uses: Vec<Vec<u32>> = vec![Vec::new(); n_acc];
    for (c, rec) in model.tables[Kind::Connection as usize].iter().enumerate() {
        if let Some(a) = rec.reference(C::ACCOUNT) {
            uses[a as usize].push(c as u32);
        }
    }
    let conn_locs: Vec<Option<Loc>> = model.tables[Kind::Connection as usize]
        .iter()
        .map(|r| r.loc)
        .collect();
    let conn_system: Vec<Option<Box<str>>> = model.tables[Kind::Connection as usize]
        .iter()
        .map(|r| str_of(r, C::SYSTEM))
        .collect();
    for (a, rec) in model.tables[Kind::Account as usize].iter_mut().enumerate() {
        let u = &uses[a];
        rec.slots[A::USES] = Slot::new(refs(u, |c| conn_locs[c as usize]), None, None);
        rec.slots[A::FIRST_USE] =
            Slot::new(u.first().map_or(MVal::Null, |&c| MVal::Ref(c)), None, None);
        let inline = matches!(rec.slots[A::INLINE].val, MVal::Bool(true));
        let effective = match (&rec.slots[A::SYSTEM].val, inline) {
            (MVal::Str(s), _) => MVal::Str(s.clone()),
            (MVal::Invalid, _) => MVal::Invalid,
            (_, true) => u
                .first()
                .and_then(|&c| conn_system[c as usize].clone())
                .map_or(MVal::Null, MVal::Str),
            _ => MVal::Null,
        };
        let info = match &effective {
            MVal::Str(s) => sys_index(s).map_or(MVal::Null, MVal::Ref),
            MVal::Invalid => MVal::Invalid,
            _ => MVal::Null,
        };
        rec.slots[A::EFFECTIVE_SYSTEM] = Slot::new(effective, rec.slots[A::SYSTEM].loc, None);
        rec.slots[A::SYSTEM_INFO] = Slot::new(info, None, None);
    }

    // Flows per connection, capabilities.
    let mut flows_of: Vec<Vec<u32>> = vec![Vec::new(); n_conn];
    let mut caps: Vec<Vec<(&'static str, Vec<u32>)>> = vec![Vec::new(); n_conn];
    for (f, rec) in model.tables[Kind::Flow as usize].iter().enumerate() {
        let from = rec.reference(F::FROM_CONNECTION);
        let to = rec.reference(F::TO_CONNECTION);
        for c in [from, to].into_iter().flatten() {
            if !flows_of[c as usize].contains(&(f as u32)) {
                flows_of[c as usize].push(f as u32);
            }
        }
        let sync = list_strs(rec, F::SYNC);
        if sync.is_none() {
            continue;
        }
        let add = |caps: &mut Vec<(&'static str, Vec<u32>)>, cap: &'static str| match caps
            .iter_mut()
            .find(|(c, _)| *c == cap)
        {
            Some((_, fl)) => {
                if !fl.contains(&(f as u32)) {
                    fl.push(f as u32)
                }
            }
            None => caps.push((cap, vec![f as u32])),
        };
        if let Some(c) = from {
            add(&mut caps[c as usize], "read");
        }
        if let Some(c) = to {
            for (item, _, _) in sync.unwrap_or_default() {
                if let Some(cap) = CAPABILITY_ORDER.iter().find(|x| **x == item) {
                    add(&mut caps[c as usize], cap);
                }
            }
        }
    }
    for list in &mut caps {
        list.sort_by_key(|(c, _)| CAPABILITY_ORDER.iter().position(|x| x == c));
    }
    let flow_locs: Vec<Option<Loc>> = model.tables[Kind::Flow as usize]
        .iter()
        .map(|r| r.loc)
        .collect();

    // Needs.
    let mut needs_of: Vec<Vec<u32>> = vec![Vec::new(); n_conn];
    let mut checkable = vec![false; n_conn];
    let mut granted_sets: Vec<Vec<String>> = vec![Vec::new(); n_conn];
    let mut need_records = Vec::new();
    for c in 0..n_conn {
        let conn = &model.tables[Kind::Connection as usize][c];
        let account = conn.reference(C::ACCOUNT);
        let cred = conn.reference(C::CREDENTIAL);
        let scopes = cred.and_then(|k| {
            list_strs(
                &model.tables[Kind::Credential as usize][k as usize],
                K::SCOPES,
            )
        });
        let perms = account.and_then(|a| {
            list_strs(
                &model.tables[Kind::Account as usize][a as usize],
                A::PERMISSIONS,
            )
        });
        let scopes_invalid = cred.is_some_and(|k| {
            is_invalid(
                &model.tables[Kind::Credential as usize][k as usize],
                K::SCOPES,
            )
        });
        let perms_invalid = account.is_some_and(|a| {
            is_invalid(
                &model.tables[Kind::Account as usize][a as usize],
                A::PERMISSIONS,
            )
        });
        let declared = if perms.is_some() || scopes.is_some() {
            MVal::Bool(true)
        } else if perms_invalid || scopes_invalid {
            MVal::Invalid
        } else {
            MVal::Bool(false)
        };
        let mut granted: Vec<String> = Vec::new();
        for (p, _, _) in perms.iter().flatten().chain(scopes.iter().flatten()) {
            granted.push(p.clone());
        }
        let conn_sys = conn_system[c].as_deref().and_then(|s| catalog.get(s));
        let acc_sys = account.and_then(|a| {
            model.tables[Kind::Account as usize][a as usize]
                .str(A::EFFECTIVE_SYSTEM)
                .map(str::to_string)
        });
        let is_checkable = match (conn_sys, &acc_sys) {
            (Some((_, cs)), Some(asys)) => catalog.get(asys).is_some() && cs.id == *asys,
            _ => false,
        };
        checkable[c] = is_checkable;
        if let Some((_, sys)) = conn_sys {
            for (cap, fl) in &caps[c] {
                let Some(alts) = sys.capabilities.get(*cap) else {
                    continue;
                };
                use fields::need as N;
                let ok = alts
                    .iter()
                    .any(|alt| alt.iter().all(|p| granted.contains(p)));
                let mut rec = Record::new(Kind::Need, conn.file, conn.loc, conn.route.to_string());
                rec.set(
                    N::CONNECTION,
                    Slot::new(MVal::Ref(c as u32), conn.loc, None),
                );
                rec.set(
                    N::ACCOUNT,
                    Slot::new(account.map_or(MVal::Null, MVal::Ref), None, None),
                );
                rec.set(
                    N::CAPABILITY,
                    Slot::new(MVal::Str((*cap).into()), None, None),
                );
                rec.set(
                    N::GRANTS,
                    Slot::new(
                        MVal::List(
                            alts.iter()
                                .map(|alt| Slot::new(MVal::Str(alt.join(" + ").into()), None, None))
                                .collect(),
                        ),
                        None,
                        None,
                    ),
                );
                rec.set(N::GRANTED, Slot::new(MVal::Bool(ok), None, None));
                rec.set(
                    N::FLOWS,
                    Slot::new(refs(fl, |f| flow_locs[f as usize]), None, None),
                );
                needs_of[c].push((need_records.len()) as u32);
                need_records.push(rec);
            }
        }
        granted_sets[c] = granted;
        let conn = &mut model.tables[Kind::Connection as usize][c];
        conn.slots[C::GRANTS_DECLARED] = Slot::new(declared, None, None);
    }
    let need_grants: Vec<Vec<String>> = need_records
        .iter()
        .map(|r| {
            let mut names = Vec::new();
            if let MVal::List(items) = &r.slots[fields::need::GRANTS].val {
                for i in items.iter() {
                    if let MVal::Str(s) = &i.val {
                        names.extend(s.split(" + ").map(str::to_string));
                    }
                }
            }
            names
        })
        .collect();
    model.tables[Kind::Need as usize] = need_records;

    for c in 0..n_conn {
        let conn = &mut model.tables[Kind::Connection as usize][c];
        conn.slots[C::FLOWS] = Slot::new(refs(&flows_of[c], |f| flow_locs[f as usize]), None, None);
        conn.slots[C::CAPABILITIES] = Slot::new(
            MVal::List(
                caps[c]
                    .iter()
                    .map(|(cap, _)| Slot::new(MVal::Str((*cap).into()), None, None))
                    .collect(),
            ),
            None,
            None,
        );
        conn.slots[C::NEEDS] = Slot::new(
            MVal::List(
                needs_of[c]
                    .iter()
                    .map(|&n| Slot::new(MVal::Ref(n), None, None))
                    .collect(),
            ),
            None,
            None,
        );
        conn.slots[C::CHECKABLE] = Slot::new(MVal::Bool(checkable[c]), None, None);
    }

    // Credentials: catalog facts.
    for rec in model.tables[Kind::Credential as usize].iter_mut() {
        let Some(conn) = rec.reference(K::CONNECTION) else {
            continue;
        };
        let sys = conn_system[conn as usize]
            .as_deref()
            .and_then(|s| catalog.get(s));
        let sys_invalid = conn_system[conn as usize].is_none();
        let ty = str_of(rec, K::TYPE);
        let (cap, info) = match (sys, &ty) {
            (Some((i, s)), Some(t)) => (
                s.lifetime_cap(t).map_or(MVal::Null, MVal::Int),
                MVal::Ref(i as u32),
            ),
            (Some((i, _)), None) if is_invalid(rec, K::TYPE) => {
                (MVal::Invalid, MVal::Ref(i as u32))
            }
            (Some((i, _)), None) => (MVal::Null, MVal::Ref(i as u32)),
            (None, _) if sys_invalid => (MVal::Invalid, MVal::Invalid),
            (None, _) => (MVal::Null, MVal::Null),
        };
        let can = match &cap {
            MVal::Int(_) => MVal::Bool(true),
            MVal::Invalid => MVal::Invalid,
            _ => MVal::Bool(false),
        };
        rec.slots[K::LIFETIME_CAP] = Slot::new(cap, None, None);
        rec.slots[K::CAN_EXPIRE] = Slot::new(can, None, None);
        rec.slots[K::SYSTEM_INFO] = Slot::new(info, None, None);
    }

    // Grants: account permissions, then credential scopes.
    let needed_by = |uses: &[u32], name: &str| -> (Vec<u32>, bool) {
        let mut by = Vec::new();
        let mut known = true;
        for &u in uses {
            if !checkable[u as usize] {
                continue;
            }
            let n_listed = needs_of[u as usize].len();
            if n_listed != caps[u as usize].len() {
                known = false;
            }
            for &n in &needs_of[u as usize] {
                if need_grants[n as usize].iter().any(|g| g == name) {
                    by.push(n);
                }
            }
        }
        (by, known)
    };
    let mut grants = Vec::new();
    use fields::grant as G;
    for (a, rec) in model.tables[Kind::Account as usize][..model.first_duplicate_account]
        .iter()
        .enumerate()
    {
        let Some(perms) = list_strs(rec, A::PERMISSIONS) else {
            continue;
        };
        let sys = rec.str(A::EFFECTIVE_SYSTEM).and_then(|s| catalog.get(s));
        for (name, loc, i) in perms {
            let (by, known) = needed_by(&uses[a], &name);
            let mut g = Record::new(
                Kind::Grant,
                rec.file,
                loc,
                format!("{}/permissions/{i}", rec.route),
            );
            g.set(
                G::NAME,
                Slot::new(MVal::Str(name.as_str().into()), loc, None),
            );
            g.set(
                G::SOURCE,
                Slot::new(MVal::Str("permissions".into()), None, None),
            );
            g.set(
                G::ACCOUNT,
                Slot::new(MVal::Ref(a as u32), rec.slots[A::KEY].loc, None),
            );
            g.set(G::CONNECTION, Slot::new(MVal::Null, None, None));
            g.set(
                G::USES,
                Slot::new(refs(&uses[a], |c| conn_locs[c as usize]), None, None),
            );
            g.set(
                G::ADMIN,
                Slot::new(
                    sys.map_or(MVal::Null, |(_, s)| MVal::Bool(s.is_admin(&name))),
                    None,
                    None,
                ),
            );
            g.set(G::NEEDED_BY, Slot::new(refs(&by, |_| None), None, None));
            g.set(G::NEEDS_KNOWN, Slot::new(MVal::Bool(known), None, None));
            g.set(
                G::SYSTEM_INFO,
                Slot::new(
                    sys.map_or(MVal::Null, |(i, _)| MVal::Ref(i as u32)),
                    None,
                    None,
                ),
            );
            grants.push(g);
        }
    }
    for (c, conn) in model.tables[Kind::Connection as usize].iter().enumerate() {
        let Some(k) = conn.reference(C::CREDENTIAL) else {
            continue;
        };
        let cred = &model.tables[Kind::Credential as usize][k as usize];
        let Some(scopes) = list_strs(cred, K::SCOPES) else {
            continue;
        };
        let sys = conn_system[c].as_deref().and_then(|s| catalog.get(s));
        for (name, loc, i) in scopes {
            let (by, known) = needed_by(&[c as u32], &name);
            let mut g = Record::new(
                Kind::Grant,
                cred.file,
                loc,
                format!("{}/scopes/{i}", cred.route),
            );
            g.set(
                G::NAME,
                Slot::new(MVal::Str(name.as_str().into()), loc, None),
            );
            g.set(G::SOURCE, Slot::new(MVal::Str("scopes".into()), None, None));
            g.set(
                G::ACCOUNT,
                Slot::new(
                    conn.reference(C::ACCOUNT).map_or(MVal::Null, MVal::Ref),
                    None,
                    None,
                ),
            );
            g.set(
                G::CONNECTION,
                Slot::new(MVal::Ref(c as u32), conn.loc, None),
            );
            g.set(
                G::USES,
                Slot::new(refs(&[c as u32], |c| conn_locs[c as usize]), None, None),
            );
            g.set(
                G::ADMIN,
                Slot::new(
                    sys.map_or(MVal::Null, |(_, s)| MVal::Bool(s.is_admin(&name))),
                    None,
                    None,
                ),
            );
            g.set(G::NEEDED_BY, Slot::new(refs(&by, |_| None), None, None));
            g.set(G::NEEDS_KNOWN, Slot::new(MVal::Bool(known), None, None));
            g.set(
                G::SYSTEM_INFO,
                Slot::new(
                    sys.map_or(MVal::Null, |(i, _)| MVal::Ref(i as u32)),
                    None,
                    None,
                ),
            );
            grants.push(g);
        }
    }
    model.tables[Kind::Grant as usize] = grants;
}
