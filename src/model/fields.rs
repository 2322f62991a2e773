//! The kinds of entities and their fields: the vocabulary of the rule language.
//!
//! Field names follow the document keys (`owner`, `credential`, `rotation`, `last_rotated`)
//! so that rule authors can guess them; derived fields say so in their documentation. Each
//! table declares, per field, where its value sits in the document (its route, part of
//! baseline fingerprints), who writes and reads it (`resolved`, `detail`), and, from the same
//! list, the index constants the model is read with (`fields!`).

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
    /// Stored with the locations of its value and key (document fields); other fields store
    /// only a value.
    pub located: bool,
    /// Read only by rules that look at one file (ARCHITECTURE.md, "What a run holds"): held
    /// for the files being merged, then let go once their file-local rules have run, unless
    /// a rule that needs every file reads it.
    pub detail: bool,
    /// Written by cross-file resolution (after the merge): a rule that reads it needs every
    /// file.
    pub resolved: bool,
    /// Computed, not read from the document (its documentation starts with "Derived"): it
    /// has no place in the document, so it adds nothing to a finding's route.
    pub derived: bool,
    /// Where its value sits below its record in the document.
    pub route: Route,
}

/// Where a field's value sits below its record's route in the document. A finding located at
/// the value has the record's route followed by this path; routes are part of baseline
/// fingerprints, so changing one makes every baseline entry of the findings at that field
/// stale (`tests/fingerprints.rs` pins them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Not declared: a test fails (`every_field_declares_its_route`), so that a new field is
    /// given its route on purpose.
    Undeclared,
    /// No place of its own below the record: the record's key or id, the record holding it,
    /// a derived value, a field of a kind without documents of its own (needs, grants,
    /// systems, matches).
    Record,
    /// This path below the record (e.g. `/metadata/owner`).
    At(&'static str),
}

impl FieldDef {
    /// The path a finding at this field adds to its record's route ("" for none).
    pub fn route_suffix(&self) -> &'static str {
        match self.route {
            Route::At(path) if !self.derived => path,
            _ => "",
        }
    }

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

    /// Marks a field as computed: no route of its own.
    const fn derived(self) -> FieldDef {
        FieldDef {
            derived: true,
            route: Route::Record,
            ..self
        }
    }

    /// Declares where the field's value sits below its record (`/` and the document's keys).
    const fn route(self, path: &'static str) -> FieldDef {
        FieldDef {
            route: Route::At(path),
            ..self
        }
    }

    /// Declares that the field has no place of its own below its record.
    const fn at_record(self) -> FieldDef {
        FieldDef {
            route: Route::Record,
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
        derived: false,
        route: Route::Undeclared,
    }
}

