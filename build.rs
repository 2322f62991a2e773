//! Embeds the built-in rule files, systems catalog and rule fixtures, so that an installed
//! binary needs no files beside it.

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
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_files.rs");
    std::fs::write(out, code).unwrap();
    println!("cargo:rerun-if-changed=rules");
    for f in &files {
        println!("cargo:rerun-if-changed={f}");
    }
}
