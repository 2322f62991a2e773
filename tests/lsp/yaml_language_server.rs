//! The input schemas as an editor uses them: the real `yaml-language-server --stdio` (npm,
//! installed by `.ci/install-tools`), driven over the protocol with the same client as our own
//! server. The examples name their schema with a `# yaml-language-server: $schema=` modeline;
//! the variants below are opened under a URI in the same folder (text in memory, nothing
//! written), so the modeline resolves to `schemas/` as it does for a user. One document is
//! associated through the `yaml.schemas` setting instead, as the README shows.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::client::uri_of;
use super::*;
use support::{external_tool, repo};

const TEST: &str = "yaml_language_server_completes_and_checks_with_our_schemas";

fn server() -> Option<PathBuf> {
    external_tool(
        TEST,
        "yaml-language-server (npm yaml-language-server)",
        "BRIDGELINT_YAML_LANGUAGE_SERVER",
        &["node_modules/yaml-language-server/bin/yaml-language-server"],
    )
}

/// The client side of a session: answers the server's own requests (yaml-language-server
/// pulls its settings with `workspace/configuration` whenever told they changed).
struct Session {
    c: Client,
    settings: Value,
    next: u64,
}

/// Starts the server, without network when the system allows a network namespace of our own
/// (`unshare -n`): the schema store is disabled and schemas are local files, so nothing may
/// need it.
fn start(script: &Path) -> Session {
    let offline = Command::new("unshare")
        .args(["-n", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    let mut cmd = if offline {
        let mut c = Command::new("unshare");
        c.args(["-n", "node"]);
        c
    } else {
        Command::new("node")
    };
    let child = cmd
        .arg(script)
        .arg("--stdio")
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node starts yaml-language-server");
    // As the README writes it: a path relative to the workspace folder, a glob on the files.
    let settings = json!({
        "validate": true, "completion": true, "hover": true,
        "schemaStore": { "enable": false },
        "schemas": { "./schemas/service-accounts.schema.json": ["by-setting/*.yaml"] },
    });
    let mut s = Session {
        c: Client::of_child(child),
        settings,
        next: 0,
    };
    let root = uri_of(repo());
    let r = s.request(
        "initialize",
        json!({ "processId": null, "rootUri": root,
            "workspaceFolders": [{ "uri": root, "name": "bridgelint" }], "capabilities": {
            "workspace": { "configuration": true },
            "textDocument": { "completion": { "completionItem": { "snippetSupport": false } } },
        } }),
    );
    assert!(r.get("error").is_none(), "{r}");
    s.c.notify("initialized", json!({}));
    let settings = json!({ "settings": { "yaml": s.settings.clone() } });
    s.c.notify("workspace/didChangeConfiguration", settings);
    s
}

impl Session {
    /// The next message that is not a request of the server (those are answered).
    fn recv(&mut self) -> Value {
        loop {
            let m = self.c.recv();
            let (Some(method), Some(id)) = (m["method"].as_str(), m.get("id")) else {
                return m;
            };
            let result = match method {
                "workspace/configuration" => {
                    let items = m["params"]["items"].as_array().map_or(0, Vec::len);
                    let answers: Vec<Value> = (0..items)
                        .map(|i| match m["params"]["items"][i]["section"].as_str() {
                            Some("yaml") => self.settings.clone(),
                            _ => json!({}),
                        })
                        .collect();
                    json!(answers)
                }
                _ => json!(null),
            };
            let id = id.clone();
            self.c
                .send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = json!(format!("t{}", self.next));
        self.c
            .send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.recv();
            if m.get("method").is_none() && m["id"] == id {
                return m;
            }
            self.c.backlog.push(m);
        }
    }

    /// Opens `uri` with `text` and returns the diagnostics the server publishes for it.
    fn diagnostics(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.c.open(uri, text);
        loop {
            if let Some(i) = self.c.backlog.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            }) {
                let m = self.c.backlog.remove(i);
                return m["params"]["diagnostics"]
                    .as_array()
                    .expect("a list")
                    .clone();
            }
            let m = self.recv();
            self.c.backlog.push(m);
        }
    }

    /// The labels the server offers at `line`, `character` of the open document `uri`.
    fn completion(&mut self, uri: &str, line: usize, character: usize) -> Vec<String> {
        let r = self.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        let result = &r["result"];
        let items = result.get("items").unwrap_or(result);
        items
            .as_array()
            .unwrap_or_else(|| panic!("completion at {line}:{character}: {r}"))
            .iter()
            .map(|i| i["label"].as_str().expect("a label").to_string())
            .collect()
    }
}

