//! Secrets are never printed (ARCHITECTURE.md, "Invariants"; SECURITY.md).
//!
//! The fixtures are generated in a scratch folder: fake credentials of every format
//! `leaked-secret` knows (rules/leaked-secret.yaml), each instance different, planted in
//! `secret` and `private_key` values, in descriptions, in comments, in a URL path and in a
//! ServiceAccounts `purpose`, plus ordinary passwords in `secret` and URLs with a password in
//! their userinfo, in YAML and in JSON. The real binary then runs through every output format
//! and option that prints something (`check` in every format, `--verbose`, `--quiet`, `-o`,
//! `--stdin-filename`, `--write-baseline`; `inventory` in every format; `explain`), and no
//! output, error output or written file may hold any secret: neither the whole text nor any
//! 12-character window of it past its fixed, non-secret prefix (`ghp_`, `ATATT3`, the PEM
//! header...). A partial leak is a leak.
//!
//! So that the test cannot pass by printing nothing, the `json` run must hold a
//! `plaintext-secret`, `leaked-secret` or `insecure-url` diagnostic at every planted value, and
//! every other format must name those rules.
//!
//! Leaks that are known product bugs are listed in `detect::KNOWN_LEAKS` (each with an ignored
//! test in `bugs.rs` that reproduces it on a minimal input); the main test tolerates exactly
//! those and nothing else.
//!
//! `kit.rs` makes the fake credentials, `fixture.rs` plants them, `detect.rs` looks for them in
//! what the runs print; `bugs.rs` holds the leaks found once, each on a minimal input.

#[path = "../support/mod.rs"]
mod support;
use support::{Run, CHECK_FORMATS, INVENTORY_FORMATS};

mod bugs;
mod decoded;
mod detect;
mod fixture;
mod inert;
mod kit;
mod placements;
mod reread;

use detect::{strip_ansi, Needles, Outputs, KNOWN_LEAKS};
use fixture::{assert_findings_present, Fixture};
use kit::Kit;

/// The length of the windows searched for in the output.
const WINDOW: usize = 12;
const RULES: [&str; 3] = ["plaintext-secret", "leaked-secret", "insecure-url"];

// ------------------------------------------------------------------------- the matrix

/// The `check` variants: every format, `human` in both colour modes.
fn check_variants() -> Vec<(String, Vec<&'static str>)> {
    CHECK_FORMATS
        .iter()
        .flat_map(|f| {
            let colours: &[&str] = if *f == "human" {
                &["always", "never"]
            } else {
                &["never"]
            };
            colours.iter().map(move |c| {
                (
                    format!("{f} --color {c}"),
                    vec!["--format", *f, "--color", *c],
                )
            })
        })
        .collect()
}

/// Asserts that a run's output names every secret rule.
fn assert_names_the_rules(label: &str, run: &Run) {
    for rule in RULES {
        assert!(
            run.stdout.contains(rule),
            "{label} does not name `{rule}`:\n{}",
            run.stdout
        );
    }
}

/// Runs every output path over the fixture and collects what it printed.
fn every_output(fixture: &Fixture) -> Outputs {
    let mut outs = Outputs::new();
    let variants = check_variants();
    check_outputs(fixture, &variants, &mut outs);
    stdin_outputs(fixture, &variants, &mut outs);
    baseline_outputs(fixture, &mut outs);
    inventory_outputs(fixture, &mut outs);
    // explain: the rules that deal with secrets.
    for rule in RULES {
        let run = fixture.scratch.run(&["explain", rule]);
        assert_eq!(run.code, 0, "explain {rule}");
        outs.run(&format!("explain {rule}"), &run);
    }
    // Last: these change the fixture's files.
    fix_outputs(fixture, &mut outs);
    outs
}

