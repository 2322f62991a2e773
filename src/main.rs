//! The `bridgelint` binary: parse the command line, run, map the outcome to an exit status.

mod allocator;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match bridgelint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are successes; every other parse error is a usage error (2).
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(bridgelint::commands::run(cli))
}
