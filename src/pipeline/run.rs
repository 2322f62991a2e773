//! A run, stage by stage: prune the context, load and merge the files, resolve, evaluate the
//! checks that need every file, filter, and assemble the report; each stage is timed for
//! `--verbose`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::baseline::Baseline;
use super::discover::{self, absolute, FileEntry};
use super::load::{self, Loaded};
use super::process::{process, Intrinsic, Shared};
use super::verbose::Timings;
use super::{assemble, filter, prune, verbose, Outcome, Prepared};
use crate::config::Settings;
use crate::finding::Finding;
use crate::model::{FileInfo, Model};
use crate::rules::engine::{Engine, Phase, RuleSettings};
use crate::rules::RuleSet;

/// What the checks are evaluated with, besides the model.
pub(super) struct Checks<'a> {
    pub rules: &'a RuleSet,
    pub settings: &'a Settings,
    pub today: i32,
    pub schemes: &'a [String],
}

impl Checks<'_> {
    /// The engine over `model`.
    pub fn engine<'m>(&'m self, model: &'m Model) -> Engine<'m> {
        Engine {
            model,
            rules: self.rules,
            settings: self.settings,
            today: self.today,
            schemes: self.schemes,
        }
    }

    /// The checks that wait for resolution: the cross-file ones when the file-local ones ran
    /// as the files were merged, else every check.
    fn after_resolution(
        &self,
        model: &Model,
        file_local_first: bool,
        pool: Option<&rayon::ThreadPool>,
    ) -> Vec<Finding> {
        let engine = self.engine(model);
        let phase = match file_local_first {
            true => Phase::CrossFile,
            false => Phase::All,
        };
        match pool {
            Some(pool) => pool.install(|| engine.run_phase(phase, true)),
            None => engine.run_phase(phase, false),
        }
    }
}

/// Lints what `prepare` found.
pub fn run(mut prep: Prepared, buffers: &[(PathBuf, Vec<u8>)], verbose: bool) -> Outcome {
    run_keeping(&mut prep, buffers, verbose)
}

/// [`run`], leaving the prepared context (its files and baseline taken) with the caller: a
/// command that exits next need not free it (freeing the rules and catalog took a twentieth of
/// a one-file run).
pub fn run_keeping(prep: &mut Prepared, buffers: &[(PathBuf, Vec<u8>)], verbose: bool) -> Outcome {
    let started = Instant::now();
    let buffers_abs: Vec<(PathBuf, &[u8])> = buffers
        .iter()
        .map(|(p, t)| (absolute(&prep.cwd, p), t.as_slice()))
        .collect();
    let stdin_ref = load::Buffers(&buffers_abs);
    let mut baseline = prep.baseline.take();
    let mut files = std::mem::take(&mut prep.discovery.files);
    let shared = shared_of(prep);
    let pool = pool_for(files.len(), prep.jobs);
    let mut pruned = 0;
    let mut settings = prep.settings.clone();
    let mut named = Vec::new();
    if prep.prune_context {
        (pruned, named) =
            prune::drop_unrelated(&mut files, &mut settings, &shared, stdin_ref, pool.as_ref());
    }
    // Only a pruned run has them: every other run never takes the lock.
    let reuse = !named.is_empty();
    let named = std::sync::Mutex::new(named);
    let fresh = |id: u32, f: &FileEntry| {
        if reuse && f.reported {
            // Parsed already by the pruning pass.
            let mut named = named.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(at) = named.iter().position(|(abs, _)| *abs == f.abs) {
                return named.swap_remove(at).1.renumbered(id);
            }
        }
        let info = FileInfo::new(f.display.clone(), f.rel.clone(), f.reported);
        process(&shared, id, info, load::input_for(stdin_ref, f), f.named)
    };
    let files_run = FilesRun {
        files: &files,
        settings: &settings,
        source: &fresh,
        buffers: stdin_ref,
        pool: pool.as_ref(),
        pruned,
    };
    execute(prep, files_run, baseline.as_mut(), started, verbose)
}

/// What the per-file phase of a prepared run shares.
pub(super) fn shared_of(prep: &Prepared) -> Shared<'_> {
    let intrinsic = Intrinsic::new(&prep.rules).expect("built-in intrinsic rules are present");
    Shared::new(
        &prep.rules,
        &prep.catalog,
        intrinsic,
        prep.limits.clone(),
        prep.schemes.clone(),
    )
}

/// Files from which a run starts a pool of `--jobs` threads. Below, the calling thread does the
/// work: starting the threads took longer than they saved (BENCHMARKS.md, "One-file runs,
/// round 2": `examples/`, 12 files, 7.2 ms with a pool and 6.3 without; 40 files 7.4 against
/// 7.8; 100 files 10.6 against 12.4).
const POOL_FROM_FILES: usize = 24;

/// The pool of a run over `files` files (a named file and its project context, in the editor
/// and pre-commit case, is linted on the calling thread).
pub(super) fn pool_for(files: usize, jobs: usize) -> Option<rayon::ThreadPool> {
    (files >= POOL_FROM_FILES)
        .then(|| thread_pool(jobs))
        .flatten()
}

/// A pool of `jobs` threads; `None`, and the calling thread does the work, when the system
/// refuses to start threads.
pub(super) fn thread_pool(jobs: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .ok()
}

