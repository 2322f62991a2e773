//! Output is inert (issue 20, item 7): control characters (C0, C1) and bidirectional
//! controls from file names and file content are escaped in every format, so that a file
//! cannot write a GitHub workflow command line, move a terminal's cursor or reorder what a
//! reader sees.

use super::support::Scratch;

/// Characters that must never reach the output as themselves: control characters in any
/// format; bidirectional controls in the formats read on a terminal (`human`, `compact`; the
/// JSON formats carry them as data, which the tools reading them display).
fn is_raw_control(c: char, terminal: bool) -> bool {
    (c.is_control() && c != '\n')
        || (terminal && matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

/// Every check format, plain and `--verbose`: (label, stdout + stderr).
fn every_format(s: &Scratch) -> Vec<(String, String)> {
    let runs = super::check_every_format(s, &[&[], &["--verbose"]]);
    runs.into_iter()
        .map(|(label, r)| {
            assert_eq!(r.code, 1, "{label}: {}", r.stderr);
            (label, format!("{}\n{}", r.stdout, r.stderr))
        })
        .collect()
}

const ACCOUNT: &str = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n  svc:\n    system: jira-cloud\n    type: service\n    username: svc\n";

#[test]
fn a_file_name_cannot_start_a_workflow_command_line() {
    let s = Scratch::project("inert-name");
    s.write("x\n::error file=evil.yaml,line=1::INJECTED.yaml", ACCOUNT);
    for (label, text) in every_format(&s) {
        assert!(
            text.contains("INJECTED"),
            "{label}: the file is reported:\n{text}"
        );
        let forged: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("::error file=evil.yaml"))
            .collect();
        assert!(
            forged.is_empty(),
            "{label}: a forged command line: {forged:?}"
        );
    }
}

#[test]
fn control_and_bidi_characters_of_names_and_content_are_escaped() {
    let s = Scratch::project("inert-content");
    let name = "a\u{202e}lmay.\u{1b}[2K\u{7}.yaml";
    let text = format!(
        "{ACCOUNT}    display_name: \"x\\e[2K\\r\\a\\N\u{202e}\u{2066}forged\"\n    # \u{202d} a comment\n"
    );
    s.write(name, &text);
    for (label, out) in every_format(&s) {
        assert!(out.contains("display-name"), "{label}:\n{out}");
        let raw: Vec<String> = out
            .chars()
            .filter(|c| {
                is_raw_control(
                    *c,
                    label.starts_with("human") || label.starts_with("compact"),
                )
            })
            .map(|c| c.escape_unicode().to_string())
            .collect();
        assert!(raw.is_empty(), "{label}: printed as is: {raw:?}\n{out}");
    }
}
