//! The command line, through the real binary in scratch folders (cli.md, format.md), by theme:
//! exit statuses (`status.rs`), which files are read and where findings are located
//! (`files.rs`), walking folders and finding the config (`walk.rs`), the project context, standard
//! input and printed paths (`context.rs`), output formats, colour and verbosity (`output.rs`),
//! and the `schema`, `explain`, `--version` and `--help` commands (`commands.rs`).

#[path = "../support/mod.rs"]
mod support;

use serde_json::Value as Json;
use support::{
    accounts_with_stale_review, compact_lines, integration_with_info_only,
    integration_with_plaintext_secret, json_of, mkfifo, repo, rules_of, Bin, Scratch,
    CLEAN_ACCOUNTS, CLEAN_INTEGRATION, NOW,
};

mod commands;
mod config;
mod context;
mod files;
mod near_miss;
mod output;
mod status;
mod walk;

/// A project with the clean integration and its inventory.
fn clean_project(tag: &str) -> Scratch {
    Scratch::with_files(
        tag,
        &[
            ("integrations/integ.yaml", CLEAN_INTEGRATION),
            ("accounts/accounts.yaml", CLEAN_ACCOUNTS),
        ],
    )
}

const PLAINTEXT_LINE: &str = "integrations/leaky.yaml:14:15: error[plaintext-secret] the \
credential of connection `jira` holds its `secret` in clear (****); store it in a secret \
manager, refer to it (e.g. `env:NAME`, `vault:PATH`), and rotate it";

/// An Integration whose kind is unknown: one `schema-violation` at 2:7.
const UNKNOWN_KIND: &str = "apiVersion: bridgelint/v1\nkind: Nope\n";

/// The JSON Schema of `--format json` (schemas/output.schema.json).
fn output_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("schemas/output.schema.json"))
        .expect("the output schema");
    let schema: Json = serde_json::from_str(&text).expect("the output schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the output schema compiles")
}

/// Asserts that a `json` report validates against its schema.
fn assert_valid_output(report: &Json) {
    let validator = output_validator();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
}
