//! Deterministic output (ARCHITECTURE.md, "Invariants"): the same input gives the same bytes
//! whatever the number of worker threads and however often it runs.
//!
//! The test writes a large project in a scratch folder (a few hundred integrations over a dozen
//! team folders, YAML and JSON, with their inventories, and defects of every kind: plaintext
//! secrets, leaked tokens, http URLs, missing and overdue rotations, expired credentials,
//! unknown and personal accounts, shared accounts, missing and admin permissions, duplicate
//! names and keys, schema violations, broken files, suppressions, aliases), then runs the real
//! binary three times with `-j 1` and three times with `-j 4`, interleaved, for every machine
//! format and for `human --color never`, and compares the bytes of standard output. The
//! inventory's formats are compared the same way.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

mod support;
use support::Scratch;

const NOW: &str = "2026-11-27";
const TEAMS: usize = 12;
const PER_TEAM: usize = 30;
/// Runs per thread count.
const REPEAT: usize = 3;

// ------------------------------------------------------------------------------ corpus

/// (system, short name, credential type, URL, the permissions its account is granted)
const SYSTEMS: [(&str, &str, &str, &str, &[&str]); 5] = [
    (
        "jira-cloud",
        "jira",
        "api-token",
        "https://acme-{t}.atlassian.net",
        &["BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES"],
    ),
    (
        "azure-devops",
        "ado",
        "personal-access-token",
        "https://dev.azure.com/acme-{t}",
        &["vso.work_write"],
    ),
    (
        "servicenow",
        "snow",
        "oauth-client-credentials",
        "https://acme{t}.service-now.com",
        &["itil"],
    ),
    (
        "gitlab",
        "gitlab",
        "personal-access-token",
        "https://gitlab.acme-{t}.example",
        &["api"],
    ),
    (
        "github",
        "github",
        "personal-access-token",
        "https://github.com/acme-{t}",
        &["issues:write"],
    ),
];

/// A deterministic token-like string of `n` alphanumerics for integration `seed`.
fn token(seed: usize, n: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            ALNUM[(x.wrapping_mul(0x2545_f491_4f6c_dd1d) % ALNUM.len() as u64) as usize] as char
        })
        .collect()
}

/// The ServiceAccounts inventory of team `t` (JSON for every fourth team).
fn accounts(t: usize) -> (String, String) {
    let mut entries = Vec::new();
    for (k, (system, short, _, _, perms)) in SYSTEMS.iter().enumerate() {
        let n = t * SYSTEMS.len() + k;
        let personal = n % 9 == 4;
        let mut perms: Vec<&str> = perms.to_vec();
        if n % 8 == 3 {
            perms.push(match *short {
                "jira" => "ADMINISTER",
                "snow" => "admin",
                "gitlab" => "sudo",
                "github" => "admin:org",
                _ => "app_token",
            });
        }
        if n % 6 == 1 && *short == "jira" {
            perms.push("ADD_COMMENTS");
        }
        let reviewed = if n % 7 == 2 {
            "2025-01-15"
        } else {
            "2026-10-01"
        };
        entries.push((
            format!("t{t:02}-{short}"),
            *system,
            if personal { "personal" } else { "service" },
            if personal {
                format!("jane.doe{t}@acme.example")
            } else {
                format!("t{t:02}-{short}@sync.acme.example")
            },
            perms,
            reviewed,
            n % 10 != 5,
            n % 11 == 7,
        ));
    }
    // An account nobody uses.
    entries.push((
        format!("t{t:02}-retired"),
        "zendesk",
        "service",
        format!("t{t:02}-zendesk@sync.acme.example"),
        vec!["admin"],
        "2026-01-01",
        true,
        false,
    ));
    if t % 4 == 3 {
        let mut map = serde_json::Map::new();
        for (id, system, kind, user, perms, reviewed, tested, undocumented) in &entries {
            let mut a = json!({
                "system": system, "type": kind, "username": user,
                "display_name": format!("Sync {id}"), "owner": format!("team-{t:02}"),
                "permissions": perms, "login": "api-only", "reviewed": reviewed,
            });
            if !undocumented {
                a["purpose"] = json!(format!("Mirrors the work items of team {t}"));
            }
            if *tested {
                a["tested"] = json!("2026-10-02");
            }
            map.insert(id.clone(), a);
        }
        let doc = json!({
            "apiVersion": "bridgelint/v1", "kind": "ServiceAccounts",
            "metadata": { "owner": format!("team-{t:02}") },
            "accounts": Value::Object(map),
        });
        let text = serde_json::to_string_pretty(&doc).expect("serialisable") + "\n";
        (format!("teams/team-{t:02}/accounts.json"), text)
    } else {
        let mut y = format!(
            "# Accounts of team {t}\napiVersion: bridgelint/v1\nkind: ServiceAccounts\nmetadata:\n  owner: team-{t:02}\naccounts:\n"
        );
        for (id, system, kind, user, perms, reviewed, tested, undocumented) in &entries {
            let _ = write!(
                y,
                "  {id}:\n    system: {system}\n    type: {kind}\n    username: {user}\n    display_name: Sync {id}\n    owner: team-{t:02}\n"
            );
            if !undocumented {
                let _ = writeln!(y, "    purpose: Mirrors the work items of team {t}");
            }
            let _ = write!(
                y,
                "    permissions: [{}]\n    login: api-only\n    reviewed: {reviewed}\n",
                perms.join(", ")
            );
            if *tested {
                y.push_str("    tested: 2026-10-02\n");
            }
        }
        (format!("teams/team-{t:02}/accounts.yaml"), y)
    }
}

