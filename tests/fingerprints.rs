//! Baseline fingerprints stay what they are. A fingerprint hashes a finding's rule, path,
//! route in its document and subject (`finding.rs`); users' baselines hold them, so a change
//! to any of these, such as a field's route in `src/model/fields.rs`, makes their entries
//! stale and brings baselined findings back. This test pins the fingerprint of every finding
//! of `examples/`, of its policy fixtures and of every built-in rule fixture folder in
//! `tests/data/fingerprints.txt`, with the route beside it for the reader.
//! `UPDATE_FINGERPRINTS=1 cargo test --test fingerprints` rewrites the file: only for a change
//! that means to change fingerprints, said in its commit.

use std::path::{Path, PathBuf};

use bridgelint::pipeline::{self, Request};

const GOLDEN: &str = "tests/data/fingerprints.txt";

const HEADER: &str = "\
# The fingerprint of every finding of examples/, examples/policy/fixtures/* and
# rules/fixtures/* (one run per folder, today 2026-11-27), pinned by tests/fingerprints.rs:
# users' baselines hold these. Each line: folder and path, route, rule, fingerprint.
# Rewrite only on purpose: UPDATE_FINGERPRINTS=1 cargo test --test fingerprints
";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sorted subfolders of a folder of the repository.
fn folders(under: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(repo().join(under))
        .expect("reads the folder")
        .map(|e| e.expect("lists the folder").path())
        .filter(|p| p.is_dir())
        .collect();
    found.sort();
    found
}

/// One line per finding of a run over `folder`, sorted (lines move, fingerprints must not).
fn fingerprints(folder: &Path, req: Request) -> Vec<String> {
    let prep = pipeline::prepare(&req, folder).expect("a valid invocation");
    let outcome = pipeline::run(prep, None, false);
    let shown = folder
        .strip_prefix(repo())
        .expect("a folder of the repository")
        .to_string_lossy()
        .replace('\\', "/");
    let mut lines: Vec<String> = bridgelint::report::visible(&outcome.report)
        .map(|d| {
            format!(
                "{shown}/{} {:?} {} {}",
                d.rel, d.route, d.rule, d.fingerprint
            )
        })
        .collect();
    lines.sort();
    lines
}

fn now() -> Option<i32> {
    bridgelint::model::date::parse("2026-11-27")
}

/// A fixture folder run as `test-rules` runs it: alone, no config, the folder as the context.
fn fixture_request(folder: &Path, rules_dirs: Vec<PathBuf>) -> Request {
    Request {
        paths: vec![folder.to_path_buf()],
        no_context: true,
        no_config: true,
        now: now(),
        rules_dirs,
        jobs: Some(1),
        root: Some(folder.to_path_buf()),
        ..Request::default()
    }
}

fn current() -> String {
    let mut lines = Vec::new();
    let examples = repo().join("examples");
    let req = Request {
        paths: vec![examples.clone()],
        now: now(),
        jobs: Some(1),
        ..Request::default()
    };
    lines.extend(fingerprints(&examples, req));
    // The same files with only a rule that points at the route shapes the others do not reach.
    let req = Request {
        paths: vec![examples.clone()],
        now: now(),
        jobs: Some(1),
        rules_dirs: vec![repo().join("tests/data/route-shapes")],
        select: Some(vec!["route-shapes".into()]),
        ..Request::default()
    };
    lines.extend(fingerprints(&examples, req));
    let policy = vec![examples.join("policy/rules")];
    for folder in folders("examples/policy/fixtures") {
        lines.extend(fingerprints(
            &folder,
            fixture_request(&folder, policy.clone()),
        ));
    }
    for folder in folders("rules/fixtures") {
        lines.extend(fingerprints(&folder, fixture_request(&folder, Vec::new())));
    }
    let mut text = HEADER.to_string();
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// The lines of `a` that `b` lacks, at most a screenful.
fn missing_from<'t>(a: &'t str, b: &str) -> Vec<&'t str> {
    let b: std::collections::HashSet<&str> = b.lines().collect();
    a.lines().filter(|l| !b.contains(l)).take(20).collect()
}

#[test]
fn baseline_fingerprints_do_not_change() {
    let generated = current();
    let path = repo().join(GOLDEN);
    if std::env::var_os("UPDATE_FINGERPRINTS").is_some() {
        std::fs::write(&path, &generated).expect("writes");
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        pinned == generated,
        "baseline fingerprints changed: users' baseline entries for these findings would no \
         longer match, and the findings would come back.\n\
         pinned, now gone:\n  {}\nnew:\n  {}\n\
         If a route, subject, path or rule changed by mistake (e.g. a field's `.route(..)` in \
         src/model/fields.rs), undo it. If the change is meant (and its commit says why), run \
         `UPDATE_FINGERPRINTS=1 cargo test --test fingerprints` and commit {GOLDEN}.",
        missing_from(&pinned, &generated).join("\n  "),
        missing_from(&generated, &pinned).join("\n  "),
    );
}
