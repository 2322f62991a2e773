//! The list and reference arenas ([`ListId`], [`RefsId`]), and how every arena of a store
//! grows: a file's store as vectors do, the run's by a quarter once large.

use super::{MVal, Slot, Store};

/// A list in the model's list arena: the index of its header (an `Int` holding the length),
/// the items follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListId(pub(super) u32);

/// A run of derived references in the reference arena: the index of its length, the
/// references follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefsId(pub(super) u32);

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
pub(super) fn room<T>(v: &mut Vec<T>, additional: usize) {
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
pub(super) fn room_str(s: &mut String, additional: usize) {
    if s.len() + additional > s.capacity() {
        s.reserve_exact(room_for(s.len(), s.capacity(), 1, additional));
    }
}

impl Store {
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
    pub(super) fn run_mut(refs: &mut [u32], id: RefsId) -> &mut [u32] {
        let at = id.0 as usize;
        let len = refs[at] as usize;
        &mut refs[at + 1..at + 1 + len]
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fields, layout, Head, Kind, Span32};

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
}
