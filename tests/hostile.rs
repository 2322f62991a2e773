//! Hostile input through the real binary: every case runs `bridgelint check --format json
//! --no-config` on a file in its own scratch folder, with a timeout, and asserts that the run
//! ends (exit status 0 or 1; 2 only for a wrong invocation; never 101, a panic), that a problem
//! is reported as a diagnostic naming its cause at its position, and, for the big cases, that
//! time and memory stay bounded (ARCHITECTURE.md, "Bounded work on hostile input"; cli.md,
//! "Exit status"; format.md, "Which files are checked").
//!
//! Large inputs are generated here, never committed. Inputs found by fuzzing live in
//! `tests/regressions/` and are run by [`regressions_never_panic`].

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bridgelint::source::{DEFAULT_ALIAS_BUDGET, DEFAULT_MAX_DEPTH};
use serde_json::Value as Json;

mod support;
use support::Scratch;

/// A run longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Peak resident memory allowed for the big cases (a debug build needs about 100 MB to start).
const MEMORY_LIMIT_KB: u64 = 500 * 1024;
const NOW: &str = "2026-11-27";
const HEADER: &str = "apiVersion: bridgelint/v1\nkind: Integration\n";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory in KiB, when `/usr/bin/time` could measure it.
    max_rss_kb: Option<u64>,
}

