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
//! derived reference lists in one `u32` arena. A slot is 28 bytes.

pub mod build;
pub mod date;
pub mod fields;
pub mod resolve;

pub use fields::{field_index, fields_of, layout, FieldDef, Kind, Ty};

use fields::KIND_COUNT;

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

/// A string in the model's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrId {
    start: u32,
    len: u32,
}

/// A run of items in one of the model's arenas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Range32 {
    pub start: u32,
    pub len: u32,
}

impl Range32 {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// A stored value (12 bytes).
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
    List(Range32),
    /// Derived references in the reference arena (their locations are the entities').
    Refs(Range32),
}

/// A field of a record.
#[derive(Clone, Copy, Debug, Default)]
pub struct Slot {
    pub val: MVal,
    pub loc: Span32,
    pub key: Span32,
}

impl Slot {
    pub fn new(val: MVal, loc: Span32, key: Span32) -> Slot {
        Slot { val, loc, key }
    }

    pub fn value(val: MVal) -> Slot {
        Slot {
            val,
            loc: Span32::NONE,
            key: Span32::NONE,
        }
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
/// with their locations (`slots`), derived fields as bare values (`vals`).
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub slots: Vec<Slot>,
    pub vals: Vec<MVal>,
    pub heads: Vec<Head>,
}

impl Table {
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
}

/// Makes room for `additional` items growing by a quarter rather than doubling: the arenas are
/// the largest allocations of a run, and doubling would leave up to half of them unused.
fn room<T>(v: &mut Vec<T>, additional: usize) {
    if v.len() + additional > v.capacity() {
        v.reserve_exact(additional.max(v.capacity() / 4).max(64));
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
        t.heads.push(head);
        t.slots
            .extend(std::iter::repeat_n(Slot::default(), l.located));
        t.vals.extend(std::iter::repeat_n(MVal::Absent, l.values));
        (t.heads.len() - 1) as u32
    }

    pub fn set(&mut self, kind: Kind, idx: u32, field: usize, slot: Slot) {
        let l = layout(kind);
        let t = &mut self.tables[kind as usize];
        match l.place[field] {
            (true, p) => t.slots[idx as usize * l.located + p] = slot,
            (false, p) => t.vals[idx as usize * l.values + p] = slot.val,
        }
    }

    pub fn set_val(&mut self, kind: Kind, idx: u32, field: usize, val: MVal) {
        let l = layout(kind);
        let t = &mut self.tables[kind as usize];
        match l.place[field] {
            (true, p) => t.slots[idx as usize * l.located + p].val = val,
            (false, p) => t.vals[idx as usize * l.values + p] = val,
        }
    }

    pub fn slot(&self, kind: Kind, idx: u32, field: usize) -> Slot {
        let l = layout(kind);
        let t = &self.tables[kind as usize];
        match l.place[field] {
            (true, p) => t.slots[idx as usize * l.located + p],
            (false, p) => Slot::value(t.vals[idx as usize * l.values + p]),
        }
    }

    pub fn intern(&mut self, s: &str) -> StrId {
        let start = self.strings.len() as u32;
        if self.strings.len() + s.len() > self.strings.capacity() {
            let cap = self.strings.capacity();
            self.strings.reserve_exact(s.len().max(cap / 4).max(256));
        }
        self.strings.push_str(s);
        StrId {
            start,
            len: s.len() as u32,
        }
    }

    pub fn str_of(&self, id: StrId) -> &str {
        &self.strings[id.start as usize..(id.start + id.len) as usize]
    }

    pub fn push_list(&mut self, items: impl IntoIterator<Item = Slot>) -> Range32 {
        let start = self.lists.len() as u32;
        for item in items {
            room(&mut self.lists, 1);
            self.lists.push(item);
        }
        Range32 {
            start,
            len: self.lists.len() as u32 - start,
        }
    }

    pub fn push_refs(&mut self, items: &[u32]) -> Range32 {
        let start = self.refs.len() as u32;
        room(&mut self.refs, items.len());
        self.refs.extend_from_slice(items);
        Range32 {
            start,
            len: items.len() as u32,
        }
    }

    pub fn list(&self, r: Range32) -> &[Slot] {
        &self.lists[r.range()]
    }

    pub fn refs_of(&self, r: Range32) -> &[u32] {
        &self.refs[r.range()]
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
        }
        if self.strings.len() + other.strings.len() > self.strings.capacity() {
            let cap = self.strings.capacity();
            self.strings.reserve_exact(other.strings.len().max(cap / 4));
        }
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
        }
        self.strings.shrink_to_fit();
        self.lists.shrink_to_fit();
        self.refs.shrink_to_fit();
    }
}

/// Per-file facts kept after parsing (the tree itself is dropped).
#[derive(Clone, Debug, Default)]
pub struct FileInfo {
    /// Path as printed (relative to the current folder when under it, `/`-separated).
    pub display: String,
    /// Path relative to the context root (ordering, baselines, SARIF).
    pub rel: String,
    /// Findings in this file are reported (named, or found under a named folder).
    pub reported: bool,
    /// Byte offsets where lines start.
    pub line_starts: Vec<u32>,
    /// The text, kept only for files with non-ASCII characters (columns count code points) and
    /// for standard input.
    pub text: Option<std::sync::Arc<str>>,
    /// Byte ranges holding secrets (literal secret values, credential-pattern matches): masked
    /// in every excerpt and message.
    pub redactions: Vec<std::ops::Range<u32>>,
    /// The file starts with a UTF-8 BOM (not counted in columns).
    pub bom: bool,
}

impl FileInfo {
    pub fn new(display: String, rel: String, reported: bool) -> FileInfo {
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
        if keep || !text.is_ascii() {
            self.text = Some(text.into());
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
            None => (offset - start) as usize,
        };
        (line as u32 + 1, column as u32 + 1)
    }

    pub fn is_redacted(&self, loc: &Loc) -> bool {
        crate::redact::overlaps(&self.redactions, loc.start, loc.end)
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
            (true, p) => self.slots[p],
            (false, p) => Slot::value(self.vals[p]),
        }
    }

    pub fn val(&self, field: usize) -> MVal {
        match self.layout.place[field] {
            (true, p) => self.slots[p].val,
            (false, p) => self.vals[p],
        }
    }

    pub fn slot_loc(&self, field: usize) -> Option<Loc> {
        self.slot(field).loc.loc(self.head.file)
    }

    pub fn key_loc(&self, field: usize) -> Option<Loc> {
        self.slot(field).key.loc(self.head.file)
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
                .filter_map(|(i, s)| match s.val {
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
        Rec {
            store: &self.store,
            kind,
            idx,
            slots: &t.slots[ls..ls + layout.located],
            vals: &t.vals[vs..vs + layout.values],
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