/// `--diff`, `--stdin-filename --fix` (the fixed text), `--fix` and `--add-suppression`, with
/// and without `--unsafe-fixes` (fix messages, diffs, fixed texts).
fn fix_outputs(fixture: &Fixture, outs: &mut Outputs) {
    let s = &fixture.scratch;
    for unsafe_fixes in [None, Some("--unsafe-fixes")] {
        let u = unsafe_fixes.unwrap_or("");
        let run = s.check().args(["--diff"]).args(unsafe_fixes).arg(".").run();
        assert_ne!(run.code, 2, "--diff {u}:\n{}", run.stderr);
        outs.run(&format!("check --diff {u}"), &run);
        for path in ["integrations/secrets.yaml", "integrations/secrets.json"] {
            let text = &fixture.doc(path).text;
            let run = s
                .check()
                .args(["--fix", "--stdin-filename", path])
                .args(unsafe_fixes)
                .stdin(text)
                .run();
            // editing.md's one exception: the fixed text replaces the editor's buffer, so it is
            // the whole file, unredacted. Only its report (stderr) must hold no secret; its text
            // must be the buffer, fixed, nothing else.
            outs.add(
                format!("check --fix --stdin-filename {path} {u} [stderr]"),
                run.stderr.clone(),
            );
            if !run.stderr.contains(" fixed") {
                assert_eq!(
                    &run.stdout, text,
                    "{path}: nothing fixed, the same bytes come back"
                );
            }
        }
    }
    let run = s
        .check()
        .args(["--fix", "--unsafe-fixes", "--format", "json", "."])
        .run();
    assert_ne!(run.code, 2, "--fix:\n{}", run.stderr);
    outs.run("check --fix --unsafe-fixes", &run);
    let run = s
        .check()
        .args(["--add-suppression", "accepted in review", "."])
        .run();
    outs.run("check --add-suppression", &run);
}

/// `check` in every variant, plain, `--verbose` and `--quiet`, then with `-o FILE`.
fn check_outputs(fixture: &Fixture, variants: &[(String, Vec<&str>)], outs: &mut Outputs) {
    let s = &fixture.scratch;
    for (name, args) in variants {
        for extra in [None, Some("--verbose"), Some("--quiet")] {
            let run = s.check().args(args).args(extra).arg(".").run();
            assert_eq!(
                run.code, 1,
                "check {name} {extra:?} exit status:\n{}",
                run.stderr
            );
            let label = format!("check {name} {}", extra.unwrap_or(""))
                .trim()
                .to_string();
            assert_names_the_rules(&label, &run);
            if name.starts_with("json") && extra.is_none() {
                assert_findings_present(fixture, &run.stdout);
            }
            outs.run(&label, &run);
        }
    }
    // -o FILE, every format.
    for (name, args) in variants {
        let file = "report.out";
        let run = s.check().args(args).args(["-o", file, "."]).run();
        assert_eq!(run.code, 1, "check -o {name}:\n{}", run.stderr);
        let written = s.read(file);
        for rule in RULES {
            assert!(written.contains(rule), "-o {name} does not name `{rule}`");
        }
        outs.run(&format!("check -o {name}"), &run);
        outs.add(format!("check -o {name} [file]"), written);
    }
}

/// `--stdin-filename`: the buffer on standard input, as each fixture file.
fn stdin_outputs(fixture: &Fixture, variants: &[(String, Vec<&str>)], outs: &mut Outputs) {
    for path in ["integrations/secrets.yaml", "integrations/secrets.json"] {
        let text = &fixture.doc(path).text;
        for (name, args) in variants {
            let run = fixture
                .scratch
                .check()
                .args(["--stdin-filename", path])
                .args(args)
                .stdin(text)
                .run();
            assert_eq!(run.code, 1, "stdin {path} {name}:\n{}", run.stderr);
            assert!(run.stdout.contains("leaked-secret"), "stdin {path} {name}");
            outs.run(&format!("check --stdin-filename {path} {name}"), &run);
        }
    }
}

/// `--write-baseline`: the file it writes, and what it prints.
fn baseline_outputs(fixture: &Fixture, outs: &mut Outputs) {
    let s = &fixture.scratch;
    let run = s
        .check()
        .args(["--write-baseline", "baseline.json", "."])
        .run();
    assert_eq!(run.code, 0, "write-baseline:\n{}", run.stderr);
    let baseline = s.read("baseline.json");
    for rule in RULES {
        assert!(baseline.contains(rule), "the baseline records no `{rule}`");
    }
    outs.run("check --write-baseline", &run);
    outs.add("check --write-baseline [file]", baseline);
}

