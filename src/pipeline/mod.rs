//! The pipeline: discover → load (parallel) → merge and resolve → evaluate → filter
//! (per-path settings, reporting scope) → suppress → baseline → sort → report.
//!
//! This module holds what a run is asked (`Request`), what is decided before linting
//! (`Prepared`) and what a run gives back (`Outcome`). `prepare.rs` does the deciding and
//! `run.rs` runs the stages; each stage that is not the model's or the engine's lives in a
//! submodule here.

mod assemble;
pub mod baseline;
mod custom;
pub mod discover;
mod filter;
pub mod fixes;
mod load;
mod near_miss;
mod prepare;
pub mod process;
pub mod prune;
pub mod redact;
mod run;
mod scan;
pub mod session;
pub mod suppress;
mod verbose;

use std::path::PathBuf;
use std::time::Duration;

use crate::catalog::Catalog;
use crate::config::{Config, Settings};
use crate::data::DataError;
use crate::model::Model;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::Limits;
use baseline::Baseline;
use discover::Discovery;

pub use assemble::help_line;
pub use prepare::{
    builtins, compile_builtin_rules_early, configured_rules, prepare, prepare_from_builtins,
    rule_option,
};
pub use run::{run, run_keeping};

/// What a run is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    /// `--stdin-filename` and the text read from standard input.
    pub stdin: Option<(PathBuf, Vec<u8>)>,
    /// Files that do not exist yet and join the project as `--stdin-filename` makes one join
    /// it (the language server's unsaved new documents); their texts come as the run's buffers.
    pub unsaved: Vec<PathBuf>,
    pub no_context: bool,
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub now: Option<i32>,
    pub rules_dirs: Vec<PathBuf>,
    pub catalog_dirs: Vec<PathBuf>,
    pub jobs: Option<usize>,
    pub max_file_size: Option<u64>,
    pub baseline: Option<PathBuf>,
    /// Forces the context root (test-rules: the fixture folder).
    pub root: Option<PathBuf>,
    /// Only the findings are wanted (`check`), not the whole model (`inventory`): context
    /// files that cannot change them may be left unparsed (`prune.rs`).
    pub findings_only: bool,
    /// `--unsafe-fixes`: unsafe fixes count as applicable (`[*]`).
    pub unsafe_fixes: bool,
    /// The output shows only which findings are fixable (human, compact, github, gitlab):
    /// fixes keep their message and applicability and get no edits, so no file is read and
    /// parsed again to compute them.
    pub fix_marks_only: bool,
}

/// An invocation error (exit status 2): nothing is linted.
#[derive(Debug)]
pub struct Invocation(pub Vec<String>);

impl From<Vec<DataError>> for Invocation {
    fn from(errors: Vec<DataError>) -> Invocation {
        Invocation(errors.iter().map(|e| e.to_string()).collect())
    }
}

impl From<DataError> for Invocation {
    fn from(e: DataError) -> Invocation {
        Invocation(vec![e.to_string()])
    }
}

/// Everything decided before linting.
pub struct Prepared {
    pub cwd: PathBuf,
    pub root: PathBuf,
    pub config: Config,
    pub rules: RuleSet,
    pub catalog: Catalog,
    pub discovery: Discovery,
    pub settings: Settings,
    pub today: i32,
    pub limits: Limits,
    pub schemes: Vec<String>,
    pub jobs: usize,
    pub baseline: Option<Baseline>,
    pub fail_on: Option<String>,
    /// The config's `fail_on_empty`.
    pub fail_on_empty: bool,
    /// Loading config, rules and catalog (`--verbose` timings).
    pub setup_time: Duration,
    /// Walking the folders.
    pub discovery_time: Duration,
    /// Only files are named and only built-in rules run: context files that cannot relate to
    /// the named ones are not parsed (`prune.rs`).
    pub prune_context: bool,
    /// The caller reads every field of the returned model (`inventory`): the run keeps the
    /// file-local details instead of letting them go once their checks have run.
    pub keep_details: bool,
    /// Findings in context files are kept too (`inventory`: an account's findings do not
    /// depend on which of its files was named).
    pub findings_everywhere: bool,
    /// `--unsafe-fixes`.
    pub unsafe_fixes: bool,
    /// [`Request::fix_marks_only`].
    pub fix_marks_only: bool,
}

/// The outcome of linting.
pub struct Outcome {
    pub report: Report,
    pub model: Model,
    /// Baseline entries for `--write-baseline` (every unsuppressed finding).
    pub baseline_entries: Vec<baseline::Entry>,
}
