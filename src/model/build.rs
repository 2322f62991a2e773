//! Tree → records, one document at a time, inside the parallel per-file phase.
//!
//! Only intra-document references are set here (file-local indices), and the catalog facts of
//! connections and credentials, which need nothing but their own file ([`catalog_facts`]);
//! everything that needs other files (accounts by id, uses, needs, grants) is resolved after
//! the merge.

use super::fields::{self, Kind};
use super::{date, Head, MVal, Slot, Span32, Store};
use crate::catalog::Catalog;
use crate::source::tree::{Entry, Node, Value};
use crate::source::Span;

pub struct DocBuilder<'f> {
    pub store: &'f mut Store,
    pub file: u32,
    pub doc: usize,
}

fn span(span: Span, node: &Node) -> Span32 {
    Span32::new(span.start.offset, span.end.offset, node.via_alias())
}

impl DocBuilder<'_> {
    fn push(&mut self, kind: Kind, node: &Node) -> u32 {
        let head = Head {
            file: self.file,
            loc: span(node.span, node),
            doc: self.doc.min(u16::MAX as usize) as u16,
        };
        self.store.push(kind, head)
    }

    fn set(&mut self, kind: Kind, idx: u32, field: usize, slot: Slot) {
        self.store.set(kind, idx, field, slot);
    }

    fn key_slot(&mut self, text: &str, key_span: Span, node: &Node) -> Slot {
        let loc = span(key_span, node);
        let id = self.store.intern(text);
        self.store.keyed(MVal::Str(id), loc, loc)
    }

    fn entry_slot(&mut self, e: &Entry, val: MVal) -> Slot {
        self.store.keyed(
            val,
            span(e.value.span, &e.value),
            span(e.key_span, &e.value),
        )
    }

    /// A scalar field read as a string.
    fn str_field(&mut self, map: &Node, key: &str) -> Slot {
        let Some(e) = map.entry(key) else {
            return Slot::default();
        };
        let val = match (e.value.as_str(), e.value.is_invalid()) {
            (Some(s), false) => MVal::Str(self.store.intern(s)),
            _ => MVal::Invalid,
        };
        self.entry_slot(e, val)
    }

    fn date_field(&mut self, map: &Node, key: &str) -> Slot {
        let Some(e) = map.entry(key) else {
            return Slot::default();
        };
        let val = match (e.value.as_str().and_then(date::parse), e.value.is_invalid()) {
            (Some(d), false) => MVal::Date(d),
            _ => MVal::Invalid,
        };
        self.entry_slot(e, val)
    }

    fn int_field(&mut self, map: &Node, key: &str) -> Slot {
        let Some(e) = map.entry(key) else {
            return Slot::default();
        };
        // `90.0` is not an integer (YAML 1.2): the schema stage already flagged it invalid.
        let val = match (&e.value.value, e.value.is_invalid()) {
            (Value::Int(i), false) => i32::try_from(*i).map_or(MVal::Invalid, MVal::Int),
            _ => MVal::Invalid,
        };
        self.entry_slot(e, val)
    }

    fn list_str_field(&mut self, map: &Node, key: &str) -> Slot {
        let Some(e) = map.entry(key) else {
            return Slot::default();
        };
        let val = match (&e.value.value, e.value.is_invalid()) {
            (Value::Seq(items), false) => {
                let slots: Vec<Slot> = items
                    .iter()
                    .map(|item| {
                        let v = match (item.as_str(), item.is_invalid()) {
                            (Some(s), false) => MVal::Str(self.store.intern(s)),
                            _ => MVal::Invalid,
                        };
                        Slot::at(v, span(item.span, item))
                    })
                    .collect();
                MVal::List(self.store.push_list(slots))
            }
            _ => MVal::Invalid,
        };
        self.entry_slot(e, val)
    }

    /// `resources`: a list, or `"*"` read as a one-item list located at the value.
    fn resources_field(&mut self, map: &Node) -> Slot {
        let Some(e) = map.entry("resources") else {
            return Slot::default();
        };
        match (e.value.as_str(), e.value.is_invalid()) {
            (Some(s), false) => {
                let item = Slot::at(
                    MVal::Str(self.store.intern(s)),
                    span(e.value.span, &e.value),
                );
                let list = MVal::List(self.store.push_list(vec![item]));
                self.entry_slot(e, list)
            }
            _ => self.list_str_field(map, "resources"),
        }
    }

    /// Builds an Integration document.
    pub fn integration(&mut self, root: &Node) {
        use fields::integration as I;
        let Some(kind_entry) = root.entry("kind") else {
            return;
        };
        let integration = self.push(Kind::Integration, root);
        let key = self.key_slot("kind", kind_entry.key_span, &kind_entry.value);
        self.set(Kind::Integration, integration, I::KEY, key);
        match root.entry("metadata") {
            Some(m) if m.value.as_map().is_some() && !m.value.is_invalid() => {
                let meta = &m.value;
                for (field, name) in [
                    (I::NAME, "name"),
                    (I::OWNER, "owner"),
                    (I::ENVIRONMENT, "environment"),
                    (I::DESCRIPTION, "description"),
                ] {
                    let slot = self.str_field(meta, name);
                    self.set(Kind::Integration, integration, field, slot);
                }
            }
            Some(_) => {
                for f in [I::NAME, I::OWNER, I::ENVIRONMENT, I::DESCRIPTION] {
                    self.set(
                        Kind::Integration,
                        integration,
                        f,
                        Slot::value(MVal::Invalid),
                    );
                }
            }
            None => {}
        }
        self.set(
            Kind::Integration,
            integration,
            I::DUPLICATE_OF,
            Slot::value(MVal::Null),
        );

        // Connections. Ids of invalid connections are remembered so that flows naming them are
        // not "unknown".
        let mut ids: Vec<(Box<str>, Option<u32>)> = Vec::new();
        let mut conns = Vec::new();
        let entry = root.entry("connections");
        let conns_invalid =
            entry.is_some_and(|e| e.value.is_invalid() || e.value.as_map().is_none());
        if let Some(entries) = entry
            .filter(|e| !e.value.is_invalid())
            .and_then(|e| e.value.as_map())
        {
            for e in entries {
                let idx = self.connection(e, integration);
                ids.push((e.key.as_ref().into(), idx));
                conns.extend(idx);
            }
        }
        if let Some(e) = entry {
            let val = if conns_invalid {
                MVal::Invalid
            } else {
                MVal::Refs(self.store.push_refs(&conns))
            };
            let slot = self.entry_slot(e, val);
            self.set(Kind::Integration, integration, I::CONNECTIONS, slot);
        }

        // Flows.
        let mut flows = Vec::new();
        let entry = root.entry("flows");
        if let Some(items) = entry
            .filter(|e| !e.value.is_invalid())
            .and_then(|e| e.value.as_seq())
        {
            for (i, item) in items.iter().enumerate() {
                flows.extend(self.flow(item, i, integration, &ids, conns_invalid));
            }
        }
        if let Some(e) = entry {
            let val = if e.value.is_invalid() || e.value.as_seq().is_none() {
                MVal::Invalid
            } else {
                MVal::Refs(self.store.push_refs(&flows))
            };
            let slot = self.entry_slot(e, val);
            self.set(Kind::Integration, integration, I::FLOWS, slot);
        }
    }

    fn connection(&mut self, e: &Entry, integration: u32) -> Option<u32> {
        use fields::connection as C;
        let node = &e.value;
        if node.is_invalid() || node.as_map().is_none() {
            return None;
        }
        let conn = self.push(Kind::Connection, node);
        let key = self.key_slot(&e.key, e.key_span, node);
        self.set(Kind::Connection, conn, C::KEY, key);
        self.set(Kind::Connection, conn, C::ID, key);
        self.set(
            Kind::Connection,
            conn,
            C::INTEGRATION,
            Slot::value(MVal::Ref(integration)),
        );
        let system = self.str_field(node, "system");
        self.set(Kind::Connection, conn, C::SYSTEM, system);
        let url = self.str_field(node, "url");
        self.set(Kind::Connection, conn, C::URL, url);
        let resources = self.resources_field(node);
        self.set(Kind::Connection, conn, C::RESOURCES, resources);

        // Account: an id, or an inline mapping.
        match node.entry("account") {
            Some(a) => {
                let (aref, account) = if a.value.is_invalid() {
                    (MVal::Invalid, MVal::Invalid)
                } else {
                    match &a.value.value {
                        Value::Str(s) => (MVal::Str(self.store.intern(s)), MVal::Null),
                        Value::Map(_) => {
                            let idx = self.account(&a.value, a.key_span, &e.key, true);
                            (MVal::Absent, MVal::Ref(idx))
                        }
                        _ => (MVal::Invalid, MVal::Invalid),
                    }
                };
                if !matches!(aref, MVal::Absent) {
                    let slot = self.entry_slot(a, aref);
                    self.set(Kind::Connection, conn, C::ACCOUNT_REF, slot);
                }
                let slot = self.entry_slot(a, account);
                self.set(Kind::Connection, conn, C::ACCOUNT, slot);
            }
            None => self.set(Kind::Connection, conn, C::ACCOUNT, Slot::value(MVal::Null)),
        }

        // Credential.
        if let Some(c) = node.entry("credential") {
            let val = if c.value.is_invalid() || c.value.as_map().is_none() {
                MVal::Invalid
            } else {
                MVal::Ref(self.credential(c, conn))
            };
            let slot = self.entry_slot(c, val);
            self.set(Kind::Connection, conn, C::CREDENTIAL, slot);
        }
        Some(conn)
    }

    fn credential(&mut self, e: &Entry, conn: u32) -> u32 {
        use fields::credential as K;
        let node = &e.value;
        let cred = self.push(Kind::Credential, node);
        let key = self.key_slot(&e.key, e.key_span, node);
        self.set(Kind::Credential, cred, K::KEY, key);
        self.set(
            Kind::Credential,
            cred,
            K::CONNECTION,
            Slot::value(MVal::Ref(conn)),
        );
        for (field, name) in [
            (K::TYPE, "type"),
            (K::SECRET, "secret"),
            (K::PRIVATE_KEY, "private_key"),
            (K::CLIENT_ID, "client_id"),
        ] {
            let slot = self.str_field(node, name);
            self.set(Kind::Credential, cred, field, slot);
        }
        let scopes = self.list_str_field(node, "scopes");
        self.set(Kind::Credential, cred, K::SCOPES, scopes);
        let resources = self.resources_field(node);
        self.set(Kind::Credential, cred, K::RESOURCES, resources);
        let created = self.date_field(node, "created");
        self.set(Kind::Credential, cred, K::CREATED, created);
        let expires = self.date_field(node, "expires");
        self.set(Kind::Credential, cred, K::EXPIRES, expires);
        if let Some(r) = node.entry("rotation") {
            let val = if r.value.is_invalid() || r.value.as_map().is_none() {
                MVal::Invalid
            } else {
                use fields::rotation as R;
                let rot = self.push(Kind::Rotation, &r.value);
                let key = self.key_slot("rotation", r.key_span, &r.value);
                self.set(Kind::Rotation, rot, R::KEY, key);
                self.set(
                    Kind::Rotation,
                    rot,
                    R::CREDENTIAL,
                    Slot::value(MVal::Ref(cred)),
                );
                let days = self.int_field(&r.value, "interval_days");
                self.set(Kind::Rotation, rot, R::INTERVAL_DAYS, days);
                let last = self.date_field(&r.value, "last_rotated");
                self.set(Kind::Rotation, rot, R::LAST_ROTATED, last);
                MVal::Ref(rot)
            };
            let slot = self.entry_slot(r, val);
            self.set(Kind::Credential, cred, K::ROTATION, slot);
        }
        cred
    }

    /// Builds an account record (inventory or inline) and returns its file-local index. An
    /// inline account is named `integration/connection` at resolution.
    fn account(&mut self, node: &Node, key_span: Span, id: &str, inline: bool) -> u32 {
        use fields::account as A;
        let acc = self.push(Kind::Account, node);
        let key = self.key_slot(id, key_span, node);
        self.set(Kind::Account, acc, A::KEY, key);
        self.set(Kind::Account, acc, A::ID, key);
        self.set(
            Kind::Account,
            acc,
            A::INLINE,
            Slot::value(MVal::Bool(inline)),
        );
        for (field, name) in [
            (A::SYSTEM, "system"),
            (A::TYPE, "type"),
            (A::USERNAME, "username"),
            (A::DISPLAY_NAME, "display_name"),
            (A::OWNER, "owner"),
            (A::PURPOSE, "purpose"),
            (A::LOGIN, "login"),
        ] {
            let slot = self.str_field(node, name);
            self.set(Kind::Account, acc, field, slot);
        }
        let permissions = self.list_str_field(node, "permissions");
        self.set(Kind::Account, acc, A::PERMISSIONS, permissions);
        let resources = self.resources_field(node);
        self.set(Kind::Account, acc, A::RESOURCES, resources);
        let reviewed = self.date_field(node, "reviewed");
        self.set(Kind::Account, acc, A::REVIEWED, reviewed);
        let tested = self.date_field(node, "tested");
        self.set(Kind::Account, acc, A::TESTED, tested);
        acc
    }

    /// Builds a ServiceAccounts document.
    pub fn service_accounts(&mut self, root: &Node) {
        let Some(accounts) = root.get("accounts").filter(|a| !a.is_invalid()) else {
            return;
        };
        let Some(entries) = accounts.as_map() else {
            return;
        };
        for e in entries {
            if e.value.is_invalid() || e.value.as_map().is_none() {
                continue;
            }
            self.account(&e.value, e.key_span, &e.key, false);
        }
    }

    fn flow(
        &mut self,
        item: &Node,
        index: usize,
        integration: u32,
        ids: &[(Box<str>, Option<u32>)],
        conns_invalid: bool,
    ) -> Option<u32> {
        use fields::flow as F;
        if item.is_invalid() || item.as_map().is_none() {
            return None;
        }
        let flow = self.push(Kind::Flow, item);
        if let Some(first) = item.as_map().and_then(|m| m.first()) {
            let key = self.key_slot(&first.key, first.key_span, item);
            self.set(Kind::Flow, flow, F::KEY, key);
        }
        self.set(
            Kind::Flow,
            flow,
            F::INDEX,
            Slot::value(MVal::Int(index as i32 + 1)),
        );
        self.set(
            Kind::Flow,
            flow,
            F::INTEGRATION,
            Slot::value(MVal::Ref(integration)),
        );
        for (field, conn_field, name) in [
            (F::FROM, F::FROM_CONNECTION, "from"),
            (F::TO, F::TO_CONNECTION, "to"),
        ] {
            let slot = self.str_field(item, name);
            let resolved = match slot.val() {
                MVal::Str(id) => {
                    let text = self.store.str_of(id);
                    match ids.iter().find(|(i, _)| **i == *text) {
                        Some((_, Some(idx))) => MVal::Ref(*idx),
                        Some((_, None)) => MVal::Invalid,
                        None if conns_invalid => MVal::Invalid,
                        None => MVal::Null,
                    }
                }
                MVal::Invalid => MVal::Invalid,
                _ => MVal::Null,
            };
            self.set(Kind::Flow, flow, field, slot);
            // The same value and key locations (a far key's index included).
            let mut conn_slot = slot;
            conn_slot.set_val(resolved);
            self.set(Kind::Flow, flow, conn_field, conn_slot);
        }
        let sync = self.list_str_field(item, "sync");
        self.set(Kind::Flow, flow, F::SYNC, sync);
        Some(flow)
    }
}

