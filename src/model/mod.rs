//! The resolved model the rules see.
//!
//! Entities (integrations, connections, credentials, accounts, flows, and the derived needs and
//! grants) are records of slots. Each kind has a static field table ([`fields`]) that gives
//! every field its name, type and documentation: the rule compiler resolves `account.owner` to a
//! slot index once, `bridgelint explain` and the docs list the fields from the same table.
//!
//! A slot holds a value, the byte range of that value and the byte range of the key it sits
//! under, in the record's file. Values that broke the schema are `Invalid` (hidden from the
//! rules, rules.md "Precise semantics"); missing ones are `Absent`.
//!
//! Storage is compact because the model is the one thing a run holds for every file: records
//! of one kind share one flat slot table, strings live in one arena, lists in one slot arena,
//! derived reference lists in one `u32` arena, all behind 4-byte handles: a value is 8 bytes, a
//! slot 16, and each string is stored once per run.

pub mod build;
pub mod date;
pub mod fields;
pub mod resolve;

pub use fields::{field_index, fields_of, layout, FieldDef, Kind, Ty};

use std::hash::BuildHasher;
use std::sync::Arc;

use fields::{Layout, Place, KIND_COUNT};

/// A location in a file: byte offsets; line and column are computed when reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: u32,
    pub start: u32,
    pub end: u32,
    /// Reached through a YAML alias or merge: the span is the anchored text.
    pub via_alias: bool,
}

/// A byte range in the file of the record that holds it (`NONE` when absent); the top bit of
/// `end` marks a range reached through an alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span32 {
    start: u32,
    end: u32,
}

const ALIAS_BIT: u32 = 1 << 31;

impl Span32 {
    pub const NONE: Span32 = Span32 {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn new(start: u32, end: u32, via_alias: bool) -> Span32 {
        Span32 {
            start,
            end: (end & !ALIAS_BIT) | if via_alias { ALIAS_BIT } else { 0 },
        }
    }

    pub fn is_none(self) -> bool {
        self.start == u32::MAX
    }

    pub fn from_loc(loc: Option<Loc>) -> Span32 {
        loc.map_or(Span32::NONE, |l| Span32::new(l.start, l.end, l.via_alias))
    }

    /// The location in `file`.
    pub fn loc(self, file: u32) -> Option<Loc> {
        (!self.is_none()).then_some(Loc {
            file,
            start: self.start,
            end: self.end & !ALIAS_BIT,
            via_alias: self.end & ALIAS_BIT != 0,
        })
    }
}

impl Default for Span32 {
    fn default() -> Self {
        Span32::NONE
    }
}

/// A string in the model's arena: the offset of its length prefix.
///
/// Handles are 4 bytes so that a stored value is 8 (the model holds about a million of them
/// on 10,000 integrations): the length sits in the arena, in front of the text, in 6-bit
/// groups of ASCII bytes (bit 6 says another group follows), which keeps the arena valid UTF-8
/// without `unsafe`. Strings under 64 bytes, nearly all of them, pay one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StrId(u32);

/// A list in the model's list arena: the index of its header (an `Int` holding the length),
/// the items follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListId(u32);

/// A run of derived references in the reference arena: the index of its length, the
/// references follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefsId(u32);

/// The strings already in a run's arena, to store each once: about four in five strings of a
/// project repeat (keys, systems, capabilities, credential types).
#[derive(Default)]
pub struct StrDedup {
    table: hashbrown::HashTable<StrId>,
    hasher: hashbrown::DefaultHashBuilder,
}

const LEN_MORE: u8 = 0x40;
const LEN_BITS: u8 = 0x3f;

/// Appends `len` as the arena's length prefix.
fn push_len(arena: &mut String, mut len: usize) {
    loop {
        let group = (len & LEN_BITS as usize) as u8;
        len >>= 6;
        if len == 0 {
            arena.push(group as char);
            return;
        }
        arena.push((group | LEN_MORE) as char);
    }
}

/// Reads the length prefix at `at`: (length, offset of the text).
fn read_len(arena: &[u8], mut at: usize) -> (usize, usize) {
    let (mut len, mut shift) = (0usize, 0);
    loop {
        let b = arena[at];
        at += 1;
        len |= ((b & LEN_BITS) as usize) << shift;
        if b & LEN_MORE == 0 {
            return (len, at);
        }
        shift += 6;
    }
}

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
    loc: Span32,
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

/// What every record has besides its fields.
#[derive(Clone, Copy, Debug)]
pub struct Head {
    /// The file it comes from (`u32::MAX` for catalog systems).
    pub file: u32,
    /// Where the entity itself is (its mapping or item).
    pub loc: Span32,
    /// Its document in the file's stream.
    pub doc: u16,
}

/// Records of one kind: flat tables with a fixed number of fields per record, document fields
/// with their locations (`slots`), derived fields as bare values (`vals`), and the file-local
/// details (`details`, see [`fields::FieldDef::detail`]) of the records from `details_from` on.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub slots: Vec<Slot>,
    pub vals: Vec<MVal>,
    pub heads: Vec<Head>,
    pub details: Vec<Slot>,
    /// The first record whose details are held (those before were let go).
    pub details_from: u32,
}

