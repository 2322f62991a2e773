//! The `bridgelint` binary: parse the command line, run, map the outcome to an exit status.

mod allocator;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // The built-in rules start compiling while the command line is parsed (pipeline/prepare.rs).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "check" || command == "inventory")
    {
        bridgelint::pipeline::compile_builtin_rules_early();
    }
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