/// The line number (from 0) of the first line of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?}"))
}

/// A document at `examples/FOLDER/NAME` (not written: opened with its text).
fn uri_in(folder: &str, name: &str) -> String {
    uri_of(&repo().join("examples").join(folder).join(name))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).expect("example")
}

#[test]
fn yaml_language_server_completes_and_checks_with_our_schemas() {
    let Some(script) = server() else {
        return;
    };
    let mut c = start(&script);
    examples_have_no_schema_diagnostics(&mut c);
    impossible_date_is_a_diagnostic(&mut c);
    system_completion_offers_the_catalog(&mut c);
    credential_fields_follow_the_type(&mut c);
    assert_eq!(c.c.finish(), 0);
}

fn examples_have_no_schema_diagnostics(c: &mut Session) {
    let files = [
        "examples/integrations/jira-ado-data-prod.yaml",
        "examples/integrations/jira-ado-platform-prod.yaml",
        "examples/integrations/github-jira-docs-prod.yaml",
        "examples/integrations/gitlab-jira-mobile-prod.yaml",
        "examples/integrations/servicenow-jira-itsupport-prod.yaml",
        "examples/accounts/service-accounts.yaml",
    ];
    for file in files {
        let text = read(file);
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{file}"
        );
        let d = c.diagnostics(&uri_of(&repo().join(file)), &text);
        assert!(d.is_empty(), "{file}: {d:#?}");
    }
    // The `yaml.schemas` setting, without a modeline.
    let text = read("examples/accounts/service-accounts.yaml");
    let body = text.split_once('\n').expect("lines").1;
    let uri = uri_in("by-setting", "accounts.yaml");
    assert!(c.diagnostics(&uri, body).is_empty(), "{uri}");
    let broken = body.replacen("accounts:", "acounts:", 1);
    let uri = uri_in("by-setting", "broken.yaml");
    let d = c.diagnostics(&uri, &broken);
    assert!(!d.is_empty(), "the setting associated no schema");
}

fn impossible_date_is_a_diagnostic(c: &mut Session) {
    let text = read("examples/integrations/jira-ado-data-prod.yaml");
    let broken = text.replacen("expires: 2027-11-15", "expires: 2027-02-30", 1);
    assert_ne!(broken, text);
    let line = line_of(&broken, "expires: 2027-02-30");
    let d = c.diagnostics(&uri_in("integrations", "bad-date.yaml"), &broken);
    assert!(
        d.iter().any(|d| d["range"]["start"]["line"] == line),
        "no diagnostic on line {line}: {d:#?}"
    );
}

fn system_completion_offers_the_catalog(c: &mut Session) {
    let text = read("examples/integrations/jira-ado-data-prod.yaml");
    let edited = text.replacen("system: jira-cloud", "system: ", 1);
    let uri = uri_in("integrations", "system.yaml");
    c.diagnostics(&uri, &edited);
    let line = line_of(&edited, "system: ");
    let character = edited.lines().nth(line).unwrap().len();
    let labels = c.completion(&uri, line, character);
    for id in ["jira-cloud", "azure-devops", "github"] {
        assert!(labels.iter().any(|l| l == id), "{id} not in {labels:?}");
    }
}

/// Completion on a new line of a credential mapping: `private_key` only for `app-installation`,
/// `secret` for every other type.
fn credential_fields_follow_the_type(c: &mut Session) {
    let text = read("examples/integrations/jira-ado-data-prod.yaml");
    let at = "      type: api-token\n";
    assert!(text.contains(at));
    for (ty, offered, not_offered) in [
        ("api-token", "client_id", "private_key"),
        ("app-installation", "private_key", "secret"),
    ] {
        // The credential holds only its type and the new line being typed.
        let credential_start = text.find(at).unwrap();
        let rest = &text[credential_start + at.len()..];
        let end = rest.find("  ado:\n").expect("the next connection");
        let edited = format!(
            "{}      type: {ty}\n      \n{}",
            &text[..credential_start],
            &rest[end..]
        );
        let uri = uri_in("integrations", &format!("credential-{ty}.yaml"));
        c.diagnostics(&uri, &edited);
        let line = line_of(&edited, &format!("type: {ty}")) + 1;
        let labels = c.completion(&uri, line, 6);
        assert!(
            labels.iter().any(|l| l == offered),
            "{ty}: {offered} not in {labels:?}"
        );
        assert!(
            !labels.iter().any(|l| l == not_offered),
            "{ty}: {not_offered} offered: {labels:?}"
        );
    }
}
