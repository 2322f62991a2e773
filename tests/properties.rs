//! Never-panic properties (proptest), deterministic: a fixed seed, no persisted failures, and
//! few enough cases that the file runs in well under a minute in a debug build.
//!
//! (a) Arbitrary bytes and YAML/JSON-like token soup through the loader: `parse` returns `Ok`
//!     or `Err`, never panics, and every span of a parsed tree is ordered, lies within the
//!     text and agrees with the line table (line and column from the byte offset).
//! (b) The bundled examples and clean fixtures, mutated (bytes and lines deleted, duplicated,
//!     swapped, tokens inserted), through the whole pipeline (`prepare` + `run`) and every
//!     output format: no panic.
//!
//! A failure prints the minimal input; turn it into a test in tests/hostile/ (a file under
//! tests/regressions/) before fixing it.

use bridgelint::pipeline::{prepare, run, Request};
use bridgelint::report::{render, Format, Style};
use bridgelint::source::read::{classify, ReadOutcome};
use bridgelint::source::tree::{Node, ParsedFile, Value};
use bridgelint::source::{parse, Limits, LineIndex, Pos, Span, Syntax};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

mod support;
use support::{Scratch, NOW};

const FORMATS: [Format; 6] = [
    Format::Human,
    Format::Compact,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Gitlab,
];

/// A fixed seed and no regression files: the same cases on every run and machine. To explore
/// further by hand, set `BRIDGELINT_PROPTEST_SEED` (a number) and `BRIDGELINT_PROPTEST_SCALE`
/// (a multiplier of the case counts); CI sets neither.
fn config(cases: u32) -> Config {
    let env = |name: &str, default: u64| -> u64 {
        std::env::var(name).map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
        })
    };
    Config {
        cases: cases * env("BRIDGELINT_PROPTEST_SCALE", 1) as u32,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(env("BRIDGELINT_PROPTEST_SEED", 0x6272_6964_6765)),
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// (a) The loader
// ---------------------------------------------------------------------------------------------

/// Pieces of YAML and JSON syntax and of bridgelint's vocabulary.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    ",",
    "-",
    "- ",
    "---",
    "...",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<",
    "<<: ",
    "!tag ",
    "!!str ",
    "!!binary ",
    "!!int ",
    "\"",
    "'",
    "\\",
    "\\u",
    "\\ud800",
    "|",
    ">-",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "  ",
    "    ",
    "#",
    "# bridgelint: ignore[plaintext-secret]",
    "bridgelint/v1",
    "apiVersion",
    "kind",
    "Integration",
    "ServiceAccounts",
    "metadata",
    "connections",
    "flows",
    "accounts",
    "credential",
    "secret",
    "rotation",
    "interval_days",
    "expires",
    "2026-02-30",
    "2027-01-01",
    "~",
    "null",
    "true",
    "NaN",
    "0x1F",
    "-.inf",
    "1e999",
    "99999999999999999999999",
    "ghp_0123456789abcdefghijABCDEFGHIJ012345",
    "é",
    "\u{feff}",
    "\u{2028}",
    "🔑",
    "x",
    "42",
];

fn token_soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(TOKENS), 0..120).prop_map(|t| t.concat())
}

/// Our header, then token soup: parsed further than bare soup, and ours for the pipeline.
fn headed_soup() -> impl Strategy<Value = String> {
    token_soup().prop_map(|s| format!("apiVersion: bridgelint/v1\nkind: Integration\n{s}"))
}

fn json_soup() -> impl Strategy<Value = String> {
    token_soup().prop_map(|s| format!("{{\"apiVersion\": \"bridgelint/v1\", \"x\": {s}"))
}