impl Table {
    /// Where a record's details start in `details` (`None` once they were let go).
    fn details_row(&self, l: &Layout, idx: u32) -> Option<usize> {
        let held = idx.checked_sub(self.details_from)?;
        Some(held as usize * l.details)
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }
}

/// Records, strings and lists: what a file contributes, and what the run holds.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub tables: [Table; KIND_COUNT],
    pub strings: String,
    pub lists: Vec<Slot>,
    pub refs: Vec<u32>,
    /// Keys that their slots cannot hold (see [`Slot`]), file by file.
    far_keys: Vec<Span32>,
    /// In the run's store: where each file's far keys start (a file's own store has one file).
    far_base: Vec<u32>,
    /// In the run's store: the strings only details read, for the records whose details are
    /// held (ids carry [`DETAIL_TEXT`]); let go with the details.
    detail_strings: String,
    /// The run lets details go once they are checked: their strings are kept apart.
    pub details_go: bool,
    /// Cross-file resolution is writing: it may write, on the kinds a file builds whole, only
    /// fields marked `resolved` (file-local checks ran before it; a debug assertion).
    pub resolving: bool,
}

/// The bit of a string id that says it is in the run's detail strings: string arenas hold less
/// than 2 GiB.
const DETAIL_TEXT: u32 = 1 << 31;

/// Capacity (in bytes) from which an arena grows by a quarter instead of doubling.
const LARGE_ARENA: usize = 64 * 1024;

/// How many items to reserve beyond `len` so that `additional` more fit, in an arena of
/// `capacity` items of `item_size` bytes. The run's arenas are its largest allocations: past
/// [`LARGE_ARENA`] they grow by a quarter, as doubling would leave up to half of them unused.
/// A file's own store stays small and doubles as vectors do: a fixed minimum per table (64
/// items each, once) reserved about 17 KiB per file, 8 MiB over the two chunks of files in
/// flight; about 2 MiB of a 10k run's measured peak (BENCHMARKS.md).
fn room_for(len: usize, capacity: usize, item_size: usize, additional: usize) -> usize {
    if capacity * item_size < LARGE_ARENA {
        (len + additional).max(2 * capacity) - len
    } else {
        additional.max(capacity / 4)
    }
}

/// Makes room for `additional` items (see [`room_for`]).
fn room<T>(v: &mut Vec<T>, additional: usize) {
    if v.len() + additional > v.capacity() {
        v.reserve_exact(room_for(
            v.len(),
            v.capacity(),
            std::mem::size_of::<T>(),
            additional,
        ));
    }
}

