//! The sheet's findings column: the errors and warnings `check` reports on an account or on a
//! connection (its credential, rotation and inline account included), by rule. A finding
//! belongs to the record whose route starts its own (`/accounts/ID/…`, `/connections/ID/…`)
//! in the same file and document; they are indexed once, so the sheet stays linear.

use std::collections::HashMap;

use crate::finding::Severity;
use crate::model::{Model, Rec};
use crate::report::Report;

/// The rules of the reported, unsuppressed errors and warnings, by (file, record route).
#[derive(Default)]
pub(super) struct Findings {
    by_record: HashMap<(String, String), Vec<(Severity, String)>>,
}

impl Findings {
    pub fn new(report: &Report) -> Findings {
        let mut by_record: HashMap<(String, String), Vec<(Severity, String)>> = HashMap::new();
        for d in &report.diagnostics {
            if d.suppressed.is_some() || d.severity < Severity::Warning {
                continue;
            }
            if let Some(record) = record_route(&d.route) {
                by_record
                    .entry((d.rel.clone(), record.to_string()))
                    .or_default()
                    .push((d.severity, d.rule.clone()));
            }
        }
        Findings { by_record }
    }

    /// The rules of the findings on `acc` and `conn`, errors first, then by name, each once;
    /// and how many of them (the first ones) are errors.
    pub fn of(&self, model: &Model, recs: [Option<Rec>; 2]) -> (Vec<String>, usize) {
        let mut found: Vec<(Severity, &str)> = Vec::new();
        for rec in recs.into_iter().flatten() {
            let Some(file) = model.files.get(rec.file() as usize) else {
                continue;
            };
            let key = (file.rel.to_string(), model.route(rec.kind, rec.idx));
            for (severity, rule) in self.by_record.get(&key).into_iter().flatten() {
                found.push((*severity, rule));
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        let errors = found.iter().filter(|(s, _)| *s == Severity::Error).count();
        (
            found.into_iter().map(|(_, r)| r.to_string()).collect(),
            errors,
        )
    }
}

/// The route of the account or connection a finding's route lies in: its document prefix
/// and first two steps (`[1]/connections/jira` of `[1]/connections/jira/credential/secret`).
fn record_route(route: &str) -> Option<&str> {
    let start = route.find('/')?;
    let mut slashes = route[start..].match_indices('/').map(|(i, _)| start + i);
    let (_, second) = (slashes.next()?, slashes.next()?);
    let end = slashes.next().unwrap_or(route.len());
    let collection = &route[start + 1..second];
    matches!(collection, "accounts" | "connections").then(|| &route[..end])
}

#[cfg(test)]
mod tests {
    use super::record_route;

    #[test]
    fn a_route_belongs_to_its_account_or_connection() {
        let cases = [
            ("/accounts/jane/owner", Some("/accounts/jane")),
            ("/accounts/jane", Some("/accounts/jane")),
            (
                "[2]/connections/jira/credential/secret",
                Some("[2]/connections/jira"),
            ),
            ("/metadata/owner", None),
            ("/", None),
            ("/flows/0/sync", None),
        ];
        for (route, want) in cases {
            assert_eq!(record_route(route), want, "{route}");
        }
    }
}
