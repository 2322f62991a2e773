//! SARIF as the consumers' own validator sees it: the Microsoft SARIF multitool
//! (`@microsoft/sarif-multitool`, installed by `.ci/install-tools`) with the rule kinds of the
//! SARIF specification (`Sarif`), GitHub code scanning (`Gh`, `Ghas`) and Azure DevOps Advanced
//! Security (`GHAzDO`) reports no error and no warning. The GHAzDO kind runs on logs written
//! inside an Azure pipeline (its agent's variables set), the only place that service reads
//! them from; the others on every log.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{external_tool, json_of as json, repo, Bin, Scratch};
use super::{fixture, output_of};

/// The variables an Azure Pipelines agent exports, with the values of a made-up build.
const AZURE: [(&str, &str); 9] = [
    ("TF_BUILD", "True"),
    ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/"),
    ("SYSTEM_TEAMPROJECT", "integrations"),
    ("SYSTEM_DEFINITIONID", "12"),
    ("BUILD_DEFINITIONNAME", "bridgelint"),
    ("SYSTEM_PHASEID", "3a3a3a3a-0000-4000-8000-000000000001"),
    ("SYSTEM_PHASENAME", "Lint"),
    ("BUILD_SOURCEBRANCH", "refs/heads/main"),
    ("BUILD_BUILDID", "345"),
];

fn multitool() -> Option<PathBuf> {
    external_tool(
        "sarif_passes_the_multitool_for_github_and_azure_devops",
        "the SARIF multitool (npm @microsoft/sarif-multitool)",
        "BRIDGELINT_SARIF_MULTITOOL",
        &["node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"],
    )
}

/// `multitool validate --rule-kind KINDS` over `logs`: every error and warning it reports, as
/// `file: RULE message`.
fn complaints(tool: &Path, kinds: &str, logs: &[PathBuf], out: &Path) -> Vec<String> {
    // The tool tries to fetch every URI of a log (its rule SARIF2006, a note): without a network
    // namespace of its own (`unshare -n`, where allowed), each try waits for a time-out.
    let offline = Command::new("unshare")
        .args(["-n", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    let mut command = if offline {
        let mut c = Command::new("unshare");
        c.arg("-n").arg(tool);
        c
    } else {
        Command::new(tool)
    };
    let output = command
        .args([
            "validate",
            "--rule-kind",
            kinds,
            "--log",
            "ForceOverwrite",
            "-o",
        ])
        .arg(out)
        .args(logs)
        .output()
        .expect("the multitool runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.is_file(),
        "the multitool wrote no report (status {:?}):\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&std::fs::read_to_string(out).expect("report"));
    let results = report["runs"][0]["results"].as_array().expect("results");
    results
        .iter()
        // An absent level is `warning` in SARIF.
        .filter(|r| {
            matches!(
                r["level"].as_str().unwrap_or("warning"),
                "error" | "warning"
            )
        })
        .map(|r| {
            let file = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
            format!("{file}: {} {}", r["ruleId"], r["message"]["text"])
        })
        .collect()
}

#[test]
fn sarif_passes_the_multitool_for_github_and_azure_devops() {
    let Some(tool) = multitool() else { return };
    let work = Scratch::bare("multitool");
    let fx = fixture("multitool-fixture", 0);
    let azure = AZURE
        .iter()
        .fold(
            Bin::check().format("sarif").arg("examples/"),
            |b, (k, v)| b.env(k, v),
        )
        .run()
        .linted()
        .stdout;
    assert!(
        json(&azure)["runs"][0]["automationDetails"]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("azuredevops/pipeline/build/acme/")),
        "no Azure automationDetails:\n{azure}"
    );
    // The logs: the examples (custom rules, without a helpUri, and a cross-file finding with a
    // related location), a project with a suppressed finding and a file name to encode.
    let logs = [
        (
            "examples.sarif",
            output_of(repo(), "sarif", &[], "examples/"),
        ),
        ("fixture.sarif", output_of(&fx.dir, "sarif", &[], ".")),
    ]
    .map(|(name, text)| work.write(name, text));
    // A control, to show that the tool reads the logs: the Azure log without `fullName`.
    let mut broken = json(&azure);
    broken["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .expect("driver")
        .remove("fullName");
    let azure = [
        work.write("azure.sarif", azure),
        work.write("control.sarif", broken.to_string()),
    ];

    let mut found = complaints(&tool, "Sarif;Gh;Ghas", &logs, &work.path("v1.sarif"));
    let (control, azure): (Vec<_>, Vec<_>) = complaints(
        &tool,
        "Sarif;Gh;Ghas;GHAzDO",
        &azure,
        &work.path("v2.sarif"),
    )
    .into_iter()
    .partition(|c| c.contains("control.sarif"));
    found.extend(azure);
    assert!(
        found.is_empty(),
        "the SARIF multitool reports errors or warnings:\n{}",
        found.join("\n")
    );
    assert!(
        control.len() == 1 && control[0].contains("GHAzDO1018"),
        "the multitool should reject the log without `fullName` (GHAzDO1018), and only that: {control:?}"
    );
}
