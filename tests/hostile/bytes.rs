//! Bytes that are not YAML text (NUL, control characters, invalid UTF-8, a lone BOM), and
//! files that are not ours: each is a located parse-error, or skipped quietly.

use super::support::Scratch;
use super::*;

// ---------------------------------------------------------------------------------------------
// Bytes that are not YAML text
// ---------------------------------------------------------------------------------------------

#[test]
fn a_nul_byte_is_a_parse_error_at_the_byte() {
    let s = Scratch::project("nul");
    s.write("nul.yaml", format!("{HEADER}a: b\0c\n"));
    let l = lint(&s, "nul.yaml");
    assert_parse_error(&l, 3, Some(5), "NUL");
    let lines = compact(&s, "nul.yaml", &[]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("nul.yaml:3:5: error[parse-error] binary content"),
        "{lines:?}"
    );
}

#[test]
fn binary_bytes_are_a_parse_error() {
    // Control characters (valid UTF-8), then bytes that are not UTF-8.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"blob: \x01\x02\x03\x7f\x1b[0m\n");
    let l = lint_bytes("binary-ctl", "blob.yaml", &bytes);
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 3, "{d}");
    bytes.extend_from_slice(b"\xff\xfe\x00\x00");
    let l = lint_bytes("binary", "blob.yaml", &bytes);
    // The first problem here is the invalid UTF-8 at the start of line 4 (the NULs follow).
    assert_parse_error(&l, 4, Some(1), "UTF-8");
}

#[test]
fn a_byte_order_mark_does_not_shift_columns() {
    let text = format!("\u{feff}{HEADER}odd: 1\n");
    let l = lint_bytes("bom-doc", "bom.yaml", &text);
    let d = l
        .diagnostics()
        .iter()
        .find(|d| message(d).contains("odd"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), (3, 1));
    let text = "\u{feff}{\"apiVersion\": \"bridgelint/v1\", \"kind\": 5}";
    let l = lint_bytes("bom-json-doc", "bom.json", text);
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), pos_of(text, "5}"), "{d}");
}

/// Bytes that are not text, each in a file of its own.
fn bad_bytes() -> [ParseErrorCase<Vec<u8>>; 3] {
    let after_header = |bytes: &[u8]| [HEADER.as_bytes(), bytes].concat();
    [
        // A NUL byte before invalid UTF-8 is reported at the NUL.
        (
            "nul-then-utf8",
            "blob.yaml",
            after_header(b"a: b\x00c\nd: \xff\n"),
            3,
            5,
            "NUL",
        ),
        // Invalid UTF-8 is reported at the first bad byte...
        (
            "utf8",
            "bad.yaml",
            after_header(b"name: caf\xc3\n"),
            3,
            10,
            "UTF-8",
        ),
        // ... in JSON too.
        (
            "utf8-json",
            "bad.json",
            b"{\"apiVersion\": \"bridgelint/v1\",\n \"x\": \"\xe9t\xe9\"}".to_vec(),
            2,
            8,
            "UTF-8",
        ),
    ]
}

#[test]
fn bad_bytes_are_one_parse_error_at_the_first_bad_byte() {
    for (tag, file, bytes, line, column, cause) in bad_bytes() {
        let l = lint_bytes(tag, file, &bytes);
        assert_parse_error(&l, line, Some(column), cause);
    }
}

