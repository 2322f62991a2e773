//! No false greens (issue 19): a named file that nearly is ours is an `unrecognized-document`
//! error, a run that finds no document of ours says so, and `--fail-on-empty` (or the config's
//! `fail_on_empty`) makes that a failure.

use super::*;

/// Each near miss, named on the command line: its one finding (compact), or none.
const NEAR_MISSES: &[(&str, &str, &str)] = &[
    (
        "lower.yaml",
        "apiversion: bridgelint/v1\nkind: Integration\n",
        "lower.yaml:1:1: error[unrecognized-document] the key `apiversion` is not \
         `apiVersion`, so this document is skipped and none of its checks run; write \
         `apiVersion: bridgelint/v1`",
    ),
    (
        "snake.yaml",
        "# a comment\napi_version: bridgelint/v1\n",
        "snake.yaml:2:1: error[unrecognized-document] the key `api_version` is not \
         `apiVersion`, so this document is skipped and none of its checks run; write \
         `apiVersion: bridgelint/v1`",
    ),
    (
        "pascal.json",
        "{\"kind\": \"ServiceAccounts\", \"ApiVersion\": \"v1\"}",
        "pascal.json:1:29: error[unrecognized-document] the key `ApiVersion` is not \
         `apiVersion`, so this document is skipped and none of its checks run; write \
         `apiVersion: bridgelint/v1`",
    ),
    (
        "capital.yaml",
        "apiVersion: Bridgelint/v1\nkind: Integration\n",
        "capital.yaml:1:13: error[unrecognized-document] `apiVersion: Bridgelint/v1` is not \
         `bridgelint/v1`, so this document is skipped and none of its checks run; write \
         `apiVersion: bridgelint/v1`",
    ),
    (
        "domain.yaml",
        "kind: Integration\napiVersion: bridgelint.io/v1\n",
        "domain.yaml:2:13: error[unrecognized-document] `apiVersion: bridgelint.io/v1` is not \
         `bridgelint/v1`, so this document is skipped and none of its checks run; write \
         `apiVersion: bridgelint/v1`",
    ),
    (
        "kind-only.yaml",
        "kind: ServiceAccounts\naccounts: {}\n",
        "kind-only.yaml:1:7: error[unrecognized-document] `kind: ServiceAccounts` without \
         `apiVersion: bridgelint/v1`, so this document is skipped and none of its checks run; \
         add `apiVersion: bridgelint/v1` above it",
    ),
    (
        "second.yaml",
        "apiVersion: v1\nkind: ConfigMap\n---\nkind: Integration\n",
        "second.yaml:4:7: error[unrecognized-document] `kind: Integration` without \
         `apiVersion: bridgelint/v1`, so this document is skipped and none of its checks run; \
         add `apiVersion: bridgelint/v1` above it",
    ),
    // Not near misses: other tools' headers.
    ("k8s.yaml", "apiVersion: apps/v1\nkind: Deployment\n", ""),
    ("other-tool.yaml", "api_version: 3\nname: x\n", ""),
    (
        "foreign-kind.yaml",
        "apiVersion: acme/v1\nkind: Integration\n",
        "",
    ),
];

#[test]
fn each_named_near_miss_is_one_unrecognized_document_error() {
    let files: Vec<(&str, &str)> = NEAR_MISSES.iter().map(|(f, t, _)| (*f, *t)).collect();
    let p = Scratch::with_files("nearmiss", &files);
    for (file, _, expected) in NEAR_MISSES {
        let r = p.check().format("compact").arg(file).run();
        let want: Vec<&str> = [*expected].into_iter().filter(|e| !e.is_empty()).collect();
        assert_eq!(r.lines(), want, "{file}: {}", r.stderr);
        assert_eq!(r.code, i32::from(!want.is_empty()), "{file}: {}", r.stderr);
    }
}

#[test]
fn near_misses_found_by_walking_stay_silent_as_format_md_says() {
    let p = Scratch::with_files("nearmiss-walk", &[("lower.yaml", NEAR_MISSES[0].1)]);
    let r = p.check().format("compact").arg(".").run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.lines(), Vec::<&str>::new());
}

#[test]
fn a_near_miss_holding_a_secret_prints_no_secret() {
    let token = "ghp_FAKE0000FAKE0000FAKE0000FAKE0000FAKE";
    let text = format!("apiversion: bridgelint/v1 # {token}\nkind: Integration\n");
    let p = Scratch::with_files("nearmiss-secret", &[("leak.yaml", &text)]);
    for format in ["human", "compact", "json"] {
        let r = p.check().format(format).arg("leak.yaml").run();
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            r.stdout.contains("unrecognized-document"),
            "{format}: {}",
            r.stdout
        );
        assert!(
            !r.stdout.contains(&token[..12]),
            "{format} leaks:\n{}",
            r.stdout
        );
    }
}

#[test]
fn a_named_file_with_the_marker_that_does_not_parse_is_a_parse_error() {
    let p = Scratch::with_files(
        "nearmiss-broken",
        &[("broken.yaml", "apiversion: bridgelint/v1\nkind: [\n")],
    );
    let r = p.check().format("compact").arg("broken.yaml").run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.compact_keys(), ["broken.yaml:2:7: error[parse-error]"]);
}

#[test]
fn a_run_without_any_document_of_ours_says_so_and_passes_unless_asked() {
    let p = Scratch::with_files(
        "empty-run",
        &[
            ("k8s.yaml", "apiVersion: apps/v1\nkind: Deployment\n"),
            ("empty.yaml", ""),
        ],
    );
    let r = p.check().args(["k8s.yaml", "empty.yaml"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "warning: no bridgelint document found (2 files skipped; --verbose says why)\n"
    );
    let r = p.check().args(["-q", "k8s.yaml"]).run();
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, ""),
        "--quiet drops the note"
    );
    let failing = "error: no bridgelint document found (2 files skipped; --verbose says why); \
                   --fail-on-empty makes that a failure\n";
    let r = p
        .check()
        .args(["--fail-on-empty", "k8s.yaml", "empty.yaml"])
        .run();
    assert_eq!((r.code, r.stderr.as_str()), (1, failing));
    p.write(".bridgelint.yaml", "fail_on_empty: true\n");
    let r = p.check().args(["k8s.yaml", "empty.yaml"]).run();
    assert_eq!((r.code, r.stderr.as_str()), (1, failing), "the config key");
    // A run that checks a document is not empty, even with --fail-on-empty.
    p.write("integ.yaml", CLEAN_INTEGRATION);
    p.write("accounts.yaml", CLEAN_ACCOUNTS);
    let r = p.check().args(["--fail-on-empty", "."]).run();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("no bridgelint document"), "{}", r.stderr);
}

#[test]
fn a_named_empty_file_is_skipped_with_its_reason_under_verbose() {
    let p = Scratch::with_files(
        "empty-file",
        &[("empty.yaml", ""), ("blank.json", "\n  \n")],
    );
    let r = p.check().args(["-v", "empty.yaml", "blank.json"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    for file in ["empty.yaml", "blank.json"] {
        let reason = format!("skipped {file}: empty file\n");
        assert!(r.stderr.contains(&reason), "{file}: {}", r.stderr);
    }
}
