//! `bridgelint inventory`: the review sheet of every account (cli.md, "inventory").
//!
//! It reads the same files as `check` (same request, same project context), then turns the
//! resolved model into one row per account and connection that uses it. The sheet is a report,
//! not a lint: the exit status is 0 unless the invocation is wrong (2).
//!
//! No format ever prints a credential's `secret`, `private_key` or `client_id`: those fields are
//! never read into a row, a cell whose text the loader marked as secret (a token pattern found
//! in, say, `purpose`) is masked, and any copy of a literal credential value inside another
//! cell is masked too.
//!
//! This module reads the model into rows; each format has its renderer: `table.rs`,
//! `markdown.rs`, `csv.rs`, `json.rs`, `html.rs`.

mod accounts;
mod csv;
mod findings;
mod graph;
mod html;
mod json;
mod layout;
mod markdown;
mod sheet;
mod svg;
mod table;

use std::fmt::Write as _;

use crate::cli::{InventoryArgs, InventoryFormat};
use crate::model::fields::{account as A, connection as C, credential as K, integration as I};
use crate::model::fields::{rotation as R, Kind};
use crate::model::{date, MVal, Model, Rec};
use crate::pipeline;
use crate::report::Report;
use crate::secrets::{is_secret_reference, mask};
use findings::Findings;
use graph::Graph;

pub use self::csv::csv_field;
pub use self::html::html_escape;

/// A row's review status, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Expired,
    Overdue,
    /// Not `ok`: an error-level finding stands and the credential declares no rotation.
    NoRotation,
    /// Not `ok`: an error-level finding stands.
    Findings,
    DueSoon,
    Ok,
}

pub const ALL_STATUSES: [Status; 6] = [
    Status::Expired,
    Status::Overdue,
    Status::NoRotation,
    Status::Findings,
    Status::DueSoon,
    Status::Ok,
];

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Expired => "expired",
            Status::Overdue => "overdue",
            Status::NoRotation => "no rotation",
            Status::Findings => "findings",
            Status::DueSoon => "due soon",
            Status::Ok => "ok",
        }
    }
}

/// How far ahead an expiry or a rotation counts as `due soon`, in days.
pub const DUE_SOON_DAYS: i32 = 30;

/// One line of the sheet. Text cells are already safe to print (masked where needed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub account: Option<String>,
    pub system: Option<String>,
    pub account_type: Option<String>,
    pub username: Option<String>,
    pub owner: Option<String>,
    pub purpose: Option<String>,
    pub integration: Option<String>,
    pub connection: Option<String>,
    pub credential_type: Option<String>,
    pub last_rotated: Option<i32>,
    pub next_rotation_due: Option<i32>,
    pub expires: Option<i32>,
    pub reviewed: Option<i32>,
    pub tested: Option<i32>,
    /// The rules of the errors and warnings `check` reports on the account and the
    /// connection, errors first.
    pub findings: Vec<String>,
    /// How many of `findings` (the first ones) are errors.
    pub errors: usize,
    pub status: Status,
    /// Not printed as columns: the integration's `metadata.environment`, the connection's own
    /// `system`, the connection's record (the map's edges), and the account group the row
    /// belongs to (the per-account sheet), numbered in order of first appearance.
    pub environment: Option<String>,
    pub connection_system: Option<String>,
    pub connection_rec: Option<u32>,
    pub group: usize,
}

/// Column titles (table, markdown, CSV, HTML) and JSON keys, in row order.
pub const COLUMNS: [(&str, &str); 16] = [
    ("Account", "account"),
    ("System", "system"),
    ("Type", "type"),
    ("Username", "username"),
    ("Owner", "owner"),
    ("Purpose", "purpose"),
    ("Integration", "integration"),
    ("Connection", "connection"),
    ("Credential", "credential_type"),
    ("Last rotated", "last_rotated"),
    ("Next rotation due", "next_rotation_due"),
    ("Expires", "expires"),
    ("Reviewed", "reviewed"),
    ("Tested", "tested"),
    ("Findings", "findings"),
    ("Status", "status"),
];

impl Row {
    /// The cells in [`COLUMNS`] order; `None` is an empty cell.
    pub fn cells(&self) -> [Option<String>; 16] {
        let d = |x: Option<i32>| x.map(date::format);
        [
            self.account.clone(),
            self.system.clone(),
            self.account_type.clone(),
            self.username.clone(),
            self.owner.clone(),
            self.purpose.clone(),
            self.integration.clone(),
            self.connection.clone(),
            self.credential_type.clone(),
            d(self.last_rotated),
            d(self.next_rotation_due),
            d(self.expires),
            d(self.reviewed),
            d(self.tested),
            (!self.findings.is_empty()).then(|| self.findings.join(", ")),
            Some(self.status.name().to_string()),
        ]
    }
}

