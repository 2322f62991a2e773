//! The parse-only floor for benchmarks: reads and parses every YAML/JSON file under a folder
//! with bridgelint's loader and nothing else (no schema, no model, no rules), in parallel.
//!
//! ```sh
//! cargo run --release --example parse_floor -- DIR [--stages]
//! ```
//!
//! With `--stages`, also times each stage of the per-file phase on one thread (read, parse,
//! schema validation, model build), for profiling.

// The binary's allocator: the floor is measured as the linter is.
#[path = "../src/allocator.rs"]
mod allocator;

use std::time::{Duration, Instant};

use rayon::prelude::*;

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if bridgelint::source::Syntax::of_path(&p.to_string_lossy()).is_some() {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().expect("usage: parse_floor DIR [--stages]"));
    let mut list = Vec::new();
    files(&dir, &mut list);
    let limits = bridgelint::source::Limits::default();
    let started = Instant::now();
    let bytes: usize = list
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let syntax = bridgelint::source::Syntax::of_path(&p.to_string_lossy()).unwrap();
            let parsed = bridgelint::source::parse(&text, syntax, &limits, false);
            std::hint::black_box(&parsed);
            text.len()
        })
        .sum();
    let wall = started.elapsed();
    println!(
        "parse floor: {} files, {:.1} MB in {:.1} ms ({:.0} files/s, {:.1} MB/s)",
        list.len(),
        bytes as f64 / 1e6,
        wall.as_secs_f64() * 1e3,
        list.len() as f64 / wall.as_secs_f64(),
        bytes as f64 / 1e6 / wall.as_secs_f64()
    );
    if args.iter().any(|a| a == "--stages") {
        let (mut read, mut parse, mut validate) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for p in &list {
            let t = Instant::now();
            let text = std::fs::read_to_string(p).unwrap_or_default();
            read += t.elapsed();
            let syntax = bridgelint::source::Syntax::of_path(&p.to_string_lossy()).unwrap();
            let t = Instant::now();
            let parsed = bridgelint::source::parse(&text, syntax, &limits, false);
            parse += t.elapsed();
            let t = Instant::now();
            if let Ok(mut f) = parsed {
                for d in &mut f.documents {
                    let kind = match d.root.get("kind").and_then(|k| k.as_str()) {
                        Some("Integration") => bridgelint::schema::SchemaKind::Integration,
                        _ => bridgelint::schema::SchemaKind::ServiceAccounts,
                    };
                    std::hint::black_box(bridgelint::schema::validate(
                        kind,
                        &mut d.root,
                        &text,
                        &[],
                    ));
                }
            }
            validate += t.elapsed();
        }
        println!(
            "one thread: read {:.1} ms, parse {:.1} ms, schema {:.1} ms",
            read.as_secs_f64() * 1e3,
            parse.as_secs_f64() * 1e3,
            validate.as_secs_f64() * 1e3
        );
    }
}
