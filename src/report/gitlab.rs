//! `gitlab`: a GitLab Code Quality report, the JSON array that a job publishes with
//! `artifacts: reports: codequality:` and that merge requests compare with the target branch.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{visible, Report};
use crate::finding::Severity;
use crate::source::Pos;

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

/// Where the issue is: GitLab reads `lines` (the first and last line) or `positions` (line
/// and column of the start, and of the end, exclusive as in every format); both are given.
#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
    positions: Positions,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

#[derive(Serialize)]
struct Positions {
    begin: LineColumn,
    end: LineColumn,
}

#[derive(Serialize)]
struct LineColumn {
    line: u32,
    column: u32,
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
                location: location(&d.repo_path, d.start, d.end),
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).expect("serialisable");
    s.push('\n');
    s
}

fn location(path: &str, start: Pos, end: Pos) -> Location<'_> {
    let begin = (start.line.max(1), start.column.max(1));
    // The end never before the start.
    let end = (end.line.max(1), end.column.max(1)).max(begin);
    // The last line holding a character of the span: an exclusive end at the start of a line
    // ends the span on the line before.
    let last = if end.1 == 1 && end.0 > begin.0 {
        end.0 - 1
    } else {
        end.0
    };
    Location {
        path,
        lines: Lines {
            begin: begin.0,
            end: last,
        },
        positions: Positions {
            begin: LineColumn {
                line: begin.0,
                column: begin.1,
            },
            end: LineColumn {
                line: end.0,
                column: end.1,
            },
        },
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_and_end(start: (u32, u32), end: (u32, u32)) -> (u32, u32, u32, u32) {
        let l = location(
            "a.yaml",
            Pos::new(start.0, start.1, 0),
            Pos::new(end.0, end.1, 0),
        );
        (
            l.lines.begin,
            l.lines.end,
            l.positions.end.line,
            l.positions.end.column,
        )
    }

    #[test]
    fn the_last_line_is_the_one_holding_the_end() {
        assert_eq!(lines_and_end((3, 5), (3, 9)), (3, 3, 3, 9));
        assert_eq!(lines_and_end((3, 5), (6, 2)), (3, 6, 6, 2));
        // An exclusive end at the start of line 7: the span ends on line 6.
        assert_eq!(lines_and_end((3, 5), (7, 1)), (3, 6, 7, 1));
        // Reversed or missing positions never give an end before the start.
        assert_eq!(lines_and_end((3, 5), (2, 1)), (3, 3, 3, 5));
        assert_eq!(lines_and_end((0, 0), (0, 0)), (1, 1, 1, 1));
    }
}
