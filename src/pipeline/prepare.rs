//! Everything decided before linting: the named paths, the context root, the config and the
//! confinement of its paths, the files to read, the rules and the catalog, the per-path
//! settings and the baseline. Every invocation error (exit status 2) shows here.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::baseline::Baseline;
use super::custom::{add_custom_catalogs, read_custom_rules};
use super::discover::{self, absolute, display_path, Discovery, FileEntry, Walker};
use super::{Invocation, Prepared, Request};
use crate::catalog::Catalog;
use crate::config::{config_in, CliRules, Config, Settings};
use crate::data::DataError;
use crate::model::date;
use crate::rules::engine::RuleSettings;
use crate::rules::eval::OptVal;
use crate::rules::RuleSet;
use crate::schema::SchemaKind;
use crate::secrets::DEFAULT_SCHEMES;
use crate::source::Limits;

/// The thread compiling the built-in rules.
type RulesThread = std::thread::JoinHandle<Result<RuleSet, Vec<DataError>>>;

/// The thread [`compile_builtin_rules_early`] started, until [`prepare`] takes it.
static EARLY_RULES: std::sync::Mutex<Option<RulesThread>> = std::sync::Mutex::new(None);

/// Starts compiling the built-in rules on a thread of their own; `None` when the system
/// refuses a thread (`Scope::spawn` would panic), and the caller compiles them itself.
fn spawn_rules_thread() -> Option<RulesThread> {
    std::thread::Builder::new().spawn(RuleSet::builtin).ok()
}

/// Starts compiling the built-in rules on a thread of their own, for the next [`prepare`] to
/// take. The program calls it before it parses its command line when the command is `check`
/// or `inventory`: compiling the rules is the longest part of a one-file run's set-up, and
/// parsing the command line (clap builds every command's arguments) was a tenth of that run
/// spent before the thread started (BENCHMARKS.md, "One-file runs, round 3").
pub fn compile_builtin_rules_early() {
    if let (Some(thread), Ok(mut early)) = (spawn_rules_thread(), EARLY_RULES.lock()) {
        *early = Some(thread);
    }
}

/// Loads config, rules and catalog, and finds the files: every invocation error shows here.
pub fn prepare(req: &Request, cwd: &Path) -> Result<Prepared, Invocation> {
    let started = Instant::now();
    // The built-in rules, the catalog and the target schemas load on their own threads while
    // this one finds and loads the config: together they are most of a one-file run
    // (BENCHMARKS.md), and none of them depends on the config.
    crate::schema::warm_up_in_background(target_kinds(req, cwd));
    let early = EARLY_RULES.lock().ok().and_then(|mut e| e.take());
    let rules = early.or_else(spawn_rules_thread);
    let builtins = move || -> Result<(RuleSet, Catalog), Invocation> {
        // The catalog reads only each system's head here (catalog/entry.rs): less than a
        // thread's start.
        let catalog = Catalog::builtin();
        let rules = match rules {
            Some(thread) => (thread.join()).expect("loading the built-in rules does not panic"),
            None => RuleSet::builtin(),
        };
        Ok((rules?, catalog?))
    };
    prepare_with(req, cwd, started, builtins)
}

/// The schemas a run is expected to validate against, for [`crate::schema::warm_up_in_background`].
/// Both target kinds, unless the run reads only a few named files (`--no-context`): then the
/// kinds their first 64 KiB name. In a one-file run compiling the schema of a kind that is not
/// there took a core for a millisecond while the rules and the catalog were loading. A wrong
/// guess costs only time: a document of another kind compiles its schema when it is validated.
fn target_kinds(req: &Request, cwd: &Path) -> Vec<SchemaKind> {
    let both = vec![SchemaKind::Integration, SchemaKind::ServiceAccounts];
    if !req.no_context || req.stdin.is_some() || req.paths.is_empty() || req.paths.len() > 4 {
        return both;
    }
    let mut kinds = Vec::new();
    for p in &req.paths {
        // As the reader does: a regular file only, checked before it is opened (a FIFO would
        // block).
        let abs = absolute(cwd, p);
        if !std::fs::metadata(&abs).is_ok_and(|m| m.is_file()) {
            return both;
        }
        let mut head = Vec::with_capacity(64 * 1024);
        let read = std::fs::File::open(&abs).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, 64 * 1024), &mut head)
        });
        if read.is_err() || head.len() == 64 * 1024 {
            return both;
        }
        for (kind, name) in [
            (SchemaKind::Integration, &b"Integration"[..]),
            (SchemaKind::ServiceAccounts, &b"ServiceAccounts"[..]),
        ] {
            if !kinds.contains(&kind) && memchr::memmem::find(&head, name).is_some() {
                kinds.push(kind);
            }
        }
    }
    kinds
}

