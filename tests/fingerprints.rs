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
    let outcome = pipeline::run(prep, &[], false);
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

/// The lines of `a` that `b` lacks, at most a screenful of them.
fn missing_from(a: &str, b: &str) -> String {
    let b: std::collections::HashSet<&str> = b.lines().collect();
    let lines: Vec<&str> = a.lines().filter(|l| !b.contains(l)).collect();
    let mut shown = lines
        .iter()
        .take(20)
        .fold(String::new(), |s, l| s + "\n  " + l);
    if lines.len() > 20 {
        shown += &format!("\n  … and {} more", lines.len() - 20);
    }
    shown
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
    if pinned == generated {
        return;
    }
    let (gone, new) = (
        missing_from(&pinned, &generated),
        missing_from(&generated, &pinned),
    );
    let update =
        format!("`UPDATE_FINGERPRINTS=1 cargo test --test fingerprints` and commit {GOLDEN}");
    if gone.is_empty() {
        panic!(
            "new findings in the pinned runs (a new rule, field or fixture), and no pinned \
             fingerprint changed; pin them with {update}:{new}"
        );
    }
    panic!(
        "baseline fingerprints changed: users' baseline entries for these findings would no \
         longer match, and the findings would come back.\npinned, now gone:{gone}\nnew:{new}\n\
         If a route, subject, path or rule changed by mistake (e.g. a field's `.route(..)` in \
         src/model/fields.rs), undo it. If the change is meant (and its commit says why), run \
         {update}."
    );
}
