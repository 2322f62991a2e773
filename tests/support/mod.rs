//! The harness of every integration test (`mod support;`, or
//! `#[path = "../support/mod.rs"] mod support;` in a test crate of its own folder):
//!
//! - [`Bin`] (`run.rs`): the one way to run the real `bridgelint` binary, always with the hang
//!   guard (a timeout) and the panic guard (status 101 fails the test); it returns a [`Run`].
//! - [`Scratch`] (`scratch.rs`): unique scratch folders that write files and run the binary
//!   in themselves (`s.check().format("json").run()`).
//! - `fixtures.rs`: the documents several test files write.
//! - `tools.rs`: external tools (installed by `.ci/install-tools`), skipped loudly when
//!   missing, except in CI.
//! - Here: today's date for the tests, the repository's folder, readers of reports.
// Each test crate uses part of the harness: what one leaves unused is not dead.
#![allow(dead_code, unused_imports)]

mod fixtures;
mod run;
mod scratch;
mod tools;

use std::path::Path;

use serde_json::Value as Json;

pub use fixtures::*;
pub use run::{Bin, Run, TIMEOUT};
pub use scratch::{mkfifo, Scratch};
pub use tools::{ci_tools, external_tool};

/// The date every time-based rule takes as today in these tests (`--now`).
pub const NOW: &str = "2026-11-27";

/// Every format of `check`.
pub const CHECK_FORMATS: [&str; 6] = ["json", "human", "compact", "sarif", "github", "gitlab"];

/// Every format of `inventory`.
pub const INVENTORY_FORMATS: [&str; 7] =
    ["table", "markdown", "csv", "json", "html", "mermaid", "dot"];

/// The repository's root folder (where `examples/`, `rules/` and `schemas/` are).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `text` as JSON (fails the test when it is not).
#[track_caller]
pub fn json_of(text: &str) -> Json {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The `diagnostics` of a `check --format json` report.
#[track_caller]
pub fn diagnostics(report: &Json) -> &Vec<Json> {
    report["diagnostics"].as_array().expect("diagnostics")
}

/// The rule of each diagnostic of a `json` report, in order.
pub fn rules_of(report: &Json) -> Vec<String> {
    diagnostics(report)
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// The lines of `stdout` that are not empty (compact: one per finding).
pub fn compact_lines(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| !l.is_empty()).collect()
}

/// `path:line:column: severity[rule]` prefixes of compact output, in order.
pub fn compact_keys(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.find(']').map(|i| l[..=i].to_string()))
        .collect()
}