/// As [`prepare`], with the built-in rules and catalog loaded once beforehand and copied (the
/// language server keeps them for its life): the config, the custom rules and catalogs and the
/// walk are read again, since any of them may have changed.
pub fn prepare_from_builtins(
    req: &Request,
    cwd: &Path,
    builtins: &(RuleSet, Catalog),
) -> Result<Prepared, Invocation> {
    prepare_with(req, cwd, Instant::now(), || Ok(builtins.clone()))
}

/// The built-in rules and catalog, as [`prepare_from_builtins`] takes them.
pub fn builtins() -> Result<(RuleSet, Catalog), Invocation> {
    Ok((RuleSet::builtin()?, Catalog::builtin()?))
}

/// The rules and the catalog that `rules`, `explain` and `systems` describe: the built-in
/// ones, the custom folders of the config found from `cwd` (as `check` finds it), then
/// `rules_dirs` and `catalog_dirs`; a folder named twice is loaded once. The config's other
/// mistakes are `check`'s to report.
pub fn configured_rules(
    rules_dirs: &[PathBuf],
    catalog_dirs: &[PathBuf],
    cwd: &Path,
) -> Result<(RuleSet, Catalog), Invocation> {
    let req = Request {
        rules_dirs: rules_dirs.to_vec(),
        catalog_dirs: catalog_dirs.to_vec(),
        ..Request::default()
    };
    configured(&req, cwd).map(|(_, rules, catalog)| (rules, catalog))
}

/// The config found from `cwd` (as `check` finds it) and the rules and catalog with its
/// custom folders and the request's.
fn configured(req: &Request, cwd: &Path) -> Result<(Config, RuleSet, Catalog), Invocation> {
    let named = Named {
        paths: vec![cwd.to_path_buf()],
        stdin: None,
        unsaved: Vec::new(),
    };
    let root = context_root(req, cwd, &named);
    let mut errors = Errors::default();
    let config = load_config(req, cwd, &root, &mut Errors::default())?;
    let confined = confine_config_paths(&config, &root, &mut errors);
    let confined = confined.then_some(root.as_path());
    let (custom_rules, custom_errors) = read_custom_rules(req, cwd, &config, confined);
    errors.data(custom_errors);
    let (mut rules, mut catalog) = (RuleSet::builtin()?, Catalog::builtin()?);
    errors.data(rules.add_custom(custom_rules));
    errors.data(add_custom_catalogs(
        req,
        cwd,
        &config,
        confined,
        &mut catalog,
    ));
    match errors.is_empty() {
        true => Ok((config, rules, catalog)),
        false => Err(errors.into()),
    }
}

/// The value of option `option` of rule `rule` for `file`, as `check` run from `cwd` would
/// resolve it (the rule's default, the config's `rules`, then the `per_path` entries `file`
/// matches), for a reader that shows a rule's facts without running it (the language
/// server's hover). `None` when no such rule or option exists.
pub fn rule_option(
    cwd: &Path,
    file: &Path,
    rule: &str,
    option: &str,
) -> Result<Option<OptVal>, Invocation> {
    let (config, rules, _) = configured(&Request::default(), cwd)?;
    let Some(ri) = rules.rules.iter().position(|r| r.name == rule) else {
        return Ok(None);
    };
    let Some(oi) = rules.rules[ri].option_index(option) else {
        return Ok(None);
    };
    let rel = discover::relative_to(file, &config.dir)
        .unwrap_or_else(|| file.to_string_lossy().into_owned());
    let settings = Settings::new(&config, &rules, &CliRules::default(), &[rel])?;
    Ok(settings.options(ri, 0).get(oi).cloned())
}

