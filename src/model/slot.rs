//! Values and their slots: an [`MVal`] packed into a 16-byte [`Slot`] with the value's span and
//! its key (held in the slot when near, else in the store's far keys).

use super::arena::room;
use super::{ListId, RefsId, Span32, Store, StrId};

/// A stored value (8 bytes: a tag and a 4-byte payload).
#[derive(Clone, Copy, Debug, Default)]
pub enum MVal {
    #[default]
    Absent,
    Invalid,
    Null,
    Bool(bool),
    Int(i32),
    Str(StrId),
    /// Days since 1970-01-01.
    Date(i32),
    Ref(u32),
    /// Located items (strings or references) in the list arena.
    List(ListId),
    /// Derived references in the reference arena (their locations are the entities').
    Refs(RefsId),
}

/// A field of a record: a value, the span of the value and the span of its key, in 16 bytes.
///
/// The value is stored as a tag and a 4-byte payload; the model holds close to a million slots
/// on 10,000 integrations, so the key is not stored as a span but as what nearly every key is:
/// the value's own span (ids: `connections.<id>`), or a short name a little before its value
/// (`expires: 2026-01-01`), as its length and its distance to the value. Any other key (a
/// value reached through an alias, which sits before its key; a long or distant key) goes
/// to its store's table of far keys, and the slot holds its index there, exact at any length.
#[derive(Clone, Copy)]
pub struct Slot {
    /// The value's tag (low four bits), how the key is held, whether it came through an alias.
    bits: u8,
    /// A near key's length, or the high bits of a far key's index.
    key_len: u8,
    /// How far a near key starts before the value, or the low bits of a far key's index.
    key_gap: u16,
    payload: u32,
    pub(super) loc: Span32,
}

const TAG_BITS: u8 = 0x0f;
const KEY_FORM: u8 = 0x30;
const KEY_NONE: u8 = 0x00;
const KEY_IS_VALUE: u8 = 0x10;
const KEY_NEAR: u8 = 0x20;
const KEY_FAR: u8 = 0x30;
const KEY_VIA_ALIAS: u8 = 0x40;
/// Far keys one file's records can hold (a far key's index has 24 bits).
const FAR_KEYS_PER_FILE: usize = 1 << 24;

impl Default for Slot {
    fn default() -> Self {
        Slot::value(MVal::Absent)
    }
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slot")
            .field("val", &self.val())
            .field("loc", &self.loc)
            .field("key", &self.key_here())
            .finish()
    }
}

impl MVal {
    fn encode(self) -> (u8, u32) {
        match self {
            MVal::Absent => (0, 0),
            MVal::Invalid => (1, 0),
            MVal::Null => (2, 0),
            MVal::Bool(b) => (3, b as u32),
            MVal::Int(i) => (4, i as u32),
            MVal::Str(id) => (5, id.0),
            MVal::Date(d) => (6, d as u32),
            MVal::Ref(r) => (7, r),
            MVal::List(id) => (8, id.0),
            MVal::Refs(id) => (9, id.0),
        }
    }

    fn decode(tag: u8, payload: u32) -> MVal {
        match tag {
            1 => MVal::Invalid,
            2 => MVal::Null,
            3 => MVal::Bool(payload != 0),
            4 => MVal::Int(payload as i32),
            5 => MVal::Str(StrId(payload)),
            6 => MVal::Date(payload as i32),
            7 => MVal::Ref(payload),
            8 => MVal::List(ListId(payload)),
            9 => MVal::Refs(RefsId(payload)),
            _ => MVal::Absent,
        }
    }
}

impl Slot {
    /// A value with neither location nor key (derived fields).
    pub fn value(val: MVal) -> Slot {
        Slot::at(val, Span32::NONE)
    }

    /// A located value under no key (list items, derived fields with a location).
    pub fn at(val: MVal, loc: Span32) -> Slot {
        let (tag, payload) = val.encode();
        Slot {
            bits: tag | KEY_NONE,
            key_len: 0,
            key_gap: 0,
            payload,
            loc,
        }
    }

