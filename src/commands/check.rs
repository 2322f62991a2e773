//! The `check` command: lint, then write the report (or a baseline) and map the findings to
//! an exit status.

use std::io::{IsTerminal, Read};
use std::path::Path;

use super::{current_dir, print_notes, report_invocation, request, stream_output, write_output};
use crate::cli::{CheckArgs, ColorChoice, FailOn};
use crate::finding::Severity;
use crate::pipeline::{self, Request};
use crate::report::human::plural;
use crate::report::{self, Format, Style};

pub fn command(args: CheckArgs) -> u8 {
    let cwd = match current_dir() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let req = match check_request(&args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let prep = match pipeline::prepare(&req, &cwd) {
        Ok(p) => p,
        Err(inv) => return report_invocation(&inv),
    };
    // Standard input is read once the size limit is known (the config may set it).
    let mut req = req;
    if let Some((_, buffer)) = &mut req.stdin {
        if let Err(code) = read_stdin(buffer, prep.limits.max_file_size) {
            return code;
        }
    }
    let fail_on = fail_on(args.fail_on, prep.fail_on.as_deref());
    let fail_on_empty = args.fail_on_empty || prep.fail_on_empty;
    if let Some(reason) = &args.add_suppression {
        if req.stdin.is_some() {
            stderrln!(
                "error: --add-suppression edits files; it cannot be combined with --stdin-filename"
            );
            return 2;
        }
        return add_suppressions(&args, reason, prep, &cwd);
    }
    let mut prep = prep;
    let (outcome, fixed_text) = if args.fix || args.diff {
        drop(prep);
        match fix_run(&args, &req, &cwd) {
            Ok(FixRun::Diffed(code)) => return code,
            Ok(FixRun::Fixed(outcome, text)) => (*outcome, text),
            Err(code) => return code,
        }
    } else {
        let outcome = pipeline::run_keeping(&mut prep, req.stdin.as_slice(), args.input.verbose);
        // The process exits after the report: freeing the rules and catalog piece by piece
        // would only delay it (a twentieth of a one-file run, BENCHMARKS.md).
        std::mem::forget(prep);
        (outcome, None)
    };
    finish(
        &args,
        &req,
        &cwd,
        outcome,
        fail_on,
        fail_on_empty,
        fixed_text,
    )
}

/// Writes the report (or the baseline, or the fixed text of standard input) and maps the
/// findings to the exit status.
fn finish(
    args: &CheckArgs,
    req: &Request,
    cwd: &Path,
    outcome: pipeline::Outcome,
    fail_on: FailOn,
    fail_on_empty: bool,
    fixed_text: Option<String>,
) -> u8 {
    let report = &outcome.report;

    if let Some(path) = &args.write_baseline {
        let path = crate::pipeline::discover::absolute(cwd, path);
        return write_baseline(&path, outcome.baseline_entries, report, args.input.quiet);
    }

    let style = Style { color: color(args) };
    let streamed = matches!(args.format, Format::Json | Format::Sarif);
    let written = match &fixed_text {
        // JSON and SARIF are written as they are serialised (report::write).
        None if streamed => stream_output(cwd, args.output.as_deref(), |out| {
            report::write(report, args.format, &style, out)
        }),
        None => write_output(cwd, args.output.as_deref(), &text_of(args, report, &style)),
        // `--stdin-filename --fix`: the fixed text on standard output, the report on standard
        // error.
        Some(fixed) => {
            stderr!("{}", text_of(args, report, &style));
            write_output(cwd, args.output.as_deref(), fixed)
        }
    };
    if let Err(code) = written {
        return code;
    }
    print_notes(report, args.input.quiet);
    let status = exit_status(report, fail_on);
    if report.summary.files > 0 || req.stdin.is_some() {
        return status;
    }
    empty_run(&report.summary, fail_on_empty, args.input.quiet).max(status)
}

/// The report as text (without the summary for a quiet human report).
fn text_of(args: &CheckArgs, report: &report::Report, style: &Style) -> String {
    let text = report::render(report, args.format, style);
    match args.format == Format::Human && args.input.quiet {
        true => without_summary(&text),
        false => text,
    }
}

/// `--add-suppression REASON`: one run, then a suppression for each line's findings; exit 0
/// unless a file cannot be written (2) or the reason is a placeholder (2).
fn add_suppressions(args: &CheckArgs, reason: &str, prep: pipeline::Prepared, cwd: &Path) -> u8 {
    if let Err(message) = super::add_suppression::check_reason(reason) {
        stderrln!("error: {message}");
        return 2;
    }
    let outcome = pipeline::run(prep, &[], false);
    let added = super::add_suppression::plan(&outcome, cwd, reason.trim(), None);
    for s in &added.skipped {
        stderrln!("skipped: {s}");
    }
    for (abs, display, text) in &added.files {
        if let Err(e) = super::fix::write_atomically(abs, text) {
            stderrln!("error: cannot write {display}: {e}");
            return 2;
        }
    }
    if !args.input.quiet {
        stderrln!(
            "added suppressions for {} in {}",
            plural(added.added, "finding"),
            plural(added.files.len(), "file")
        );
    }
    0
}

/// What `--fix` or `--diff` leaves for the report.
enum FixRun {
    /// `--diff` printed what it would change: the exit status.
    Diffed(u8),
    /// The outcome of the last round, and the fixed text of standard input if it was read.
    Fixed(Box<pipeline::Outcome>, Option<String>),
}

/// `--fix` and `--diff`: rounds of fixes, then the files written, the diff printed, or
/// standard input's text kept for the caller to print.
fn fix_run(args: &CheckArgs, req: &Request, cwd: &Path) -> Result<FixRun, u8> {
    let rounds = match super::fix::rounds(req, cwd) {
        Ok(r) => r,
        Err(inv) => return Err(report_invocation(&inv)),
    };
    for note in &rounds.notes {
        stderrln!("note: {note}");
    }
    if args.diff {
        // The diff on standard output, the report of what would remain on standard error; the
        // status says whether there is a diff, whatever `--fail-on`.
        let diff = super::fix::diff(&rounds);
        write_output(cwd, args.output.as_deref(), &diff)?;
        let mut report = rounds.outcome.report;
        report.summary.fixed = rounds.fixed;
        report.summary.fix_notes = rounds.notes;
        if !args.input.quiet {
            stderr!(
                "{}",
                report::render(&report, args.format, &Style { color: false })
            );
        }
        return Ok(FixRun::Diffed(u8::from(!diff.is_empty())));
    }
    let stdin_abs = req
        .stdin
        .as_ref()
        .map(|(p, _)| pipeline::discover::absolute(cwd, p));
    let mut stdin_text = None;
    if let Some((_, bytes)) = &req.stdin {
        stdin_text = Some(String::from_utf8_lossy(bytes).into_owned());
    }
    for c in rounds.changed.values().filter(|c| c.current != c.original) {
        if Some(&c.abs) == stdin_abs.as_ref() {
            stdin_text = Some(c.current.clone());
            continue;
        }
        if let Err(e) = super::fix::write_atomically(&c.abs, &c.current) {
            stderrln!("error: cannot write {}: {e}", c.display);
            return Err(2);
        }
    }
    let mut outcome = rounds.outcome;
    outcome.report.summary.fixed = rounds.fixed;
    outcome.report.summary.fix_notes = rounds.notes;
    Ok(FixRun::Fixed(Box::new(outcome), stdin_text))
}

/// A run that found no document of ours says so in one line (as ruff says "No Python files
/// found"); with `--fail-on-empty` (or `fail_on_empty: true`) that is a failure, status 1.
fn empty_run(summary: &report::Summary, fail: bool, quiet: bool) -> u8 {
    let skipped = match summary.skipped {
        0 => String::new(),
        1 => " (1 file skipped; --verbose says why)".to_string(),
        n => format!(" ({n} files skipped; --verbose says why)"),
    };
    if fail {
        stderrln!(
            "error: no bridgelint document found{skipped}; --fail-on-empty makes that a failure"
        );
        return 1;
    }
    if !quiet {
        stderrln!("warning: no bridgelint document found{skipped}");
    }
    0
}

/// The request of `check`, with standard input read when `--stdin-filename` is given.
fn check_request(args: &CheckArgs) -> Result<Request, u8> {
    let mut req = request(&args.paths, &args.input);
    req.select = args.select.clone();
    req.ignore = args.ignore.clone();
    req.baseline = args.baseline.clone();
    req.findings_only = true;
    req.unsafe_fixes = args.unsafe_fixes;
    // Formats that show only which findings are fixable need no edits (JSON and SARIF carry
    // them; `--fix`, `--diff` apply them).
    req.fix_marks_only = !(args.fix || args.diff)
        && matches!(
            args.format,
            Format::Human | Format::Compact | Format::Github | Format::Gitlab
        );
    if let Some(p) = &args.stdin_filename {
        if !args.paths.is_empty() {
            stderrln!("error: --stdin-filename reads one buffer from standard input; give no PATH with it");
            return Err(2);
        }
        // The buffer is read after `prepare`, which needs only its path.
        req.stdin = Some((p.clone(), Vec::new()));
    }
    Ok(req)
}

/// Reads standard input as a file is read: at most one byte past the size limit, so that a
/// larger buffer is the same `parse-error` (or skip) as a larger file, without holding it all.
fn read_stdin(buffer: &mut Vec<u8>, limit: u64) -> Result<(), u8> {
    let cap = limit.saturating_add(1);
    if let Err(e) = std::io::stdin().lock().take(cap).read_to_end(buffer) {
        stderrln!("error: cannot read standard input: {e}");
        return Err(2);
    }
    Ok(())
}

/// `--fail-on`, else the config's `fail_on`, else warnings.
fn fail_on(arg: Option<FailOn>, config: Option<&str>) -> FailOn {
    match (arg, config) {
        (Some(f), _) => f,
        (None, Some("error")) => FailOn::Error,
        (None, Some("info")) => FailOn::Info,
        (None, Some("never")) => FailOn::Never,
        _ => FailOn::Warning,
    }
}

/// `--write-baseline`: writes the entries (every unsuppressed finding of `report`) instead of
/// a report.
fn write_baseline(
    path: &Path,
    entries: Vec<pipeline::baseline::Entry>,
    report: &report::Report,
    quiet: bool,
) -> u8 {
    match crate::pipeline::baseline::write(path, entries) {
        Ok(()) => {
            if !quiet {
                let n = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.suppressed.is_none())
                    .count();
                let noun = if n == 1 { "finding" } else { "findings" };
                stderrln!("wrote {n} {noun} to the baseline {}", path.display());
            }
            0
        }
        Err(e) => {
            stderrln!("error: {e}");
            2
        }
    }
}

/// Colour: as asked, or by default only on a terminal that does not set `NO_COLOR`.
fn color(args: &CheckArgs) -> bool {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// `--quiet` in the human format: only findings, the summary line dropped.
fn without_summary(text: &str) -> String {
    let trimmed = text.trim_end_matches('\n');
    match trimmed.rfind('\n') {
        Some(i) => format!("{}\n", &trimmed[..i])
            .trim_start_matches('\n')
            .to_string(),
        None => String::new(),
    }
}

pub fn exit_status(report: &report::Report, fail_on: FailOn) -> u8 {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return 0,
    };
    let failing = report::visible(report).any(|d| d.severity >= threshold);
    u8::from(failing)
}
