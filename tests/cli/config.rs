//! The config as a newcomer writes it (issue 19): one run shows every mistake, a bare severity
//! is a rule setting, and the examples `init` writes are valid as they stand.

use super::*;

#[test]
fn one_run_shows_every_config_mistake_each_at_its_line() {
    let p = clean_project("every-mistake");
    p.write(
        ".bridgelint.yaml",
        "fail_on: warnings\n\
         exclud: [\"x\"]\n\
         rules:\n  \
           no-such-rule: off\n  \
           stale-review: { severity: loud, max_age_days: \"x\" }\n\
         per_path:\n  \
           - paths: [\"a/**\"]\n    \
             rules: { missing-rotation: of }\n\
         custom_rules: [\"policy/none\"]\n\
         select: [foo]\n\
         baseline: missing.json\n",
    );
    let r = p.check().run();
    assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{}", r.stderr);
    let located: Vec<&str> = r
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(|l| l.split(": ").next().unwrap_or(l))
        .map(|l| l.rsplit('/').next().unwrap_or(l))
        .collect();
    assert_eq!(
        located,
        [
            ".bridgelint.yaml:1:10",  // fail_on
            ".bridgelint.yaml:2:1",   // exclud
            ".bridgelint.yaml:4:3",   // no-such-rule
            ".bridgelint.yaml:5:29",  // severity: loud
            ".bridgelint.yaml:5:35",  // max_age_days: "x"
            ".bridgelint.yaml:8:32",  // missing-rotation: of
            ".bridgelint.yaml:10:10", // select: [foo]
            "none:1:1",               // the rules folder that does not exist
            "missing.json",           // the baseline that does not exist
        ],
        "one error per mistake, in the file's order:\n{}",
        r.stderr
    );
    // Each says where the valid values are.
    assert!(
        r.stderr
            .contains("unknown rule `no-such-rule`; `bridgelint rules` lists them"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bare_severity_is_short_for_a_severity_mapping() {
    let p = Scratch::with_files(
        "bare-severity",
        &[("accounts.yaml", &accounts_with_stale_review())],
    );
    let keys = |config: &str| {
        p.write(".bridgelint.yaml", config);
        let r = p
            .check()
            .format("compact")
            .arg("accounts.yaml")
            .run()
            .linted();
        r.compact_keys()
            .into_iter()
            .filter(|k| k.contains("stale-review"))
            .collect::<Vec<_>>()
    };
    let default = keys("{}\n");
    assert_eq!(default.len(), 1, "{default:?}");
    assert!(default[0].ends_with("warning[stale-review]"), "{default:?}");
    for (setting, severity) in [("error", "error"), ("info", "info"), ("warning", "warning")] {
        let found = keys(&format!("rules:\n  stale-review: {setting}\n"));
        assert_eq!(found.len(), 1, "{setting}: {found:?}");
        assert!(
            found[0].ends_with(&format!("{severity}[stale-review]")),
            "{setting}: {found:?}"
        );
    }
    assert_eq!(keys("rules:\n  stale-review: off\n"), Vec::<String>::new());
    p.write(".bridgelint.yaml", "rules:\n  stale-review: loud\n");
    p.check()
        .run()
        .assert_usage_error("expected one of `off`, `error`, `warning`, `info`");
}

/// The template with every example line (`# key: ...`, `#  item`) uncommented, and the empty
/// values they continue (`exclude: []`) opened.
fn uncommented(template: &str) -> String {
    let example = |l: &str| {
        let t = l.trim_start_matches(['#', ' ']);
        t.starts_with("- ")
            || t.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
            })
    };
    template
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if example(l) => rest.to_string(),
            _ => l
                .trim_end_matches(" []")
                .trim_end_matches(" {}")
                .to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_example_of_the_init_template_is_a_valid_setting() {
    let p = clean_project("init-examples");
    assert_eq!(p.run(&["init", "--force"]).code, 0);
    let text = uncommented(&p.read(".bridgelint.yaml"));
    for shown in [
        "display-name: warning",
        "fail_on_empty: false",
        "max_days: 60",
    ] {
        assert!(
            text.contains(shown),
            "the template shows {shown:?}:\n{text}"
        );
    }
    assert!(!text.contains("\n# fail_on:"), "uncommented:\n{text}");
    p.write(".bridgelint.yaml", &text);
    p.mkdir("policy/rules");
    p.mkdir("policy/systems");
    let baseline = [
        "--no-config",
        "--write-baseline",
        ".bridgelint-baseline.json",
        ".",
    ];
    assert_eq!(p.check().args(baseline).run().code, 0);
    let r = p.check().arg(".").run();
    assert!(
        matches!(r.code, 0 | 1),
        "the examples of init:\n{text}\n{}",
        r.stderr
    );
}

/// A custom rule may not take a name already taken: a built-in rule's, or an earlier custom
/// folder's (the config's folders first, then `--rules`). Each such file is an error at its
/// start, the run stops with status 2, and the other custom rules load (custom rules are read
/// while the built-in ones compile, and only then added to them).
#[test]
fn a_custom_rule_cannot_take_a_name_already_taken() {
    let p = clean_project("taken-names");
    let rule = |name: &str| {
        format!(
            "name: {name}\nseverity: info\nsummary: s\nexplanation: e\n\
             check:\n  for_each: integrations\n  where: \"true\"\n  message: m\n"
        )
    };
    p.write(".bridgelint.yaml", "custom_rules: [\"first\"]\n");
    p.write("first/a-own-name.yaml", rule("acme-own-name"));
    p.write("first/b-builtin.yaml", rule("missing-rotation"));
    p.write("second/again.yaml", rule("acme-own-name"));
    p.write("second/fine.yaml", rule("acme-other-name"));
    let r = p.check().args(["--rules", "second"]).run();
    assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{}", r.stderr);
    for (file, name) in [
        ("first/b-builtin.yaml", "missing-rotation"),
        ("second/again.yaml", "acme-own-name"),
    ] {
        let message = format!(
            "{file}:1:1: a rule named `{name}` already exists; custom rules need their own names"
        );
        assert!(
            errors.iter().any(|e| e.ends_with(&message)),
            "{message}\n{}",
            r.stderr
        );
    }

    // Without the clashing files, both custom rules run: one finding each.
    std::fs::remove_file(p.path("first/b-builtin.yaml")).expect("remove");
    std::fs::remove_file(p.path("second/again.yaml")).expect("remove");
    let r = p
        .check()
        .args(["--rules", "second", "--format", "compact"])
        .run();
    let custom: Vec<String> = r
        .compact_keys()
        .into_iter()
        .filter(|k| k.contains("acme-"))
        .collect();
    assert_eq!(custom.len(), 2, "{}\n{}", r.stdout, r.stderr);
}
