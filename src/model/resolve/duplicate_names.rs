//! Integrations that share a name: each later one points to the first.

use std::collections::HashMap;

use crate::model::fields::{integration as I, Kind};
use crate::model::{MVal, Model};

/// (integration, the first integration of its name) for every later one of a name; reads only.
pub(super) fn duplicate_names(model: &Model) -> Vec<(u32, u32)> {
    let mut names: HashMap<&str, u32> = HashMap::new();
    let mut dup_of = Vec::new();
    for rec in model.records(Kind::Integration) {
        if let Some(name) = rec.str(I::NAME) {
            match names.get(name) {
                Some(&first) => dup_of.push((rec.idx, first)),
                None => {
                    names.insert(name, rec.idx);
                }
            }
        }
    }
    dup_of
}

/// Writes what [`duplicate_names`] found.
pub(super) fn write_duplicate_names(model: &mut Model, dup_of: Vec<(u32, u32)>) {
    for (i, first) in dup_of {
        model
            .store
            .set_val(Kind::Integration, i, I::DUPLICATE_OF, MVal::Ref(first));
    }
}