/// `inventory`: every format, plain and `--verbose`, and `-o`.
fn inventory_outputs(fixture: &Fixture, outs: &mut Outputs) {
    let s = &fixture.scratch;
    for f in INVENTORY_FORMATS {
        for extra in [None, Some("--verbose")] {
            // The table shows the purposes with --wide; without it (here with --verbose) it
            // leaves them out to fit 120 columns, and must still print no secret.
            let wide = (f == "table" && extra.is_none()).then_some("--wide");
            let run = s
                .inventory()
                .format(f)
                .args(extra)
                .args(wide)
                .arg(".")
                .run();
            assert_eq!(run.code, 0, "inventory {f}:\n{}", run.stderr);
            assert!(
                run.stdout.contains("getint-servicenow") && run.stdout.contains("getint-jira"),
                "inventory {f} lists the accounts:\n{}",
                run.stdout
            );
            // The map (mermaid, dot) shows no purposes: it must still print no secret.
            assert!(
                run.stdout.contains("****")
                    || (f == "table" && wide.is_none())
                    || matches!(f, "mermaid" | "dot"),
                "inventory {f} masks the purposes that hold secrets:\n{}",
                run.stdout
            );
            outs.run(
                format!("inventory {f} {}", extra.unwrap_or("")).trim(),
                &run,
            );
        }
        let run = s.inventory().format(f).args(["-o", "inv.out", "."]).run();
        assert_eq!(run.code, 0, "inventory -o {f}:\n{}", run.stderr);
        outs.run(&format!("inventory -o {f}"), &run);
        outs.add(format!("inventory -o {f} [file]"), s.read("inv.out"));
    }
}

/// `check` on a project in every format with `--color never`, once per variant of extra
/// arguments (each ending with the path): (label, run).
pub fn check_every_format(s: &support::Scratch, variants: &[&[&str]]) -> Vec<(String, Run)> {
    let mut out = Vec::new();
    for f in CHECK_FORMATS {
        for extra in variants {
            let run = s
                .check()
                .format(f)
                .args(["--color", "never"])
                .args(*extra)
                .arg(".")
                .run();
            out.push((format!("{f} {extra:?}"), run));
        }
    }
    out
}

/// A run through the library, as the binary makes it (for what a test must do between two
/// phases of a run, or many runs fast): the outcome, before any format renders it.
pub fn library_run(s: &support::Scratch, verbose: bool) -> bridgelint::pipeline::Outcome {
    let req = bridgelint::pipeline::Request {
        paths: vec![s.dir.clone()],
        no_config: true,
        now: bridgelint::model::date::parse(support::NOW),
        jobs: Some(1),
        ..bridgelint::pipeline::Request::default()
    };
    let prep = bridgelint::pipeline::prepare(&req, &s.dir).expect("a valid invocation");
    bridgelint::pipeline::run(prep, &[], verbose)
}

// --------------------------------------------------------------------------------- tests

#[test]
fn no_output_prints_a_secret() {
    let fixture = Fixture::new();
    let needles = Needles::new(&fixture.secrets);
    let outs = every_output(&fixture);
    let (known, unknown) = outs.leaks(&needles);
    assert!(
        unknown.is_empty(),
        "{} leaks of secret text:\n{}",
        unknown.len(),
        unknown.join("\n")
    );
    for k in KNOWN_LEAKS {
        let hits: Vec<&String> = known.iter().filter(|l| l.contains(k.secret)).collect();
        match hits.first() {
            Some(first) => eprintln!(
                "known product bug ({}): `{}` leaks in {} outputs, e.g. {}",
                k.test,
                k.secret,
                hits.len(),
                strip_ansi(first)
            ),
            None => eprintln!(
                "note: the known leak of `{}` ({}) no longer happens: remove it from KNOWN_LEAKS",
                k.secret, k.test
            ),
        }
    }
}

/// The masks themselves: a secret is replaced, never shortened into a readable piece.
#[test]
fn the_leak_detector_finds_partial_leaks() {
    let mut kit = Kit::new();
    let s = kit.github("t github-token", "ghp_");
    let needles = Needles::new(std::slice::from_ref(&s));
    assert!(needles.leaks("nothing here; ghp_**** is masked").is_empty());
    let partial = &s.text[10..10 + WINDOW];
    assert_eq!(needles.leaks(&format!("x {partial} y")).len(), 1);
    let coloured = format!("{}\u{1b}[1m{}", &s.text[..20], &s.text[20..]);
    assert_eq!(needles.leaks(&strip_ansi(&coloured)).len(), 1);
    let key = kit.private_key("t key");
    let needles = Needles::new(std::slice::from_ref(&key));
    assert!(needles
        .leaks("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----")
        .is_empty());
    let body = key.text.lines().nth(2).expect("a body line");
    assert_eq!(needles.leaks(&body[30..50]).len(), 1);
}
