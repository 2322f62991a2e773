//! `bridgelint init`: writes a commented `.bridgelint.yaml` into the current folder.

use crate::config::CONFIG_NAMES;

/// The file `init` writes. Every setting is commented out at its default, so the file changes
/// nothing until edited; a test checks it validates against the config schema.
pub const TEMPLATE: &str = r#"# bridgelint configuration. Every key is optional; `bridgelint schema config` prints the schema.
# Paths and globs are relative to this file's folder, which is also the project's context root:
# cross-file rules (unknown-account, unused-account, missing-permission, ...) see every
# bridgelint document under it.

# Files and folders to skip while walking (in addition to .gitignore and .ignore).
exclude: []
#  - "legacy/**"
#  - "**/fixtures/**"

# Lowest severity that makes the exit status 1: error, warning (default), info or never.
# fail_on: warning

# Exit with status 1 when no bridgelint document is found (same as --fail-on-empty); by
# default such a run says so on standard error and exits 0.
# fail_on_empty: false

# Run only these rules, or skip these ones (same as --select / --ignore).
# select: [plaintext-secret, leaked-secret, personal-account]
# ignore: [display-name]

# Per-rule settings: `off` or a severity alone (error, warning, info), or a mapping of
# `severity` and the rule's options (`bridgelint explain RULE` lists them).
rules: {}
#  display-name: warning
#  rotation-interval-too-long: { severity: error, max_days: 60 }
#  stale-review: { max_age_days: 120 }
#  credential-expiring: { warn_days: 45 }
#  atlassian-guard-account: { allow_with_api_token: true }
#  unused-permission: off

# Settings for some paths only (they win over `rules`); useful for JSON files, which cannot
# hold suppression comments.
# per_path:
#   - paths: ["sandbox/**"]
#     rules: { missing-rotation: off }

# Your own rules and systems (folders of YAML files; see docs/rules.md and rules/systems/).
# custom_rules: ["policy/rules"]
# catalogs: ["policy/systems"]

# Secret reference schemes accepted in `secret` and `private_key` (replaces the default list:
# env, vault, file, aws-secretsmanager, gcp-secretmanager, azure-keyvault, k8s, op).
# secret_reference_schemes: [env, vault, op]

# Files larger than this many bytes are not read (default 10 MiB).
# max_file_size: 10485760

# Hide the findings recorded in a baseline (bridgelint check --write-baseline FILE).
# baseline: .bridgelint-baseline.json
"#;

pub fn command(args: crate::cli::InitArgs) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(c) => c,
        Err(e) => {
            stderrln!("error: cannot read the current folder: {e}");
            return 2;
        }
    };
    let existing: Vec<&str> = CONFIG_NAMES
        .iter()
        .copied()
        .filter(|n| cwd.join(n).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        stderrln!(
            "error: {} already exists; use --force to overwrite it",
            existing.join(" and ")
        );
        return 2;
    }
    let path = cwd.join(CONFIG_NAMES[0]);
    if let Err(e) = std::fs::write(&path, TEMPLATE) {
        stderrln!("error: cannot write {}: {e}", path.display());
        return 2;
    }
    // Two config files would be an invocation error later: remove the other spelling.
    if args.force && existing.contains(&CONFIG_NAMES[1]) {
        let _ = std::fs::remove_file(cwd.join(CONFIG_NAMES[1]));
    }
    super::print_out(&format!("wrote {}\n", CONFIG_NAMES[0]))
        .err()
        .unwrap_or(0)
}
