//! Building the report from the filtered findings: positions (line and column from byte
//! offsets), related locations, the total order, the baseline, the summary's counts, each
//! file's source for excerpts, and the rules' metadata.

use std::cmp::Ordering;
use std::path::Path;

use super::baseline::{self, Baseline};
use super::discover::{self, FileEntry};
use super::load::input_for;
use super::process::Input;
use super::redact::{escape_controls, mask_message};
use super::run::Checks;
use super::suppress::Suppression;
use crate::finding::{fingerprint, Applicability, Finding, Severity};
use crate::model::Model;
use crate::report::{
    Deferred, DiagEdit, DiagFix, Diagnostic, RelatedDiag, Report, RuleMeta, SourceRef, Summary,
};
use crate::rules::docs::{self, summary_with};
use crate::rules::engine::RuleSettings;
use crate::rules::eval::OptVal;
use crate::rules::Rule;
use crate::source::Pos;

// Each argument is one input of the report's rows; grouping them would only rename them.
#[allow(clippy::too_many_arguments)]
/// The findings as diagnostics, in the total order: path, line, column, rule, end, message.
/// `suppressed_by` holds each finding's suppression.
pub(super) fn diagnostics(
    findings: &[Finding],
    suppressed_by: &[Option<usize>],
    suppressions: &[Suppression],
    model: &Model,
    files: &[FileEntry],
    checks: &Checks,
    repo_root: &Path,
    (fixes, unsafe_fixes): (Vec<Option<super::fixes::ResolvedFix>>, bool),
) -> Vec<Diagnostic> {
    let (rules, settings) = (checks.rules, checks.settings);
    // Every message passes the redactor once more: it may quote a key, a tag, an alias name or
    // a decoded value that the file's redaction ranges do not cover as written.
    let patterns: Vec<&crate::rules::pattern::Pattern> =
        rules.rules.iter().flat_map(|r| r.patterns.iter()).collect();
    let shown =
        |message: &str| escape_keeping_breaks(&mask_message(message, patterns.iter().copied()));
    let pos_of = |file: u32, offset: u32| -> Pos {
        let (line, column) = model.files[file as usize].line_col(offset);
        Pos::new(line, column, offset)
    };
    let mut diags: Vec<(Diagnostic, Option<usize>)> = findings
        .iter()
        .zip(suppressed_by)
        .zip(fixes)
        .map(|((f, sup), fix)| {
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
                message: shown(&f.message),
                path: info.display.to_string(),
                rel: info.rel.to_string(),
                repo_path: repo_path(&files[f.loc.file as usize].abs, repo_root),
                start,
                end,
                help: help_line_for(rule, settings.options(f.rule, f.loc.file)),
                related: f
                    .related
                    .iter()
                    .map(|r| RelatedDiag {
                        path: model.files[r.loc.file as usize].display.to_string(),
                        repo_path: repo_path(&files[r.loc.file as usize].abs, repo_root),
                        file: r.loc.file as usize,
                        start: pos_of(r.loc.file, r.loc.start),
                        end: pos_of(r.loc.file, r.loc.end),
                        message: shown(&r.message),
                    })
                    .collect(),
                fingerprint: fingerprint(&rule.name, &info.rel, &f.route, &f.subject),
                route: f.route.clone(),
                suppressed: sup.map(|s| shown(&suppressions[s].reason)),
                file: f.loc.file as usize,
                fix: fix.map(|x| {
                    let mut df = diag_fix(x, |o| pos_of(f.loc.file, o), unsafe_fixes);
                    df.message = shown(&df.message);
                    df
                }),
            };
            (d, *sup)
        })
        .collect();
    diags.sort_by(|(a, _), (b, _)| order(a, b));
    diags.into_iter().map(|(d, _)| d).collect()
}

/// A finding's fix with positions; `applicable` when `--fix` applies it with this run's
/// options (`[*]`).
fn diag_fix(
    fix: super::fixes::ResolvedFix,
    pos_of: impl Fn(u32) -> Pos,
    unsafe_fixes: bool,
) -> DiagFix {
    DiagFix {
        applicability: fix.applicability,
        applicable: fix.applicability == Applicability::Safe || unsafe_fixes,
        message: fix.message,
        edits: fix
            .edits
            .into_iter()
            .map(|e| DiagEdit {
                start: pos_of(e.start),
                end: pos_of(e.end),
                content: e.content,
            })
            .collect(),
    }
}

