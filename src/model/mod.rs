//! The resolved model the rules see.
//!
//! Entities (integrations, connections, credentials, accounts, flows, and the derived needs and
//! grants) are records of slots. Each kind has a static field table ([`fields`]) that gives
//! every field its name, type and documentation: the rule compiler resolves `account.owner` to a
//! slot index once, `bridgelint explain` and the docs list the fields from the same table.
//!
//! A slot holds a value, the byte range of that value and the byte range of the key it sits
//! under, in the record's file. Values that broke the schema are `Invalid` (hidden from the
//! rules, rules.md "Precise semantics"); missing ones are `Absent`.
//!
//! Storage is compact because the model is the one thing a run holds for every file: records
//! of one kind share one flat slot table, strings live in one arena, lists in one slot arena,
//! derived reference lists in one `u32` arena, all behind 4-byte handles: a value is 8 bytes, a
//! slot 16, and each string is stored once per run.

mod arena;
pub mod build;
pub mod date;
pub mod fields;
mod file;
pub mod resolve;
mod slot;
mod span;
mod store;
mod strings;
mod table;
mod view;

pub use arena::{ListId, RefsId};
pub use fields::{field_index, fields_of, layout, FieldDef, Kind, Ty};
pub use file::FileInfo;
pub use slot::{MVal, Slot};
pub use span::{Loc, Span32};
pub use store::Store;
pub use strings::{StrDedup, StrId};
pub use table::{Head, Table};
pub use view::{Model, Rec};
