//! Merging one file's store into the run's: strings stored once, references renumbered, the
//! first declaration of an account id kept and later ones set aside.

use std::collections::HashMap;

use crate::model::fields::{self, fields_of, layout, Kind, Place, Ty, ALL_KINDS, KIND_COUNT};
use crate::model::{
    FileInfo, Head, ListId, MVal, Model, RefsId, Slot, Store, StrDedup, StrId, Table,
};

/// The per-file output of the parallel phase, ready to merge.
pub struct FileModel {
    pub info: FileInfo,
    pub store: Store,
    /// For each record of the file's match table: (rule, pattern) and its route.
    pub matches: Vec<(usize, usize, String)>,
}

/// A later declaration of an account id, set aside until every file is merged.
pub(super) type Duplicate = (Head, Vec<Slot>, Vec<MVal>);

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

/// Appends the next file (in path order) to the run's model.
pub(super) fn merge(
    model: &mut Model,
    fm: FileModel,
    account_ids: &mut HashMap<String, u32>,
    duplicates: &mut Vec<Duplicate>,
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
    let keep = map_accounts(&fs, account_ids, &mut off);
    // Lists hold strings only.
    for s in &fs.lists {
        let mut s = *s;
        if let MVal::Str(id) = s.val() {
            s.set_val(MVal::Str(StrId(off.strings[id.0 as usize])));
        }
        store.lists.push(s);
    }
    let Store { tables, refs, .. } = store;
    copy_records(tables, refs, &fs, &off, &keep, duplicates);
    for (rule, pattern, route) in fm.matches {
        model.match_rules.push((rule, pattern));
        let id = model.store.intern(&route);
        model.match_routes.push(id);
    }
}

/// Gives the file's accounts their run index in `off`: the first declaration of an id wins;
/// later ones are set aside. Returns which accounts are kept.
fn map_accounts(
    fs: &Store,
    account_ids: &mut HashMap<String, u32>,
    off: &mut Offsets,
) -> Vec<bool> {
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
    keep
}

/// Records are copied to the run's tables, then rewritten there; an account not kept goes to
/// `duplicates`.
fn copy_records(
    tables: &mut [Table; KIND_COUNT],
    refs: &mut [u32],
    fs: &Store,
    off: &Offsets,
    keep: &[bool],
    duplicates: &mut Vec<Duplicate>,
) {
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
}