/// `/usr/bin/time` when it is GNU time (it understands `-f %M -o FILE`).
fn gnu_time() -> Option<&'static Path> {
    static CHECKED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *CHECKED.get_or_init(|| {
        Command::new("/usr/bin/time")
            .args(["-f", "%M", "-o", "/dev/null", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    ok.then_some(Path::new("/usr/bin/time"))
}

/// Runs the real binary in `dir` with a timeout; `measure` wraps it in `/usr/bin/time` when
/// available. Fails the test on a hang or a panic (status 101).
fn bridgelint(dir: &Path, args: &[&str], measure: bool) -> Run {
    use std::os::unix::process::CommandExt;
    let exe = env!("CARGO_BIN_EXE_bridgelint");
    let rss_file = dir.join(".rss");
    let timer = if measure { gnu_time() } else { None };
    let mut cmd = match timer {
        Some(time) => {
            let mut c = Command::new(time);
            c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that a hang can be killed with its `time` wrapper.
        .process_group(0);
    let started = Instant::now();
    let child = cmd.spawn().expect("the bridgelint binary starts");
    let (status, stdout, stderr) = support::wait_for(child, args, dir, true);
    let elapsed = started.elapsed();
    let mut code = status.code();
    let mut max_rss_kb = None;
    if timer.is_some() {
        let report = std::fs::read_to_string(&rss_file).unwrap_or_default();
        let _ = std::fs::remove_file(&rss_file);
        // GNU time writes "Command exited with non-zero status N" before the value, and
        // "Command terminated by signal N" when it was killed.
        max_rss_kb = report.lines().last().and_then(|l| l.trim().parse().ok());
        if let Some(line) = report.lines().find(|l| l.contains("non-zero status")) {
            code = line.rsplit(' ').next().and_then(|n| n.parse().ok());
        }
    }
    assert_ne!(code, Some(101), "bridgelint {args:?} panicked:\n{stderr}");
    Run {
        code,
        stdout,
        stderr,
        elapsed,
        max_rss_kb,
    }
}

/// What a `check --format json` run said.
struct Lint {
    run: Run,
    json: Json,
}

impl Lint {
    fn diagnostics(&self) -> &[Json] {
        self.json["diagnostics"].as_array().expect("diagnostics")
    }

    fn of_rule(&self, rule: &str) -> Vec<&Json> {
        self.diagnostics()
            .iter()
            .filter(|d| d["rule"] == rule)
            .collect()
    }

    /// The one parse-error of the run (fails unless there is exactly one).
    fn parse_error(&self) -> &Json {
        let all = self.of_rule("parse-error");
        assert_eq!(
            all.len(),
            1,
            "one parse-error expected:\n{}",
            self.run.stdout
        );
        all[0]
    }

    fn no_parse_error(&self) {
        assert!(
            self.of_rule("parse-error").is_empty(),
            "no parse-error expected:\n{}",
            self.run.stdout
        );
    }

    fn summary(&self, key: &str) -> u64 {
        self.json["summary"][key].as_u64().expect("summary count")
    }

    /// Asserts a run that found nothing and skipped the file as not ours.
    fn skipped_quietly(&self) {
        assert_eq!(
            self.run.code,
            Some(0),
            "{}\n{}",
            self.run.stdout,
            self.run.stderr
        );
        assert!(self.diagnostics().is_empty(), "{}", self.run.stdout);
        assert_eq!(self.summary("skipped"), 1, "{}", self.run.stdout);
    }

    fn memory_below(&self, limit_kb: u64) {
        match self.run.max_rss_kb {
            Some(kb) => assert!(
                kb < limit_kb,
                "peak memory {kb} KiB is over {limit_kb} KiB ({:?})",
                self.run.elapsed
            ),
            None => eprintln!("note: /usr/bin/time is not available; memory not measured"),
        }
    }
}

fn line_col(d: &Json) -> (u64, u64) {
    (
        d["start"]["line"].as_u64().expect("line"),
        d["start"]["column"].as_u64().expect("column"),
    )
}

/// The 1-based line and column (in code points) where `needle` first occurs in `text`.
fn pos_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let before = text[..at].replace("\r\n", "\n").replace('\r', "\n");
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..]
        .trim_start_matches('\u{feff}')
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

fn message(d: &Json) -> &str {
    d["message"].as_str().expect("message")
}

/// `bridgelint check --format json --no-config --now NOW ARGS... FILE` in the scratch folder;
/// asserts exit status 0 or 1 and valid JSON.
fn lint_with(s: &Scratch, file: &str, args: &[&str], measure: bool) -> Lint {
    let mut all = vec!["check", "--format", "json", "--no-config", "--now", NOW];
    all.extend_from_slice(args);
    all.push(file);
    let run = bridgelint(&s.dir, &all, measure);
    assert!(
        matches!(run.code, Some(0 | 1)),
        "exit status {:?} for {all:?}:\n{}\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    Lint { run, json }
}

fn lint(s: &Scratch, file: &str) -> Lint {
    lint_with(s, file, &[], false)
}

/// Writes `bytes` to `name` in a new scratch folder and lints it.
fn lint_bytes(tag: &str, name: &str, bytes: impl AsRef<[u8]>) -> Lint {
    let s = Scratch::project(tag);
    s.write(name, bytes);
    lint(&s, name)
}

/// The same with memory measured.
fn lint_big(tag: &str, name: &str, bytes: impl AsRef<[u8]>, args: &[&str]) -> Lint {
    let s = Scratch::project(tag);
    s.write(name, bytes);
    let l = lint_with(&s, name, args, true);
    eprintln!(
        "{tag}: {} bytes, {:?}, peak {:?} KiB",
        bytes_len(&s, name),
        l.run.elapsed,
        l.run.max_rss_kb
    );
    l.memory_below(MEMORY_LIMIT_KB);
    l
}

fn bytes_len(s: &Scratch, name: &str) -> u64 {
    std::fs::metadata(s.dir.join(name)).map_or(0, |m| m.len())
}

/// The compact format's lines for the same file (`path:line:col: severity[rule] message`).
fn compact(s: &Scratch, file: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "compact", "--no-config", "--now", NOW];
    all.extend_from_slice(args);
    all.push(file);
    let run = bridgelint(&s.dir, &all, false);
    assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    run.stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Asserts one parse-error at `line` (and `column` when given) whose message contains `cause`.
fn assert_parse_error(l: &Lint, line: u64, column: Option<u64>, cause: &str) {
    assert_eq!(l.run.code, Some(1), "{}", l.run.stdout);
    let d = l.parse_error();
    let (got_line, got_col) = line_col(d);
    assert_eq!(got_line, line, "line of {d}");
    if let Some(c) = column {
        assert_eq!(got_col, c, "column of {d}");
    }
    assert!(
        message(d).contains(cause),
        "the message should mention `{cause}`: {d}"
    );
    // Nothing else is reported for a file that cannot be parsed.
    assert_eq!(l.diagnostics().len(), 1, "{}", l.run.stdout);
}

/// A clean-enough Integration with a credential whose rotation and expiry are parameters.
fn integration(interval_days: &str, last_rotated: &str, expires: &str) -> String {
    format!(
        "{HEADER}metadata: {{ name: hostile, owner: team-x, environment: prod }}
connections:
  jira:
    system: jira-cloud
    url: https://acme.atlassian.net
    account: getint-jira-prod
    credential:
      type: api-token
      secret: env:JIRA_API_TOKEN
      expires: {expires}
      rotation: {{ interval_days: {interval_days}, last_rotated: {last_rotated} }}
  ado:
    system: azure-devops
    url: https://dev.azure.com/acme
    account: getint-ado-prod
    credential:
      type: personal-access-token
      secret: vault:kv/ado#pat
      scopes: [vso.work_write]
      expires: 2027-01-31
      rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }}
flows:
  - {{ from: jira, to: ado, sync: [create] }}
"
    )
}

// ---------------------------------------------------------------------------------------------
// Resource exhaustion: aliases, nesting, size, long lines, many documents and keys
// ---------------------------------------------------------------------------------------------

/// The billion laughs: nine levels of ten aliases would expand to 10^9 nodes.
#[test]
fn alias_bomb_is_a_parse_error_at_the_alias_that_crosses_the_budget() {
    let mut text = String::from(HEADER);
    text.push_str("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9u8 {
        let (name, prev) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let items = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    let l = lint_big("bomb", "bomb.yaml", &text, &[]);
    // A `[lol × 10]` is 11 nodes, b 111, c 1,111, d 11,111. Expansion so far: b 110, c 1,110,
    // d 11,110 (12,330); the eighth `*d` of line 7 (`e: &e [*d, ...`, column 8 + 7 × 4)
    // reaches 12,330 + 8 × 11,111 = 101,218 > 100,000.
    assert_parse_error(&l, 7, Some(8 + 7 * 4), "alias");
    assert!(message(l.parse_error()).contains(&DEFAULT_ALIAS_BUDGET.to_string()));
    assert!(
        l.run.elapsed < Duration::from_secs(10),
        "{:?}",
        l.run.elapsed
    );
}

#[test]
fn two_hundred_thousand_nested_flow_brackets_in_yaml() {
    let n = 200_000;
    let text = format!("{HEADER}x: {}{}\n", "[".repeat(n), "]".repeat(n));
    let l = lint_big("brackets-yaml", "deep.yaml", &text, &[]);
    // Bracket k opens level k + 1 (the document's mapping is level 1).
    assert_eq!(l.run.code, Some(1));
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 3, "{d}");
    assert!(
        message(d).contains(&format!("nesting deeper than {DEFAULT_MAX_DEPTH}")),
        "{d}"
    );
    assert_eq!(l.diagnostics().len(), 1);
}

#[test]
fn two_hundred_thousand_nested_brackets_in_json() {
    let n = 200_000;
    let prefix = r#"{"apiVersion": "bridgelint/v1", "x": "#;
    let text = format!("{prefix}{}{}}}", "[".repeat(n), "]".repeat(n));
    let l = lint_big("brackets-json", "deep.json", &text, &[]);
    // The object is level 1; the bracket opening level 129 is the 128th.
    let col = prefix.len() as u64 + DEFAULT_MAX_DEPTH as u64;
    assert_parse_error(
        &l,
        1,
        Some(col),
        &format!("nesting deeper than {DEFAULT_MAX_DEPTH}"),
    );
}

#[test]
fn five_thousand_nested_block_mappings() {
    // Line 3 is a key of the document's mapping (level 1); line 3 + k opens level k + 1.
    let mut text = String::from(HEADER);
    for i in 0..5_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    // 12.5 MB of indentation: raise the size limit so that nesting, not size, is what stops it.
    let l = lint_big(
        "block-maps",
        "deep.yaml",
        &text,
        &["--max-file-size", "16777216"],
    );
    let level = DEFAULT_MAX_DEPTH as u64 + 1;
    assert_parse_error(
        &l,
        level + 2,
        Some(level),
        &format!("nesting deeper than {DEFAULT_MAX_DEPTH}"),
    );
}

#[test]
fn a_file_over_the_size_limit_with_the_marker_is_a_parse_error_naming_the_limit() {
    let mut text = integration("90", "2026-11-01", "2027-04-30");
    while text.len() <= 2048 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let s = Scratch::project("too-big");
    s.write("big.yaml", &text);
    let l = lint_with(&s, "big.yaml", &["--max-file-size", "2048"], false);
    assert_parse_error(&l, 1, Some(1), "2048");
    let m = message(l.parse_error());
    assert!(m.contains("--max-file-size"), "{m}");
    assert!(m.contains("max_file_size"), "{m}");
}

#[test]
fn a_file_over_the_size_limit_without_the_marker_is_skipped() {
    let text = "name: not ours\n".repeat(200);
    let s = Scratch::project("too-big-other");
    s.write("other.yaml", &text);
    let l = lint_with(&s, "other.yaml", &["--max-file-size", "2048"], false);
    l.skipped_quietly();
}

#[test]
fn the_marker_is_looked_for_in_the_first_64_kib_only() {
    // Over the limit, marker after the head: not ours.
    let mut text =
        "# filler filler filler filler filler filler filler filler filler\n".repeat(1100);
    assert!(text.len() > 64 * 1024);
    text.push_str("apiVersion: bridgelint/v1\n");
    let s = Scratch::project("marker-late");
    s.write("late.yaml", &text);
    let l = lint_with(&s, "late.yaml", &["--max-file-size", "2048"], false);
    l.skipped_quietly();
}

#[test]
fn a_ten_megabyte_line_in_a_valid_document_is_linted() {
    // A 10,000,000-character scalar in an otherwise valid document (under the 10 MiB limit).
    let long = "a".repeat(10_000_000);
    let text = integration("90", "2026-11-01", "2027-04-30")
        .replace("owner: team-x", &format!("owner: team-x, remark: {long}"));
    let l = lint_big("long-line", "long.yaml", &text, &[]);
    l.no_parse_error();
    // The long value is reported where it is (an unknown key on line 3), and nothing hangs.
    let unknown: Vec<_> = l
        .of_rule("schema-violation")
        .into_iter()
        .filter(|d| message(d).contains("remark"))
        .collect();
    assert_eq!(unknown.len(), 1, "{}", l.run.stdout);
    assert_eq!(line_col(unknown[0]).0, 3);
}

#[test]
fn a_ten_megabyte_line_of_garbage_with_the_marker_is_a_parse_error() {
    let text = format!("# bridgelint/v1\nx: {}\n", "][".repeat(5_000_000));
    let l = lint_big("long-garbage", "garbage.yaml", &text, &[]);
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 2, "{d}");
    assert!(message(d).starts_with("invalid YAML"), "{d}");
}

#[test]
fn a_ten_megabyte_json_line_with_an_error_at_its_end_is_located() {
    let long = "b".repeat(10_000_000);
    let text = format!(r#"{{"apiVersion": "bridgelint/v1", "x": "{long}", oops}}"#);
    let l = lint_big("long-json", "long.json", &text, &[]);
    let col = text.find("oops").expect("oops") as u64 + 1;
    assert_parse_error(&l, 1, Some(col), "a string key");
}

#[test]
fn one_hundred_thousand_document_separators() {
    let mut text = String::from("# bridgelint/v1 appears in a comment only\n");
    text.push_str(&"---\n".repeat(100_000));
    let l = lint_big("separators", "seps.yaml", &text, &[]);
    l.skipped_quietly();
    // The same with one of our documents at the end: it is linted at the right line.
    let mut text = "---\n".repeat(100_000);
    text.push_str(HEADER);
    text.push_str("unexpected: 1\n");
    let l = lint_big("separators-ours", "seps.yaml", &text, &[]);
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("unexpected"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout))
        .clone();
    assert_eq!(line_col(&d), (100_003, 1));
}

#[test]
fn twenty_thousand_documents_in_one_stream() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "---\napiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {{}}\n# {i}\n"
        ));
    }
    // The last document has an unknown key: one diagnostic, at its line.
    text.push_str("---\napiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\nodd: 1\n");
    let l = lint_big("documents", "many.yaml", &text, &[]);
    l.no_parse_error();
    let odd: Vec<_> = l
        .diagnostics()
        .iter()
        .filter(|d| message(d).contains("odd"))
        .collect();
    assert_eq!(odd.len(), 1, "{}", l.run.stdout);
    assert_eq!(line_col(odd[0]), (20_000 * 5 + 5, 1));
}

