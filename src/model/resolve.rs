//! Cross-file resolution: merges the per-file stores in path order, then derives what needs
//! every file at once: accounts by id (first declaration wins), their uses, capabilities and
//! needs from flows and the catalog, granted permissions, duplicate names.

use std::collections::HashMap;

use super::fields::{self, fields_of, layout, Kind, Place, Ty, ALL_KINDS, KIND_COUNT};
use super::{FileInfo, Head, ListId, MVal, Model, RefsId, Slot, Span32, Store, StrDedup, StrId};
use crate::catalog::Catalog;
use crate::catalog::System;

/// The per-file output of the parallel phase, ready to merge.
pub struct FileModel {
    pub info: FileInfo,
    pub store: Store,
    /// For each record of the file's match table: (rule, pattern) and its route.
    pub matches: Vec<(usize, usize, String)>,
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

/// Files added before the arenas are sized for the whole run.
const SIZING_SAMPLE: usize = 512;

/// Offsets of one file's store in the run's store.
struct Offsets {
    tables: [u32; KIND_COUNT],
    /// The file's string offsets → run string ids (the run stores each string once).
    strings: Vec<u32>,
    lists: u32,
    refs: u32,
    /// File-local account → run account (`None`: a later declaration of an id).
    accounts: Vec<Option<u32>>,
}

impl Offsets {
    fn map(&self, kind: Kind, r: u32) -> MVal {
        if kind == Kind::System {
            // A file refers to a system by its catalog index, its record's in the run's store.
            return MVal::Ref(r);
        }
        if kind == Kind::Account {
            self.accounts
                .get(r as usize)
                .copied()
                .flatten()
                .map_or(MVal::Null, MVal::Ref)
        } else {
            MVal::Ref(r + self.tables[kind as usize])
        }
    }

    /// A value of the file's store as the run's store reads it; a reference run is rewritten
    /// in `refs` (the run's arena, the file's runs already appended).
    fn value(&self, val: MVal, ty: Ty, refs: &mut [u32]) -> MVal {
        match (val, ty) {
            (MVal::Str(id), _) => MVal::Str(StrId(self.strings[id.0 as usize])),
            (MVal::List(r), _) => MVal::List(ListId(r.0 + self.lists)),
            (MVal::Refs(r), Ty::ListRef(k)) => {
                let r = RefsId(r.0 + self.refs);
                for x in Store::run_mut(refs, r) {
                    *x = match self.map(k, *x) {
                        MVal::Ref(v) => v,
                        _ => u32::MAX,
                    };
                }
                MVal::Refs(r)
            }
            (MVal::Ref(r), Ty::Ref(k)) => self.map(k, r),
            (val, _) => val,
        }
    }

    /// Rewrites one record's fields, in place, for the run's store.
    fn record(&self, kind: Kind, row: Row, refs: &mut [u32]) {
        let Row {
            slots,
            vals,
            details,
        } = row;
        for (def, place) in fields_of(kind).iter().zip(&layout(kind).place) {
            let slot = match *place {
                Place::Slot(p) => &mut slots[p],
                Place::Detail(p) => &mut details[p],
                Place::Val(p) => {
                    vals[p] = self.value(vals[p], def.ty, refs);
                    continue;
                }
            };
            let val = self.value(slot.val(), def.ty, refs);
            slot.set_val(val);
        }
    }
}

/// One record's fields, to rewrite.
struct Row<'a> {
    slots: &'a mut [Slot],
    vals: &'a mut [MVal],
    details: &'a mut [Slot],
}

/// Builds the model file by file: files are added in path order as soon as they are parsed
/// (so that a run never holds every file's records twice), then resolved once.
pub struct Assembler<'c> {
    model: Model,
    catalog: &'c Catalog,
    account_ids: HashMap<String, u32>,
    duplicates: Vec<(Head, Vec<Slot>, Vec<MVal>)>,
    strings: StrDedup,
    /// How many files will come (to size the arenas once, from the first files).
    expected: usize,
    /// How many have been added.
    added: usize,
}

