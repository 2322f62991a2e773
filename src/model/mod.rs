//! The resolved model the rules see.
//!
//! Entities (integrations, connections, credentials, accounts, flows, and the derived needs and
//! grants) are records of slots. Each kind has a static field table ([`fields`]) that gives
//! every field its name, type and documentation: the rule compiler resolves `account.owner` to a
//! slot index once, `bridgelint explain` and the docs list the fields from the same table.
//!
//! A slot holds a value, the location of that value and the location of the key it sits under.
//! Values that broke the schema are `Invalid` (hidden from the rules, rules.md "Precise
//! semantics"); missing ones are `Absent`.

pub mod build;
pub mod date;
pub mod fields;
pub mod resolve;

pub use fields::{field_index, fields_of, FieldDef, Kind, Ty};

/// A location in a file: byte offsets; line and column are computed when reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: u32,
    pub start: u32,
    pub end: u32,
    /// Reached through a YAML alias or merge: the span is the anchored text.
    pub via_alias: bool,
}

impl Loc {
    pub const NONE: Loc = Loc {
        file: u32::MAX,
        start: 0,
        end: 0,
        via_alias: false,
    };

    pub fn is_none(&self) -> bool {
        self.file == u32::MAX
    }

    pub fn some(self) -> Option<Loc> {
        (!self.is_none()).then_some(self)
    }
}

/// A stored value.
#[derive(Clone, Debug, Default)]
pub enum MVal {
    #[default]
    Absent,
    Invalid,
    Null,
    Bool(bool),
    Int(i64),
    Str(Box<str>),
    /// Days since 1970-01-01.
    Date(i32),
    Ref(u32),
    List(Box<[Slot]>),
}

/// A field of a record.
#[derive(Clone, Debug, Default)]
pub struct Slot {
    pub val: MVal,
    pub loc: Option<Loc>,
    pub key: Option<Loc>,
}

impl Slot {
    pub fn new(val: MVal, loc: Option<Loc>, key: Option<Loc>) -> Slot {
        Slot { val, loc, key }
    }
}

/// One entity.
#[derive(Clone, Debug)]
pub struct Record {
    pub slots: Box<[Slot]>,
    /// Where the entity itself is (its mapping or item).
    pub loc: Option<Loc>,
    /// The file it comes from.
    pub file: u32,
    /// Its route in its document, e.g. `#0/connections/jira` (document index, then keys).
    pub route: Box<str>,
}

impl Record {
    pub fn new(kind: Kind, file: u32, loc: Option<Loc>, route: String) -> Record {
        Record {
            slots: vec![Slot::default(); fields_of(kind).len()].into_boxed_slice(),
            loc,
            file,
            route: route.into(),
        }
    }

    pub fn set(&mut self, field: usize, slot: Slot) {
        self.slots[field] = slot;
    }

    pub fn str(&self, field: usize) -> Option<&str> {
        match &self.slots[field].val {
            MVal::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn reference(&self, field: usize) -> Option<u32> {
        match self.slots[field].val {
            MVal::Ref(r) => Some(r),
            _ => None,
        }
    }

    pub fn date(&self, field: usize) -> Option<i32> {
        match self.slots[field].val {
            MVal::Date(d) => Some(d),
            _ => None,
        }
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
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i as u32 + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i as u32 + 1);
                }
                _ => {}
            }
            i += 1;
        }
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
        self.redactions
            .iter()
            .any(|r| loc.start < r.end && r.start < loc.end.max(loc.start + 1))
    }
}

/// Every entity of one run.
#[derive(Default)]
pub struct Model {
    pub files: Vec<FileInfo>,
    pub tables: [Vec<Record>; fields::KIND_COUNT],
    /// Accounts from this index on are later declarations of an id already declared
    /// (`duplicate-name` and nothing else sees them).
    pub first_duplicate_account: usize,
    /// For each record of the match table: (rule index, pattern index).
    pub match_rules: Vec<(usize, usize)>,
}

impl Model {
    pub fn table(&self, kind: Kind) -> &[Record] {
        &self.tables[kind as usize]
    }

    pub fn record(&self, kind: Kind, index: u32) -> &Record {
        &self.tables[kind as usize][index as usize]
    }
}
