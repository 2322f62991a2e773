//! Hostile input through the real binary: every case runs `bridgelint check --format json
//! --no-config` on a file in its own scratch folder, with a timeout, and asserts that the run
//! ends (exit status 0 or 1; 2 only for a wrong invocation; never 101, a panic), that a problem
//! is reported as a diagnostic naming its cause at its position, and, for the big cases, that
//! time and memory stay bounded (ARCHITECTURE.md, "Bounded work on hostile input"; cli.md,
//! "Exit status"; format.md, "Which files are checked").
//!
//! Large inputs are generated here, never committed. Inputs found by fuzzing live in
//! `tests/regressions/` and are run by `regressions::regressions_never_panic`.
//!
//! By theme: `exhaustion.rs` (aliases, nesting, size, long lines, many documents, keys and
//! findings), `bytes.rs` (bytes that are not YAML text, files that are not ours),
//! `schema.rs` (values the schema must catch, JSON extensions, line ends), `folders.rs`
//! (links, FIFOs, unreadable files, hostile config and baseline), `limits.rs` (the limits at
//! their boundary), `regressions.rs` (inputs found by fuzzing), `scaling.rs` (inputs that used
//! to cost super-linear time).

use serde_json::Value as Json;

#[path = "../support/mod.rs"]
mod support;
use support::{Bin, Run, Scratch};

mod bytes;
mod exhaustion;
mod folders;
mod limits;
mod regressions;
mod scaling;
mod schema;

/// Peak resident memory allowed for the big cases (a debug build needs about 100 MB to start).
const MEMORY_LIMIT_KB: u64 = 500 * 1024;
const HEADER: &str = "apiVersion: bridgelint/v1\nkind: Integration\n";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// What a `check --format json` run said.
struct Lint {
    /// The file and the scratch folder (whose name holds the case's tag), for messages.
    what: String,
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
            "{}: one parse-error expected:\n{}",
            self.what,
            self.run.stdout
        );
        all[0]
    }

    fn no_parse_error(&self) {
        assert!(
            self.of_rule("parse-error").is_empty(),
            "{}: no parse-error expected:\n{}",
            self.what,
            self.run.stdout
        );
    }

    fn summary(&self, key: &str) -> u64 {
        self.json["summary"][key].as_u64().expect("summary count")
    }

    /// Asserts a run that found nothing and skipped the file as not ours.
    fn skipped_quietly(&self) {
        let (what, out) = (&self.what, &self.run.stdout);
        assert_eq!(self.run.code, 0, "{what}: {out}\n{}", self.run.stderr);
        assert!(self.diagnostics().is_empty(), "{what}: {out}");
        assert_eq!(self.summary("skipped"), 1, "{what}: {out}");
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

/// `bridgelint check --no-config --now NOW ARGS...` in the scratch folder (`measure`: with its
/// peak memory, where GNU time is installed).
fn check_in(s: &Scratch, args: &[&str], measure: bool) -> Bin {
    let bin = s.check().arg("--no-config").args(args);
    match measure {
        true => bin.measure_memory(),
        false => bin,
    }
}

/// `bridgelint check --format json --no-config --now NOW ARGS... FILE` in the scratch folder;
/// asserts exit status 0 or 1 and valid JSON.
fn lint_with(s: &Scratch, file: &str, args: &[&str], measure: bool) -> Lint {
    let run = check_in(s, &["--format", "json"], measure)
        .args(args)
        .arg(file)
        .run()
        .linted();
    let json = run.json();
    let folder = s.dir.file_name().unwrap_or_default().to_string_lossy();
    let what = format!("{file} in {folder}");
    Lint { what, run, json }
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
    let run = check_in(s, &["--format", "compact"], false)
        .args(args)
        .arg(file)
        .run()
        .linted();
    run.lines().into_iter().map(str::to_string).collect()
}

/// A file that must give one parse-error: (tag of its scratch folder, file name, content,
/// line, column, what the message names).
type ParseErrorCase<T> = (&'static str, &'static str, T, u64, u64, &'static str);

/// Asserts one parse-error at `line` (and `column` when given) whose message contains `cause`.
fn assert_parse_error(l: &Lint, line: u64, column: Option<u64>, cause: &str) {
    let what = &l.what;
    assert_eq!(l.run.code, 1, "{what}: {}", l.run.stdout);
    let d = l.parse_error();
    let (got_line, got_col) = line_col(d);
    assert_eq!(got_line, line, "{what}: line of {d}");
    if let Some(c) = column {
        assert_eq!(got_col, c, "{what}: column of {d}");
    }
    assert!(
        message(d).contains(cause),
        "{what}: the message should mention `{cause}`: {d}"
    );
    // Nothing else is reported for a file that cannot be parsed.
    assert_eq!(l.diagnostics().len(), 1, "{what}: {}", l.run.stdout);
}

/// The billion laughs: `a: &a [ITEM × 10]`, then eight levels (`b` to `i`) of ten aliases to
/// the level before, which would expand to 10^9 nodes.
fn billion_laughs(item: &str) -> String {
    let mut text = format!("a: &a [{}]\n", [item; 10].join(", "));
    for level in 1..9u8 {
        let (name, prev) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let items = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    text
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
