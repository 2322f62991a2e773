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

/// A fact of a catalog file: its own keys, then the three keys of its [`Provenance`] as fields
/// of its own (`#[serde(flatten)]` would buffer every fact's keys and values before reading
/// them, which was most of the catalog's load time), and `provenance()` to read them as one.
macro_rules! fact {
    ($(#[$attr:meta])* struct $name:ident { $($(#[$field_attr:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$attr])*
        pub(super) struct $name {
            $($(#[$field_attr])* pub $field: $ty,)*
            #[serde(default)]
            pub source: Option<String>,
            #[serde(default)]
            pub documented: bool,
            #[serde(default)]
            pub note: Option<String>,
        }

        impl $name {
            pub fn provenance(&self) -> Provenance {
                Provenance {
                    source: self.source.clone(),
                    documented: self.documented,
                    note: self.note.clone(),
                }
            }
        }
    };
}

fact! {
    #[derive(Clone, Debug, Deserialize)]
    struct CredentialFact {
        #[serde(default)]
        scoped: Option<ScopedFact>,
        #[serde(default)]
        can_expire: Option<bool>,
        #[serde(default)]
        lifetime: Option<LifetimeFact>,
        #[serde(default)]
        deprecated: Option<DeprecationFact>,
        /// Version 1: a platform cap.
        #[serde(default)]
        lifetime_cap_days: Option<i64>,
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum ScopedFact {
    Always(bool),
    ForAccountTypes { account_types: Vec<String> },
}

fact! {
    #[derive(Clone, Debug, Deserialize)]
    struct LifetimeFact {
        max_days: i64,
        kind: String,
    }
}

fact! {
    #[derive(Clone, Debug, Deserialize)]
    struct DeprecationFact {
        #[serde(default)]
        since: Option<String>,
        #[serde(default)]
        removed: Option<String>,
    }
}

fact! {
    #[derive(Clone, Debug, Deserialize)]
    struct BoolFact {
        value: bool,
    }
}

fact! {
    #[derive(Clone, Debug, Deserialize)]
    struct PermissionFact {
        #[serde(default)]
        admin: bool,
        #[serde(default)]
        description: Option<String>,
    }
}

fact! {
    #[derive(Clone, Debug, Deserialize)]
    struct GrantFact {
        layer: String,
        #[serde(default)]
        tier: Option<String>,
        #[serde(default)]
        implies: Vec<String>,
        #[serde(default)]
        narrower: Vec<String>,
        #[serde(default)]
        advice: Option<String>,
        #[serde(default)]
        description: Option<String>,
    }
}

fact! {
    #[derive(Clone, Debug, Default, Deserialize)]
    struct CapabilityFact {
        #[serde(default)]
        permission: Option<Vec<Vec<String>>>,
        #[serde(default)]
        scope: Option<Vec<Vec<String>>>,
        #[serde(default)]
        also_needs: Vec<String>,
        #[serde(default)]
        unsupported: bool,
        #[serde(default)]
        reason: Option<String>,
        /// Version 1: alternatives of either layer.
        #[serde(default)]
        any_of: Vec<OneOrAll>,
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrAll {
    One(String),
    All(Vec<String>),
}
