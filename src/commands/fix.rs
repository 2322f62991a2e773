//! `check --fix`, `--diff` and `--stdin-filename --fix`: rounds of linting and fixing, until no
//! fix applies (at most [`MAX_ROUNDS`]). Each round lints every file with the texts fixed so
//! far (held in memory as buffers that replace the files), takes per file the applicable fixes
//! whose edits do not overlap, in report order, and applies them. A round whose result does not
//! parse, or that re-creates a finding it fixed, is undone for that file with a note, and the
//! file is left as it was before that round. Nothing is written until the rounds are over:
//! then the files are written atomically (`--fix`), shown as a diff (`--diff`), or printed
//! (standard input).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::edit::{apply, Edit};
use crate::pipeline::{self, discover::absolute, Outcome, Request};
use crate::report::{visible, Diagnostic};
use crate::source::{Limits, Syntax};

pub const MAX_ROUNDS: usize = 10;

/// One file the rounds changed.
pub struct Changed {
    pub abs: PathBuf,
    /// As the report prints it.
    pub display: String,
    pub original: String,
    pub current: String,
    /// The text before the last round that changed it, and what that round fixed.
    previous: String,
    last_fixed: BTreeSet<String>,
    /// The fingerprints of its error findings before the last round.
    errors_before: BTreeSet<String>,
    /// No more rounds for it (a round was undone).
    frozen: bool,
}

/// What the rounds did.
pub struct Rounds {
    /// The report of the last round: what remains.
    pub outcome: Outcome,
    pub changed: BTreeMap<PathBuf, Changed>,
    pub fixed: usize,
    pub notes: Vec<String>,
    /// The credential patterns of the run's rules (the diff masks what they match).
    pub patterns: Vec<crate::rules::pattern::Pattern>,
}

/// Lints and fixes in rounds; `stdin` is the standard input's buffer, when one was given.
pub fn rounds(req: &Request, cwd: &Path) -> Result<Rounds, pipeline::Invocation> {
    let mut changed: BTreeMap<PathBuf, Changed> = BTreeMap::new();
    let mut fixed = 0;
    let mut notes = Vec::new();
    let stdin_abs = req.stdin.as_ref().map(|(p, _)| absolute(cwd, p));
    let mut round = 0;
    let mut patterns = Vec::new();
    loop {
        let outcome = lint(req, cwd, &changed, stdin_abs.as_deref(), &mut patterns)?;
        if undo_recreated(&outcome, cwd, &mut changed, &mut fixed, &mut notes) {
            continue;
        }
        if round == MAX_ROUNDS {
            return Ok(Rounds {
                outcome,
                changed,
                fixed,
                notes,
                patterns,
            });
        }
        let chosen = choose(&outcome, cwd, &changed);
        if chosen.is_empty() {
            return Ok(Rounds {
                outcome,
                changed,
                fixed,
                notes,
                patterns,
            });
        }
        round += 1;
        for (abs, (display, picks)) in chosen {
            let original = current_text(&abs, req, stdin_abs.as_deref(), &changed);
            let Some(original) = original else { continue };
            let edits: Vec<Edit> = picks.iter().flat_map(|(_, e)| e.iter().cloned()).collect();
            let new = apply(&original, &edits);
            if !parses(&abs, &new) {
                notes.push(format!(
                    "{display}: fixes left out: their result does not parse (round {round})"
                ));
                freeze(&mut changed, &abs, &display, &original);
                continue;
            }
            let entry = changed.entry(abs.clone()).or_insert_with(|| Changed {
                abs: abs.clone(),
                display: display.clone(),
                original: original.clone(),
                current: original.clone(),
                previous: original.clone(),
                last_fixed: BTreeSet::new(),
                errors_before: BTreeSet::new(),
                frozen: false,
            });
            entry.previous = std::mem::replace(&mut entry.current, new);
            entry.last_fixed = picks.iter().map(|(d, _)| d.fingerprint.clone()).collect();
            entry.errors_before = errors_of(&outcome, cwd, &abs);
            fixed += picks.len();
        }
    }
}

/// The run of one round, with the texts fixed so far.
fn lint(
    req: &Request,
    cwd: &Path,
    changed: &BTreeMap<PathBuf, Changed>,
    stdin_abs: Option<&Path>,
    patterns: &mut Vec<crate::rules::pattern::Pattern>,
) -> Result<Outcome, pipeline::Invocation> {
    let prep = pipeline::prepare(req, cwd)?;
    *patterns = prep
        .rules
        .rules
        .iter()
        .flat_map(|r| r.patterns.iter().cloned())
        .collect();
    let mut buffers: Vec<(PathBuf, Vec<u8>)> = changed
        .values()
        .map(|c| (c.abs.clone(), c.current.clone().into_bytes()))
        .collect();
    if let (Some((p, text)), Some(abs)) = (&req.stdin, stdin_abs) {
        if !changed.contains_key(abs) {
            buffers.push((p.clone(), text.clone()));
        }
    }
    Ok(pipeline::run(prep, &buffers, false))
}

/// Undoes the last round of every file where a finding it fixed is back or a new error appeared;
/// says whether any was.
fn undo_recreated(
    outcome: &Outcome,
    cwd: &Path,
    changed: &mut BTreeMap<PathBuf, Changed>,
    fixed: &mut usize,
    notes: &mut Vec<String>,
) -> bool {
    let mut any = false;
    for d in visible(&outcome.report) {
        let abs = absolute(cwd, Path::new(&d.path));
        let Some(c) = changed.get_mut(&abs) else {
            continue;
        };
        if c.frozen || c.last_fixed.is_empty() {
            continue;
        }
        let why = if c.last_fixed.contains(&d.fingerprint) {
            "brought back"
        } else if d.severity == crate::finding::Severity::Error
            && !c.errors_before.contains(&d.fingerprint)
        {
            "added"
        } else {
            continue;
        };
        notes.push(format!(
            "{}: the last round of fixes was undone and fixing it stopped: it {why} a `{}` finding",
            c.display, d.rule
        ));
        *fixed -= c.last_fixed.len();
        c.current = std::mem::take(&mut c.previous);
        c.previous = c.current.clone();
        c.last_fixed.clear();
        c.frozen = true;
        any = true;
    }
    any
}

