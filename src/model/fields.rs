//! The kinds of entities and their fields: the vocabulary of the rule language.
//!
//! Field names follow the document keys (`owner`, `credential`, `rotation`, `last_rotated`)
//! so that rule authors can guess them; derived fields say so in their documentation.

/// An entity kind. The discriminant indexes [`crate::model::Model::tables`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Integration = 0,
    Connection = 1,
    Credential = 2,
    Rotation = 3,
    Account = 4,
    Flow = 5,
    Need = 6,
    Grant = 7,
    System = 8,
    Match = 9,
}

pub const KIND_COUNT: usize = 10;

pub const ALL_KINDS: [Kind; KIND_COUNT] = [
    Kind::Integration,
    Kind::Connection,
    Kind::Credential,
    Kind::Rotation,
    Kind::Account,
    Kind::Flow,
    Kind::Need,
    Kind::Grant,
    Kind::System,
    Kind::Match,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Integration => "integration",
            Kind::Connection => "connection",
            Kind::Credential => "credential",
            Kind::Rotation => "rotation",
            Kind::Account => "account",
            Kind::Flow => "flow",
            Kind::Need => "need",
            Kind::Grant => "grant",
            Kind::System => "system",
            Kind::Match => "match",
        }
    }

    pub fn doc(self) -> &'static str {
        match self {
            Kind::Integration => "An Integration document.",
            Kind::Connection => "A connection of an Integration.",
            Kind::Credential => "The credential of a connection.",
            Kind::Rotation => "The `rotation` of a credential.",
            Kind::Account => "An account: declared in a ServiceAccounts document (first declaration of its id), or inline in a connection.",
            Kind::Flow => "A flow of an Integration.",
            Kind::Need => "Derived: one capability a connection needs (from the flows), with the permissions that grant it.",
            Kind::Grant => "Derived: one granted permission (an account's `permissions` item or a credential's `scopes` item).",
            Kind::System => "A system of the catalog.",
            Kind::Match => "Derived: a match of one of the rule's own `patterns` in the text of a file holding our documents (values and comments alike).",
        }
    }
}

/// A field type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Str,
    Date,
    Ref(Kind),
    ListStr,
    ListRef(Kind),
}

impl Ty {
    pub fn describe(self) -> String {
        match self {
            Ty::Bool => "bool".into(),
            Ty::Int => "integer".into(),
            Ty::Str => "string".into(),
            Ty::Date => "date".into(),
            Ty::Ref(k) => k.name().into(),
            Ty::ListStr => "list of strings".into(),
            Ty::ListRef(k) => format!("list of {}", k.name()),
        }
    }
}

/// One field of a kind.
pub struct FieldDef {
    pub name: &'static str,
    pub ty: Ty,
    pub doc: &'static str,
    /// Stored with the locations of its value and key (document fields); derived fields store
    /// only a value.
    pub located: bool,
    /// Read only by rules that look at one file (ARCHITECTURE.md, "What a run holds"): held
    /// for the files being merged, then let go once their file-local rules have run, unless
    /// a rule that needs every file reads it.
    pub detail: bool,
    /// Written by cross-file resolution (after the merge): a rule that reads it needs every
    /// file.
    pub resolved: bool,
}

impl FieldDef {
    /// Marks a field as a file-local detail.
    const fn detail(self) -> FieldDef {
        FieldDef {
            detail: true,
            ..self
        }
    }

    /// Marks a field as written by cross-file resolution.
    const fn resolved(self) -> FieldDef {
        FieldDef {
            resolved: true,
            ..self
        }
    }
}

/// A field read from the document, with its locations.
const fn f(name: &'static str, ty: Ty, doc: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty,
        doc,
        located: true,
        detail: false,
        resolved: false,
    }
}

/// A derived field: a value only.
const fn d(name: &'static str, ty: Ty, doc: &'static str) -> FieldDef {
    FieldDef {
        name,
        ty,
        doc,
        located: false,
        detail: false,
        resolved: false,
    }
}

