//! No network (ARCHITECTURE.md, "Invariants"; SECURITY.md): bridgelint never opens a
//! connection.
//!
//! Two checks. The dependency tree holds no HTTP, TLS, socket or async-I/O crate (`cargo tree`;
//! `.ci/no-network` does the same in CI). And, where `strace` is installed, the real binary
//! runs under `strace -f -e trace=network` over the example repository (`check` in several
//! formats, with its custom rules, and `inventory`) and makes no network system call at all;
//! without `strace` that test says so and passes.

use std::process::{Command, Output};

mod support;
use support::{repo, Bin, Scratch, NOW};

/// Crates that would let bridgelint talk to a network.
const FORBIDDEN: [&str; 17] = [
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "curl-sys",
    "tokio",
    "mio",
    "rustls",
    "native-tls",
    "socket2",
    "h2",
    "openssl",
    "openssl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "async-std",
];

/// System calls that `-e trace=network` records and that would mean a socket was used.
const NETWORK_CALLS: [&str; 14] = [
    "socket(",
    "socketpair(",
    "connect(",
    "bind(",
    "listen(",
    "accept(",
    "accept4(",
    "sendto(",
    "sendmsg(",
    "sendmmsg(",
    "recvfrom(",
    "recvmsg(",
    "recvmmsg(",
    "getsockopt(",
];

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn cargo_tree(offline: bool) -> std::io::Result<Output> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(repo()).args([
        "tree", "-e", "normal", "--prefix", "none", "--format", "{p}",
    ]);
    if offline {
        cmd.arg("--offline");
    }
    cmd.output()
}

/// The crate names of a `cargo tree --prefix none --format {p}` listing (`name v1.2.3 (...)`).
fn crate_names(listing: &str) -> Vec<String> {
    let mut names: Vec<String> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn no_network_crate_in_the_dependency_tree() {
    // Offline first: the lock file and the local registry cache are enough for `cargo tree`.
    let out = match cargo_tree(true) {
        Ok(o) if o.status.success() => o,
        Ok(offline) => match cargo_tree(false) {
            Ok(o) if o.status.success() => o,
            Ok(o) => panic!(
                "`cargo tree` failed, offline:\n{}\nand online:\n{}",
                String::from_utf8_lossy(&offline.stderr),
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => panic!("cannot run `{} tree`: {e}", cargo()),
        },
        Err(e) => panic!(
            "cannot run `{} tree` ({e}); this test needs cargo on the PATH or in $CARGO",
            cargo()
        ),
    };
    let listing = String::from_utf8_lossy(&out.stdout);
    let names = crate_names(&listing);
    assert!(
        names.iter().any(|n| n == "bridgelint") && names.iter().any(|n| n == "regex"),
        "`cargo tree` listed something unexpected:\n{listing}"
    );
    let found: Vec<&String> = names
        .iter()
        .filter(|n| FORBIDDEN.contains(&n.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "network crates in bridgelint's normal dependency tree: {found:?}\n(`cargo tree -e normal -i CRATE` shows who pulls them in)"
    );
}

#[test]
fn crate_names_are_read_from_the_listing() {
    let names = crate_names("bridgelint v0.1.0 (/x)\nregex v1.13.2\nhyper v1.0.0\nregex v1.13.2\n");
    assert_eq!(names, ["bridgelint", "hyper", "regex"]);
}

fn strace_available() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The network system calls in an strace log (`-e trace=network` logs nothing else but exits
/// and signals).
fn network_calls(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            let call = l.split_once(' ').map_or(*l, |(_, rest)| rest.trim_start());
            NETWORK_CALLS.iter().any(|c| call.starts_with(c))
                || call.starts_with("<... ")
                    && NETWORK_CALLS
                        .iter()
                        .any(|c| call[5..].starts_with(&c[..c.len() - 1]))
        })
        .collect()
}

#[test]
fn network_calls_are_recognised_in_strace_logs() {
    let log = "1234 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3\n\
               1234 connect(3, {sa_family=AF_INET}, 16 <unfinished ...>\n\
               1235 <... connect resumed>) = 0\n\
               1236 +++ exited with 0 +++\n\
               1236 --- SIGCHLD {si_signo=SIGCHLD} ---\n";
    assert_eq!(network_calls(log).len(), 3);
    assert!(network_calls("99 +++ exited with 1 +++\n").is_empty());
}

#[test]
fn the_binary_makes_no_network_call() {
    if !strace_available() {
        eprintln!(
            "skipping the_binary_makes_no_network_call: strace is not installed \
             (`apt-get install strace`); SECURITY.md gives the command to run by hand"
        );
        return;
    }
    let dir = Scratch::bare("no-network");
    // The examples' config loads their custom rules; `--no-config` with the built-in catalog
    // named again reads rules and catalog the other way.
    let catalog = repo().join("rules/systems").to_string_lossy().into_owned();
    let runs: [&[&str]; 6] = [
        &["check", "--now", NOW, "examples"],
        &[
            "check", "--now", NOW, "--format", "sarif", "-j", "4", "examples",
        ],
        &["check", "--now", NOW, "--format", "json", "examples"],
        &[
            "check",
            "--now",
            NOW,
            "--no-config",
            "--catalog",
            &catalog,
            "examples",
        ],
        &["inventory", "--now", NOW, "--format", "html", "examples"],
        &["explain", "leaked-secret"],
    ];
    for (i, args) in runs.iter().enumerate() {
        let log = dir.path(&format!("strace-{i}.log"));
        let strace = [
            "strace".as_ref(),
            "-f".as_ref(),
            "-e".as_ref(),
            "trace=network".as_ref(),
            "-o".as_ref(),
            log.as_os_str(),
        ];
        let out = Bin::new().args(*args).wrapped_in(strace).run();
        let stderr = &out.stderr;
        let code = out.code;
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if !text.contains("+++ exited with") {
            if stderr.contains("ptrace") || stderr.contains("not permitted") {
                // Tracing is not allowed here (a container without CAP_SYS_PTRACE, say).
                eprintln!(
                    "skipping the_binary_makes_no_network_call: strace cannot trace here:\n{stderr}"
                );
                return;
            }
            panic!(
                "strace recorded nothing for bridgelint {args:?} (exit {code}):\n{stderr}\n{text}"
            );
        }
        assert!(
            matches!(code, 0 | 1),
            "bridgelint {args:?} under strace exited {code}:\n{stderr}"
        );
        let calls = network_calls(&text);
        assert!(
            calls.is_empty(),
            "bridgelint {args:?} made network system calls:\n{}",
            calls.join("\n")
        );
    }
}