fn prepare_with(
    req: &Request,
    cwd: &Path,
    started: Instant,
    builtins: impl FnOnce() -> Result<(RuleSet, Catalog), Invocation>,
) -> Result<Prepared, Invocation> {
    let named = Named::of(req, cwd)?;
    let root = context_root(req, cwd, &named);
    // Every mistake of the config (and of what it names) is collected, so that one run shows
    // them all; only a config that cannot be read or parsed stops at once.
    let mut errors = Errors::default();
    let config = load_config(req, cwd, &root, &mut errors)?;
    let confined = confine_config_paths(&config, &root, &mut errors);
    let confined = confined.then_some(root.as_path());

    // The custom rules and the walk need only the config: they run while the built-in rules
    // are still compiling on their thread, which is joined after them.
    let (custom_rules, custom_errors) = read_custom_rules(req, cwd, &config, confined);
    errors.data(custom_errors);
    let walk_started = Instant::now();
    let jobs = req
        .jobs
        .or(config.file.jobs)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        // The command line and the config schema both stop at 1024; this keeps any other
        // caller of the library from spawning threads without end.
        .clamp(1, 1024);
    let discovery = discover_files(req, cwd, &root, &config, &named, jobs);
    let discovery_time = walk_started.elapsed();

    let (mut rules, mut catalog) = builtins()?;
    errors.data(rules.add_custom(custom_rules));
    errors.data(add_custom_catalogs(
        req,
        cwd,
        &config,
        confined,
        &mut catalog,
    ));
    // Set-up is what the run waited for besides the walk (config, rules, catalog).
    let setup_time = started.elapsed() - discovery_time;
    let prune_context = req.findings_only
        && !req.no_context
        && named.paths.iter().all(|p| !p.is_dir())
        && rules.relate_files_as_builtins()
        && discovery.files.iter().any(|f| !f.reported);
    let settings = settings(req, &config, &rules, &discovery).map_err(|e| errors.data(e));
    let baseline =
        load_baseline(req, cwd, &config, confined.is_some()).map_err(|e| errors.other(e));
    let (Ok(settings), Ok(baseline), true) = (settings, baseline, errors.is_empty()) else {
        return Err(errors.into());
    };

    let limits = Limits {
        max_file_size: req
            .max_file_size
            .or(config.file.max_file_size)
            .unwrap_or(crate::source::DEFAULT_MAX_FILE_SIZE)
            // The command line and the config schema refuse what is outside; this holds any
            // other caller of the library to the same range.
            .clamp(
                *crate::source::MAX_FILE_SIZE_RANGE.start(),
                *crate::source::MAX_FILE_SIZE_RANGE.end(),
            ),
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
        fail_on_empty: config.file.fail_on_empty,
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
        findings_everywhere: false,
        unsafe_fixes: req.unsafe_fixes,
        fix_marks_only: req.fix_marks_only,
    })
}

/// The paths the run is given, absolute.
struct Named {
    /// The named files and folders (the current folder when nothing is named).
    paths: Vec<PathBuf>,
    /// `--stdin-filename`.
    stdin: Option<PathBuf>,
    /// [`Request::unsaved`].
    unsaved: Vec<PathBuf>,
}

impl Named {
    /// Every named path must exist: the missing ones are the invocation error.
    fn of(req: &Request, cwd: &Path) -> Result<Named, Invocation> {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut missing = Vec::new();
        for p in &req.paths {
            let abs = absolute(cwd, p);
            if std::fs::symlink_metadata(&abs).is_err() {
                missing.push(format!("{}: no such file or folder", p.display()));
            }
            paths.push(abs);
        }
        if !missing.is_empty() {
            return Err(Invocation(missing));
        }
        let stdin = req.stdin.as_ref().map(|(p, _)| absolute(cwd, p));
        let unsaved: Vec<PathBuf> = req.unsaved.iter().map(|p| absolute(cwd, p)).collect();
        if paths.is_empty() && stdin.is_none() && unsaved.is_empty() {
            paths.push(cwd.to_path_buf());
        }
        Ok(Named {
            paths,
            stdin,
            unsaved,
        })
    }
}

/// The context root, from the first named path (its folder for a file), unless forced.
fn context_root(req: &Request, cwd: &Path, named: &Named) -> PathBuf {
    let first = named
        .stdin
        .clone()
        .or_else(|| named.unsaved.first().cloned())
        .or_else(|| named.paths.first().cloned())
        .unwrap_or_else(|| cwd.to_path_buf());
    let start = if first.is_dir() {
        first.clone()
    } else {
        first
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf())
    };
    match &req.root {
        Some(r) => absolute(cwd, r),
        None => discover::context_root(&start, &start),
    }
}

/// The invocation errors of a run, each once (a key the schema refuses is not reported again
/// by the settings that read it: `Config::refused`).
#[derive(Default)]
struct Errors {
    data: Vec<DataError>,
    other: Vec<String>,
}

