//! Helpers for every integration test (`mod support;`): unique scratch folders that write
//! files, and one runner for the real `bridgelint` binary (with a timeout, so a hang fails
//! instead of blocking the suite, and a check that no run ends in a panic, status 101), with
//! the fixtures several test files share.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one run of the binary may take before it counts as a hang.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The date every time-based rule takes as today in these tests.
pub const NOW: &str = "2026-11-27";

/// A unique scratch folder under the system temp folder, removed when dropped.
///
/// It lives outside any git repository (the repository's own `target/` would make the whole
/// repository the context root); the constructors say what makes it its own context root.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    /// An empty folder (the context root is then the folder a run names, cli.md).
    pub fn bare(tag: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "bridgelint-t-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch folder");
        Scratch { dir }
    }

    /// A folder holding a `.git` folder: its own repository, so its own context root.
    pub fn new(tag: &str) -> Scratch {
        let s = Scratch::bare(tag);
        s.mkdir(".git");
        s
    }

    /// A project folder: it holds an empty `.bridgelint.yaml` (`{}`), which makes it its own
    /// context root whatever lies above it.
    pub fn project(tag: &str) -> Scratch {
        let s = Scratch::bare(tag);
        s.write(".bridgelint.yaml", "{}\n");
        s
    }

    /// A project folder holding these files.
    pub fn with_files(tag: &str, files: &[(&str, &str)]) -> Scratch {
        let s = Scratch::project(tag);
        for (rel, text) in files {
            s.write(rel, text);
        }
        s
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Writes a file (creating its folders) and returns its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&p, bytes).expect("write a file");
        p
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(&p).expect("create folders");
        p
    }

    pub fn remove(&self, rel: &str) {
        let _ = std::fs::remove_file(self.dir.join(rel));
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs the binary in this folder.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(&self.dir, args, None)
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Output {
        run_in(&self.dir, args, Some(stdin))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Options of a run beyond its arguments and folder.
#[derive(Default)]
pub struct RunOpts<'a> {
    pub env: &'a [(&'a str, &'a str)],
    pub stdin: Option<&'a [u8]>,
}

/// Runs the real binary in `cwd`: (exit status, stdout, stderr). `NO_COLOR` is removed from its
/// environment so colour tests decide it themselves.
pub fn run(args: &[&str], cwd: &Path) -> (Option<i32>, String, String) {
    let r = run_with(args, cwd, RunOpts::default());
    (r.code, r.stdout, r.stderr)
}

/// Runs the binary with options; fails the test on a hang (after [`TIMEOUT`]) or a panic.
pub fn run_with(args: &[&str], cwd: &Path, opts: RunOpts) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bridgelint"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(if opts.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in opts.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the bridgelint binary starts");
    if let Some(input) = opts.stdin {
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let (status, stdout, stderr) = wait_for(child, args, cwd, false);
    assert_ne!(
        status.code(),
        Some(101),
        "bridgelint {args:?} panicked:\n{stderr}"
    );
    Run {
        code: status.code(),
        stdout,
        stderr,
    }
}

/// Waits for a started run with piped output: reads both streams on their own threads (a full
/// pipe must not stall the child) and fails the test when the run outlives [`TIMEOUT`],
/// killing it, or its whole process group with `group` (a wrapper such as `time` and its
/// child). Returns the exit status, stdout and stderr.
pub fn wait_for(
    mut child: Child,
    args: &[&str],
    cwd: &Path,
    group: bool,
) -> (ExitStatus, String, String) {
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for bridgelint") {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                if group {
                    let _ = Command::new("kill")
                        .args(["-KILL", "--", &format!("-{}", child.id())])
                        .status();
                }
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "bridgelint {args:?} in {} hung for more than {:?}",
                    cwd.display(),
                    TIMEOUT
                );
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let stdout = String::from_utf8_lossy(&out_thread.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_thread.join().expect("stderr reader")).into_owned();
    (status, stdout, stderr)
}

/// Creates a FIFO with the system's `mkfifo`; false (after a note) when that is not possible.
pub fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            eprintln!("skipping: cannot create a FIFO with mkfifo ({other:?})");
            false
        }
    }
}

/// What a run printed, with its exit status (-1 when a signal ended it).
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `dir`, with `stdin` on its standard input.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let r = run_with(
        args,
        dir,
        RunOpts {
            stdin,
            ..RunOpts::default()
        },
    );
    Output {
        code: r.code.unwrap_or(-1),
        stdout: r.stdout,
        stderr: r.stderr,
    }
}

/// A clean Integration: no finding when checked together with [`CLEAN_ACCOUNTS`] on [`NOW`].
/// Line 11 holds the inventory account id (`account: getint-jira-prod`, value at column 14);
/// line 14 the `secret` (value at column 15).
pub const CLEAN_INTEGRATION: &str = "\
apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: jira-ado
  owner: team-platform
  environment: prod
