//! The pipeline: discover → load (parallel) → merge and resolve → evaluate → filter
//! (per-path settings, reporting scope) → suppress → baseline → sort → report.
//!
//! This module runs the stages; each stage that is not the model's or the engine's lives in a
//! submodule here.

pub mod baseline;
pub mod discover;
pub mod process;
pub mod prune;
pub mod redact;
pub mod suppress;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::config::{config_in, CliRules, Config, Settings};
use crate::data::DataError;
use crate::finding::Severity;
use crate::finding::{fingerprint, Finding};
use crate::model::resolve::{Assembler, FileModel};
use crate::model::{date, FileInfo, Model};
use crate::report::{Diagnostic, RelatedDiag, Report, RuleMeta, SourceRef, Summary};
use crate::rules::engine::{Engine, Phase, RuleSettings};
use crate::rules::{RuleSet, UNSUPPRESSIBLE};
use crate::secrets::DEFAULT_SCHEMES;
use crate::source::{Limits, Pos};
use baseline::Baseline;
use discover::{absolute, display_path, Discovery, FileEntry, Skipped, Walker};
use process::{process, FileResult, Input, Intrinsic, Shared, Status};
use suppress::Suppression;

/// Files parsed in parallel before their records are merged into the model. Two chunks are in
/// flight at once (one parsing, one merging): 1,024 held 18 MiB more at the peak of a 10k run
/// than 256, for no gain in time.
const CHUNK: usize = 256;

/// What a run is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    /// `--stdin-filename` and the text read from standard input.
    pub stdin: Option<(PathBuf, Vec<u8>)>,
    pub no_context: bool,
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub now: Option<i32>,
    pub rules_dirs: Vec<PathBuf>,
    pub catalog_dirs: Vec<PathBuf>,
    pub jobs: Option<usize>,
    pub max_file_size: Option<u64>,
    pub baseline: Option<PathBuf>,
    /// Forces the context root (test-rules: the fixture folder).
    pub root: Option<PathBuf>,
    /// Only the findings are wanted (`check`), not the whole model (`inventory`): context
    /// files that cannot change them may be left unparsed (`prune.rs`).
    pub findings_only: bool,
}

/// An invocation error (exit status 2): nothing is linted.
#[derive(Debug)]
pub struct Invocation(pub Vec<String>);

impl From<Vec<DataError>> for Invocation {
    fn from(errors: Vec<DataError>) -> Invocation {
        Invocation(errors.iter().map(|e| e.to_string()).collect())
    }
}

impl From<DataError> for Invocation {
    fn from(e: DataError) -> Invocation {
        Invocation(vec![e.to_string()])
    }
}

/// Everything decided before linting.
pub struct Prepared {
    pub cwd: PathBuf,
    pub root: PathBuf,
    pub config: Config,
    pub rules: RuleSet,
    pub catalog: Catalog,
    pub discovery: Discovery,
    pub settings: Settings,
    pub today: i32,
    pub limits: Limits,
    pub schemes: Vec<String>,
    pub jobs: usize,
    pub baseline: Option<Baseline>,
    pub fail_on: Option<String>,
    /// Loading config, rules and catalog (`--verbose` timings).
    pub setup_time: Duration,
    /// Walking the folders.
    pub discovery_time: Duration,
    /// Only files are named and only built-in rules run: context files that cannot relate to
    /// the named ones are not parsed (`prune.rs`).
    pub prune_context: bool,
    /// The caller reads every field of the returned model (`inventory`): the run keeps the
    /// file-local details instead of letting them go once their checks have run.
    pub keep_details: bool,
}

/// Loads config, rules and catalog, and finds the files: every invocation error shows here.
pub fn prepare(req: &Request, cwd: &Path) -> Result<Prepared, Invocation> {
    let started = Instant::now();
    // The built-in rules, the catalog and the target schemas load on their own threads while
    // this one finds and loads the config: together they are most of a one-file run
    // (BENCHMARKS.md), and none of them depends on the config.
    crate::schema::warm_up_in_background();
    std::thread::scope(|s| {
        let rules = s.spawn(RuleSet::builtin);
        let catalog = s.spawn(Catalog::builtin);
        let builtins = move || -> Result<(RuleSet, Catalog), Invocation> {
            let rules = rules
                .join()
                .expect("loading the built-in rules does not panic");
            let catalog = catalog.join().expect("loading the catalog does not panic");
            Ok((rules?, catalog?))
        };
        prepare_with(req, cwd, started, builtins)
    })
}

