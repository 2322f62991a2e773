//! The systems catalog: facts about each system (credential lifetimes, token alternatives,
//! permission vocabulary with admin-level marks, the permissions that grant each capability).
//! The data lives in `rules/systems/` (embedded) and in user folders (`--catalog`, `catalogs`),
//! which add systems or replace them by id.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::data::{self, error_at, DataError};
use crate::schema::SchemaKind;
use crate::source::Node;

#[derive(Clone, Debug, Deserialize)]
struct SystemFile {
    id: String,
    name: String,
    #[serde(default)]
    url_hints: Vec<String>,
    credential_types: BTreeMap<String, CredentialFact>,
    #[serde(default)]
    password_token_alternative: Option<BoolFact>,
    #[serde(default)]
    permissions: BTreeMap<String, PermissionFact>,
    #[serde(default)]
    capabilities: BTreeMap<String, CapabilityFact>,
    #[serde(default)]
    sources: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Deserialize)]
struct CredentialFact {
    #[serde(default)]
    lifetime_cap_days: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
struct BoolFact {
    value: bool,
}

#[derive(Clone, Debug, Deserialize)]
struct PermissionFact {
    #[serde(default)]
    admin: bool,
}

#[derive(Clone, Debug, Deserialize)]
struct CapabilityFact {
    any_of: Vec<OneOrAll>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum OneOrAll {
    One(String),
    All(Vec<String>),
}

/// One system, as the rules need it.
#[derive(Clone, Debug)]
pub struct System {
    pub id: String,
    pub name: String,
    pub url_hints: Vec<String>,
    /// Credential types the system supports, with their lifetime caps in days.
    pub credential_types: BTreeMap<String, Option<i64>>,
    pub password_token_alternative: Option<bool>,
    /// Sorted (from the file's map, by key): looked up by binary search, once per grant.
    pub admin_permissions: Vec<String>,
    pub permissions: Vec<String>,
    /// Capability → alternatives; each alternative is a set of permissions needed together.
    pub capabilities: BTreeMap<String, Vec<Vec<String>>>,
    /// Where the system came from (embedded file or user file).
    pub origin: String,
}

impl System {
    pub fn lifetime_cap(&self, credential_type: &str) -> Option<i64> {
        self.credential_types
            .get(credential_type)
            .copied()
            .flatten()
    }

    pub fn is_admin(&self, permission: &str) -> bool {
        self.admin_permissions
            .binary_search_by(|p| p.as_str().cmp(permission))
            .is_ok()
    }
}

/// Every system of one run, ordered by id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub systems: Vec<System>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<(usize, &System)> {
        self.systems
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| (i, &self.systems[i]))
    }

    /// The embedded catalog.
    pub fn builtin() -> Result<Catalog, Vec<DataError>> {
        let mut cat = Catalog::default();
        let files = crate::data::builtin::files("rules/systems/")
            .filter(|(p, _)| crate::data::builtin::is_system_file(p));
        for (path, text) in files {
            cat.add_file(path, text, true)?;
        }
        Ok(cat)
    }

    /// Adds (or replaces by id) the systems of every `.yaml`/`.yml`/`.json` file in a folder.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), Vec<DataError>> {
        let display = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            vec![DataError::unlocated(
                &display,
                format!("cannot read catalog folder: {e}"),
            )]
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file() && crate::source::Syntax::of_path(&p.to_string_lossy()).is_some()
            })
            .collect();
        paths.sort();
        for p in paths {
            let path = p.display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|e| {
                vec![DataError::unlocated(
                    &path,
                    format!("cannot read catalog file: {e}"),
                )]
            })?;
            self.add(&path, &text)?;
        }
        Ok(())
    }

    /// Adds one system file (validated by `schemas/system.schema.json`).
    pub fn add(&mut self, path: &str, text: &str) -> Result<(), Vec<DataError>> {
        self.add_file(path, text, false)
    }

    fn add_file(&mut self, path: &str, text: &str, embedded: bool) -> Result<(), Vec<DataError>> {
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
        let errors = undeclared_permissions(&file, &tree, path, text);
        let _ = &file.sources;
        if !errors.is_empty() {
            return Err(errors);
        }
        let system = System::from_file(file, path);
        match self.systems.binary_search_by(|s| s.id.cmp(&system.id)) {
            Ok(i) => self.systems[i] = system,
            Err(i) => self.systems.insert(i, system),
        }
        Ok(())
    }
}

/// References the schema cannot check: capability permissions must be in the vocabulary when
/// there is one, sources must be declared.
fn undeclared_permissions(
    file: &SystemFile,
    tree: &Node,
    path: &str,
    text: &str,
) -> Vec<DataError> {
    let mut errors = Vec::new();
    for (cap, fact) in &file.capabilities {
        for alt in &fact.any_of {
            let names: Vec<&String> = match alt {
                OneOrAll::One(n) => vec![n],
                OneOrAll::All(ns) => ns.iter().collect(),
            };
            for n in names {
                if !file.permissions.is_empty() && !file.permissions.contains_key(n) {
                    let pos = tree
                        .get("capabilities")
                        .and_then(|c| c.get(cap))
                        .map_or(tree.span.start, |n| n.span.start);
                    errors.push(error_at(
                        path,
                        text,
                        pos,
                        format!(
                            "capability `{cap}` names `{n}`, which `permissions` does not declare"
                        ),
                    ));
                }
            }
        }
    }
    errors
}

impl System {
    /// The system a file describes, as the rules need it.
    fn from_file(file: SystemFile, origin: &str) -> System {
        System {
            id: file.id.clone(),
            name: file.name,
            url_hints: file.url_hints,
            credential_types: file
                .credential_types
                .into_iter()
                .map(|(k, v)| (k, v.lifetime_cap_days))
                .collect(),
            password_token_alternative: file.password_token_alternative.map(|b| b.value),
            admin_permissions: file
                .permissions
                .iter()
                .filter(|(_, p)| p.admin)
                .map(|(k, _)| k.clone())
                .collect(),
            permissions: file.permissions.keys().cloned().collect(),
            capabilities: file
                .capabilities
                .into_iter()
                .map(|(k, v)| {
                    let alts = v
                        .any_of
                        .into_iter()
                        .map(|a| match a {
                            OneOrAll::One(n) => vec![n],
                            OneOrAll::All(ns) => ns,
                        })
                        .collect();
                    (k, alts)
                })
                .collect(),
            origin: origin.to_string(),
        }
    }
}
