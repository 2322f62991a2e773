//! Loading every file into the model: the per-file phase (`process.rs`) a chunk of files at a
//! time in parallel, each chunk merged in path order beside the parsing of the next, and the
//! file-local checks run on each chunk as soon as it is merged (ARCHITECTURE.md, "What a run
//! holds").

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::discover::{FileEntry, Skipped};
use super::process::{FileResult, Input, Status};
use super::run::Checks;
use super::suppress::Suppression;
use crate::catalog::Catalog;
use crate::finding::Finding;
use crate::model::resolve::{Assembler, FileModel};
use crate::report::Summary;
use crate::rules::engine::Phase;

/// Files parsed in parallel before their records are merged into the model. Two chunks are in
/// flight at once (one parsing, one merging): 1,024 held 18 MiB more at the peak of a 10k run
/// than 256, for no gain in time.
const CHUNK: usize = 256;

/// Texts that replace files at their (absolute) paths: the `--stdin-filename` buffer, and the
/// texts a `--fix --diff` round holds in memory instead of writing them.
#[derive(Clone, Copy)]
pub(super) struct Buffers<'a>(pub &'a [(PathBuf, &'a [u8])]);

impl<'a> Buffers<'a> {
    pub fn get(&self, abs: &Path) -> Option<&'a [u8]> {
        self.0.iter().find(|(p, _)| p == abs).map(|(_, t)| *t)
    }
}

/// Where a file's text comes from: a buffer replaces the file at its path.
pub(super) fn input_for<'a>(buffers: Buffers<'a>, f: &'a FileEntry) -> Input<'a> {
    match buffers.get(&f.abs) {
        Some(text) => Input::Buffer(text),
        None => Input::Disk(&f.abs),
    }
}

/// What the per-file phase leaves for the rest of the run, besides the model.
pub(super) struct Loaded {
    /// The per-file findings, then those of the file-local checks, in merge order.
    pub findings: Vec<Finding>,
    pub suppressions: Vec<Suppression>,
    /// Files checked and skipped so far.
    pub summary: Summary,
    pub skipped: Vec<Skipped>,
    /// Documents that were not ours, in files that were read.
    pub other_docs: usize,
    pub merge_time: Duration,
    pub local_time: Duration,
}

impl Loaded {
    /// Starts from what the walk skipped.
    pub fn new(walk_skipped: &[Skipped]) -> Loaded {
        let mut summary = Summary::default();
        let skipped: Vec<Skipped> = walk_skipped.to_vec();
        // Entries the walk skipped (links, FIFOs) under named folders count as skipped files.
        summary.skipped += skipped.iter().filter(|s| s.reported).count();
        Loaded {
            findings: Vec::new(),
            suppressions: Vec::new(),
            summary,
            skipped,
            other_docs: 0,
            merge_time: Duration::ZERO,
            local_time: Duration::ZERO,
        }
    }

    /// Counts a file as checked or skipped, by what happened to it.
    fn count(&mut self, f: &FileEntry, status: &Status) {
        match status {
            Status::Checked => {
                if f.reported {
                    self.summary.files += 1;
                }
            }
            Status::NotOurs | Status::Empty => {
                if f.reported {
                    self.summary.skipped += 1;
                    let reason = match status {
                        Status::Empty => "empty file",
                        _ => "not a bridgelint document",
                    };
                    self.skipped.push(Skipped {
                        path: f.display.to_string(),
                        reason: reason.into(),
                        notable: false,
                        reported: true,
                    });
                }
            }
            Status::Unreadable(reason) => {
                if f.reported {
                    self.summary.skipped += 1;
                }
                self.skipped.push(Skipped {
                    path: f.display.to_string(),
                    reason: reason.clone(),
                    notable: true,
                    reported: f.reported,
                });
            }
        }
    }
}

/// Where each file's per-file result comes from, given its id: the per-file phase
/// (`process.rs`), or a language-server session's cache of it (`session.rs`).
pub(super) type Source<'s> = dyn Fn(u32, &FileEntry) -> FileResult + Sync + 's;

/// Parses every file and merges it into an assembler, ready for cross-file resolution.
/// `local`: the checks whose file-local ones run on each chunk as it is merged (`None` when
/// every check runs after resolution). `pool`: none for a one-file run.
pub(super) fn load<'c>(
    files: &[FileEntry],
    source: &Source,
    catalog: &'c Catalog,
    pool: Option<&rayon::ThreadPool>,
    local: Option<&Checks>,
    loaded: Loaded,
) -> (Loaded, Assembler<'c>) {
    let mut assembler = Assembler::new(catalog);
    assembler.expect(files.len());
    if local.is_some() {
        assembler.let_details_go();
    }
    let mut merger = Merger {
        loaded,
        assembler,
        local,
        parallel: pool.is_some(),
    };
    // Files are parsed in parallel a chunk at a time and merged in order as each chunk ends, so
    // that the per-file records and the merged model never both hold every file. Merging is
    // sequential; it runs beside the parsing of the next chunk rather than between chunks, so
    // no core waits for it.
    let chunks: Vec<&[FileEntry]> = files.chunks(CHUNK).collect();
    let process_file = |c: usize, i: usize, f: &FileEntry| source((c * CHUNK + i) as u32, f);
    let process_chunk = |c: usize| -> Vec<FileResult> {
        chunks[c]
            .par_iter()
            .enumerate()
            .map(|(i, f)| process_file(c, i, f))
            .collect()
    };
    match pool {
        None => {
            for (c, chunk) in chunks.iter().enumerate() {
                let results = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, f)| process_file(c, i, f))
                    .collect();
                merger.merge(chunk, results);
            }
        }
        Some(pool) => pool.install(|| {
            let mut pending: Option<(usize, Vec<FileResult>)> = None;
            for c in 0..=chunks.len() {
                let (next, ()) = rayon::join(
                    || (c < chunks.len()).then(|| (c, process_chunk(c))),
                    || {
                        if let Some((done, results)) = pending.take() {
                            merger.merge(chunks[done], results);
                        }
                    },
                );
                pending = next;
            }
        }),
    }
    (merger.loaded, merger.assembler)
}

/// The merging side of loading: what the chunks leave, and the model they build.
struct Merger<'a, 'c> {
    loaded: Loaded,
    assembler: Assembler<'c>,
    local: Option<&'a Checks<'a>>,
    /// Whether the file-local checks may use the run's thread pool.
    parallel: bool,
}

impl Merger<'_, '_> {
    /// Merges one chunk's results (in file order), then runs the file-local checks on them.
    fn merge(&mut self, chunk: &[FileEntry], results: Vec<FileResult>) {
        let merge_started = Instant::now();
        let loaded = &mut self.loaded;
        for (f, r) in chunk.iter().zip(results) {
            loaded.count(f, &r.status);
            loaded.other_docs += r.other_documents;
            loaded.findings.extend(r.findings);
            loaded.suppressions.extend(r.suppressions);
            self.assembler.add(FileModel {
                info: r.info,
                store: r.store,
                matches: r.matches,
            });
        }
        loaded.merge_time += merge_started.elapsed();
        if let Some(checks) = self.local {
            let local_started = Instant::now();
            let parallel = self.parallel;
            loaded
                .findings
                .extend(self.assembler.settle(|model, merged| {
                    checks
                        .engine(model)
                        .run_phase(Phase::FileLocal(merged), parallel)
                }));
            loaded.local_time += local_started.elapsed();
        }
    }
}
