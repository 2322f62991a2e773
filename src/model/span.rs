//! Locations: a [`Loc`] (file and byte range) as findings carry it, and the [`Span32`] a slot
//! stores (a byte range in its record's file, the alias bit in the top bit of its end).

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
    pub(super) start: u32,
    pub(super) end: u32,
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
