//! bridgelint: a policy-as-code linter for integration and service-account declarations.
//!
//! Data flows one way: files → spanned tree ([`source`]) → schema check ([`schema`]) → model
//! ([`model`]) → findings ([`rules`]) → report ([`report`]). [`check`] runs the pipeline; see
//! ARCHITECTURE.md.

pub mod alloc;
pub mod app;
pub mod baseline;
pub mod builtin;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod datafile;
pub mod discover;
pub mod docs;
pub mod finding;
pub mod init;
pub mod inventory;
pub mod model;
pub mod process;
pub mod prune;
pub mod redact;
pub mod report;
pub mod rules;
pub mod schema;
pub mod schema_tree;
pub mod source;
pub mod suppress;
pub mod testrules;