/// The files a run lints and where their per-file results come from.
pub(super) struct FilesRun<'a> {
    pub files: &'a [FileEntry],
    /// The settings of those files (per-file profiles are by position).
    pub settings: &'a Settings,
    pub source: &'a load::Source<'a>,
    /// Texts replacing files (fixes and excerpts read them).
    pub buffers: load::Buffers<'a>,
    pub pool: Option<&'a rayon::ThreadPool>,
    /// Context files not parsed.
    pub pruned: usize,
}

/// The stages after the files are known: load and merge, resolve, evaluate, then filter and
/// assemble the report. `prep` is only read, so that a session can keep it between runs.
pub(super) fn execute(
    prep: &Prepared,
    run: FilesRun,
    baseline: Option<&mut Baseline>,
    started: Instant,
    verbose: bool,
) -> Outcome {
    let repo_root = discover::repository_root(&prep.root);
    let intrinsic = Intrinsic::new(&prep.rules).expect("built-in intrinsic rules are present");
    let loaded = Loaded::new(&prep.discovery.skipped);
    // The file-local checks run on each chunk of files as it is merged; the details only they
    // read are then let go, so that the run holds only what the other checks read
    // (ARCHITECTURE.md, "What a run holds").
    let file_local_first =
        !prep.keep_details && prep.rules.details_stay_local(|r| run.settings.runs(r));
    let checks = Checks {
        rules: &prep.rules,
        settings: run.settings,
        today: prep.today,
        schemes: &prep.schemes,
    };
    let (mut loaded, assembler) = load::load(
        run.files,
        run.source,
        &prep.catalog,
        run.pool,
        file_local_first.then_some(&checks),
        loaded,
    );
    let parsed_at = started.elapsed();
    let model = match run.pool {
        Some(pool) => pool.install(|| assembler.finish()),
        None => assembler.finish(),
    };
    let resolved_at = started.elapsed();
    loaded
        .findings
        .extend(checks.after_resolution(&model, file_local_first, run.pool));
    let evaluated_at = started.elapsed();

    let timings = Timings {
        started,
        setup: prep.setup_time,
        discovery: prep.discovery_time,
        parsed_at,
        merge: loaded.merge_time,
        local: loaded.local_time,
        resolved_at,
        evaluated_at,
    };
    let finish = Finish {
        checks: &checks,
        intrinsic: &intrinsic,
        files: run.files,
        stdin: run.buffers,
        repo_root: &repo_root,
        pruned: run.pruned,
        everywhere: prep.findings_everywhere,
        unsafe_fixes: prep.unsafe_fixes,
        fix_marks_only: prep.fix_marks_only,
    };
    finish.outcome(loaded, model, baseline, verbose.then_some(timings))
}

/// What the stages after evaluation read besides the findings and the model.
struct Finish<'a> {
    checks: &'a Checks<'a>,
    intrinsic: &'a Intrinsic,
    files: &'a [FileEntry],
    stdin: load::Buffers<'a>,
    repo_root: &'a Path,
    /// Context files not parsed.
    pruned: usize,
    /// Keep the findings of context files too.
    everywhere: bool,
    /// `--unsafe-fixes`: unsafe fixes are applicable too.
    unsafe_fixes: bool,
    /// Fixes without edits (the output shows only marks).
    fix_marks_only: bool,
}

impl Finish<'_> {
    /// Filters the findings, then builds the report; `verbose` with the timings for `--verbose`.
    fn outcome(
        &self,
        loaded: Loaded,
        model: Model,
        baseline: Option<&mut Baseline>,
        verbose: Option<Timings>,
    ) -> Outcome {
        let Loaded {
            mut findings,
            suppressions,
            mut summary,
            mut skipped,
            other_docs,
            ..
        } = loaded;
        let settings = self.checks.settings;
        filter::one_per_anchor(&mut findings);
        filter::settings_and_scope(
            &mut findings,
            settings,
            &model,
            self.intrinsic.parse_error,
            self.everywhere,
        );
        let suppressed_by = filter::suppressions(
            &mut findings,
            &suppressions,
            self.checks,
            &model,
            self.intrinsic,
        );
        let patterns: Vec<&crate::rules::pattern::Pattern> = self
            .checks
            .rules
            .rules
            .iter()
            .flat_map(|r| r.patterns.iter())
            .collect();
        let fixes = match self.fix_marks_only {
            true => super::fixes::marks(&findings, &patterns),
            false => super::fixes::resolve(&findings, &model, self.files, self.stdin, &patterns),
        };
        let mut diagnostics = assemble::diagnostics(
            &findings,
            &suppressed_by,
            &suppressions,
            &model,
            self.files,
            self.checks,
            self.repo_root,
            (fixes, self.unsafe_fixes),
        );
        let baseline_entries = assemble::apply_baseline(&mut diagnostics, baseline, &mut summary);
        assemble::count(&mut summary, &diagnostics);
        let verbose_lines = match verbose {
            Some(timings) => verbose::lines(
                &mut skipped,
                self.files,
                &summary,
                other_docs,
                self.pruned,
                &model,
                &timings,
            ),
            None => verbose::notable(&skipped),
        };
        let report = assemble::report(
            diagnostics,
            summary,
            &model,
            self.files,
            self.stdin,
            self.checks,
            verbose_lines,
        );
        Outcome {
            report,
            model,
            baseline_entries,
        }
    }
}