/// Makes room for `additional` bytes of strings (see [`room_for`]).
fn room_str(s: &mut String, additional: usize) {
    if s.len() + additional > s.capacity() {
        s.reserve_exact(room_for(s.len(), s.capacity(), 1, additional));
    }
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

    pub fn intern(&mut self, s: &str) -> StrId {
        let start = self.strings.len() as u32;
        room_str(&mut self.strings, s.len() + 4);
        push_len(&mut self.strings, s.len());
        self.strings.push_str(s);
        StrId(start)
    }

    pub fn str_of(&self, id: StrId) -> &str {
        let (arena, at) = match id.0 & DETAIL_TEXT {
            0 => (&self.strings, id.0),
            _ => (&self.detail_strings, id.0 & !DETAIL_TEXT),
        };
        let (len, at) = read_len(arena.as_bytes(), at as usize);
        &arena[at..at + len]
    }

    /// Stores a string only details read (not shared: it goes with them).
    fn intern_detail(&mut self, s: &str) -> StrId {
        let start = self.detail_strings.len() as u32;
        push_len(&mut self.detail_strings, s.len());
        self.detail_strings.push_str(s);
        StrId(start | DETAIL_TEXT)
    }

    /// Which strings (by offset) only details read: they go to the run's detail strings, not
    /// its arena.
    fn strings_of_details_only(&self) -> Vec<bool> {
        // Per string: 1 when a detail reads it, 2 when anything else does.
        let mut readers = vec![0u8; self.strings.len()];
        let mut mark = |v: MVal, by: u8| {
            if let MVal::Str(id) = v {
                readers[id.0 as usize] |= by;
            }
        };
        for t in &self.tables {
            t.slots.iter().for_each(|s| mark(s.val(), 2));
            t.vals.iter().for_each(|v| mark(*v, 2));
            t.details.iter().for_each(|s| mark(s.val(), 1));
        }
        self.lists.iter().for_each(|s| mark(s.val(), 2));
        readers.into_iter().map(|r| r == 1).collect()
    }

    /// Appends the strings of `other` that this arena does not hold yet and fills `map`: for
    /// each string of `other` (at its offset), its id here. A string that only details read
    /// goes to the detail strings.
    fn merge_strings(&mut self, other: &Store, dedup: &mut StrDedup, map: &mut Vec<u32>) {
        let details_only = self.details_go.then(|| other.strings_of_details_only());
        let StrDedup { table, hasher } = dedup;
        map.clear();
        map.resize(other.strings.len(), u32::MAX);
        let bytes = other.strings.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let (len, text_at) = read_len(bytes, at);
            let s = &other.strings[text_at..text_at + len];
            if details_only.as_ref().is_some_and(|d| d[at]) {
                map[at] = self.intern_detail(s).0;
                at = text_at + len;
                continue;
            }
            let hash = hasher.hash_one(s);
            let id = match table.find(hash, |&id| self.str_of(id) == s) {
                Some(&id) => id,
                None => {
                    let id = self.intern(s);
                    table.insert_unique(hash, id, |&id| hasher.hash_one(self.str_of(id)));
                    id
                }
            };
            map[at] = id.0;
            at = text_at + len;
        }
    }

    pub fn push_list(&mut self, items: impl IntoIterator<Item = Slot>) -> ListId {
        let header = self.lists.len();
        room(&mut self.lists, 1);
        self.lists.push(Slot::value(MVal::Int(0)));
        for item in items {
            room(&mut self.lists, 1);
            self.lists.push(item);
        }
        let len = (self.lists.len() - header - 1) as i32;
        self.lists[header].set_val(MVal::Int(len));
        ListId(header as u32)
    }

    pub fn push_refs(&mut self, items: &[u32]) -> RefsId {
        let start = self.refs.len();
        room(&mut self.refs, items.len() + 1);
        self.refs.push(items.len() as u32);
        self.refs.extend_from_slice(items);
        RefsId(start as u32)
    }

    pub fn list(&self, id: ListId) -> &[Slot] {
        let at = id.0 as usize;
        let len = match self.lists[at].val() {
            MVal::Int(n) => n as usize,
            _ => 0,
        };
        &self.lists[at + 1..at + 1 + len]
    }

    pub fn refs_of(&self, id: RefsId) -> &[u32] {
        let at = id.0 as usize;
        let len = self.refs[at] as usize;
        &self.refs[at + 1..at + 1 + len]
    }

    /// The references of a run in a reference arena, to rewrite in place (merging).
    fn run_mut(refs: &mut [u32], id: RefsId) -> &mut [u32] {
        let at = id.0 as usize;
        let len = refs[at] as usize;
        &mut refs[at + 1..at + 1 + len]
    }

    pub fn len(&self, kind: Kind) -> usize {
        self.tables[kind as usize].len()
    }

    pub fn head(&self, kind: Kind, idx: u32) -> &Head {
        &self.tables[kind as usize].heads[idx as usize]
    }

    /// Appends another store's arenas (merge) without doubling.
    pub fn reserve_for(&mut self, other: &Store) {
        for (t, o) in self.tables.iter_mut().zip(&other.tables) {
            room(&mut t.heads, o.heads.len());
            room(&mut t.slots, o.slots.len());
            room(&mut t.vals, o.vals.len());
            room(&mut t.details, o.details.len());
        }
        room_str(&mut self.strings, other.strings.len());
        room(&mut self.lists, other.lists.len());
        room(&mut self.refs, other.refs.len());
    }

    /// Makes room for `factor` times the current contents in every arena.
    pub fn reserve_scaled(&mut self, factor: f64) {
        fn grow<T>(v: &mut Vec<T>, factor: f64) {
            let want = (v.len() as f64 * factor) as usize;
            v.reserve_exact(want.saturating_sub(v.len()));
        }
        for t in &mut self.tables {
            grow(&mut t.slots, factor);
            grow(&mut t.vals, factor);
            grow(&mut t.heads, factor);
            if t.details_from == 0 {
                // Details never let go grow with the run (released ones stay one chunk's).
                grow(&mut t.details, factor);
            }
        }
        let want = (self.strings.len() as f64 * factor) as usize;
        self.strings
            .reserve_exact(want.saturating_sub(self.strings.len()));
        grow(&mut self.lists, factor);
        grow(&mut self.refs, factor);
    }

    /// Gives back the capacity the growth of the arenas left unused.
    pub fn shrink_to_fit(&mut self) {
        for t in &mut self.tables {
            t.slots.shrink_to_fit();
            t.vals.shrink_to_fit();
            t.heads.shrink_to_fit();
            t.details.shrink_to_fit();
        }
        self.strings.shrink_to_fit();
        self.lists.shrink_to_fit();
        self.refs.shrink_to_fit();
        self.far_keys.shrink_to_fit();
        self.far_base.shrink_to_fit();
        self.detail_strings.shrink_to_fit();
    }

    /// Appends the far keys of the next file's store (merging, files in order).
    fn append_far_keys(&mut self, file: &Store) {
        self.far_base.push(self.far_keys.len() as u32);
        self.far_keys.extend_from_slice(&file.far_keys);
    }
}

