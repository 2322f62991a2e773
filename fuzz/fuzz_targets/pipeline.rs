//! Bytes → a file on disk → the whole pipeline (`prepare` + `run`) → every output format.
//!
//! The first byte picks the file name (YAML or JSON); the rest is the file. A panic anywhere
//! (reading, loader, schema, model, rules, suppressions, formatters) is a bug.
//!
//! Loading the built-in rules and catalog is most of `prepare`'s time, and it does not depend
//! on the input: `prepare` runs once per file name, and each input gets a copy of that
//! template with its own per-path settings (what `prepare` would compute for the same file).
//! The copies share the template's compiled credential patterns (`rules/pattern.rs`), so no
//! input pays for compiling a regex.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use bridgelint::pipeline::{prepare, run, Prepared, Request};
use bridgelint::config::{CliRules, Settings};
use bridgelint::pipeline::discover::Discovery;
use bridgelint::report::{render, Format, Style};
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 6] = [
    Format::Human,
    Format::Compact,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Gitlab,
];

const NAMES: [&str; 3] = ["integration.yaml", "accounts.yml", "data.json"];

/// This process's scratch folder: its own context root (a `.bridgelint.yaml`).
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("bridgelint-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        std::fs::write(dir.join(".bridgelint.yaml"), "{}\n").expect("config");
        dir
    })
}

fn request(name: &str) -> Request {
    Request {
        paths: vec![scratch().join(name)],
        no_config: true,
        no_context: true,
        now: bridgelint::model::date::parse("2026-11-27"),
        jobs: Some(1),
        ..Request::default()
    }
}

/// One `prepare` per file name, kept for the process.
fn template(pick: usize) -> &'static Prepared {
    static TEMPLATES: OnceLock<Vec<Prepared>> = OnceLock::new();
    &TEMPLATES.get_or_init(|| {
        NAMES
            .iter()
            .map(|name| {
                std::fs::write(scratch().join(name), "").expect("write a placeholder");
                prepare(&request(name), scratch()).expect("prepare a template")
            })
            .collect()
    })[pick]
}

fn copy(t: &Prepared) -> Prepared {
    let files = t.discovery.files.clone();
    let rels: Vec<String> = files.iter().map(|f| f.rel.to_string()).collect();
    let settings = Settings::new(&t.config, &t.rules, &CliRules::default(), &rels)
        .expect("settings of the template");
    Prepared {
        cwd: t.cwd.clone(),
        root: t.root.clone(),
        config: t.config.clone(),
        rules: t.rules.clone(),
        catalog: t.catalog.clone(),
        discovery: Discovery {
            files,
            skipped: Vec::new(),
        },
        settings,
        today: t.today,
        limits: t.limits.clone(),
        schemes: t.schemes.clone(),
        jobs: t.jobs,
        baseline: None,
        fail_on: t.fail_on.clone(),
        fail_on_empty: t.fail_on_empty,
        setup_time: t.setup_time,
        discovery_time: t.discovery_time,
        prune_context: t.prune_context,
        keep_details: t.keep_details,
        findings_everywhere: t.findings_everywhere,
        unsafe_fixes: false,
        fix_marks_only: false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let pick = pick as usize % NAMES.len();
    let prep = copy(template(pick));
    std::fs::write(scratch().join(NAMES[pick]), body).expect("write the input");
    let outcome = run(prep, &[], true);
    // Colour changes only the human format: the others are rendered once.
    for format in FORMATS {
        let colors: &[bool] = match format {
            Format::Human => &[false, true],
            _ => &[false],
        };
        for &color in colors {
            let _ = render(&outcome.report, format, &Style { color });
        }
    }
});
