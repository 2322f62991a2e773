//! Inputs that used to cost super-linear time (issue 20): each is run once, moderately large,
//! under the harness's 30 s hang guard. No timing is asserted: the hang guard is the bound, and
//! `bench/scaling.py` measures how each input dimension scales (BENCHMARKS.md, "Scaling").

use super::support::Scratch;
use super::*;

/// 40,000 suppression comments alone on their lines, all covering the same line. Finding the
/// line each covers scanned the comments after it for every comment: quadratic, over 60 s in a
/// release build.
#[test]
fn forty_thousand_own_line_suppressions_covering_one_line() {
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\n");
    text.push_str("dup: 0\n");
    text.push_str(&"# bridgelint: ignore[duplicate-key] generated\n".repeat(40_000));
    text.push_str("dup: 1\n");
    let l = lint_big("own-line-suppressions", "sup.yaml", &text, &[]);
    l.no_parse_error();
    assert!(l.of_rule("duplicate-key").is_empty(), "{}", l.run.stdout);
    assert_eq!(l.summary("suppressed"), 1);
    let unused = l.of_rule("unused-suppression");
    assert_eq!(unused.len(), 39_999);
    // Each names the line it covers: the `dup: 1` after the comments.
    let covered = format!("line {}", 4 + 40_000 + 1);
    assert!(
        unused.iter().all(|d| message(d).contains(&covered)),
        "{}",
        unused[0]
    );
}

/// A merge key whose mapping has 80,000 keys: each merged key was looked up in a list of the
/// keys merged before it (quadratic, over 60 s in a release build).
#[test]
fn eighty_thousand_merged_keys() {
    let mut text = String::from(
        "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts: {}\nx-merged:\n  k1: own\n  <<:\n",
    );
    for i in 0..80_000 {
        text.push_str(&format!("    k{i}: {i}\n"));
    }
    let l = lint_big("merged-keys", "merge.yaml", &text, &[]);
    l.no_parse_error();
    // The one finding: the unknown top-level key (the merged keys are inside it).
    let found: Vec<&Json> = l.diagnostics().iter().collect();
    assert_eq!(found.len(), 1, "{}", l.run.stdout);
    assert!(message(found[0]).contains("x-merged"), "{}", found[0]);
}

/// A config with 20,000 unknown keys: one error each, exit 2. Every error used to index the
/// config's lines anew to quote its line (quadratic).
#[test]
fn a_config_with_twenty_thousand_unknown_keys() {
    let s = Scratch::project("config-keys");
    let config: String = (0..20_000).map(|i| format!("unknown_{i}: {i}\n")).collect();
    s.write(".bridgelint.yaml", config);
    s.write("integ.yaml", integration("90", "2026-11-01", "2027-04-30"));
    let run = s.check().arg("integ.yaml").run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors = run.stderr.matches("unknown key `unknown_").count();
    assert_eq!(
        errors,
        20_000,
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    // The last key's error quotes its own line.
    assert!(
        run.stderr.contains("    | unknown_19999: 19999"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
}

/// A `--catalog` system with 20,000 permissions (every seventh admin-level, every third
/// granting `read`) and an account that holds them all: each grant looked its name up in the
/// list of admin permissions and in the capability's alternatives (quadratic).
#[test]
fn a_catalog_system_with_twenty_thousand_permissions_all_granted() {
    let n: usize = 20_000;
    let s = Scratch::project("catalog-permissions");
    let perms: String = (0..n)
        .map(|i| {
            let admin = i % 7 == 0;
            format!("  p{i}: {{ description: P{i}, documented: false, admin: {admin} }}\n")
        })
        .collect();
    let alts: String = (0..n)
        .step_by(3)
        .map(|i| format!("      - p{i}\n"))
        .collect();
    s.write(
        "systems/big.yaml",
        format!(
            "id: big\nname: Big\ncredential_types:\n  api-token: {{ documented: false }}\n\
             permissions:\n{perms}capabilities:\n  read:\n    documented: false\n    any_of:\n{alts}"
        ),
    );
    let granted: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let integ = integration("90", "2026-11-01", "2027-04-30")
        .replace("system: jira-cloud", "system: big")
        .replace(
            "account: getint-jira-prod",
            &format!(
                "account: {{ type: service, username: sync@acme.example, owner: team-x, \
                 purpose: sync, permissions: [{}] }}",
                granted.join(", ")
            ),
        );
    s.write("integ.yaml", integ);
    let l = lint_with(&s, "integ.yaml", &["--catalog", "systems"], true);
    l.memory_below(MEMORY_LIMIT_KB);
    l.no_parse_error();
    let admin = l.of_rule("admin-privilege");
    assert_eq!(admin.len(), n.div_ceil(7), "{}", admin[0]);
    assert!(message(admin[0]).contains("`p0`"), "{}", admin[0]);
}

/// 5,000 accounts in one mapping, each breaking the schema twice: every error's route was
/// followed from the root by scanning each mapping on the way, the 10,000 accounts included
/// (quadratic). The routes now go through an index of the mapping's keys.
#[test]
fn five_thousand_invalid_entries_in_one_mapping() {
    let n = 5_000;
    let mut text = String::from("apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n");
    for i in 0..n {
        text.push_str(&format!("  acc-{i}: {{ type: service, bogus: 1 }}\n"));
    }
    let l = lint_big("invalid-entries", "accounts.yaml", &text, &[]);
    l.no_parse_error();
    let schema = l.of_rule("schema-violation");
    assert_eq!(schema.len(), 2 * n, "{}", schema[0]);
    let last = format!(
        "missing required keys `system`, `username` in account `acc-{}`",
        n - 1
    );
    assert!(schema.iter().any(|d| message(d) == last), "{last}");
    // Each at its own account's line.
    assert!(schema.iter().all(|d| {
        let (line, _) = line_col(d);
        message(d).ends_with(&format!("`acc-{}`", line - 4))
    }));
}