/// The catalog facts of a file's connections and credentials: each depends on the entity's own
/// document only (a credential's system is its connection's `system`), so they are derived in
/// the per-file phase, where the file-local rules can read them before the merge (a system is
/// referred to by its catalog index, which is also its record's in the run's store).
pub fn catalog_facts(store: &mut Store, catalog: &Catalog) {
    use fields::{connection as C, credential as K};
    let system_of =
        |store: &Store, conn: u32| match store.slot(Kind::Connection, conn, C::SYSTEM).val() {
            MVal::Str(id) => Some(catalog.get(store.str_of(id))),
            MVal::Invalid => None,
            _ => Some(None),
        };
    for c in 0..store.len(Kind::Connection) as u32 {
        let info = match system_of(store, c) {
            Some(Some((i, _))) => MVal::Ref(i as u32),
            Some(None) => MVal::Null,
            None => MVal::Invalid,
        };
        store.set_val(Kind::Connection, c, C::SYSTEM_INFO, info);
    }
    for k in 0..store.len(Kind::Credential) as u32 {
        let MVal::Ref(conn) = store.slot(Kind::Credential, k, K::CONNECTION).val() else {
            continue;
        };
        let has_system = matches!(
            store.slot(Kind::Connection, conn, C::SYSTEM).val(),
            MVal::Str(_)
        );
        let sys = system_of(store, conn).flatten();
        let ty = store.slot(Kind::Credential, k, K::TYPE).val();
        let (cap, info) = match (sys, ty) {
            (Some((i, s)), MVal::Str(t)) => (
                s.lifetime_cap(store.str_of(t)).map_or(MVal::Null, |d| {
                    i32::try_from(d).map_or(MVal::Invalid, MVal::Int)
                }),
                MVal::Ref(i as u32),
            ),
            (Some((i, _)), MVal::Invalid) => (MVal::Invalid, MVal::Ref(i as u32)),
            (Some((i, _)), _) => (MVal::Null, MVal::Ref(i as u32)),
            (None, _) if !has_system => (MVal::Invalid, MVal::Invalid),
            (None, _) => (MVal::Null, MVal::Null),
        };
        let fact = match (sys, ty) {
            (Some((_, s)), MVal::Str(t)) => s.credential_types.get(store.str_of(t)),
            _ => None,
        };
        let can = match (fact, cap) {
            (Some(f), _) => MVal::Bool(f.can_expire),
            (None, MVal::Invalid) => MVal::Invalid,
            (None, _) => MVal::Bool(false),
        };
        store.set_val(Kind::Credential, k, K::LIFETIME_CAP, cap);
        store.set_val(Kind::Credential, k, K::CAN_EXPIRE, can);
        lifecycle_facts(store, k, fact.and_then(|f| f.deprecated.as_ref()));
        store.set_val(Kind::Credential, k, K::SYSTEM_INFO, info);
    }
}

/// A credential's deprecation facts: `deprecated`, `deprecated_since`, `removed`,
/// `deprecation_note`.
fn lifecycle_facts(store: &mut Store, k: u32, deprecation: Option<&crate::catalog::Deprecation>) {
    use fields::credential as K;
    let date = |d: &Option<String>| {
        d.as_deref()
            .and_then(super::date::parse)
            .map_or(MVal::Null, MVal::Date)
    };
    let (deprecated, since, removed, note) = match deprecation {
        Some(d) => (
            MVal::Bool(true),
            date(&d.since),
            date(&d.removed),
            d.provenance.note.as_deref().map_or(MVal::Null, |n| {
                // Quoted inside a message that goes on: no full stop of its own.
                MVal::Str(store.intern(n.trim().trim_end_matches('.')))
            }),
        ),
        None => (MVal::Bool(false), MVal::Null, MVal::Null, MVal::Null),
    };
    store.set_val(Kind::Credential, k, K::DEPRECATED, deprecated);
    store.set_val(Kind::Credential, k, K::DEPRECATED_SINCE, since);
    store.set_val(Kind::Credential, k, K::REMOVED, removed);
    store.set_val(Kind::Credential, k, K::DEPRECATION_NOTE, note);
}