/// What reading a detail that was let go gives: nothing (absent). The run lets details go
/// only when no rule that runs after the merge reads one (`RuleSet::details_stay_local`);
/// a debug build says so loudly if some code still does.
fn released_detail(kind: Kind, field: usize) -> Slot {
    debug_assert!(
        false,
        "{}.{} read after its details were let go",
        kind.name(),
        fields_of(kind)[field].name
    );
    Slot::default()
}

/// Per-file facts kept after parsing (the tree itself is dropped).
#[derive(Clone, Debug, Default)]
pub struct FileInfo {
    /// Path as printed (relative to the current folder when under it, `/`-separated).
    pub display: Arc<str>,
    /// Path relative to the context root (ordering, baselines, SARIF).
    pub rel: Arc<str>,
    /// Findings in this file are reported (named, or found under a named folder).
    pub reported: bool,
    /// Byte offsets where lines start.
    pub line_starts: Vec<u32>,
    /// The text, kept only for standard input and for files dense in non-ASCII characters.
    pub text: Option<Arc<str>>,
    /// Where the UTF-8 continuation bytes of a file with non-ASCII characters are, when its
    /// text is not kept: columns count code points, the bytes before an offset on its line less
    /// these. Four bytes each, kept only while that is less than the text itself.
    pub continuation: Vec<u32>,
    /// The text's length in bytes.
    pub len: u32,
    /// Byte ranges holding secrets (literal secret values, credential-pattern matches): masked
    /// in every excerpt and message.
    pub redactions: Vec<std::ops::Range<u32>>,
    /// The file starts with a UTF-8 BOM (not counted in columns).
    pub bom: bool,
}

