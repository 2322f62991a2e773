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

/// The inventory of `unused-permission-block`, whose `MANAGE_WATCHERS` item no flow needs.
fn case_file(case: &str, file: &str) -> String {
    std::fs::read_to_string(
        support::repo()
            .join("tests/fixes/cases")
            .join(case)
            .join(file),
    )
    .expect("case file")
}

#[test]
fn stdin_fix_prints_the_fixed_text_and_the_report_on_stderr() {
    let s = Scratch::with_config("fix-stdin", "{}\n");
    s.write(
        "integration.yaml",
        case_file("unused-permission-block", "integration.yaml"),
    );
    let original = case_file("unused-permission-block", "accounts.yaml");
    s.write("accounts.yaml", &original);
    let run = s
        .bin()
        .args([
            "check",
            "--now",
            NOW,
            "--fix",
            "--unsafe-fixes",
            "--stdin-filename",
            "accounts.yaml",
        ])
        .stdin(&original)
        .run();
    assert_eq!(
        run.stdout,
        case_file("unused-permission-block", "accounts.yaml.fixed")
    );
    assert!(run.stderr.contains("1 fixed"), "{}", run.stderr);
    // The file on disk is the editor's business: untouched.
    assert_eq!(s.read("accounts.yaml"), original);
    // Nothing to fix: the same bytes come back.
    let clean = case_file("clean-nothing-to-fix", "accounts.yaml");
    let run = s
        .bin()
        .args([
            "check",
            "--now",
            NOW,
            "--fix",
            "--stdin-filename",
            "accounts.yaml",
        ])
        .stdin(&clean)
        .run();
    assert_eq!(run.stdout, clean);
}