fn prepare_with(
    req: &Request,
    cwd: &Path,
    started: Instant,
    builtins: impl FnOnce() -> Result<(RuleSet, Catalog), Invocation>,
) -> Result<Prepared, Invocation> {
    let mut named: Vec<PathBuf> = Vec::new();
    let mut missing = Vec::new();
    for p in &req.paths {
        let abs = absolute(cwd, p);
        if std::fs::symlink_metadata(&abs).is_err() {
            missing.push(format!("{}: no such file or folder", p.display()));
        }
        named.push(abs);
    }
    if !missing.is_empty() {
        return Err(Invocation(missing));
    }
    let stdin_path = req.stdin.as_ref().map(|(p, _)| absolute(cwd, p));
    if named.is_empty() && stdin_path.is_none() {
        named.push(cwd.to_path_buf());
    }
    // The context root, from the first named path (its folder for a file).
    let first = stdin_path
        .clone()
        .or_else(|| named.first().cloned())
        .unwrap_or_else(|| cwd.to_path_buf());
    let start = if first.is_dir() {
        first.clone()
    } else {
        first
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf())
    };
    let root = match &req.root {
        Some(r) => absolute(cwd, r),
        None => discover::context_root(&start, &start),
    };

    let config = if req.no_config {
        Config::empty(root.clone())
    } else if let Some(path) = &req.config {
        Config::load(&absolute(cwd, path))?
    } else {
        match config_in(&root)? {
            Some(path) => Config::load(&path)?,
            None => Config::empty(root.clone()),
        }
    };

    confine_config_paths(&config, &root)?;

    // The walk needs only the config: it runs while the built-in rules and the catalog are
    // still loading on their threads, and they are joined after it.
    let walk_started = Instant::now();
    let mut discovery = Discovery::default();
    let jobs = req
        .jobs
        .or(config.file.jobs)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let walker = Walker {
        cwd,
        root: &root,
        exclude: &config.file.exclude,
        exclude_base: &config.dir,
        threads: jobs.max(1),
    };
    // A named folder that is the root itself is walked once, as named (the common
    // `bridgelint check .`): walking it also as context would list every file twice.
    if !req.no_context && !named.contains(&root) {
        walker.walk(&root, &mut discovery, false);
    }
    for p in &named {
        if p.is_dir() {
            walker.walk(p, &mut discovery, true);
        } else {
            discovery.files.push(entry(p, cwd, &root));
        }
    }
    if let Some(p) = &stdin_path {
        discovery.files.push(entry(p, cwd, &root));
    }
    discover::finish(&mut discovery);
    if req.no_context {
        // Only what was named, and what lies under named folders.
        discovery.files.retain(|f| f.reported);
    }
    let discovery_time = walk_started.elapsed();

    let (mut rules, mut catalog) = builtins()?;
    for dir in &config.file.custom_rules {
        rules.add_dir(&config.dir.join(dir))?;
    }
    for dir in &req.rules_dirs {
        rules.add_dir(&absolute(cwd, dir))?;
    }
    for dir in &config.file.catalogs {
        catalog.add_dir(&config.dir.join(dir))?;
    }
    for dir in &req.catalog_dirs {
        catalog.add_dir(&absolute(cwd, dir))?;
    }
    // Set-up is what the run waited for besides the walk (config, rules, catalog).
    let setup_time = started.elapsed() - discovery_time;
    let prune_context = req.findings_only
        && !req.no_context
        && named.iter().all(|p| !p.is_dir())
        && rules.rules.iter().all(|r| r.builtin)
        && discovery.files.iter().any(|f| !f.reported);

    let rel_to_config: Vec<String> = discovery
        .files
        .iter()
        .map(|f| discover::relative_to(&f.abs, &config.dir).unwrap_or_else(|| f.rel.to_string()))
        .collect();
    let cli = CliRules {
        select: req.select.clone(),
        ignore: req.ignore.clone(),
    };
    let settings = Settings::new(&config, &rules, &cli, &rel_to_config)?;

    let baseline = match &req.baseline {
        Some(p) => Some(Baseline::load(&absolute(cwd, p)).map_err(|e| Invocation(vec![e]))?),
        None => match &config.file.baseline {
            Some(p) if !req.no_config => {
                Some(Baseline::load(&config.dir.join(p)).map_err(|e| Invocation(vec![e]))?)
            }
            _ => None,
        },
    };

    let limits = Limits {
        max_file_size: req
            .max_file_size
            .or(config.file.max_file_size)
            .unwrap_or(crate::source::DEFAULT_MAX_FILE_SIZE),
        ..Limits::default()
    };
    let schemes = config
        .file
        .secret_reference_schemes
        .clone()
        .unwrap_or_else(|| DEFAULT_SCHEMES.iter().map(|s| s.to_string()).collect());
    Ok(Prepared {
        cwd: cwd.to_path_buf(),
        root,
        fail_on: config.file.fail_on.clone(),
        config,
        rules,
        catalog,
        discovery,
        settings,
        today: req.now.unwrap_or_else(date::today_utc),
        limits,
        schemes,
        jobs: jobs.max(1),
        baseline,
        setup_time,
        discovery_time,
        prune_context,
        keep_details: false,
    })
}