#[test]
fn one_hundred_thousand_keys_in_a_mapping_of_a_document_not_ours() {
    let mut text = String::from("# bridgelint/v1\n");
    for i in 0..100_000 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    let l = lint_big("keys-other", "keys.yaml", &text, &[]);
    l.skipped_quietly();
}

#[test]
fn one_hundred_thousand_duplicate_keys() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str(&"dup: 1\n".repeat(100_000));
    let l = lint_big("keys-dup", "dups.yaml", &text, &[]);
    l.no_parse_error();
    assert_eq!(l.of_rule("duplicate-key").len(), 99_999);
    assert!(l.run.elapsed < TIMEOUT);
}

/// The human format (the default) with many findings: bounded time too.
#[test]
fn one_hundred_thousand_duplicate_keys_in_the_human_format() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str(&"dup: 1\n".repeat(100_000));
    let s = Scratch::project("keys-dup-human");
    s.write("dups.yaml", &text);
    let run = check_format(&s, "dups.yaml", "human");
    assert_eq!(run.code, Some(1));
    // 99,999 duplicate keys and the unknown key `dup`.
    assert!(run.stdout.contains("100000 errors"), "{}", run.stdout.len());
}

/// Minified JSON: many findings on one long line, in the human format.
#[test]
fn twenty_thousand_findings_on_one_line_in_the_human_format() {
    let text = format!(
        r#"{{"apiVersion": "bridgelint/v1", "kind": "ServiceAccounts", "accounts": {{}}{}}}"#,
        r#", "dup": 1"#.repeat(20_000)
    );
    let s = Scratch::project("one-line-human");
    s.write("min.json", &text);
    let run = check_format(&s, "min.json", "human");
    assert_eq!(run.code, Some(1));
}