/// Where a field of a kind is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A slot (value and locations) of the record's row.
    Slot(usize),
    /// A bare value of the record's row.
    Val(usize),
    /// A slot of the table's details, held only for the records being merged.
    Detail(usize),
}

/// Where each field of a kind is stored: the record's row holds `located` slots and `values`
/// bare values; `details` slots more are held while its file is being merged.
pub struct Layout {
    pub located: usize,
    pub values: usize,
    pub details: usize,
    pub place: Vec<Place>,
}

/// The storage layout of every kind (computed once from the field tables).
pub fn layout(kind: Kind) -> &'static Layout {
    static LAYOUTS: std::sync::OnceLock<Vec<Layout>> = std::sync::OnceLock::new();
    &LAYOUTS.get_or_init(|| {
        ALL_KINDS
            .iter()
            .map(|k| {
                let (mut l, mut v, mut d) = (0, 0, 0);
                let next = |n: &mut usize| {
                    *n += 1;
                    *n - 1
                };
                let place = fields_of(*k)
                    .iter()
                    .map(|f| match (f.detail, f.located) {
                        (true, _) => Place::Detail(next(&mut d)),
                        (false, true) => Place::Slot(next(&mut l)),
                        (false, false) => Place::Val(next(&mut v)),
                    })
                    .collect();
                Layout {
                    located: l,
                    values: v,
                    details: d,
                    place,
                }
            })
            .collect()
    })[kind as usize]
}

pub mod integration {
    pub const KEY: usize = 0;
    pub const NAME: usize = 1;
    pub const OWNER: usize = 2;
    pub const ENVIRONMENT: usize = 3;
    pub const DESCRIPTION: usize = 4;
    pub const PATH: usize = 5;
    pub const CONNECTIONS: usize = 6;
    pub const FLOWS: usize = 7;
    pub const DUPLICATE_OF: usize = 8;
}

pub mod connection {
    pub const KEY: usize = 0;
    pub const ID: usize = 1;
    pub const INTEGRATION: usize = 2;
    pub const SYSTEM: usize = 3;
    pub const SYSTEM_INFO: usize = 4;
    pub const URL: usize = 5;
    pub const ACCOUNT_REF: usize = 6;
    pub const ACCOUNT: usize = 7;
    pub const CREDENTIAL: usize = 8;
    pub const FLOWS: usize = 9;
    pub const CAPABILITIES: usize = 10;
    pub const NEEDS: usize = 11;
    pub const CHECKABLE: usize = 12;
    pub const GRANTS_DECLARED: usize = 13;
    pub const PATH: usize = 14;
}

pub mod credential {
    pub const KEY: usize = 0;
    pub const CONNECTION: usize = 1;
    pub const TYPE: usize = 2;
    pub const SECRET: usize = 3;
    pub const PRIVATE_KEY: usize = 4;
    pub const CLIENT_ID: usize = 5;
    pub const SCOPES: usize = 6;
    pub const CREATED: usize = 7;
    pub const EXPIRES: usize = 8;
    pub const ROTATION: usize = 9;
    pub const LIFETIME_CAP: usize = 10;
    pub const CAN_EXPIRE: usize = 11;
    pub const SYSTEM_INFO: usize = 12;
}

pub mod rotation {
    pub const KEY: usize = 0;
    pub const CREDENTIAL: usize = 1;
    pub const INTERVAL_DAYS: usize = 2;
    pub const LAST_ROTATED: usize = 3;
}

pub mod account {
    pub const KEY: usize = 0;
    pub const ID: usize = 1;
    pub const INLINE: usize = 2;
    pub const SYSTEM: usize = 3;
    pub const SYSTEM_INFO: usize = 4;
    pub const TYPE: usize = 5;
    pub const USERNAME: usize = 6;
    pub const DISPLAY_NAME: usize = 7;
    pub const OWNER: usize = 8;
    pub const PURPOSE: usize = 9;
    pub const PERMISSIONS: usize = 10;
    pub const LOGIN: usize = 11;
    pub const REVIEWED: usize = 12;
    pub const TESTED: usize = 13;
    pub const USES: usize = 14;
    pub const FIRST_USE: usize = 15;
    pub const PATH: usize = 16;
    pub const EFFECTIVE_SYSTEM: usize = 17;
}

