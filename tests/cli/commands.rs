//! The other commands: `schema`, `explain`, `--version` and `--help`.

use super::*;

// ---------------------------------------------------------------------------------------------
// Other commands
// ---------------------------------------------------------------------------------------------

#[test]
fn schema_integration_is_a_usable_json_schema() {
    let p = clean_project("schemacmd");
    let (code, out, _) = p.run(&["schema", "integration"]).into_parts();
    assert_eq!(code, 0);
    let schema = json_of(&out);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the integration schema compiles");
    let parsed = bridgelint::source::parse(
        CLEAN_INTEGRATION,
        bridgelint::source::Syntax::Yaml,
        &bridgelint::source::Limits::default(),
        false,
    )
    .expect("the clean integration parses");
    let doc = parsed.documents[0].root.to_json();
    assert!(validator.is_valid(&doc), "the clean integration validates");
    let mut broken = doc.clone();
    broken["metadata"]["bogus"] = Json::from(1);
    assert!(
        !validator.is_valid(&broken),
        "an unknown key does not validate"
    );

    for kind in ["service-accounts", "rule", "system", "config", "output"] {
        let (code, out, _) = p.run(&["schema", kind]).into_parts();
        assert_eq!(code, 0, "{kind}");
        json_of(&out);
    }
}

#[test]
fn unknown_schema_kind_exits_2_with_a_suggestion() {
    let p = clean_project("schemabad");
    let (code, out, err) = p.run(&["schema", "nope"]).into_parts();
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("nope") && err.contains("integration"), "{err}");
    let (code, _, err) = p.run(&["schema", "integraton"]).into_parts();
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `integration`"), "{err}");
}

#[test]
fn version_and_help_exit_0() {
    let p = clean_project("version");
    let (code, out, _) = p.run(&["--version"]).into_parts();
    assert_eq!(code, 0);
    assert!(out.contains(env!("CARGO_PKG_VERSION")), "{out}");
    let (code, out, _) = p.run(&["--help"]).into_parts();
    assert_eq!(code, 0);
    assert!(out.contains("check") && out.contains("explain"), "{out}");
    let (code, out, _) = p.run(&["check", "--help"]).into_parts();
    assert_eq!(code, 0);
    assert!(
        out.contains("--fail-on") && out.contains("--stdin-filename"),
        "{out}"
    );
    let (code, _, _) = p.run(&[]).into_parts();
    assert_eq!(code, 2, "no command is a usage error");
}

#[test]
fn explain_prints_the_explanation_and_suggests_on_a_typo() {
    let p = clean_project("explain");
    let (code, out, _) = p.run(&["explain", "plaintext-secret"]).into_parts();
    assert_eq!(code, 0);
    assert!(out.contains("plaintext-secret"), "{out}");
    assert!(out.lines().count() > 5, "a full explanation:\n{out}");
    let (code, out, err) = p.run(&["explain", "plaintext-secrte"]).into_parts();
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("did you mean `plaintext-secret`"), "{err}");
}

/// Every command that writes to standard output: into a full disk it ends with a one-line
/// error and status 2; into a closed pipe (`| head -c1`) it ends quietly with the status it
/// would have had. Never a panic (the harness fails the test on status 101).
#[test]
fn every_command_survives_a_full_disk_and_a_closed_pipe() {
    let p = Scratch::with_files(
        "stdout-errors",
        &[
            (
                "integrations/integ.yaml",
                &integration_with_plaintext_secret(),
            ),
            ("accounts/accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    let fixtures = repo().join("rules/fixtures/missing-rotation");
    let fixtures = fixtures.to_str().expect("a UTF-8 path");
    let commands: [&[&str]; 10] = [
        &["rules"],
        &["rules", "--format", "json"],
        &["explain", "missing-rotation"],
        &["schema", "config"],
        &["test-rules", "--now", NOW, fixtures],
        &["check", "--now", NOW, "."],
        &["check", "--now", NOW, "--format", "json", "."],
        &["inventory", "--now", NOW, "."],
        &["inventory", "--now", NOW, "--format", "html", "."],
        &["init", "--force"],
    ];
    for args in commands {
        let written = p.run(args);
        assert!(written.code < 2, "{args:?}: {written:?}");
        assert!(!written.stdout.is_empty(), "{args:?} prints something");

        let full = p.bin().args(args).stdout_to_full().run();
        assert_eq!(full.code, 2, "{args:?} into /dev/full: {full:?}");
        assert_eq!(
            full.stderr.trim_end().lines().collect::<Vec<_>>(),
            ["error: cannot write to standard output: No space left on device (os error 28)"],
            "{args:?} into /dev/full"
        );

        let closed = p.bin().args(args).stdout_closed().run();
        assert_eq!(
            closed.code, written.code,
            "{args:?} into a closed pipe: {closed:?}"
        );
        assert_eq!(closed.stderr, written.stderr, "{args:?} into a closed pipe");
    }
}