/// One connection of integration `n`.
struct Conn {
    id: &'static str,
    system: &'static str,
    url: String,
    account: String,
    kind: &'static str,
    secret: String,
    expires: Option<&'static str>,
    rotation: Option<(u32, &'static str)>,
}

/// Integration `n` (team `t`): its path and text.
fn integration(t: usize, i: usize) -> (String, String) {
    let n = t * PER_TEAM + i;
    let a = (i + t) % SYSTEMS.len();
    let b = (a + 1 + i % (SYSTEMS.len() - 1)) % SYSTEMS.len();
    let name = if n % 29 == 9 {
        format!("int-{:04}", n - 1) // duplicate-name
    } else {
        format!("int-{n:04}")
    };
    let environment = ["prod", "staging", "test"][n % 3];
    let conn = |k: usize, which: usize| -> Conn {
        let (system, short, kind, url, _) = SYSTEMS[k];
        let mut url = url.replace("{t}", &t.to_string());
        if which == 0 && n % 11 == 4 {
            url = url.replacen("https://", "http://", 1); // insecure-url
        }
        let account = if which == 1 && n % 17 == 6 {
            format!("t{t:02}-ghost") // unknown-account
        } else {
            format!("t{t:02}-{short}")
        };
        let secret = if which == 0 && n % 7 == 3 {
            format!("pw-{n}-{}", token(n, 10)) // plaintext-secret
        } else {
            format!("env:{}_{}", short.to_uppercase(), n)
        };
        let expires = match n % 23 {
            8 => Some("2026-01-31"),  // credential-expired
            15 => None,               // missing-expiry
            16 => Some("2026-12-10"), // credential-expiring
            _ => Some("2027-06-30"),
        };
        let rotation = match n % 13 {
            5 if which == 1 => None,        // missing-rotation
            6 => Some((90, "2026-01-02")),  // rotation-overdue
            7 => Some((365, "2026-11-01")), // rotation-interval-too-long
            _ => Some((90, "2026-11-01")),
        };
        Conn {
            id: short,
            system,
            url,
            account,
            kind,
            secret,
            expires,
            rotation,
        }
    };
    let conns = [conn(a, 0), conn(b, 1)];
    let mut sync_ab = vec!["create", "update"];
    if n % 4 == 1 {
        sync_ab.push("comments");
    }
    if n % 6 == 5 {
        sync_ab.push("status");
    }
    let description = if n % 19 == 7 {
        format!("Sync; old token ghp_{} pasted here", token(n, 36)) // leaked-secret
    } else {
        format!("Mirrors {} into {}", conns[0].id, conns[1].id)
    };
    let sub = if i % 10 == 9 {
        "integrations/archive/2025"
    } else {
        "integrations"
    };

    if n % 5 == 0 {
        // JSON.
        let mut cmap = serde_json::Map::new();
        for c in &conns {
            let mut cred = json!({ "type": c.kind, "secret": c.secret });
            if c.kind == "oauth-client-credentials" {
                cred["client_id"] = json!(format!("client-{n}"));
            }
            if let Some(e) = c.expires {
                cred["expires"] = json!(e);
            }
            if let Some((days, last)) = c.rotation {
                cred["rotation"] = json!({ "interval_days": days, "last_rotated": last });
            }
            cmap.insert(
                c.id.to_string(),
                json!({ "system": c.system, "url": c.url, "account": c.account, "credential": cred }),
            );
        }
        let mut metadata = json!({
            "name": name, "owner": format!("team-{t:02}"),
            "environment": environment, "description": description,
        });
        if n % 31 == 10 {
            metadata["colour"] = json!("blue"); // schema-violation
        }
        let doc = json!({
            "apiVersion": "bridgelint/v1", "kind": "Integration", "metadata": metadata,
            "connections": Value::Object(cmap),
            "flows": [
                { "from": conns[0].id, "to": conns[1].id, "sync": sync_ab },
                { "from": conns[1].id, "to": conns[0].id, "sync": ["comments"] },
            ],
        });
        let text = serde_json::to_string_pretty(&doc).expect("serialisable") + "\n";
        return (format!("teams/team-{t:02}/{sub}/int-{n:04}.json"), text);
    }

    let mut y = String::new();
    let _ = write!(
        y,
        "# Integration {n} of team {t}\napiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: {name}\n  owner: team-{t:02}\n"
    );
    if n % 43 == 13 {
        let _ = writeln!(y, "  owner: team-{t:02}-again"); // duplicate-key
    }
    if n % 31 == 10 {
        y.push_str("  colour: blue\n"); // schema-violation
    }
    let _ = write!(
        y,
        "  environment: {environment}\n  description: \"{description}\"\nconnections:\n"
    );
    for (which, c) in conns.iter().enumerate() {
        let _ = write!(y, "  {}:\n    system: {}\n", c.id, c.system);
        if which == 0 && n % 37 == 11 {
            // A suppression: used when the URL is insecure, unused otherwise.
            y.push_str("    # bridgelint: ignore[insecure-url] legacy endpoint, SEC-9\n");
        }
        let _ = write!(
            y,
            "    url: {}\n    account: {}\n    credential:\n      type: {}\n      secret: \"{}\"\n",
            c.url, c.account, c.kind, c.secret
        );
        if c.kind == "oauth-client-credentials" {
            let _ = writeln!(y, "      client_id: client-{n}");
        }
        if let Some(e) = c.expires {
            let _ = writeln!(y, "      expires: {e}");
        }
        if let Some((days, last)) = c.rotation {
            if n % 47 == 14 {
                // The same rotation through an alias.
                if which == 0 {
                    let _ = writeln!(
                        y,
                        "      rotation: &rot {{ interval_days: {days}, last_rotated: {last} }}"
                    );
                } else {
                    y.push_str("      rotation: *rot\n");
                }
            } else {
                let _ = writeln!(
                    y,
                    "      rotation: {{ interval_days: {days}, last_rotated: {last} }}"
                );
            }
        }
    }
    let _ = write!(
        y,
        "flows:\n  - from: {}\n    to: {}\n    sync: [{}]\n  - {{ from: {}, to: {}, sync: [comments] }}\n",
        conns[0].id,
        conns[1].id,
        sync_ab.join(", "),
        conns[1].id,
        conns[0].id
    );
    if n % 41 == 12 {
        y.push_str("  - { from: [unclosed\n"); // parse-error
    }
    (format!("teams/team-{t:02}/{sub}/int-{n:04}.yaml"), y)
}

/// Writes the corpus; returns the scratch folder and the number of files of ours.
fn corpus(tag: &str) -> (Scratch, usize) {
    corpus_of(tag, TEAMS)
}

/// The corpus with `teams` teams of PER_TEAM integrations each.
fn corpus_of(tag: &str, teams: usize) -> (Scratch, usize) {
    let s = Scratch::bare(tag);
    s.write(
        ".bridgelint.yaml",
        "rules:\n  rotation-interval-too-long: { max_days: 180 }\nper_path:\n  - paths: [\"teams/team-00/**\"]\n    rules: { stale-review: off }\n",
    );
    s.write("README.md", "# Integrations\n");
    s.write(
        "ci/pipeline.yaml",
        "stages: [lint]\nlint:\n  script: bridgelint check .\n",
    );
    let mut files = 0;
    for t in 0..teams {
        let (p, text) = accounts(t);
        s.write(&p, &text);
        files += 1;
        for i in 0..PER_TEAM {
            let (p, text) = integration(t, i);
            s.write(&p, &text);
            files += 1;
        }
    }
    (s, files)
}

// ------------------------------------------------------------------------------- runs

/// Runs the binary in `dir` and returns standard output (bytes) and the exit status.
fn run(dir: &Path, args: &[&str]) -> (Vec<u8>, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_bridgelint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    let code = out.status.code().expect("exited normally (no signal)");
    assert!(
        code == 0 || code == 1,
        "bridgelint {args:?} exited {code}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, code)
}

/// The first line where two outputs differ, for the failure message.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (n, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  first: {x}\n  now:   {y}", n + 1);
        }
    }
    format!(
        "one output is a prefix of the other ({} and {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}

/// Runs `command ARGS .` REPEAT times with `-j 1` and REPEAT times with `-j 4`, interleaved;
/// every output must be byte-identical to the first. Returns it.
fn same_bytes(command: &str, args: &[&str], tag: &str) -> Vec<u8> {
    let (dir, files) = corpus(tag);
    assert!(files > 300, "a large corpus ({files} files)");
    let mut first: Option<(Vec<u8>, i32, String)> = None;
    for round in 0..REPEAT {
        for jobs in ["1", "4"] {
            let mut a = vec![command, "--now", NOW, "-j", jobs];
            a.extend(args);
            a.push(".");
            let (out, code) = run(&dir.dir, &a);
            let label = format!("-j {jobs} (run {})", round + 1);
            match &first {
                None => first = Some((out, code, label)),
                Some((expected, expected_code, first_label)) => {
                    assert_eq!(
                        code, *expected_code,
                        "{command} {args:?}: exit status of {label} differs from {first_label}"
                    );
                    assert!(
                        out == *expected,
                        "{command} {args:?}: the output of {label} differs from {first_label}; {}",
                        first_difference(expected, &out)
                    );
                }
            }
        }
    }
    first.expect("at least one run").0
}

/// The rules a `json` report names, for the sanity checks.
fn rules_in(json: &[u8]) -> Vec<String> {
    let v: Value = serde_json::from_slice(json).expect("the json format is JSON");
    let mut rules: Vec<String> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("a rule").to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

// ------------------------------------------------------------------------------ tests

#[test]
fn json_is_byte_identical_across_runs_and_thread_counts() {
    let out = same_bytes("check", &["--format", "json"], "json");
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    let count = v["diagnostics"].as_array().expect("diagnostics").len();
    assert!(count > 500, "the corpus has many findings ({count})");
    // The corpus exercises every kind of finding that could be ordered differently.
    let rules = rules_in(&out);
    for rule in [
        "admin-privilege",
        "credential-expired",
        "credential-expiring",
        "duplicate-key",
        "duplicate-name",
        "insecure-url",
        "leaked-secret",
        "missing-expiry",
        "missing-permission",
        "missing-rotation",
        "parse-error",
        "personal-account",
        "plaintext-secret",
        "rotation-overdue",
        "rotation-interval-too-long",
        "schema-violation",
        "shared-account",
        "stale-review",
        "undocumented-account",
        "unknown-account",
        "unused-account",
        "unused-suppression",
        "untested-account",
    ] {
        assert!(
            rules.iter().any(|r| r == rule),
            "the corpus raises no `{rule}` (rules: {rules:?})"
        );
    }
    assert!(
        v["summary"]["suppressed"].as_u64() > Some(0),
        "{}",
        v["summary"]
    );
}

#[test]
fn sarif_is_byte_identical_across_runs_and_thread_counts() {
    let out = same_bytes("check", &["--format", "sarif"], "sarif");
    let v: Value = serde_json::from_slice(&out).expect("SARIF is JSON");
    assert!(v["runs"][0]["results"].as_array().expect("results").len() > 500);
}

#[test]
fn github_is_byte_identical_across_runs_and_thread_counts() {
    let out = same_bytes("check", &["--format", "github"], "github");
    assert!(String::from_utf8_lossy(&out).lines().count() > 500);
}

#[test]
fn gitlab_is_byte_identical_across_runs_and_thread_counts() {
    let out = same_bytes("check", &["--format", "gitlab"], "gitlab");
    let v: Value = serde_json::from_slice(&out).expect("the GitLab report is JSON");
    assert!(v.as_array().expect("an array").len() > 500);
}

#[test]
fn compact_is_byte_identical_across_runs_and_thread_counts() {
    let out = same_bytes("check", &["--format", "compact"], "compact");
    assert!(String::from_utf8_lossy(&out).lines().count() > 500);
}

#[test]
fn human_is_byte_identical_across_runs_and_thread_counts() {
    let out = same_bytes("check", &["--format", "human", "--color", "never"], "human");
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("error[missing-permission]"), "human output");
    assert!(
        text.lines().last().is_some_and(|l| l.contains(" errors, ")),
        "the summary closes the output"
    );
}

#[test]
fn inventory_is_byte_identical_across_runs_and_thread_counts() {
    for format in ["table", "markdown", "csv", "json", "html"] {
        let out = same_bytes(
            "inventory",
            &["--format", format],
            &format!("inventory-{format}"),
        );
        assert!(
            String::from_utf8_lossy(&out).lines().count() > 300,
            "inventory {format} has a row per use"
        );
    }
}

/// The `path` of each item of a JSON array (diagnostics, related locations), in order.
fn paths_of(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| d["path"].as_str().expect("path"))
        .collect()
}

