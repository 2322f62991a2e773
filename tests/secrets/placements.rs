//! Property: random placements of generated tokens (escaped at a random character, folded at
//! a random point, as a key, an escaped key, a tag plain or percent-escaped, an anchor and
//! alias name, a connection id, the value of a duplicated key, a JSON `\u` escape, a literal
//! `secret`) never reach any output format, nor the
//! baseline entries. Deterministic: a fixed seed, no persisted failures (as `tests/properties.rs`).
//!
//! It drives the library (`prepare`, `run`, `render`), as the binary does, so that many cases
//! stay fast; `decoded.rs` runs each vector through the binary.

use bridgelint::report::{render, Format, Style};
use clap::ValueEnum;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};

use super::decoded::{BODY, HEAD};
use super::detect::Needles;
use super::kit::Secret;
use super::support::Scratch;

const PLACEMENTS: usize = 13;

/// A token of one of four formats `leaked-secret` knows.
fn token() -> impl Strategy<Value = Secret> {
    prop_oneof![
        ("[ghp]{1}", "[A-Za-z0-9]{36}").prop_map(|(_, b)| ("ghp_", b)),
        "[A-Za-z0-9]{36}".prop_map(|b| ("gho_", b)),
        "[A-Za-z0-9_-]{20}".prop_map(|b| ("glpat-", b)),
        "[A-Za-z0-9_]{82}".prop_map(|b| ("github_pat_", b)),
    ]
    .prop_map(|(prefix, body)| Secret {
        label: format!("generated {prefix}"),
        text: format!("{prefix}{body}"),
        prefix: prefix.len(),
    })
}

/// The token with the character at `at` (modulo its length) escaped.
fn escape_at(t: &str, at: usize, json: bool) -> String {
    let at = at % t.len();
    let c = t.as_bytes()[at];
    let esc = if json {
        format!("\\u{c:04x}")
    } else {
        format!("\\x{c:02x}")
    };
    format!("{}{esc}{}", &t[..at], &t[at + 1..])
}

/// The token with the character at `at` (modulo its length) written as a URI escape
/// (`%5F`), as a YAML tag may spell it.
fn percent_at(t: &str, at: usize) -> String {
    let at = at % t.len();
    format!("{}%{:02X}{}", &t[..at], t.as_bytes()[at], &t[at + 1..])
}

/// One placement of the token: (file name, text).
fn place(kind: usize, t: &str, at: usize) -> (&'static str, String) {
    let conn = |extra: &str| format!("{HEAD}connections:\n  jira:\n{BODY}{extra}");
    let cut = 1 + at % (t.len() - 1);
    match kind {
        0 => ("i.yaml", conn(&format!("    description: \"{}\"\n", escape_at(t, at, false)))),
        1 => ("i.yaml", conn(&format!("    description: \"{}\\\n        {}\"\n", &t[..cut], &t[cut..]))),
        2 => ("i.yaml", conn(&format!("    {t}: {{ a: b }}\n"))),
        3 => ("i.yaml", conn(&format!("    \"{}\": 1\n", escape_at(t, at, false)))),
        4 => ("i.yaml", conn(&format!("    description: !{t} x\n"))),
        5 => ("i.yaml", conn(&format!("    description: &{t} x\n    notes: *{t}\n"))),
        6 => ("i.yaml", format!("{HEAD}connections:\n  {t}:\n{BODY}")),
        7 => ("i.yaml", format!("{HEAD}connections:\n  \"{}\":\n{BODY}", escape_at(t, at, false))),
        8 => ("i.yaml", conn(&format!("    description: a\n    description: \"{}\"\n", escape_at(t, at, false)))),
        9 => ("i.json", format!("{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {{\"name\": \"p\", \"description\": \"{}\"}}}}\n", escape_at(t, at, true))),
        10 => ("i.json", format!("{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {{\"name\": \"p\", \"{}\": 1}}}}\n", escape_at(t, at, true))),
        11 => ("i.yaml", conn(&format!("    description: !{} x\n", percent_at(t, at)))),
        _ => ("i.yaml", conn(&format!("      secret: \"{}\"\n", escape_at(t, at, false)))),
    }
}

/// Every output of one run: each format (human in colour too) and the baseline entries.
fn outputs(s: &Scratch) -> Vec<(String, String)> {
    let outcome = super::library_run(s, true);
    let mut out = Vec::new();
    for &format in Format::value_variants() {
        for color in [false, true] {
            let text = render(&outcome.report, format, &Style { color });
            out.push((format!("{format:?} colour {color}"), text));
        }
    }
    out.push(("verbose".into(), outcome.report.verbose.join("\n")));
    let entries = serde_json::to_string(&outcome.baseline_entries).expect("serialisable");
    out.push(("baseline entries".into(), entries));
    out
}

#[test]
fn generated_tokens_placed_anywhere_never_reach_any_output() {
    let config = Config {
        cases: 48,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x7365_6372_6574),
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = (token(), 0..PLACEMENTS, any::<usize>());
    let result = runner.run(&strategy, |(secret, kind, at)| {
        let (name, text) = place(kind, &secret.text, at);
        let s = Scratch::project("placements");
        s.write(name, &text);
        let needles = Needles::new(std::slice::from_ref(&secret));
        let mut leaks = Vec::new();
        for (label, out) in outputs(&s) {
            let plain = super::detect::strip_ansi(&out);
            for (_, excerpt) in needles.leaks(&plain) {
                leaks.push(format!("{label}: {excerpt}"));
            }
        }
        prop_assert!(
            leaks.is_empty(),
            "placement {kind} of {}:\n{text}\nleaks:\n{}",
            secret.text,
            leaks.join("\n")
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