/// The fingerprints of a file's error findings.
fn errors_of(outcome: &Outcome, cwd: &Path, abs: &Path) -> BTreeSet<String> {
    visible(&outcome.report)
        .filter(|d| d.severity == crate::finding::Severity::Error)
        .filter(|d| absolute(cwd, Path::new(&d.path)) == abs)
        .map(|d| d.fingerprint.clone())
        .collect()
}

/// The fixes of one file that a round applies: each diagnostic with its edits.
type Picks<'a> = Vec<(&'a Diagnostic, Vec<Edit>)>;

/// Per file, the diagnostics whose fixes apply this round: applicable, not suppressed, their
/// edits clear of those taken before them.
fn choose<'a>(
    outcome: &'a Outcome,
    cwd: &Path,
    changed: &BTreeMap<PathBuf, Changed>,
) -> BTreeMap<PathBuf, (String, Picks<'a>)> {
    let mut out: BTreeMap<PathBuf, (String, Picks<'a>)> = BTreeMap::new();
    for d in visible(&outcome.report) {
        if !d.fix.as_ref().is_some_and(|f| f.applicable) {
            continue;
        }
        let abs = absolute(cwd, Path::new(&d.path));
        if changed.get(&abs).is_some_and(|c| c.frozen) {
            continue;
        }
        let (_, picks) = out
            .entry(abs)
            .or_insert_with(|| (d.path.clone(), Vec::new()));
        let mine = edits_of(d);
        if picks.iter().all(|(_, theirs)| !conflict(theirs, &mine)) {
            picks.push((d, mine));
        }
    }
    out.retain(|_, (_, p)| !p.is_empty());
    out
}

/// Whether two fixes' edits touch the same or adjacent bytes (an insertion where a deletion
/// ends, two insertions at one place: the result would depend on their order). Stricter than
/// [`Edit::conflicts`], which decides what one fix's own edits may do: across fixes, adjacent
/// edits wait a round. The same edit twice (two findings mended by one edit) is no conflict; it
/// is made once.
pub(crate) fn conflict(a: &[Edit], b: &[Edit]) -> bool {
    a.iter().any(|x| {
        b.iter()
            .any(|y| x != y && x.start <= y.end && y.start <= x.end)
    })
}

/// A diagnostic's edits, in byte offsets.
pub(crate) fn edits_of(d: &Diagnostic) -> Vec<Edit> {
    d.fix
        .iter()
        .flat_map(|f| &f.edits)
        .map(|e| {
            let range = e.start.offset as usize..e.end.offset as usize;
            Edit::new(range, e.content.clone())
        })
        .collect()
}

/// The text a file has now: fixed so far, else standard input's, else on disk.
fn current_text(
    abs: &Path,
    req: &Request,
    stdin_abs: Option<&Path>,
    changed: &BTreeMap<PathBuf, Changed>,
) -> Option<String> {
    if let Some(c) = changed.get(abs) {
        return Some(c.current.clone());
    }
    if stdin_abs == Some(abs) {
        let (_, text) = req.stdin.as_ref()?;
        return String::from_utf8(text.clone()).ok();
    }
    std::fs::read_to_string(abs).ok()
}

pub(crate) fn parses(abs: &Path, text: &str) -> bool {
    let syntax = Syntax::of_path(&abs.to_string_lossy()).unwrap_or(Syntax::Yaml);
    crate::source::parse(text, syntax, &Limits::default(), false).is_ok()
}

/// Marks a file as done without changing it further.
fn freeze(changed: &mut BTreeMap<PathBuf, Changed>, abs: &Path, display: &str, text: &str) {
    let c = changed.entry(abs.to_path_buf()).or_insert_with(|| Changed {
        abs: abs.to_path_buf(),
        display: display.to_string(),
        original: text.to_string(),
        current: text.to_string(),
        previous: text.to_string(),
        last_fixed: BTreeSet::new(),
        errors_before: BTreeSet::new(),
        frozen: false,
    });
    c.frozen = true;
}

/// Writes a file atomically: a temporary file in the same folder, then a rename, keeping the
/// file's permissions.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.bridgelint-fix-{}", std::process::id()));
    let perms = std::fs::metadata(path).map(|m| m.permissions());
    let written = std::fs::write(&tmp, text).and_then(|()| {
        if let Ok(p) = perms {
            std::fs::set_permissions(&tmp, p)?;
        }
        std::fs::rename(&tmp, path)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A unified diff of every changed file, secrets masked on both sides (as in a file that does
/// not parse: `secret:` and `private_key:` values, credential patterns, URL userinfo).
pub fn diff(rounds: &Rounds) -> String {
    let mut out = String::new();
    for c in rounds.changed.values().filter(|c| c.current != c.original) {
        let (old, new) = (masked(&c.original, rounds), masked(&c.current, rounds));
        let d = similar::TextDiff::from_lines(&old, &new);
        let name = c.display.as_str();
        out.push_str(
            &d.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    out
}

fn masked(text: &str, rounds: &Rounds) -> String {
    let ranges = crate::pipeline::redact::secret_ranges_unparsed(text, rounds.patterns.iter());
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in bytes.iter_mut().take(r.end as usize).skip(r.start as usize) {
            if *b != b'\n' && *b != b'\r' {
                *b = b'*';
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
