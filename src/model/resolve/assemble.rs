//! The [`Assembler`]: builds the run's model file by file (catalog systems first, each file
//! merged as it comes, the arenas sized once from the first files), lets each chunk's details
//! go once they are checked, and resolves once every file is in.

use std::collections::HashMap;

use super::merge::{merge, Duplicate, FileModel};
use super::resolve;
use crate::catalog::Catalog;
use crate::model::fields::{self, Kind, KIND_COUNT};
use crate::model::{Head, MVal, Model, Slot, Span32, Store, StrDedup};

/// Files added before the arenas are sized for the whole run.
const SIZING_SAMPLE: usize = 512;

/// Builds the model file by file: files are added in path order as soon as they are parsed
/// (so that a run never holds every file's records twice), then resolved once.
pub struct Assembler<'c> {
    model: Model,
    catalog: &'c Catalog,
    account_ids: HashMap<String, u32>,
    duplicates: Vec<Duplicate>,
    strings: StrDedup,
    /// How many files will come (to size the arenas once, from the first files).
    expected: usize,
    /// How many have been added.
    added: usize,
}

impl<'c> Assembler<'c> {
    pub fn new(catalog: &'c Catalog) -> Assembler<'c> {
        let mut model = Model::default();
        add_systems(&mut model.store, catalog);
        Assembler {
            model,
            catalog,
            account_ids: HashMap::new(),
            duplicates: Vec::new(),
            strings: StrDedup::default(),
            expected: 0,
            added: 0,
        }
    }

    /// Tells how many files will be added.
    pub fn expect(&mut self, files: usize) {
        self.expected = files;
        self.model.files.reserve_exact(files);
    }

    /// Adds the next file (file ids are positions: files must come in order).
    pub fn add(&mut self, fm: FileModel) {
        merge(
            &mut self.model,
            fm,
            &mut self.account_ids,
            &mut self.duplicates,
            &mut self.strings,
        );
        self.added += 1;
        if self.added == SIZING_SAMPLE && self.expected > 2 * SIZING_SAMPLE {
            // Size the arenas once for every file to come, from the first ones, with a margin:
            // growing them step by step copied each one several times and held the old and the
            // new copy at once, the peak of a run. Capacity never written is never resident,
            // and `finish` gives back what was not used.
            let factor = self.expected as f64 / SIZING_SAMPLE as f64 * 1.25;
            self.model.store.reserve_scaled(factor);
        }
    }

    /// Tells that the run will settle each chunk ([`Assembler::settle`]): the strings only
    /// details read are then kept apart from the run's arena, and go with them.
    pub fn let_details_go(&mut self) {
        self.model.store.details_go = true;
    }

    /// Hands the model and the records merged since the last call (ranges by kind) to
    /// `evaluate` (the file-local checks), then lets go of those records' details.
    pub fn settle<T>(
        &mut self,
        evaluate: impl FnOnce(&Model, &[std::ops::Range<u32>; KIND_COUNT]) -> T,
    ) -> T {
        let tables = &self.model.store.tables;
        let merged = std::array::from_fn(|k| tables[k].details_from..tables[k].len() as u32);
        let out = evaluate(&self.model, &merged);
        self.model.store.release_details();
        out
    }

    /// Resolves everything that needs every file.
    pub fn finish(mut self) -> Model {
        let accounts = &mut self.model.store.tables[Kind::Account as usize];
        self.model.first_duplicate_account = accounts.heads.len();
        for (head, slots, vals) in self.duplicates {
            accounts.heads.push(head);
            accounts.slots.extend(slots);
            accounts.vals.extend(vals);
        }
        self.model.store.resolving = true;
        resolve(&mut self.model, self.catalog, &self.account_ids);
        self.model.store.resolving = false;
        self.model.store.shrink_to_fit();
        self.model
    }
}

/// Merges file models (in path order; file ids are their positions) and resolves.
pub fn assemble(files: Vec<FileModel>, catalog: &Catalog) -> Model {
    let mut assembler = Assembler::new(catalog);
    for fm in files {
        assembler.add(fm);
    }
    assembler.finish()
}

/// The catalog's systems, as the first records of the run's system table: a file refers to a
/// system by its catalog index.
fn add_systems(store: &mut Store, catalog: &Catalog) {
    use fields::system as S;
    // From each system's head: building a system the run's connections do not name would cost
    // more than the run (crate::catalog::Entry).
    for sys in catalog.systems.iter().map(|s| &s.head) {
        let idx = store.push(
            Kind::System,
            Head {
                file: u32::MAX,
                loc: Span32::NONE,
                doc: 0,
            },
        );
        let id = store.intern(&sys.id);
        store.set_val(Kind::System, idx, S::ID, MVal::Str(id));
        let name = store.intern(&sys.name);
        store.set_val(Kind::System, idx, S::NAME, MVal::Str(name));
        let hints: Vec<Slot> = sys
            .url_hints
            .iter()
            .map(|h| Slot::value(MVal::Str(store.intern(h))))
            .collect();
        let hints = store.push_list(hints);
        store.set_val(Kind::System, idx, S::URL_HINTS, MVal::List(hints));
        store.set_val(
            Kind::System,
            idx,
            S::PASSWORD_ALTERNATIVE,
            sys.password_alternative.map_or(MVal::Null, MVal::Bool),
        );
        let unsupported: Vec<Slot> = crate::catalog::CAPABILITIES
            .iter()
            .enumerate()
            .filter(|(i, _)| sys.unsupported & 1 << i != 0)
            .map(|(_, c)| Slot::value(MVal::Str(store.intern(c))))
            .collect();
        let unsupported = store.push_list(unsupported);
        store.set_val(Kind::System, idx, S::UNSUPPORTED, MVal::List(unsupported));
    }
}