/// A message with its control characters escaped, except line breaks (`\n`, `\r\n`, a lone
/// `\r`), which stay as `\n`: each format shows a break its own way (human output as an
/// indented break, compact as a space, the JSON formats escaped, GitHub as `%0A`).
fn escape_keeping_breaks(message: &str) -> String {
    message
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The total order of diagnostics.
fn order(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    a.rel
        .as_bytes()
        .cmp(b.rel.as_bytes())
        .then(a.start.line.cmp(&b.start.line))
        .then(a.start.column.cmp(&b.start.column))
        .then(a.rule.cmp(&b.rule))
        .then(a.end.line.cmp(&b.end.line))
        .then(a.end.column.cmp(&b.end.column))
        .then(a.message.cmp(&b.message))
}

/// A path relative to the repository root (SARIF, GitLab), else as it is.
fn repo_path(abs: &Path, repo_root: &Path) -> String {
    discover::relative_to(abs, repo_root)
        .unwrap_or_else(|| abs.to_string_lossy().replace('\\', "/"))
}

/// A rule's help line with its options' default values.
pub fn help_line(rule: &Rule) -> String {
    let defaults: Vec<OptVal> = rule.options.iter().map(|o| o.default.clone()).collect();
    help_line_for(rule, &defaults)
}

/// A rule's help line, naming the option values of the finding's file. A custom rule's names
/// its folder (`--rules DIR`): `explain` then finds it from any folder, not only from one whose
/// config loads it (issue 19).
fn help_line_for(rule: &Rule, options: &[OptVal]) -> String {
    let rules_dir = match rule.builtin {
        true => String::new(),
        false => custom_rules_dir(&rule.origin)
            .map(|d| format!(" --rules {d}"))
            .unwrap_or_default(),
    };
    format!(
        "{} See `bridgelint explain {}{rules_dir}`.",
        summary_with(rule, |i| options.get(i)),
        rule.name
    )
}

/// The folder of a custom rule file, relative to the current folder when under it; quoted
/// when it holds characters a shell would split or expand.
fn custom_rules_dir(origin: &str) -> Option<String> {
    let dir = Path::new(origin).parent()?;
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| dir.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| dir.to_path_buf());
    let shown = shown.to_string_lossy().replace('\\', "/");
    let shown = if shown.is_empty() {
        ".".to_string()
    } else {
        shown
    };
    let plain = shown
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c));
    Some(match plain {
        true => shown,
        false => format!("'{}'", shown.replace('\'', "'\\''")),
    })
}

/// Baseline: each entry hides one finding. Returns the entries of every unsuppressed finding
/// (`--write-baseline`).
pub(super) fn apply_baseline(
    diagnostics: &mut Vec<Diagnostic>,
    mut baseline: Option<&mut Baseline>,
    summary: &mut Summary,
) -> Vec<baseline::Entry> {
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
    summary.baseline_unmatched = baseline.as_deref().map_or(0, Baseline::unmatched);
    baseline_entries
}

/// Counts the diagnostics by severity, and the suppressed ones.
pub(super) fn count(summary: &mut Summary, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
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
}

/// The report, with what its formats read besides the diagnostics: how excerpts find each
/// file's text, and the rules' metadata.
pub(super) fn report(
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
    model: &Model,
    files: &[FileEntry],
    stdin: super::load::Buffers,
    checks: &Checks,
    verbose: Vec<String>,
) -> Report {
    let (rules, settings) = (checks.rules, checks.settings);
    // How excerpts find each file's text: built once here, from the model's file records, rather
    // than kept beside them from the merge on.
    let sources = model
        .files
        .iter()
        .zip(files)
        .map(|(info, f)| SourceRef {
            abs: (!matches!(input_for(stdin, f), Input::Buffer(_))).then(|| f.abs.clone()),
            text: info.text.clone(),
            redactions: info.redactions.clone(),
            digest: info.digest,
        })
        .collect();
    Report {
        diagnostics,
        summary,
        sources,
        rules: rules
            .rules
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                // Named option values as the run has them (docs/decisions.md 27).
                let summary = summary_with(r, |i| settings.option_everywhere(ri, i));
                // Written only if a format reads them (SARIF, the language server's hover).
                let [help, help_markdown] = docs::deferred(r, &summary);
                RuleMeta {
                    name: r.name.clone(),
                    severity: r.severity,
                    category: r.category.clone(),
                    builtin: r.builtin,
                    help: Deferred::new(help),
                    help_markdown: Deferred::new(help_markdown),
                    summary,
                }
            })
            .collect(),
        verbose,
    }
}