impl<'c> Assembler<'c> {
    pub fn new(catalog: &'c Catalog) -> Assembler<'c> {
        let mut model = Model::default();
        add_systems(&mut model.store, catalog);
        Assembler {
            model,
            catalog,
            account_ids: HashMap::new(),
            duplicates: Vec::new(),
            strings: StrDedup::default(),
            expected: 0,
            added: 0,
        }
    }

    /// Tells how many files will be added.
    pub fn expect(&mut self, files: usize) {
        self.expected = files;
        self.model.files.reserve_exact(files);
    }

    /// Adds the next file (file ids are positions: files must come in order).
    pub fn add(&mut self, fm: FileModel) {
        merge(
            &mut self.model,
            fm,
            &mut self.account_ids,
            &mut self.duplicates,
            &mut self.strings,
        );
        self.added += 1;
        if self.added == SIZING_SAMPLE && self.expected > 2 * SIZING_SAMPLE {
            // Size the arenas once for every file to come, from the first ones, with a margin:
            // growing them step by step copied each one several times and held the old and the
            // new copy at once, the peak of a run. Capacity never written is never resident,
            // and `finish` gives back what was not used.
            let factor = self.expected as f64 / SIZING_SAMPLE as f64 * 1.25;
            self.model.store.reserve_scaled(factor);
        }
    }

    /// Tells that the run will settle each chunk ([`Assembler::settle`]): the strings only
    /// details read are then kept apart from the run's arena, and go with them.
    pub fn let_details_go(&mut self) {
        self.model.store.details_go = true;
    }

    /// Hands the model and the records merged since the last call (ranges by kind) to
    /// `evaluate` (the file-local checks), then lets go of those records' details.
    pub fn settle<T>(
        &mut self,
        evaluate: impl FnOnce(&Model, &[std::ops::Range<u32>; KIND_COUNT]) -> T,
    ) -> T {
        let tables = &self.model.store.tables;
        let merged = std::array::from_fn(|k| tables[k].details_from..tables[k].len() as u32);
        let out = evaluate(&self.model, &merged);
        self.model.store.release_details();
        out
    }

    /// Resolves everything that needs every file.
    pub fn finish(mut self) -> Model {
        let accounts = &mut self.model.store.tables[Kind::Account as usize];
        self.model.first_duplicate_account = accounts.heads.len();
        for (head, slots, vals) in self.duplicates {
            accounts.heads.push(head);
            accounts.slots.extend(slots);
            accounts.vals.extend(vals);
        }
        self.model.store.resolving = true;
        resolve(&mut self.model, self.catalog, &self.account_ids);
        self.model.store.resolving = false;
        self.model.store.shrink_to_fit();
        self.model
    }
}

/// Merges file models (in path order; file ids are their positions) and resolves.
pub fn assemble(files: Vec<FileModel>, catalog: &Catalog) -> Model {
    let mut assembler = Assembler::new(catalog);
    for fm in files {
        assembler.add(fm);
    }
    assembler.finish()
}

fn merge(
    model: &mut Model,
    fm: FileModel,
    account_ids: &mut HashMap<String, u32>,
    duplicates: &mut Vec<(Head, Vec<Slot>, Vec<MVal>)>,
    dedup: &mut StrDedup,
) {
    model.files.push(fm.info);
    let fs = fm.store;
    let store = &mut model.store;
    let mut off = Offsets {
        tables: [0; KIND_COUNT],
        strings: Vec::new(),
        lists: store.lists.len() as u32,
        refs: store.refs.len() as u32,
        accounts: Vec::new(),
    };
    for k in ALL_KINDS {
        off.tables[k as usize] = store.tables[k as usize].len() as u32;
    }
    store.reserve_for(&fs);
    store.merge_strings(&fs, dedup, &mut off.strings);
    store.refs.extend_from_slice(&fs.refs);
    // Slots keep their far keys' indices: they count from the file's first far key.
    store.append_far_keys(&fs);
    // Accounts: the first declaration of an id wins; later ones are set aside.
    let n_accounts = fs.len(Kind::Account);
    let mut next = off.tables[Kind::Account as usize];
    let mut keep = Vec::with_capacity(n_accounts);
    for i in 0..n_accounts as u32 {
        let inline = matches!(
            fs.slot(Kind::Account, i, fields::account::INLINE).val(),
            MVal::Bool(true)
        );
        let id = match fs.slot(Kind::Account, i, fields::account::ID).val() {
            MVal::Str(s) => Some(fs.str_of(s).to_string()),
            _ => None,
        };
        let global = match (inline, id) {
            (true, _) => Some(next),
            (false, Some(id)) => match account_ids.entry(id) {
                std::collections::hash_map::Entry::Occupied(_) => None,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(next);
                    Some(next)
                }
            },
            (false, None) => None,
        };
        if global.is_some() {
            next += 1;
        }
        keep.push(global.is_some());
        off.accounts.push(global);
    }
    // Lists hold strings only.
    for s in &fs.lists {
        let mut s = *s;
        if let MVal::Str(id) = s.val() {
            s.set_val(MVal::Str(StrId(off.strings[id.0 as usize])));
        }
        store.lists.push(s);
    }
    // Records are copied to the run's tables, then rewritten there.
    let Store { tables, refs, .. } = store;
    for k in ALL_KINDS {
        let lay = layout(k);
        let t = &fs.tables[k as usize];
        for (i, &head) in t.heads.iter().enumerate() {
            let slots = &t.slots[i * lay.located..(i + 1) * lay.located];
            let vals = &t.vals[i * lay.values..(i + 1) * lay.values];
            let details = &t.details[i * lay.details..(i + 1) * lay.details];
            if k == Kind::Account && !keep[i] {
                // Accounts have no details (`fields::tests`): a later declaration keeps none.
                let (mut slots, mut vals) = (slots.to_vec(), vals.to_vec());
                let row = Row {
                    slots: &mut slots,
                    vals: &mut vals,
                    details: &mut [],
                };
                off.record(k, row, refs);
                duplicates.push((head, slots, vals));
                continue;
            }
            let dst = &mut tables[k as usize];
            let (s, v, d) = (dst.slots.len(), dst.vals.len(), dst.details.len());
            dst.heads.push(head);
            dst.slots.extend_from_slice(slots);
            dst.vals.extend_from_slice(vals);
            dst.details.extend_from_slice(details);
            let row = Row {
                slots: &mut dst.slots[s..],
                vals: &mut dst.vals[v..],
                details: &mut dst.details[d..],
            };
            off.record(k, row, refs);
        }
    }
    for (rule, pattern, route) in fm.matches {
        model.match_rules.push((rule, pattern));
        let id = model.store.intern(&route);
        model.match_routes.push(id);
    }
}

