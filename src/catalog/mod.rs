//! The systems catalog: what each system's grants are and what each capability requires, in
//! the access model version 2 (`docs/access-model.md`): grants in two layers (`permission`
//! of the account, `scope` of the token) with risk tiers and implications, requirements per
//! layer as all-of alternatives, credential lifecycle facts, and where each fact comes from.
//! The data lives in `rules/systems/` (embedded) and in user folders (`--catalog`,
//! `catalogs`), which add systems, replace them by id, or extend them (`extends: true`).
//!
//! `file.rs` is the file as written (both versions), `build.rs` turns a file into a
//! [`System`] with names resolved, implications closed and every reference checked.

mod build;
mod entry;
mod file;

use std::collections::BTreeMap;
use std::path::Path;

use crate::data::{self, error_at, DataError};
use crate::schema::SchemaKind;
use crate::source::Node;

pub use entry::{Entry, Head};
pub use file::Provenance;
use file::SystemFile;

/// The capabilities of the access model, version 2, in the order findings list them: the
/// `sync` items, `read` (needed by every `from` side) and `users` (needed only through
/// `also_needs`).
pub const CAPABILITIES: [&str; 15] = [
    "read",
    "create",
    "update",
    "delete",
    "comments",
    "internal-comments",
    "attachments",
    "status",
    "assignee",
    "reporter",
    "worklogs",
    "links",
    "labels",
    "hierarchy",
    "users",
];

/// The position of a capability in [`CAPABILITIES`].
pub fn capability_index(name: &str) -> Option<usize> {
    CAPABILITIES.iter().position(|c| *c == name)
}

/// The layer a grant belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// What the account itself may do (its `permissions`).
    Permission,
    /// What a token may do on the account's behalf (a credential's `scopes`).
    Scope,
}

impl Layer {
    pub const ALL: [Layer; 2] = [Layer::Permission, Layer::Scope];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Permission => "permission",
            Layer::Scope => "scope",
        }
    }
}

/// How much harm a grant can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Admin,
    Destructive,
    Broad,
    Narrow,
}

impl Tier {
    pub fn name(self) -> &'static str {
        match self {
            Tier::Admin => "admin",
            Tier::Destructive => "destructive",
            Tier::Broad => "broad",
            Tier::Narrow => "narrow",
        }
    }
}

/// One grant of a system.
#[derive(Clone, Debug)]
pub struct Grant {
    pub name: String,
    pub layer: Layer,
    pub tier: Tier,
    /// As written (`"*"`: every grant of its layer).
    pub implies: Vec<String>,
    /// Every grant it holds by implication, itself excluded: sorted grant indices.
    pub closure: Vec<u32>,
    /// Grant indices.
    pub narrower: Vec<u32>,
    /// The capabilities (a bit per [`CAPABILITIES`] index) with an alternative, in this
    /// grant's layer, that contains it or a grant it implies: what makes it "used".
    pub requirement_of: u16,
    pub advice: Option<String>,
    pub description: Option<String>,
    pub provenance: Provenance,
}

/// Alternatives of one layer: any one suffices, each a set of grant indices needed together.
pub type Alternatives = Vec<Vec<u32>>;

/// What one capability requires on a system.
#[derive(Clone, Debug, Default)]
pub struct Capability {
    /// Per layer ([`Layer`] as index); `None`: the catalog gives no requirement in that layer.
    pub layers: [Option<Alternatives>; 2],
    /// Capability indices, direct (`also_needs` as written).
    pub also_needs: Vec<usize>,
    /// Why the system cannot do it, when it cannot.
    pub unsupported: Option<String>,
    pub provenance: Provenance,
}

impl Capability {
    pub fn layer(&self, layer: Layer) -> Option<&Alternatives> {
        self.layers[layer as usize].as_ref()
    }
}