/// Files that are not ours, each skipped quietly: (tag, file, text, extra arguments).
fn not_ours() -> Vec<(&'static str, &'static str, String, &'static [&'static str])> {
    const LIMIT: &[&str] = &["--max-file-size", "2048"];
    // Over the limit, marker after the head: not ours.
    let mut late =
        "# filler filler filler filler filler filler filler filler filler\n".repeat(1100);
    assert!(late.len() > 64 * 1024);
    late.push_str("apiVersion: bridgelint/v1\n");
    vec![
        // An empty file, a byte order mark alone.
        ("empty", "empty.yaml", String::new(), &[]),
        ("empty-json", "empty.json", String::new(), &[]),
        ("bom", "bom.yaml", "\u{feff}".into(), &[]),
        ("bom-json", "bom.json", "\u{feff}".into(), &[]),
        // A top-level list or scalar with the marker.
        (
            "top-list",
            "list.yaml",
            "- apiVersion: bridgelint/v1\n- b\n".into(),
            &[],
        ),
        ("top-scalar", "scalar.yaml", "bridgelint/v1\n".into(), &[]),
        (
            "top-json",
            "list.json",
            r#"[{"apiVersion": "bridgelint/v1"}]"#.into(),
            &[],
        ),
        ("top-json-str", "str.json", r#""bridgelint/v1""#.into(), &[]),
        // A file over the size limit without the marker.
        (
            "too-big-other",
            "other.yaml",
            "name: not ours\n".repeat(200),
            LIMIT,
        ),
        // The marker is looked for in the first 64 KiB only.
        ("marker-late", "late.yaml", late, LIMIT),
    ]
}

#[test]
fn files_that_are_not_ours_are_skipped_quietly() {
    for (tag, file, text, args) in not_ours() {
        let s = Scratch::project(tag);
        s.write(file, &text);
        lint_with(&s, file, args, false).skipped_quietly();
    }
}

/// UTF-16 and UTF-32 files (with a byte order mark) are reported, not skipped in silence: when
/// they hold `bridgelint/` (in their encoding) or are named; a walked one that is not ours is
/// skipped like any file that is not ours.
#[test]
fn utf16_and_utf32_files_are_reported_not_skipped() {
    let text = format!("{HEADER}metadata: {{ name: wide }}\n");
    let encode = |bom: &[u8], unit: &dyn Fn(u16) -> Vec<u8>, s: &str| {
        let mut out = bom.to_vec();
        for c in s.encode_utf16() {
            out.extend(unit(c));
        }
        out
    };
    let le16 = |c: u16| c.to_le_bytes().to_vec();
    let be16 = |c: u16| c.to_be_bytes().to_vec();
    let le32 = |c: u16| u32::from(c).to_le_bytes().to_vec();
    let be32 = |c: u16| u32::from(c).to_be_bytes().to_vec();
    type Unit<'a> = &'a dyn Fn(u16) -> Vec<u8>;
    let cases: [(&str, &[u8], Unit, &str); 4] = [
        ("utf-16le", &[0xFF, 0xFE], &le16, "UTF-16"),
        ("utf-16be", &[0xFE, 0xFF], &be16, "UTF-16"),
        ("utf-32le", &[0xFF, 0xFE, 0, 0], &le32, "UTF-32"),
        ("utf-32be", &[0, 0, 0xFE, 0xFF], &be32, "UTF-32"),
    ];
    for (name, bom, unit, encoding) in cases {
        let s = Scratch::project(name);
        s.write("ours.yaml", encode(bom, unit, &text));
        s.write("other.yaml", encode(bom, unit, "just: some yaml\n"));
        let expected = format!(
            "ours.yaml:1:1: error[parse-error] {encoding} text: bridgelint reads UTF-8; convert the file"
        );
        // Walked: ours is reported, the other one is skipped.
        let out = s.check().format("compact").arg(".").run();
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert_eq!(out.lines(), [expected.as_str()], "{name}");
        // Named, even without the marker.
        let out = s.check().format("compact").arg("other.yaml").run();
        assert_eq!(
            out.lines(),
            [expected.replace("ours.yaml", "other.yaml").as_str()],
            "{name}"
        );
        // As standard input.
        let out = s
            .check()
            .format("compact")
            .args(["--stdin-filename", "buffer.yaml"])
            .stdin(encode(bom, unit, &text))
            .run();
        assert_eq!(
            out.lines(),
            [expected.replace("ours.yaml", "buffer.yaml").as_str()],
            "{name}"
        );
    }
}
