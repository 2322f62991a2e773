//! A project kept between runs (the language server): the prepared context, and each file's
//! per-file result, kept until its text changes. A run re-parses only what changed, then
//! merges, resolves and evaluates the open documents with the files that can change their
//! findings (ARCHITECTURE.md, "The language server").
//!
//! Which files can change an open document's findings is `prune.rs`'s question, answered here
//! from each file's parsed values instead of its bytes: with the built-in rules a finding
//! relates two files only through an account id or an integration name, so the run takes the
//! open documents and the files that hold one of their ids or names. With a custom rule that
//! reads other files' records (it may relate files otherwise), or a name that another file could
//! spell differently, the run takes every file, still without parsing any file again.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hashbrown::{HashMap, HashSet};
use rayon::prelude::*;

use super::discover::{absolute, FileEntry};
use super::load::{input_for, Buffers};
use super::process::{process, FileResult, Shared};
use super::run::{execute, shared_of, thread_pool, FilesRun};
use super::{prune, Outcome, Prepared};
use crate::model::FileInfo;
use crate::rules::engine::RuleSettings;
use crate::rules::eval::OptVal;

/// What a file's kept result was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stamp {
    /// The file on disk: its size and modification time, when they could be read.
    Disk(Option<(u64, SystemTime)>),
    /// An open document's text, by its hash.
    Buffer(u64),
}

struct Kept {
    stamp: Stamp,
    /// Parsed as a named file (an unsaved new document): a named file that is empty or not ours
    /// gets findings a walked one does not.
    named: bool,
    result: FileResult,
    /// The account ids and integration names through which it relates to other files
    /// (`None`: it may relate through strings spelled otherwise, so to any file).
    needles: Option<Vec<String>>,
}

/// A prepared project and its files' per-file results.
pub struct Session {
    prep: Prepared,
    /// The kept result of each listed file, by its position in the list.
    kept: Vec<Option<Kept>>,
    /// Each listed file's position.
    position: HashMap<Arc<Path>, usize>,
    pool: Option<rayon::ThreadPool>,
    /// Files relate only through account ids and integration names (no custom rule reads
    /// other files' records): decided once per set-up, not per run.
    by_ids: bool,
    /// Check each file on disk against its size and modification time before a run: for a
    /// client that does not report changed files.
    pub verify_disk: bool,
    /// Files parsed by the last run.
    pub last_parsed: usize,
    /// Files the last run merged and evaluated.
    pub last_linted: usize,
}

impl Session {
    pub fn new(prep: Prepared) -> Session {
        let mut s = Session {
            pool: thread_pool(prep.jobs),
            by_ids: prep.rules.relate_files_as_builtins(),
            kept: Vec::new(),
            position: HashMap::new(),
            prep,
            verify_disk: false,
            last_parsed: 0,
            last_linted: 0,
        };
        s.index();
        s
    }

    fn index(&mut self) {
        let files = &self.prep.discovery.files;
        self.position = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.abs.clone(), i))
            .collect();
        self.kept.resize_with(files.len(), || None);
    }

    pub fn prepared(&self) -> &Prepared {
        &self.prep
    }

    /// Whether the walk listed `path`.
    pub fn lists(&self, path: &Path) -> bool {
        self.position.contains_key(path)
    }

    /// Replaces the prepared context. `same_setup`: config, rules and catalogs are those the
    /// kept results were computed with (only the walk changed), so they stay for the files that
    /// are still listed; otherwise every file is parsed again at the next run.
    pub fn replace(&mut self, prep: Prepared, same_setup: bool) {
        let mut old: HashMap<Arc<Path>, Kept> = HashMap::new();
        if same_setup {
            let files = &self.prep.discovery.files;
            for (f, k) in files.iter().zip(std::mem::take(&mut self.kept)) {
                if let Some(k) = k {
                    old.insert(f.abs.clone(), k);
                }
            }
        }
        self.kept = prep
            .discovery
            .files
            .iter()
            .map(|f| old.remove(&f.abs))
            .collect();
        self.pool = thread_pool(prep.jobs);
        self.by_ids = prep.rules.relate_files_as_builtins();
        self.prep = prep;
        self.index();
    }

    /// A rule option's value for a listed file, as a run gives it (the rule's default, the
    /// config's `rules`, then `per_path`); `None` for an unknown rule, option or file.
    pub fn rule_option(&self, file: &Path, rule: &str, option: &str) -> Option<OptVal> {
        let rules = &self.prep.rules.rules;
        let ri = rules.iter().position(|r| r.name == rule)?;
        let oi = rules[ri].option_index(option)?;
        let at = *self.position.get(file)?;
        self.prep.settings.options(ri, at as u32).get(oi).cloned()
    }

    /// Forgets a file's result: it changed on disk.
    pub fn forget(&mut self, path: &Path) {
        if let Some(&i) = self.position.get(path) {
            self.kept[i] = None;
        }
    }

    /// Whether a change of `path` changes the set-up (config, custom rules, catalogs,
    /// baseline), which only a new `prepare` reads.
    pub fn is_setup(&self, path: &Path) -> bool {
        let config = &self.prep.config;
        let file = &config.file;
        let under = |dirs: &[String]| dirs.iter().any(|d| path.starts_with(config.dir.join(d)));
        config.path.as_deref() == Some(path)
            || path.file_name().is_some_and(|n| n == ".bridgelint.yaml")
            || under(&file.custom_rules)
            || under(&file.catalogs)
            || file
                .baseline
                .as_ref()
                .is_some_and(|b| config.dir.join(b) == path)
    }

    /// Lints the open documents (`buffers`, absolute paths) of the project on `today`.
    pub fn run(&mut self, buffers: &[(PathBuf, Vec<u8>)], today: i32) -> Outcome {
        let started = Instant::now();
        self.prep.today = today;
        let buffers_abs: Vec<(PathBuf, &[u8])> = buffers
            .iter()
            .map(|(p, t)| (absolute(&self.prep.cwd, p), t.as_slice()))
            .collect();
        let buffers = Buffers(&buffers_abs);
        // Each listed file's open text, found once by path.
        let mut open: Vec<Option<&[u8]>> = vec![None; self.kept.len()];
        for (p, text) in &buffers_abs {
            if let Some(&i) = self.position.get(p.as_path()) {
                open[i] = Some(text);
            }
        }
        let prep = &self.prep;
        let shared = shared_of(prep);
        self.last_parsed = refresh(
            &mut self.kept,
            &prep.discovery.files,
            &open,
            (&shared, buffers),
            self.pool.as_ref(),
            self.verify_disk,
        );
        let kept: Vec<&Kept> = self
            .kept
            .iter()
            .map(|k| k.as_ref().expect("refreshed"))
            .collect();
        let keep = select(self.by_ids, &kept, &open);
        let (files, origin) = selected(&prep.discovery.files, &open, &keep);
        self.last_linted = files.len();
        let mut settings = prep.settings.clone();
        settings.retain_files(&keep);
        let source = |id: u32, f: &FileEntry| {
            let mut r = kept[origin[id as usize]].result.clone().renumbered(id);
            r.info.reported = f.reported;
            r
        };
        let mut baseline = prep.baseline.clone();
        let run = FilesRun {
            files: &files,
            settings: &settings,
            source: &source,
            buffers,
            pool: self.pool.as_ref().filter(|_| files.len() > 1),
            pruned: keep.iter().filter(|k| !**k).count(),
        };
        execute(prep, run, baseline.as_mut(), started, false)
    }
}