/// One account used by 8,000 connections (a 1.7 MB file): the rules stay bounded. (Found by
/// this suite and by tests/secrets.rs: `first(filter(account.uses, ...))` in shared-account was
/// quadratic, 82 s for 8,000 connections in a debug build, until it stopped at the first match.)
#[test]
fn eight_thousand_connections_sharing_one_account() {
    let mut text = format!(
        "{HEADER}metadata: {{ name: wide, owner: team-x, environment: prod }}\nconnections:\n"
    );
    for i in 0..8_000 {
        text.push_str(&format!(
            "  c{i}:\n    system: jira-cloud\n    url: https://a{i}.atlassian.net\n    \
             account: shared\n    credential: {{ type: api-token, secret: env:T{i}, \
             expires: 2027-01-01, rotation: {{ interval_days: 90, last_rotated: 2026-11-01 }} }}\n"
        ));
    }
    text.push_str("flows:\n  - { from: c0, to: c1, sync: [create] }\n");
    let l = lint_big("wide", "wide.yaml", &text, &[]);
    l.no_parse_error();
    assert!(l.of_rule("shared-account").is_empty(), "one environment");
}

/// 100,000 unknown keys in one of our mappings: 100,000 schema violations, in bounded time.
#[test]
fn one_hundred_thousand_unknown_keys_in_our_mapping() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    for i in 0..100_000 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    let l = lint_big("keys-ours", "keys.yaml", &text, &[]);
    l.no_parse_error();
    assert_eq!(l.of_rule("schema-violation").len(), 100_000);
}

/// 100,000 suppression comments, each hiding a finding on its line: bounded time.
#[test]
fn one_hundred_thousand_suppressions() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str("dup: 0\n");
    text.push_str(&"dup: 1  # bridgelint: ignore[duplicate-key] generated\n".repeat(100_000));
    let l = lint_big("suppressions", "sup.yaml", &text, &[]);
    l.no_parse_error();
    assert!(l.of_rule("duplicate-key").is_empty(), "{}", l.run.stdout);
    assert_eq!(l.summary("suppressed"), 100_000);
}

/// A 5 MB string that starts like a GitHub token (`gh[pousr]_` and 36 characters): bounded, and
/// the matched token is printed in no format.
#[test]
fn a_five_megabyte_token_like_string_is_masked_and_does_not_hang() {
    let body = "A1b2".repeat(1_250_000);
    let text = format!("{HEADER}note: ghp_{body}\n");
    let s = Scratch::project("token");
    s.write("token.yaml", &text);
    let l = lint_with(&s, "token.yaml", &[], true);
    l.memory_below(MEMORY_LIMIT_KB);
    l.no_parse_error();
    assert_eq!(l.of_rule("leaked-secret").len(), 1, "{}", l.run.stdout);
    let token = &text[text.find("ghp_").expect("token")..][..40];
    for format in FORMATS {
        let run = check_format(&s, "token.yaml", format);
        assert!(
            !run.stdout.contains(token) && !run.stderr.contains(token),
            "{format} prints the token"
        );
    }
}

/// The rest of the token-like run is token text too: no format may print it. (The human
/// excerpt used to mask only the 40-character match and print the other 5 MB.)
#[test]
fn no_part_of_a_long_token_like_string_is_printed() {
    let body = "A1b2".repeat(1_250_000);
    let s = Scratch::project("token-tail");
    s.write("token.yaml", format!("{HEADER}note: ghp_{body}\n"));
    for format in FORMATS {
        let run = check_format(&s, "token.yaml", format);
        assert!(
            !run.stdout.contains("A1b2A1b2A1b2A1b2"),
            "{format} prints part of the token"
        );
    }
}

const FORMATS: [&str; 6] = ["json", "human", "compact", "sarif", "github", "gitlab"];

/// `check --format FORMAT --color never` on one file.
fn check_format(s: &Scratch, file: &str, format: &str) -> Run {
    let run = bridgelint(
        &s.dir,
        &[
            "check",
            "--no-config",
            "--now",
            NOW,
            "--color",
            "never",
            "--format",
            format,
            file,
        ],
        false,
    );
    assert!(matches!(run.code, Some(0 | 1)), "{format}: {run:?}");
    run
}

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
fn a_nul_byte_before_invalid_utf8_is_reported_at_the_nul() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"a: b\x00c\nd: \xff\n");
    let l = lint_bytes("nul-then-utf8", "blob.yaml", &bytes);
    assert_parse_error(&l, 3, Some(5), "NUL");
}

#[test]
fn invalid_utf8_is_a_parse_error_at_the_first_bad_byte() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"name: caf\xc3\n");
    let l = lint_bytes("utf8", "bad.yaml", &bytes);
    assert_parse_error(&l, 3, Some(10), "UTF-8");
    // In JSON too.
    let l = lint_bytes(
        "utf8-json",
        "bad.json",
        b"{\"apiVersion\": \"bridgelint/v1\",\n \"x\": \"\xe9t\xe9\"}",
    );
    assert_parse_error(&l, 2, Some(8), "UTF-8");
}

