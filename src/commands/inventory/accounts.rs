//! The sheet by account (the `html` and `markdown` formats): one entry per account with its
//! facts once, and the connections that use it listed inside it. Built from the rows, which
//! hold one account and connection each: an account's rows share their `group`.

use super::{Row, Status};

/// One connection of an account: where it is used, with what credential, in what environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    pub integration: Option<String>,
    pub connection: Option<String>,
    pub credential_type: Option<String>,
    pub environment: Option<String>,
    pub status: Status,
}

impl Use {
    /// `integration/connection`, `-` for a missing part.
    pub fn name(&self) -> String {
        format!(
            "{}/{}",
            self.integration.as_deref().unwrap_or("-"),
            self.connection.as_deref().unwrap_or("-")
        )
    }

    /// `credential type, environment`, the parts that are known; and its status when it is
    /// not `ok` and `among` other connections (the row's status is then not only its own).
    pub fn detail(&self, among: bool) -> String {
        let status = (among && self.status != Status::Ok).then(|| self.status.name());
        [
            self.credential_type.as_deref(),
            self.environment.as_deref(),
            status,
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// One account of the sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The worst status of its rows.
    pub status: Status,
    pub account: Option<String>,
    pub system: Option<String>,
    pub account_type: Option<String>,
    pub username: Option<String>,
    pub owner: Option<String>,
    pub purpose: Option<String>,
    /// The earliest next rotation and expiry over its connections.
    pub next_rotation_due: Option<i32>,
    pub expires: Option<i32>,
    pub reviewed: Option<i32>,
    pub tested: Option<i32>,
    /// The rules of every row's findings, errors first, each once.
    pub findings: Vec<String>,
    /// How many of `findings` (the first ones) are errors.
    pub errors: usize,
    /// Its connections, in row order (none for an account that no connection uses).
    pub uses: Vec<Use>,
}

/// The accounts of `rows`, in the order of their first row.
pub fn accounts(rows: &[Row]) -> Vec<Account> {
    let mut out: Vec<Account> = Vec::new();
    let mut at: Vec<Option<usize>> = Vec::new();
    for r in rows {
        if at.len() <= r.group {
            at.resize(r.group + 1, None);
        }
        let i = *at[r.group].get_or_insert_with(|| {
            out.push(first(r));
            out.len() - 1
        });
        add(&mut out[i], r);
    }
    for a in &mut out {
        let (errors, warnings) = a.findings.split_at(a.errors);
        let mut errors = errors.to_vec();
        errors.sort();
        errors.dedup();
        let mut warnings: Vec<String> = warnings
            .iter()
            .filter(|w| !errors.contains(w))
            .cloned()
            .collect();
        warnings.sort();
        warnings.dedup();
        a.errors = errors.len();
        a.findings = errors.into_iter().chain(warnings).collect();
    }
    out
}

/// The account's own facts, from its first row.
fn first(r: &Row) -> Account {
    Account {
        status: r.status,
        account: r.account.clone(),
        system: r.system.clone(),
        account_type: r.account_type.clone(),
        username: r.username.clone(),
        owner: r.owner.clone(),
        purpose: r.purpose.clone(),
        next_rotation_due: None,
        expires: None,
        reviewed: r.reviewed,
        tested: r.tested,
        findings: Vec::new(),
        errors: 0,
        uses: Vec::new(),
    }
}

/// Adds a row's connection, dates and findings (kept as errors, then warnings, unsorted until
/// every row is in).
fn add(a: &mut Account, r: &Row) {
    a.status = a.status.min(r.status);
    let earliest = |x: Option<i32>, y: Option<i32>| match (x, y) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    a.next_rotation_due = earliest(a.next_rotation_due, r.next_rotation_due);
    a.expires = earliest(a.expires, r.expires);
    let (errors, warnings) = r.findings.split_at(r.errors);
    let (had_errors, had_warnings) = a.findings.split_at(a.errors);
    let findings = [had_errors, errors, had_warnings, warnings].concat();
    a.errors += errors.len();
    a.findings = findings;
    if r.integration.is_some() || r.connection.is_some() {
        a.uses.push(Use {
            integration: r.integration.clone(),
            connection: r.connection.clone(),
            credential_type: r.credential_type.clone(),
            environment: r.environment.clone(),
            status: r.status,
        });
    }
}

/// The number of accounts per status, in [`super::ALL_STATUSES`] order.
pub fn counts(accounts: &[Account]) -> [usize; 6] {
    let mut n = [0; 6];
    for a in accounts {
        n[a.status as usize] += 1;
    }
    n
}

/// The sheet's figures: `9 accounts on 2026-11-27: 0 expired, …, 5 ok; 12 connections`.
pub fn figures(accounts: &[Account], today: i32) -> String {
    let n = counts(accounts);
    let statuses: Vec<String> = super::ALL_STATUSES
        .iter()
        .map(|&s| format!("{} {}", n[s as usize], s.name()))
        .collect();
    let uses: usize = accounts.iter().map(|a| a.uses.len()).sum();
    format!(
        "{} {} on {}: {}; {uses} {}",
        accounts.len(),
        if accounts.len() == 1 {
            "account"
        } else {
            "accounts"
        },
        crate::model::date::format(today),
        statuses.join(", "),
        if uses == 1 {
            "connection"
        } else {
            "connections"
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::{d, row};

    #[test]
    fn one_entry_per_account_with_its_connections_the_worst_status_and_earliest_dates() {
        let mut a1 = row("a", Some("p"), Status::Ok);
        a1.integration = Some("int".into());
        a1.connection = Some("one".into());
        a1.expires = Some(d("2027-01-01"));
        a1.findings = vec!["z-error".into(), "w1".into()];
        a1.errors = 1;
        let mut a2 = a1.clone();
        a2.connection = Some("two".into());
        a2.status = Status::Overdue;
        a2.expires = Some(d("2026-12-01"));
        a2.findings = vec!["a-error".into(), "w1".into(), "a-warning".into()];
        let mut b = row("b", None, Status::DueSoon);
        b.group = 1;
        let got = accounts(&[a1, b, a2]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].status, Status::Overdue);
        assert_eq!(got[0].expires, Some(d("2026-12-01")));
        assert_eq!(got[0].findings, ["a-error", "z-error", "a-warning", "w1"]);
        assert_eq!(got[0].errors, 2);
        let names: Vec<String> = got[0].uses.iter().map(Use::name).collect();
        assert_eq!(names, ["int/one", "int/two"]);
        let details: Vec<String> = got[0].uses.iter().map(|u| u.detail(true)).collect();
        assert_eq!(
            details,
            ["", "overdue"],
            "a connection's own status when it is not ok"
        );
        assert_eq!(got[0].uses[1].detail(false), "");
        assert!(got[1].uses.is_empty(), "no connection, no use");
        assert_eq!(counts(&got)[Status::DueSoon as usize], 1);
    }
}
