//! `check --fix`, `--unsafe-fixes`, `--diff` and `--stdin-filename --fix` on real files
//! (editing.md, "Fixes"). Each folder of `tests/fixes/cases/` is a project: its documents, the
//! expected text of each file a fix changes (`NAME.fixed`, byte for byte), and `args` (extra
//! options, one per line). The case is copied to a scratch folder and fixed; every file must
//! then equal its `.fixed` (or be unchanged when it has none), a second run must change
//! nothing, `--diff` on the original must show the change and exit 1, and on the result
//! nothing and exit 0.

#[path = "../support/mod.rs"]
mod support;

use std::path::Path;

use support::{Scratch, NOW};

/// The files of a case folder, relative, sorted.
fn files_of(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("case folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn cases() -> Vec<std::path::PathBuf> {
    let root = support::repo().join("tests/fixes/cases");
    let mut out: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fixes/cases")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// A scratch project holding the case's documents (not its `.fixed` files nor `args`).
fn scratch_of(case: &Path) -> (Scratch, Vec<String>) {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let s = Scratch::with_config(&format!("fix-{name}"), "{}\n");
    let mut docs = Vec::new();
    for f in files_of(case) {
        if f.ends_with(".fixed") || f == "args" {
            continue;
        }
        s.write(&f, std::fs::read(case.join(&f)).unwrap());
        docs.push(f);
    }
    (s, docs)
}

fn extra_args(case: &Path) -> Vec<String> {
    std::fs::read_to_string(case.join("args"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn run(s: &Scratch, case: &Path, mode: &str) -> support::Run {
    let mut args = vec!["check".to_string(), "--now".into(), NOW.into(), mode.into()];
    args.extend(extra_args(case));
    args.extend(["--format".into(), "compact".into(), ".".into()]);
    s.bin().args(&args).run()
}

#[test]
fn every_case_fixes_exactly_and_a_second_run_changes_nothing() {
    let cases = cases();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (s, docs) = scratch_of(&case);
        let before: Vec<Vec<u8>> = docs
            .iter()
            .map(|d| std::fs::read(s.path(d)).unwrap())
            .collect();
        let diff = run(&s, &case, "--diff");
        let changes = docs
            .iter()
            .any(|d| case.join(format!("{d}.fixed")).exists());
        assert_eq!(
            diff.code,
            i32::from(changes),
            "{name}: --diff status\n{}{}",
            diff.stdout,
            diff.stderr
        );
        for (d, b) in docs.iter().zip(&before) {
            assert_eq!(
                &std::fs::read(s.path(d)).unwrap(),
                b,
                "{name}: --diff wrote {d}"
            );
        }
        let fixed = run(&s, &case, "--fix");
        assert_ne!(fixed.code, 2, "{name}: {}", fixed.stderr);
        for d in &docs {
            let expected = match std::fs::read(case.join(format!("{d}.fixed"))) {
                Ok(e) => e,
                Err(_) => std::fs::read(case.join(d)).unwrap(),
            };
            let got = std::fs::read(s.path(d)).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&expected),
                "{name}: {d} after --fix\n{}{}",
                fixed.stdout,
                fixed.stderr
            );
        }
        let after: Vec<Vec<u8>> = docs
            .iter()
            .map(|d| std::fs::read(s.path(d)).unwrap())
            .collect();
        let again = run(&s, &case, "--fix");
        for (d, a) in docs.iter().zip(&after) {
            assert_eq!(
                &std::fs::read(s.path(d)).unwrap(),
                a,
                "{name}: a second --fix changed {d}"
            );
        }
        assert!(!again.stderr.contains("fixed"), "{name}: {}", again.stderr);
        let diff = run(&s, &case, "--diff");
        assert_eq!(
            (diff.code, diff.stdout.as_str()),
            (0, ""),
            "{name}: --diff after --fix"
        );
    }
}
