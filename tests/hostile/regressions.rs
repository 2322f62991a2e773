//! Inputs found by fuzzing (`tests/regressions/`), and focused tests of crashes they found.

use std::path::PathBuf;

use super::support::{repo, Scratch};
use super::*;

// ---------------------------------------------------------------------------------------------
// Inputs found by fuzzing
// ---------------------------------------------------------------------------------------------

/// Every file of `tests/regressions/` (crash inputs found by fuzzing; README.md there says how
/// they are named) is checked as YAML and as JSON: no panic, exit status 0 or 1.
#[test]
fn regressions_never_panic() {
    let dir = repo().join("tests/regressions");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    inputs.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"));
    inputs.sort();
    for input in &inputs {
        let bytes = std::fs::read(input).expect("read a regression input");
        for name in ["input.yaml", "input.json"] {
            let s = Scratch::project("regression");
            s.write(name, &bytes);
            for format in ["json", "human", "sarif"] {
                let run = check_in(&s, &[], false).format(format).arg(name).run();
                assert!(
                    matches!(run.code, 0 | 1),
                    "{} as {name} ({format}): {run:?}",
                    input.display()
                );
            }
        }
    }
    eprintln!("{} regression inputs checked", inputs.len());
}

/// A private-key header followed by more than 64 KiB of multi-byte text: the search for its end
/// marker is cut at a character boundary, never inside a character (that would panic).
#[test]
fn a_private_key_header_before_64_kib_of_multibyte_text() {
    for pad in 0..3 {
        let text = format!(
            "{HEADER}note: \"-----BEGIN RSA PRIVATE KEY-----{}{}\"\n",
            "x".repeat(pad),
            "€".repeat(30_000)
        );
        let l = lint_bytes("pem-multibyte", "pem.yaml", text);
        l.no_parse_error();
        assert_eq!(l.run.code, 1, "{}", l.run.stdout);
    }
}
