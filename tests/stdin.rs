//! `--stdin-filename`: an editor's unsaved buffer, linted as if it were the file at PATH.

mod support;
use support::{integration, Scratch};

#[test]
fn the_buffer_replaces_the_file_and_is_reported_under_its_path() {
    let s = Scratch::with_inventory("stdin");
    // On disk the file is clean; the unsaved buffer has a plaintext secret.
    s.write("integrations/jira-ado.yaml", integration("env:JIRA_TOKEN"));
    let buffer = integration("\"fake-editor-secret-1\"");
    let out = s
        .check()
        .format("compact")
        .args(["--stdin-filename", "integrations/jira-ado.yaml"])
        .stdin(buffer)
        .run();
    assert_eq!(
        out.compact_keys(),
        ["integrations/jira-ado.yaml:14:15: error[plaintext-secret]"],
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("fake-editor-secret-1"));
    assert_eq!(out.code, 1);
    // The project context resolves the accounts from the inventory on disk: no unknown-account.
    assert!(!out.stdout.contains("unknown-account"));
}

#[test]
fn the_buffer_fixes_what_is_on_disk() {
    let s = Scratch::with_inventory("stdin-fixed");
    s.write("jira-ado.yaml", integration("\"fake-on-disk\""));
    let out = s
        .check()
        .format("compact")
        .args(["--stdin-filename", "jira-ado.yaml"])
        .stdin(integration("env:JIRA_TOKEN"))
        .run();
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn the_config_is_found_from_the_buffer_path() {
    let s = Scratch::with_inventory("stdin-config");
    s.write(".bridgelint.yaml", "rules:\n  plaintext-secret: off\n");
    let out = s
        .check()
        .format("compact")
        .args(["--stdin-filename", "new/jira-ado.yaml"])
        .stdin(integration("\"fake-1\""))
        .run();
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn json_output_for_editors() {
    let s = Scratch::with_inventory("stdin-json");
    let out = s
        .check()
        .format("json")
        .args(["--stdin-filename", "jira-ado.yaml"])
        .stdin(integration("\"fake-1\""))
        .run();
    let v = out.json();
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "jira-ado.yaml");
    assert_eq!(d["start"]["line"], 14);
    assert_eq!(d["rule"], "plaintext-secret");
}

#[test]
fn invalid_utf8_on_stdin_is_a_parse_error() {
    let s = Scratch::new("stdin-utf8");
    let mut bytes =
        b"apiVersion: bridgelint/v1\nkind: Integration\nmetadata: { name: x\xff }\n".to_vec();
    bytes.push(b'\n');
    let out = s
        .bin()
        .args(["check", "--format", "compact", "--stdin-filename", "x.yaml"])
        .stdin(&bytes)
        .run();
    assert!(out.stdout.starts_with("x.yaml:3:"), "{}", out.stdout);
    assert!(
        out.stdout.contains("error[parse-error] invalid UTF-8"),
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);
}

#[test]
fn paths_with_stdin_are_an_invocation_error() {
    let s = Scratch::new("stdin-paths");
    s.write("a.yaml", "x: 1\n");
    let out = s
        .bin()
        .args(["check", "--stdin-filename", "x.yaml", "a.yaml"])
        .stdin(b"")
        .run();
    assert_eq!(out.code, 2);
}

/// A file with accented and wide characters before its findings on the same lines: read from
/// disk, a run keeps only where its multi-byte characters are, not its text; from standard
/// input it keeps the text. Columns count code points either way.
#[test]
fn columns_after_multibyte_characters_are_the_same_from_disk_and_from_stdin() {
    let s = Scratch::with_inventory("stdin-columns");
    let text = "\
apiVersion: bridgelint/v1
kind: Integration
metadata: {name: \"Zoë's sync ✓\", owner: \"équipe-intégrations\", environment: prod}
connections:
  jira: {system: jira-cloud, account: \"compte-Müller-😀\", url: \"http://jira.example\"}
";
    s.write("integrations/accents.yaml", text);
    let from_disk = s
        .check()
        .format("compact")
        .arg("integrations/accents.yaml")
        .run();
    let from_stdin = s
        .check()
        .format("compact")
        .args(["--stdin-filename", "integrations/accents.yaml"])
        .stdin(text)
        .run();
    assert_eq!(from_disk.code, 1, "{}", from_disk.stderr);
    assert_eq!(from_disk.stdout, from_stdin.stdout);
    // The account id (not a valid id) and the insecure URL sit after multi-byte characters
    // on line 5: `✓`, `é` and `ü` are 1 code point each, `😀` is 1 code point of 4 bytes.
    let keys = from_disk.compact_keys();
    for key in [
        "integrations/accents.yaml:5:39: error[schema-violation]",
        "integrations/accents.yaml:5:63: error[insecure-url]",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
    }
}

/// Standard input is bounded by the size limit like a file: a larger buffer holding the marker
/// in its head is a `parse-error` naming the limit, one without it is skipped, and neither is
/// read whole into memory.
#[test]
fn standard_input_is_bounded_by_the_size_limit() {
    let s = Scratch::with_inventory("stdin-limit");
    let mut ours = integration("env:JIRA_TOKEN").into_bytes();
    ours.resize(64 << 20, b'\n');
    let run = |config: &str, buffer: &[u8], extra: &[&str]| {
        s.write(".bridgelint.yaml", config);
        s.check()
            .format("compact")
            .args(["--stdin-filename", "big.yaml"])
            .args(extra)
            .stdin(buffer)
            .measure_memory()
            .run()
    };
    for (config, extra) in [
        ("", &["--max-file-size", "4096"][..]),
        ("max_file_size: 4096\n", &[][..]),
    ] {
        let out = run(config, &ours, extra);
        assert_eq!(out.code, 1, "{config}{extra:?}: {}", out.stderr);
        assert_eq!(
            out.compact_keys(),
            ["big.yaml:1:1: error[parse-error]"],
            "{config}{extra:?}"
        );
        assert!(
            out.stdout.contains("larger than the 4096 byte limit"),
            "{}",
            out.stdout
        );
        if let Some(kb) = out.max_rss_kb {
            assert!(
                kb < 48 * 1024,
                "{config}{extra:?}: 64 MiB on stdin took {kb} KiB"
            );
        }
    }
    let other = vec![b'#'; 64 << 20];
    let out = run("", &other, &["--max-file-size", "4096"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    // At the limit, the buffer is read whole.
    let exact = integration("\"fake-at-the-limit\"");
    let limit = exact.len().max(1024).to_string();
    let out = run("", exact.as_bytes(), &["--max-file-size", &limit]);
    assert!(out.stdout.contains("plaintext-secret"), "{}", out.stdout);
}
