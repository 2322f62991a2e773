//! `bridgelint test-rules`: runs annotated fixtures and reports every missing or unexpected
//! finding with its line.
//!
//! A fixture folder is checked as one run, with no config and no context beyond the folder.
//! Expectations: a trailing `# expect: rule-a, rule-b` comment on the line where each finding
//! starts (the last `# expect:` of the line counts); for JSON, a sidecar `NAME.json.expect` of
//! `LINE rule` rows. Info-level findings are compared only for rules annotated somewhere in the
//! folder. Today is `--now`, else a `# test-rules: now=YYYY-MM-DD` line in a fixture, else the
//! current date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::print_out;
use crate::cli::TestRulesArgs;
use crate::finding::Severity;
use crate::pipeline::{self, Request};

/// One difference between expected and actual findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub line: u32,
    pub rule: String,
    /// True: expected but not found; false: found but not expected.
    pub missing: bool,
    pub message: String,
}

/// The result of one fixture folder.
pub struct FolderResult {
    pub folder: PathBuf,
    pub checked: usize,
    pub mismatches: Vec<Mismatch>,
}

fn is_fixture(p: &Path) -> bool {
    p.is_file()
        && matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        )
}

/// Fixture folders under `dir`: itself when it holds fixtures, else its subfolders (recursively).
pub fn folders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    if paths.iter().any(|p| is_fixture(p)) {
        return vec![dir.to_path_buf()];
    }
    paths
        .iter()
        .filter(|p| p.is_dir())
        .flat_map(|p| folders(p))
        .collect()
}

/// Expected findings: (relative path, line) → rules.
/// Expected rules by (relative path, line).
type Expected = BTreeMap<(String, u32), Vec<String>>;

fn expectations(folder: &Path) -> (Expected, Option<i32>) {
    let mut out: Expected = BTreeMap::new();
    let mut now = None;
    let mut files: Vec<PathBuf> = walk(folder);
    files.sort();
    for f in files {
        let rel = f
            .strip_prefix(folder)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        if rel.ends_with(".json.expect") {
            let target = rel.trim_end_matches(".expect").to_string();
            for row in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                let mut parts = row.split_whitespace();
                if let (Some(line), Some(rule)) = (
                    parts.next().and_then(|l| l.parse::<u32>().ok()),
                    parts.next(),
                ) {
                    out.entry((target.clone(), line))
                        .or_default()
                        .push(rule.to_string());
                }
            }
            continue;
        }
        if !is_fixture(&f) {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if let Some(pos) = line.find("# test-rules: now=") {
                now = crate::model::date::parse(line[pos + 18..].trim()).or(now);
            }
            if let Some(pos) = line.rfind("# expect:") {
                for rule in line[pos + 9..]
                    .split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                {
                    out.entry((rel.clone(), i as u32 + 1))
                        .or_default()
                        .push(rule.to_string());
                }
            }
        }
    }
    (out, now)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Runs one folder. `ignore` removes rules (used to prove a fixture needs its rule).
pub fn run_folder(
    folder: &Path,
    now: Option<i32>,
    rules_dirs: &[PathBuf],
    catalog_dirs: &[PathBuf],
    ignore: &[String],
) -> Result<FolderResult, pipeline::Invocation> {
    let (expected, folder_now) = expectations(folder);
    let cwd = folder.to_path_buf();
    let req = Request {
        paths: vec![folder.to_path_buf()],
        no_context: true,
        no_config: true,
        now: now.or(folder_now),
        rules_dirs: rules_dirs.to_vec(),
        catalog_dirs: catalog_dirs.to_vec(),
        ignore: ignore.to_vec(),
        jobs: Some(1),
        root: Some(folder.to_path_buf()),
        ..Request::default()
    };
    let prep = pipeline::prepare(&req, &cwd)?;
    let outcome = pipeline::run(prep, &[], false);
    let annotated: Vec<&String> = expected.values().flatten().collect();
    let mut actual: BTreeMap<(String, u32), Vec<(String, String)>> = BTreeMap::new();
    let mut checked = 0;
    for d in crate::report::visible(&outcome.report) {
        if d.severity == Severity::Info && !annotated.contains(&&d.rule) {
            continue;
        }
        checked += 1;
        actual
            .entry((d.rel.clone(), d.start.line))
            .or_default()
            .push((d.rule.clone(), d.message.clone()));
    }
    let mut mismatches = Vec::new();
    let mut keys: Vec<&(String, u32)> = expected.keys().chain(actual.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let mut want: Vec<String> = expected.get(key).cloned().unwrap_or_default();
        let got: Vec<(String, String)> = actual.get(key).cloned().unwrap_or_default();
        let mut extra = Vec::new();
        for (rule, message) in got {
            match want.iter().position(|w| *w == rule) {
                Some(i) => {
                    want.remove(i);
                }
                None => extra.push((rule, message)),
            }
        }
        for rule in want {
            mismatches.push(Mismatch {
                path: key.0.clone(),
                line: key.1,
                rule,
                missing: true,
                message: String::new(),
            });
        }
        for (rule, message) in extra {
            mismatches.push(Mismatch {
                path: key.0.clone(),
                line: key.1,
                rule,
                missing: false,
                message,
            });
        }
    }
    Ok(FolderResult {
        folder: folder.to_path_buf(),
        checked,
        mismatches,
    })
}