pub mod flow {
    pub const KEY: usize = 0;
    pub const INDEX: usize = 1;
    pub const INTEGRATION: usize = 2;
    pub const FROM: usize = 3;
    pub const TO: usize = 4;
    pub const SYNC: usize = 5;
    pub const FROM_CONNECTION: usize = 6;
    pub const TO_CONNECTION: usize = 7;
}

pub mod need {
    pub const CONNECTION: usize = 0;
    pub const ACCOUNT: usize = 1;
    pub const CAPABILITY: usize = 2;
    pub const GRANTS: usize = 3;
    pub const GRANTED: usize = 4;
    pub const FLOWS: usize = 5;
}

pub mod grant {
    pub const NAME: usize = 0;
    pub const SOURCE: usize = 1;
    pub const ACCOUNT: usize = 2;
    pub const CONNECTION: usize = 3;
    pub const USES: usize = 4;
    pub const ADMIN: usize = 5;
    pub const NEEDED_BY: usize = 6;
    pub const NEEDS_KNOWN: usize = 7;
    pub const SYSTEM_INFO: usize = 8;
    pub const INDEX: usize = 9;
}

pub mod system {
    pub const ID: usize = 0;
    pub const NAME: usize = 1;
    pub const URL_HINTS: usize = 2;
    pub const PASSWORD_TOKEN_ALTERNATIVE: usize = 3;
}

pub mod matched {
    pub const PATTERN: usize = 0;
    pub const TEXT: usize = 1;
    pub const KEY_NAME: usize = 2;
    pub const VALUE: usize = 3;
    pub const CREDENTIAL: usize = 4;
    pub const PATH: usize = 5;
}

static INTEGRATION: [FieldDef; 9] = [
    f("key", Ty::Str, "The document's `kind` key (where findings about the whole document point)."),
    f("name", Ty::Str, "`metadata.name`."),
    f("owner", Ty::Str, "`metadata.owner`.").detail(),
    f("environment", Ty::Str, "`metadata.environment`."),
    f("description", Ty::Str, "`metadata.description`.").detail(),
    d("path", Ty::Str, "Derived: the file's path relative to the context root."),
    f("connections", Ty::ListRef(Kind::Connection), "The connections, in document order."),
    f("flows", Ty::ListRef(Kind::Flow), "The flows, in document order."),
    d("duplicate_of", Ty::Ref(Kind::Integration), "Derived: an earlier Integration (by path, then line) with the same `metadata.name`, else null.").resolved(),
];

static CONNECTION: [FieldDef; 15] = [
    f("key", Ty::Str, "The connection's id key."),
    f("id", Ty::Str, "The connection id (located at its key)."),
    d("integration", Ty::Ref(Kind::Integration), "The Integration holding it."),
    f("system", Ty::Str, "`system`."),
    d("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of `system`, else null.").detail(),
    f("url", Ty::Str, "`url`.").detail(),
    f("account_ref", Ty::Str, "`account` when it is an account id (null for an inline account)."),
    f("account", Ty::Ref(Kind::Account), "Derived: the account used: the inline account, or the inventory account `account_ref` names (first declaration), else null. Located at the `account` value.").resolved(),
    f("credential", Ty::Ref(Kind::Credential), "`credential`."),
    d("flows", Ty::ListRef(Kind::Flow), "Derived: the flows of its Integration that read from or write to it.").resolved(),
    d("capabilities", Ty::ListStr, "Derived: the capabilities its flows need: `read` when a flow reads from it, each `sync` item of the flows that write to it.").resolved(),
    d("needs", Ty::ListRef(Kind::Need), "Derived: one need per capability for which the catalog lists granting permissions.").resolved(),
    d("checkable", Ty::Bool, "Derived: its account is known, both systems are in the catalog and they are the same (least privilege can be compared).").resolved(),
    d("grants_declared", Ty::Bool, "Derived: its account declares `permissions` or its credential declares `scopes` (an empty list counts).").resolved(),
    d("path", Ty::Str, "Derived: the file's path relative to the context root."),
];

