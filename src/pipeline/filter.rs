//! Filtering the run's findings: one per rule and anchored text (aliases), the per-path
//! settings and severities, the reporting scope, and the in-source suppressions (which finding
//! each one hides, and the findings about suppressions that are invalid, expired or unused).

use std::collections::{HashMap, HashSet};

use super::process::Intrinsic;
use super::run::Checks;
use super::suppress::Suppression;
use crate::config::Settings;
use crate::finding::Finding;
use crate::model::{date, Model};
use crate::rules::UNSUPPRESSIBLE;

/// One finding per rule and anchored text (an alias or merge repeats the same span).
pub(super) fn one_per_anchor(findings: &mut Vec<Finding>) {
    let mut seen: HashSet<(usize, u32, u32, u32)> = HashSet::new();
    for f in findings.iter().filter(|f| !f.loc.via_alias) {
        seen.insert((f.rule, f.loc.file, f.loc.start, f.loc.end));
    }
    findings
        .retain(|f| !f.loc.via_alias || seen.insert((f.rule, f.loc.file, f.loc.start, f.loc.end)));
}

/// Per-path settings (enabled, severity), then the reporting scope: a finding stays when it or
/// one of its related locations lies in a reported file (any file, with `everywhere`).
pub(super) fn settings_and_scope(
    findings: &mut Vec<Finding>,
    settings: &Settings,
    model: &Model,
    parse_error: usize,
    everywhere: bool,
) {
    findings.retain_mut(|f| {
        if !settings.enabled(f.rule, f.loc.file) {
            return false;
        }
        if f.rule != parse_error {
            f.severity = settings.severity(f.rule, f.loc.file);
        }
        let reported = |file: u32| model.files.get(file as usize).is_some_and(|i| i.reported);
        everywhere || reported(f.loc.file) || f.related.iter().any(|r| reported(r.loc.file))
    });
}

/// Applies the suppressions, and adds the findings about them after the others. Returns, for
/// every finding, the suppression that hides it.
pub(super) fn suppressions(
    findings: &mut Vec<Finding>,
    suppressions: &[Suppression],
    checks: &Checks,
    model: &Model,
    intrinsic: &Intrinsic,
) -> Vec<Option<usize>> {
    let (used, mut suppressed_by) = match_suppressions(findings, suppressions, checks, model);
    let mut extra = suppression_findings(suppressions, &used, checks, model, intrinsic);
    extra.retain(|f| checks.settings.enabled(f.rule, f.loc.file));
    suppressed_by.extend(std::iter::repeat_n(None, extra.len()));
    findings.extend(extra);
    suppressed_by
}

/// Which rules of each suppression were used, and which suppression hides each finding.
fn match_suppressions(
    findings: &[Finding],
    suppressions: &[Suppression],
    checks: &Checks,
    model: &Model,
) -> (Vec<Vec<bool>>, Vec<Option<usize>>) {
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len()])
        .collect();
    let mut suppressed_by: Vec<Option<usize>> = vec![None; findings.len()];
    // Indexed by (file, line, rule), the first suppression in file order that is in force: a
    // file may hold as many suppressions as findings, all on one line, and each finding then
    // costs one lookup (the first valid suppression naming its rule is the one that hides it).
    let mut by_line: HashMap<(u32, u32, &str), usize> = HashMap::new();
    for (si, s) in suppressions.iter().enumerate() {
        if s.problem.is_some() || s.until.is_some_and(|u| u < checks.today) {
            continue;
        }
        for r in &s.rules {
            by_line
                .entry((s.loc.file, s.line, r.as_str()))
                .or_insert(si);
        }
    }
    for (fi, f) in findings.iter().enumerate() {
        let name = &checks.rules.rules[f.rule].name;
        if UNSUPPRESSIBLE.contains(&name.as_str()) {
            continue;
        }
        let line = model
            .files
            .get(f.loc.file as usize)
            .map_or(1, |i| i.line_col(f.loc.start).0);
        if let Some(&si) = by_line.get(&(f.loc.file, line, name.as_str())) {
            if let Some(ri) = suppressions[si].rules.iter().position(|r| r == name) {
                used[si][ri] = true;
                suppressed_by[fi] = Some(si);
            }
        }
    }
    (used, suppressed_by)
}

/// The findings about the suppressions of reported files: invalid, expired, or naming a rule
/// that suppressed nothing.
fn suppression_findings(
    suppressions: &[Suppression],
    used: &[Vec<bool>],
    checks: &Checks,
    model: &Model,
    intrinsic: &Intrinsic,
) -> Vec<Finding> {
    let (rules, settings, today) = (checks.rules, checks.settings, checks.today);
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
            // The comment's text and where it is in the tree, never its line: a baseline
            // entry survives lines inserted above the comment.
            f.route = format!("#suppression{}", s.anchor);
            f.subject = s.text.to_string();
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
                let fix = unused_fix(s, &unused);
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
                if let Some(f) = extra.last_mut() {
                    f.fix = Some(fix);
                }
            }
        }
    }
    extra
}

/// The fix of an unused suppression: remove the comment, or only the names that suppressed
/// nothing from it.
fn unused_fix(s: &Suppression, unused: &[String]) -> crate::finding::PlannedFix {
    use crate::finding::{Applicability, FixPlan, PlannedFix};
    let kept: Vec<&String> = s.rules.iter().filter(|r| !unused.contains(r)).collect();
    let plan = if kept.is_empty() {
        FixPlan::RemoveComment { comment: s.loc }
    } else {
        let names = kept
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let body = match (s.text.find('['), s.text.find(']')) {
            (Some(a), Some(b)) if a < b => format!("{}[{names}]{}", &s.text[..a], &s.text[b + 1..]),
            _ => s.text.to_string(),
        };
        FixPlan::RewriteComment {
            comment: s.loc,
            body,
        }
    };
    let message = match kept.is_empty() {
        true => "remove the comment".to_string(),
        false => format!("remove {} from the comment", list(unused)),
    };
    PlannedFix {
        plan,
        applicability: Applicability::Safe,
        message,
    }
}

fn list(rules: &[String]) -> String {
    rules
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
