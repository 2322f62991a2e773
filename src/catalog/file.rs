//! A catalog file as written: version 2 (`grants`, per-layer requirements, lifecycle facts)
//! and version 1 (`permissions` with `admin`, flat `any_of`, `lifetime_cap_days`), which still
//! loads. Deserialised from the tree the schema has validated; `build.rs` turns it into a
//! [`super::System`].

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub(super) struct SystemFile {
    pub id: String,
    #[serde(default)]
    pub extends: bool,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url_hints: Vec<String>,
    #[serde(default)]
    pub credential_types: BTreeMap<String, CredentialFact>,
    #[serde(default, alias = "password_token_alternative")]
    pub password_alternative: Option<BoolFact>,
    /// Version 1 vocabulary.
    #[serde(default)]
    pub permissions: BTreeMap<String, PermissionFact>,
    #[serde(default)]
    pub grants: BTreeMap<String, GrantFact>,
    #[serde(default)]
    pub capabilities: BTreeMap<String, CapabilityFact>,
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// Where it came from: the defining file, then each extending file.
    #[serde(skip)]
    pub origin: String,
}

/// Where a fact comes from.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    pub source: Option<String>,
    pub documented: bool,
    pub note: Option<String>,
}

/// Each fact carries its provenance's three keys as its own fields: `#[serde(flatten)]` would
/// buffer every fact's keys and values before reading them, which was most of the catalog's
/// load time (the catalog loads in every run).
macro_rules! with_provenance {
    ($($fact:ty),*) => {$(
        impl $fact {
            pub fn provenance(&self) -> Provenance {
                Provenance {
                    source: self.source.clone(),
                    documented: self.documented,
                    note: self.note.clone(),
                }
            }
        }
    )*};
}

with_provenance!(
    CredentialFact,
    LifetimeFact,
    DeprecationFact,
    BoolFact,
    GrantFact,
    CapabilityFact
);

#[derive(Clone, Debug, Deserialize)]
pub(super) struct CredentialFact {
    #[serde(default)]
    pub scoped: Option<ScopedFact>,
    #[serde(default)]
    pub can_expire: Option<bool>,
    #[serde(default)]
    pub lifetime: Option<LifetimeFact>,
    #[serde(default)]
    pub deprecated: Option<DeprecationFact>,
    /// Version 1: a platform cap.
    #[serde(default)]
    pub lifetime_cap_days: Option<i64>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum ScopedFact {
    Always(bool),
    ForAccountTypes { account_types: Vec<String> },
}

#[derive(Clone, Debug, Deserialize)]
pub(super) struct LifetimeFact {
    pub max_days: i64,
    pub kind: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(super) struct DeprecationFact {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub removed: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(super) struct BoolFact {
    pub value: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(super) struct PermissionFact {
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(super) struct GrantFact {
    pub layer: String,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub implies: Vec<String>,
    #[serde(default)]
    pub narrower: Vec<String>,
    #[serde(default)]
    pub advice: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct CapabilityFact {
    #[serde(default)]
    pub permission: Option<Vec<Vec<String>>>,
    #[serde(default)]
    pub scope: Option<Vec<Vec<String>>>,
    #[serde(default)]
    pub also_needs: Vec<String>,
    #[serde(default)]
    pub unsupported: bool,
    #[serde(default)]
    pub reason: Option<String>,
    /// Version 1: alternatives of either layer.
    #[serde(default)]
    pub any_of: Vec<OneOrAll>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrAll {
    One(String),
    All(Vec<String>),
}
