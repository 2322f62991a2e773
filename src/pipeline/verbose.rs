//! The lines a run writes to standard error: with `--verbose`, every skipped file, what was
//! read, the model's size and the timings of each stage; without it, only the notable skipped
//! files. No machine format carries them.

use std::time::{Duration, Instant};

use super::discover::{FileEntry, Skipped};
use crate::model::Model;
use crate::report::Summary;

/// When each stage of a run ended, and how long the parts that are not stages took.
pub(super) struct Timings {
    /// When the run (after `prepare`) started.
    pub started: Instant,
    /// Loading config, rules and catalog.
    pub setup: Duration,
    /// Walking the folders.
    pub discovery: Duration,
    /// Since `started`: every file read, parsed and merged.
    pub parsed_at: Duration,
    /// Of the parsing, the merging.
    pub merge: Duration,
    /// Of the parsing, the file-local checks.
    pub local: Duration,
    /// Since `started`: cross-file resolution done.
    pub resolved_at: Duration,
    /// Since `started`: the checks after resolution done.
    pub evaluated_at: Duration,
}

/// Without `--verbose`: the skipped files worth a note.
pub(super) fn notable(skipped: &[Skipped]) -> Vec<String> {
    skipped
        .iter()
        .filter(|s| s.notable)
        .map(|s| {
            format!(
                "skipped {}: {}",
                crate::report::inert(&s.path),
                crate::report::inert(&s.reason)
            )
        })
        .collect()
}

/// `1 file`, `2 files`: a count and its noun, singular or plural.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// With `--verbose`: every skipped file (in path order), the files checked and skipped (the
/// summary's counters, in its words), the context files, the model's size and the timings.
pub(super) fn lines(
    skipped: &mut [Skipped],
    files: &[FileEntry],
    summary: &Summary,
    other_docs: usize,
    pruned: usize,
    model: &Model,
    timings: &Timings,
) -> Vec<String> {
    let mut verbose_lines = Vec::new();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    for s in skipped.iter() {
        verbose_lines.push(format!(
            "skipped {}: {}",
            crate::report::inert(&s.path),
            crate::report::inert(&s.reason)
        ));
    }
    let context = files.iter().filter(|f| !f.reported).count();
    verbose_lines.push(format!(
        "{} checked, {} skipped; {} of the project context read as well; {} parsed but \
         not bridgelint's",
        count(summary.files, "file", "files"),
        summary.skipped,
        count(context, "file", "files"),
        count(other_docs, "YAML/JSON document", "YAML/JSON documents"),
    ));
    if pruned > 0 {
        verbose_lines.push(format!(
            "{} of the project context not parsed (read, but their bytes hold no account id \
             or integration name of the named files)",
            count(pruned, "file", "files")
        ));
    }
    verbose_lines.push(model_size(model));
    verbose_lines.push(timing_line(timings));
    verbose_lines
}

/// How many entities, fields, list items and references the model holds, and its text.
fn model_size(model: &Model) -> String {
    let store = &model.store;
    let records: usize = store.tables.iter().map(|t| t.len()).sum();
    let slots: usize = store
        .tables
        .iter()
        .map(|t| t.slots.len() + t.vals.len())
        .sum();
    let per_kind: Vec<String> = crate::model::fields::ALL_KINDS
        .iter()
        .map(|k| format!("{} {}", store.len(*k), k.name()))
        .collect();
    format!(
        "model ({}): {records} entities, {slots} fields, {} list items, {} references, {} KB of text",
        per_kind.join(", "),
        store.lists.len(),
        store.refs.len(),
        store.strings.len() / 1024
    )
}

/// The timings line; the total is measured now.
fn timing_line(t: &Timings) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "timings: set-up {:.1} ms, discovery {:.1} ms, read and parsed {:.1} ms (of which \
         merging {:.1} ms, file-local rules {:.1} ms), cross-file resolution {:.1} ms, \
         rules {:.1} ms, total {:.1} ms",
        ms(t.setup),
        ms(t.discovery),
        ms(t.parsed_at),
        ms(t.merge),
        ms(t.local),
        ms(t.resolved_at - t.parsed_at),
        ms(t.evaluated_at - t.resolved_at),
        ms(t.setup + t.discovery + t.started.elapsed())
    )
}