/// Asserts that a span is ordered, within the text, and placed as the line table places it.
fn check_span(what: &str, span: &Span, text: &str, index: &LineIndex) -> Result<(), String> {
    let (s, e) = (span.start.offset as usize, span.end.offset as usize);
    if s > e {
        return Err(format!("{what} {span:?} ends before it starts"));
    }
    if e > text.len() {
        return Err(format!(
            "{what} {span:?} ends after the text ({} bytes)",
            text.len()
        ));
    }
    for pos in [span.start, span.end] {
        let expected: Pos = index.pos(pos.offset as usize);
        if (pos.line, pos.column) != (expected.line, expected.column) {
            return Err(format!(
                "{what} {span:?}: {pos:?} is line {} column {} by the line table",
                expected.line, expected.column
            ));
        }
    }
    Ok(())
}

fn check_tree(file: &ParsedFile, text: &str) -> Result<(), String> {
    let index = LineIndex::new(text);
    for doc in &file.documents {
        // Iterative: a tree as deep as the limit allows must not matter here.
        let mut todo: Vec<&Node> = vec![&doc.root];
        while let Some(node) = todo.pop() {
            check_span("node", &node.span, text, &index)?;
            match &node.value {
                Value::Seq(items) => todo.extend(items.iter()),
                Value::Map(entries) => {
                    for e in entries {
                        check_span("key", &e.key_span, text, &index)?;
                        todo.push(&e.value);
                    }
                }
                _ => {}
            }
        }
        for p in &doc.problems {
            check_span("problem", &p.span, text, &index)?;
        }
    }
    for c in &file.comments {
        check_span("comment", &c.span, text, &index)?;
    }
    Ok(())
}

