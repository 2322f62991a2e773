//! Findings: what rules, the loader and the schema stage produce, before reporting.
//!
//! A finding knows its rule, severity, message, primary location (file and byte range), related
//! locations, and what makes its fingerprint stable: the route in the document and the subject.
//! It never holds a secret: messages are built from masked values.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::Loc;
use crate::source::Pos;

/// A severity. Ordered: info < warning < error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub loc: Loc,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    /// Index of the rule in the run's [`crate::rules::RuleSet`].
    pub rule: usize,
    pub severity: Severity,
    pub message: String,
    pub loc: Loc,
    /// Explicit positions, for findings in files without a line table (unreadable, invalid UTF-8).
    pub pos: Option<Pos>,
    pub related: Vec<Related>,
    /// Route of the finding in its document (`/connections/jira/credential/expires`).
    pub route: String,
    /// The rule-specific thing the message names (capability, permission, account id).
    pub subject: String,
}

impl Finding {
    pub fn new(rule: usize, severity: Severity, message: String, loc: Loc) -> Finding {
        Finding {
            rule,
            severity,
            message,
            loc,
            pos: None,
            related: Vec::new(),
            route: String::new(),
            subject: String::new(),
        }
    }
}

/// A stable fingerprint: independent of line numbers, so unrelated edits do not change it.
pub fn fingerprint(rule: &str, rel_path: &str, route: &str, subject: &str) -> String {
    let mut h = Sha256::new();
    for part in [rule, rel_path, route, subject] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
