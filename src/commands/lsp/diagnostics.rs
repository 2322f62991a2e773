//! Diagnostics: which project run an open document belongs to (its innermost workspace
//! folder, else `check FILE`), the run itself (`pipeline::prepare` + `pipeline::run`, the open
//! documents as buffers replacing their files), and a finding as an LSP diagnostic in the
//! negotiated encoding.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString,
};

use super::documents::{path_to_uri, range, Encoding};
use crate::finding::Severity;
use crate::pipeline::discover::normalize;
use crate::pipeline::session::Session;
use crate::pipeline::{self, Invocation, Request};
use crate::report::{self, Diagnostic};

/// Rules whose findings mark text that can go (`DiagnosticTag::UNNECESSARY`).
const UNNECESSARY: [&str; 3] = ["unused-permission", "redundant-grant", "unused-suppression"];

/// What a run is for: a workspace folder (every open document under it), or one loose file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Folder(PathBuf),
    File(PathBuf),
}

impl Scope {
    /// The innermost workspace folder holding `path`, else the file alone.
    pub fn of(folders: &[PathBuf], path: &Path) -> Scope {
        folders
            .iter()
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.components().count())
            .map_or_else(
                || Scope::File(path.to_path_buf()),
                |f| Scope::Folder(f.clone()),
            )
    }

    /// The folder the run starts from (its current folder) and the path it names.
    fn cwd_and_path(&self) -> (PathBuf, PathBuf) {
        match self {
            Scope::Folder(f) => (f.clone(), f.clone()),
            Scope::File(p) => (
                p.parent()
                    .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
                p.clone(),
            ),
        }
    }
}

/// The findings of one run, by the absolute path of their file.
pub struct Run {
    pub by_path: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

/// What the last run of a scope knew: its folder, its files, its catalog, its rules'
/// credential patterns (hover masks what they match) and the rules' documentation.
pub struct Project {
    pub cwd: PathBuf,
    pub files: Vec<PathBuf>,
    pub catalog: crate::catalog::Catalog,
    pub patterns: Vec<crate::rules::pattern::Pattern>,
    pub rules: BTreeMap<String, report::RuleMeta>,
}

impl Project {
    fn of(prep: &pipeline::Prepared) -> Project {
        Project {
            cwd: prep.cwd.clone(),
            files: prep
                .discovery
                .files
                .iter()
                .map(|f| f.abs.to_path_buf())
                .collect(),
            catalog: prep.catalog.clone(),
            patterns: prep
                .rules
                .rules
                .iter()
                .flat_map(|r| r.patterns.iter().cloned())
                .collect(),
            rules: BTreeMap::new(),
        }
    }
}

/// What must be prepared again before the next run of a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reload {
    /// Files were created or deleted: walk again, keep every file's parsed result.
    Walk,
    /// The config, a custom rule, a catalog or the baseline changed: prepare and parse anew.
    Setup,
}

/// A scope's project kept between changes (ARCHITECTURE.md, "The language server").
#[derive(Default)]
pub struct ScopeState {
    /// `None` until the project could be prepared once.
    session: Option<Session>,
    /// The unsaved new documents the session was prepared with.
    unsaved: Vec<PathBuf>,
    pending: Option<Reload>,
    /// Why the last prepare failed: the session keeps the last set-up that loaded.
    error: Option<Invocation>,
}

impl ScopeState {
    /// Asks for a new `prepare` before the next run.
    pub fn reload(&mut self, why: Reload) {
        self.pending = self.pending.max(Some(why));
    }

    /// Takes in a changed file: a new set-up, a new walk, or only that file parsed again.
    pub fn file_changed(&mut self, path: &Path, kind: lsp_types::FileChangeType) {
        let Some(session) = &mut self.session else {
            return;
        };
        if session.is_setup(path) {
            self.reload(Reload::Setup);
        } else if kind == lsp_types::FileChangeType::CHANGED {
            session.forget(path);
        } else {
            session.forget(path);
            self.reload(Reload::Walk);
        }
    }

    /// Whether `path` is among the files the scope's walk listed.
    fn lists(&self, path: &Path) -> bool {
        self.session.as_ref().is_some_and(|s| s.lists(path))
    }
}

