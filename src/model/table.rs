//! Records of one kind ([`Table`]): their heads, their rows of slots and values, and the rows
//! of details held while their chunk is checked.

use super::fields::{fields_of, Kind, Layout};
use super::{MVal, Slot, Span32};

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
/// details (`details`, see [`FieldDef::detail`](super::fields::FieldDef::detail)) of the
/// records from `details_from` on.
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
    pub(super) fn details_row(&self, l: &Layout, idx: u32) -> Option<usize> {
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

/// What reading a detail that was let go gives: nothing (absent). The run lets details go
/// only when no rule that runs after the merge reads one (`RuleSet::details_stay_local`);
/// a debug build says so loudly if some code still does.
pub(super) fn released_detail(kind: Kind, field: usize) -> Slot {
    debug_assert!(
        false,
        "{}.{} read after its details were let go",
        kind.name(),
        fields_of(kind)[field].name
    );
    Slot::default()
}
