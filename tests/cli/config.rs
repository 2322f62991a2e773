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
