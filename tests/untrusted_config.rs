//! A pull request can change the config and add custom rules: they must not crash the linter,
//! make it read outside the project, or make it quadratic.

mod support;
use support::Scratch;

fn rule_with_where(condition: &str) -> String {
    format!(
        "name: deep\nseverity: error\nsummary: s\nexplanation: e\ncheck:\n  for_each: accounts\n  where: \"{condition}\"\n  message: m\n"
    )
}

#[test]
fn a_deeply_nested_custom_rule_is_refused_not_a_crash() {
    let s = Scratch::with_inventory("deep-rule");
    let nested = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
    s.write("rules/deep.yaml", rule_with_where(&nested));
    let out = s.run(&["check", "--rules", "rules", "--format", "compact"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("nested more than"), "{}", out.stderr);
    assert!(out.stderr.contains("rules/deep.yaml:7:"), "{}", out.stderr);

    let chain = vec!["true"; 20_000].join(" or ");
    s.write("rules/deep.yaml", rule_with_where(&chain));
    let out = s.run(&["check", "--rules", "rules", "--format", "compact"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("operands"), "{}", out.stderr);

    let nots = format!("{}true", "not ".repeat(10_000));
    s.write("rules/deep.yaml", rule_with_where(&nots));
    assert_eq!(s.run(&["check", "--rules", "rules"]).code, 2);
}

#[test]
fn config_paths_must_stay_inside_the_project() {
    let s = Scratch::with_inventory("confined");
    for (key, value) in [
        ("custom_rules", "[\"../\"]"),
        ("catalogs", "[\"/etc\"]"),
        ("baseline", "/dev/zero"),
    ] {
        s.write(".bridgelint.yaml", format!("{key}: {value}\n"));
        let out = s.run(&["check", "--format", "compact"]);
        assert_eq!(out.code, 2, "{key}: {}", out.stderr);
        assert!(
            out.stderr.contains("outside the project"),
            "{key}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(".bridgelint.yaml:1:"),
            "{key}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_baseline_that_is_not_a_regular_file_is_refused() {
    let s = Scratch::with_inventory("baseline-dev");
    let out = s.run(&["check", "--baseline", "/dev/zero"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("regular file"), "{}", out.stderr);
}

#[test]
fn thousands_of_uses_of_one_account_are_checked() {
    // shared-account looks for the first use with an environment for every use: it must stop
    // at the first (a quadratic rule would time out here).
    let s = Scratch::with_inventory("many-uses");
    let mut text = String::new();
    for i in 0..1500 {
        let env = if i % 2 == 0 { "prod" } else { "test" };
        text.push_str(&format!(
            "---\napiVersion: bridgelint/v1\nkind: Integration\nmetadata: {{ name: i{i}, owner: team-platform, environment: {env} }}\nconnections:\n  jira:\n    system: jira-cloud\n    url: https://acme.atlassian.net\n    account: getint-jira\n    credential: {{ type: api-token, secret: env:T, expires: 2027-06-30, rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }} }}\n  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential: {{ type: personal-access-token, secret: env:A, expires: 2027-06-30, rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }} }}\nflows:\n  - {{ from: jira, to: ado, sync: [create] }}\n"
        ));
    }
    s.write("many.yaml", &text);
    let v = s
        .check()
        .format("json")
        .args(["--select", "shared-account"])
        .run()
        .json();
    // Every test use of both accounts differs from the first (prod) use.
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1500);
}

/// A config is untrusted input (a pull request can add one): every number in it is checked
/// against its range before anything runs, with a message naming the key and the range.
#[test]
fn every_numeric_config_value_is_range_checked() {
    let s = Scratch::with_inventory("config-ranges");
    let cases = [
        ("jobs: 1000000", "`jobs`", "from 1 to 1024"),
        ("jobs: 1025", "`jobs`", "from 1 to 1024"),
        ("jobs: 0", "`jobs`", "from 1 to 1024"),
        (
            "max_file_size: 1073741825",
            "`max_file_size`",
            "from 1024 to 1073741824",
        ),
        (
            "max_file_size: 1023",
            "`max_file_size`",
            "from 1024 to 1073741824",
        ),
        (
            "max_file_size: 18446744073709551615",
            "`max_file_size`",
            "integer",
        ),
        (
            "rules: { rotation-interval-too-long: { max_days: 9223372036854775807 } }",
            "option `max_days` of rule `rotation-interval-too-long`",
            "from 1 to 36500",
        ),
        (
            "rules: { credential-expiring: { warn_days: -1 } }",
            "option `warn_days` of rule `credential-expiring`",
            "from 0 to 36500",
        ),
        (
            "per_path: [{ paths: [\"**\"], rules: { stale-review: { max_age_days: 0 } } }]",
            "option `max_age_days` of rule `stale-review`",
            "from 1 to 36500",
        ),
    ];
    for (config, key, range) in cases {
        s.write(".bridgelint.yaml", format!("{config}\n"));
        let r = s.check().format("compact").run();
        r.assert_usage_error(key);
        assert!(r.stderr.contains(range), "{config}: {}", r.stderr);
        assert!(
            r.stderr.contains(".bridgelint.yaml:1:"),
            "{config}: {}",
            r.stderr
        );
    }
    // The ends of each range are accepted (not `jobs: 1024`: a thousand threads on a test
    // machine cost more than the run).
    for config in [
        "jobs: 1",
        "max_file_size: 1073741824",
        "max_file_size: 1024",
        "rules: { rotation-interval-too-long: { max_days: 36500 }, credential-expiring: { warn_days: 0 } }",
    ] {
        s.write(".bridgelint.yaml", format!("{config}\n"));
        let r = s.check().format("compact").run();
        assert!(r.code < 2 && r.stderr.is_empty(), "{config}: {r:?}");
    }
}

#[test]
fn the_command_line_bounds_the_size_limit_like_the_config() {
    let s = Scratch::with_inventory("cli-ranges");
    for arg in ["18446744073709551615", "1073741825", "1023"] {
        s.check()
            .args(["--max-file-size", arg])
            .run()
            .assert_usage_error("1024..=1073741824");
    }
    s.check()
        .args(["-j", "1025"])
        .run()
        .assert_usage_error("1..=1024");
    // At the largest limit the files are read, not taken for empty (the limit + 1 wrapped).
    s.write("integ.yaml", support::integration_with_plaintext_secret());
    let r = s
        .check()
        .format("compact")
        .args(["--max-file-size", "1073741824"])
        .run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("plaintext-secret"), "{}", r.stdout);
}

/// A custom rule's integer options are checked against the range it declares, or the default
/// range; a default outside its own range makes the rule invalid.
#[test]
fn custom_rule_options_are_range_checked() {
    let s = Scratch::with_inventory("option-ranges");
    let rule = |decl: &str| {
        format!("name: ranged\nseverity: error\nsummary: s\nexplanation: e\noptions:\n  limit:\n    default: 5\n    description: d\n{decl}check:\n  for_each: accounts\n  where: options.limit > 1000\n  message: m\n")
    };
    s.write(
        "rules/ranged.yaml",
        rule("    minimum: 1\n    maximum: 10\n"),
    );
    for (value, ok) in [("10", true), ("11", false), ("0", false)] {
        s.write(
            ".bridgelint.yaml",
            format!("custom_rules: [rules]\nrules: {{ ranged: {{ limit: {value} }} }}\n"),
        );
        let r = s.check().format("compact").run();
        if ok {
            assert!(r.code < 2 && r.stderr.is_empty(), "{value}: {r:?}");
        } else {
            r.assert_usage_error("option `limit` of rule `ranged` must be from 1 to 10");
        }
    }
    s.write("rules/ranged.yaml", rule(""));
    s.write(
        ".bridgelint.yaml",
        "custom_rules: [rules]\nrules: { ranged: { limit: 9223372036854775807 } }\n",
    );
    s.check()
        .run()
        .assert_usage_error("must be from -1000000000 to 1000000000");
    s.write("rules/ranged.yaml", rule("    minimum: 6\n"));
    s.check()
        .run()
        .assert_usage_error("the default 5 is outside its range, from 6 to 1000000000");
}

/// Date and integer arithmetic in rule expressions saturates: no wrap in release, no panic
/// (status 101) in debug, which the test binary is.
#[test]
fn date_and_integer_arithmetic_at_the_ends_of_64_bits_does_not_overflow() {
    let s = Scratch::with_inventory("arith-overflow");
    let exprs = [
        "today + 9223372036854775807",
        "today - 9223372036854775807 - 1",
        "today - (0 - 9223372036854775807 - 1)",
        "-(0 - 9223372036854775807 - 1)",
        "days_since(today + 9223372036854775807)",
    ];
    for expr in exprs {
        s.write(
            "rules/far.yaml",
            format!("name: far\nseverity: error\nsummary: s\nexplanation: e\ncheck:\n  for_each: accounts\n  where: \"{expr} != null\"\n  message: \"value {{{expr}}}\"\n"),
        );
        let r = s
            .check()
            .format("compact")
            .args(["--rules", "rules", "--select", "far"])
            .run();
        assert!(r.code == 0 || r.code == 1, "{expr}: {}", r.stderr);
        assert!(r.stderr.is_empty() || r.code != 2, "{expr}: {}", r.stderr);
    }
}

/// A catalog (`catalogs:` in the config, or `--catalog`) is untrusted like the config: a
/// lifetime cap past 32 bits wrapped to a negative number of days.
#[test]
fn a_catalog_lifetime_cap_is_range_checked() {
    let s = Scratch::with_inventory("catalog-range");
    let asana = std::fs::read_to_string(support::repo().join("rules/systems/asana.yaml"))
        .expect("reads the Asana system");
    let custom = asana.replace("id: asana", "id: asana-custom").replacen(
        "    source: asana-pat\n",
        "    source: asana-pat\n    lifetime: { max_days: 5000000000, kind: platform, documented: false }\n",
        1,
    );
    assert_ne!(custom, asana.replace("id: asana", "id: asana-custom"));
    s.write("systems/custom.yaml", custom);
    let r = s.check().args(["--catalog", "systems"]).run();
    r.assert_usage_error("`max_days`");
    assert!(r.stderr.contains("from 1 to 36500"), "{}", r.stderr);
}

/// 10 MiB, the limit of config, rule and catalog files (SECURITY.md, "Limits").
const DATA_LIMIT: usize = 10 << 20;

/// `text` after a YAML comment that makes the file `len` bytes long: valid YAML at any size,
/// so that only the limit can refuse it.
fn padded(text: &str, len: usize) -> String {
    let comment = len - text.len() - 1;
    format!("#{}\n{text}", "x".repeat(comment - 1))
}

#[test]
fn config_rule_and_catalog_files_have_a_size_limit() {
    let read = |rel: &str| std::fs::read_to_string(support::repo().join(rel)).expect(rel);
    let rule = read("examples/policy/rules/owner-is-a-team.yaml");
    let system = read("rules/systems/jira-cloud.yaml");
    let s = Scratch::with_inventory("data-limits");
    let cases: [(&str, &str, &str, &[&str]); 3] = [
        ("config", ".bridgelint.yaml", "{}\n", &[]),
        (
            "rule",
            "policy/rules/big.yaml",
            &rule,
            &["--rules", "policy/rules"],
        ),
        (
            "catalog",
            "policy/systems/big.yaml",
            &system,
            &["--catalog", "policy/systems"],
        ),
    ];
    for (case, file, body, args) in cases {
        s.write(file, padded(body, DATA_LIMIT + 1));
        let out = s.check().args(args).arg(".").run();
        assert_eq!(out.code, 2, "{case}: {}", out.stderr);
        let name = file.rsplit('/').next().expect("a file name");
        let said = format!(
            "{name}:1:1: the {case} file is larger than 10 MiB, the limit for config, rule and \
             catalog files"
        );
        assert!(out.stderr.contains(&said), "{case}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{case}: {}", out.stderr);
        // At the limit, the same file is read.
        s.write(file, padded(body, DATA_LIMIT));
        let out = s.check().args(args).arg(".").run();
        assert_ne!(out.code, 2, "{case} at the limit: {}", out.stderr);
        s.remove(file);
    }
    // A config given with `--config` that is not a regular file is refused, not read (reading
    // a FIFO blocks until someone writes to it; the config found in a folder must be a file).
    if support::mkfifo(&s.path("pipe.yaml")) {
        let out = s.check().args(["--config", "pipe.yaml", "."]).run();
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    }
}

#[test]
fn a_link_in_a_config_folder_cannot_leave_the_project() {
    let rule = support::repo().join("examples/policy/rules/owner-is-a-team.yaml");
    let system = support::repo().join("rules/systems/jira-cloud.yaml");
    for (key, folder, target) in [
        ("custom_rules", "policy/rules", &rule),
        ("catalogs", "policy/systems", &system),
    ] {
        let s = Scratch::with_inventory("links-out");
        s.write(".bridgelint.yaml", format!("{key}: [\"{folder}\"]\n"));
        s.mkdir(folder);
        let link = s.path(&format!("{folder}/outside.yaml"));
        std::os::unix::fs::symlink(target, &link).expect("a symbolic link");
        let out = s.check().arg(".").run();
        assert_eq!(out.code, 2, "{key}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "{}:1:1: links to a file outside the project",
                link.display()
            )),
            "{key}: {}",
            out.stderr
        );

        // The same folder named on the command line is the user's choice: its links are read.
        s.write(".bridgelint.yaml", "{}\n");
        let flag = if key == "catalogs" {
            "--catalog"
        } else {
            "--rules"
        };
        let out = s.check().args([flag, folder, "."]).run();
        assert_ne!(out.code, 2, "{key} from the command line: {}", out.stderr);

        // A link that stays inside the project is read.
        std::fs::remove_file(&link).expect("remove the link");
        s.write(
            "shared/file.yaml",
            std::fs::read(target).expect("the target"),
        );
        std::os::unix::fs::symlink("../../shared/file.yaml", &link).expect("a symbolic link");
        s.write(".bridgelint.yaml", format!("{key}: [\"{folder}\"]\n"));
        let out = s.check().arg(".").run();
        assert_ne!(out.code, 2, "{key}, a link inside: {}", out.stderr);
    }
}