/// The status of a credential on `today` (cli.md): `expired` when it expired before today,
/// else `overdue` when a declared rotation has no `last_rotated` or was due before today, else
/// `due soon` when the expiry or the next rotation falls within [`DUE_SOON_DAYS`], else `ok`.
pub fn status(
    today: i32,
    expires: Option<i32>,
    rotation_declared: bool,
    last_rotated: Option<i32>,
    next_due: Option<i32>,
) -> Status {
    let soon = |d: Option<i32>| d.is_some_and(|d| today <= d && d <= today + DUE_SOON_DAYS);
    if expires.is_some_and(|e| e < today) {
        Status::Expired
    } else if rotation_declared && (last_rotated.is_none() || next_due.is_some_and(|n| n < today)) {
        Status::Overdue
    } else if soon(expires) || soon(next_due) {
        Status::DueSoon
    } else {
        Status::Ok
    }
}

/// A status is never `ok` while an error-level finding stands on the row: `no rotation` when
/// its credential declares none, `findings` otherwise.
pub fn with_findings(dates: Status, error: bool, no_rotation: bool) -> Status {
    match (dates, error, no_rotation) {
        (Status::Ok, true, true) => Status::NoRotation,
        (Status::Ok, true, false) => Status::Findings,
        (s, _, _) => s,
    }
}

/// Reads the model's text fields, masking anything that must not be printed.
struct Reader<'m> {
    model: &'m Model,
    /// The findings of `check` by record.
    findings: Findings,
    /// The account groups numbered so far, by account record (or, for an undeclared
    /// account, by the id its connections name).
    groups: std::cell::RefCell<std::collections::HashMap<String, usize>>,
    /// Literal credential values (`secret` and `private_key` unless they are secret
    /// references, every `client_id`), longest first.
    secrets: Vec<&'m str>,
}