impl Errors {
    fn data(&mut self, errors: impl IntoIterator<Item = DataError>) {
        for e in errors {
            let seen = self.data.iter().any(|d| {
                (&d.path, d.pos.offset, &d.message) == (&e.path, e.pos.offset, &e.message)
            });
            if !seen {
                self.data.push(e);
            }
        }
    }

    fn other(&mut self, message: String) {
        self.other.push(message);
    }

    /// The located errors in file order (the config's first), then the others.
    fn sorted(mut self) -> Errors {
        self.data
            .sort_by(|a, b| (&a.path, a.pos.offset).cmp(&(&b.path, b.pos.offset)));
        self
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty() && self.other.is_empty()
    }
}

impl From<Errors> for Invocation {
    fn from(e: Errors) -> Invocation {
        let e = e.sorted();
        let mut messages: Vec<String> = e.data.iter().map(|d| d.to_string()).collect();
        messages.extend(e.other);
        Invocation(messages)
    }
}

/// The config: none, the one given, or the one found at the context root; its schema errors
/// go to `errors` (a config that cannot be read or parsed is the only error then).
fn load_config(
    req: &Request,
    cwd: &Path,
    root: &Path,
    errors: &mut Errors,
) -> Result<Config, Invocation> {
    let path = if req.no_config {
        None
    } else if let Some(path) = &req.config {
        Some(absolute(cwd, path))
    } else {
        config_in(root)?
    };
    let Some(path) = path else {
        return Ok(Config::empty(root.to_path_buf()));
    };
    let (config, schema_errors) = Config::load(&path)?;
    errors.data(schema_errors);
    Ok(config)
}

/// Paths in a config file must stay inside the project: a config changed in a pull request must
/// not make the linter read files elsewhere on the CI machine (and quote them in errors).
/// False (with the errors) when one of them is outside: then none of the config's paths is
/// read.
fn confine_config_paths(config: &Config, root: &Path, all_errors: &mut Errors) -> bool {
    let Some(root) = std::fs::canonicalize(root).ok() else {
        return true;
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
    let confined = errors.is_empty();
    all_errors.data(errors);
    confined
}

/// Walks the context and the named folders, and adds the named files and standard input.
fn discover_files(
    req: &Request,
    cwd: &Path,
    root: &Path,
    config: &Config,
    named: &Named,
    jobs: usize,
) -> Discovery {
    let mut discovery = Discovery::default();
    let walker = Walker {
        cwd,
        root,
        exclude: &config.file.exclude,
        exclude_base: &config.dir,
        threads: jobs.max(1),
    };
    // A named folder that is the root itself is walked once, as named (the common
    // `bridgelint check .`): walking it also as context would list every file twice.
    if !req.no_context && !named.paths.iter().any(|p| p == root) {
        walker.walk(root, &mut discovery, false);
    }
    for p in &named.paths {
        if p.is_dir() {
            walker.walk(p, &mut discovery, true);
        } else {
            discovery.files.push(entry(p, cwd, root));
        }
    }
    for p in named.stdin.iter().chain(&named.unsaved) {
        discovery.files.push(entry(p, cwd, root));
    }
    discover::finish(&mut discovery);
    if req.no_context {
        // Only what was named, and what lies under named folders.
        discovery.files.retain(|f| f.reported);
    }
    discovery
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

/// The effective per-rule settings of every file (config overrides match paths relative to the
/// config's folder).
fn settings(
    req: &Request,
    config: &Config,
    rules: &RuleSet,
    discovery: &Discovery,
) -> Result<Settings, Vec<DataError>> {
    let rel_to_config: Vec<String> = discovery
        .files
        .iter()
        .map(|f| discover::relative_to(&f.abs, &config.dir).unwrap_or_else(|| f.rel.to_string()))
        .collect();
    let cli = CliRules {
        select: req.select.clone(),
        ignore: req.ignore.clone(),
    };
    Settings::new(config, rules, &cli, &rel_to_config)
}

/// The baseline given on the command line, else the config's (when its paths are `confined`
/// to the project).
fn load_baseline(
    req: &Request,
    cwd: &Path,
    config: &Config,
    confined: bool,
) -> Result<Option<Baseline>, String> {
    Ok(match &req.baseline {
        Some(p) => Some(Baseline::load(&absolute(cwd, p))?),
        None => match &config.file.baseline {
            Some(p) if !req.no_config && confined => Some(Baseline::load(&config.dir.join(p))?),
            _ => None,
        },
    })
}
