//! The read-only view the rules and reports see: the run's [`Model`], a record as a [`Rec`]
//! (typed field access, locations), and an entity's route in its document.

use super::fields::{self, layout, Kind, Place};
use super::table::released_detail;
use super::{FileInfo, Head, Loc, MVal, Slot, Store, StrId};

/// Every entity of one run.
#[derive(Default)]
pub struct Model {
    pub files: Vec<FileInfo>,
    pub store: Store,
    /// Accounts from this index on are later declarations of an id already declared
    /// (`duplicate-name` and nothing else sees them).
    pub first_duplicate_account: usize,
    /// For each record of the match table: (rule index, pattern index, route).
    pub match_rules: Vec<(usize, usize)>,
    pub match_routes: Vec<StrId>,
}

/// A read-only view of one record.
#[derive(Clone, Copy)]
pub struct Rec<'m> {
    pub store: &'m Store,
    pub kind: Kind,
    pub idx: u32,
    slots: &'m [Slot],
    vals: &'m [MVal],
    /// Empty once the record's details were let go.
    details: &'m [Slot],
    layout: &'static fields::Layout,
    pub head: &'m Head,
}

impl<'m> Rec<'m> {
    pub fn file(&self) -> u32 {
        self.head.file
    }

    pub fn loc(&self) -> Option<Loc> {
        self.head.loc.loc(self.head.file)
    }

    pub fn slot(&self, field: usize) -> Slot {
        match self.layout.place[field] {
            Place::Slot(p) => self.slots[p],
            Place::Val(p) => Slot::value(self.vals[p]),
            Place::Detail(p) => match self.details.get(p) {
                Some(slot) => *slot,
                None => released_detail(self.kind, field),
            },
        }
    }

    pub fn val(&self, field: usize) -> MVal {
        match self.layout.place[field] {
            Place::Slot(p) => self.slots[p].val(),
            Place::Val(p) => self.vals[p],
            Place::Detail(_) => self.slot(field).val(),
        }
    }

    pub fn slot_loc(&self, field: usize) -> Option<Loc> {
        self.slot(field).loc.loc(self.head.file)
    }

    pub fn key_loc(&self, field: usize) -> Option<Loc> {
        self.store
            .key_of(self.slot(field), self.head.file)
            .loc(self.head.file)
    }

    pub fn str(&self, field: usize) -> Option<&'m str> {
        match self.val(field) {
            MVal::Str(id) => Some(self.store.str_of(id)),
            _ => None,
        }
    }

    pub fn reference(&self, field: usize) -> Option<u32> {
        match self.val(field) {
            MVal::Ref(r) => Some(r),
            _ => None,
        }
    }

    pub fn date(&self, field: usize) -> Option<i32> {
        match self.val(field) {
            MVal::Date(d) => Some(d),
            _ => None,
        }
    }

    pub fn int(&self, field: usize) -> Option<i32> {
        match self.val(field) {
            MVal::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn bool(&self, field: usize) -> Option<bool> {
        match self.val(field) {
            MVal::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_invalid(&self, field: usize) -> bool {
        matches!(self.val(field), MVal::Invalid)
    }

    /// The items of a list field (strings with their locations).
    pub fn list(&self, field: usize) -> Option<&'m [Slot]> {
        match self.val(field) {
            MVal::List(r) => Some(self.store.list(r)),
            _ => None,
        }
    }

    /// The strings of a list field (invalid items left out), with their locations and indices.
    pub fn strs(&self, field: usize) -> Option<Vec<(&'m str, Option<Loc>, usize)>> {
        let items = self.list(field)?;
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, s)| match s.val() {
                    MVal::Str(id) => Some((self.store.str_of(id), s.loc.loc(self.head.file), i)),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The references of a derived list field.
    pub fn refs(&self, field: usize) -> &'m [u32] {
        match self.val(field) {
            MVal::Refs(r) => self.store.refs_of(r),
            _ => &[],
        }
    }
}

impl Model {
    pub fn len(&self, kind: Kind) -> usize {
        self.store.len(kind)
    }

    pub fn record(&self, kind: Kind, idx: u32) -> Rec<'_> {
        let layout = layout(kind);
        let t = &self.store.tables[kind as usize];
        let (ls, vs) = (idx as usize * layout.located, idx as usize * layout.values);
        let details = match t.details_row(layout, idx) {
            Some(ds) => &t.details[ds..ds + layout.details],
            None => &[],
        };
        Rec {
            store: &self.store,
            kind,
            idx,
            slots: &t.slots[ls..ls + layout.located],
            vals: &t.vals[vs..vs + layout.values],
            details,
            layout,
            head: &t.heads[idx as usize],
        }
    }

    /// Every record of a kind, in order.
    pub fn records(&self, kind: Kind) -> impl Iterator<Item = Rec<'_>> {
        (0..self.len(kind) as u32).map(move |i| self.record(kind, i))
    }

    pub fn str_of(&self, id: StrId) -> &str {
        self.store.str_of(id)
    }

    /// The route of an entity in its document (`/connections/jira/credential`), for baselines.
    pub fn route(&self, kind: Kind, idx: u32) -> String {
        use fields::*;
        let rec = self.record(kind, idx);
        let prefix = if rec.head.doc > 0 {
            format!("[{}]", rec.head.doc)
        } else {
            String::new()
        };
        let esc = |s: &str| s.replace('~', "~0").replace('/', "~1");
        match kind {
            Kind::Integration => prefix,
            Kind::Connection => format!(
                "{prefix}/connections/{}",
                esc(rec.str(connection::ID).unwrap_or(""))
            ),
            Kind::Credential => match rec.reference(credential::CONNECTION) {
                Some(c) => format!("{}/credential", self.route(Kind::Connection, c)),
                None => prefix,
            },
            Kind::Rotation => match rec.reference(rotation::CREDENTIAL) {
                Some(c) => format!("{}/rotation", self.route(Kind::Credential, c)),
                None => prefix,
            },
            Kind::Account => {
                if rec.bool(account::INLINE) == Some(true) {
                    match rec.refs(account::USES).first() {
                        Some(&c) => format!("{}/account", self.route(Kind::Connection, c)),
                        None => prefix,
                    }
                } else {
                    format!(
                        "{prefix}/accounts/{}",
                        esc(rec.str(account::ID).unwrap_or(""))
                    )
                }
            }
            Kind::Flow => format!("{prefix}/flows/{}", rec.int(flow::INDEX).unwrap_or(1) - 1),
            Kind::Need => rec
                .reference(need::CONNECTION)
                .map_or(prefix, |c| self.route(Kind::Connection, c)),
            Kind::Grant => {
                let i = rec.int(grant::INDEX).unwrap_or(0);
                match (
                    rec.reference(grant::CONNECTION),
                    rec.reference(grant::ACCOUNT),
                ) {
                    (Some(c), _) => {
                        let cred = self
                            .record(Kind::Connection, c)
                            .reference(connection::CREDENTIAL);
                        let base = cred.map_or_else(
                            || self.route(Kind::Connection, c),
                            |k| self.route(Kind::Credential, k),
                        );
                        format!("{base}/scopes/{i}")
                    }
                    (None, Some(a)) => format!("{}/permissions/{i}", self.route(Kind::Account, a)),
                    _ => prefix,
                }
            }
            Kind::System => format!("system:{}", rec.str(system::ID).unwrap_or("")),
            Kind::Match => self
                .match_routes
                .get(idx as usize)
                .map_or(prefix, |r| self.str_of(*r).to_string()),
        }
    }
}
