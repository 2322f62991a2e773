//! Helpers for tests that run the real binary in scratch folders.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A scratch folder, removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "bridgelint-test-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // A `.git` folder makes the scratch folder its own context root.
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        Scratch { dir }
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
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

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bridgelint"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(data) = stdin {
        child.stdin.take().unwrap().write_all(data).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert_ne!(
        code,
        101,
        "panic:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Output {
        code,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
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
