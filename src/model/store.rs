//! The [`Store`]: a file's records, strings and lists, and, merged, the run's; writing and
//! reading a record's fields wherever its layout places them.

use super::arena::room;
use super::fields::{self, fields_of, layout, Kind, Layout, Place, KIND_COUNT};
use super::table::released_detail;
use super::{Head, MVal, Slot, Span32, Table};

/// Records, strings and lists: what a file contributes, and what the run holds.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub tables: [Table; KIND_COUNT],
    pub strings: String,
    pub lists: Vec<Slot>,
    pub refs: Vec<u32>,
    /// Keys that their slots cannot hold (see [`Slot`]), file by file.
    pub(super) far_keys: Vec<Span32>,
    /// In the run's store: where each file's far keys start (a file's own store has one file).
    pub(super) far_base: Vec<u32>,
    /// In the run's store: the strings only details read, for the records whose details are
    /// held (ids carry `DETAIL_TEXT`, in `strings.rs`); let go with the details.
    pub(super) detail_strings: String,
    /// The run lets details go once they are checked: their strings are kept apart.
    pub details_go: bool,
    /// Cross-file resolution is writing: it may write, on the kinds a file builds whole, only
    /// fields marked `resolved` (file-local checks ran before it; a debug assertion).
    pub resolving: bool,
}

impl Store {
    /// Adds a record with every field absent; returns its index.
    pub fn push(&mut self, kind: Kind, head: Head) -> u32 {
        let l = layout(kind);
        let t = &mut self.tables[kind as usize];
        room(&mut t.heads, 1);
        room(&mut t.slots, l.located);
        room(&mut t.vals, l.values);
        room(&mut t.details, l.details);
        t.heads.push(head);
        t.slots
            .extend(std::iter::repeat_n(Slot::default(), l.located));
        t.vals.extend(std::iter::repeat_n(MVal::Absent, l.values));
        t.details
            .extend(std::iter::repeat_n(Slot::default(), l.details));
        (t.heads.len() - 1) as u32
    }

    /// Where a record's detail is in its table's details (`None` once let go).
    fn detail_at(t: &Table, l: &Layout, idx: u32, p: usize) -> Option<usize> {
        Some(t.details_row(l, idx)? + p)
    }

    /// The debug assertion behind [`Store::resolving`].
    fn check_write(&self, kind: Kind, field: usize) {
        debug_assert!(
            !self.resolving || !fields::built_per_file(kind) || fields_of(kind)[field].resolved,
            "resolution writes {}.{}, which is not marked `resolved`",
            kind.name(),
            fields_of(kind)[field].name
        );
    }

    pub fn set(&mut self, kind: Kind, idx: u32, field: usize, slot: Slot) {
        self.check_write(kind, field);
        let l = layout(kind);
        let t = &mut self.tables[kind as usize];
        match l.place[field] {
            Place::Slot(p) => t.slots[idx as usize * l.located + p] = slot,
            Place::Val(p) => t.vals[idx as usize * l.values + p] = slot.val(),
            Place::Detail(p) => {
                let at = Store::detail_at(t, l, idx, p).expect("details are set before they go");
                t.details[at] = if fields_of(kind)[field].located {
                    slot
                } else {
                    Slot::value(slot.val())
                };
            }
        }
    }

    pub fn set_val(&mut self, kind: Kind, idx: u32, field: usize, val: MVal) {
        self.check_write(kind, field);
        let l = layout(kind);
        let t = &mut self.tables[kind as usize];
        match l.place[field] {
            Place::Slot(p) => t.slots[idx as usize * l.located + p].set_val(val),
            Place::Val(p) => t.vals[idx as usize * l.values + p] = val,
            Place::Detail(p) => {
                let at = Store::detail_at(t, l, idx, p).expect("details are set before they go");
                t.details[at].set_val(val);
            }
        }
    }

    pub fn slot(&self, kind: Kind, idx: u32, field: usize) -> Slot {
        let l = layout(kind);
        let t = &self.tables[kind as usize];
        match l.place[field] {
            Place::Slot(p) => t.slots[idx as usize * l.located + p],
            Place::Val(p) => Slot::value(t.vals[idx as usize * l.values + p]),
            Place::Detail(p) => match Store::detail_at(t, l, idx, p) {
                Some(at) => t.details[at],
                None => released_detail(kind, field),
            },
        }
    }

    /// Lets go of the details of every record so far: their file-local rules have run, and
    /// nothing else reads them (ARCHITECTURE.md, "What a run holds").
    pub fn release_details(&mut self) {
        for t in &mut self.tables {
            t.details.clear();
            t.details_from = t.heads.len() as u32;
        }
        self.detail_strings.clear();
    }

    /// Gives every record of a file's own store another file id.
    pub fn set_file(&mut self, file: u32) {
        for t in &mut self.tables {
            for h in &mut t.heads {
                h.file = file;
            }
        }
    }

    pub fn len(&self, kind: Kind) -> usize {
        self.tables[kind as usize].len()
    }

    pub fn head(&self, kind: Kind, idx: u32) -> &Head {
        &self.tables[kind as usize].heads[idx as usize]
    }
}
