//! Tree → records, one document at a time, inside the parallel per-file phase.
//!
//! Only intra-document references are set here (local indices); everything that needs other
//! files (accounts by id, uses, needs, grants, the catalog) is resolved after the merge.

use super::fields::{self, Kind, KIND_COUNT};
use super::{date, Loc, MVal, Record, Slot};
use crate::source::tree::{route_string, Entry, Node, Step, Value};
use crate::source::Span;

/// The records of one file, with file-local indices.
#[derive(Default)]
pub struct Fragment {
    pub tables: [Vec<Record>; KIND_COUNT],
    /// Extra schema violations found while typing values (a float where an integer is due).
    pub schema_errors: Vec<(Span, String, Vec<Step>)>,
}

pub struct DocBuilder<'f> {
    pub frag: &'f mut Fragment,
    pub file: u32,
    pub doc: usize,
    pub path: &'f str,
}

impl DocBuilder<'_> {
    fn loc(&self, span: Span, node: &Node) -> Loc {
        Loc {
            file: self.file,
            start: span.start.offset,
            end: span.end.offset,
            via_alias: node.via_alias(),
        }
    }

    fn route(&self, steps: &[Step]) -> String {
        if self.doc == 0 {
            route_string(steps)
        } else {
            format!("[{}]{}", self.doc, route_string(steps))
        }
    }

    fn push(&mut self, kind: Kind, record: Record) -> u32 {
        let table = &mut self.frag.tables[kind as usize];
        table.push(record);
        (table.len() - 1) as u32
    }

    fn key_slot(&self, text: &str, key_span: Span, node: &Node) -> Slot {
        let loc = self.loc(key_span, node);
        Slot::new(MVal::Str(text.into()), Some(loc), Some(loc))
    }

    fn path_slot(&self) -> Slot {
        Slot::new(MVal::Str(self.path.into()), None, None)
    }

    /// A scalar field read as a string.
    fn str_field(&self, map: &Node, key: &str) -> Slot {
        self.field(map, key, |n| n.as_str().map(|s| MVal::Str(s.into())))
    }

    fn date_field(&self, map: &Node, key: &str) -> Slot {
        self.field(map, key, |n| {
            n.as_str().and_then(date::parse).map(MVal::Date)
        })
    }

    fn int_field(&self, map: &Node, key: &str) -> Slot {
        // `90.0` is not an integer (YAML 1.2): the schema stage already flagged it invalid.
        self.field(map, key, |n| match n.value {
            Value::Int(i) => Some(MVal::Int(i)),
            _ => None,
        })
    }

    fn list_str_field(&self, map: &Node, key: &str) -> Slot {
        let Some(e) = map.entry(key) else {
            return Slot::default();
        };
        let (loc, kloc) = (
            self.loc(e.value.span, &e.value),
            self.loc(e.key_span, &e.value),
        );
        let val = match (&e.value.value, e.value.is_invalid()) {
            (_, true) => MVal::Invalid,
            (Value::Seq(items), false) => MVal::List(
                items
                    .iter()
                    .map(|item| {
                        let v = match (item.as_str(), item.is_invalid()) {
                            (Some(s), false) => MVal::Str(s.into()),
                            _ => MVal::Invalid,
                        };
                        Slot::new(v, Some(self.loc(item.span, item)), None)
                    })
                    .collect(),
            ),
            (Value::Null, false) => MVal::Invalid,
            _ => MVal::Invalid,
        };
        Slot::new(val, Some(loc), Some(kloc))
    }

    fn field(&self, map: &Node, key: &str, read: impl Fn(&Node) -> Option<MVal>) -> Slot {
        let Some(e) = map.entry(key) else {
            return Slot::default();
        };
        let val = if e.value.is_invalid() {
            MVal::Invalid
        } else {
            read(&e.value).unwrap_or(MVal::Invalid)
        };
        Slot::new(
            val,
            Some(self.loc(e.value.span, &e.value)),
            Some(self.loc(e.key_span, &e.value)),
        )
    }

    /// Builds an Integration document.
    pub fn integration(&mut self, root: &Node) {
        use fields::integration as I;
        let Some(kind_entry) = root.entry("kind") else {
            return;
        };
        let mut rec = Record::new(
            Kind::Integration,
            self.file,
            Some(self.loc(root.span, root)),
            self.route(&[]),
        );
        rec.set(
            I::KEY,
            self.key_slot("kind", kind_entry.key_span, &kind_entry.value),
        );
        let meta = root
            .get("metadata")
            .filter(|m| m.as_map().is_some() && !m.is_invalid());
        if let Some(meta) = meta {
            rec.set(I::NAME, self.str_field(meta, "name"));
            rec.set(I::OWNER, self.str_field(meta, "owner"));
            rec.set(I::ENVIRONMENT, self.str_field(meta, "environment"));
            rec.set(I::DESCRIPTION, self.str_field(meta, "description"));
        } else if root.get("metadata").is_some() {
            for f in [I::NAME, I::OWNER, I::ENVIRONMENT, I::DESCRIPTION] {
                rec.set(f, Slot::new(MVal::Invalid, None, None));
            }
        }
        rec.set(I::PATH, self.path_slot());
        rec.set(I::DUPLICATE_OF, Slot::new(MVal::Null, None, None));
        let integration = self.push(Kind::Integration, rec);

        // Connections. Ids of invalid connections are remembered so that flows naming them are
        // not "unknown".
        let mut ids: Vec<(Box<str>, Option<u32>)> = Vec::new();
        let mut conn_slots = Vec::new();
        let conns = root.entry("connections");
        let conns_invalid =
            conns.is_some_and(|e| e.value.is_invalid() || e.value.as_map().is_none());
        if let Some(Value::Map(entries)) = conns
            .filter(|e| !e.value.is_invalid())
            .map(|e| &e.value.value)
        {
            for e in entries {
                let idx = self.connection(e, integration);
                ids.push((e.key.clone(), idx));
                if let Some(idx) = idx {
                    conn_slots.push(Slot::new(
                        MVal::Ref(idx),
                        Some(self.loc(e.value.span, &e.value)),
                        Some(self.loc(e.key_span, &e.value)),
                    ));
                }
            }
        }
        let conns_loc = conns.map(|e| {
            (
                self.loc(e.value.span, &e.value),
                self.loc(e.key_span, &e.value),
            )
        });
        let conn_list = Slot::new(
            if conns_invalid {
                MVal::Invalid
            } else {
                MVal::List(conn_slots.into())
            },
            conns_loc.map(|l| l.0),
            conns_loc.map(|l| l.1),
        );
        self.frag.tables[Kind::Integration as usize][integration as usize]
            .set(I::CONNECTIONS, conn_list);

        // Flows.
        let mut flow_slots = Vec::new();
        let flows = root.entry("flows");
        if let Some(Value::Seq(items)) = flows
            .filter(|e| !e.value.is_invalid())
            .map(|e| &e.value.value)
        {
            for (i, item) in items.iter().enumerate() {
                if let Some(idx) = self.flow(item, i, integration, &ids, conns_invalid) {
                    flow_slots.push(Slot::new(
                        MVal::Ref(idx),
                        Some(self.loc(item.span, item)),
                        None,
                    ));
                }
            }
        }
        let flows_invalid =
            flows.is_some_and(|e| e.value.is_invalid() || e.value.as_seq().is_none());
        let flows_loc = flows.map(|e| {
            (
                self.loc(e.value.span, &e.value),
                self.loc(e.key_span, &e.value),
            )
        });
        let flow_list = Slot::new(
            if flows_invalid {
                MVal::Invalid
            } else {
                MVal::List(flow_slots.into())
            },
            flows_loc.map(|l| l.0),
            flows_loc.map(|l| l.1),
        );
        self.frag.tables[Kind::Integration as usize][integration as usize].set(I::FLOWS, flow_list);
    }

    fn connection(&mut self, e: &Entry, integration: u32) -> Option<u32> {
        use fields::connection as C;
        let node = &e.value;
        if node.is_invalid() || node.as_map().is_none() {
            return None;
        }
        let steps = [Step::Key("connections".into()), Step::Key(e.key.clone())];
        let mut rec = Record::new(
            Kind::Connection,
            self.file,
            Some(self.loc(node.span, node)),
            self.route(&steps),
        );
        let key = self.key_slot(&e.key, e.key_span, node);
        rec.set(C::KEY, key.clone());
        rec.set(C::ID, key);
        rec.set(
            C::INTEGRATION,
            Slot::new(MVal::Ref(integration), None, None),
        );
        rec.set(C::SYSTEM, self.str_field(node, "system"));
        rec.set(C::URL, self.str_field(node, "url"));
        rec.set(C::PATH, self.path_slot());
        let conn = self.push(Kind::Connection, rec);

        // Account: an id, or an inline mapping.
        if let Some(a) = node.entry("account") {
            let loc = self.loc(a.value.span, &a.value);
            let kloc = self.loc(a.key_span, &a.value);
            let (aref, account) = if a.value.is_invalid() {
                (MVal::Invalid, MVal::Invalid)
            } else {
                match &a.value.value {
                    Value::Str(s) => (MVal::Str(s.clone()), MVal::Null),
                    Value::Map(_) => {
                        let mut st = steps.to_vec();
                        st.push(Step::Key("account".into()));
                        let idx = self.account(
                            &a.value,
                            a.key_span,
                            &format!("{}", e.key),
                            &st,
                            Some((conn, integration)),
                        );
                        (MVal::Absent, MVal::Ref(idx))
                    }
                    _ => (MVal::Invalid, MVal::Invalid),
                }
            };
            let aref_slot = match aref {
                MVal::Absent => Slot::default(),
                v => Slot::new(v, Some(loc), Some(kloc)),
            };
            let rec = &mut self.frag.tables[Kind::Connection as usize][conn as usize];
            rec.set(C::ACCOUNT_REF, aref_slot);
            rec.set(C::ACCOUNT, Slot::new(account, Some(loc), Some(kloc)));
        } else {
            let rec = &mut self.frag.tables[Kind::Connection as usize][conn as usize];
            rec.set(C::ACCOUNT, Slot::new(MVal::Null, None, None));
        }

        // Credential.
        if let Some(c) = node.entry("credential") {
            let loc = self.loc(c.value.span, &c.value);
            let kloc = self.loc(c.key_span, &c.value);
            let val = if c.value.is_invalid() || c.value.as_map().is_none() {
                MVal::Invalid
            } else {
                let mut st = steps.to_vec();
                st.push(Step::Key("credential".into()));
                MVal::Ref(self.credential(c, conn, &st))
            };
            self.frag.tables[Kind::Connection as usize][conn as usize]
                .set(C::CREDENTIAL, Slot::new(val, Some(loc), Some(kloc)));
        }
        Some(conn)
    }

    fn credential(&mut self, e: &Entry, conn: u32, steps: &[Step]) -> u32 {
        use fields::credential as K;
        let node = &e.value;
        let mut rec = Record::new(
            Kind::Credential,
            self.file,
            Some(self.loc(node.span, node)),
            self.route(steps),
        );
        rec.set(K::KEY, self.key_slot(&e.key, e.key_span, node));
        rec.set(K::CONNECTION, Slot::new(MVal::Ref(conn), None, None));
        rec.set(K::TYPE, self.str_field(node, "type"));
        rec.set(K::SECRET, self.str_field(node, "secret"));
        rec.set(K::PRIVATE_KEY, self.str_field(node, "private_key"));
        rec.set(K::CLIENT_ID, self.str_field(node, "client_id"));
        rec.set(K::SCOPES, self.list_str_field(node, "scopes"));
        rec.set(K::CREATED, self.date_field(node, "created"));
        rec.set(K::EXPIRES, self.date_field(node, "expires"));
        let cred = self.push(Kind::Credential, rec);
        if let Some(r) = node.entry("rotation") {
            let loc = self.loc(r.value.span, &r.value);
            let kloc = self.loc(r.key_span, &r.value);
            let val = if r.value.is_invalid() || r.value.as_map().is_none() {
                MVal::Invalid
            } else {
                let mut st = steps.to_vec();
                st.push(Step::Key("rotation".into()));
                use fields::rotation as R;
                let mut rot = Record::new(Kind::Rotation, self.file, Some(loc), self.route(&st));
                rot.set(R::KEY, self.key_slot("rotation", r.key_span, &r.value));
                rot.set(R::CREDENTIAL, Slot::new(MVal::Ref(cred), None, None));
                rot.set(R::INTERVAL_DAYS, self.int_field(&r.value, "interval_days"));
                rot.set(R::LAST_ROTATED, self.date_field(&r.value, "last_rotated"));
                MVal::Ref(self.push(Kind::Rotation, rot))
            };
            self.frag.tables[Kind::Credential as usize][cred as usize]
                .set(K::ROTATION, Slot::new(val, Some(loc), Some(kloc)));
        }
        cred
    }

    /// Builds an account record (inventory or inline) and returns its local index.
    fn account(
        &mut self,
        node: &Node,
        key_span: Span,
        id: &str,
        steps: &[Step],
        inline: Option<(u32, u32)>,
    ) -> u32 {
        use fields::account as A;
        let mut rec = Record::new(
            Kind::Account,
            self.file,
            Some(self.loc(node.span, node)),
            self.route(steps),
        );
        let id_text = match inline {
            Some(_) => id.to_string(),
            None => id.to_string(),
        };
        let key = Slot::new(
            MVal::Str(id_text.as_str().into()),
            Some(self.loc(key_span, node)),
            Some(self.loc(key_span, node)),
        );
        rec.set(A::KEY, key.clone());
        rec.set(A::ID, key);
        rec.set(
            A::INLINE,
            Slot::new(MVal::Bool(inline.is_some()), None, None),
        );
        rec.set(A::SYSTEM, self.str_field(node, "system"));
        rec.set(A::TYPE, self.str_field(node, "type"));
        rec.set(A::USERNAME, self.str_field(node, "username"));
        rec.set(A::DISPLAY_NAME, self.str_field(node, "display_name"));
        rec.set(A::OWNER, self.str_field(node, "owner"));
        rec.set(A::PURPOSE, self.str_field(node, "purpose"));
        rec.set(A::PERMISSIONS, self.list_str_field(node, "permissions"));
        rec.set(A::LOGIN, self.str_field(node, "login"));
        rec.set(A::REVIEWED, self.date_field(node, "reviewed"));
        rec.set(A::TESTED, self.date_field(node, "tested"));
        rec.set(A::PATH, self.path_slot());
        self.push(Kind::Account, rec)
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
            let steps = [Step::Key("accounts".into()), Step::Key(e.key.clone())];
            // Inline accounts get their id at resolution; inventory ones carry theirs.
            self.account(&e.value, e.key_span, &e.key, &steps, None);
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
        let steps = [Step::Key("flows".into()), Step::Index(index)];
        let mut rec = Record::new(
            Kind::Flow,
            self.file,
            Some(self.loc(item.span, item)),
            self.route(&steps),
        );
        let first = item.as_map().and_then(|m| m.first());
        if let Some(first) = first {
            rec.set(F::KEY, self.key_slot(&first.key, first.key_span, item));
        }
        rec.set(F::INDEX, Slot::new(MVal::Int(index as i64 + 1), None, None));
        rec.set(
            F::INTEGRATION,
            Slot::new(MVal::Ref(integration), None, None),
        );
        let from = self.str_field(item, "from");
        let to = self.str_field(item, "to");
        let resolve = |slot: &Slot| -> MVal {
            match &slot.val {
                MVal::Str(s) => match ids.iter().find(|(id, _)| id == s) {
                    Some((_, Some(idx))) => MVal::Ref(*idx),
                    Some((_, None)) => MVal::Invalid,
                    None if conns_invalid => MVal::Invalid,
                    None => MVal::Null,
                },
                MVal::Invalid => MVal::Invalid,
                _ => MVal::Null,
            }
        };
        let from_conn = Slot::new(resolve(&from), from.loc, from.key);
        let to_conn = Slot::new(resolve(&to), to.loc, to.key);
        rec.set(F::FROM, from);
        rec.set(F::TO, to);
        rec.set(F::SYNC, self.list_str_field(item, "sync"));
        rec.set(F::FROM_CONNECTION, from_conn);
        rec.set(F::TO_CONNECTION, to_conn);
        Some(self.push(Kind::Flow, rec))
    }
}
