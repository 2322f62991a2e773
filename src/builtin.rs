//! The files embedded at build time (`rules/`): built-in rules, systems, rule fixtures.

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// The embedded files under a prefix, with their repository paths.
pub fn files(prefix: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN_FILES
        .iter()
        .copied()
        .filter(move |(p, _)| p.starts_with(prefix))
}