/// Parses with both parsers (with and without comments); checks every `Ok` tree and that an
/// error's position lies within the text.
fn load(text: &str) -> Result<(), String> {
    let limits = Limits::default();
    for syntax in [Syntax::Yaml, Syntax::Json] {
        for comments in [false, true] {
            match parse(text, syntax, &limits, comments) {
                Ok(file) => check_tree(&file, text)
                    .map_err(|e| format!("{syntax:?} (comments {comments}): {e}"))?,
                Err(e) => {
                    if e.pos.offset as usize > text.len() || e.pos.line == 0 || e.pos.column == 0 {
                        return Err(format!("{syntax:?}: error outside the text: {e:?}"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The same through the reading stage first, as the pipeline does.
fn read_then_load(bytes: &[u8]) -> Result<(), String> {
    for max_file_size in [64, 1 << 20] {
        let limits = Limits {
            max_file_size,
            ..Limits::default()
        };
        match classify(bytes.to_vec(), &limits) {
            ReadOutcome::Text(text) => load(&text)?,
            ReadOutcome::NotOurs => {}
            ReadOutcome::Unreadable { pos, .. } => {
                if pos.offset as usize > bytes.len() {
                    return Err(format!("unreadable at {pos:?}, beyond the bytes"));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        read_then_load(&bytes).map_err(TestCaseError::fail)?;
        load(&String::from_utf8_lossy(&bytes)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn token_soup_never_panics_the_loader(text in token_soup()) {
        load(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn headed_token_soup_never_panics_the_loader(text in headed_soup()) {
        read_then_load(text.as_bytes()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn json_soup_never_panics_the_loader(text in json_soup()) {
        load(&text).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------------------------
// (b) The whole pipeline on mutated documents
// ---------------------------------------------------------------------------------------------

/// The YAML and JSON files of examples/ and rules/fixtures/clean/ (relative name, text).
fn seed_files() -> &'static [(String, String)] {
    static FILES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let root = support::repo();
        let mut out = Vec::new();
        let mut todo = vec![root.join("examples"), root.join("rules/fixtures/clean")];
        while let Some(dir) = todo.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in rd.flatten() {
                let p = entry.path();
                if p.is_dir() {
                    todo.push(p);
                } else if Syntax::of_path(&p.to_string_lossy()).is_some() {
                    let rel = p.strip_prefix(root).unwrap_or(&p);
                    let text = std::fs::read_to_string(&p).expect("read a seed file");
                    out.push((rel.to_string_lossy().replace('\\', "/"), text));
                }
            }
        }
        out.sort();
        assert!(out.len() >= 5, "seed files found: {}", out.len());
        out
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    DeleteBytes(Index, usize),
    DuplicateLine(Index),
    DeleteLine(Index),
    SwapLines(Index, Index),
    InsertToken(Index, &'static str),
    ReplaceByte(Index, u8),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::DeleteBytes(i, n)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        any::<Index>().prop_map(Mutation::DeleteLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<Index>(), proptest::sample::select(TOKENS))
            .prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::ReplaceByte(i, b)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let lines = |bytes: &[u8]| -> Vec<Vec<u8>> {
        bytes
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    match m {
        Mutation::DeleteBytes(i, n) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::ReplaceByte(i, b) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Truncate(i) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes.truncate(at);
        }
        Mutation::InsertToken(i, t) => {
            let at = i.index(bytes.len() + 1);
            bytes.splice(at..at, t.bytes());
        }
        Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) => {
            let mut ls = lines(bytes);
            if ls.is_empty() {
                return;
            }
            let at = i.index(ls.len());
            if matches!(m, Mutation::DuplicateLine(_)) {
                let l = ls[at].clone();
                ls.insert(at, l);
            } else {
                ls.remove(at);
            }
            *bytes = ls.concat();
        }
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(bytes);
            if ls.is_empty() {
                return;
            }
            let (a, b) = (a.index(ls.len()), b.index(ls.len()));
            ls.swap(a, b);
            *bytes = ls.concat();
        }
        _ => {}
    }
}

/// Writes every seed file (the chosen ones mutated) into a scratch folder, checks the folder
/// with the library, and renders the report in every format.
fn pipeline(mutated: &[(usize, Vec<Mutation>)]) -> Result<(), String> {
    let files = seed_files();
    let scratch = Scratch::project("props");
    let mut changed = Vec::new();
    for (i, (rel, text)) in files.iter().enumerate() {
        let mut bytes = text.as_bytes().to_vec();
        for (pick, ms) in mutated {
            if pick % files.len() == i {
                for m in ms {
                    apply(&mut bytes, m);
                }
                changed.push(rel.clone());
            }
        }
        // Flat names: the whole set is one project.
        let name = rel.replace('/', "__");
        scratch.write(&name, &bytes);
    }
    let req = Request {
        paths: vec![scratch.dir.clone()],
        no_config: true,
        now: bridgelint::model::date::parse(NOW),
        jobs: Some(2),
        ..Request::default()
    };
    let result = std::panic::catch_unwind(|| {
        let prep =
            prepare(&req, &scratch.dir).map_err(|e| format!("invocation error: {:?}", e.0))?;
        let outcome = run(prep, &[], true);
        for format in FORMATS {
            for color in [false, true] {
                let out = render(&outcome.report, format, &Style { color });
                if matches!(format, Format::Json | Format::Sarif | Format::Gitlab) {
                    serde_json::from_str::<serde_json::Value>(&out)
                        .map_err(|e| format!("{format:?} is not JSON: {e}"))?;
                }
            }
        }
        Ok::<(), String>(())
    });
    drop(scratch);
    match result {
        Ok(r) => r.map_err(|e| format!("{e} (mutated: {changed:?})")),
        Err(p) => {
            let what = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panic: {what} (mutated: {changed:?})"))
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn mutated_documents_never_panic_the_pipeline(
        mutated in proptest::collection::vec(
            (any::<usize>(), proptest::collection::vec(mutation(), 1..8)),
            1..4,
        )
    ) {
        pipeline(&mutated).map_err(TestCaseError::fail)?;
    }
}

/// The unmutated set goes through too (and is the baseline the mutations start from).
#[test]
fn the_seed_files_go_through_the_pipeline() {
    pipeline(&[]).expect("the bundled files check cleanly through every format");
}

// ---------------------------------------------------------------------------------------------
// (c) Fixes on mutated documents
// ---------------------------------------------------------------------------------------------

/// The comments of a YAML text, by bridgelint's parser (`None` when it does not parse).
fn comment_texts(text: &str) -> Option<Vec<String>> {
    let parsed = bridgelint::source::parse(text, Syntax::Yaml, &Limits::default(), true).ok()?;
    Some(
        parsed
            .comments
            .iter()
            .map(|c| c.text.trim().to_string())
            .collect(),
    )
}

/// Mutated seed files, fixed with every fix (safe and unsafe): every file that parsed still
/// parses, keeps every comment but suppressions and those on lines a fix removed, and a second
/// round of fixing finds nothing more to do (a fixpoint).
fn fixing(mutated: &[(usize, Vec<Mutation>)]) -> Result<(), String> {
    let seeds = seed_files();
    let scratch = Scratch::bare("props-fix");
    for (i, (rel, text)) in seeds.iter().enumerate() {
        let mut bytes = text.clone().into_bytes();
        for (which, ms) in mutated {
            if which % seeds.len() == i {
                ms.iter().for_each(|m| apply(&mut bytes, m));
            }
        }
        let name = rel.replace('/', "__");
        scratch.write(&name, &bytes);
    }
    let req = Request {
        paths: vec![scratch.dir.clone()],
        no_config: true,
        now: bridgelint::model::date::parse(NOW),
        jobs: Some(2),
        unsafe_fixes: true,
        findings_only: true,
        ..Request::default()
    };
    let rounds = bridgelint::commands::fix::rounds(&req, &scratch.dir)
        .map_err(|e| format!("invocation error: {:?}", e.0))?;
    for c in rounds.changed.values().filter(|c| c.current != c.original) {
        let syntax = Syntax::of_path(&c.abs.to_string_lossy()).unwrap_or(Syntax::Yaml);
        if bridgelint::source::parse(&c.current, syntax, &Limits::default(), false).is_err() {
            return Err(format!("{} no longer parses after fixing", c.display));
        }
        if syntax == Syntax::Yaml {
            let (old, new) = (comment_texts(&c.original), comment_texts(&c.current));
            let (Some(old), Some(new)) = (old, new) else {
                continue;
            };
            let removed: String = similar::TextDiff::from_lines(&c.original, &c.current)
                .iter_all_changes()
                .filter(|ch| ch.tag() == similar::ChangeTag::Delete)
                .map(|ch| ch.value().to_string())
                .collect();
            if let Some(lost) = old.iter().find(|t| {
                !t.starts_with("bridgelint:") && !new.contains(t) && !removed.contains(t.as_str())
            }) {
                return Err(format!("{}: the comment `{lost}` was lost", c.display));
            }
        }
        std::fs::write(&c.abs, &c.current).map_err(|e| e.to_string())?;
    }
    if mutated.is_empty() && rounds.fixed == 0 {
        return Err("the unmutated seed files have fixable findings, yet nothing was fixed".into());
    }
    let again = bridgelint::commands::fix::rounds(&req, &scratch.dir)
        .map_err(|e| format!("invocation error: {:?}", e.0))?;
    if again.fixed != 0 {
        let files: Vec<&String> = again.changed.values().map(|c| &c.display).collect();
        return Err(format!(
            "not a fixpoint: {} more fixed in {files:?}",
            again.fixed
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn fixing_mutated_documents_keeps_them_parsing_and_reaches_a_fixpoint(
        mutated in proptest::collection::vec(
            (any::<usize>(), proptest::collection::vec(mutation(), 1..4)),
            0..3,
        )
    ) {
        fixing(&mutated).map_err(TestCaseError::fail)?;
    }
}

/// The unmutated set: its fixable findings are fixed, and the properties hold.
#[test]
fn the_seed_files_are_fixed_and_reach_a_fixpoint() {
    fixing(&[]).expect("fixing the bundled files");
}