impl FileInfo {
    pub fn new(display: Arc<str>, rel: Arc<str>, reported: bool) -> FileInfo {
        FileInfo {
            display,
            rel,
            reported,
            ..FileInfo::default()
        }
    }

    /// Records the line structure of the text (and keeps non-ASCII texts for column counts).
    pub fn set_text(&mut self, text: &str, keep: bool) {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i as u32 + 1);
        }
        starts.shrink_to_fit();
        self.line_starts = starts;
        self.bom = text.starts_with('\u{feff}');
        self.len = text.len() as u32;
        if keep {
            self.text = Some(text.into());
        } else if !text.is_ascii() {
            // A run must not hold every text: most non-ASCII files have a few accented names.
            let continuation: Vec<u32> = (bytes.iter().enumerate())
                .filter(|(_, b)| (0x80..0xc0).contains(*b))
                .map(|(i, _)| i as u32)
                .collect();
            if continuation.len() * 4 < text.len() {
                self.continuation = continuation;
            } else {
                self.text = Some(text.into());
            }
        }
    }

    /// Line and column of a byte offset (1-based; columns in code points, BOM not counted).
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        if self.line_starts.is_empty() {
            return (1, 1);
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line];
        if line == 0 && self.bom {
            start = start.max(3.min(offset));
        }
        let column = match &self.text {
            Some(text) => {
                let (s, e) = (start as usize, (offset as usize).min(text.len()));
                text.get(s..e)
                    .map_or(e.saturating_sub(s), |t| t.chars().count())
            }
            None if !self.continuation.is_empty() => {
                let end = offset.min(self.len);
                let before = |x: u32| self.continuation.partition_point(|&c| c < x);
                let bytes = end.saturating_sub(start) as usize;
                // An offset inside a character counts bytes, as the text's own slice would.
                match self.continuation.binary_search(&end) {
                    Ok(_) => bytes,
                    Err(_) => bytes - (before(end) - before(start)),
                }
            }
            None => (offset - start) as usize,
        };
        (line as u32 + 1, column as u32 + 1)
    }

    pub fn is_redacted(&self, loc: &Loc) -> bool {
        crate::secrets::overlaps(&self.redactions, loc.start, loc.end)
    }
}

/// Every entity of one run.
#[derive(Default)]
pub struct Model {
    pub files: Vec<FileInfo>,
    pub store: Store,
    /// Accounts from this index on are later declarations of an id already declared
    /// (`duplicate-name` and nothing else sees them).
    pub first_duplicate_account: usize,
    /// For each record of the match table: (rule index, pattern index, route).
    pub match_rules: Vec<(usize, usize)>,
    pub match_routes: Vec<StrId>,
}

/// A read-only view of one record.
#[derive(Clone, Copy)]
pub struct Rec<'m> {
    pub store: &'m Store,
    pub kind: Kind,
    pub idx: u32,
    slots: &'m [Slot],
    vals: &'m [MVal],
    /// Empty once the record's details were let go.
    details: &'m [Slot],
    layout: &'static fields::Layout,
    pub head: &'m Head,
}

impl<'m> Rec<'m> {
    pub fn file(&self) -> u32 {
        self.head.file
    }

    pub fn loc(&self) -> Option<Loc> {
        self.head.loc.loc(self.head.file)
    }

    pub fn slot(&self, field: usize) -> Slot {
        match self.layout.place[field] {
            Place::Slot(p) => self.slots[p],
            Place::Val(p) => Slot::value(self.vals[p]),
            Place::Detail(p) => match self.details.get(p) {
                Some(slot) => *slot,
                None => released_detail(self.kind, field),
            },
        }
    }

    pub fn val(&self, field: usize) -> MVal {
        match self.layout.place[field] {
            Place::Slot(p) => self.slots[p].val(),
            Place::Val(p) => self.vals[p],
            Place::Detail(_) => self.slot(field).val(),
        }
    }

    pub fn slot_loc(&self, field: usize) -> Option<Loc> {
        self.slot(field).loc.loc(self.head.file)
    }