/// Where a file's text comes from: the `--stdin-filename` buffer replaces the file at its path.
fn input_for<'a>(stdin: Option<(&Path, &'a [u8])>, f: &'a FileEntry) -> Input<'a> {
    match stdin {
        Some((p, text)) if p == &*f.abs => Input::Buffer(text),
        _ => Input::Disk(&f.abs),
    }
}

/// Which files to keep: the named ones, and the context files that may change what is
/// reported for them (`prune.rs`); `None` keeps every file. The named files are parsed once
/// here for the strings that relate files (their results are dropped: file ids come from the
/// final list).
fn context_to_keep(
    files: &[FileEntry],
    shared: &Shared,
    stdin: Option<(&Path, &[u8])>,
    pool: Option<&rayon::ThreadPool>,
) -> Option<Vec<bool>> {
    let named: Vec<FileResult> = files
        .iter()
        .filter(|f| f.reported)
        .map(|f| {
            let info = FileInfo::new(f.display.clone(), f.rel.clone(), true);
            process(shared, 0, info, input_for(stdin, f), f.named)
        })
        .collect();
    let needles = crate::pipeline::prune::needles(named.iter().map(|r| &r.store))?;
    drop(named);
    let filter = crate::pipeline::prune::Filter::new(&needles);
    // Read as the normal path reads (size limit, regular files only). A file that is not ours
    // cannot matter; one that cannot be read here is kept, for the normal path to report.
    let keep_file = |f: &FileEntry| {
        f.reported
            || match crate::source::read::read_file(&f.abs, &shared.limits) {
                // read_file has checked the UTF-8 already.
                Ok(crate::source::read::ReadOutcome::Text(text)) => filter.relates(&text),
                Ok(crate::source::read::ReadOutcome::NotOurs) => false,
                Ok(crate::source::read::ReadOutcome::Unreadable { .. }) | Err(_) => true,
            }
    };
    Some(match pool {
        Some(pool) => pool.install(|| files.par_iter().map(keep_file).collect()),
        None => files.iter().map(keep_file).collect(),
    })
}

