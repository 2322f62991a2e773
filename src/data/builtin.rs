//! The files embedded at build time (`rules/`): built-in rules, systems, rule fixtures; and the
//! rules and systems once more as JSON (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
include!("startup_files.rs");

/// The embedded files under a prefix, with their repository paths.
pub fn files(prefix: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN_FILES
        .iter()
        .copied()
        .filter(move |(p, _)| p.starts_with(prefix))
}

/// The JSON form of a built-in rule or system file, when the build made one: bridgelint's JSON
/// parser reads it several times faster than the YAML, and gives the same tree
/// (`tests/builtin_json.rs`).
pub fn json_form(path: &str) -> Option<&'static str> {
    BUILTIN_JSON
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, json)| *json)
}

/// The head of a built-in system (`build.rs`, `system_head`): what a run reads of every system
/// before it needs one's facts.
pub fn system_head(path: &str) -> Option<&'static str> {
    BUILTIN_SYSTEM_HEADS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, head)| *head)
}

/// Every built-in file that has a JSON form, with it: (path, YAML text, JSON text).
pub fn json_forms() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    BUILTIN_FILES
        .iter()
        .filter_map(|(path, text)| json_form(path).map(|json| (*path, *text, json)))
}
