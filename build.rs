//! Embeds the built-in rule files, systems catalog and rule fixtures, so that an installed
//! binary needs no files beside it; and the built-in rules and systems once more as JSON, which
//! bridgelint's own JSON parser reads several times faster than the YAML (their parsing was
//! about a third of a one-file run's set-up). `tests/builtin_json.rs` checks that both forms
//! give the same tree.

use std::fmt::Write;
use std::path::Path;

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, root, out);
        } else {
            let rel = p.strip_prefix(root).expect("under root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    select_allocator();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let root = Path::new(&manifest);
    let mut files = Vec::new();
    collect(&root.join("rules"), root, &mut files);
    let mut code = String::from("/// Built-in files: (path relative to the repository, contents).\npub static BUILTIN_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        writeln!(
            code,
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {f:?}))),"
        )
        .unwrap();
    }
    code.push_str("];\n");
    code.push_str("/// The built-in rules and systems as JSON: (path of the YAML file, JSON text).\npub static BUILTIN_JSON: &[(&str, &str)] = &[\n");
    for f in files
        .iter()
        .filter(|f| is_rule_file(f) || is_system_file(f))
    {
        let text = std::fs::read_to_string(root.join(f)).expect("a built-in file is UTF-8");
        // A construct the conversion leaves alone (anchors, tags, unusual numbers) keeps the
        // file on the YAML path.
        if let Some(json) = yaml_to_json(&text) {
            writeln!(code, "    ({f:?}, {json:?}),").unwrap();
        }
    }
    code.push_str("];\n");
    code.push_str("/// A built-in credential pattern with its literals (`src/rules/literals.rs`): (pattern, prefixes, required literal).\npub type PatternLiterals = (&'static str, Option<&'static [&'static [u8]]>, Option<&'static [u8]>);\n/// The literals of every built-in credential pattern.\npub static BUILTIN_PATTERN_LITERALS: &[PatternLiterals] = &[\n");
    for f in files.iter().filter(|f| is_rule_file(f)) {
        let text = std::fs::read_to_string(root.join(f)).expect("a built-in file is UTF-8");
        for source in yaml_to_json(&text)
            .map(|json| patterns_of(&json))
            .unwrap_or_default()
        {
            let literals = literals_of(&source).unwrap_or_else(|e| panic!("{f}: {source}: {e}"));
            let bytes = |l: &[u8]| format!("b\"{}\"", l.escape_ascii());
            let prefixes = match &literals.prefixes {
                Some(ls) => format!(
                    "Some(&[{}])",
                    ls.iter().map(|l| bytes(l)).collect::<Vec<_>>().join(", ")
                ),
                None => "None".into(),
            };
            let required = literals
                .required
                .as_deref()
                .map_or("None".into(), |l| format!("Some({})", bytes(l)));
            writeln!(code, "    ({source:?}, {prefixes}, {required}),").unwrap();
        }
    }
    code.push_str("];\n");
    code.push_str("/// What a run reads of every built-in system before it needs its facts: (path of the YAML file, JSON text of its head).\npub static BUILTIN_SYSTEM_HEADS: &[(&str, &str)] = &[\n");
    for f in files.iter().filter(|f| is_system_file(f)) {
        let text = std::fs::read_to_string(root.join(f)).expect("a built-in file is UTF-8");
        if let Some(head) = yaml_to_json(&text).and_then(|json| system_head(&json)) {
            writeln!(code, "    ({f:?}, {head:?}),").unwrap();
        }
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_files.rs");
    std::fs::write(out, code).unwrap();
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/data/startup_files.rs");
    println!("cargo:rerun-if-changed=src/rules/literals.rs");
    for f in &files {
        println!("cargo:rerun-if-changed={f}");
    }
}

include!("src/data/startup_files.rs");

include!("src/rules/literals.rs");

/// The `patterns` of a rule file's JSON form.
fn patterns_of(json: &str) -> Vec<String> {
    let file: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let patterns = file.get("patterns").and_then(serde_json::Value::as_object);
    patterns
        .into_iter()
        .flatten()
        .filter_map(|(_, source)| source.as_str().map(str::to_string))
        .collect()
}

