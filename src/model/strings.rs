//! The string arena: [`StrId`] handles to length-prefixed strings, each string stored once per
//! run ([`StrDedup`] when merging), and the detail strings let go with their chunk.

use std::hash::BuildHasher;

use super::arena::room_str;
use super::{MVal, Store};

/// A string in the model's arena: the offset of its length prefix.
///
/// Handles are 4 bytes so that a stored value is 8 (the model holds about a million of them
/// on 10,000 integrations): the length sits in the arena, in front of the text, in 6-bit
/// groups of ASCII bytes (bit 6 says another group follows), which keeps the arena valid UTF-8
/// without `unsafe`. Strings under 64 bytes, nearly all of them, pay one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StrId(pub(super) u32);

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

/// The bit of a string id that says it is in the run's detail strings: string arenas hold less
/// than 2 GiB.
const DETAIL_TEXT: u32 = 1 << 31;

impl Store {
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
    pub(super) fn merge_strings(
        &mut self,
        other: &Store,
        dedup: &mut StrDedup,
        map: &mut Vec<u32>,
    ) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{fields, FileInfo, Head, Kind, Span32};

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