impl<'m> Reader<'m> {
    fn new(model: &'m Model, schemes: &[String]) -> Reader<'m> {
        let mut secrets: Vec<&str> = Vec::new();
        for cred in model.records(Kind::Credential) {
            for f in [K::SECRET, K::PRIVATE_KEY, K::CLIENT_ID] {
                if let Some(s) = cred.str(f) {
                    let reference = f != K::CLIENT_ID && is_secret_reference(s, schemes);
                    if !reference && s.chars().count() >= 4 {
                        secrets.push(s);
                    }
                }
            }
        }
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        secrets.dedup();
        Reader {
            model,
            secrets,
            findings: Findings::default(),
            groups: Default::default(),
        }
    }

    /// A text field: `None` when absent, invalid or empty; masked when the loader marked its
    /// text as secret; any literal credential value inside it is masked.
    fn text(&self, rec: &Rec<'m>, field: usize) -> Option<String> {
        let s = rec.str(field)?;
        if s.is_empty() {
            return None;
        }
        let redacted = rec.slot_loc(field).is_some_and(|l| {
            self.model
                .files
                .get(l.file as usize)
                .is_some_and(|f| f.is_redacted(&l))
        });
        if redacted {
            return Some(mask(s));
        }
        Some(self.scrub(s))
    }

    /// The group of an account: `key` names it (a record or an undeclared id).
    fn group(&self, key: String) -> usize {
        let mut groups = self.groups.borrow_mut();
        let next = groups.len();
        *groups.entry(key).or_insert(next)
    }

    fn scrub(&self, s: &str) -> String {
        let mut out = s.to_string();
        for secret in &self.secrets {
            if out.contains(secret) {
                out = out.replace(secret, "****");
            }
        }
        out
    }
}

fn int(rec: &Rec, field: usize) -> Option<i64> {
    rec.int(field).map(i64::from)
}

fn refs(rec: &Rec, field: usize) -> Vec<u32> {
    rec.refs(field).to_vec()
}

/// The rows of the sheet, in order: accounts in the model's order (path, then line; the first
/// declaration of each id), each followed by its uses in path and line order; then connections
/// whose account is unknown. Only rows in the reporting scope: the account is declared in a
/// reported file, or the row's connection is in one. `schemes` are the secret reference
/// schemes in force (a `secret` that is a reference is not itself secret).
pub fn rows(model: &Model, report: &Report, today: i32, schemes: &[String]) -> Vec<Row> {
    let reader = Reader {
        findings: Findings::new(report),
        ..Reader::new(model, schemes)
    };
    let reported = |file: u32| model.files.get(file as usize).is_some_and(|f| f.reported);
    let mut out = Vec::new();
    for acc in model
        .records(Kind::Account)
        .take(model.first_duplicate_account)
    {
        let declared_here = reported(acc.file());
        let uses = refs(&acc, A::USES);
        if uses.is_empty() {
            if declared_here {
                out.push(row(&reader, today, Some(acc), None));
            }
            continue;
        }
        for c in uses {
            let conn = model.record(Kind::Connection, c);
            if declared_here || reported(conn.file()) {
                out.push(row(&reader, today, Some(acc), Some(conn)));
            }
        }
    }
    // A connection whose account could not be resolved still holds a credential to review.
    for conn in model.records(Kind::Connection) {
        if conn.reference(C::ACCOUNT).is_none() && reported(conn.file()) {
            out.push(row(&reader, today, None, Some(conn)));
        }
    }
    out
}

fn row<'m>(reader: &Reader<'m>, today: i32, acc: Option<Rec<'m>>, conn: Option<Rec<'m>>) -> Row {
    let model = reader.model;
    let integration = conn
        .and_then(|c| c.reference(C::INTEGRATION))
        .map(|i| model.record(Kind::Integration, i));
    let cred = conn
        .and_then(|c| c.reference(C::CREDENTIAL))
        .map(|k| model.record(Kind::Credential, k));
    let rotation = cred
        .and_then(|k| k.reference(K::ROTATION))
        .map(|r| model.record(Kind::Rotation, r));
    let last_rotated = rotation.and_then(|r| r.date(R::LAST_ROTATED));
    let interval = rotation
        .and_then(|r| int(&r, R::INTERVAL_DAYS))
        .filter(|d| (1..=3650).contains(d));
    let next_rotation_due = last_rotated
        .zip(interval)
        .map(|(last, days)| last + days as i32);
    let expires = cred.and_then(|k| k.date(K::EXPIRES));
    let text = |rec: Option<Rec<'m>>, f: usize| rec.and_then(|r| reader.text(&r, f));

    let (account, system) = match acc {
        Some(a) => {
            // An inline account is named `integration/connection` by the model; mask each part
            // as its own source text would be.
            let id = if a.bool(A::INLINE) == Some(true) {
                match (text(integration, I::NAME), text(conn, C::ID)) {
                    (Some(i), Some(c)) => Some(format!("{i}/{c}")),
                    _ => text(Some(a), A::ID),
                }
            } else {
                text(Some(a), A::ID)
            };
            // The effective system: as written, or for an inline account without one, its
            // connection's (read from the connection so that its own masking applies).
            let system = match a.val(A::SYSTEM) {
                MVal::Str(_) => text(Some(a), A::SYSTEM),
                _ if a.str(A::EFFECTIVE_SYSTEM).is_some() => {
                    text(first_use(model, &a).or(conn), C::SYSTEM)
                }
                _ => None,
            };
            (id, system)
        }
        None => (text(conn, C::ACCOUNT_REF), text(conn, C::SYSTEM)),
    };
    let (findings, errors) = reader.findings.of(model, [acc, conn]);
    let group = reader.group(match (acc, conn.and_then(|c| c.str(C::ACCOUNT_REF))) {
        (Some(a), _) => format!("#{}", a.idx),
        (None, Some(id)) => format!("={id}"),
        (None, None) => format!("?{}", conn.map_or(0, |c| c.idx)),
    });
    let dates = status(
        today,
        expires,
        rotation.is_some(),
        last_rotated,
        next_rotation_due,
    );
    Row {
        account,
        system,
        account_type: text(acc, A::TYPE),
        username: text(acc, A::USERNAME),
        owner: text(acc, A::OWNER),
        purpose: text(acc, A::PURPOSE),
        integration: text(integration, I::NAME),
        connection: text(conn, C::ID),
        credential_type: text(cred, K::TYPE),
        last_rotated,
        next_rotation_due,
        expires,
        reviewed: acc.and_then(|a| a.date(A::REVIEWED)),
        tested: acc.and_then(|a| a.date(A::TESTED)),
        findings,
        errors,
        status: with_findings(dates, errors > 0, cred.is_some() && rotation.is_none()),
        environment: text(integration, I::ENVIRONMENT),
        connection_system: text(conn, C::SYSTEM),
        connection_rec: conn.map(|c| c.idx),
        group,
    }
}

fn first_use<'m>(model: &'m Model, acc: &Rec<'m>) -> Option<Rec<'m>> {
    acc.reference(A::FIRST_USE)
        .map(|c| model.record(Kind::Connection, c))
}

/// The number of rows per status, in [`ALL_STATUSES`] order.
pub fn counts(rows: &[Row]) -> [usize; 6] {
    let mut n = [0; 6];
    for r in rows {
        n[r.status as usize] += 1;
    }
    n
}

/// Renders the sheet, or the map, in a format. Deterministic: the only date in it is `today`.
pub fn render(
    rows: &[Row],
    map: &Graph,
    today: i32,
    format: InventoryFormat,
    wide: bool,
) -> String {
    match format {
        InventoryFormat::Table => table::render(rows, today, wide),
        InventoryFormat::Markdown => markdown::render(rows, today),
        InventoryFormat::Csv => csv::render(rows),
        InventoryFormat::Json => json::render(rows, today),
        InventoryFormat::Html => html::render(rows, map, today),
        InventoryFormat::Mermaid => graph::mermaid(map),
        InventoryFormat::Dot => graph::dot(map),
    }
}