/// Parses again every listed file whose kept result is missing or stale; how many.
fn refresh(
    kept: &mut [Option<Kept>],
    files: &[FileEntry],
    open: &[Option<&[u8]>],
    (shared, buffers): (&Shared, Buffers),
    pool: Option<&rayon::ThreadPool>,
    verify_disk: bool,
) -> usize {
    let kept_ref: &[Option<Kept>] = kept;
    let check = |i: usize| {
        let now = match (open[i], kept_ref[i].as_ref().map(|k| k.stamp)) {
            (Some(text), _) => Stamp::Buffer(text_hash(text)),
            (None, Some(Stamp::Disk(stamp))) if !verify_disk => Stamp::Disk(stamp),
            (None, _) => Stamp::Disk(disk_stamp(&files[i].abs)),
        };
        let fresh = kept_ref[i]
            .as_ref()
            .is_some_and(|k| k.stamp == now && k.named == files[i].named);
        (!fresh).then_some((i, now))
    };
    // Reading every file's size and time (a client that reports no changes) is a system call
    // per file: spread over the pool.
    let stale: Vec<(usize, Stamp)> = match pool {
        Some(pool) if verify_disk => {
            pool.install(|| (0..files.len()).into_par_iter().filter_map(check).collect())
        }
        _ => (0..files.len()).filter_map(check).collect(),
    };
    let parse = |&(i, stamp): &(usize, Stamp)| {
        let f = &files[i];
        let info = FileInfo::new(f.display.clone(), f.rel.clone(), f.reported);
        let result = process(shared, 0, info, input_for(buffers, f), f.named);
        let needles = prune::needles(std::iter::once(&result.store));
        let kept = Kept {
            stamp,
            named: f.named,
            result,
            needles,
        };
        (i, kept)
    };
    let parsed: Vec<(usize, Kept)> = match pool {
        Some(pool) if stale.len() > 1 => pool.install(|| stale.par_iter().map(parse).collect()),
        _ => stale.iter().map(parse).collect(),
    };
    let count = parsed.len();
    for (i, k) in parsed {
        kept[i] = Some(k);
    }
    count
}

/// Which listed files a run takes: the open documents and the files that can change their
/// findings.
fn select(by_ids: bool, kept: &[&Kept], open: &[Option<&[u8]>]) -> Vec<bool> {
    let needles = by_ids.then(|| related_strings(kept, open)).flatten();
    kept.iter()
        .zip(open)
        .map(|(k, open)| {
            open.is_some()
                || match (&needles, &k.needles) {
                    (None, _) | (_, None) => true,
                    (Some(wanted), Some(has)) => has.iter().any(|s| wanted.contains(s.as_str())),
                }
        })
        .collect()
}

/// The files kept, with the open documents as the reported ones (as `check FILE…` reports the
/// named files), and the position of each in the listed files.
fn selected(
    files: &[FileEntry],
    open: &[Option<&[u8]>],
    keep: &[bool],
) -> (Vec<FileEntry>, Vec<usize>) {
    let mut out = Vec::new();
    let mut origin = Vec::new();
    for (i, f) in files.iter().enumerate().filter(|(i, _)| keep[*i]) {
        out.push(FileEntry {
            // Only the open documents' findings are published: the others need no position,
            // fix or message built.
            reported: open[i].is_some() && f.reported,
            ..f.clone()
        });
        origin.push(i);
    }
    (out, origin)
}

/// The account ids and integration names of the open documents; `None` when one of them could
/// be spelled otherwise in another file, and the run must take every file.
fn related_strings<'k>(kept: &[&'k Kept], open: &[Option<&[u8]>]) -> Option<HashSet<&'k str>> {
    let mut wanted = HashSet::new();
    for (k, _) in kept.iter().zip(open).filter(|(_, open)| open.is_some()) {
        for s in k.needles.as_ref()? {
            wanted.insert(s.as_str());
        }
    }
    Some(wanted)
}

fn disk_stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn text_hash(text: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}