/// The keys of a system file that the model reads of every system (`crate::catalog::Head`):
/// the identity, the URL hints, the password alternative and, of each capability, whether it is
/// unsupported. A run reads this small text instead of skipping through the whole file.
fn system_head(json: &str) -> Option<String> {
    use serde_json::{Map, Value};
    let file: Value = serde_json::from_str(json).ok()?;
    let mut head = Map::new();
    for key in [
        "id",
        "extends",
        "name",
        "url_hints",
        "password_alternative",
        "password_token_alternative",
    ] {
        if let Some(v) = file.get(key) {
            head.insert(key.into(), v.clone());
        }
    }
    if let Some(capabilities) = file.get("capabilities").and_then(Value::as_object) {
        let unsupported = capabilities
            .iter()
            .filter_map(|(name, c)| {
                let flag = c.get("unsupported")?.clone();
                Some((
                    name.clone(),
                    Value::Object(Map::from_iter([("unsupported".into(), flag)])),
                ))
            })
            .collect();
        head.insert("capabilities".into(), Value::Object(unsupported));
    }
    serde_json::to_string(&Value::Object(head)).ok()
}

/// Converts one YAML document to JSON text, keeping only what is certain to mean the same in
/// both: mappings with scalar keys, sequences, strings, `null`, `true`, `false` and decimal
/// integers. Anything else (anchors, aliases, tags, merge keys, several documents, other
/// numbers) gives `None`.
fn yaml_to_json(text: &str) -> Option<String> {
    use granit_parser::{Event, Parser, ScalarStyle};
    let mut out = String::with_capacity(text.len());
    // Open collections: (is a mapping, nodes so far).
    let mut open: Vec<(bool, usize)> = Vec::new();
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, _) = item.ok()?;
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::Scalar(raw, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let is_key = begin_node(&mut out, &mut open);
                if is_key {
                    if style == ScalarStyle::Plain && raw == "<<" {
                        return None;
                    }
                    push_json_string(&mut out, &raw);
                } else if style == ScalarStyle::Plain {
                    push_plain(&mut out, &raw)?;
                } else {
                    push_json_string(&mut out, &raw);
                }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if anchor != 0 || tag.is_some() || begin_node(&mut out, &mut open) {
                    return None;
                }
                out.push(if is_map { '{' } else { '[' });
                open.push((is_map, 0));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (is_map, _) = open.pop()?;
                out.push(if is_map { '}' } else { ']' });
            }
            _ => return None,
        }
    }
    (documents == 1 && open.is_empty()).then_some(out)
}

/// Writes what goes before a node in its collection; says whether the node is a mapping key.
fn begin_node(out: &mut String, open: &mut [(bool, usize)]) -> bool {
    let Some((is_map, count)) = open.last_mut() else {
        return false;
    };
    let is_key = *is_map && *count % 2 == 0;
    if *is_map && !is_key {
        out.push(':');
    } else if *count > 0 {
        out.push(',');
    }
    *count += 1;
    is_key
}

/// A plain scalar as YAML 1.2's core schema types it, for the types kept (see `yaml_to_json`).
fn push_plain(out: &mut String, raw: &str) -> Option<()> {
    match raw {
        "" | "~" | "null" | "Null" | "NULL" => out.push_str("null"),
        "true" | "True" | "TRUE" => out.push_str("true"),
        "false" | "False" | "FALSE" => out.push_str("false"),
        _ => {
            let first = raw.as_bytes()[0];
            // A date (`2019-06-03`) is a string in YAML 1.2's core schema.
            let b = raw.as_bytes();
            let is_date = b.len() == 10
                && b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'-',
                    _ => c.is_ascii_digit(),
                });
            if is_date {
                push_json_string(out, raw);
            } else if first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.') {
                let digits = raw.strip_prefix('-').unwrap_or(raw);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                out.push_str(&raw.parse::<i64>().ok()?.to_string());
            } else {
                push_json_string(out, raw);
            }
        }
    }
    Some(())
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `cfg(jemalloc_allocator)` when the allocator is in the build: Cargo.toml's target table is
/// the one list of the platforms it builds on, and `tikv-jemalloc-sys` (listed beside it, with
/// `links = "jemalloc"`) tells its direct dependents' build scripts that it was built.
fn select_allocator() {
    println!("cargo::rustc-check-cfg=cfg(jemalloc_allocator)");
    if std::env::var_os("DEP_JEMALLOC_ROOT").is_some() {
        println!("cargo::rustc-cfg=jemalloc_allocator");
    }
}