connections:
  jira:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira-prod
    credential:
      type: api-token
      secret: env:JIRA_API_TOKEN
      created: 2026-11-16
      expires: 2027-11-15
      rotation:
        interval_days: 90
        last_rotated: 2026-11-16
  ado:
    system: azure-devops
    url: https://dev.azure.com/acme
    account:
      type: service
      username: getint-ado-sync@acme.example
      display_name: Getint Sync (Azure DevOps)
      owner: team-platform
      purpose: Creates work items mirrored from Jira
      permissions: [vso.work_write]
      login: api-only
      reviewed: 2026-11-17
      tested: 2026-11-17
    credential:
      type: personal-access-token
      secret: vault:kv/ado#pat
      scopes: [vso.work_write]
      created: 2026-11-16
      expires: 2027-05-15
      rotation:
        interval_days: 90
        last_rotated: 2026-11-16
flows:
  - from: jira
    to: ado
    sync: [create, update]
";

/// The inventory that declares the account [`CLEAN_INTEGRATION`] uses. Line 13 holds
/// `reviewed` (value at column 15).
pub const CLEAN_ACCOUNTS: &str = "\
apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  getint-jira-prod:
    system: jira-cloud
    type: service
    username: getint-sync@acme.example
    display_name: Getint Sync (Jira)
    owner: team-platform
    purpose: Reads Jira issues for the platform sync
    permissions: [BROWSE_PROJECTS]
    login: api-only
    reviewed: 2026-11-01
    tested: 2026-11-20
";

/// [`CLEAN_INTEGRATION`] with a literal secret: one `plaintext-secret` error at 14:15, and
/// its own name so that it can sit next to the clean one.
pub fn integration_with_plaintext_secret() -> String {
    CLEAN_INTEGRATION
        .replace("secret: env:JIRA_API_TOKEN", "secret: hunter2-fake")
        .replace("name: jira-ado", "name: jira-ado-leaky")
}

/// [`CLEAN_ACCOUNTS`] reviewed long ago: one `stale-review` warning at 13:15.
pub fn accounts_with_stale_review() -> String {
    CLEAN_ACCOUNTS.replace("reviewed: 2026-11-01", "reviewed: 2026-01-01")
}

/// [`CLEAN_INTEGRATION`] whose inline account has no display name: one `display-name` info.
pub fn integration_with_info_only() -> String {
    CLEAN_INTEGRATION.replace("      display_name: Getint Sync (Azure DevOps)\n", "")
}

/// A clean inventory with one Jira and one Azure DevOps account.
pub const INVENTORY: &str = "\
apiVersion: bridgelint/v1
kind: ServiceAccounts
accounts:
  getint-jira:
    system: jira-cloud
    type: service
    username: getint-sync@acme.example
    display_name: Getint Sync (Jira)
    owner: team-platform
    purpose: Mirrors incidents between Jira and Azure DevOps
    permissions: [BROWSE_PROJECTS, ADD_COMMENTS]
    reviewed: 2026-11-01
    tested: 2026-11-02
  getint-ado:
    system: azure-devops
    type: service
    username: getint-ado@acme.example
    display_name: Getint Sync (Azure DevOps)
    owner: team-platform
    purpose: Mirrors incidents between Jira and Azure DevOps
    permissions: [vso.work_write]
    reviewed: 2026-11-01
    tested: 2026-11-02
";

/// A clean integration using the inventory above; `{JIRA_SECRET}` is replaced by the caller.
pub const INTEGRATION: &str = "\
apiVersion: bridgelint/v1
kind: Integration
metadata:
  name: jira-ado-platform-prod
  owner: team-platform
  environment: prod
connections:
  jira:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira
    credential:
      type: api-token
      secret: {JIRA_SECRET}
      expires: 2027-06-30
      rotation: { interval_days: 90, last_rotated: 2026-11-01 }
  ado:
    system: azure-devops
    url: https://dev.azure.com/acme
    account: getint-ado
    credential:
      type: personal-access-token
      secret: vault:kv/ado#pat
      expires: 2027-06-30
      rotation: { interval_days: 90, last_rotated: 2026-11-01 }
flows:
  - from: jira
    to: ado
    sync: [create, update]
  - from: ado
    to: jira
    sync: [comments]
";

pub fn integration(secret: &str) -> String {
    INTEGRATION.replace("{JIRA_SECRET}", secret)
}

/// `path:line:column: severity[rule]` prefixes of compact output, in order.
pub fn compact_keys(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.find(']').map(|i| l[..=i].to_string()))
        .collect()
}