/// Writes the embedded built-in fixtures into a fresh temporary folder.
pub fn materialize_builtin() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir().join(format!(
        "bridgelint-fixtures-{}-{}",
        std::process::id(),
        crate::model::date::today_utc()
    ));
    if base.exists() {
        std::fs::remove_dir_all(&base)?;
    }
    for (path, text) in crate::data::builtin::files("rules/fixtures/") {
        let rel = path.trim_start_matches("rules/fixtures/");
        let target = base.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, text)?;
    }
    Ok(base)
}

pub fn command(args: TestRulesArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let (roots, temp) = match fixture_roots(&args.dirs, &cwd) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let rules_dirs = absolute_all(&cwd, &args.rules_dirs);
    let catalog_dirs = absolute_all(&cwd, &args.catalog_dirs);
    let mut failed = 0;
    let mut total = 0;
    let mut code = 0;
    let mut write_failed = None;
    'roots: for root in &roots {
        let list = folders(root);
        if list.is_empty() {
            stderrln!("error: {}: no fixtures found", root.display());
            code = 2;
        }
        for folder in list {
            total += 1;
            let shown = match &temp {
                Some(t) => format!(
                    "rules/fixtures/{}",
                    folder.strip_prefix(t).unwrap_or(&folder).display()
                ),
                None => crate::pipeline::discover::display_path(&folder, &cwd),
            };
            match run_folder(&folder, args.now, &rules_dirs, &catalog_dirs, &[]) {
                Ok(r) => {
                    if !r.mismatches.is_empty() {
                        failed += 1;
                    }
                    if let Err(status) = print_out(&folder_result(&shown, &r)) {
                        write_failed = Some(status);
                        break 'roots;
                    }
                }
                Err(inv) => {
                    code = crate::commands::report_invocation(&inv);
                }
            }
        }
    }
    if let Some(t) = temp {
        let _ = std::fs::remove_dir_all(t);
    }
    let summary = format!("{} of {total} fixture folders passed\n", total - failed);
    if let Some(status) = write_failed.or_else(|| print_out(&summary).err()) {
        return status;
    }
    if code != 0 {
        code
    } else {
        u8::from(failed > 0)
    }
}

/// The folders to search for fixtures, and the temporary folder to remove afterwards: the
/// built-in fixtures written out when no folder is given. Status 2 when one cannot be used.
fn fixture_roots(dirs: &[PathBuf], cwd: &Path) -> Result<(Vec<PathBuf>, Option<PathBuf>), u8> {
    if dirs.is_empty() {
        return match materialize_builtin() {
            Ok(dir) => Ok((vec![dir.clone()], Some(dir))),
            Err(e) => {
                stderrln!("error: cannot write the built-in fixtures to a temporary folder: {e}");
                Err(2)
            }
        };
    }
    let mut missing = false;
    for d in dirs {
        if !d.is_dir() {
            stderrln!("error: {}: no such folder", d.display());
            missing = true;
        }
    }
    if missing {
        return Err(2);
    }
    Ok((absolute_all(cwd, dirs), None))
}

fn absolute_all(cwd: &Path, dirs: &[PathBuf]) -> Vec<PathBuf> {
    dirs.iter()
        .map(|d| crate::pipeline::discover::absolute(cwd, d))
        .collect()
}

/// A folder's result as printed: `ok`, or `FAIL` with every mismatch.
fn folder_result(shown: &str, r: &FolderResult) -> String {
    if r.mismatches.is_empty() {
        return format!("ok    {shown} ({} findings)\n", r.checked);
    }
    let mut out = format!("FAIL  {shown}\n");
    for m in &r.mismatches {
        if m.missing {
            out.push_str(&format!(
                "        {}:{}: missing {}\n",
                m.path, m.line, m.rule
            ));
        } else {
            out.push_str(&format!(
                "        {}:{}: unexpected {}: {}\n",
                m.path, m.line, m.rule, m.message
            ));
        }
    }
    out
}
