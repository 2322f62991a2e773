//! The layers of the crate (ARCHITECTURE.md, "Modules"): every top-level module names the
//! modules it may use, the table has no cycle, and the source uses nothing else. A new `use` of
//! a module that is not below is a failing test, with the file and line that made it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and the modules it may use. Keep it in step with
/// ARCHITECTURE.md's map; a module not listed here is a failure too.
const ALLOWED: &[(&str, &[&str])] = &[
    // Leaves.
    ("secrets", &[]),
    ("suggest", &[]),
    ("source", &[]),
    ("edit", &["source"]),
    // Reading our own files.
    // Schema messages never quote a value in a secret range (`secrets::overlaps`).
    ("schema", &["secrets", "source", "suggest"]),
    ("data", &["schema", "source"]),
    // The model and what it is checked against.
    ("catalog", &["data", "schema", "source"]),
    ("model", &["catalog", "secrets", "source", "suggest"]),
    ("finding", &["model", "source"]),
    (
        "rules",
        &[
            "data", "finding", "model", "schema", "secrets", "source", "suggest",
        ],
    ),
    (
        "config",
        &["data", "finding", "rules", "schema", "source", "suggest"],
    ),
    // A formatter never knows a rule: reports see findings and sources only.
    ("report", &["finding", "source"]),
    // The stages of a run.
    (
        "pipeline",
        // Fixes become format-preserving edits late, with the file's text (`fixes.rs`).
        &[
            "catalog", "config", "data", "edit", "finding", "model", "report", "rules", "schema",
            "secrets", "source", "suggest",
        ],
    ),
    // The command line.
    ("cli", &["model", "report"]),
    (
        "commands",
        // `--fix` checks that a round's result parses (`source`) and applies a round's edits
        // (`edit`).
        &[
            "catalog", "cli", "config", "data", "edit", "finding", "model", "pipeline", "report",
            "rules", "schema", "secrets", "source", "suggest",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for the crate root and the binary).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).expect("under src/");
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.strip_suffix(".rs") {
        Some("lib" | "main" | "allocator") => None,
        Some(stem) => Some(stem.to_string()),
        None => Some(first),
    }
}

/// Every `crate::NAME` in a file's code (comments left out), with its line number.
fn crate_uses(text: &str) -> Vec<(usize, String)> {
    let mut uses = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                uses.push((i + 1, name));
            }
            rest = after;
        }
    }
    uses
}

#[test]
fn the_layer_table_has_no_cycle() {
    let table: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    // Listed in order: each module may use only modules listed before it.
    let mut seen = BTreeSet::new();
    for (module, allowed) in ALLOWED {
        for dep in *allowed {
            assert!(
                seen.contains(dep),
                "`{module}` may use `{dep}`, which is not listed above it: the table must stay a stack of layers"
            );
            assert!(table.contains_key(dep), "`{dep}` is not in the table");
        }
        seen.insert(*module);
    }
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let table: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut errors = Vec::new();
    let mut modules_seen = BTreeSet::new();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        modules_seen.insert(module.clone());
        let Some(allowed) = table.get(module.as_str()) else {
            errors.push(format!(
                "{}: module `{module}` is not in tests/architecture.rs's table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read a source file");
        for (line, used) in crate_uses(&text) {
            if used != module && !allowed.contains(&used.as_str()) {
                errors.push(format!(
                    "{}:{line}: `{module}` uses `crate::{used}`, which is not below it",
                    file.display()
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let listed: BTreeSet<String> = table.keys().map(|k| k.to_string()).collect();
    assert_eq!(
        listed, modules_seen,
        "the table lists exactly the modules of src/"
    );
}

#[test]
fn an_upward_use_is_caught() {
    // The scanner itself: a use in code counts, one in a comment does not.
    let uses = crate_uses("use crate::pipeline::run; // crate::commands\n/// [`crate::cli`]\n");
    assert_eq!(uses, vec![(1, "pipeline".to_string())]);
}
