//! `json`: the versioned report (`bridgelint schema output`). Byte-identical across runs and
//! thread counts: no timings, fixed key order.

use serde::Serialize;

use super::{visible, Diagnostic, Report, Streamed};
use crate::source::Pos;

#[derive(Serialize)]
struct Out<'a, D: Serialize> {
    version: u32,
    tool: Tool,
    diagnostics: D,
    summary: &'a super::Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Diag<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    start: Pos,
    end: Pos,
    help: &'a str,
    fingerprint: &'a str,
    related: Vec<Rel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<Fix<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Edit<'a> {
    start: Pos,
    end: Pos,
    content: &'a str,
}

#[derive(Serialize)]
struct Rel<'a> {
    message: &'a str,
    path: &'a str,
    start: Pos,
    end: Pos,
}

pub fn render(report: &Report) -> String {
    super::pretty_text(|out| write(report, out))
}

/// Writes the report as it is serialised ([`super::write`]).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let report_out = Out {
        version: 1,
        tool: Tool {
            name: "bridgelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics: Streamed(|| visible(report).map(diag)),
        summary: &report.summary,
    };
    super::write_pretty(&report_out, out)
}

fn diag(d: &Diagnostic) -> Diag<'_> {
    Diag {
        rule: &d.rule,
        severity: d.severity.name(),
        message: &d.message,
        path: &d.path,
        start: d.start,
        end: d.end,
        help: &d.help,
        fingerprint: &d.fingerprint,
        related: d
            .related
            .iter()
            .map(|r| Rel {
                message: &r.message,
                path: &r.path,
                start: r.start,
                end: r.end,
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| Fix {
            applicability: f.applicability.name(),
            message: &f.message,
            edits: f
                .edits
                .iter()
                .map(|e| Edit {
                    start: e.start,
                    end: e.end,
                    content: &e.content,
                })
                .collect(),
        }),
    }
}