/// Makes text safe for a terminal or a one-line cell: control characters (line breaks, tabs,
/// escape sequences) and bidirectional overrides are shown escaped.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `bridgelint inventory`.
pub fn command(args: InventoryArgs) -> u8 {
    let cwd = match super::current_dir() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let req = super::request(&args.paths, &args.input);
    let mut prep = match pipeline::prepare(&req, &cwd) {
        Ok(p) => p,
        Err(inv) => return super::report_invocation(&inv),
    };
    // The inventory reads expiry dates and rotation intervals of every file.
    prep.keep_details = true;
    // The findings column shows what `check` finds on an account wherever it is declared.
    prep.findings_everywhere = true;
    let today = prep.today;
    let schemes = prep.schemes.clone();
    let outcome = pipeline::run(prep, &[], args.input.verbose);
    let rows = rows(&outcome.model, &outcome.report, today, &schemes);
    let map = graph::build(&outcome.model, &rows, &schemes);
    let text = render(&rows, &map, today, args.format, args.wide);
    if let Err(code) = super::write_output(&cwd, args.output.as_deref(), &text) {
        return code;
    }
    super::print_notes(&outcome.report, args.input.quiet);
    if !args.input.quiet {
        warn_unread(&outcome.report);
    }
    0
}

/// Files that could not be read are left out of the sheet: says which.
fn warn_unread(report: &crate::report::Report) {
    let mut broken: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "parse-error")
        .map(|d| d.path.as_str())
        .collect();
    broken.sort_unstable();
    broken.dedup();
    if !broken.is_empty() {
        stderrln!(
            "warning: {} {} could not be read and {} left out of the inventory ({}); `bridgelint check` shows why",
            broken.len(),
            if broken.len() == 1 { "file" } else { "files" },
            if broken.len() == 1 { "is" } else { "are" },
            broken.join(", ")
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(s: &str) -> i32 {
        date::parse(s).unwrap()
    }

    /// A row with an account, maybe a purpose, a status, and nothing else.
    pub fn row(account: &str, purpose: Option<&str>, status: Status) -> Row {
        Row {
            account: Some(account.into()),
            system: None,
            account_type: None,
            username: None,
            owner: None,
            purpose: purpose.map(Into::into),
            integration: None,
            connection: None,
            credential_type: None,
            last_rotated: None,
            next_rotation_due: None,
            expires: None,
            reviewed: None,
            tested: None,
            findings: Vec::new(),
            errors: 0,
            status,
            environment: None,
            connection_system: None,
            connection_rec: None,
            group: 0,
        }
    }

    #[test]
    fn status_follows_the_contract() {
        let today = d("2026-11-27");
        let st = |exp: Option<&str>, rot: bool, last: Option<&str>, next: Option<&str>| {
            status(today, exp.map(d), rot, last.map(d), next.map(d))
        };
        assert_eq!(st(Some("2026-11-26"), false, None, None), Status::Expired);
        assert_eq!(st(Some("2026-11-27"), false, None, None), Status::DueSoon);
        assert_eq!(st(Some("2026-12-27"), false, None, None), Status::DueSoon);
        assert_eq!(st(Some("2026-12-28"), false, None, None), Status::Ok);
        assert_eq!(st(None, true, None, None), Status::Overdue);
        assert_eq!(
            st(None, true, Some("2026-01-01"), Some("2026-11-26")),
            Status::Overdue
        );
        assert_eq!(
            st(None, true, Some("2026-01-01"), Some("2026-11-27")),
            Status::DueSoon
        );
        assert_eq!(
            st(Some("2026-01-01"), true, None, None),
            Status::Expired,
            "expired wins over overdue"
        );
        assert_eq!(st(None, false, None, None), Status::Ok);
    }

    #[test]
    fn an_error_turns_ok_into_no_rotation_or_findings_and_nothing_else() {
        use Status::*;
        for s in ALL_STATUSES {
            assert_eq!(with_findings(s, false, true), s, "no error: {s:?} stays");
        }
        assert_eq!(with_findings(Ok, true, true), NoRotation);
        assert_eq!(with_findings(Ok, true, false), Findings);
        for s in [Expired, Overdue, DueSoon] {
            assert_eq!(with_findings(s, true, true), s, "dates first: {s:?} stays");
        }
    }

    #[test]
    fn printable_escapes_controls() {
        assert_eq!(printable("a\nb\t\u{1b}[31m"), "a\\nb\\t\\u{1b}[31m");
        assert_eq!(printable("x\u{202e}y"), "x\\u{202e}y");
    }
}