static CREDENTIAL: [FieldDef; 13] = [
    f("key", Ty::Str, "The `credential` key."),
    d("connection", Ty::Ref(Kind::Connection), "The connection it belongs to."),
    f("type", Ty::Str, "`type`."),
    f("secret", Ty::Str, "`secret` (literal or reference; never print it, messages mask it).").detail(),
    f("private_key", Ty::Str, "`private_key`.").detail(),
    f("client_id", Ty::Str, "`client_id`.").detail(),
    f("scopes", Ty::ListStr, "`scopes`."),
    f("created", Ty::Date, "`created`.").detail(),
    f("expires", Ty::Date, "`expires`.").detail(),
    f("rotation", Ty::Ref(Kind::Rotation), "`rotation`."),
    d("lifetime_cap", Ty::Int, "Derived: the longest lifetime in days the catalog allows for this type on this system, else null.").detail(),
    d("can_expire", Ty::Bool, "Derived: the catalog gives this type a lifetime cap on this system.").detail(),
    d("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of the connection's system.").detail(),
];

static ROTATION: [FieldDef; 4] = [
    f("key", Ty::Str, "The `rotation` key.").detail(),
    d(
        "credential",
        Ty::Ref(Kind::Credential),
        "The credential it belongs to.",
    ),
    f("interval_days", Ty::Int, "`interval_days`.").detail(),
    f("last_rotated", Ty::Date, "`last_rotated`."),
];

static ACCOUNT: [FieldDef; 18] = [
    f(
        "key",
        Ty::Str,
        "The account's id key (inventory) or the `account` key (inline).",
    ),
    f(
        "id",
        Ty::Str,
        "The account id; `integration/connection` for an inline account.",
    ),
    d("inline", Ty::Bool, "Declared inline in a connection."),
    f(
        "system",
        Ty::Str,
        "`system` as written (null for an inline account that omits it).",
    ),
    d(
        "system_info",
        Ty::Ref(Kind::System),
        "Derived: the catalog entry of `effective_system`, else null.",
    ),
    f("type", Ty::Str, "`type`."),
    f("username", Ty::Str, "`username`."),
    f("display_name", Ty::Str, "`display_name`."),
    f("owner", Ty::Str, "`owner`."),
    f("purpose", Ty::Str, "`purpose`."),
    f("permissions", Ty::ListStr, "`permissions`."),
    f("login", Ty::Str, "`login`."),
    f("reviewed", Ty::Date, "`reviewed`."),
    f("tested", Ty::Date, "`tested`."),
    d(
        "uses",
        Ty::ListRef(Kind::Connection),
        "Derived: the connections that use it, ordered by path, then line.",
    ),
    d(
        "first_use",
        Ty::Ref(Kind::Connection),
        "Derived: the first of `uses`, else null.",
    ),
    d(
        "path",
        Ty::Str,
        "Derived: the file's path relative to the context root.",
    ),
    d(
        "effective_system",
        Ty::Str,
        "Derived: `system`, or for an inline account without one, its connection's system.",
    ),
];

static FLOW: [FieldDef; 8] = [
    f("key", Ty::Str, "The flow item's first key.").detail(),
    d("index", Ty::Int, "Position in `flows`, from 1."),
    d(
        "integration",
        Ty::Ref(Kind::Integration),
        "The Integration holding it.",
    ),
    f("from", Ty::Str, "`from`."),
    f("to", Ty::Str, "`to`."),
    f("sync", Ty::ListStr, "`sync`."),
    f(
        "from_connection",
        Ty::Ref(Kind::Connection),
        "Derived: the connection `from` names, else null.",
    ),
    f(
        "to_connection",
        Ty::Ref(Kind::Connection),
        "Derived: the connection `to` names, else null.",
    ),
];

