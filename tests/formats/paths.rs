//! One path convention per consumer (docs/decisions.md 28): `sarif`, `github` and `gitlab`
//! locate files relative to the repository root (the git root, else the context root),
//! whatever the current folder, as code scanning, the Actions runner and GitLab resolve paths
//! against the repository; `human`, `compact` and `json` print paths relative to the current
//! folder when the file is under it, else absolute (cli.md).

use serde_json::Value;

use super::support::{json_of as json, Scratch};
use super::ACCOUNTS;

/// The path each format gives to the run's one finding.
fn path_in(format: &str, out: &str) -> String {
    let first = |v: &Value| v.as_str().expect("a path").to_string();
    match format {
        "json" => first(&json(out)["diagnostics"][0]["path"]),
        "sarif" => first(
            &json(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                ["artifactLocation"]["uri"],
        ),
        "gitlab" => first(&json(out)[0]["location"]["path"]),
        "compact" => out.split(':').next().expect("a line").to_string(),
        "github" => {
            let after = out.split_once("file=").expect("file=").1;
            after.split(',').next().expect("a property").to_string()
        }
        "human" => {
            let after = out.split_once("╭▸ ").expect("a location line").1;
            after.split(':').next().expect("path:line").to_string()
        }
        other => panic!("format {other}"),
    }
}

#[test]
fn each_format_locates_files_the_way_its_consumer_resolves_them() {
    // A repository whose project is in `team/` (its config there makes it the context root).
    let s = Scratch::new("paths");
    s.write("team/.bridgelint.yaml", "fail_on: warning\n");
    s.write(
        "team/accounts/service-accounts.yaml",
        ACCOUNTS.replace("reviewed: 2026-11-01", "reviewed: 2026-06-30"),
    );
    let elsewhere = Scratch::bare("paths-elsewhere");
    let absolute = s.path("team/accounts/service-accounts.yaml");
    let absolute = absolute.to_str().expect("UTF-8 path").to_string();
    let in_repo = "team/accounts/service-accounts.yaml";
    // (current folder, the path named, what human, compact and json print)
    let runs = [
        (s.dir.clone(), "team", in_repo.to_string()),
        (
            s.path("team"),
            ".",
            "accounts/service-accounts.yaml".to_string(),
        ),
        (
            s.path("team/accounts"),
            ".",
            "service-accounts.yaml".to_string(),
        ),
        (elsewhere.dir.clone(), absolute.as_str(), absolute.clone()),
    ];
    for (dir, named, local) in &runs {
        for format in ["human", "compact", "json", "sarif", "github", "gitlab"] {
            let out = s
                .check()
                .format(format)
                .args(["--select", "stale-review", named])
                .current_dir(dir)
                .run()
                .stdout;
            let expected = match format {
                "sarif" | "github" | "gitlab" => in_repo,
                _ => local.as_str(),
            };
            assert_eq!(
                path_in(format, &out),
                expected,
                "{format}, run in {} on {named}:\n{out}",
                dir.display()
            );
        }
    }
}
