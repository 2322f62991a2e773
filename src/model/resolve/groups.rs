//! [`Groups`]: record indices grouped by record in one flat array (a connection's flows and
//! needs, an account's uses).

/// Record indices grouped by record (one flat array and offsets): a `Vec<Vec<u32>>` paid a
/// header and an allocation for each connection or account.
pub(super) struct Groups {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Groups {
    /// Groups the (group, item) pairs that `pairs` yields (called twice: to count, to fill);
    /// items keep their order within a group.
    pub(super) fn new<I: Iterator<Item = (u32, u32)>>(
        groups: usize,
        pairs: impl Fn() -> I,
    ) -> Groups {
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

    pub(super) fn get(&self, group: u32) -> &[u32] {
        let g = group as usize;
        &self.items[self.starts[g] as usize..self.starts[g + 1] as usize]
    }
}
