//! The commands: each turns its arguments into a request, runs the library, writes the output,
//! and returns the exit status (0 clean, 1 findings, 2 invocation error). One file (or folder) a
//! command; this module dispatches and holds what several commands share.

/// `eprintln!` that cannot panic. `eprintln!` panics when standard error cannot be written
/// (redirected to a full disk, `2>/dev/full`), and a message about the run must not turn its
/// status into 101: the message is lost, the status stays. Every command writes to standard
/// error with this or [`stderr!`].
macro_rules! stderrln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// `eprint!` that cannot panic (see [`stderrln!`]).
macro_rules! stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod add_suppression;
pub mod check;
pub mod docs;
pub mod fix;
pub mod init;
pub mod inventory;
pub mod lsp;
pub mod systems;
pub mod test_rules;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, InputArgs};
use crate::pipeline::{Invocation, Request};
use crate::report::Report;
use crate::rules::RuleSet;

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::command(args),
        Command::Schema(args) => docs::schema_command(&args.kind),
        Command::Rules(args) => docs::rules_command(&args.rules_dirs, args.format),
        Command::Explain(args) => docs::explain_command(&args.rules_dirs, &args.rule),
        Command::Systems(args) => systems::command(&args),
        Command::Inventory(args) => inventory::command(args),
        Command::Init(args) => init::command(args),
        Command::TestRules(args) => test_rules::command(args),
        Command::Lsp(args) => lsp::command(&args),
    }
}

/// The rules and catalog `rules`, `explain` and `systems` describe: built-in, the config's
/// custom folders (found from the current folder as `check` finds it), and `--rules` and
/// `--catalog` folders.
pub(crate) fn load_rules(
    rules_dirs: &[std::path::PathBuf],
    catalog_dirs: &[std::path::PathBuf],
) -> Result<(RuleSet, crate::catalog::Catalog), u8> {
    let cwd = current_dir()?;
    crate::pipeline::configured_rules(rules_dirs, catalog_dirs, &cwd)
        .map_err(|e| report_invocation(&e))
}

pub fn report_invocation(inv: &Invocation) -> u8 {
    for m in &inv.0 {
        stderrln!("error: {m}");
    }
    2
}

/// Builds the request shared by `check` and `inventory`.
pub fn request(paths: &[std::path::PathBuf], input: &InputArgs) -> Request {
    Request {
        paths: paths.to_vec(),
        stdin: None,
        unsaved: Vec::new(),
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
        unsafe_fixes: false,
        fix_marks_only: false,
    }
}

/// The current folder; when it cannot be read, the error is printed and the status is 2.
pub(crate) fn current_dir() -> Result<PathBuf, u8> {
    std::env::current_dir().map_err(|e| {
        stderrln!("error: cannot read the current folder: {e}");
        2
    })
}

/// Writes a command's output to `--output` (relative to `cwd`) or to standard output; a file
/// that cannot be written is an error (status 2).
pub(crate) fn write_output(cwd: &Path, output: Option<&Path>, text: &str) -> Result<(), u8> {
    stream_output(cwd, output, |out| out.write_all(text.as_bytes()))
}

/// Writes what `write` writes, through a buffer, to the `--output` file or else to standard
/// output: a file that cannot be written is a one-line error and status 2; standard output
/// ends as [`print_out`] says.
pub(crate) fn stream_output(
    cwd: &Path,
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), u8> {
    match output {
        Some(path) => {
            let abs = crate::pipeline::discover::absolute(cwd, path);
            let written = std::fs::File::create(abs).and_then(|file| {
                let mut out = std::io::BufWriter::new(file);
                write(&mut out)?;
                out.flush()
            });
            if let Err(e) = written {
                stderrln!("error: cannot write {}: {e}", path.display());
                return Err(2);
            }
            Ok(())
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            stdout_result(write(&mut out).and_then(|()| out.flush()))
        }
    }
}

/// What a write to standard output ends with: a closed pipe quietly, any other failure with a
/// one-line error and status 2.
fn stdout_result(written: std::io::Result<()>) -> Result<(), u8> {
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            stderrln!("error: cannot write to standard output: {e}");
            Err(2)
        }
    }
}

/// Writes text to standard output. A closed pipe (`| head -c1`) ends the output quietly and
/// the status stays what the run decided, as ripgrep does; any other failure (a full disk,
/// `> /dev/full`) is a one-line error and status 2. Nothing in `commands` prints with
/// `print!`, which panics on both.
pub(crate) fn print_out(text: &str) -> Result<(), u8> {
    let mut out = std::io::stdout().lock();
    stdout_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// The run's notes on standard error (skipped files, `--verbose`), unless `--quiet`.
pub(crate) fn print_notes(report: &Report, quiet: bool) {
    if !quiet {
        for line in &report.verbose {
            stderrln!("{line}");
        }
    }
}
