//! Folders: symbolic links, FIFOs, directories with a YAML name, unreadable files; and hostile
//! files given as the config or the baseline.

use super::support::{mkfifo, Scratch};
use super::*;

// ---------------------------------------------------------------------------------------------
// Folders: links, FIFOs, directories with a YAML name, unreadable files
// ---------------------------------------------------------------------------------------------

/// A folder holding one linted file with a known finding (`insecure-url` at line 6).
fn folder_with_a_finding(tag: &str) -> Scratch {
    let s = Scratch::project(tag);
    let text = integration("90", "2026-11-01", "2027-04-30")
        .replace("https://acme.atlassian.net", "http://acme.atlassian.net");
    s.write("good.yaml", text);
    s
}

/// Lints the folder and asserts the run went on: `good.yaml` was linted.
fn assert_rest_linted(s: &Scratch) -> Lint {
    let l = lint(s, ".");
    assert!(
        l.diagnostics()
            .iter()
            .any(|d| d["rule"] == "insecure-url" && d["path"] == "good.yaml"),
        "good.yaml was not linted:\n{}\n{}",
        l.run.stdout,
        l.run.stderr
    );
    l
}

#[test]
fn a_symlink_loop_in_a_walked_folder_is_not_followed() {
    let s = folder_with_a_finding("loop");
    std::os::unix::fs::symlink(".", s.dir.join("loop")).expect("symlink");
    let l = assert_rest_linted(&s);
    assert_eq!(l.run.code, 1);
    l.no_parse_error();
}

#[test]
fn a_dangling_symlink_is_skipped_when_walked_and_a_parse_error_when_named() {
    let s = folder_with_a_finding("dangling");
    std::os::unix::fs::symlink("nowhere.yaml", s.dir.join("dangling.yaml")).expect("symlink");
    let l = assert_rest_linted(&s);
    l.no_parse_error();
    // Named: a parse-error naming the cause (cli.md).
    let l = lint(&s, "dangling.yaml");
    assert_parse_error(&l, 1, Some(1), "cannot read");
}

#[test]
fn a_fifo_is_never_opened() {
    let s = folder_with_a_finding("fifo");
    let fifo = s.dir.join("x.yaml");
    if !mkfifo(&fifo) {
        return;
    }
    // Walked: skipped (a FIFO with no writer would block a reader forever).
    let l = assert_rest_linted(&s);
    l.no_parse_error();
    // Named: a parse-error saying what it is.
    let l = lint(&s, "x.yaml");
    assert_parse_error(&l, 1, Some(1), "not a regular file");
}

#[test]
fn a_directory_named_like_a_yaml_file_is_walked_not_read() {
    let s = folder_with_a_finding("dir-yaml");
    s.write(
        "x.yaml/inner.yaml",
        integration("90", "2026-11-01", "2027-04-30")
            .replace("https://dev.azure.com/acme", "http://dev.azure.com/acme"),
    );
    let l = assert_rest_linted(&s);
    l.no_parse_error();
    assert!(
        l.diagnostics()
            .iter()
            .any(|d| d["path"] == "x.yaml/inner.yaml" && d["rule"] == "insecure-url"),
        "{}",
        l.run.stdout
    );
    // Named, it is a folder like any other.
    let l = lint(&s, "x.yaml");
    l.no_parse_error();
}

#[test]
fn an_unreadable_file_does_not_stop_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let s = folder_with_a_finding("unreadable");
    let locked = s.write("locked.yaml", format!("{HEADER}odd: 1\n"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::File::open(&locked).is_ok() {
        eprintln!(
            "skipping an_unreadable_file_does_not_stop_the_run: running as root, chmod 000 \
             does not stop reading"
        );
        return;
    }
    let l = assert_rest_linted(&s);
    // Walked: skipped with a note on standard error, never silent (decisions.md 14).
    assert!(l.run.stderr.contains("locked.yaml"), "{}", l.run.stderr);
    assert!(!l.diagnostics().iter().any(|d| d["path"] == "locked.yaml"));
    // Named: a parse-error naming the cause.
    let l = lint(&s, "locked.yaml");
    assert_parse_error(&l, 1, Some(1), "cannot read");
}

#[test]
fn a_nonexistent_named_path_is_an_invocation_error() {
    let s = Scratch::project("missing");
    let run = s.run(&["check", "--format", "json", "--no-config", "nope.yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("nope.yaml"), "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing else is reported: {}",
        run.stdout
    );
}

/// Hostile files given as the config or the baseline are invocation errors (status 2) that
/// name the file, never a panic or a hang.
#[test]
fn a_hostile_config_or_baseline_is_an_invocation_error() {
    let s = Scratch::project("hostile-config");
    s.write("f.yaml", "a: 1\n");
    s.write("bomb.yaml", billion_laughs("x"));
    s.write(
        "deep.yaml",
        format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    s.write(
        "deep.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let cases: [(&[&str], &str); 3] = [
        (&["--config", "bomb.yaml"], "bomb.yaml"),
        (&["--config", "deep.yaml"], "deep.yaml"),
        (&["--no-config", "--baseline", "deep.json"], "deep.json"),
    ];
    for (args, named) in cases {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("f.yaml");
        let run = s.run(&all);
        assert_eq!(run.code, 2, "{all:?}: {run:?}");
        assert!(run.stderr.contains(named), "{all:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{all:?}: {}", run.stdout);
    }
}
