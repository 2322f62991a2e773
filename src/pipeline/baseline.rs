//! Baselines: record today's findings as fingerprints, then report only new ones.
//!
//! A fingerprint is a hash of the rule, the path relative to the context root, the finding's
//! route in its document and its subject: never a line number, so unrelated edits keep it, and
//! never secret text (the subject and the route, which holds keys, are hashed with the rest;
//! the file shows only the rule and the path).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub tool: String,
    pub entries: Vec<Entry>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
}

/// Largest baseline read (a config in a pull request could point at anything).
const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// Loaded entries, as a multiset of fingerprints.
#[derive(Clone)]
pub struct Baseline {
    remaining: HashMap<String, usize>,
    total: usize,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        if !meta.is_file() || meta.len() > MAX_BASELINE_BYTES {
            return Err(format!(
                "{}: a baseline is a regular file of at most {} MiB",
                path.display(),
                MAX_BASELINE_BYTES >> 20
            ));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        // serde's message can quote the text: say where, not what.
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid baseline (expected bridgelint's baseline JSON)",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.version != 1 {
            return Err(format!(
                "{}: unsupported baseline version {}",
                path.display(),
                file.version
            ));
        }
        let mut remaining = HashMap::new();
        for e in &file.entries {
            *remaining.entry(e.fingerprint.clone()).or_insert(0) += 1;
        }
        Ok(Baseline {
            remaining,
            total: file.entries.len(),
        })
    }

    /// Consumes one entry with this fingerprint, if any is left.
    pub fn take(&mut self, fingerprint: &str) -> bool {
        match self.remaining.get_mut(fingerprint) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Entries that matched no finding.
    pub fn unmatched(&self) -> usize {
        self.remaining.values().sum()
    }

    pub fn total(&self) -> usize {
        self.total
    }
}

pub fn write(path: &Path, entries: Vec<Entry>) -> Result<(), String> {
    let file = BaselineFile {
        version: 1,
        tool: "bridgelint".into(),
        entries,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| format!("{}: cannot write baseline: {e}", path.display()))
}