/// Paths in a config file must stay inside the project: a config changed in a pull request must
/// not make the linter read files elsewhere on the CI machine (and quote them in errors).
fn confine_config_paths(config: &Config, root: &Path) -> Result<(), Invocation> {
    let Some(root) = std::fs::canonicalize(root).ok() else {
        return Ok(());
    };
    let mut errors = Vec::new();
    let mut check = |key: &str, index: Option<usize>, value: &str| {
        let target = config.dir.join(value);
        let resolved =
            std::fs::canonicalize(&target).unwrap_or_else(|_| discover::normalize(&target));
        if !resolved.starts_with(&root) {
            let mut steps = vec![crate::source::tree::Step::Key(key.into())];
            if let Some(i) = index {
                steps.push(crate::source::tree::Step::Index(i));
            }
            errors.push(config.error(
                &steps,
                format!(
                    "`{value}` is outside the project ({}); config paths must stay inside it",
                    root.display()
                ),
            ));
        }
    };
    for (i, d) in config.file.custom_rules.iter().enumerate() {
        check("custom_rules", Some(i), d);
    }
    for (i, d) in config.file.catalogs.iter().enumerate() {
        check("catalogs", Some(i), d);
    }
    if let Some(b) = &config.file.baseline {
        check("baseline", None, b);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

fn entry(abs: &Path, cwd: &Path, root: &Path) -> FileEntry {
    FileEntry {
        abs: abs.into(),
        display: display_path(abs, cwd).into(),
        rel: discover::relative_to(abs, root)
            .unwrap_or_else(|| abs.to_string_lossy().replace('\\', "/"))
            .into(),
        reported: true,
        named: true,
    }
}

/// The outcome of linting.
pub struct Outcome {
    pub report: Report,
    pub model: Model,
    /// Baseline entries for `--write-baseline` (every unsuppressed finding).
    pub baseline_entries: Vec<baseline::Entry>,
}

/// Lints what `prepare` found.
pub fn run(prep: Prepared, stdin: Option<&(PathBuf, Vec<u8>)>, verbose: bool) -> Outcome {
    let started = Instant::now();
    let Prepared {
        rules,
        catalog,
        mut settings,
        today,
        limits,
        schemes,
        jobs,
        mut baseline,
        cwd,
        root,
        setup_time,
        discovery_time,
        prune_context,
        keep_details,
        mut discovery,
        ..
    } = prep;
    let repo_root = discover::repository_root(&root);
    let repo_path = |abs: &Path| {
        discover::relative_to(abs, &repo_root)
            .unwrap_or_else(|| abs.to_string_lossy().replace('\\', "/"))
    };
    let intrinsic = Intrinsic::new(&rules).expect("built-in intrinsic rules are present");
    let shared = Shared::new(&rules, &catalog, intrinsic, limits, schemes.clone());
    let stdin_abs = stdin.map(|(p, t)| (absolute(&cwd, p), t.as_slice()));

    // One file (the editor and pre-commit case) is linted on this thread: no pool to start.
    let pool = (discovery.files.len() > 1).then(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .expect("thread pool")
    });
    let stdin_ref = stdin_abs.as_ref().map(|(p, t)| (p.as_path(), *t));
    let mut pruned = 0;
    if prune_context {
        if let Some(keep) = context_to_keep(&discovery.files, &shared, stdin_ref, pool.as_ref()) {
            // File ids are positions: the per-file settings follow the files.
            settings.retain_files(&keep);
            let mut k = keep.iter();
            discovery.files.retain(|_| *k.next().unwrap_or(&true));
            pruned = keep.iter().filter(|k| !**k).count();
        }
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut suppressions: Vec<Suppression> = Vec::new();
    let mut summary = Summary::default();
    let mut skipped: Vec<Skipped> = discovery.skipped.clone();
    // Entries the walk skipped (links, FIFOs) under named folders count as skipped files.
    summary.skipped += skipped.iter().filter(|s| s.reported).count();
    let mut other_docs = 0;
    let mut merge_time = Duration::ZERO;
    let mut local_time = Duration::ZERO;
    // The file-local checks run on each chunk of files as it is merged; the details only they
    // read are then let go, so that the run holds only what the other checks read
    // (ARCHITECTURE.md, "What a run holds").
    let file_local_first = !keep_details && rules.details_stay_local(|r| settings.runs(r));
    let mut assembler = Assembler::new(&catalog);
    assembler.expect(discovery.files.len());
    if file_local_first {
        assembler.let_details_go();
    }
    // Files are parsed in parallel a chunk at a time and merged in order as each chunk ends, so
    // that the per-file records and the merged model never both hold every file. Merging is
    // sequential; it runs beside the parsing of the next chunk rather than between chunks, so
    // no core waits for it.
    let chunks: Vec<&[FileEntry]> = discovery.files.chunks(CHUNK).collect();
    let parallel = pool.is_some();
    let process_file = |c: usize, i: usize, f: &FileEntry| {
        let info = FileInfo::new(f.display.clone(), f.rel.clone(), f.reported);
        process(
            &shared,
            (c * CHUNK + i) as u32,
            info,
            input_for(stdin_ref, f),
            f.named,
        )
    };
    let process_chunk = |c: usize| -> Vec<FileResult> {
        chunks[c]
            .par_iter()
            .enumerate()
            .map(|(i, f)| process_file(c, i, f))
            .collect()
    };
    let mut merge_chunk = |c: usize, results: Vec<FileResult>| {
        let merge_started = Instant::now();
        for (f, r) in chunks[c].iter().zip(results) {
            match &r.status {
                Status::Checked => {
                    if f.reported {
                        summary.files += 1;
                    }
                }
                Status::NotOurs => {
                    if f.reported {
                        summary.skipped += 1;
                        skipped.push(Skipped {
                            path: f.display.to_string(),
                            reason: "not a bridgelint document".into(),
                            notable: false,
                            reported: true,
                        });
                    }
                }
                Status::Unreadable(reason) => {
                    if f.reported {
                        summary.skipped += 1;
                    }
                    skipped.push(Skipped {
                        path: f.display.to_string(),
                        reason: reason.clone(),
                        notable: true,
                        reported: f.reported,
                    });
                }
            }
            other_docs += r.other_documents;
            findings.extend(r.findings);
            suppressions.extend(r.suppressions);
            assembler.add(FileModel {
                info: r.info,
                store: r.store,
                matches: r.matches,
            });
        }
        merge_time += merge_started.elapsed();
        if file_local_first {
            let local_started = Instant::now();
            findings.extend(assembler.settle(|model, merged| {
                let engine = Engine {
                    model,
                    rules: &rules,
                    settings: &settings,
                    today,
                    schemes: &schemes,
                };
                engine.run_phase(Phase::FileLocal(merged), parallel)
            }));
            local_time += local_started.elapsed();
        }
    };
    match &pool {
        None => {
            for (c, chunk) in chunks.iter().enumerate() {
                let results = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, f)| process_file(c, i, f))
                    .collect();
                merge_chunk(c, results);
            }
        }
        Some(pool) => pool.install(|| {
            let mut pending: Option<(usize, Vec<FileResult>)> = None;
            for c in 0..=chunks.len() {
                let (next, ()) = rayon::join(
                    || (c < chunks.len()).then(|| (c, process_chunk(c))),
                    || {
                        if let Some((done, results)) = pending.take() {
                            merge_chunk(done, results);
                        }
                    },
                );
                pending = next;
            }
        }),
    }
    let parsed_at = started.elapsed();
    let model = match &pool {
        Some(pool) => pool.install(|| assembler.finish()),
        None => assembler.finish(),
    };
    let resolved_at = started.elapsed();
    let engine = Engine {
        model: &model,
        rules: &rules,
        settings: &settings,
        today,
        schemes: &schemes,
    };
    let phase = match file_local_first {
        true => Phase::CrossFile,
        false => Phase::All,
    };
    findings.extend(match &pool {
        Some(pool) => pool.install(|| engine.run_phase(phase, true)),
        None => engine.run_phase(phase, false),
    });
    let evaluated_at = started.elapsed();

    // One finding per rule and anchored text (an alias or merge repeats the same span).
    let mut seen: HashSet<(usize, u32, u32, u32)> = HashSet::new();
    for f in findings.iter().filter(|f| !f.loc.via_alias) {
        seen.insert((f.rule, f.loc.file, f.loc.start, f.loc.end));
    }
    findings
        .retain(|f| !f.loc.via_alias || seen.insert((f.rule, f.loc.file, f.loc.start, f.loc.end)));

    // Per-path settings, then the reporting scope.
    findings.retain_mut(|f| {
        if !settings.enabled(f.rule, f.loc.file) {
            return false;
        }
        if f.rule != intrinsic.parse_error {
            f.severity = settings.severity(f.rule, f.loc.file);
        }
        let reported = |file: u32| model.files.get(file as usize).is_some_and(|i| i.reported);
        reported(f.loc.file) || f.related.iter().any(|r| reported(r.loc.file))
    });

    // Suppressions.
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len()])
        .collect();
    let mut suppressed_by: Vec<Option<usize>> = vec![None; findings.len()];
    // Indexed by (file, line): a file may hold as many suppressions as findings.
    let mut by_line: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for (si, s) in suppressions.iter().enumerate() {
        by_line.entry((s.loc.file, s.line)).or_default().push(si);
    }
    for (fi, f) in findings.iter().enumerate() {
        let name = &rules.rules[f.rule].name;
        if UNSUPPRESSIBLE.contains(&name.as_str()) {
            continue;
        }
        let line = model
            .files
            .get(f.loc.file as usize)
            .map_or(1, |i| i.line_col(f.loc.start).0);
        let candidates = by_line
            .get(&(f.loc.file, line))
            .map_or(&[][..], Vec::as_slice);
        for &si in candidates {
            let s = &suppressions[si];
            if s.problem.is_some() || s.until.is_some_and(|u| u < today) {
                continue;
            }
            if let Some(ri) = s.rules.iter().position(|r| r == name) {
                used[si][ri] = true;
                suppressed_by[fi] = Some(si);
                break;
            }
        }
    }
    let mut extra = Vec::new();
    for (si, s) in suppressions.iter().enumerate() {
        let reported = model
            .files
            .get(s.loc.file as usize)
            .is_some_and(|i| i.reported);
        if !reported {
            continue;
        }
        let finding = |rule: usize, message: String| {
            let mut f = Finding::new(rule, settings.severity(rule, s.loc.file), message, s.loc);
            f.route = format!("#suppression@{}", s.line);
            f.subject = s.rules.join(",");
            f
        };
        if let Some(problem) = &s.problem {
            extra.push(finding(
                intrinsic.invalid_suppression,
                format!("invalid suppression: {problem}; it suppresses nothing"),
            ));
        } else if let Some(until) = s.until.filter(|u| *u < today) {
            extra.push(finding(
                intrinsic.expired_suppression,
                format!(
                    "suppression expired on {}; it no longer suppresses {}",
                    date::format(until),
                    list(&s.rules)
                ),
            ));
        } else {
            let unused: Vec<String> = s
                .rules
                .iter()
                .zip(&used[si])
                .filter(|(r, u)| {
                    !**u && rules
                        .index(r)
                        .is_some_and(|ri| settings.enabled(ri, s.loc.file))
                })
                .map(|(r, _)| r.clone())
                .collect();
            if !unused.is_empty() {
                extra.push(finding(
                    intrinsic.unused_suppression,
                    format!(
                        "unused suppression: no {} finding starts on line {}; remove {}",
                        list(&unused),
                        s.line,
                        if unused.len() == s.rules.len() {
                            "the comment"
                        } else {
                            "these rules from it"
                        }
                    ),
                ));
            }
        }
    }
    extra.retain(|f| settings.enabled(f.rule, f.loc.file));
    suppressed_by.extend(std::iter::repeat_n(None, extra.len()));
    findings.extend(extra);

    // Resolve positions and order.
    let pos_of = |file: u32, offset: u32| -> Pos {
        let (line, column) = model.files[file as usize].line_col(offset);
        Pos::new(line, column, offset)
    };
    let mut diags: Vec<(Diagnostic, Option<usize>)> = findings
        .iter()
        .zip(&suppressed_by)
        .map(|(f, sup)| {
            let info = &model.files[f.loc.file as usize];
            let (start, end) = match f.pos {
                Some(p) => (p, p),
                None => (
                    pos_of(f.loc.file, f.loc.start),
                    pos_of(f.loc.file, f.loc.end),
                ),
            };
            let rule = &rules.rules[f.rule];
            let d = Diagnostic {
                rule: rule.name.clone(),
                severity: f.severity,
                message: crate::pipeline::redact::escape_controls(&f.message),
                path: info.display.to_string(),
                rel: info.rel.to_string(),
                repo_path: repo_path(&discovery.files[f.loc.file as usize].abs),
                start,
                end,
                help: help_line(rule),
                related: f
                    .related
                    .iter()
                    .map(|r| RelatedDiag {
                        path: model.files[r.loc.file as usize].display.to_string(),
                        repo_path: repo_path(&discovery.files[r.loc.file as usize].abs),
                        file: r.loc.file as usize,
                        start: pos_of(r.loc.file, r.loc.start),
                        end: pos_of(r.loc.file, r.loc.end),
                        message: crate::pipeline::redact::escape_controls(&r.message),
                    })
                    .collect(),
                fingerprint: fingerprint(&rule.name, &info.rel, &f.route, &f.subject),
                route: f.route.clone(),
                suppressed: sup.map(|s| suppressions[s].reason.clone()),
                file: f.loc.file as usize,
            };
            (d, *sup)
        })
        .collect();
    diags.sort_by(|(a, _), (b, _)| {
        a.rel
            .as_bytes()
            .cmp(b.rel.as_bytes())
            .then(a.start.line.cmp(&b.start.line))
            .then(a.start.column.cmp(&b.start.column))
            .then(a.rule.cmp(&b.rule))
            .then(a.end.line.cmp(&b.end.line))
            .then(a.end.column.cmp(&b.end.column))
            .then(a.message.cmp(&b.message))
    });
    let mut diagnostics: Vec<Diagnostic> = diags.into_iter().map(|(d, _)| d).collect();

    // Baseline: each entry hides one finding.
    let mut baseline_entries = Vec::new();
    let mut baselined = 0;
    diagnostics.retain(|d| {
        if d.suppressed.is_some() {
            return true;
        }
        baseline_entries.push(baseline::Entry {
            rule: d.rule.clone(),
            path: d.rel.clone(),
            fingerprint: d.fingerprint.clone(),
        });
        let hidden = baseline.as_mut().is_some_and(|b| b.take(&d.fingerprint));
        if hidden {
            baselined += 1;
        }
        !hidden
    });
    summary.baselined = baselined;
    summary.baseline_unmatched = baseline.as_ref().map_or(0, Baseline::unmatched);
    for d in &diagnostics {
        if d.suppressed.is_some() {
            summary.suppressed += 1;
            continue;
        }
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }

    let mut verbose_lines = Vec::new();
    if verbose {
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        for s in &skipped {
            verbose_lines.push(format!("skipped {}: {}", s.path, s.reason));
        }
        verbose_lines.push(format!(
            "{} files read and parsed ({} in the project context), {} other YAML/JSON documents \
             skipped",
            discovery.files.len(),
            discovery.files.iter().filter(|f| !f.reported).count(),
            other_docs
        ));
        if pruned > 0 {
            verbose_lines.push(format!(
                "{pruned} context files not parsed (read, but their bytes hold no account id \
                 or integration name of the named files)"
            ));
        }
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
        verbose_lines.push(format!(
            "model ({}): {records} entities, {slots} fields, {} list items, {} references, {} KB of text",
            per_kind.join(", "),
            store.lists.len(),
            store.refs.len(),
            store.strings.len() / 1024
        ));
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        verbose_lines.push(format!(
            "timings: set-up {:.1} ms, discovery {:.1} ms, read and parsed {:.1} ms (of which \
             merging {:.1} ms, file-local rules {:.1} ms), cross-file resolution {:.1} ms, \
             rules {:.1} ms, total {:.1} ms",
            ms(setup_time),
            ms(discovery_time),
            ms(parsed_at),
            ms(merge_time),
            ms(local_time),
            ms(resolved_at - parsed_at),
            ms(evaluated_at - resolved_at),
            ms(setup_time + discovery_time + started.elapsed())
        ));
    } else {
        for s in skipped.iter().filter(|s| s.notable) {
            verbose_lines.push(format!("skipped {}: {}", s.path, s.reason));
        }
    }

    // How excerpts find each file's text: built once here, from the model's file records, rather
    // than kept beside them from the merge on.
    let sources = model
        .files
        .iter()
        .zip(&discovery.files)
        .map(|(info, f)| SourceRef {
            abs: (!matches!(input_for(stdin_ref, f), Input::Buffer(_))).then(|| f.abs.clone()),
            text: info.text.clone(),
            redactions: info.redactions.clone(),
        })
        .collect();
    let report = Report {
        diagnostics,
        summary,
        sources,
        rules: rules
            .rules
            .iter()
            .map(|r| RuleMeta {
                name: r.name.clone(),
                severity: r.severity,
                summary: r.summary.trim().to_string(),
                help: crate::rules::docs::explain(r),
            })
            .collect(),
        verbose: verbose_lines,
    };
    Outcome {
        report,
        model,
        baseline_entries,
    }
}

fn list(rules: &[String]) -> String {
    rules
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn help_line(rule: &crate::rules::Rule) -> String {
    format!(
        "{} See `bridgelint explain {}`.",
        rule.summary.trim(),
        rule.name
    )
}