#[test]
fn diff_prints_the_diff_on_stdout_and_the_report_on_stderr() {
    let s = Scratch::with_config("fix-diff", "{}\n");
    s.write(
        "integration.yaml",
        case_file("unused-permission-block", "integration.yaml"),
    );
    s.write(
        "accounts.yaml",
        case_file("unused-permission-block", "accounts.yaml"),
    );
    let run = s
        .bin()
        .args([
            "check",
            "--now",
            NOW,
            "--diff",
            "--unsafe-fixes",
            "--fail-on",
            "never",
            ".",
        ])
        .run();
    assert_eq!(
        run.code, 1,
        "a diff exits 1 whatever --fail-on:\n{}",
        run.stderr
    );
    assert!(
        run.stdout
            .starts_with("--- a/accounts.yaml\n+++ b/accounts.yaml\n@@ "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n-      - MANAGE_WATCHERS   # added for a test\n"),
        "{}",
        run.stdout
    );
    // The report of what would remain, on standard error: nothing, one finding fixed.
    assert!(
        run.stderr.ends_with("in 2 files (0 skipped); 1 fixed\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn add_suppression_covers_every_finding_once_and_merges_into_existing_comments() {
    let s = Scratch::with_config("add-suppression", "{}\n");
    let int = case_file("clean-nothing-to-fix", "integration.yaml").replace(
        "url: https://dev.azure.com/acme",
        "url: http://dev.azure.com/acme  # old mirror",
    );
    s.write("integration.yaml", &int);
    let acc = case_file("clean-nothing-to-fix", "accounts.yaml").replace(
        "    reviewed: 2026-11-01\n",
        "    reviewed: 2025-01-01  # bridgelint: ignore[display-name] fine\n",
    );
    s.write("accounts.yaml", &acc);
    s.write("extra.json", "{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"ServiceAccounts\", \"accounts\": {\"a\": {\"system\": \"jira-cloud\", \"type\": \"personal\", \"username\": \"x@acme.example\", \"owner\": \"team-x\", \"purpose\": \"p\"}}}\n");
    let add = |reason: &str| {
        s.bin()
            .args(["check", "--now", NOW, "--add-suppression", reason, "."])
            .run()
    };
    // A placeholder is no reason.
    let run = add("TODO");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(s.read("accounts.yaml"), acc);
    let run = add("accepted until the 2027 migration");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("skipped: extra.json"), "{}", run.stderr);
    let int_after = s.read("integration.yaml");
    // The URL line ends with another comment: the suppression goes on its own line above.
    assert!(
        int_after.contains("    # bridgelint: ignore[insecure-url] accepted until the 2027 migration\n    url: http://dev.azure.com/acme  # old mirror\n"),
        "{int_after}"
    );
    // Merged into the suppression already on the line, its reason kept.
    let acc_after = s.read("accounts.yaml");
    assert!(
        acc_after.contains(
            "    reviewed: 2025-01-01  # bridgelint: ignore[display-name, stale-review] fine\n"
        ),
        "{acc_after}"
    );
    let check = s
        .bin()
        .args([
            "check",
            "--now",
            NOW,
            "--format",
            "compact",
            "integration.yaml",
            "accounts.yaml",
        ])
        .run();
    assert!(
        check
            .stdout
            .lines()
            .all(|l| l.contains("[unused-suppression]")),
        "only the display-name name of the merged comment suppressed nothing:\n{}",
        check.stdout
    );
    // A second run changes nothing.
    let again = add("accepted until the 2027 migration");
    assert_eq!(again.code, 0);
    assert_eq!(
        (s.read("integration.yaml"), s.read("accounts.yaml")),
        (int_after, acc_after)
    );
}

#[test]
fn a_placeholder_reason_is_an_invalid_suppression() {
    let s = Scratch::with_config("placeholder", "{}\n");
    s.write(
        "integration.yaml",
        case_file("clean-nothing-to-fix", "integration.yaml"),
    );
    let acc = case_file("clean-nothing-to-fix", "accounts.yaml").replace(
        "    reviewed: 2026-11-01\n",
        "    reviewed: 2025-01-01  # bridgelint: ignore[stale-review] <why>\n",
    );
    s.write("accounts.yaml", acc);
    let run = s
        .bin()
        .args(["check", "--now", NOW, "--format", "compact", "."])
        .run();
    let rules: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert_eq!(
        rules,
        ["stale-review", "invalid-suppression"],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`<why>` is a placeholder"),
        "{}",
        run.stdout
    );
}

/// The comments of a YAML text (the text after `#`), by bridgelint's own parser.
fn comments_of(text: &str) -> Option<Vec<String>> {
    let parsed = bridgelint::source::parse(
        text,
        bridgelint::source::Syntax::Yaml,
        &bridgelint::source::Limits::default(),
        true,
    )
    .ok()?;
    Some(
        parsed
            .comments
            .iter()
            .map(|c| c.text.trim().to_string())
            .collect(),
    )
}

/// Over every fixture folder and the examples: `--fix --unsafe-fixes` leaves files that parse,
/// keeps every comment except suppressions and those on lines a fix removed, and is a fixpoint
/// (a second `--diff --unsafe-fixes` is empty).
#[test]
fn fixing_the_fixtures_and_examples_keeps_files_parsing_and_comments_and_is_a_fixpoint() {
    let repo = support::repo();
    let mut seeds: Vec<std::path::PathBuf> = std::fs::read_dir(repo.join("rules/fixtures"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    seeds.sort();
    seeds.push(repo.join("examples/integrations"));
    let mut fixed_somewhere = 0;
    for seed in seeds {
        let name = seed.file_name().unwrap().to_string_lossy().into_owned();
        let s = Scratch::with_config(&format!("fixprop-{name}"), "{}\n");
        let mut originals = Vec::new();
        for f in files_of(&seed) {
            let p = seed.join(&f);
            if p.is_file() && (f.ends_with(".yaml") || f.ends_with(".json")) {
                let text = std::fs::read_to_string(&p).unwrap();
                s.write(&f, &text);
                originals.push((f, text));
            }
        }
        let fix = s
            .bin()
            .args([
                "check",
                "--now",
                NOW,
                "--fix",
                "--unsafe-fixes",
                "--format",
                "compact",
                ".",
            ])
            .run();
        assert_ne!(fix.code, 2, "{name}: {}", fix.stderr);
        for (f, before) in &originals {
            let after = s.read(f);
            if &after == before {
                continue;
            }
            fixed_somewhere += 1;
            let syntax = bridgelint::source::Syntax::of_path(f).unwrap();
            assert!(
                bridgelint::source::parse(
                    &after,
                    syntax,
                    &bridgelint::source::Limits::default(),
                    false
                )
                .is_ok(),
                "{name}/{f} no longer parses:\n{after}"
            );
            if syntax == bridgelint::source::Syntax::Yaml {
                let (old, new) = (comments_of(before).unwrap(), comments_of(&after).unwrap());
                let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str());
                let removed: String = diff
                    .iter_all_changes()
                    .filter(|c| c.tag() == similar::ChangeTag::Delete)
                    .map(|c| c.value().to_string())
                    .collect();
                for c in old {
                    let kept =
                        c.starts_with("bridgelint:") || new.contains(&c) || removed.contains(&c);
                    assert!(kept, "{name}/{f}: the comment `{c}` was lost:\n{after}");
                }
            }
        }
        let again = s
            .bin()
            .args(["check", "--now", NOW, "--diff", "--unsafe-fixes", "."])
            .run();
        assert_eq!(
            (again.code, again.stdout.as_str()),
            (0, ""),
            "{name}: not a fixpoint\n{}",
            again.stderr
        );
    }
    assert!(
        fixed_somewhere >= 10,
        "only {fixed_somewhere} files were fixed"
    );
}

/// A round whose result adds an error-level finding is undone for that file, with a note, and
/// fixing that file stops: a custom rule whose (careless) fix renames `owner` to an unknown
/// key, which `schema-violation` then reports.
#[test]
fn a_round_that_adds_an_error_is_undone_with_a_note() {
    let s = Scratch::with_config("fix-undo", "{}\n");
    s.write(
        "integration.yaml",
        case_file("clean-nothing-to-fix", "integration.yaml"),
    );
    let accounts = case_file("clean-nothing-to-fix", "accounts.yaml");
    s.write("accounts.yaml", &accounts);
    let integration = case_file("clean-nothing-to-fix", "integration.yaml");
    s.write(
        "policy/careless.yaml",
        "name: careless-rename\nseverity: info\nsummary: A fix that breaks the document.\n\
         explanation: For the test of undone rounds.\ncheck:\n  for_each: accounts\n  \
         where: owner != null\n  at: key(owner)\n  message: \"owner of `{id}`\"\n  fix:\n    \
         rename: { key: key(owner), to: \"'ownr'\" }\n    applicability: safe\n    \
         message: rename it\n",
    );
    let run = s
        .bin()
        .args([
            "check", "--now", NOW, "--fix", "--rules", "policy", "--format", "json", ".",
        ])
        .run();
    assert_ne!(run.code, 2, "{}", run.stderr);
    // Both files hold an owner (the inventory account, an inline one): both rounds undone.
    assert_eq!(s.read("accounts.yaml"), accounts, "the round was undone");
    assert_eq!(
        s.read("integration.yaml"),
        integration,
        "the round was undone"
    );
    for file in ["accounts.yaml", "integration.yaml"] {
        let note = format!(
            "{file}: the last round of fixes was undone and fixing it stopped: it added a \
             `undocumented-account` finding"
        );
        assert!(run.stderr.contains(&note), "{}", run.stderr);
    }
    let report = support::json_of(&run.stdout);
    assert!(
        report["summary"].get("fixed").is_none(),
        "nothing fixed: {}",
        report["summary"]
    );
    assert_eq!(
        report["summary"]["fix_notes"].as_array().map(Vec::len),
        Some(2)
    );
}