/// Whether a credential type carries scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scoped {
    Always,
    Never,
    /// Only on accounts of these `type`s.
    ForAccountTypes(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Lifetime {
    pub max_days: i64,
    /// `platform` (the vendor enforces it) rather than `default_policy`.
    pub platform: bool,
    pub provenance: Provenance,
}

#[derive(Clone, Debug)]
pub struct Deprecation {
    /// `YYYY-MM-DD`; `None`: deprecated on every date.
    pub since: Option<String>,
    pub removed: Option<String>,
    pub provenance: Provenance,
}

#[derive(Clone, Debug)]
pub struct CredentialType {
    pub scoped: Scoped,
    pub can_expire: bool,
    pub lifetime: Option<Lifetime>,
    pub deprecated: Option<Deprecation>,
    pub provenance: Provenance,
}

impl CredentialType {
    /// Whether the type carries scopes on an account of type `account_type`.
    pub fn is_scoped(&self, account_type: Option<&str>) -> bool {
        match &self.scoped {
            Scoped::Always => true,
            Scoped::Never => false,
            Scoped::ForAccountTypes(types) => {
                account_type.is_some_and(|t| types.iter().any(|x| x == t))
            }
        }
    }
}

/// One system, as the rules need it.
#[derive(Clone, Debug)]
pub struct System {
    pub id: String,
    pub name: String,
    pub url_hints: Vec<String>,
    pub credential_types: BTreeMap<String, CredentialType>,
    pub password_alternative: Option<bool>,
    /// Where `password_alternative` comes from.
    pub password_alternative_provenance: Option<Provenance>,
    /// Sorted by name (looked up by binary search, once per list item).
    pub grants: Vec<Grant>,
    /// By [`CAPABILITIES`] index.
    pub capabilities: Vec<Option<Capability>>,
    pub sources: BTreeMap<String, String>,
    /// Where the system came from (embedded file or user file), extending files after it.
    pub origin: String,
}

impl System {
    /// The index of a grant by its exact name.
    pub fn grant(&self, name: &str) -> Option<u32> {
        self.grants
            .binary_search_by(|g| g.name.as_str().cmp(name))
            .ok()
            .map(|i| i as u32)
    }

    /// The capabilities (a bit per [`CAPABILITIES`] index) with a requirement in `layer`.
    pub fn required_in(&self, layer: Layer) -> u16 {
        self.capabilities
            .iter()
            .enumerate()
            .filter(|(_, c)| c.as_ref().is_some_and(|c| c.layer(layer).is_some()))
            .fold(0, |bits, (i, _)| bits | 1 << i)
    }

    pub fn capability(&self, index: usize) -> Option<&Capability> {
        self.capabilities.get(index).and_then(Option::as_ref)
    }

    /// The platform cap on a credential type's lifetime, in days (a default policy is not one).
    pub fn lifetime_cap(&self, credential_type: &str) -> Option<i64> {
        self.credential_types
            .get(credential_type)
            .and_then(|t| t.lifetime.as_ref())
            .filter(|l| l.platform)
            .map(|l| l.max_days)
    }

    /// `a + b` for an all-of set of grant indices.
    pub fn describe(&self, set: &[u32]) -> String {
        set.iter()
            .map(|&g| self.grants[g as usize].name.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// Every system of one run, ordered by id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Each built when first read ([`Entry`]).
    pub systems: Vec<Entry>,
    /// The files the systems read from user folders were built from (the replacing file, then
    /// extending files), kept so that an extending file can be merged in and the system built
    /// again; an embedded system's file is read again from its JSON form when needed.
    files: BTreeMap<String, SystemFile>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<(usize, &System)> {
        self.index(id).map(|i| (i, &*self.systems[i]))
    }

    /// The position of a system, without building it.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.systems
            .binary_search_by(|s| s.head.id.as_str().cmp(id))
            .ok()
    }

    /// The embedded catalog.
    pub fn builtin() -> Result<Catalog, Vec<DataError>> {
        let mut cat = Catalog::default();
        let files = crate::data::builtin::files("rules/systems/")
            .filter(|(p, _)| crate::data::builtin::is_system_file(p));
        for (path, text) in files {
            // A system is read from its JSON form when a run first needs it, without the
            // located tree (which is only built to locate an error, and the tests rule those
            // out for embedded files); a form it cannot take loads the located way now.
            let forms = crate::data::builtin::json_form(path).zip(data::builtin::system_head(path));
            match forms.and_then(|(json, head)| Entry::embedded(path, json, head)) {
                Some(entry) => cat.insert_entry(entry),
                None => cat.add_file(path, text, true)?,
            }
        }
        Ok(cat)
    }

    /// Adds (or replaces by id) the systems of every `.yaml`/`.yml`/`.json` file in a folder,
    /// in path order; files that extend a system apply after every replacing file.
    pub fn add_dir(&mut self, dir: &Path, confine: Option<&Path>) -> Result<(), Vec<DataError>> {
        let ours = |p: &Path| crate::source::Syntax::of_path(&p.to_string_lossy()).is_some();
        let texts = data::read_dir_files(dir, ("catalog folder", "catalog file"), ours, confine)?;
        // Files that extend a system apply after every file that defines one.
        let mut parsed = Vec::with_capacity(texts.len());
        for (path, text) in &texts {
            let (tree, file) = parse(path, text, false)?;
            parsed.push((path, text, tree, file));
        }
        parsed.sort_by_key(|(_, _, _, file)| file.extends);
        for (path, text, tree, file) in parsed {
            self.apply(path, text, &tree, file)?;
        }
        Ok(())
    }

    /// Adds one system file (validated by `schemas/system.schema.json`).
    pub fn add(&mut self, path: &str, text: &str) -> Result<(), Vec<DataError>> {
        self.add_file(path, text, false)
    }

    fn add_file(&mut self, path: &str, text: &str, embedded: bool) -> Result<(), Vec<DataError>> {
        let (tree, file) = parse(path, text, embedded)?;
        self.apply(path, text, &tree, file)
    }

    fn insert(&mut self, file: SystemFile, system: System) {
        self.files.insert(system.id.clone(), file);
        self.insert_entry(Entry::built(system));
    }

    fn insert_entry(&mut self, entry: Entry) {
        match self.index(&entry.head.id) {
            Some(i) => self.systems[i] = entry,
            None => {
                let at = self.systems.partition_point(|s| s.head.id < entry.head.id);
                self.systems.insert(at, entry);
            }
        }
    }

    /// Adds, replaces or extends the system of one parsed file.
    fn apply(
        &mut self,
        path: &str,
        text: &str,
        tree: &Node,
        file: SystemFile,
    ) -> Result<(), Vec<DataError>> {
        let located = |errors: Vec<build::BuildError>| -> Vec<DataError> {
            errors
                .into_iter()
                .map(|e| error_at(path, text, position(tree, &e.at), e.message))
                .collect()
        };
        let merged = if file.extends {
            let embedded = match self.files.contains_key(&file.id) {
                true => None,
                false => self
                    .index(&file.id)
                    .and_then(|i| self.systems[i].embedded_file()),
            };
            let Some(base) = embedded.as_ref().or_else(|| self.files.get(&file.id)) else {
                return Err(vec![error_at(
                    path,
                    text,
                    position(tree, &["id"]),
                    format!(
                        "`extends: true` for `{}`, which no loaded catalog file defines; drop \
                         `extends` to add a new system",
                        file.id
                    ),
                )]);
            };
            build::extend(base, file, path).map_err(located)?
        } else {
            let builtin = self.get(&file.id).map(|(_, s)| s);
            build::upgrade(file, builtin, path)
        };
        let system = build::system(&merged).map_err(located)?;
        self.insert(merged, system);
        Ok(())
    }
}

/// Reads a system file: its tree (validated by `schemas/system.schema.json`) and its facts.
fn parse<'t>(
    path: &str,
    text: &'t str,
    embedded: bool,
) -> Result<(Node<'t>, SystemFile), Vec<DataError>> {
    let tree = if embedded {
        data::load_embedded(path, text, SchemaKind::System)?
    } else {
        data::load(path, text, SchemaKind::System)?
    };
    let file: SystemFile = serde_json::from_value(tree.to_json()).map_err(|e| {
        vec![error_at(
            path,
            text,
            tree.span.start,
            format!("invalid system file: {e}"),
        )]
    })?;
    Ok((tree, file))
}

/// Where a path of keys starts in a file: the deepest key found.
fn position(tree: &Node, keys: &[impl AsRef<str>]) -> crate::source::Pos {
    let mut node = tree;
    let mut pos = tree.span.start;
    for k in keys {
        match node.get(k.as_ref()) {
            Some(n) => {
                pos = n.span.start;
                node = n;
            }
            None => break,
        }
    }
    pos
}
