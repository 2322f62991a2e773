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
    let commands: [&[&str]; 12] = [
        &["rules"],
        &["systems"],
        &["rules", "--format", "json"],
        &["explain", "missing-rotation"],
        &["schema", "config"],
        &["test-rules", "--now", NOW, fixtures],
        &["check", "--now", NOW, "."],
        // JSON and SARIF are written as they are serialised (report::write).
        &["check", "--now", NOW, "--format", "json", "."],
        &["check", "--now", NOW, "--format", "sarif", "."],
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

/// Standard error on a full disk (`2>/dev/full`): every message to it is lost, and nothing
/// else changes. `eprintln!` panics there, so a run that wrote a note, a warning or an error
/// ended with status 101; each case writes to standard error and must end with the status
/// and standard output of the same run with a working standard error.
#[test]
fn a_full_standard_error_changes_no_status_and_no_output() {
    let p = Scratch::with_files(
        "stderr-full",
        &[
            (
                "integrations/integ.yaml",
                &integration_with_plaintext_secret(),
            ),
            ("accounts/accounts.yaml", CLEAN_ACCOUNTS),
            ("notes/readme.yaml", "just: data\n"),
            (".bridgelint.yaml", "{}\n"),
        ],
    );
    let cases: [(&str, &[&str]); 8] = [
        (
            "an invocation error",
            &["check", "--now", NOW, "missing.yaml"],
        ),
        (
            "--verbose notes",
            &["check", "--now", NOW, "--verbose", "."],
        ),
        ("no document found", &["check", "--now", NOW, "notes"]),
        ("--diff's report", &["check", "--now", NOW, "--diff", "."]),
        ("an unknown rule", &["explain", "no-such-rule"]),
        ("an unknown system", &["systems", "no-such-system"]),
        (
            "inventory --verbose",
            &["inventory", "--now", NOW, "--verbose", "."],
        ),
        ("init over a config", &["init"]),
    ];
    for (case, args) in cases {
        let working = p.bin().args(args).run();
        assert!(!working.stderr.is_empty(), "{case}: writes to stderr");
        let full = p.bin().args(args).stderr_to_full().run();
        assert_eq!(
            (full.code, &full.stdout),
            (working.code, &working.stdout),
            "{case}: {args:?} with 2>/dev/full"
        );
    }
}

/// A project whose config loads a folder of custom rules, with an integration the rule flags.
fn project_with_custom_rules(tag: &str) -> Scratch {
    let rule = std::fs::read_to_string(repo().join("examples/policy/rules/owner-is-a-team.yaml"))
        .expect("reads the example rule");
    let p = clean_project(tag);
    p.write("policy/rules/owner-is-a-team.yaml", rule);
    p.write(".bridgelint.yaml", "custom_rules: [\"policy/rules\"]\n");
    p.write(
        "integrations/integ.yaml",
        CLEAN_INTEGRATION.replace("owner: team-platform", "owner: jane"),
    );
    p
}

#[test]
fn explain_and_rules_read_the_custom_rules_of_the_config() {
    let p = project_with_custom_rules("explain-config");
    let r = p.check().format("compact").arg(".").run();
    assert!(
        r.stdout.contains("[owner-is-a-team]"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    // The help line of the finding names a command that works from anywhere: the rule's
    // folder goes with it (relative to the current folder).
    let r = p.check().arg(".").run();
    assert!(
        r.stdout
            .contains("See `bridgelint explain owner-is-a-team --rules policy/rules`."),
        "{}",
        r.stdout
    );
    // Run from the folder above the project, as after `bridgelint check project/`: the help
    // line names the folder from there, and the command it names works there.
    let above = p.dir.parent().unwrap();
    let name = p.dir.file_name().unwrap().to_string_lossy().into_owned();
    let r = p
        .bin()
        .current_dir(above)
        .args(["check", "--now", support::NOW, &name])
        .run();
    let wanted = format!("See `bridgelint explain owner-is-a-team --rules {name}/policy/rules`.");
    assert!(r.stdout.contains(&wanted), "{}", r.stdout);
    let r = p
        .bin()
        .current_dir(above)
        .args([
            "explain",
            "owner-is-a-team",
            "--rules",
            &format!("{name}/policy/rules"),
        ])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = p.run(&["explain", "owner-is-a-team"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("owner-is-a-team (error, custom)"),
        "{}",
        r.stdout
    );
    // From a subfolder too, as check finds the config.
    let r = p
        .bin()
        .current_dir(p.path("integrations"))
        .args(["explain", "owner-is-a-team"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = p.run(&["rules"]);
    assert!(
        r.lines().iter().any(|l| l.starts_with("owner-is-a-team ")),
        "{}",
        r.stdout
    );
    // Without the config, the rule is unknown.
    p.remove(".bridgelint.yaml");
    p.run(&["explain", "owner-is-a-team"])
        .assert_usage_error("unknown rule `owner-is-a-team`");
}

#[test]
fn naming_a_rules_folder_the_config_loads_already_loads_it_once() {
    let p = project_with_custom_rules("rules-once");
    let once = p.check().format("compact").arg(".").run();
    let twice = p
        .check()
        .format("compact")
        .args(["--rules", "policy/rules", "--rules", "./policy/rules/", "."])
        .run();
    assert_eq!(twice.code, once.code, "{}", twice.stderr);
    assert_eq!(twice.stdout, once.stdout);
    for command in [
        &["explain", "--rules", "policy/rules", "owner-is-a-team"][..],
        &["rules", "--rules", "policy/rules"],
    ] {
        let r = p.run(command);
        assert_eq!(r.code, 0, "{command:?}: {}", r.stderr);
    }
}

#[test]
fn every_subcommand_help_describes_each_argument_and_shows_examples() {
    let p = clean_project("help-all");
    for command in [
        "check",
        "rules",
        "explain",
        "schema",
        "systems",
        "inventory",
        "init",
        "test-rules",
    ] {
        let r = p.run(&[command, "--help"]);
        assert_eq!(r.code, 0, "{command}: {}", r.stderr);
        let out = &r.stdout;
        let examples = out
            .split_once("\nExamples:\n")
            .map(|(_, e)| e)
            .unwrap_or_default();
        assert!(
            examples
                .lines()
                .any(|l| l.starts_with(&format!("  bridgelint {command}"))),
            "`{command} --help` shows an example:\n{out}"
        );
        // Each argument and option line (`  -x, --name <V>  description`) has a description.
        let listed = out
            .split("\nExamples:\n")
            .next()
            .unwrap_or_default()
            .lines()
            .skip_while(|l| !l.ends_with("Arguments:") && !l.ends_with("Options:"));
        for line in listed.filter(|l| l.starts_with("  ")) {
            let described = line
                .trim_start()
                .split_once("  ")
                .is_some_and(|(_, d)| !d.trim().is_empty());
            assert!(
                described,
                "`{command} --help` leaves `{}` undescribed:\n{out}",
                line.trim()
            );
        }
    }
}

#[test]
fn systems_lists_the_catalog_and_unknown_system_names_it() {
    let p = clean_project("systems");
    let r = p.run(&["systems"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.lines()
            .iter()
            .any(|l| l.starts_with("jira-cloud ") && l.contains(" Jira Cloud ")),
        "{}",
        r.stdout
    );
    let r = p.run(&["systems", "gitlab"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("gitlab — GitLab\n"), "{}", r.stdout);
    // Per capability the alternatives per layer; every grant with its layer and tier.
    let read =
        "\n  read               permission: Guest\n                     scope:      read_api\n";
    assert!(r.stdout.contains(read), "{}", r.stdout);
    assert!(
        r.stdout.contains("\nGrants, scope layer:\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.lines()
            .iter()
            .any(|l| l.starts_with("  sudo ") && l.contains(" admin")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("at most 365 days (default policy"),
        "{}",
        r.stdout
    );
    // The same facts as JSON, for tools.
    let j = p.run(&["systems", "gitlab", "--format", "json"]).json();
    assert_eq!(
        j["capabilities"]["read"]["scope"],
        serde_json::json!([["read_api"]])
    );
    let api = j["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "api")
        .unwrap();
    assert_eq!(
        (api["layer"].as_str(), api["tier"].as_str()),
        (Some("scope"), Some("broad"))
    );
    assert_eq!(api["implied"], serde_json::json!(["read_api"]));
    let all = p.run(&["systems", "--format", "json"]).json();
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "jira-cloud"));
    p.run(&["systems", "jira-clod"])
        .assert_usage_error("unknown system `jira-clod` (did you mean `jira-cloud`?)");
    // The config's catalogs and --catalog are read, as check reads them.
    let mine = "id: youtrack\nname: YouTrack\ncredential_types:\n  api-token: { documented: false, note: a guess }\n";
    p.write("policy/systems/youtrack.yaml", mine);
    let listed = |r: &support::Run| r.lines().iter().any(|l| l.starts_with("youtrack "));
    assert!(!listed(&p.run(&["systems"])));
    assert!(listed(&p.run(&["systems", "--catalog", "policy/systems"])));
    p.write(".bridgelint.yaml", "catalogs: [\"policy/systems\"]\n");
    assert!(listed(&p.run(&["systems"])));
    // unknown-system says where the valid ids are.
    p.write(
        "integrations/integ.yaml",
        CLEAN_INTEGRATION.replacen("system: jira-cloud", "system: jira-clod", 1),
    );
    let r = p
        .check()
        .format("compact")
        .arg("integrations/integ.yaml")
        .run();
    let line = r
        .lines()
        .into_iter()
        .find(|l| l.contains("[unknown-system]"))
        .unwrap_or_default();
    assert!(
        line.ends_with(
            "use one of the ids `bridgelint systems` lists, or add the system with --catalog"
        ),
        "{}",
        r.stdout
    );
}