/// Prepares a scope's project: its folder (or file), with the unsaved new documents joining it.
fn prepare(
    scope: &Scope,
    unsaved: &[PathBuf],
    now: Option<i32>,
    builtins: &(crate::rules::RuleSet, crate::catalog::Catalog),
) -> Result<pipeline::Prepared, Invocation> {
    let (cwd, path) = scope.cwd_and_path();
    let paths = match scope {
        Scope::File(p) if unsaved.contains(p) => Vec::new(),
        _ => vec![path],
    };
    let req = Request {
        paths,
        unsaved: unsaved.to_vec(),
        now,
        findings_only: true,
        ..Request::default()
    };
    pipeline::prepare_from_builtins(&req, &cwd, builtins)
}

/// A run's findings by the absolute path of their file.
fn findings_by_path(cwd: &Path, report: &report::Report) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut by_path: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in report::visible(report) {
        by_path
            .entry(normalize(&cwd.join(&d.path)))
            .or_default()
            .push(d.clone());
    }
    by_path
}

/// The text of a file: an open document's, else what is on disk.
pub type TextOf<'a> = dyn Fn(&Path) -> Option<(lsp_types::Uri, String)> + 'a;

/// A finding as an LSP diagnostic on `text` (its document's).
pub fn to_lsp(
    d: &Diagnostic,
    text: &str,
    enc: Encoding,
    cwd: &Path,
    text_of: &TextOf<'_>,
) -> lsp_types::Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let abs = normalize(&cwd.join(&r.path));
            let (uri, other) = text_of(&abs)?;
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri,
                    range: range(&other, r.start.offset as usize, r.end.offset as usize, enc),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(text, d.start.offset as usize, d.end.offset as usize, enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.rule.clone())),
        code_description: None,
        source: Some("bridgelint".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: UNNECESSARY
            .contains(&d.rule.as_str())
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "fingerprint": d.fingerprint })),
    }
}

/// The text of a file not open in the editor, with its URI.
pub fn disk_text(path: &Path) -> Option<(lsp_types::Uri, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    Some((path_to_uri(path)?, text))
}

impl super::Server {
    /// Re-runs every scope that has an open document and publishes the diagnostics of each open
    /// document whose diagnostics changed.
    pub fn refresh(&mut self) {
        let mut scopes: BTreeMap<Scope, Vec<String>> = BTreeMap::new();
        for (key, doc) in &self.docs {
            scopes
                .entry(Scope::of(&self.folders, &doc.path))
                .or_default()
                .push(key.clone());
        }
        // A workspace folder keeps its project when its last document closes (the next one
        // opened finds it loaded); a loose file's goes with it.
        let keep = |s: &Scope| scopes.contains_key(s) || matches!(s, Scope::Folder(_));
        self.runs.retain(|s, _| keep(s));
        self.scopes.retain(|s, _| keep(s));
        for (scope, keys) in scopes {
            self.refresh_scope(&scope, &keys);
        }
    }

    fn refresh_scope(&mut self, scope: &Scope, keys: &[String]) {
        let mut run = match self.run_scope(scope, None) {
            Ok(run) => run,
            Err(inv) => {
                self.publish_invocation(keys, &inv);
                return;
            }
        };
        let error = self.scopes.get(scope).and_then(|s| s.error.as_ref());
        let failed: Vec<String> = keys
            .iter()
            .filter(|k| error.is_some_and(|e| self.invocation_diagnostics(k, e).is_some()))
            .cloned()
            .collect();
        let cwd = scope.cwd_and_path().0;
        // The file of a related location is read once a refresh, however many findings of how
        // many documents point into it (a closed inventory is read from disk).
        let texts: RefCell<BTreeMap<PathBuf, Option<(lsp_types::Uri, String)>>> =
            RefCell::default();
        for key in keys.iter().filter(|k| !failed.contains(k)) {
            let doc = &self.docs[key];
            let found = run.by_path.remove(&doc.path).unwrap_or_default();
            let text_of = |p: &Path| {
                let mut texts = texts.borrow_mut();
                texts
                    .entry(p.to_path_buf())
                    .or_insert_with(|| self.text_of(p))
                    .clone()
            };
            let lsp: Vec<lsp_types::Diagnostic> = found
                .iter()
                .map(|d| to_lsp(d, &doc.text, self.enc, &cwd, &text_of))
                .collect();
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.findings.insert(key.clone(), found);
            self.publish_if_changed(key, uri, lsp, version);
        }
        if let Some(inv) = self.scopes.get(scope).and_then(|s| s.error.as_ref()) {
            let inv = Invocation(inv.0.clone());
            self.publish_invocation(&failed, &inv);
        }
    }

