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

/// Whether a fix keeps meaning (`safe`: `--fix` applies it) or changes access or behaviour
/// (`unsafe`: only with `--unsafe-fixes`; offered in the editor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One text edit: replace the bytes `start..end` of the finding's file by `content`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub start: u32,
    pub end: u32,
    pub content: String,
}

/// What a fix does, said by locations in the finding's file: the pipeline turns it into text
/// edits once it holds the file's text (`pipeline/fixes.rs`), keeping the file's format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixPlan {
    /// Remove the sequence item at this location.
    RemoveItem { item: Loc },
    /// Append items to the sequence whose value is at `list`.
    AppendItems { list: Loc, items: Vec<String> },
    /// Replace a sequence item by one or several items.
    ReplaceItem { item: Loc, with: Vec<String> },
    /// Replace a scalar value (its quoting kept where the new text allows).
    ReplaceValue { value: Loc, with: String },
    /// Rename a mapping key.
    RenameKey { key: Loc, to: String },
    /// Remove a comment (its whole line when it is alone on it).
    RemoveComment { comment: Loc },
    /// Rewrite a comment's body (what follows `#` and its spaces).
    RewriteComment { comment: Loc, body: String },
    /// Edits computed already.
    Edits { file: u32, edits: Vec<TextEdit> },
}

/// `$on_loc` with the plan's location bound to `$l`, or `$on_file` with the file of computed
/// edits bound to `$f` (by reference or mutably, as `$plan` is borrowed).
macro_rules! fix_file {
    ($plan:expr, $l:ident => $on_loc:expr, $f:ident => $on_file:expr) => {
        match $plan {
            FixPlan::RemoveItem { item: $l }
            | FixPlan::AppendItems { list: $l, .. }
            | FixPlan::ReplaceItem { item: $l, .. }
            | FixPlan::ReplaceValue { value: $l, .. }
            | FixPlan::RenameKey { key: $l, .. }
            | FixPlan::RemoveComment { comment: $l }
            | FixPlan::RewriteComment { comment: $l, .. } => $on_loc,
            FixPlan::Edits { file: $f, .. } => $on_file,
        }
    };
}

impl FixPlan {
    /// Moves the fix to another file id (its file's result reused in another run).
    pub fn set_file(&mut self, id: u32) {
        fix_file!(self, l => l.file = id, file => *file = id)
    }

    /// The file the fix edits.
    pub fn file(&self) -> u32 {
        fix_file!(self, l => l.file, file => *file)
    }
}

/// A finding's fix, before its edits are computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFix {
    pub plan: FixPlan,
    pub applicability: Applicability,
    /// What it does, in a few words (`remove \`DELETE_ISSUES\``); never a secret.
    pub message: String,
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
    /// How to mend it, when it can be said as an edit of the file.
    pub fix: Option<PlannedFix>,
}

impl Finding {
    /// Moves a per-file finding (every location in its own file) to another file id.
    pub fn set_file(&mut self, id: u32) {
        self.loc.file = id;
        for r in &mut self.related {
            r.loc.file = id;
        }
        if let Some(fix) = &mut self.fix {
            fix.plan.set_file(id);
        }
    }

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
            fix: None,
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
