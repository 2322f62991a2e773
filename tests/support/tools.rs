//! External tools that some tests drive (the SARIF multitool, ...): where to find them, and
//! what happens when one is missing. Locally such a test skips with a loud message; in CI
//! (`CI` set) a missing tool fails it, because `.ci/run` installs every tool
//! (`.ci/install-tools`) into `target/ci-tools/`.

use std::path::PathBuf;

use super::repo;

/// Where `.ci/install-tools` installs the npm tools.
pub fn ci_tools() -> PathBuf {
    repo().join("target/ci-tools")
}

/// The first of `candidates` (paths relative to `target/ci-tools/`, or the value of the
/// environment variable `env_var`) that is a file. `None` when there is none and `CI` is
/// unset, after printing why the test `test` did not run; a failure when `CI` is set.
#[track_caller]
pub fn external_tool(
    test: &str,
    what: &str,
    env_var: &str,
    candidates: &[&str],
) -> Option<PathBuf> {
    let from_env = std::env::var_os(env_var).map(PathBuf::from);
    let found = from_env
        .into_iter()
        .chain(candidates.iter().map(|c| ci_tools().join(c)))
        .find(|p| p.is_file());
    if found.is_none() {
        let why = format!(
            "{what} is not installed (run .ci/install-tools, or set {env_var}); looked in {}",
            ci_tools().display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{test}: {why}: CI must run this test");
        }
        eprintln!("\n!!! SKIPPED {test}: {why}\n");
    }
    found
}