static NEED: [FieldDef; 6] = [
    f("connection", Ty::Ref(Kind::Connection), "The connection that needs the capability."),
    d("account", Ty::Ref(Kind::Account), "The connection's account (null when unknown)."),
    d("capability", Ty::Str, "`read` or a `sync` capability."),
    d("grants", Ty::ListStr, "The catalog's permissions that grant it (each alternative; `A + B` when both are needed)."),
    d("granted", Ty::Bool, "Some alternative is held: every permission of it is in the account's `permissions` or the credential's `scopes`."),
    d("flows", Ty::ListRef(Kind::Flow), "The flows that need it."),
];

static GRANT: [FieldDef; 10] = [
    f("name", Ty::Str, "The permission or scope (located at its list item)."),
    d("source", Ty::Str, "`permissions` (account) or `scopes` (credential)."),
    f("account", Ty::Ref(Kind::Account), "The account that holds it (null for a scope whose connection's account is unknown)."),
    d("connection", Ty::Ref(Kind::Connection), "For a scope: its connection; else null."),
    d("uses", Ty::ListRef(Kind::Connection), "The connections it serves: the account's uses (permission) or its own connection (scope)."),
    d("admin", Ty::Bool, "Derived: the catalog marks it admin-level on the holder's system."),
    d("needed_by", Ty::ListRef(Kind::Need), "Derived: the needs of checkable `uses` that list it among their grants."),
    d("needs_known", Ty::Bool, "Derived: the catalog lists granting permissions for every capability that the checkable `uses` need."),
    d("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of the holder's system."),
    d("index", Ty::Int, "Position in its list (`permissions` or `scopes`), from 0."),
];

static SYSTEM: [FieldDef; 4] = [
    d("id", Ty::Str, "`id`."),
    d("name", Ty::Str, "`name`."),
    d("url_hints", Ty::ListStr, "`url_hints`."),
    d(
        "password_token_alternative",
        Ty::Bool,
        "`password_token_alternative.value` (null when the catalog does not say).",
    ),
];

static MATCH: [FieldDef; 6] = [
    f("pattern", Ty::Str, "The name of the pattern that matched."),
    f(
        "text",
        Ty::Str,
        "The matched text, masked (never the secret).",
    ),
    f(
        "key_name",
        Ty::Str,
        "The key of the value the match lies in (null in a comment or a key).",
    ),
    f(
        "value",
        Ty::Str,
        "The whole string value the match lies in (null in a comment or a key).",
    ),
    d(
        "credential",
        Ty::Ref(Kind::Credential),
        "The credential when the value is one of its fields, else null.",
    ),
    d(
        "path",
        Ty::Str,
        "The file's path relative to the context root.",
    ),
];

pub fn fields_of(kind: Kind) -> &'static [FieldDef] {
    match kind {
        Kind::Integration => &INTEGRATION,
        Kind::Connection => &CONNECTION,
        Kind::Credential => &CREDENTIAL,
        Kind::Rotation => &ROTATION,
        Kind::Account => &ACCOUNT,
        Kind::Flow => &FLOW,
        Kind::Need => &NEED,
        Kind::Grant => &GRANT,
        Kind::System => &SYSTEM,
        Kind::Match => &MATCH,
    }
}

pub fn field_index(kind: Kind, name: &str) -> Option<usize> {
    fields_of(kind).iter().position(|f| f.name == name)
}

/// Kinds whose records a file builds whole: connections, credentials and flows refer only to
/// their own Integration; accounts are decided across files (first declaration wins), needs
/// and grants by resolution.
pub fn built_per_file(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Integration | Kind::Connection | Kind::Credential | Kind::Rotation | Kind::Flow
    )
}

/// Whether a field has its final value once its own file is merged (catalog systems always
/// do): what a rule must read only of to be evaluated file by file.
pub fn final_per_file(kind: Kind, field: usize) -> bool {
    kind == Kind::System || built_per_file(kind) && !fields_of(kind)[field].resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_final_fields_of_kinds_a_file_builds_whole() {
        for kind in ALL_KINDS {
            for (i, def) in fields_of(kind).iter().enumerate() {
                if def.detail {
                    assert!(final_per_file(kind, i), "{}.{}", kind.name(), def.name);
                }
            }
        }
        // The merge sets later declarations of an account aside without details.
        assert_eq!(layout(Kind::Account).details, 0);
    }
}
