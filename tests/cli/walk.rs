//! Walking folders (`.gitignore`, `.ignore`, hidden folders, excludes, symbolic links,
//! FIFOs) and finding the config upward from the named files.

use super::*;

// ---------------------------------------------------------------------------------------------
// Walking folders
// ---------------------------------------------------------------------------------------------

fn reported_paths(stdout: &str) -> Vec<String> {
    let mut v: Vec<String> = compact_lines(stdout)
        .iter()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    v.dedup();
    v
}

#[test]
fn walking_honours_gitignore_ignore_hidden_folders_and_excludes() {
    // No `.git` anywhere: .gitignore is honoured outside a git repository too.
    let p = Scratch::with_files(
        "walk",
        &[
            ("a/x.yaml", UNKNOWN_KIND),
            ("a/deep/y.yml", UNKNOWN_KIND),
            ("gitignored/x.yaml", UNKNOWN_KIND),
            ("a/secret.yaml", UNKNOWN_KIND),
            ("ignored/x.yaml", UNKNOWN_KIND),
            (".hidden/x.yaml", UNKNOWN_KIND),
            ("legacy/x.yaml", UNKNOWN_KIND),
            ("legacy/sub/x.yaml", UNKNOWN_KIND),
            ("notes.txt", UNKNOWN_KIND),
            (".gitignore", "gitignored/\nsecret.yaml\n"),
            (".ignore", "ignored\n"),
            (".bridgelint.yaml", "exclude: [\"legacy/**\"]\n"),
        ],
    );
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(reported_paths(&out), ["a/deep/y.yml", "a/x.yaml"], "{out}");

    // Named explicitly, hidden and ignored files and folders are read.
    let (_, out, _) = p
        .check()
        .args([
            "--format",
            "compact",
            ".hidden",
            "gitignored/x.yaml",
            "legacy/x.yaml",
        ])
        .run()
        .into_parts();
    assert_eq!(
        reported_paths(&out),
        [".hidden/x.yaml", "gitignored/x.yaml", "legacy/x.yaml"],
        "{out}"
    );
}

#[test]
fn a_symlink_loop_does_not_hang_the_walk() {
    let p = Scratch::with_files("symloop", &[("a/x.yaml", UNKNOWN_KIND)]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", p.path("a/up")).expect("symlink");
        std::os::unix::fs::symlink("loop.yaml", p.path("a/loop.yaml")).expect("symlink");
        std::os::unix::fs::symlink("missing.yaml", p.path("a/dangling.yaml")).expect("symlink");
    }
    let (code, out, err) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(reported_paths(&out), ["a/x.yaml"], "{out}");
    #[cfg(unix)]
    {
        // Named, a self-referencing or dangling link gets a parse-error naming the cause.
        let (code, out, _) = p
            .check()
            .args(["--format", "compact", "a/loop.yaml", "a/dangling.yaml"])
            .run()
            .into_parts();
        assert_eq!(code, 1, "{out}");
        let lines = compact_lines(&out);
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("a/dangling.yaml:1:1: error[parse-error] "),
            "{out}"
        );
        assert!(
            lines[1].starts_with("a/loop.yaml:1:1: error[parse-error] "),
            "{out}"
        );
    }
}

#[test]
fn a_fifo_in_a_walked_folder_does_not_hang_the_run() {
    let p = clean_project("fifowalk");
    if !mkfifo(&p.path("integrations/x.yaml")) {
        return;
    }
    let (code, out, err) = p.check().args(["integrations"]).run().into_parts();
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = p.check().args(["-v", "integrations"]).run().into_parts();
    assert_eq!(code, 0);
    assert!(
        err.contains("integrations/x.yaml"),
        "the FIFO is listed:\n{err}"
    );
}

#[test]
fn a_fifo_found_while_walking_is_listed_once() {
    let p = clean_project("fifoonce");
    if !mkfifo(&p.path("integrations/x.yaml")) {
        return;
    }
    let (_, _, err) = p.check().args(["-v", "integrations"]).run().into_parts();
    assert_eq!(err.matches("integrations/x.yaml").count(), 1, "{err}");
    let (_, _, err) = p.check().args(["-v"]).run().into_parts();
    assert_eq!(err.matches("integrations/x.yaml").count(), 1, "{err}");
}

#[test]
fn a_fifo_found_while_walking_counts_as_skipped() {
    let p = clean_project("fifocount");
    if !mkfifo(&p.path("integrations/x.yaml")) {
        return;
    }
    let (_, out, _) = p
        .check()
        .args(["--format", "json", "integrations"])
        .run()
        .into_parts();
    assert_eq!(json_of(&out)["summary"]["skipped"], 1, "{out}");
}

#[test]
fn a_named_fifo_is_a_parse_error_naming_the_cause() {
    let p = clean_project("fifonamed");
    if !mkfifo(&p.path("pipe.yaml")) {
        return;
    }
    let (code, out, err) = p
        .check()
        .args(["--format", "compact", "pipe.yaml"])
        .run()
        .into_parts();
    assert_eq!(code, 1, "{out}{err}");
    let lines = compact_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("pipe.yaml:1:1: error[parse-error] "),
        "{out}"
    );
    assert!(
        lines[0].contains("FIFO") || lines[0].contains("regular file"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Config discovery
// ---------------------------------------------------------------------------------------------

#[test]
fn config_is_found_upward_from_a_named_file() {
    let p = clean_project("cfgup");
    p.write(
        "integrations/team/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write(".bridgelint.yaml", "rules:\n  plaintext-secret: off\n");
    let (code, out, err) = p
        .check()
        .args(["--format", "compact", "integrations/team/leaky.yaml"])
        .run()
        .into_parts();
    assert_eq!(code, 0, "the config turns the rule off:\n{out}{err}");
    assert_eq!(out, "");
    // From inside the subfolder too.
    let r = Bin::check()
        .format("compact")
        .arg("leaky.yaml")
        .current_dir(p.path("integrations/team"))
        .run();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // --no-config ignores it.
    let (code, out, _) = p
        .check()
        .args([
            "--format",
            "compact",
            "--no-config",
            "integrations/team/leaky.yaml",
        ])
        .run()
        .into_parts();
    assert_eq!(code, 1);
    assert!(out.contains("error[plaintext-secret]"), "{out}");
    // --config FILE uses another.
    p.write(
        "strict/other.yaml",
        "rules:\n  plaintext-secret: {severity: warning}\n",
    );
    let (code, out, _) = p
        .check()
        .args([
            "--format",
            "compact",
            "--config",
            "strict/other.yaml",
            "integrations/team/leaky.yaml",
        ])
        .run()
        .into_parts();
    assert_eq!(code, 1);
    assert!(out.contains("warning[plaintext-secret]"), "{out}");
    let (code, _, _) = p
        .check()
        .args([
            "--config",
            "strict/other.yaml",
            "--fail-on",
            "error",
            "integrations/team/leaky.yaml",
        ])
        .run()
        .into_parts();
    assert_eq!(code, 0);
}

#[test]
fn the_yml_name_is_found_too() {
    let p = clean_project("yml");
    p.remove(".bridgelint.yaml");
    p.write(".bridgelint.yml", "rules:\n  plaintext-secret: off\n");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, err) = p
        .check()
        .args(["integrations/leaky.yaml"])
        .run()
        .into_parts();
    assert_eq!(code, 0, "{out}{err}");
}
