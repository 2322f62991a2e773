//! Cross-file resolution: merges the per-file stores in path order, then derives what needs
//! every file at once: accounts by id (first declaration wins), their uses, capabilities and
//! needs from flows and the catalog, granted permissions, duplicate names.
//!
//! [`Assembler`] (`assemble.rs`) takes the files as they come and merges each (`merge.rs`);
//! once every file is in, `resolve` runs the passes, a file each: duplicate integration
//! names, accounts by id and their uses (`accounts.rs`), what the flows need of their
//! connections (`flows.rs`), needs, grants. Each reads only what the merge and the passes
//! before it wrote, and the read-only ones run on the run's pool (`pool.rs`).

mod access;
mod accounts;
mod assemble;
mod duplicate_names;
mod flows;
mod grants;
mod groups;
mod merge;
mod needs;
mod pool;
mod resources;

pub use assemble::{assemble, Assembler};
pub use merge::FileModel;

use std::collections::HashMap;

use crate::catalog::{Catalog, System};
use crate::model::{Model, StrId};
use accounts::{account_uses, connection_facts, write_accounts, ConnectionFacts};
use duplicate_names::{duplicate_names, write_duplicate_names};
use flows::flow_needs;
use grants::resolve_grants;
use needs::resolve_needs;
use pool::join;
use resources::resolve_resources;

/// A system of the catalog, by its string id in the model.
fn system_of<'c>(
    catalog: &'c Catalog,
    model: &Model,
    id: Option<StrId>,
) -> Option<(usize, &'c System)> {
    id.and_then(|s| catalog.get(model.str_of(s)))
}

/// Derives what needs every file, once every file is merged.
fn resolve(model: &mut Model, catalog: &Catalog, account_ids: &HashMap<String, u32>) {
    // These three only read what the merge built, and none reads what another computes: they
    // run side by side on the run's pool. What they found is written in the order it always was.
    let (dup_of, (conns, flows)) = join(
        || duplicate_names(model),
        || {
            join(
                || connection_facts(model, account_ids),
                || flow_needs(model),
            )
        },
    );
    write_duplicate_names(model, dup_of);
    let ConnectionFacts {
        system: conn_system,
        accounts,
        inline_names,
    } = conns;
    write_accounts(model, accounts, inline_names);
    let accounts = account_uses(model, catalog);
    let access = access::evaluate(model, catalog, &conn_system, &accounts, &flows.cap_bits);
    resolve_needs(model, catalog, &access, &flows);
    drop(flows);
    resolve_grants(model, catalog, &conn_system, &accounts, &access);
    access::write_scoped(model, &access);
    resolve_resources(model, &accounts);
}