    pub fn key_loc(&self, field: usize) -> Option<Loc> {
        self.store
            .key_of(self.slot(field), self.head.file)
            .loc(self.head.file)
    }

    pub fn str(&self, field: usize) -> Option<&'m str> {
        match self.val(field) {
            MVal::Str(id) => Some(self.store.str_of(id)),
            _ => None,
        }
    }

    pub fn reference(&self, field: usize) -> Option<u32> {
        match self.val(field) {
            MVal::Ref(r) => Some(r),
            _ => None,
        }
    }

    pub fn date(&self, field: usize) -> Option<i32> {
        match self.val(field) {
            MVal::Date(d) => Some(d),
            _ => None,
        }
    }

    pub fn int(&self, field: usize) -> Option<i32> {
        match self.val(field) {
            MVal::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn bool(&self, field: usize) -> Option<bool> {
        match self.val(field) {
            MVal::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_invalid(&self, field: usize) -> bool {
        matches!(self.val(field), MVal::Invalid)
    }

    /// The items of a list field (strings with their locations).
    pub fn list(&self, field: usize) -> Option<&'m [Slot]> {
        match self.val(field) {
            MVal::List(r) => Some(self.store.list(r)),
            _ => None,
        }
    }

    /// The strings of a list field (invalid items left out), with their locations and indices.
    pub fn strs(&self, field: usize) -> Option<Vec<(&'m str, Option<Loc>, usize)>> {
        let items = self.list(field)?;
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, s)| match s.val() {
                    MVal::Str(id) => Some((self.store.str_of(id), s.loc.loc(self.head.file), i)),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The references of a derived list field.
    pub fn refs(&self, field: usize) -> &'m [u32] {
        match self.val(field) {
            MVal::Refs(r) => self.store.refs_of(r),
            _ => &[],
        }
    }
}

impl Model {
    pub fn len(&self, kind: Kind) -> usize {
        self.store.len(kind)
    }

    pub fn record(&self, kind: Kind, idx: u32) -> Rec<'_> {
        let layout = layout(kind);
        let t = &self.store.tables[kind as usize];
        let (ls, vs) = (idx as usize * layout.located, idx as usize * layout.values);
        let details = match t.details_row(layout, idx) {
            Some(ds) => &t.details[ds..ds + layout.details],
            None => &[],
        };
        Rec {
            store: &self.store,
            kind,
            idx,
            slots: &t.slots[ls..ls + layout.located],
            vals: &t.vals[vs..vs + layout.values],
            details,
            layout,
            head: &t.heads[idx as usize],
        }
    }

    /// Every record of a kind, in order.
    pub fn records(&self, kind: Kind) -> impl Iterator<Item = Rec<'_>> {
        (0..self.len(kind) as u32).map(move |i| self.record(kind, i))
    }

    pub fn str_of(&self, id: StrId) -> &str {
        self.store.str_of(id)
    }

    /// The route of an entity in its document (`/connections/jira/credential`), for baselines.
    pub fn route(&self, kind: Kind, idx: u32) -> String {
        use fields::*;
        let rec = self.record(kind, idx);
        let prefix = if rec.head.doc > 0 {
            format!("[{}]", rec.head.doc)
        } else {
            String::new()
        };
        let esc = |s: &str| s.replace('~', "~0").replace('/', "~1");
        match kind {
            Kind::Integration => prefix,
            Kind::Connection => format!(
                "{prefix}/connections/{}",
                esc(rec.str(connection::ID).unwrap_or(""))
            ),
            Kind::Credential => match rec.reference(credential::CONNECTION) {
                Some(c) => format!("{}/credential", self.route(Kind::Connection, c)),
                None => prefix,
            },
            Kind::Rotation => match rec.reference(rotation::CREDENTIAL) {
                Some(c) => format!("{}/rotation", self.route(Kind::Credential, c)),
                None => prefix,
            },
            Kind::Account => {
                if rec.bool(account::INLINE) == Some(true) {
                    match rec.refs(account::USES).first() {
                        Some(&c) => format!("{}/account", self.route(Kind::Connection, c)),
                        None => prefix,
                    }
                } else {
                    format!(
                        "{prefix}/accounts/{}",
                        esc(rec.str(account::ID).unwrap_or(""))
                    )
                }
            }
            Kind::Flow => format!("{prefix}/flows/{}", rec.int(flow::INDEX).unwrap_or(1) - 1),
            Kind::Need => rec
                .reference(need::CONNECTION)
                .map_or(prefix, |c| self.route(Kind::Connection, c)),
            Kind::Grant => {
                let i = rec.int(grant::INDEX).unwrap_or(0);
                match (
                    rec.reference(grant::CONNECTION),
                    rec.reference(grant::ACCOUNT),
                ) {
                    (Some(c), _) => {
                        let cred = self
                            .record(Kind::Connection, c)
                            .reference(connection::CREDENTIAL);
                        let base = cred.map_or_else(
                            || self.route(Kind::Connection, c),
                            |k| self.route(Kind::Credential, k),
                        );
                        format!("{base}/scopes/{i}")
                    }
                    (None, Some(a)) => format!("{}/permissions/{i}", self.route(Kind::Account, a)),
                    _ => prefix,
                }
            }
            Kind::System => format!("system:{}", rec.str(system::ID).unwrap_or("")),
            Kind::Match => self
                .match_routes
                .get(idx as usize)
                .map_or(prefix, |r| self.str_of(*r).to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_their_length_across_prefix_sizes() {
        let mut store = Store::default();
        let texts: Vec<String> = [0, 1, 63, 64, 65, 4095, 4096, 262_144 + 7]
            .iter()
            .map(|&n| "é".repeat(n / 2) + &"x".repeat(n % 2))
            .collect();
        let ids: Vec<StrId> = texts.iter().map(|t| store.intern(t)).collect();
        for (id, text) in ids.iter().zip(&texts) {
            assert_eq!(store.str_of(*id), text);
        }
        // The prefix is ASCII: the arena stays valid UTF-8 and sliceable.
        assert!(store.strings.is_char_boundary(store.strings.len()));
    }

    #[test]
    fn a_file_store_holds_room_for_its_records_not_a_fixed_minimum() {
        use fields::integration as I;
        let mut store = Store::default();
        let r = store.push(
            Kind::Integration,
            Head {
                file: 0,
                loc: Span32::NONE,
                doc: 0,
            },
        );
        store.set(Kind::Integration, r, I::KEY, Slot::value(MVal::Int(1)));
        store.intern("jira-cloud");
        let t = &store.tables[Kind::Integration as usize];
        let per_record = layout(Kind::Integration).located;
        // Vectors' own growth (at most double); a minimum of 64 items per table, as the run's
        // arenas once had for every store, held about 17 KiB per file.
        assert!(
            t.slots.capacity() < 2 * per_record.max(4),
            "{}",
            t.slots.capacity()
        );
        assert!(t.heads.capacity() < 8, "{}", t.heads.capacity());
        assert!(
            store.strings.capacity() < 64,
            "{}",
            store.strings.capacity()
        );
        // Past the large-arena threshold, growth is by a quarter, not doubling.
        let mut big = vec![0u64; LARGE_ARENA / 8];
        assert_eq!(big.capacity(), LARGE_ARENA / 8);
        room(&mut big, 1);
        assert_eq!(big.capacity(), LARGE_ARENA / 8 + LARGE_ARENA / 32);
    }

    #[test]
    fn merged_strings_are_stored_once() {
        let mut run = Store::default();
        let mut dedup = StrDedup::default();
        let mut map = Vec::new();
        let mut file = Store::default();
        let a = file.intern("credential");
        let b = file.intern("jira-cloud");
        let c = file.intern("credential");
        run.merge_strings(&file, &mut dedup, &mut map);
        let first = (map[a.0 as usize], map[b.0 as usize], map[c.0 as usize]);
        assert_eq!(first.0, first.2, "repeats within a file share one string");
        assert_ne!(first.0, first.1);
        let held = run.strings.len();
        let mut other = Store::default();
        let d = other.intern("jira-cloud");
        let e = other.intern("new");
        run.merge_strings(&other, &mut dedup, &mut map);
        assert_eq!(
            map[d.0 as usize], first.1,
            "repeats across files share one string"
        );
        assert_eq!(run.str_of(StrId(map[e.0 as usize])), "new");
        assert_eq!(run.strings.len(), held + 1 + "new".len());
        assert_eq!(run.str_of(StrId(first.1)), "jira-cloud");
    }

    #[test]
    fn lists_and_reference_runs_keep_their_items() {
        let mut store = Store::default();
        let empty = store.push_refs(&[]);
        let refs = store.push_refs(&[3, 1, 2]);
        assert_eq!(store.refs_of(empty), &[] as &[u32]);
        assert_eq!(store.refs_of(refs), &[3, 1, 2]);
        let x = store.intern("x");
        let list = store.push_list([Slot::value(MVal::Str(x)), Slot::value(MVal::Bool(true))]);
        let none = store.push_list([]);
        assert_eq!(store.list(list).len(), 2);
        assert!(store.list(none).is_empty());
        assert!(matches!(store.list(list)[0].val(), MVal::Str(id) if store.str_of(id) == "x"));
    }

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

    #[test]
    fn columns_without_the_text_are_those_of_the_text() {
        let texts = [
            "owner: Zoë Müller\nname: café\r\n  x: «y»\n",
            "\u{feff}name: Ünïcode\nb: ok\n",
            "a: 😀 and é\rb: ö\r\nc: plain ascii line that is long enough\n",
            "display_name: \"Équipe Intégrations\"\nowner: team-platform\npurpose: Synchronise les tickets entre Jira et Azure DevOps\n",
        ];
        for text in texts {
            let mut kept = FileInfo::default();
            kept.set_text(text, true);
            let mut compact = FileInfo::default();
            compact.set_text(text, false);
            assert!(
                compact.text.is_none() && !compact.continuation.is_empty(),
                "{text:?}"
            );
            for offset in 0..text.len() as u32 + 3 {
                assert_eq!(
                    compact.line_col(offset),
                    kept.line_col(offset),
                    "{text:?} at {offset}"
                );
            }
        }
        // A text mostly of multi-byte characters is kept: its table would be larger.
        let mut dense = FileInfo::default();
        dense.set_text("名前: 統合同期サービス\n", false);
        assert!(dense.text.is_some() && dense.continuation.is_empty());
    }

    #[test]
    fn detail_strings_go_with_their_chunk() {
        use crate::model::resolve::{Assembler, FileModel};
        use fields::integration as I;
        let catalog = crate::catalog::Catalog::builtin().expect("built-in catalog");
        let file = |n: u32| {
            let mut store = Store::default();
            let head = Head {
                file: n,
                loc: Span32::new(0, 40, false),
                doc: 0,
            };
            let r = store.push(Kind::Integration, head);
            let name = store.intern(&format!("sync-{n}"));
            let owner = store.intern(&format!("owner-only-{n}"));
            store.set_val(Kind::Integration, r, I::NAME, MVal::Str(name));
            store.set_val(Kind::Integration, r, I::OWNER, MVal::Str(owner));
            // A string a detail shares with another field stays in the run's arena.
            store.set_val(Kind::Integration, r, I::DESCRIPTION, MVal::Str(name));
            FileModel {
                info: FileInfo::default(),
                store,
                matches: Vec::new(),
            }
        };
        let mut assembler = Assembler::new(&catalog);
        assembler.let_details_go();
        for n in 0..2u32 {
            assembler.add(file(n));
            assembler.settle(|model, merged| {
                assert_eq!(merged[Kind::Integration as usize], n..n + 1);
                let rec = model.record(Kind::Integration, n);
                let owner = format!("owner-only-{n}");
                assert_eq!(rec.str(I::OWNER), Some(owner.as_str()));
                assert_eq!(rec.str(I::DESCRIPTION), Some(format!("sync-{n}").as_str()));
                assert!(!model.store.strings.contains(&owner));
                assert!(model.store.detail_strings.contains(&owner));
            });
        }
        let model = assembler.finish();
        assert!(model.store.detail_strings.is_empty());
        for n in 0..2u32 {
            let rec = model.record(Kind::Integration, n);
            assert_eq!(rec.str(I::NAME), Some(format!("sync-{n}").as_str()));
        }
    }
}
