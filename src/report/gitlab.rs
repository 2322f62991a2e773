//! `gitlab`: a GitLab Code Quality report, the JSON array that a job publishes with
//! `artifacts: reports: codequality:` and that merge requests compare with the target branch.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{visible, Report};
use crate::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub fn render(report: &Report) -> String {
    // GitLab matches issues between the merge request and its target branch by fingerprint, and
    // two issues with the same fingerprint collapse into one. Our fingerprint (rule, path, route,
    // subject: no line number) is stable but two findings can share it, so the n-th occurrence
    // (n ≥ 1, counted in the deterministic output order) gets `sha256(fingerprint, NUL, n)`
    // instead, cut to the same 32 hex digits; the first keeps the diagnostic's own fingerprint,
    // as in `--format json` and baselines. Both are as stable as the order of the duplicates.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let issues: Vec<Issue> = visible(report)
        .map(|d| {
            let n = seen.entry(d.fingerprint.as_str()).or_insert(0);
            let fingerprint = if *n == 0 {
                d.fingerprint.clone()
            } else {
                occurrence(&d.fingerprint, *n)
            };
            *n += 1;
            Issue {
                description: &d.message,
                check_name: &d.rule,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: Location {
                    path: &d.repo_path,
                    lines: Lines {
                        begin: d.start.line.max(1),
                    },
                },
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).expect("serialisable");
    s.push('\n');
    s
}

fn occurrence(fingerprint: &str, n: usize) -> String {
    let mut h = Sha256::new();
    h.update(fingerprint.as_bytes());
    h.update([0u8]);
    h.update(n.to_string().as_bytes());
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
