//! Deterministic output (ARCHITECTURE.md, "Invariants"): the same input gives the same bytes
//! whatever the number of worker threads and however often it runs.
//!
//! The test writes a large project in a scratch folder (`corpus.rs`: a few hundred integrations
//! over a dozen team folders, YAML and JSON, with their inventories, and defects of every kind:
//! plaintext secrets, leaked tokens, http URLs, missing and overdue rotations, expired
//! credentials, unknown and personal accounts, shared accounts, missing and admin permissions,
//! duplicate names and keys, schema violations, broken files, suppressions, aliases), then runs
//! the real binary three times with `-j 1` and three times with `-j 4`, interleaved, for every
//! machine format and for `human --color never`, and compares the bytes of standard output. The
//! inventory's formats are compared the same way.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

#[path = "../support/mod.rs"]
mod support;
use support::{json_of, Bin, Scratch, INVENTORY_FORMATS, NOW};

mod corpus;
use corpus::{corpus, corpus_of};

/// Runs per thread count.
const REPEAT: usize = 3;
/// The hang limit of a run over thousands of files.
const LONG: Duration = Duration::from_secs(120);

// ------------------------------------------------------------------------------- runs

/// Runs the binary in `dir` (exit status 0 or 1) and returns standard output and the status.
fn run_linted(dir: &Path, args: &[&str]) -> (String, i32) {
    let r = Bin::new()
        .args(args)
        .current_dir(dir)
        .timeout(LONG)
        .run()
        .linted();
    (r.stdout, r.code)
}

/// The first line where two outputs differ, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
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

/// Runs `command ARGS .` in `dir` REPEAT times with `-j 1` and REPEAT times with `-j 4`,
/// interleaved; every output must be byte-identical to the first. Returns it.
fn same_bytes(dir: &Path, command: &str, args: &[&str]) -> String {
    let mut first: Option<(String, i32, String)> = None;
    for round in 0..REPEAT {
        for jobs in ["1", "4"] {
            let mut a = vec![command, "--now", NOW, "-j", jobs];
            a.extend(args);
            a.push(".");
            let (out, code) = run_linted(dir, &a);
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

/// The corpus, asserted large.
fn large_corpus(tag: &str) -> Scratch {
    let (dir, files) = corpus(tag);
    assert!(files > 300, "a large corpus ({files} files)");
    dir
}

/// The rules a `json` report names, for the sanity checks.
fn rules_in(report: &Value) -> Vec<String> {
    let mut rules = support::rules_of(report);
    rules.sort();
    rules.dedup();
    rules
}

// ------------------------------------------------------------------------------ tests

#[test]
fn json_is_byte_identical_across_runs_and_thread_counts() {
    let dir = large_corpus("json");
    let out = same_bytes(&dir.dir, "check", &["--format", "json"]);
    let v = json_of(&out);
    let count = v["diagnostics"].as_array().expect("diagnostics").len();
    assert!(count > 500, "the corpus has many findings ({count})");
    // The corpus exercises every kind of finding that could be ordered differently.
    let rules = rules_in(&v);
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

/// Asserts what an output holds besides being the same every time (so that it cannot be
/// trivially the same), given the case's name and the output.
type Holds = fn(&str, &str);

/// The other formats of `check`: each one's name, arguments, and what its output holds.
const CHECK_FORMATS: [(&str, &[&str], Holds); 5] = [
    ("sarif", &["--format", "sarif"], |name, out| {
        let v = json_of(out);
        let results = v["runs"][0]["results"].as_array().expect("results");
        assert!(results.len() > 500, "{name}: {} results", results.len());
    }),
    ("github", &["--format", "github"], |name, out| {
        assert!(
            out.lines().count() > 500,
            "{name}: {} lines",
            out.lines().count()
        );
    }),
    ("gitlab", &["--format", "gitlab"], |name, out| {
        let v = json_of(out);
        let issues = v.as_array().expect("an array");
        assert!(issues.len() > 500, "{name}: {} issues", issues.len());
    }),
    ("compact", &["--format", "compact"], |name, out| {
        assert!(
            out.lines().count() > 500,
            "{name}: {} lines",
            out.lines().count()
        );
    }),
    (
        "human",
        &["--format", "human", "--color", "never"],
        |name, out| {
            assert!(out.contains("error[missing-permission]"), "{name} output");
            assert!(
                out.lines().last().is_some_and(|l| l.contains(" errors, ")),
                "{name}: the summary closes the output"
            );
        },
    ),
];

#[test]
fn every_other_check_format_is_byte_identical_across_runs_and_thread_counts() {
    let dir = large_corpus("check-formats");
    for (name, args, holds) in CHECK_FORMATS {
        let out = same_bytes(&dir.dir, "check", args);
        holds(name, &out);
    }
}

#[test]
fn inventory_is_byte_identical_across_runs_and_thread_counts() {
    let dir = large_corpus("inventory");
    for format in INVENTORY_FORMATS {
        let out = same_bytes(&dir.dir, "inventory", &["--format", format]);
        // markdown and html have a row per account, mermaid and dot a line per flow; the
        // others a row per use.
        let (least, what) = match format {
            "markdown" | "html" => (40, "a row per account"),
            "mermaid" | "dot" => (40, "a line per flow"),
            _ => (300, "a row per use"),
        };
        let lines = out.lines().count();
        assert!(
            lines > least,
            "inventory {format} has {what} ({lines} lines)"
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
    let (one, code_one) = run_linted(&dir.dir, &args("1"));
    let (four, code_four) = run_linted(&dir.dir, &args("4"));
    assert_eq!(code_one, code_four);
    assert!(one == four, "{}", first_difference(&one, &four));
    let v = json_of(&one);
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
        let (out, _) = run_linted(
            &dir.dir,
            &["check", "--now", NOW, "-j", jobs, "--format", "json", "."],
        );
        let v = json_of(&out);
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
    let (all, _) = run_linted(&dir.dir, &["check", "--now", NOW, "--format", "json", "."]);
    let all = json_of(&all);
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
        let (one, _) = run_linted(&dir.dir, &["check", "--now", NOW, "--format", "json", file]);
        let one = json_of(&one);
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
    let out = dir.check().args(["-v", &files[1]]).timeout(LONG).run();
    let err = &out.stderr;
    assert!(err.contains("of the project context not parsed"), "{err}");
}
