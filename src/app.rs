//! Command dispatch: each command turns its arguments into a request, runs the library, writes
//! the output, and returns the exit status (0 clean, 1 findings, 2 invocation error).

use std::io::{IsTerminal, Read, Write};

use crate::check::{self, Invocation, Request};
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, InputArgs};
use crate::report::{self, Format, Style};
use crate::rules::{RuleSet, Severity};
use crate::schema::SchemaKind;

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check_command(args),
        Command::Schema(args) => match SchemaKind::from_name(&args.kind) {
            Some(kind) => {
                print!("{}", kind.source());
                0
            }
            None => {
                let names: Vec<&str> = crate::schema::ALL_KINDS.iter().map(|k| k.name()).collect();
                let hint = crate::schema::closest(&args.kind, names.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                eprintln!(
                    "error: unknown schema `{}`{hint}; one of: {}",
                    args.kind,
                    names.join(", ")
                );
                2
            }
        },
        Command::Rules(args) => match load_rules(&args.rules_dirs) {
            Ok(rules) => {
                print!("{}", crate::docs::rules_list(&rules, args.format));
                0
            }
            Err(code) => code,
        },
        Command::Explain(args) => match load_rules(&args.rules_dirs) {
            Ok(rules) => match rules.get(&args.rule) {
                Some(rule) => {
                    print!("{}", crate::docs::explain(rule));
                    0
                }
                None => {
                    let hint = rules
                        .closest_name(&args.rule)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    eprintln!(
                        "error: unknown rule `{}`{hint}; `bridgelint rules` lists them",
                        args.rule
                    );
                    2
                }
            },
            Err(code) => code,
        },
        Command::Inventory(args) => crate::inventory::command(args),
        Command::Init(args) => crate::init::command(args),
        Command::TestRules(args) => crate::testrules::command(args),
    }
}

fn load_rules(dirs: &[std::path::PathBuf]) -> Result<RuleSet, u8> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut rules = RuleSet::builtin().map_err(|e| report_invocation(&e.into()))?;
    for d in dirs {
        rules
            .add_dir(&crate::discover::absolute(&cwd, d))
            .map_err(|e| report_invocation(&e.into()))?;
    }
    Ok(rules)
}

pub fn report_invocation(inv: &Invocation) -> u8 {
    for m in &inv.0 {
        eprintln!("error: {m}");
    }
    2
}

/// Builds the request shared by `check` and `inventory`.
pub fn request(paths: &[std::path::PathBuf], input: &InputArgs) -> Request {
    Request {
        paths: paths.to_vec(),
        stdin: None,
        no_context: input.no_context,
        config: input.config.clone(),
        no_config: input.no_config,
        select: None,
        ignore: Vec::new(),
        now: input.now,
        rules_dirs: input.rules_dirs.clone(),
        catalog_dirs: input.catalog_dirs.clone(),
        jobs: input.jobs.map(|j| j as usize),
        max_file_size: input.max_file_size,
        baseline: None,
        root: None,
        findings_only: false,
    }
}

fn check_command(args: CheckArgs) -> u8 {
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
    let prep = match check::prepare(&req, &cwd) {
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
    let outcome = check::run(prep, req.stdin.as_ref(), args.input.verbose);
    let report = &outcome.report;

    if let Some(path) = &args.write_baseline {
        let path = crate::discover::absolute(&cwd, path);
        return match crate::baseline::write(&path, outcome.baseline_entries) {
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
            if let Err(e) = std::fs::write(crate::discover::absolute(&cwd, path), &text) {
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
