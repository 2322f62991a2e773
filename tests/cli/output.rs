//! Output formats (compact, json and its schema), colour, `--quiet` and `--verbose`.

use super::*;

// ---------------------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------------------

#[test]
fn compact_format_is_one_exact_line_per_finding() {
    let p = clean_project("compact");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write("other/kind.yaml", UNKNOWN_KIND);
    let (code, out, _) = p.check().args(["--format", "compact"]).run().into_parts();
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "{PLAINTEXT_LINE}\nother/kind.yaml:2:7: error[schema-violation] unknown kind \
             `Nope`; expected `Integration` or `ServiceAccounts`\n"
        )
    );
    // The secret is never printed.
    assert!(!out.contains("hunter2"));
}

#[test]
fn json_format_has_the_documented_shape_and_validates() {
    let p = clean_project("json");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write("ignored.yaml", "foo: bar\n");
    let (code, out, _) = p.check().args(["--format", "json"]).run().into_parts();
    assert_eq!(code, 1);
    let report = json_of(&out);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "bridgelint");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let diags = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{out}");
    let d = &diags[0];
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "end",
            "fingerprint",
            "fix",
            "help",
            "message",
            "path",
            "related",
            "rule",
            "severity",
            "start"
        ]
    );
    // The fix: unsafe (the secret must be moved and rotated), one edit of the value, which
    // names the reference and never the secret.
    assert_eq!(d["fix"]["applicability"], "unsafe");
    let edits = d["fix"]["edits"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{out}");
    assert_eq!(edits[0]["start"], d["start"]);
    let content = edits[0]["content"].as_str().unwrap();
    assert!(
        content.starts_with("env:") && !content.contains("hunter2"),
        "{content}"
    );
    assert_eq!(d["rule"], "plaintext-secret");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "integrations/leaky.yaml");
    let secret_offset = integration_with_plaintext_secret()
        .find("hunter2-fake")
        .unwrap();
    assert_eq!(
        d["start"],
        serde_json::json!({"line": 14, "column": 15, "offset": secret_offset})
    );
    assert_eq!(
        d["end"],
        serde_json::json!({"line": 14, "column": 27, "offset": secret_offset + 12})
    );
    assert!(d["help"]
        .as_str()
        .unwrap()
        .contains("explain plaintext-secret"));
    assert!(d["related"].as_array().unwrap().is_empty());
    assert!(!d["fingerprint"].as_str().unwrap().is_empty());
    assert!(!out.contains("hunter2"), "the secret is never printed");
    let s = &report["summary"];
    assert_eq!(s["errors"], 1);
    assert_eq!(s["warnings"], 0);
    assert_eq!(s["infos"], 0);
    assert_eq!(s["files"], 3);
    assert_eq!(s["skipped"], 1);
    assert_eq!(s["suppressed"], 0);
    assert_valid_output(&report);
}

#[test]
fn json_output_with_related_locations_and_no_findings_validates() {
    // Capability `create` on Jira needs CREATE_ISSUES; the inventory grants only reading.
    let p = Scratch::with_files(
        "jsonrel",
        &[
            (
                "integ.yaml",
                &CLEAN_INTEGRATION.replace(
                    "  - from: jira\n    to: ado\n",
                    "  - from: ado\n    to: jira\n",
                ),
            ),
            ("accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    let (code, out, _) = p.check().args(["--format", "json"]).run().into_parts();
    assert_eq!(code, 1, "{out}");
    let report = json_of(&out);
    assert!(
        rules_of(&report).contains(&"missing-permission".to_string()),
        "{out}"
    );
    let with_related = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| !d["related"].as_array().unwrap().is_empty())
        .unwrap_or_else(|| panic!("a finding with related locations:\n{out}"));
    let rel = &with_related["related"][0];
    assert_eq!(rel["path"], "integ.yaml");
    assert!(rel["start"]["line"].as_u64().unwrap() >= 43, "{rel}");
    assert_valid_output(&report);

    let clean = clean_project("jsonclean");
    let (code, out, _) = clean.check().args(["--format", "json"]).run().into_parts();
    assert_eq!(code, 0);
    let report = json_of(&out);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["summary"]["files"], 2);
    assert_valid_output(&report);
}

#[test]
fn schema_output_is_the_schema_in_the_repository() {
    let p = clean_project("schemaout");
    let (code, out, _) = p.run(&["schema", "output"]).into_parts();
    assert_eq!(code, 0);
    let file =
        json_of(&std::fs::read_to_string(repo().join("schemas/output.schema.json")).unwrap());
    assert_eq!(json_of(&out), file);
}

// ---------------------------------------------------------------------------------------------
// Colour, quiet, verbose
// ---------------------------------------------------------------------------------------------

const ESC: &str = "\u{1b}[";

#[test]
fn colour_choices_into_a_pipe() {
    let p = clean_project("color");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (_, out, _) = p.check().args(["--color", "always"]).run().into_parts();
    assert!(out.contains(ESC), "--color always colours a pipe:\n{out}");
    let (_, out, _) = p.check().args(["--color", "auto"]).run().into_parts();
    assert!(!out.contains(ESC), "{out}");
    let (_, out, _) = p.check().run().into_parts();
    assert!(!out.contains(ESC), "{out}");
    let (_, out, _) = p.check().args(["--color", "never"]).run().into_parts();
    assert!(!out.contains(ESC), "{out}");
    let r = p
        .check()
        .args(["--color", "auto"])
        .env("NO_COLOR", "1")
        .run();
    assert!(!r.stdout.contains(ESC), "{}", r.stdout);
    // An explicit request overrides NO_COLOR.
    let r = p
        .check()
        .args(["--color", "always"])
        .env("NO_COLOR", "1")
        .run();
    assert!(r.stdout.contains(ESC), "{}", r.stdout);
    // Never into an --output file under auto.
    p.check().args(["-o", "report.txt"]).run();
    let written = p.read("report.txt");
    assert!(written.contains("plaintext-secret") && !written.contains(ESC));
}

#[test]
fn human_output_shows_the_location_snippet_and_summary() {
    let p = clean_project("human");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, _) = p.check().run().into_parts();
    assert_eq!(code, 1);
    assert!(out.contains("error[plaintext-secret]"), "{out}");
    assert!(out.contains("integrations/leaky.yaml:14:15"), "{out}");
    assert!(!out.contains("hunter2"), "{out}");
    assert!(
        out.ends_with("1 error, 0 warnings, 0 infos in 3 files (0 skipped)\n")
            || out.ends_with("1 errors, 0 warnings, 0 infos in 3 files (0 skipped)\n"),
        "{out}"
    );
}