    /// Runs a scope on its open documents (`replace` gives one of them another text: the
    /// rounds of fix-all), preparing it first when it has no project yet or something it reads
    /// changed. When a new set-up fails to load, the last one that loaded goes on being used,
    /// and the error is kept for the documents it is located in.
    pub fn run_scope(
        &mut self,
        scope: &Scope,
        replace: Option<(&Path, &str)>,
    ) -> Result<Run, Invocation> {
        let buffers = self.buffers(scope, replace);
        let mut unsaved: Vec<PathBuf> = buffers
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| !p.exists())
            .collect();
        unsaved.sort();
        let now = self.now;
        let today = now.unwrap_or_else(crate::model::date::today_utc);
        let builtins = builtins_in(&self.builtins)?;
        let state = self.scopes.entry(scope.clone()).or_default();
        let mut warning = None;
        if state.session.is_none() || state.pending.is_some() || state.unsaved != unsaved {
            let same_setup = state.pending != Some(Reload::Setup);
            state.pending = None;
            match prepare(scope, &unsaved, now, builtins) {
                Ok(prep) => {
                    self.runs.insert(scope.clone(), Project::of(&prep));
                    match &mut state.session {
                        Some(s) => s.replace(prep, same_setup),
                        None => state.session = Some(Session::new(prep)),
                    }
                    state.unsaved = unsaved;
                    state.error = None;
                }
                Err(inv) => {
                    warning = Some(format!(
                        "the project cannot be checked: {}",
                        inv.0.join("; ")
                    ));
                    if state.session.is_none() {
                        self.log(
                            lsp_types::MessageType::WARNING,
                            warning.as_deref().unwrap_or(""),
                        );
                        return Err(inv);
                    }
                    state.error = Some(inv);
                }
            }
        }
        if let Some(w) = warning {
            self.log(lsp_types::MessageType::WARNING, &w);
        }
        let state = self.scopes.get_mut(scope).expect("prepared above");
        let session = state.session.as_mut().expect("prepared above");
        session.verify_disk = !self.watch_files;
        let outcome = session.run(&buffers, today);
        let cwd = session.prepared().cwd.clone();
        let listed = session.prepared().discovery.files.len();
        let line = format!(
            "checked {}: {} of {listed} files parsed, {} linted",
            cwd.display(),
            session.last_parsed,
            session.last_linted
        );
        if self.verbose {
            self.log(lsp_types::MessageType::LOG, &line);
        }
        if let Some(project) = self.runs.get_mut(scope) {
            project.rules = outcome
                .report
                .rules
                .iter()
                .map(|r| (r.name.clone(), r.clone()))
                .collect();
        }
        Ok(Run {
            by_path: findings_by_path(&cwd, &outcome.report),
        })
    }

    /// Takes in files changed on disk (watched files, saves) for every scope that lists them.
    pub fn files_changed(&mut self, changes: &[(PathBuf, lsp_types::FileChangeType)]) {
        for state in self.scopes.values_mut() {
            for (path, kind) in changes {
                state.file_changed(path, *kind);
            }
        }
    }

    /// An opened document that its scope's walk did not list (a file created while no watcher
    /// reported it) makes the scope walk again. (An edit of a set-up file reloads nothing until
    /// it is saved: set-up files are read from disk, as `check` reads them.)
    pub fn document_opened(&mut self, path: &Path) {
        let scope = Scope::of(&self.folders, path);
        if let Some(state) = self.scopes.get_mut(&scope) {
            if path.exists() && !state.lists(path) {
                state.reload(Reload::Walk);
            }
        }
    }

    /// A rule option's value for a file of a scope's kept project (see
    /// [`Session::rule_option`]).
    pub fn rule_option(
        &self,
        file: &Path,
        rule: &str,
        option: &str,
    ) -> Option<crate::rules::eval::OptVal> {
        let scope = Scope::of(&self.folders, file);
        let session = self.scopes.get(&scope)?.session.as_ref()?;
        session.rule_option(file, rule, option)
    }

    fn publish_if_changed(
        &mut self,
        key: &str,
        uri: lsp_types::Uri,
        lsp: Vec<lsp_types::Diagnostic>,
        version: i32,
    ) {
        if self.published.get(key) != Some(&lsp) {
            self.published.insert(key.to_string(), lsp.clone());
            self.publish(uri, lsp, Some(version));
        }
    }

    /// The built-in rules and catalog, loaded at the first run and kept.
    pub fn builtins(&self) -> Result<&Builtins, Invocation> {
        builtins_in(&self.builtins)
    }

    /// An invocation error located in an open document (an invalid config, a custom rule or
    /// catalog file) as an error diagnostic on it.
    fn publish_invocation(&mut self, keys: &[String], inv: &Invocation) {
        for key in keys {
            let Some(lsp) = self.invocation_diagnostics(key, inv) else {
                continue;
            };
            let doc = &self.docs[key];
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.publish_if_changed(key, uri, lsp, version);
        }
    }

    /// The errors of `inv` located in an open document, as diagnostics; `None` when none is.
    fn invocation_diagnostics(
        &self,
        key: &str,
        inv: &Invocation,
    ) -> Option<Vec<lsp_types::Diagnostic>> {
        let doc = &self.docs[key];
        let lsp: Vec<lsp_types::Diagnostic> = inv
            .0
            .iter()
            .filter_map(|m| located(m, &doc.path))
            .map(|(line, column, message)| {
                let utf32 = lsp_types::Position::new(line, column);
                let at = super::documents::offset(&doc.text, utf32, Encoding::Utf32);
                let pos = super::documents::position(&doc.text, at, self.enc);
                lsp_types::Diagnostic {
                    range: lsp_types::Range::new(pos, pos),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("bridgelint".to_string()),
                    message,
                    ..lsp_types::Diagnostic::default()
                }
            })
            .collect();
        (!lsp.is_empty()).then_some(lsp)
    }

    /// The open documents under a scope, as buffers replacing their files; `replace` gives one
    /// of them another text (the rounds of fix-all).
    pub fn buffers(
        &self,
        scope: &Scope,
        replace: Option<(&Path, &str)>,
    ) -> Vec<(PathBuf, Vec<u8>)> {
        self.docs
            .values()
            .filter(|d| match scope {
                Scope::Folder(f) => d.path.starts_with(f),
                Scope::File(p) => &d.path == p,
            })
            .map(|d| {
                let text = match replace {
                    Some((p, t)) if p == d.path => t,
                    _ => &d.text,
                };
                (d.path.clone(), text.as_bytes().to_vec())
            })
            .collect()
    }

    /// The URI and text of a file: an open document's, else the file's on disk.
    pub fn text_of(&self, path: &Path) -> Option<(lsp_types::Uri, String)> {
        match self.docs.values().find(|d| d.path == path) {
            Some(d) => Some((d.uri.clone(), d.text.clone())),
            None => disk_text(path),
        }
    }

    pub fn publish(
        &mut self,
        uri: lsp_types::Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify("textDocument/publishDiagnostics", params);
    }
}

/// The built-in rules and catalog.
pub type Builtins = (crate::rules::RuleSet, crate::catalog::Catalog);

/// The built-in rules and catalog held in `cell`, loaded at the first call.
fn builtins_in(cell: &std::sync::OnceLock<Builtins>) -> Result<&Builtins, Invocation> {
    if let Some(b) = cell.get() {
        return Ok(b);
    }
    let loaded = pipeline::builtins()?;
    Ok(cell.get_or_init(|| loaded))
}

/// `PATH:LINE:COLUMN: message` (an invocation error's first line) when PATH is `path`: the
/// 0-based line and column (code points) and the message.
fn located(message: &str, path: &Path) -> Option<(u32, u32, String)> {
    let first = message.lines().next()?;
    let prefix = format!("{}:", path.display());
    let rest = first.strip_prefix(&prefix)?;
    let mut parts = rest.splitn(3, ':');
    let line: u32 = parts.next()?.parse().ok()?;
    let column: u32 = parts.next()?.parse().ok()?;
    let text = parts.next()?.trim().to_string();
    Some((line.saturating_sub(1), column.saturating_sub(1), text))
}