/// A field stored as a bare value, without locations.
const fn v(name: &'static str, ty: Ty, doc: &'static str) -> FieldDef {
    FieldDef {
        located: false,
        ..f(name, ty, doc)
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

/// A module of index constants: its name, and each constant's name and value.
#[cfg(test)]
type Constants = (&'static str, &'static [(&'static str, usize)]);

/// Declares the field table of a kind and, from the same list, the module of its index
/// constants: a constant is its field's position by construction. The hot paths index records
/// with these constants, so they are compile-time constants, not lookups by name.
macro_rules! fields {
    ($table:ident, $module:ident; $($index:ident: $def:expr,)+) => {
        #[doc = concat!("Positions of the fields in `", stringify!($table), "`.")]
        pub mod $module {
            #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
            enum Position {
                $($index,)+
            }
            $(pub const $index: usize = Position::$index as usize;)+
            /// The module's name and every constant with its value, for the test that ties
            /// names to fields.
            #[cfg(test)]
            pub(super) const ALL: super::Constants =
                (stringify!($module), &[$((stringify!($index), $index),)+]);
        }

        static $table: [FieldDef; [$(stringify!($index),)+].len()] = [$($def,)+];
    };
}

fields! {
    INTEGRATION, integration;
    KEY: f("key", Ty::Str, "The document's `kind` key (where findings about the whole document point).").at_record(),
    NAME: f("name", Ty::Str, "`metadata.name`.").route("/metadata/name"),
    OWNER: f("owner", Ty::Str, "`metadata.owner`.").route("/metadata/owner").detail(),
    ENVIRONMENT: f("environment", Ty::Str, "`metadata.environment`.").route("/metadata/environment"),
    DESCRIPTION: f("description", Ty::Str, "`metadata.description`.").route("/metadata/description").detail(),
    PATH: v("path", Ty::Str, "Derived: the file's path relative to the context root.").derived(),
    CONNECTIONS: f("connections", Ty::ListRef(Kind::Connection), "The connections, in document order.").route("/connections"),
    FLOWS: f("flows", Ty::ListRef(Kind::Flow), "The flows, in document order.").route("/flows"),
    DUPLICATE_OF: v("duplicate_of", Ty::Ref(Kind::Integration), "Derived: an earlier Integration (by path, then line) with the same `metadata.name`, else null.").derived().resolved(),
}

fields! {
    CONNECTION, connection;
    KEY: f("key", Ty::Str, "The connection's id key.").at_record(),
    ID: f("id", Ty::Str, "The connection id (located at its key).").at_record(),
    INTEGRATION: v("integration", Ty::Ref(Kind::Integration), "The Integration holding it.").at_record(),
    SYSTEM: f("system", Ty::Str, "`system`.").route("/system"),
    SYSTEM_INFO: v("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of `system`, else null.").derived().detail(),
    URL: f("url", Ty::Str, "`url`.").route("/url").detail(),
    ACCOUNT_REF: f("account_ref", Ty::Str, "`account` when it is an account id (null for an inline account).").route("/account"),
    ACCOUNT: f("account", Ty::Ref(Kind::Account), "Derived: the account used: the inline account, or the inventory account `account_ref` names (first declaration), else null. Located at the `account` value.").derived().resolved(),
    CREDENTIAL: f("credential", Ty::Ref(Kind::Credential), "`credential`.").route("/credential"),
    FLOWS: v("flows", Ty::ListRef(Kind::Flow), "Derived: the flows of its Integration that read from or write to it.").derived().resolved(),
    CAPABILITIES: v("capabilities", Ty::ListStr, "Derived: the capabilities its flows need: `read` when a flow reads from it, each `sync` item of the flows that write to it.").derived().resolved(),
    NEEDS: v("needs", Ty::ListRef(Kind::Need), "Derived: one need per capability for which the catalog lists granting permissions.").derived().resolved(),
    CHECKABLE: v("checkable", Ty::Bool, "Derived: its account is known, both systems are in the catalog and they are the same (least privilege can be compared).").derived().resolved(),
    GRANTS_DECLARED: v("grants_declared", Ty::Bool, "Derived: its account declares `permissions` or its credential declares `scopes` (an empty list counts).").derived().resolved(),
    ACCESS_DECLARED: v("access_declared", Ty::Bool, "Derived: the permission layer of its account or (scoped credential only) the scope layer of its credential is declared (docs/access-model.md).").derived().resolved(),
    RESOURCES: f("resources", Ty::ListStr, "`resources`: the resources its flows touch (`\"*\"` reads as a one-item list).").route("/resources"),
    UNCOVERED_RESOURCES: v("uncovered_resources", Ty::ListStr, "Derived: the items of `resources` that a declared reach (its account's or its credential's `resources`) does not cover.").derived().resolved(),
    PATH: v("path", Ty::Str, "Derived: the file's path relative to the context root.").derived(),
}

fields! {
    CREDENTIAL, credential;
    KEY: f("key", Ty::Str, "The `credential` key.").at_record(),
    CONNECTION: v("connection", Ty::Ref(Kind::Connection), "The connection it belongs to.").at_record(),
    TYPE: f("type", Ty::Str, "`type`.").route("/type"),
    SECRET: f("secret", Ty::Str, "`secret` (literal or reference; never print it, messages mask it).").route("/secret").detail(),
    PRIVATE_KEY: f("private_key", Ty::Str, "`private_key`.").route("/private_key").detail(),
    CLIENT_ID: f("client_id", Ty::Str, "`client_id`.").route("/client_id").detail(),
    SCOPES: f("scopes", Ty::ListStr, "`scopes`.").route("/scopes"),
    CREATED: f("created", Ty::Date, "`created`.").route("/created").detail(),
    EXPIRES: f("expires", Ty::Date, "`expires`.").route("/expires").detail(),
    ROTATION: f("rotation", Ty::Ref(Kind::Rotation), "`rotation`.").route("/rotation"),
    LIFETIME_CAP: v("lifetime_cap", Ty::Int, "Derived: the longest lifetime in days the platform allows for this type on this system (a `platform` cap of the catalog; a default policy is not one), else null.").derived().detail(),
    CAN_EXPIRE: v("can_expire", Ty::Bool, "Derived: the catalog says this type's secret can be given an expiry on this system.").derived().detail(),
    DEPRECATED: v("deprecated", Ty::Bool, "Derived: the catalog marks this type deprecated on this system (from `deprecated_since`, on every date when null).").derived().detail(),
    DEPRECATED_SINCE: v("deprecated_since", Ty::Date, "Derived: when the type was deprecated on this system, else null.").derived().detail(),
    REMOVED: v("removed", Ty::Date, "Derived: when the system stopped (or stops) accepting this type, else null.").derived().detail(),
    DEPRECATION_NOTE: v("deprecation_note", Ty::Str, "Derived: the catalog's note on the deprecation, else null.").derived().detail(),
    SCOPED: v("scoped", Ty::Bool, "Derived: the type carries scopes on this system for its account's `type` (null when the catalog does not know the type).").derived().resolved(),
    RESOURCES: f("resources", Ty::ListStr, "`resources`: what the credential reaches (e.g. a fine-grained token's repositories; `\"*\"` reads as a one-item list).").route("/resources"),
    RESOURCES_NEEDED: v("resources_needed", Ty::ListStr, "Derived: when `resources` reaches `*` or a glob while its connection declares only exact ids: those ids; else null.").derived().resolved(),
    SYSTEM_INFO: v("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of the connection's system.").derived().detail(),
}

fields! {
    ROTATION, rotation;
    KEY: f("key", Ty::Str, "The `rotation` key.").at_record().detail(),
    // The rotation's parent, yet routed below the rotation (as other links are not): the route
    // it always had, kept because baselines hold it.
    CREDENTIAL: v("credential", Ty::Ref(Kind::Credential), "The credential it belongs to.").route("/credential"),
    INTERVAL_DAYS: f("interval_days", Ty::Int, "`interval_days`.").route("/interval_days").detail(),
    LAST_ROTATED: f("last_rotated", Ty::Date, "`last_rotated`.").route("/last_rotated"),
}

fields! {
    ACCOUNT, account;
    KEY: f("key", Ty::Str, "The account's id key (inventory) or the `account` key (inline).").at_record(),
    ID: f("id", Ty::Str, "The account id; `integration/connection` for an inline account.").at_record(),
    INLINE: v("inline", Ty::Bool, "Declared inline in a connection.").at_record(),
    SYSTEM: f("system", Ty::Str, "`system` as written (null for an inline account that omits it).").route("/system"),
    SYSTEM_INFO: v("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of `effective_system`, else null.").derived(),
    TYPE: f("type", Ty::Str, "`type`.").route("/type"),
    USERNAME: f("username", Ty::Str, "`username`.").route("/username"),
    DISPLAY_NAME: f("display_name", Ty::Str, "`display_name`.").route("/display_name"),
    OWNER: f("owner", Ty::Str, "`owner`.").route("/owner"),
    PURPOSE: f("purpose", Ty::Str, "`purpose`.").route("/purpose"),
    PERMISSIONS: f("permissions", Ty::ListStr, "`permissions`.").route("/permissions"),
    LOGIN: f("login", Ty::Str, "`login`.").route("/login"),
    REVIEWED: f("reviewed", Ty::Date, "`reviewed`.").route("/reviewed"),
    TESTED: f("tested", Ty::Date, "`tested`.").route("/tested"),
    USES: v("uses", Ty::ListRef(Kind::Connection), "Derived: the connections that use it, ordered by path, then line.").derived(),
    FIRST_USE: v("first_use", Ty::Ref(Kind::Connection), "Derived: the first of `uses`, else null.").derived(),
    PATH: v("path", Ty::Str, "Derived: the file's path relative to the context root.").derived(),
    EFFECTIVE_SYSTEM: v("effective_system", Ty::Str, "Derived: `system`, or for an inline account without one, its connection's system.").derived(),
    RESOURCES: f("resources", Ty::ListStr, "`resources`: what the account reaches (`\"*\"` reads as a one-item list).").route("/resources"),
    RESOURCES_NEEDED: v("resources_needed", Ty::ListStr, "Derived: when `resources` reaches `*` or a glob while every connection using it declares only exact ids: those ids, sorted; else null.").derived().resolved(),
}

fields! {
    FLOW, flow;
    KEY: f("key", Ty::Str, "The flow item's first key.").at_record().detail(),
    INDEX: v("index", Ty::Int, "Position in `flows`, from 1.").at_record(),
    INTEGRATION: v("integration", Ty::Ref(Kind::Integration), "The Integration holding it.").at_record(),
    FROM: f("from", Ty::Str, "`from`.").route("/from"),
    TO: f("to", Ty::Str, "`to`.").route("/to"),
    SYNC: f("sync", Ty::ListStr, "`sync`.").route("/sync"),
    FROM_CONNECTION: f("from_connection", Ty::Ref(Kind::Connection), "Derived: the connection `from` names, else null.").derived(),
    TO_CONNECTION: f("to_connection", Ty::Ref(Kind::Connection), "Derived: the connection `to` names, else null.").derived(),
}

fields! {
    NEED, need;
    CONNECTION: f("connection", Ty::Ref(Kind::Connection), "The connection that needs the capability.").at_record(),
    ACCOUNT: v("account", Ty::Ref(Kind::Account), "The connection's account (null when unknown).").at_record(),
    CAPABILITY: v("capability", Ty::Str, "`read`, a `sync` capability, or one they need (`also_needs`, e.g. `users`).").at_record(),
    GRANTS: v("grants", Ty::ListStr, "The catalog's alternatives that grant it, both layers (`A + B` when both are needed).").at_record(),
    GRANTED: v("granted", Ty::Bool, "Every layer that the catalog requires for it and that is declared is satisfied.").at_record(),
    FLOWS: v("flows", Ty::ListRef(Kind::Flow), "The flows that need it.").at_record(),
    PERMISSION_DECLARED: v("permission_declared", Ty::Bool, "The account's permission layer is declared (its `permissions`, or permission-layer names in the `scopes` of a credential using it).").at_record(),
    PERMISSION_SATISFIED: v("permission_satisfied", Ty::Bool, "Some permission-layer alternative is held by the account (directly or by implication), or the catalog requires none.").at_record(),
    PERMISSIONS_NEEDED: v("permissions_needed", Ty::ListStr, "The permission-layer alternatives (`A + B` when both are needed).").at_record(),
    SCOPE_DECLARED: v("scope_declared", Ty::Bool, "The credential carries scopes and its scope layer is declared (its `scopes`, or scope-layer names in the account's `permissions`).").at_record(),
    SCOPE_SATISFIED: v("scope_satisfied", Ty::Bool, "Some scope-layer alternative is held by the credential (directly or by implication), or the catalog requires none.").at_record(),
    SCOPES_NEEDED: v("scopes_needed", Ty::ListStr, "The scope-layer alternatives (`A + B` when both are needed).").at_record(),
    PERMISSIONS_MISSING: v("permissions_missing", Ty::ListStr, "When the permission layer is declared and not satisfied: the grants of its first alternative that the account does not hold (what a fix appends).").at_record(),
    SCOPES_MISSING: v("scopes_missing", Ty::ListStr, "When the scope layer is declared and not satisfied: the grants of its first alternative that the credential does not hold (what a fix appends).").at_record(),
}

fields! {
    GRANT, grant;
    NAME: f("name", Ty::Str, "The permission or scope (located at its list item).").at_record(),
    SOURCE: v("source", Ty::Str, "`permissions` (account) or `scopes` (credential).").at_record(),
    ACCOUNT: f("account", Ty::Ref(Kind::Account), "The account that holds it (null for a scope whose connection's account is unknown).").at_record(),
    CONNECTION: v("connection", Ty::Ref(Kind::Connection), "For a scope: its connection; else null.").at_record(),
    USES: v("uses", Ty::ListRef(Kind::Connection), "The connections it serves: the account's uses (permission) or its own connection (scope).").at_record(),
    ADMIN: v("admin", Ty::Bool, "Derived: its tier is `admin` on the holder's system.").derived(),
    SYSTEM_INFO: v("system_info", Ty::Ref(Kind::System), "Derived: the catalog entry of the holder's system.").derived(),
    INDEX: v("index", Ty::Int, "Position in its list (`permissions` or `scopes`), from 0.").at_record(),
    KNOWN: v("known", Ty::Bool, "Derived: the catalog knows the name on the holder's system (null when the system is unknown).").derived(),
    LAYER: v("layer", Ty::Str, "Derived: `permission` or `scope`, the catalog's layer of the name (null when unknown).").derived(),
    TIER: v("tier", Ty::Str, "Derived: `admin`, `destructive`, `broad` or `narrow` (null when unknown).").derived(),
    MISPLACED: v("misplaced", Ty::Bool, "Derived: its layer is not its list's (a scope in `permissions`, a permission in `scopes`).").derived(),
    CHECKED: v("checked", Ty::Bool, "Derived: some connection that it serves in its layer is checked (account and system known and equal).").derived(),
    USED: v("used", Ty::Bool, "Derived: some needed capability has, in its layer, an alternative containing it or a grant it implies.").derived(),
    USED_KNOWN: v("used_known", Ty::Bool, "Derived: the catalog knows the requirement of every capability its connections need.").derived(),
    SATISFIES: v("satisfies", Ty::ListStr, "Derived: the needed capabilities it satisfies (a fully held alternative contains it or a grant it implies).").derived(),
    REPLACEABLE: v("replaceable", Ty::Bool, "Derived: every capability it satisfies stays satisfied when it is replaced by its `narrower` grants.").derived(),
    NARROWER: v("narrower", Ty::ListStr, "Derived: the catalog's narrower grants for a `broad` grant.").derived(),
    ADVICE: v("advice", Ty::Str, "Derived: the catalog's advice for a `broad` grant, else null.").derived(),
    IMPLIED_BY: v("implied_by", Ty::Str, "Derived: another grant of the same list that implies it, else null.").derived(),
    IMPLIED_BY_TIER: v("implied_by_tier", Ty::Str, "Derived: the tier of `implied_by`, else null.").derived(),
    CLOSEST: v("closest", Ty::Str, "Derived: for an unknown name, the closest known name of the system within edit distance 2, else null.").derived(),
}

fields! {
    SYSTEM, system;
    ID: v("id", Ty::Str, "`id`.").at_record(),
    NAME: v("name", Ty::Str, "`name`.").at_record(),
    URL_HINTS: v("url_hints", Ty::ListStr, "`url_hints`.").at_record(),
    PASSWORD_ALTERNATIVE: v("password_alternative", Ty::Bool, "`password_alternative.value`: a token can replace a password (null when the catalog does not say).").at_record(),
    UNSUPPORTED: v("unsupported", Ty::ListStr, "The capabilities the catalog marks `unsupported`.").at_record(),
}

fields! {
    MATCH, matched;
    PATTERN: f("pattern", Ty::Str, "The name of the pattern that matched.").at_record(),
    TEXT: f("text", Ty::Str, "The matched text, masked (never the secret).").at_record(),
    KEY_NAME: f("key_name", Ty::Str, "The key of the value the match lies in (null in a comment or a key).").at_record(),
    VALUE: f("value", Ty::Str, "The whole string value the match lies in (null in a comment or a key).").at_record(),
    CREDENTIAL: v("credential", Ty::Ref(Kind::Credential), "The credential when the value is one of its fields, else null.").at_record(),
    PATH: v("path", Ty::Str, "The file's path relative to the context root.").at_record(),
}

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

/// The field where a finding about a whole record points when its check names no location:
/// the record's key, for the kinds that have one.
pub fn key_field(kind: Kind) -> Option<usize> {
    field_index(kind, "key")
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

/// Whether a field's value comes from its own record's file alone (and the catalog), though it
/// may be written only once every file is merged: the final-per-file fields, and an account's
/// fields but those that gather other files' connections (`uses`, `first_use`,
/// `resources_needed`). An inline account's id and effective system are named at resolution
/// from its own integration and connection. Which account record a duplicated id keeps depends
/// on the other files that declare that id: the pruning that reads this keeps those files.
pub fn from_own_file(kind: Kind, field: usize) -> bool {
    final_per_file(kind, field)
        || kind == Kind::Account
            && !matches!(
                field,
                account::USES | account::FIRST_USE | account::RESOURCES_NEEDED
            )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_final_fields_of_kinds_a_file_builds_whole() {
        for kind in ALL_KINDS {
            for (i, def) in fields_of(kind).iter().enumerate() {
                if def.detail {
                    assert!(
                        final_per_file(kind, i),
                        "{}.{} is a `.detail()`, let go once its file's chunk is checked, yet \
                         resolution writes it or its kind is not built per file: drop `.detail()`",
                        kind.name(),
                        def.name
                    );
                }
            }
        }
        // The merge sets later declarations of an account aside without details.
        assert_eq!(layout(Kind::Account).details, 0);
    }

    /// Each kind with the index constants of its table.
    const CONSTANTS: [(Kind, Constants); KIND_COUNT] = [
        (Kind::Integration, integration::ALL),
        (Kind::Connection, connection::ALL),
        (Kind::Credential, credential::ALL),
        (Kind::Rotation, rotation::ALL),
        (Kind::Account, account::ALL),
        (Kind::Flow, flow::ALL),
        (Kind::Need, need::ALL),
        (Kind::Grant, grant::ALL),
        (Kind::System, system::ALL),
        (Kind::Match, matched::ALL),
    ];

    #[test]
    fn each_index_constant_names_the_field_at_its_position() {
        for (kind, (module, constants)) in CONSTANTS {
            let fields = fields_of(kind);
            let table = kind.name();
            assert_eq!(
                constants.len(),
                fields.len(),
                "`{module}` indexes the {table} table"
            );
            for &(constant, index) in constants {
                let name = fields[index].name;
                assert_eq!(
                    name.to_ascii_uppercase(),
                    constant,
                    "`{module}::{constant}` is the position of the field `{name}`: in the \
                     `fields!` table, name each field's constant after the field, in capitals"
                );
            }
        }
    }

    #[test]
    fn every_field_declares_its_route() {
        for kind in ALL_KINDS {
            for def in fields_of(kind) {
                let field = format!("{}.{}", kind.name(), def.name);
                let fix = "(CONTRIBUTING.md, \"Add a field\")";
                match def.route {
                    Route::Undeclared => panic!(
                        "{field} declares no route: add `.route(\"/…\")` (where its value sits \
                         below its record in the document), `.at_record()` or `.derived()` {fix}"
                    ),
                    Route::At(path) => {
                        assert!(path.starts_with('/'), "{field}: a route starts with `/`");
                        assert!(
                            !def.derived,
                            "{field} is derived and declares a route {fix}"
                        );
                    }
                    Route::Record => {}
                }
                // The documentation says "Derived" of exactly the fields marked so (rule authors
                // read it in docs/model.md).
                assert_eq!(
                    def.derived,
                    def.doc.starts_with("Derived"),
                    "{field}: mark a derived field `.derived()` and start its documentation with \
                     \"Derived: \", or neither {fix}"
                );
            }
        }
    }
}