#[test]
fn a_corpus_of_several_chunks_merges_in_order_whatever_the_thread_count() {
    // Files are parsed a chunk (256 files) at a time, and each chunk is merged while the next
    // one is parsed: with several chunks, a merge out of order would change file ids, and with
    // them the order of findings and the cross-file results.
    let (dir, files) = corpus_of("chunks", 75);
    assert!(files > 8 * 256, "several chunks ({files} files)");
    let args = |jobs: &'static str| ["check", "--now", NOW, "-j", jobs, "--format", "json", "."];
    let (one, code_one) = run(&dir.dir, &args("1"));
    let (four, code_four) = run(&dir.dir, &args("4"));
    assert_eq!(code_one, code_four);
    assert!(one == four, "{}", first_difference(&one, &four));
    let v: Value = serde_json::from_slice(&one).expect("JSON");
    assert_eq!(
        v["summary"]["files"].as_u64(),
        Some(files as u64),
        "every file is counted once"
    );
    let paths = paths_of(&v["diagnostics"]);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "findings come out in path order");
    // A cross-file result: accounts declared in the first chunk are used from the last.
    assert!(
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["rule"] == "unknown-account"
                && d["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("teams/team-74/"))),
        "the last chunk is resolved against the whole project"
    );
}

#[test]
fn a_one_per_group_spread_over_engine_jobs_is_one_finding() {
    // The engine evaluates a check's entities in jobs of 1,024; `missing-permission` reports one
    // finding per (account, capability), the first in entity order, gathering the flows of the
    // others. Here every integration's `comments` need on the one Jira account lacks its
    // permission: 1,100 integrations give over 4,000 needs, so the group spans every job.
    const INTEGRATIONS: usize = 1100;
    let dir = Scratch::new("one-per-jobs");
    dir.write("accounts.yaml", support::CLEAN_ACCOUNTS);
    for i in 0..INTEGRATIONS {
        let doc = support::CLEAN_INTEGRATION
            .replace("name: jira-ado", &format!("name: jira-ado-{i:04}"))
            .replace(
                "    sync: [create, update]\n",
                "    sync: [create, update]\n  - from: ado\n    to: jira\n    sync: [comments]\n",
            );
        dir.write(&format!("integrations/i-{i:04}.yaml"), doc);
    }
    for jobs in ["1", "2"] {
        let (out, _) = run(
            &dir.dir,
            &["check", "--now", NOW, "-j", jobs, "--format", "json", "."],
        );
        let v: Value = serde_json::from_slice(&out).expect("JSON");
        let missing: Vec<&Value> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["rule"] == "missing-permission")
            .collect();
        assert_eq!(missing.len(), 1, "one finding for the group (-j {jobs})");
        let d = missing[0];
        assert_eq!(d["path"], "accounts.yaml", "at the account's permissions");
        let related = paths_of(&d["related"]);
        assert_eq!(
            related.len(),
            INTEGRATIONS,
            "every integration's flow is related"
        );
        assert_eq!(related.first(), Some(&"integrations/i-0000.yaml"));
        assert_eq!(
            related.last(),
            Some(&format!("integrations/i-{:04}.yaml", INTEGRATIONS - 1).as_str()),
            "flows from the last job are gathered into the first finding"
        );
    }
}

