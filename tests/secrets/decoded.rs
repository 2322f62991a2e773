//! Secrets that only meaning reveals (issue 20, item 1): tokens written with escapes or folded
//! lines, used as keys, connection ids, tags, anchors and aliases, hidden in the second
//! occurrence of a duplicate key, or long numbers. Each case runs through every `check` format
//! (plain and `--verbose`), every `inventory` format and `--write-baseline`, and no output may
//! hold the token or any 12-character window of it past its public prefix.

use super::detect::Needles;
use super::kit::{Kit, Secret};
use super::support::{Scratch, INVENTORY_FORMATS};

pub const HEAD: &str = "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: { name: dec, owner: team-platform, environment: prod }\n";
/// A connection body (after its id line).
pub const BODY: &str = "    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n";
const TAIL: &str = "  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential:\n      type: personal-access-token\n      secret: env:ADO_PAT\nflows:\n  - { from: jira, to: ado, sync: [create] }\n";
const ACCOUNTS: &str = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n  getint-jira:\n    system: jira-cloud\n    type: service\n    username: svc\n";

/// The token with its first character escaped: YAML `\x67hp_…`, JSON `\u0067hp_…`.
pub fn escaped(s: &Secret, json: bool) -> String {
    let first = s.text.as_bytes()[0];
    let esc = if json {
        format!("\\u{first:04x}")
    } else {
        format!("\\x{first:02x}")
    };
    format!("{esc}{}", &s.text[1..])
}

/// The token folded across two lines with a `\` continuation (a double-quoted YAML scalar).
pub fn folded(s: &Secret) -> String {
    let cut = s.prefix + 10;
    format!("{}\\\n      {}", &s.text[..cut], &s.text[cut..])
}

/// One case: the files, and whether `leaked-secret` must report the token at the scalar
/// (`Some(written form)`: the diagnostic starts where that text starts).
struct Case {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    secret: Secret,
    leaked_at: Option<String>,
}

fn integration(conns: &str) -> String {
    format!("{HEAD}connections:\n{conns}{TAIL}")
}

/// A case on an integration file (`i.yaml` or `i.json`) beside the inventory.
fn add(
    out: &mut Vec<Case>,
    name: &'static str,
    file: &'static str,
    text: String,
    secret: Secret,
    leaked_at: Option<String>,
) {
    out.push(Case {
        name,
        files: vec![(file, text), ("a.yaml", ACCOUNTS.to_string())],
        secret,
        leaked_at,
    })
}

fn cases(kit: &mut Kit) -> Vec<Case> {
    let mut out = Vec::new();
    escape_cases(kit, &mut out);
    key_cases(kit, &mut out);
    hidden_cases(kit, &mut out);
    out
}

/// Escapes and folded lines, in YAML and JSON.
fn escape_cases(kit: &mut Kit, out: &mut Vec<Case>) {
    let t = kit.github("yaml \\x escape", "ghp_");
    let w = format!("\"{}\"", escaped(&t, false));
    add(
        out,
        "yaml \\x escape",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    description: {w}\n")),
        t,
        Some(w),
    );
    let t = kit.glpat("yaml \\u escape in a typed field");
    let w = format!("\"\\u0067{}\"", &t.text[1..]);
    add(
        out,
        "yaml \\u escape in a typed field",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    url: {w}\n")),
        t,
        Some(w),
    );
    let t = kit.github("json \\u escape", "ghs_");
    let w = format!("\"{}\"", escaped(&t, true));
    let json = format!("{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {{\"name\": \"dec\", \"owner\": \"team-platform\", \"description\": {w}}}, \"x\": {{{w}: 1}}}}\n");
    add(
        out,
        "json \\u escape (value and key)",
        "i.json",
        json,
        t,
        Some(w),
    );
    let t = kit.github("json duplicate key", "gho_");
    let w = format!("\"{}\"", escaped(&t, true));
    let json = format!("{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {{\"name\": \"dec\", \"owner\": \"team-platform\", \"description\": \"a\", \"description\": {w}}}}}\n");
    add(out, "json duplicate key", "i.json", json, t, None);
    // No tree: the file does not parse, and the excerpt of its parse-error shows the line.
    let t = kit.github("yaml syntax error", "ghp_");
    let text = format!(
        "{HEAD}connections:\n  jira:\n    description: \"{}\" trailing: x\n",
        escaped(&t, false)
    );
    add(
        out,
        "escaped token on the line of a YAML syntax error",
        "i.yaml",
        text,
        t,
        None,
    );
    let t = kit.glpat("json syntax error");
    let text = format!(
        "{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"d\": \"{}\" x}}\n",
        escaped(&t, true)
    );
    add(
        out,
        "escaped token on the line of a JSON syntax error",
        "i.json",
        text,
        t,
        None,
    );
    let t = kit.github("folded", "ghu_");
    let w = format!("\"{}\"", folded(&t));
    add(
        out,
        "`\\` line continuation",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    description: {w}\n")),
        t,
        Some(w),
    );
}

