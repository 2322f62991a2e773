//! The `check` command: lint, then write the report (or a baseline) and map the findings to
//! an exit status.

use std::io::{IsTerminal, Read, Write};

use super::{report_invocation, request};
use crate::cli::{CheckArgs, ColorChoice, FailOn};
use crate::finding::Severity;
use crate::pipeline;
use crate::report::{self, Format, Style};

pub fn command(args: CheckArgs) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read the current folder: {e}");
            return 2;
        }
    };
    let mut req = request(&args.paths, &args.input);
    req.select = args.select.clone();
    req.ignore = args.ignore.clone();
    req.baseline = args.baseline.clone();
    req.findings_only = true;
    if let Some(p) = &args.stdin_filename {
        if !args.paths.is_empty() {
            eprintln!("error: --stdin-filename reads one buffer from standard input; give no PATH with it");
            return 2;
        }
        let mut text = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return 2;
        }
        req.stdin = Some((p.clone(), text));
    }
    let prep = match pipeline::prepare(&req, &cwd) {
        Ok(p) => p,
        Err(inv) => return report_invocation(&inv),
    };
    let fail_on = match (args.fail_on, prep.fail_on.as_deref()) {
        (Some(f), _) => f,
        (None, Some("error")) => FailOn::Error,
        (None, Some("info")) => FailOn::Info,
        (None, Some("never")) => FailOn::Never,
        _ => FailOn::Warning,
    };
    let outcome = pipeline::run(prep, req.stdin.as_ref(), args.input.verbose);
    let report = &outcome.report;

    if let Some(path) = &args.write_baseline {
        let path = crate::pipeline::discover::absolute(&cwd, path);
        return match crate::pipeline::baseline::write(&path, outcome.baseline_entries) {
            Ok(()) => {
                if !args.input.quiet {
                    eprintln!(
                        "wrote {} findings to the baseline {}",
                        report
                            .diagnostics
                            .iter()
                            .filter(|d| d.suppressed.is_none())
                            .count(),
                        path.display()
                    );
                }
                0
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        };
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut text = report::render(report, args.format, &Style { color });
    if args.format == Format::Human && args.input.quiet {
        // Only findings: drop the summary line.
        let trimmed = text.trim_end_matches('\n');
        text = match trimmed.rfind('\n') {
            Some(i) => format!("{}\n", &trimmed[..i])
                .trim_start_matches('\n')
                .to_string(),
            None => String::new(),
        };
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(crate::pipeline::discover::absolute(&cwd, path), &text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 2;
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
            {
                // A closed pipe (e.g. `| head`) is not an error of the linter.
            }
        }
    }
    if !args.input.quiet {
        for line in &report.verbose {
            eprintln!("{line}");
        }
    }
    exit_status(report, fail_on)
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
