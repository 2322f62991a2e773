//! bridgelint: a policy-as-code linter for integration and service-account declarations.
//!
//! Data flows one way: files → spanned tree ([`source`]) → schema check ([`schema`]) → model
//! ([`model`]) → findings ([`rules`]) → report ([`report`]). [`pipeline`] runs those stages
//! for a run; [`commands`] turns each command of the command line into runs and output. See
//! ARCHITECTURE.md for the layers: a module uses only the layers below its own.

// The command line.
pub mod cli;
pub mod commands;

// The stages of a run, and what they produce.
pub mod finding;
pub mod pipeline;
pub mod report;

// The checks: rules, their expression language and the engine; the typed model they read.
pub mod catalog;
pub mod config;
pub mod model;
pub mod rules;

// Reading files: our own data files, the spanned tree, schema validation.
pub mod data;
pub mod schema;
pub mod source;

// Format-preserving edits of a file's text, that fixes are made of (uses `source` only).
pub mod edit;

// Leaves: used from many layers, using nothing of the crate.
pub mod secrets;
pub mod suggest;