/// Tokens as keys and connection ids.
fn key_cases(kit: &mut Kit, out: &mut Vec<Case>) {
    let t = kit.github("key", "ghr_");
    add(
        out,
        "token as a mapping key",
        "i.yaml",
        integration(&format!(
            "  jira:\n{BODY}    {}: {{ a: visible-after-the-key }}\n",
            t.text
        )),
        t,
        None,
    );
    // Longer than the 60 characters a message quotes: masking the quote must mask the rest.
    let t = kit.github_pat("long key");
    add(
        out,
        "long token as a mapping key",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    {}: 1\n", t.text)),
        t,
        None,
    );
    let t = kit.github("escaped key", "ghp_");
    let w = format!("\"{}\"", escaped(&t, false));
    add(
        out,
        "escaped token as a key",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    {w}: 1\n")),
        t,
        Some(w),
    );
    let t = kit.github("connection id", "ghp_");
    let w = format!("\"{}\"", escaped(&t, false));
    add(
        out,
        "escaped token as a connection id",
        "i.yaml",
        integration(&format!("  {w}:\n{BODY}")),
        t,
        Some(w),
    );
    let t = kit.glpat("plain connection id");
    add(
        out,
        "token as a connection id",
        "i.yaml",
        integration(&format!("  {}:\n{BODY}", t.text)),
        t,
        None,
    );
}

/// Tags, anchors, duplicates, numbers and the inventory.
fn hidden_cases(kit: &mut Kit, out: &mut Vec<Case>) {
    let t = kit.github("tag", "ghp_");
    add(
        out,
        "token as a tag",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    description: !{} x\n", t.text)),
        t,
        None,
    );
    let t = kit.github("percent tag", "ghp_");
    let w = format!("!{}%5F{}", &t.text[..3], &t.text[4..]);
    add(
        out,
        "percent-escaped tag",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}    description: {w} x\n")),
        t,
        Some(w),
    );
    let t = kit.github("anchor", "ghp_");
    add(
        out,
        "token as an anchor and alias name",
        "i.yaml",
        integration(&format!(
            "  jira:\n{BODY}    description: &{0} x\n    notes: *{0}\n",
            t.text
        )),
        t,
        None,
    );
    let t = kit.github("duplicate", "ghp_");
    let w = format!("\"{}\"", escaped(&t, false));
    add(
        out,
        "escaped token in a duplicated key",
        "i.yaml",
        integration(&format!(
            "  jira:\n{BODY}    description: x\n    description: {w}\n"
        )),
        t,
        None,
    );
    let t = kit.password("duplicate secret", "Sup3r-Secret-Pa55word!-dup");
    add(
        out,
        "literal secret under a duplicate key",
        "i.yaml",
        integration(&format!("  jira:\n{BODY}      secret: \"{}\"\n", t.text)),
        t,
        None,
    );
    let t = kit.password(
        "long number",
        "9182736455463728191827364554637281918273645546372819",
    );
    add(
        out,
        "long numeric secret",
        "i.yaml",
        integration(&format!(
            "  jira:\n{}      secret: {}\n",
            BODY.replace("      secret: env:X\n", ""),
            t.text
        )),
        t,
        None,
    );
    let t = kit.github("inventory", "ghp_");
    let accounts = format!("{ACCOUNTS}    purpose: \"{}\"\n", escaped(&t, false));
    out.push(Case {
        name: "escaped token in an inventory purpose",
        files: vec![
            ("i.yaml", integration(&format!("  jira:\n{BODY}"))),
            ("a.yaml", accounts),
        ],
        secret: t,
        leaked_at: None,
    });
}

/// Every output of one project: check in every format (plain, `--verbose`), inventory in
/// every format, the baseline file and what writing it prints.
fn outputs(s: &Scratch) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = super::check_every_format(s, &[&[], &["--verbose"]])
        .into_iter()
        .map(|(label, r)| {
            (
                format!("check {label}"),
                format!("{}\n{}", r.stdout, r.stderr),
            )
        })
        .collect();
    for f in INVENTORY_FORMATS {
        let r = s.inventory().format(f).arg(".").run();
        out.push((
            format!("inventory {f}"),
            format!("{}\n{}", r.stdout, r.stderr),
        ));
    }
    let r = s.check().args(["--write-baseline", "b.json", "."]).run();
    out.push((
        "baseline".into(),
        format!("{}\n{}\n{}", r.stdout, r.stderr, s.read("b.json")),
    ));
    out
}

#[test]
fn decoded_keys_tags_aliases_and_duplicates_print_no_secret() {
    let mut kit = Kit::new();
    let mut failures = Vec::new();
    for case in cases(&mut kit) {
        let s = Scratch::project("decoded");
        for (p, t) in &case.files {
            s.write(p, t);
        }
        let needles = Needles::new(std::slice::from_ref(&case.secret));
        for (label, text) in outputs(&s) {
            for (_, excerpt) in needles.leaks(&text) {
                failures.push(format!("{}: {label}: {excerpt}", case.name));
            }
        }
        if let Some(written) = &case.leaked_at {
            let (path, text) = &case.files[0];
            if let Err(e) = assert_leaked_at(&s, path, text, written) {
                failures.push(format!("{}: {e}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} leaks or misses:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `leaked-secret` reports the decoded token at the scalar (or key) written as `written`.
fn assert_leaked_at(s: &Scratch, path: &str, text: &str, written: &str) -> Result<(), String> {
    let at = text
        .find(written)
        .ok_or("the written form is not in the file")? as u64;
    let r = s
        .check()
        .format("json")
        .args(["--select", "leaked-secret", path])
        .run();
    let report = r.json();
    let found = super::support::diagnostics(&report)
        .iter()
        .any(|d| d["rule"] == "leaked-secret" && d["start"]["offset"] == at);
    if found {
        Ok(())
    } else {
        Err(format!("no leaked-secret at offset {at}:\n{}", r.stdout))
    }
}
