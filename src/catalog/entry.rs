//! One system of a run's catalog, built the first time something reads it.
//!
//! A built-in system is read from its JSON form only when a run needs its facts: a one-file run
//! uses the two systems its connections name, and building all twenty was a fifth of its
//! instructions (BENCHMARKS.md, "One-file runs"). What the model records of *every* system
//! (id, name, URL hints, the password alternative, the unsupported capabilities) is read
//! beforehand from a cut of the same JSON that the build makes (`build.rs`, `system_head`;
//! skipping through the whole JSON cost half as much as building every system); a test holds
//! it to what the built system says.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::Deserialize;

use super::file::SystemFile;
use super::{build, capability_index, System};

/// What the model records of every system, whether or not the run reads its facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    pub id: String,
    pub name: String,
    pub url_hints: Vec<String>,
    pub password_alternative: Option<bool>,
    /// A bit per [`super::CAPABILITIES`] index: the capabilities the system cannot do.
    pub unsupported: u16,
}

impl Head {
    pub(super) fn of(system: &System) -> Head {
        let unsupported = (0..super::CAPABILITIES.len())
            .filter(|&i| {
                system
                    .capability(i)
                    .is_some_and(|c| c.unsupported.is_some())
            })
            .fold(0, |bits, i| bits | 1 << i);
        Head {
            id: system.id.clone(),
            name: system.name.clone(),
            url_hints: system.url_hints.clone(),
            password_alternative: system.password_alternative,
            unsupported,
        }
    }
}

/// The head of a system file's JSON form; every other key is skipped unread.
#[derive(Deserialize)]
struct HeadFile {
    id: String,
    #[serde(default)]
    extends: bool,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    url_hints: Vec<String>,
    #[serde(default, alias = "password_token_alternative")]
    password_alternative: Option<ValueOnly>,
    #[serde(default)]
    capabilities: BTreeMap<String, UnsupportedOnly>,
}

#[derive(Deserialize)]
struct ValueOnly {
    value: bool,
}

#[derive(Deserialize)]
struct UnsupportedOnly {
    #[serde(default)]
    unsupported: bool,
}

/// One system: its head, and the system itself, built now or when first read.
#[derive(Clone, Debug)]
pub struct Entry {
    pub head: Head,
    built: OnceLock<System>,
    /// The embedded file it is built from when first read: (path, JSON form).
    embedded: Option<(&'static str, &'static str)>,
}

impl Entry {
    pub(super) fn built(system: System) -> Entry {
        Entry {
            head: Head::of(&system),
            built: OnceLock::from(system),
            embedded: None,
        }
    }

    /// An embedded system read from its JSON form, built when first read, with its head read
    /// from the build's cut of it (`head`); `None` when the form is not one this can take (it
    /// extends a system, or does not deserialise), which the caller then loads the located
    /// way, with its errors.
    pub(super) fn embedded(path: &'static str, json: &'static str, head: &str) -> Option<Entry> {
        let head: HeadFile = serde_json::from_str(head).ok()?;
        if head.extends {
            return None;
        }
        let unsupported = head
            .capabilities
            .iter()
            .filter(|(_, c)| c.unsupported)
            .filter_map(|(name, _)| capability_index(name))
            .fold(0, |bits, i| bits | 1 << i);
        Some(Entry {
            head: Head {
                name: head.name.unwrap_or_else(|| head.id.clone()),
                id: head.id,
                url_hints: head.url_hints,
                password_alternative: head.password_alternative.map(|v| v.value),
                unsupported,
            },
            built: OnceLock::new(),
            embedded: Some((path, json)),
        })
    }

    /// The file the system is built from, as an extending file merges into it: for an embedded
    /// system, read again from its JSON form.
    pub(super) fn embedded_file(&self) -> Option<SystemFile> {
        let (path, json) = self.embedded?;
        let file = serde_json::from_str::<SystemFile>(json).ok()?;
        Some(build::upgrade(file, None, path))
    }
}

impl Deref for Entry {
    type Target = System;

    fn deref(&self) -> &System {
        self.built.get_or_init(|| {
            // Only embedded systems are built here, and every one of them builds (a test
            // builds each and compares it with its head).
            let file = self
                .embedded_file()
                .expect("an embedded system deserialises");
            build::system(&file)
                .ok()
                .expect("an embedded system builds without errors")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    /// Every embedded system loads unbuilt; built, it is what the located way builds from its
    /// YAML (field by field, through `Debug`), and its head is what the built system says.
    #[test]
    fn embedded_systems_build_when_read_and_match_their_heads() {
        let catalog = Catalog::builtin().unwrap();
        assert!(catalog.systems.len() >= 20);
        for entry in &catalog.systems {
            assert!(entry.embedded.is_some() && entry.built.get().is_none());
        }
        for entry in &catalog.systems {
            let (path, _) = entry.embedded.unwrap();
            let yaml = crate::data::builtin::files("rules/systems/")
                .find(|(p, _)| *p == path)
                .map(|(_, text)| text)
                .unwrap();
            let mut located = Catalog::default();
            located.add(path, yaml).unwrap();
            let system: &System = entry;
            assert_eq!(format!("{system:?}"), format!("{:?}", *located.systems[0]));
            assert_eq!(Head::of(system), entry.head, "{path}");
        }
        // The heads are not all alike: the comparison above sees each field.
        let heads = &catalog.systems;
        assert!(heads.iter().any(|e| e.head.unsupported != 0));
        assert!(heads.iter().any(|e| e.head.password_alternative.is_some()));
        assert!(heads.iter().any(|e| e.head.name != e.head.id));
        assert!(heads.iter().any(|e| !e.head.url_hints.is_empty()));
    }
}
