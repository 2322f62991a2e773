//! End to end with a real editor: headless Neovim (Debian's `neovim`, installed by
//! `.ci/install-tools`) opens an example file with its built-in LSP client and receives the
//! diagnostics `check` reports for that file.

use std::process::Command;

use super::*;
use support::{external_tool, repo};

#[test]
fn neovim_receives_the_diagnostics_check_reports() {
    let Some(nvim) = external_tool(
        "neovim_receives_the_diagnostics_check_reports",
        "Neovim (Debian's neovim)",
        "BRIDGELINT_NVIM",
        &["/usr/bin/nvim"],
    ) else {
        return;
    };
    let examples = repo().join("examples");
    let file = examples.join("integrations/jira-ado-data-prod.yaml");
    let check = support::Bin::check().format("json").arg("examples").run();
    let mut expected: Vec<String> = support::diagnostics(&check.json())
        .iter()
        .filter(|d| d["path"] == "examples/integrations/jira-ado-data-prod.yaml")
        .map(|d| {
            let (line, col) = (
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
            );
            format!(
                "{}:{}:{}:bridgelint",
                line - 1,
                col - 1,
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    let s = Scratch::bare("lsp-nvim");
    let out = s.path("diagnostics.txt");
    // Under `timeout`: a client that never quits must not hang the suite.
    let status = Command::new("timeout")
        .arg("60")
        .arg(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            repo().join("tests/lsp/neovim.lua").display()
        ))
        .env("BRIDGELINT_NVIM_FILE", &file)
        .env("BRIDGELINT_NVIM_OUT", &out)
        .env("BRIDGELINT_EXE", env!("CARGO_BIN_EXE_bridgelint"))
        .env("BRIDGELINT_NOW", NOW)
        .env("BRIDGELINT_ROOT", &examples)
        .env("HOME", &s.dir)
        .stdin(std::process::Stdio::null())
        .status()
        .expect("nvim starts");
    assert!(status.success(), "nvim: {status}");
    let got = std::fs::read_to_string(&out).expect("nvim wrote the diagnostics");
    let mut got: Vec<String> = got.lines().map(str::to_string).collect();
    got.sort();
    assert_eq!(got, expected);
}
