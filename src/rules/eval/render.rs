//! The text of a value in a message: secrets masked, entities by their names.

use super::{Ctx, Val, V};
use crate::model::date;
use crate::model::fields::Kind;
use crate::secrets::mask;

impl<'m> Ctx<'m> {
    /// Text of a value for messages. Strings located in a secret are masked.
    pub fn render(&self, v: &Val<'m>) -> String {
        match &v.v {
            V::Absent | V::Null => "none".into(),
            V::Invalid => "?".into(),
            V::Bool(b) => b.to_string(),
            V::Int(i) => i.to_string(),
            V::Date(d) => date::format(*d),
            V::Str(s) => {
                let secret = v.loc.is_some_and(|l| {
                    self.model
                        .files
                        .get(l.file as usize)
                        .is_some_and(|f| f.is_redacted(&l))
                });
                if secret {
                    mask(s)
                } else {
                    s.to_string()
                }
            }
            V::Ref(kind, r) => self.entity_name(*kind, *r),
            V::Slots(..) | V::Refs(..) | V::Strs(_) | V::List(_) => self
                .items(v)
                .unwrap_or_default()
                .iter()
                .map(|i| self.render(i))
                .collect::<Vec<_>>()
                .join(", "),
            V::Loc => String::new(),
        }
    }

    pub fn entity_name(&self, kind: Kind, r: u32) -> String {
        use crate::model::fields::*;
        let rec = self.model.record(kind, r);
        let s = |f: usize| rec.str(f).unwrap_or("?").to_string();
        match kind {
            Kind::Integration => s(integration::NAME),
            Kind::Connection => s(connection::ID),
            Kind::Account => s(account::ID),
            Kind::System => s(system::ID),
            Kind::Need => s(need::CAPABILITY),
            Kind::Grant => s(grant::NAME),
            Kind::Match => s(matched::PATTERN),
            Kind::Flow => match (rec.str(flow::FROM), rec.str(flow::TO)) {
                (Some(a), Some(b)) => format!("{a} → {b}"),
                _ => format!("flow {}", r + 1),
            },
            Kind::Credential | Kind::Rotation => {
                let conn = match kind {
                    Kind::Credential => rec.reference(credential::CONNECTION),
                    _ => rec.reference(rotation::CREDENTIAL).and_then(|c| {
                        self.model
                            .record(Kind::Credential, c)
                            .reference(credential::CONNECTION)
                    }),
                };
                conn.map(|c| self.entity_name(Kind::Connection, c))
                    .unwrap_or_else(|| "?".into())
            }
        }
    }
}