/// Every YAML/JSON file under `dir/rel`, relative to `dir`, sorted.
fn files_under(dir: &Path, rel: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join(rel)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read a folder") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "json") {
                let r = p.strip_prefix(dir).expect("under dir");
                out.push(r.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_named_file_gets_exactly_its_findings_of_a_run_over_the_whole_project() {
    // cli.md: a run naming files reports the findings whose primary or related location lies in
    // them, with the whole project as context. When only files are named, context files whose
    // bytes cannot relate to them are not parsed (prune.rs); this compares, file by file, with
    // the findings of a run over the whole project.
    let (dir, _) = corpus("named-vs-all");
    let (all, _) = run(&dir.dir, &["check", "--now", NOW, "--format", "json", "."]);
    let all: Value = serde_json::from_slice(&all).expect("JSON");
    let all = all["diagnostics"].as_array().expect("diagnostics");
    let in_file = |d: &Value, file: &str| {
        d["path"] == file
            || d["related"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x["path"] == file))
    };
    let files = files_under(&dir.dir, "teams");
    let mut compared = 0;
    let mut cross_file = 0;
    for (i, file) in files.iter().enumerate() {
        // Every inventory, and every third integration.
        if !(file.ends_with("accounts.yaml") || file.ends_with("accounts.json") || i % 3 == 0) {
            continue;
        }
        let (one, _) = run(&dir.dir, &["check", "--now", NOW, "--format", "json", file]);
        let one: Value = serde_json::from_slice(&one).expect("JSON");
        let got: Vec<&Value> = one["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .collect();
        let expected: Vec<&Value> = all.iter().filter(|d| in_file(d, file)).collect();
        assert!(
            got == expected,
            "{file}: named alone it reports\n{}\nbut the whole project reports for it\n{}",
            serde_json::to_string_pretty(&got).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap()
        );
        compared += 1;
        cross_file += expected
            .iter()
            .filter(|d| {
                d["related"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x["path"] != d["path"]))
            })
            .count();
    }
    assert!(compared > 100, "compared {compared} files");
    assert!(
        cross_file > 50,
        "the comparison covers cross-file findings ({cross_file})"
    );
    // And the context was pruned in such a run.
    let out = Command::new(env!("CARGO_BIN_EXE_bridgelint"))
        .args(["check", "--now", NOW, "-v", &files[1]])
        .current_dir(&dir.dir)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("context files not parsed"), "{err}");
}