#[test]
fn an_empty_file_is_skipped() {
    lint_bytes("empty", "empty.yaml", "").skipped_quietly();
    lint_bytes("empty-json", "empty.json", "").skipped_quietly();
}

#[test]
fn a_byte_order_mark_alone_is_skipped() {
    lint_bytes("bom", "bom.yaml", "\u{feff}").skipped_quietly();
    lint_bytes("bom-json", "bom.json", "\u{feff}").skipped_quietly();
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

#[test]
fn a_top_level_list_or_scalar_with_the_marker_is_skipped() {
    lint_bytes(
        "top-list",
        "list.yaml",
        "- apiVersion: bridgelint/v1\n- b\n",
    )
    .skipped_quietly();
    lint_bytes("top-scalar", "scalar.yaml", "bridgelint/v1\n").skipped_quietly();
    lint_bytes(
        "top-json",
        "list.json",
        r#"[{"apiVersion": "bridgelint/v1"}]"#,
    )
    .skipped_quietly();
    lint_bytes("top-json-str", "str.json", r#""bridgelint/v1""#).skipped_quietly();
}

// ---------------------------------------------------------------------------------------------
// Values the schema must catch
// ---------------------------------------------------------------------------------------------

#[test]
fn an_integer_beyond_64_bits_is_a_schema_violation_at_the_value() {
    let text = integration("99999999999999999999999", "2026-11-01", "2027-04-30");
    let l = lint_bytes("bigint", "big.yaml", &text);
    l.no_parse_error();
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("interval_days"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), pos_of(&text, "99999999999999999999999"), "{d}");
    // JSON: the same number.
    let json = r#"{"apiVersion": "bridgelint/v1", "kind": "ServiceAccounts", "accounts": {"a": {"n": 99999999999999999999999}}}"#;
    let l = lint_bytes("bigint-json", "big.json", json);
    l.no_parse_error();
    assert_eq!(l.run.code, Some(1));
}

#[test]
fn an_integer_beyond_64_bits_is_quoted_as_written() {
    let text = integration("99999999999999999999999", "2026-11-01", "2027-04-30");
    let l = lint_bytes("bigint-msg", "big.yaml", &text);
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("interval_days"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert!(message(d).contains("99999999999999999999999"), "{d}");
}

#[test]
fn impossible_dates_are_schema_violations_at_the_date() {
    let text = integration("90", "2026-02-30", "0000-00-00");
    let l = lint_bytes("dates", "dates.yaml", &text);
    l.no_parse_error();
    let violations = l.of_rule("schema-violation");
    let at = |needle: &str| {
        violations
            .iter()
            .find(|d| message(d).contains(needle))
            .map(|d| line_col(d))
            .unwrap_or_else(|| panic!("no violation for {needle}: {}", l.run.stdout))
    };
    assert_eq!(at("2026-02-30"), pos_of(&text, "2026-02-30"));
    assert_eq!(at("0000-00-00"), pos_of(&text, "0000-00-00"));
}

#[test]
fn tab_indentation_is_a_parse_error_on_its_line() {
    let l = lint_bytes(
        "tabs",
        "tabs.yaml",
        format!("{HEADER}metadata:\n\tname: x\n"),
    );
    assert_parse_error(&l, 4, Some(1), "tab");
}

#[test]
fn a_tab_indented_line_after_a_plain_scalar_is_a_parse_error_at_the_tab() {
    // The scanner notices while reading `x`, which could continue on the next line.
    let l = lint_bytes(
        "tabs-continued",
        "tabs.yaml",
        format!("{HEADER}metadata:\n  name: x\n  \t owner: y\n"),
    );
    assert_parse_error(&l, 5, Some(3), "tab");
}

#[test]
fn complex_keys_are_schema_violations_at_the_key() {
    let l = lint_bytes(
        "complex",
        "complex.yaml",
        format!("{HEADER}? [a, b]\n: c\n{{a: 1}}: x\n"),
    );
    l.no_parse_error();
    let keys: Vec<_> = l
        .of_rule("schema-violation")
        .into_iter()
        .filter(|d| message(d).contains("plain scalar"))
        .map(line_col)
        .collect();
    assert_eq!(keys, [(3, 3), (5, 1)], "{}", l.run.stdout);
}

#[test]
fn null_where_a_mapping_is_expected_is_a_schema_violation() {
    let text = integration("90", "2026-11-01", "2027-04-30");
    let start = text
        .find("    credential:\n      type: api-token")
        .expect("credential");
    let end = text[start..].find("  ado:").expect("ado") + start;
    let text = format!("{}    credential: ~\n{}", &text[..start], &text[end..]);
    let l = lint_bytes("null-cred", "null.yaml", &text);
    l.no_parse_error();
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("credential"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), pos_of(&text, "~"), "{d}");
    assert!(message(d).contains("null"), "{d}");
}

#[test]
fn an_undefined_alias_is_a_parse_error_at_the_alias() {
    let l = lint_bytes("undef-alias", "alias.yaml", format!("{HEADER}a: *nope\n"));
    assert_parse_error(&l, 3, Some(4), "unknown anchor `nope`");
    let l = lint_bytes(
        "undef-alias-flow",
        "alias.yaml",
        format!("{HEADER}a: [1, *nope]\n"),
    );
    assert_parse_error(&l, 3, Some(8), "unknown anchor `nope`");
}

#[test]
fn a_recursive_alias_is_a_parse_error() {
    let l = lint_bytes(
        "rec-alias",
        "alias.yaml",
        format!("{HEADER}a: &x [1, *x]\n"),
    );
    let d = l.parse_error();
    assert_eq!(line_col(d).0, 3, "{d}");
}

#[test]
fn custom_and_binary_tags_are_schema_violations_at_the_tag() {
    let l = lint_bytes(
        "tags",
        "tags.yaml",
        format!("{HEADER}metadata: !custom {{name: x}}\nb: !!binary aGVsbG8=\n"),
    );
    l.no_parse_error();
    let tags: Vec<_> = l
        .of_rule("schema-violation")
        .into_iter()
        .filter(|d| message(d).contains("tag"))
        .map(|d| (line_col(d), message(d).to_string()))
        .collect();
    assert_eq!(tags.len(), 2, "{}", l.run.stdout);
    assert_eq!(tags[0].0, (3, 11));
    assert!(tags[0].1.contains("!custom"));
    assert_eq!(tags[1].0, (4, 4));
    assert!(tags[1].1.contains("!!binary"));
}

#[test]
fn merge_keys_are_applied_and_a_bad_merge_is_a_schema_violation() {
    let good = format!(
        "{HEADER}x-base: &base {{ name: merged, owner: team-x }}\nmetadata:\n  <<: *base\n  environment: prod\n"
    );
    let l = lint_bytes("merge", "merge.yaml", &good);
    l.no_parse_error();
    // Merged keys count: no missing `name` or `owner` in the metadata.
    assert!(
        !l.diagnostics()
            .iter()
            .any(|d| message(d).contains("missing required key `name`")
                || message(d).contains("missing required key `owner`")),
        "{}",
        l.run.stdout
    );
    let bad = format!("{HEADER}metadata:\n  <<: 5\n  name: x\n");
    let l = lint_bytes("merge-bad", "merge.yaml", &bad);
    l.no_parse_error();
    let d = l
        .of_rule("schema-violation")
        .into_iter()
        .find(|d| message(d).contains("merge"))
        .unwrap_or_else(|| panic!("{}", l.run.stdout));
    assert_eq!(line_col(d), (4, 7), "{d}");
}

#[test]
fn json_extensions_are_parse_errors_at_the_offending_token() {
    let cases: [(&str, &str, u64, u64, &str); 5] = [
        (
            "nan",
            r#"{"apiVersion": "bridgelint/v1", "x": NaN}"#,
            1,
            38,
            "NaN",
        ),
        (
            "inf",
            "{\"apiVersion\": \"bridgelint/v1\",\n\"x\": -Infinity}",
            2,
            7,
            "Infinity",
        ),
        (
            "comment",
            "{\"apiVersion\": \"bridgelint/v1\", // why\n\"x\": 1}",
            1,
            33,
            "comments",
        ),
        (
            "trailing",
            "{\"apiVersion\": \"bridgelint/v1\",\n \"x\": [1,2,],\n}",
            2,
            12,
            "trailing comma",
        ),
        (
            "quote",
            "{\"apiVersion\": \"bridgelint/v1\", 'x': 1}",
            1,
            33,
            "double quotes",
        ),
    ];
    for (tag, text, line, col, cause) in cases {
        let l = lint_bytes(tag, "bad.json", text);
        assert_parse_error(&l, line, Some(col), cause);
    }
}

/// `\r` alone ends a line (YAML 1.2): the findings of a CR-only file are those of the LF one,
/// at the same lines and columns; CRLF too.
#[test]
fn cr_only_line_ends_give_the_same_findings_at_the_same_positions() {
    let lf = integration("90", "2026-11-01", "2027-04-30")
        .replace("https://acme.atlassian.net", "http://acme.atlassian.net")
        .replace("env:JIRA_API_TOKEN", "hunter2-plaintext");
    let reference = lint_bytes("lf", "doc.yaml", &lf);
    reference.no_parse_error();
    let positions = |l: &Lint| -> Vec<(String, u64, u64)> {
        l.diagnostics()
            .iter()
            .map(|d| {
                let (line, col) = line_col(d);
                (d["rule"].as_str().unwrap_or("").to_string(), line, col)
            })
            .collect()
    };
    let expected = positions(&reference);
    let (url_line, url_col) = pos_of(&lf, "http://");
    let (secret_line, _) = pos_of(&lf, "hunter2");
    assert!(
        expected
            .iter()
            .any(|(r, l, c)| r == "insecure-url" && (*l, *c) == (url_line, url_col)),
        "{expected:?}"
    );
    assert!(
        expected
            .iter()
            .any(|(r, l, _)| r == "plaintext-secret" && *l == secret_line),
        "{expected:?}"
    );
    let url_prefix = format!("doc.yaml:{url_line}:{url_col}: error[insecure-url]");
    for (tag, eol) in [("cr", "\r"), ("crlf", "\r\n")] {
        let l = lint_bytes(tag, "doc.yaml", lf.replace('\n', eol));
        assert_eq!(positions(&l), expected, "{tag}: {}", l.run.stdout);
        // The compact format says the same.
        let s = Scratch::project(tag);
        s.write("doc.yaml", lf.replace('\n', eol));
        let lines = compact(&s, "doc.yaml", &[]);
        assert!(
            lines.iter().any(|l| l.starts_with(&url_prefix)),
            "{lines:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Folders: links, FIFOs, directories with a YAML name, unreadable files
// ---------------------------------------------------------------------------------------------

/// A folder holding one linted file with a known finding (`insecure-url` at line 6).
fn folder_with_a_finding(tag: &str) -> Scratch {
    let s = Scratch::project(tag);
    let text = integration("90", "2026-11-01", "2027-04-30")
        .replace("https://acme.atlassian.net", "http://acme.atlassian.net");
    s.write("good.yaml", text);
    s
}

/// Lints the folder and asserts the run went on: `good.yaml` was linted.
fn assert_rest_linted(s: &Scratch) -> Lint {
    let l = lint(s, ".");
    assert!(
        l.diagnostics()
            .iter()
            .any(|d| d["rule"] == "insecure-url" && d["path"] == "good.yaml"),
        "good.yaml was not linted:\n{}\n{}",
        l.run.stdout,
        l.run.stderr
    );
    l
}

#[test]
fn a_symlink_loop_in_a_walked_folder_is_not_followed() {
    let s = folder_with_a_finding("loop");
    std::os::unix::fs::symlink(".", s.dir.join("loop")).expect("symlink");
    let l = assert_rest_linted(&s);
    assert_eq!(l.run.code, Some(1));
    l.no_parse_error();
}

#[test]
fn a_dangling_symlink_is_skipped_when_walked_and_a_parse_error_when_named() {
    let s = folder_with_a_finding("dangling");
    std::os::unix::fs::symlink("nowhere.yaml", s.dir.join("dangling.yaml")).expect("symlink");
    let l = assert_rest_linted(&s);
    l.no_parse_error();
    // Named: a parse-error naming the cause (cli.md).
    let l = lint(&s, "dangling.yaml");
    assert_parse_error(&l, 1, Some(1), "cannot read");
}

#[test]
fn a_fifo_is_never_opened() {
    let s = folder_with_a_finding("fifo");
    let fifo = s.dir.join("x.yaml");
    match Command::new("mkfifo").arg(&fifo).status() {
        Ok(st) if st.success() => {}
        other => {
            eprintln!("skipping a_fifo_is_never_opened: mkfifo is not available ({other:?})");
            return;
        }
    }
    // Walked: skipped (a FIFO with no writer would block a reader forever).
    let l = assert_rest_linted(&s);
    l.no_parse_error();
    // Named: a parse-error saying what it is.
    let l = lint(&s, "x.yaml");
    assert_parse_error(&l, 1, Some(1), "not a regular file");
}

#[test]
fn a_directory_named_like_a_yaml_file_is_walked_not_read() {
    let s = folder_with_a_finding("dir-yaml");
    s.write(
        "x.yaml/inner.yaml",
        integration("90", "2026-11-01", "2027-04-30")
            .replace("https://dev.azure.com/acme", "http://dev.azure.com/acme"),
    );
    let l = assert_rest_linted(&s);
    l.no_parse_error();
    assert!(
        l.diagnostics()
            .iter()
            .any(|d| d["path"] == "x.yaml/inner.yaml" && d["rule"] == "insecure-url"),
        "{}",
        l.run.stdout
    );
    // Named, it is a folder like any other.
    let l = lint(&s, "x.yaml");
    l.no_parse_error();
}

#[test]
fn an_unreadable_file_does_not_stop_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let s = folder_with_a_finding("unreadable");
    let locked = s.write("locked.yaml", format!("{HEADER}odd: 1\n"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::File::open(&locked).is_ok() {
        eprintln!(
            "skipping an_unreadable_file_does_not_stop_the_run: running as root, chmod 000 \
             does not stop reading"
        );
        return;
    }
    let l = assert_rest_linted(&s);
    // Walked: skipped with a note on standard error, never silent (decisions.md 14).
    assert!(l.run.stderr.contains("locked.yaml"), "{}", l.run.stderr);
    assert!(!l.diagnostics().iter().any(|d| d["path"] == "locked.yaml"));
    // Named: a parse-error naming the cause.
    let l = lint(&s, "locked.yaml");
    assert_parse_error(&l, 1, Some(1), "cannot read");
}

#[test]
fn a_nonexistent_named_path_is_an_invocation_error() {
    let s = Scratch::project("missing");
    let run = bridgelint(
        &s.dir,
        &["check", "--format", "json", "--no-config", "nope.yaml"],
        false,
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("nope.yaml"), "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing else is reported: {}",
        run.stdout
    );
}

/// Hostile files given as the config or the baseline are invocation errors (status 2) that
/// name the file, never a panic or a hang.
#[test]
fn a_hostile_config_or_baseline_is_an_invocation_error() {
    let s = Scratch::project("hostile-config");
    s.write("f.yaml", "a: 1\n");
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9u8 {
        let (name, prev) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let items = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    s.write("bomb.yaml", &bomb);
    s.write(
        "deep.yaml",
        format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    s.write(
        "deep.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let cases: [(&[&str], &str); 3] = [
        (&["--config", "bomb.yaml"], "bomb.yaml"),
        (&["--config", "deep.yaml"], "deep.yaml"),
        (&["--no-config", "--baseline", "deep.json"], "deep.json"),
    ];
    for (args, named) in cases {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("f.yaml");
        let run = bridgelint(&s.dir, &all, false);
        assert_eq!(run.code, Some(2), "{all:?}: {run:?}");
        assert!(run.stderr.contains(named), "{all:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{all:?}: {}", run.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// The limits at their boundary
// ---------------------------------------------------------------------------------------------

/// `n` nested flow sequences as the value of `x` in our document: depth n + 1.
fn nested_flow(n: usize) -> String {
    format!("{HEADER}x: {}{}\n", "[".repeat(n), "]".repeat(n))
}

/// Our document whose last key opens `n` nested block mappings: depth n + 1.
fn nested_block(n: usize) -> String {
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    text.push_str(&" ".repeat(n));
    text.push_str("leaf: 1\n");
    text
}

#[test]
fn nesting_exactly_at_the_depth_limit_is_read() {
    let d = DEFAULT_MAX_DEPTH;
    lint_bytes("depth-flow-ok", "d.yaml", nested_flow(d - 1)).no_parse_error();
    lint_bytes("depth-block-ok", "d.yaml", nested_block(d - 1)).no_parse_error();
    let json = format!(
        r#"{{"apiVersion": "bridgelint/v1", "x": {}{}}}"#,
        "[".repeat(d - 1),
        "]".repeat(d - 1)
    );
    lint_bytes("depth-json-ok", "d.json", json).no_parse_error();
    // A top-level sequence of exactly the limit: read (and not ours).
    let top = format!("{}\"bridgelint/v1\"{}\n", "[".repeat(d), "]".repeat(d));
    lint_bytes("depth-top-ok", "d.yaml", top).skipped_quietly();
}

#[test]
fn one_level_over_the_depth_limit_is_a_parse_error_at_the_collection_that_opens_it() {
    let d = DEFAULT_MAX_DEPTH;
    let cause = format!("nesting deeper than {d}");
    // `x: ` then the bracket that opens level d + 1 (the d-th).
    let l = lint_bytes("depth-flow", "d.yaml", nested_flow(d));
    assert_parse_error(&l, 3, Some(3 + d as u64), &cause);
    // Line 3 + k opens level k + 1 at column k + 1 (after k spaces).
    let l = lint_bytes("depth-block", "d.yaml", nested_block(d));
    assert_parse_error(&l, 3 + d as u64, Some(d as u64 + 1), &cause);
    let prefix = r#"{"apiVersion": "bridgelint/v1", "x": "#;
    let json = format!("{prefix}{}{}}}", "[".repeat(d), "]".repeat(d));
    let l = lint_bytes("depth-json", "d.json", json);
    assert_parse_error(&l, 1, Some(prefix.len() as u64 + d as u64), &cause);
    let top = format!(
        "# bridgelint/v1\n{}1{}\n",
        "[".repeat(d + 1),
        "]".repeat(d + 1)
    );
    let l = lint_bytes("depth-top", "d.yaml", top);
    assert_parse_error(&l, 2, Some(d as u64 + 1), &cause);
}

/// The position of the depth error must not depend on what follows the collection that opens
/// the level over the limit.
#[test]
fn the_depth_error_position_does_not_depend_on_what_follows() {
    let d = DEFAULT_MAX_DEPTH;
    let cause = format!("nesting deeper than {d}");
    for extra in [0, 1, 10] {
        let l = lint_bytes("depth-flow-more", "d.yaml", nested_flow(d + extra));
        assert_parse_error(&l, 3, Some(3 + d as u64), &cause);
    }
}

#[test]
fn aliases_through_an_alias_count_their_depth() {
    // An anchored sequence of height 2 (one collection level) used at the deepest allowed spot:
    // exactly at the limit is read, one deeper is an error at the alias.
    let d = DEFAULT_MAX_DEPTH;
    let ok = format!(
        "{HEADER}a: &s [1]\nx: {}*s{}\n",
        "[".repeat(d - 2),
        "]".repeat(d - 2)
    );
    lint_bytes("alias-depth-ok", "a.yaml", ok).no_parse_error();
    let over = format!(
        "{HEADER}a: &s [1]\nx: {}*s{}\n",
        "[".repeat(d - 1),
        "]".repeat(d - 1)
    );
    let l = lint_bytes("alias-depth", "a.yaml", over);
    assert_parse_error(
        &l,
        4,
        Some(4 + d as u64 - 1),
        &format!("nesting deeper than {d}"),
    );
}

/// The alias budget counts the nodes every alias expands to (the anchored node and all below
/// it), per file.
fn alias_budget_document(extra_scalar_aliases: usize) -> String {
    // An anchored list of 99 scalars is 100 nodes; 1,000 aliases to it are exactly the budget.
    assert_eq!(DEFAULT_ALIAS_BUDGET % 100, 0);
    let aliases = DEFAULT_ALIAS_BUDGET / 100;
    let mut text = String::from(HEADER);
    text.push_str("one: &one x\n");
    text.push_str(&format!("a: &a [{}]\n", vec!["v"; 99].join(", ")));
    text.push_str("b:\n");
    text.push_str(&"  - *a\n".repeat(aliases));
    text.push_str(&"  - *one\n".repeat(extra_scalar_aliases));
    text
}

#[test]
fn aliases_expanding_to_exactly_the_budget_are_read() {
    let l = lint_bytes("alias-budget-ok", "a.yaml", alias_budget_document(0));
    l.no_parse_error();
}

#[test]
fn one_node_over_the_alias_budget_is_a_parse_error_at_that_alias() {
    let l = lint_bytes("alias-budget", "a.yaml", alias_budget_document(1));
    let line = 5 + (DEFAULT_ALIAS_BUDGET / 100) as u64 + 1;
    assert_parse_error(&l, line, Some(5), "alias");
}

#[test]
fn the_alias_budget_is_per_file_not_per_document() {
    // Two documents of 60,000 expanded nodes each: the second crosses the budget.
    let doc = |n: usize| {
        format!(
            "---\n{HEADER}a: &a [{}]\nb:\n{}",
            vec!["v"; 99].join(", "),
            "  - *a\n".repeat(n)
        )
    };
    let text = format!("{}{}", doc(600), doc(600));
    let l = lint_bytes("alias-budget-file", "a.yaml", text);
    let d = l.parse_error();
    assert!(message(d).contains("alias"), "{d}");
    assert!(line_col(d).0 > 600, "{d}");
}

#[test]
fn a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_not() {
    let limit = 4096usize;
    let mut text = integration("90", "2026-11-01", "2027-04-30");
    text.push('#');
    while text.len() < limit - 1 {
        text.push('x');
    }
    text.push('\n');
    assert_eq!(text.len(), limit);
    let s = Scratch::project("size-exact");
    s.write("exact.yaml", &text);
    let arg = limit.to_string();
    let l = lint_with(&s, "exact.yaml", &["--max-file-size", &arg], false);
    l.no_parse_error();
    assert_eq!(l.summary("files"), 1);
    // One byte more.
    text.insert(text.len() - 1, 'x');
    s.write("exact.yaml", &text);
    let l = lint_with(&s, "exact.yaml", &["--max-file-size", &arg], false);
    assert_parse_error(&l, 1, Some(1), &arg);
}

// ---------------------------------------------------------------------------------------------
// Inputs found by fuzzing
// ---------------------------------------------------------------------------------------------

/// Every file of `tests/regressions/` (crash inputs found by fuzzing; README.md there says how
/// they are named) is checked as YAML and as JSON: no panic, exit status 0 or 1.
#[test]
fn regressions_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
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
                let run = bridgelint(
                    &s.dir,
                    &[
                        "check",
                        "--no-config",
                        "--now",
                        NOW,
                        "--format",
                        format,
                        name,
                    ],
                    false,
                );
                assert!(
                    matches!(run.code, Some(0 | 1)),
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
        assert_eq!(l.run.code, Some(1), "{}", l.run.stdout);
    }
}
