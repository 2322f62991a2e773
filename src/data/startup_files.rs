// Which embedded files a run loads at every start. Included by `build.rs` (which makes their
// JSON form) and by `src/data/builtin.rs` (whose loaders read them), so that both agree.

/// A built-in rule file: `rules/NAME.yaml`.
pub fn is_rule_file(path: &str) -> bool {
    path.strip_prefix("rules/")
        .is_some_and(|name| !name.contains('/') && name.ends_with(".yaml"))
}

/// A file of the built-in systems catalog: `rules/systems/NAME.yaml`.
pub fn is_system_file(path: &str) -> bool {
    path.strip_prefix("rules/systems/")
        .is_some_and(|name| !name.contains('/') && name.ends_with(".yaml"))
}