#[test]
fn quiet_prints_no_summary_line() {
    let p = clean_project("quiet");
    let (code, out, err) = p.check().args(["-q"]).run().into_parts();
    assert_eq!(code, 0);
    assert_eq!(out, "", "a clean quiet run prints nothing");
    assert_eq!(err, "");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    let (code, out, _) = p.check().args(["--quiet"]).run().into_parts();
    assert_eq!(code, 1);
    assert!(out.contains("error[plaintext-secret]"), "{out}");
    assert!(!out.contains("infos in"), "{out}");
}

#[test]
fn verbose_lists_skipped_files_and_timings_on_stderr_only() {
    let p = clean_project("verbose");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    p.write("notes/other.yaml", "foo: bar\n");
    let (code, plain, plain_err) = p.check().args(["--format", "json"]).run().into_parts();
    assert_eq!(code, 1);
    assert_eq!(plain_err, "");
    let (code, verbose, err) = p
        .check()
        .args(["--format", "json", "-v"])
        .run()
        .into_parts();
    assert_eq!(code, 1);
    assert_eq!(verbose, plain, "--verbose does not change stdout");
    assert!(err.contains("skipped notes/other.yaml"), "{err}");
    assert!(err.contains("timings"), "{err}");
    let (_, _, err) = p.check().args(["--verbose"]).run().into_parts();
    assert!(err.contains("timings"), "{err}");
    // -q and -v together are a usage error.
    assert_eq!(p.check().args(["-q", "-v"]).run().code, 2);
}

#[test]
fn verbose_counts_files_as_the_summary_does_in_one_wording() {
    let p = clean_project("counters");
    p.write("notes/other.yaml", "foo: bar\n");
    p.write("notes/mentions.yaml", "note: see bridgelint/v1\n");
    let r = p.check().args(["-v", "."]).run();
    let summary = r.stdout.lines().last().unwrap_or_default();
    assert_eq!(
        summary, "0 errors, 0 warnings, 0 infos in 2 files (2 skipped)",
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains(
            "2 files checked, 2 skipped; 0 files of the project context read as well; \
             1 YAML/JSON document parsed but not bridgelint's\n"
        ),
        "{}",
        r.stderr
    );
    // One file: singular everywhere.
    let r = p
        .check()
        .args(["-v", "--no-context", "integrations/integ.yaml"])
        .run();
    assert!(
        r.stdout.ends_with(" in 1 file (0 skipped)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("1 file checked, 0 skipped; 0 files of"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(" 1 files"), "{}", r.stderr);
}

/// JSON and SARIF are written as they are serialised (to standard output or to `--output`):
/// both give the same bytes, which `render` gives too (the language server and the other
/// formats' tests read those), and a file that cannot be created is a one-line error, status 2.
#[test]
fn streamed_formats_write_the_same_bytes_to_a_file_and_to_standard_output() {
    let p = clean_project("streamed");
    p.write(
        "integrations/leaky.yaml",
        integration_with_plaintext_secret(),
    );
    for format in ["json", "sarif"] {
        let shown = p.check().args(["--format", format]).run();
        assert_eq!(shown.code, 1, "{shown:?}");
        let file = format!("report.{format}");
        let to_file = p.check().args(["--format", format, "-o", &file]).run();
        assert_eq!(
            (to_file.code, to_file.stdout.as_str()),
            (1, ""),
            "{to_file:?}"
        );
        assert_eq!(p.read(&file), shown.stdout, "{format}");
        assert!(shown.stdout.ends_with("}\n") && shown.stdout.contains("plaintext-secret"));
        assert!(!shown.stdout.contains("hunter2"), "{format}");
        let nowhere = p
            .check()
            .args(["--format", format, "-o", "missing/folder/report"])
            .run();
        assert_eq!(nowhere.code, 2, "{nowhere:?}");
        assert!(
            nowhere
                .stderr
                .starts_with("error: cannot write missing/folder/report: "),
            "{nowhere:?}"
        );
    }
}
