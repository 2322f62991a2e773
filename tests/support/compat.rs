//! The runner's former entry points, kept until every test file runs the binary through
//! [`Bin`]; removed once none uses them.

use std::path::Path;
use std::process::{Child, ExitStatus};

use super::Bin;

pub struct OldRun {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

#[derive(Default)]
pub struct RunOpts<'a> {
    pub env: &'a [(&'a str, &'a str)],
    pub stdin: Option<&'a [u8]>,
}

pub fn run(args: &[&str], cwd: &Path) -> (Option<i32>, String, String) {
    let r = run_with(args, cwd, RunOpts::default());
    (r.code, r.stdout, r.stderr)
}

pub fn run_with(args: &[&str], cwd: &Path, opts: RunOpts) -> OldRun {
    let mut bin = Bin::new().args(args).current_dir(cwd);
    for (k, v) in opts.env {
        bin = bin.env(k, v);
    }
    if let Some(input) = opts.stdin {
        bin = bin.stdin(input);
    }
    let r = bin.run();
    OldRun {
        code: Some(r.code),
        stdout: r.stdout,
        stderr: r.stderr,
    }
}

pub fn wait_for(
    child: Child,
    args: &[&str],
    cwd: &Path,
    group: bool,
) -> (ExitStatus, String, String) {
    let what = || format!("bridgelint {args:?} in {}", cwd.display());
    let (status, out, err) = super::run::wait_for(child, super::TIMEOUT, group, &what);
    (
        status,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}