    /// A value under `key`, when the slot can hold the key itself (see [`Store::keyed`]).
    fn near(val: MVal, loc: Span32, key: Span32) -> Option<Slot> {
        let mut slot = Slot::at(val, loc);
        if key.is_none() {
            return Some(slot);
        }
        if key == loc {
            slot.bits |= KEY_IS_VALUE;
            return Some(slot);
        }
        let k = key.loc(0)?;
        let len = u8::try_from(k.end.checked_sub(k.start)?).ok()?;
        let gap = u16::try_from(loc.loc(0)?.start.checked_sub(k.start)?).ok()?;
        slot.bits |= KEY_NEAR | if k.via_alias { KEY_VIA_ALIAS } else { 0 };
        (slot.key_len, slot.key_gap) = (len, gap);
        Some(slot)
    }

    /// A value whose key is entry `index` of its file's far keys.
    fn far(val: MVal, loc: Span32, index: usize) -> Slot {
        let mut slot = Slot::at(val, loc);
        slot.bits |= KEY_FAR;
        slot.key_len = (index >> 16) as u8;
        slot.key_gap = index as u16;
        slot
    }

    /// The key when the slot holds it; else the index of its file's far key.
    fn key_here(&self) -> Result<Span32, usize> {
        match self.bits & KEY_FORM {
            KEY_NONE => Ok(Span32::NONE),
            KEY_IS_VALUE => Ok(self.loc),
            KEY_NEAR => {
                let start = self.loc.start - self.key_gap as u32;
                Ok(Span32::new(
                    start,
                    start + self.key_len as u32,
                    self.bits & KEY_VIA_ALIAS != 0,
                ))
            }
            _ => Err((self.key_len as usize) << 16 | self.key_gap as usize),
        }
    }

    pub fn val(&self) -> MVal {
        MVal::decode(self.bits & TAG_BITS, self.payload)
    }

    /// Replaces the value; the locations stay.
    pub fn set_val(&mut self, val: MVal) {
        let (tag, payload) = val.encode();
        self.bits = (self.bits & !TAG_BITS) | tag;
        self.payload = payload;
    }

    /// The span of the value.
    pub fn loc(&self) -> Span32 {
        self.loc
    }
}

impl Store {
    /// A slot for a value under `key` in this file's store: a key the slot cannot hold goes to
    /// the file's far keys. Past [`FAR_KEYS_PER_FILE`] of them in one file (a file of millions
    /// of aliases), a key is given as its value's span.
    pub fn keyed(&mut self, val: MVal, loc: Span32, key: Span32) -> Slot {
        if let Some(slot) = Slot::near(val, loc, key) {
            return slot;
        }
        if self.far_keys.len() >= FAR_KEYS_PER_FILE {
            return Slot::near(val, loc, loc).unwrap_or_else(|| Slot::at(val, loc));
        }
        room(&mut self.far_keys, 1);
        self.far_keys.push(key);
        Slot::far(val, loc, self.far_keys.len() - 1)
    }

    /// The span of the key a slot of a record of `file` sits under.
    pub fn key_of(&self, slot: Slot, file: u32) -> Span32 {
        match slot.key_here() {
            Ok(key) => key,
            Err(i) => {
                let base = self.far_base.get(file as usize).map_or(0, |&b| b as usize);
                self.far_keys.get(base + i).copied().unwrap_or(Span32::NONE)
            }
        }
    }

    /// Appends the far keys of the next file's store (merging, files in order).
    pub(super) fn append_far_keys(&mut self, file: &Store) {
        self.far_base.push(self.far_keys.len() as u32);
        self.far_keys.extend_from_slice(&file.far_keys);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fields, FileInfo, Head, Kind};

    #[test]
    fn a_value_is_eight_bytes_and_a_slot_sixteen() {
        assert_eq!(std::mem::size_of::<MVal>(), 8);
        assert_eq!(std::mem::size_of::<Slot>(), 16);
    }