fn add_systems(store: &mut Store, catalog: &Catalog) {
    use fields::system as S;
    for sys in &catalog.systems {
        let idx = store.push(
            Kind::System,
            Head {
                file: u32::MAX,
                loc: Span32::NONE,
                doc: 0,
            },
        );
        let id = store.intern(&sys.id);
        store.set_val(Kind::System, idx, S::ID, MVal::Str(id));
        let name = store.intern(&sys.name);
        store.set_val(Kind::System, idx, S::NAME, MVal::Str(name));
        let hints: Vec<Slot> = sys
            .url_hints
            .iter()
            .map(|h| Slot::value(MVal::Str(store.intern(h))))
            .collect();
        let hints = store.push_list(hints);
        store.set_val(Kind::System, idx, S::URL_HINTS, MVal::List(hints));
        store.set_val(
            Kind::System,
            idx,
            S::PASSWORD_TOKEN_ALTERNATIVE,
            sys.password_token_alternative
                .map_or(MVal::Null, MVal::Bool),
        );
    }
}

/// `f` over `0..n`, in order: in parallel when running on a rayon pool (a run over many
/// files), on the calling thread otherwise (a one-file run starts no pool).
fn map_range<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if rayon::current_thread_index().is_some() {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

/// `a` and `b`, side by side when running on a rayon pool, one after the other otherwise.
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    if rayon::current_thread_index().is_some() {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// Record indices grouped by record (one flat array and offsets): a `Vec<Vec<u32>>` paid a
/// header and an allocation for each connection or account.
struct Groups {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Groups {
    /// Groups the (group, item) pairs that `pairs` yields (called twice: to count, to fill);
    /// items keep their order within a group.
    fn new<I: Iterator<Item = (u32, u32)>>(groups: usize, pairs: impl Fn() -> I) -> Groups {
        let mut starts = vec![0u32; groups + 1];
        for (g, _) in pairs() {
            starts[g as usize + 1] += 1;
        }
        for i in 0..groups {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut items = vec![0u32; starts[groups] as usize];
        for (g, item) in pairs() {
            items[next[g as usize] as usize] = item;
            next[g as usize] += 1;
        }
        Groups { starts, items }
    }

    fn get(&self, group: u32) -> &[u32] {
        let g = group as usize;
        &self.items[self.starts[g] as usize..self.starts[g + 1] as usize]
    }
}

fn resolve(model: &mut Model, catalog: &Catalog, account_ids: &HashMap<String, u32>) {
    use fields::{account as A, connection as C, credential as K, flow as F, integration as I};
    let n_conn = model.len(Kind::Connection);
    let n_acc = model.len(Kind::Account);
    let primary = model.first_duplicate_account;
    let system_of = |model: &Model, id: Option<StrId>| -> Option<(usize, &System)> {
        id.and_then(|s| catalog.get(model.str_of(s)))
    };

    // Integrations: duplicate names.
    let duplicate_names = |model: &Model| {
        let mut names: HashMap<&str, u32> = HashMap::new();
        let mut dup_of = Vec::new();
        for rec in model.records(Kind::Integration) {
            if let Some(name) = rec.str(I::NAME) {
                match names.get(name) {
                    Some(&first) => dup_of.push((rec.idx, first)),
                    None => {
                        names.insert(name, rec.idx);
                    }
                }
            }
        }
        dup_of
    };

    // Connections: system, account resolution; inline accounts are named after their connection.
    // Systems by string id, not copies: the catalog is asked through `system_of`.
    let connection_facts = |model: &Model| {
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
        (conn_system, conn_updates, inline_names)
    };

    // Flows per connection, and the capabilities they need: (connection, capability, flow)
    // triples, sorted, give each need its flows in flow order.
    let flow_needs = |model: &Model| {
        let flows_of = Groups::new(n_conn, || {
            model.records(Kind::Flow).flat_map(|rec| {
                let from = rec.reference(F::FROM_CONNECTION);
                let to = rec.reference(F::TO_CONNECTION).filter(|&t| Some(t) != from);
                [from, to].into_iter().flatten().map(move |c| (c, rec.idx))
            })
        });
        let mut cap_bits: Vec<u16> = vec![0; n_conn];
        let mut needed: Vec<(u32, u8, u32)> = Vec::new();
        for rec in model.records(Kind::Flow) {
            let f = rec.idx;
            let from = rec.reference(F::FROM_CONNECTION);
            let to = rec.reference(F::TO_CONNECTION);
            let Some(sync) = rec.list(F::SYNC) else {
                continue;
            };
            if let Some(c) = from {
                cap_bits[c as usize] |= 1;
                needed.push((c, 0, f));
            }
            if let Some(c) = to {
                for item in sync {
                    let MVal::Str(id) = item.val() else { continue };
                    let text = model.str_of(id);
                    if let Some(cap) = CAPABILITY_ORDER.iter().position(|x| *x == text) {
                        cap_bits[c as usize] |= 1 << cap;
                        needed.push((c, cap as u8, f));
                    }
                }
            }
        }
        needed.sort_by_key(|&(c, cap, f)| (c, cap, f));
        needed.dedup();
        (flows_of, cap_bits, needed)
    };

    // These three only read what the merge built, and none reads what another computes: they
    // run side by side on the run's pool. What they found is written in the order it always was.
    let (dup_of, ((conn_system, conn_updates, inline_names), (flows_of, cap_bits, needed))) = join(
        || duplicate_names(model),
        || join(|| connection_facts(model), || flow_needs(model)),
    );
    for (i, first) in dup_of {
        model
            .store
            .set_val(Kind::Integration, i, I::DUPLICATE_OF, MVal::Ref(first));
    }

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

    // Account uses (connections are in path, then line order already).
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

    // Capability names and lists are shared: one string per capability, one list per set.
    let cap_ids: Vec<super::StrId> = CAPABILITY_ORDER
        .iter()
        .map(|c| model.store.intern(c))
        .collect();
    let mut cap_lists: HashMap<u16, ListId> = HashMap::new();

    // Needs. The catalog's alternatives for a (system, capability) are stored once and shared.
    // By (system, capability): `system * CAPABILITY_ORDER.len() + capability`.
    let mut shared_grants: Vec<Option<ListId>> =
        vec![None; catalog.systems.len() * CAPABILITY_ORDER.len()];
    // The permission names of each shared list of alternatives.
    let mut grant_names: HashMap<ListId, Vec<String>> = HashMap::new();
    // Per connection (in parallel: this only reads the model): whether it declares grants,
    // whether least privilege can be compared, and its needs as capability bits.
    struct ConnNeeds {
        declared: MVal,
        checkable: bool,
        system: u32,
        needs: u16,
        granted: u16,
    }
    let per_conn: Vec<ConnNeeds> = map_range(n_conn, |c| {
        let conn = model.record(Kind::Connection, c as u32);
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
        let granted: Vec<&str> = perms
            .iter()
            .flatten()
            .chain(scopes.iter().flatten())
            .map(|(p, _, _)| *p)
            .collect();
        let conn_sys = system_of(model, conn_system[c]);
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
            if cap_bits[c] & (1 << cap) == 0 {
                continue;
            }
            let Some(alts) = sys.capabilities.get(*name) else {
                continue;
            };
            out.needs |= 1 << cap;
            if alts
                .iter()
                .any(|alt| alt.iter().all(|p| granted.contains(&p.as_str())))
            {
                out.granted |= 1 << cap;
            }
        }
        out
    });
    let checkable: Vec<bool> = per_conn.iter().map(|p| p.checkable).collect();
    let declared_of: Vec<MVal> = per_conn.iter().map(|p| p.declared).collect();
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
        use fields::need as N;
        let si = si as usize;
        let shared = si * CAPABILITY_ORDER.len() + cap as usize;
        let grants = match shared_grants[shared] {
            Some(r) => r,
            None => {
                let alts = &catalog.systems[si].capabilities[CAPABILITY_ORDER[cap as usize]];
                let names: Vec<String> = alts.iter().flatten().cloned().collect();
                let slots: Vec<Slot> = alts
                    .iter()
                    .map(|alt| Slot::value(MVal::Str(model.store.intern(&alt.join(" + ")))))
                    .collect();
                let r = model.store.push_list(slots);
                shared_grants[shared] = Some(r);
                grant_names.insert(r, names);
                r
            }
        };
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
        s.set_val(
            Kind::Need,
            n,
            N::CAPABILITY,
            MVal::Str(cap_ids[cap as usize]),
        );
        s.set_val(Kind::Need, n, N::GRANTS, MVal::List(grants));
        s.set_val(Kind::Need, n, N::GRANTED, MVal::Bool(ok));
        s.set_val(Kind::Need, n, N::FLOWS, MVal::Refs(flows));
    }
    // Needs were made connection by connection.
    let needs_of = Groups::new(n_conn, || {
        model
            .records(Kind::Need)
            .map(|n| (n.reference(fields::need::CONNECTION).unwrap_or(0), n.idx))
    });
    for c in 0..n_conn {
        let bits = cap_bits[c];
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
        let flows = s.push_refs(flows_of.get(c as u32));
        let needs = s.push_refs(needs_of.get(c as u32));
        let c32 = c as u32;
        s.set_val(Kind::Connection, c32, C::FLOWS, MVal::Refs(flows));
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
    drop(flows_of);
    drop(needed);

    // Grants: account permissions, then credential scopes. A permission is needed by the needs
    // of checkable uses that list it among their grants.
    // Sequential, in compact rows sized once: the rows of all grants are alive together (160 k
    // on 100k integrations), so a parallel version's per-entity vectors cost more memory than
    // its few milliseconds were worth. The needs each grant serves go to one flat array.
    let mut by_all: Vec<u32> = Vec::new();
    let mut needed_by = |uses: &[u32], name: &str| -> (u32, u32, bool) {
        let start = by_all.len() as u32;
        let mut known = true;
        for &u in uses {
            if !checkable[u as usize] {
                continue;
            }
            let needs = needs_of.get(u);
            if needs.len() != cap_bits[u as usize].count_ones() as usize {
                known = false;
            }
            for &n in needs {
                let MVal::List(grants) = model.record(Kind::Need, n).val(fields::need::GRANTS)
                else {
                    continue;
                };
                if grant_names[&grants].iter().any(|g| g == name) {
                    by_all.push(n);
                }
            }
        }
        (start, by_all.len() as u32 - start, known)
    };
    struct GrantRow {
        name: Slot,
        file: u32,
        doc: u16,
        scopes: bool,
        known: bool,
        account: Option<u32>,
        account_key: Span32,
        connection: Option<u32>,
        uses: Option<super::RefsId>,
        admin: MVal,
        system: MVal,
        /// The needs it serves: a run of `by_all`.
        by: (u32, u32),
        index: u32,
    }
    let count = model
        .records(Kind::Account)
        .take(primary)
        .filter_map(|rec| rec.list(A::PERMISSIONS).map(<[Slot]>::len))
        .chain(model.records(Kind::Connection).filter_map(|conn| {
            let k = conn.reference(C::CREDENTIAL)?;
            model
                .record(Kind::Credential, k)
                .list(K::SCOPES)
                .map(<[Slot]>::len)
        }))
        .sum();
    let mut rows: Vec<GrantRow> = Vec::with_capacity(count);
    for rec in model.records(Kind::Account).take(primary) {
        let Some(items) = rec.list(A::PERMISSIONS) else {
            continue;
        };
        let sys = system_of(model, acc_system[rec.idx as usize]);
        let uses_range = match rec.val(A::USES) {
            MVal::Refs(r) => Some(r),
            _ => None,
        };
        for (i, item) in items.iter().enumerate() {
            let MVal::Str(id) = item.val() else { continue };
            let name = model.str_of(id);
            let (start, len, known) = needed_by(uses.get(rec.idx), name);
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
    for conn in model.records(Kind::Connection) {
        let Some(k) = conn.reference(C::CREDENTIAL) else {
            continue;
        };
        let cred = model.record(Kind::Credential, k);
        let Some(items) = cred.list(K::SCOPES) else {
            continue;
        };
        let sys = system_of(model, conn_system[conn.idx as usize]);
        for (i, item) in items.iter().enumerate() {
            let MVal::Str(id) = item.val() else { continue };
            let name = model.str_of(id);
            let (start, len, known) = needed_by(&[conn.idx], name);
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
    use fields::grant as G;
    let scopes_id = model.store.intern("scopes");
    let permissions_id = model.store.intern("permissions");
    let t = &mut model.store.tables[Kind::Grant as usize];
    t.heads.reserve_exact(rows.len());
    t.slots
        .reserve_exact(rows.len() * layout(Kind::Grant).located);
    t.vals
        .reserve_exact(rows.len() * layout(Kind::Grant).values);
    for row in rows {
        let s = &mut model.store;
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
        s.set_val(
            Kind::Grant,
            g,
            G::SOURCE,
            MVal::Str(if row.scopes {
                scopes_id
            } else {
                permissions_id
            }),
        );
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
}
