//! Diagnostics: which project run an open document belongs to (its innermost workspace
//! folder, else `check FILE`), the run itself (`pipeline::prepare` + `pipeline::run`, the open
//! documents as buffers replacing their files), and a finding as an LSP diagnostic in the
//! negotiated encoding.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString,
};

use super::documents::{path_to_uri, range, Encoding};
use crate::finding::Severity;
use crate::pipeline::discover::normalize;
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

/// The findings of one run, by the absolute path of their file, and what hover and
/// completion read of the project.
pub struct Run {
    pub by_path: BTreeMap<PathBuf, Vec<Diagnostic>>,
    pub project: Project,
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

/// Runs `check` on a scope with the open documents as buffers. An open document whose file
/// does not exist yet joins the project as `--stdin-filename` makes a file join it (the
/// first such document: the request takes one).
pub fn run(
    scope: &Scope,
    buffers: &[(PathBuf, Vec<u8>)],
    now: Option<i32>,
    builtins: &(crate::rules::RuleSet, crate::catalog::Catalog),
) -> Result<Run, Invocation> {
    let (cwd, path) = scope.cwd_and_path();
    let unsaved = buffers.iter().find(|(p, _)| !p.exists()).cloned();
    let paths = match (scope, &unsaved) {
        (Scope::File(_), Some(_)) => Vec::new(),
        _ => vec![path],
    };
    let req = Request {
        paths,
        stdin: unsaved,
        now,
        findings_only: true,
        ..Request::default()
    };
    let prep = pipeline::prepare_from_builtins(&req, &cwd, builtins)?;
    let files: Vec<PathBuf> = prep
        .discovery
        .files
        .iter()
        .map(|f| f.abs.to_path_buf())
        .collect();
    let catalog = prep.catalog.clone();
    let patterns = prep
        .rules
        .rules
        .iter()
        .flat_map(|r| r.patterns.iter().cloned())
        .collect();
    let outcome = pipeline::run(prep, buffers, false);
    let mut by_path: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in report::visible(&outcome.report) {
        by_path
            .entry(normalize(&cwd.join(&d.path)))
            .or_default()
            .push(d.clone());
    }
    let rules = outcome
        .report
        .rules
        .iter()
        .map(|r| (r.name.clone(), r.clone()))
        .collect();
    Ok(Run {
        by_path,
        project: Project {
            cwd,
            files,
            catalog,
            patterns,
            rules,
        },
    })
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
        self.runs.retain(|s, _| scopes.contains_key(s));
        for (scope, keys) in scopes {
            self.refresh_scope(&scope, &keys);
        }
    }

    fn refresh_scope(&mut self, scope: &Scope, keys: &[String]) {
        let run = self
            .builtins()
            .and_then(|b| run(scope, &self.buffers(scope, None), self.now, b));
        let run = match run {
            Ok(run) => run,
            Err(inv) => {
                // The other documents' last findings stay until the project loads again.
                let msg = format!("the project cannot be checked: {}", inv.0.join("; "));
                self.log(lsp_types::MessageType::WARNING, &msg);
                self.publish_invocation(keys, &inv);
                return;
            }
        };
        for key in keys {
            let doc = &self.docs[key];
            let found = run.by_path.get(&doc.path).cloned().unwrap_or_default();
            let text_of = |p: &Path| self.text_of(p);
            let lsp: Vec<lsp_types::Diagnostic> = found
                .iter()
                .map(|d| to_lsp(d, &doc.text, self.enc, &run.project.cwd, &text_of))
                .collect();
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.findings.insert(key.clone(), found);
            if self.published.get(key) != Some(&lsp) {
                self.published.insert(key.clone(), lsp.clone());
                self.publish(uri, lsp, Some(version));
            }
        }
        self.runs.insert(scope.clone(), run.project);
    }

    /// The built-in rules and catalog, loaded at the first run and kept.
    pub fn builtins(
        &self,
    ) -> Result<&(crate::rules::RuleSet, crate::catalog::Catalog), Invocation> {
        if let Some(b) = self.builtins.get() {
            return Ok(b);
        }
        let loaded = pipeline::builtins()?;
        Ok(self.builtins.get_or_init(|| loaded))
    }

    /// An invocation error located in an open document (an invalid config, a custom rule or
    /// catalog file) as an error diagnostic on it.
    fn publish_invocation(&mut self, keys: &[String], inv: &Invocation) {
        for key in keys {
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
            if lsp.is_empty() {
                continue;
            }
            let (uri, version) = (doc.uri.clone(), doc.version);
            if self.published.get(key) != Some(&lsp) {
                self.published.insert(key.clone(), lsp.clone());
                self.publish(uri, lsp, Some(version));
            }
        }
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