    #[test]
    fn slots_give_back_what_they_were_given() {
        let mut store = Store::default();
        let vals = [
            MVal::Absent,
            MVal::Invalid,
            MVal::Null,
            MVal::Bool(true),
            MVal::Bool(false),
            MVal::Int(-7),
            MVal::Int(i32::MAX),
            MVal::Str(store.intern("owner")),
            MVal::Date(-1),
            MVal::Ref(u32::MAX - 1),
            MVal::List(store.push_list([])),
            MVal::Refs(store.push_refs(&[1])),
        ];
        let value = Span32::new(100_000, 100_020, true);
        let keys = [
            // None, the value's own span, near keys (with and without an alias), and far keys:
            // after their value (an alias), too long for a byte, too far for 16 bits.
            Span32::NONE,
            value,
            Span32::new(99_990, 99_997, false),
            Span32::new(99_745, 100_000, true),
            Span32::new(100_030, 100_035, true),
            Span32::new(99_000, 99_256, false),
            Span32::new(10, 15, false),
            Span32::new(0, 99_999, false),
        ];
        for val in vals {
            for key in keys {
                let slot = store.keyed(val, value, key);
                assert_eq!(format!("{:?}", slot.val()), format!("{val:?}"));
                assert_eq!(slot.loc(), value);
                assert_eq!(store.key_of(slot, 0), key, "{key:?}");
                // A new value keeps both locations.
                let mut changed = slot;
                changed.set_val(MVal::Int(3));
                assert_eq!(changed.loc(), value);
                assert_eq!(store.key_of(changed, 0), key);
            }
        }
        // Far keys went to the table; near ones did not.
        assert_eq!(store.far_keys.len(), vals.len() * 4);
        let bare = Slot::value(MVal::Null);
        assert!(bare.loc().is_none() && store.key_of(bare, 0).is_none());
        let unlocated = store.keyed(MVal::Null, Span32::NONE, Span32::new(5, 9, true));
        assert_eq!(
            store
                .key_of(unlocated, 0)
                .loc(0)
                .map(|l| (l.start, l.via_alias)),
            Some((5, true))
        );
    }

    #[test]
    fn far_keys_follow_their_file_into_the_run() {
        use crate::model::resolve::{assemble, FileModel};
        use fields::integration as I;
        let catalog = crate::catalog::Catalog::builtin().expect("built-in catalog");
        // Three files, the middle one without far keys: each key is read back from its own
        // file's part of the run's table.
        let keys = [
            Some(Span32::new(50, 56, false)),
            None,
            Some(Span32::new(70, 90, true)),
        ];
        let files = keys
            .iter()
            .enumerate()
            .map(|(file, key)| {
                let mut store = Store::default();
                let head = Head {
                    file: file as u32,
                    loc: Span32::new(0, 40, false),
                    doc: 0,
                };
                let r = store.push(Kind::Integration, head);
                let name = store.intern("sync");
                let near = Span32::new(2, 6, false);
                let slot = store.keyed(MVal::Str(name), Span32::new(8, 12, false), near);
                store.set(Kind::Integration, r, I::KEY, slot);
                if let Some(far) = key {
                    let slot = store.keyed(MVal::Str(name), Span32::new(20, 24, false), *far);
                    store.set(Kind::Integration, r, I::NAME, slot);
                }
                FileModel {
                    info: FileInfo::default(),
                    store,
                    matches: Vec::new(),
                }
            })
            .collect();
        let model = assemble(files, &catalog);
        for (file, key) in keys.iter().enumerate() {
            let rec = model.record(Kind::Integration, file as u32);
            assert_eq!(
                rec.key_loc(I::KEY).map(|l| (l.file, l.start, l.end)),
                Some((file as u32, 2, 6))
            );
            assert_eq!(rec.key_loc(I::NAME), key.and_then(|k| k.loc(file as u32)));
        }
    }
}
