//! Secrets are never printed (ARCHITECTURE.md, "Invariants"; SECURITY.md).
//!
//! The fixtures are generated in a scratch folder: fake credentials of every format
//! `leaked-secret` knows (rules/leaked-secret.yaml), each instance different, planted in
//! `secret` and `private_key` values, in descriptions, in comments, in a URL path and in a
//! ServiceAccounts `purpose`, plus ordinary passwords in `secret` and URLs with a password in
//! their userinfo, in YAML and in JSON. The real binary then runs through every output format
//! and option that prints something (`check` in every format, `--verbose`, `--quiet`, `-o`,
//! `--stdin-filename`, `--write-baseline`; `inventory` in every format; `explain`), and no
//! output, error output or written file may hold any secret: neither the whole text nor any
//! 12-character window of it past its fixed, non-secret prefix (`ghp_`, `ATATT3`, the PEM
//! header...). A partial leak is a leak.
//!
//! So that the test cannot pass by printing nothing, the `json` run must hold a
//! `plaintext-secret`, `leaked-secret` or `insecure-url` diagnostic at every planted value, and
//! every other format must name those rules.
//!
//! Leaks that are known product bugs are listed in [`KNOWN_LEAKS`] (each with an ignored test
//! below that reproduces it on a minimal input); the main test tolerates exactly those and
//! nothing else.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

mod support;
use support::Scratch;

/// Today for every time-based rule.
const NOW: &str = "2026-11-27";
/// The length of the windows searched for in the output.
const WINDOW: usize = 12;
// ------------------------------------------------------------------------------------ harness

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the real binary in `dir` (`support::run_with`: fails the test on a hang or a panic);
/// a run ended by a signal fails it too.
fn bridgelint(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let r = support::run_with(
        args,
        dir,
        support::RunOpts {
            stdin: stdin.map(str::as_bytes),
            ..support::RunOpts::default()
        },
    );
    let code = r
        .code
        .unwrap_or_else(|| panic!("bridgelint {args:?} was killed by a signal:\n{}", r.stderr));
    Run {
        code,
        stdout: r.stdout,
        stderr: r.stderr,
    }
}

// ---------------------------------------------------------------- fake credentials

/// xorshift64*: every run plants the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A planted secret.
#[derive(Clone, Debug)]
struct Secret {
    /// Where and what it is, for messages (`yaml comment github-token`).
    label: String,
    /// Its canonical text (a PEM block's lines joined by `\n`).
    text: String,
    /// Bytes of `text` that are a fixed, public prefix (`ghp_`), not part of the secret.
    prefix: usize,
}

impl Secret {
    /// The texts that must never be printed: each secret line past the prefix (PEM armour
    /// lines are public) and, for a one-line secret, the whole text.
    fn needles(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.text.contains('\n') {
            out.push(self.text.clone());
        }
        for line in self.text[self.prefix..].lines() {
            let line = line.trim();
            if !line.starts_with("-----") && !line.is_empty() {
                out.push(line.to_string());
            }
        }
        out
    }

    fn lines(&self) -> std::str::Lines<'_> {
        self.text.lines()
    }
}

/// Makes every fake credential, each different, and remembers them all.
struct Kit {
    rng: Rng,
    all: Vec<Secret>,
}

impl Kit {
    fn new() -> Kit {
        Kit {
            rng: Rng(0x5eed_0f5e_c2e7),
            all: Vec::new(),
        }
    }

    fn keep(&mut self, label: &str, prefix: &str, rest: String) -> Secret {
        let s = Secret {
            label: label.to_string(),
            text: format!("{prefix}{rest}"),
            prefix: prefix.len(),
        };
        self.all.push(s.clone());
        s
    }

    /// A literal password (no credential format).
    fn password(&mut self, label: &str, text: &str) -> Secret {
        self.keep(label, "", text.to_string())
    }

    fn atlassian(&mut self, label: &str) -> Secret {
        let rest = self.rng.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=",
            186,
        );
        self.keep(label, "ATATT3", rest)
    }

    fn github(&mut self, label: &str, prefix: &str) -> Secret {
        let rest = self.rng.chars(ALNUM, 36);
        self.keep(label, prefix, rest)
    }

    fn github_pat(&mut self, label: &str) -> Secret {
        let rest = self.rng.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_",
            82,
        );
        self.keep(label, "github_pat_", rest)
    }

    fn glpat(&mut self, label: &str) -> Secret {
        let rest = self.rng.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
            20,
        );
        self.keep(label, "glpat-", rest)
    }

    fn slack_bot(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}-{}-{}",
            self.rng.chars(DIGITS, 12),
            self.rng.chars(DIGITS, 13),
            self.rng.chars(ALNUM, 24)
        );
        self.keep(label, "xoxb-", rest)
    }

    fn slack_user(&mut self, label: &str, prefix: &str) -> Secret {
        let rest = format!(
            "{}-{}-{}-{}",
            self.rng.chars(DIGITS, 12),
            self.rng.chars(DIGITS, 12),
            self.rng.chars(DIGITS, 12),
            self.rng.chars(HEX, 32)
        );
        self.keep(label, prefix, rest)
    }

    fn azure_devops(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}AZDO{}",
            self.rng.chars(ALNUM, 76),
            self.rng.chars(ALNUM, 4)
        );
        self.keep(label, "", rest)
    }

    fn hubspot(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}-{}-{}-{}-{}",
            self.rng.chars(HEX, 8),
            self.rng.chars(HEX, 4),
            self.rng.chars(HEX, 4),
            self.rng.chars(HEX, 4),
            self.rng.chars(HEX, 12)
        );
        self.keep(label, "pat-na1-", rest)
    }

    fn jwt(&mut self, label: &str) -> Secret {
        let rest = format!(
            "{}.eyJ{}.{}",
            self.rng.chars(ALNUM, 33),
            self.rng.chars(ALNUM, 45),
            self.rng.chars(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                43
            )
        );
        self.keep(label, "eyJ", rest)
    }

    fn private_key(&mut self, label: &str) -> Secret {
        let body: Vec<String> = (0..3).map(|_| self.rng.chars(BASE64, 64)).collect();
        let rest = format!("\n{}\n-----END RSA PRIVATE KEY-----", body.join("\n"));
        self.keep(label, "-----BEGIN RSA PRIVATE KEY-----", rest)
    }

    /// One of every format `leaked-secret` knows.
    fn every_format(&mut self, place: &str) -> Vec<Secret> {
        let l = |what: &str| format!("{place} {what}");
        vec![
            self.atlassian(&l("atlassian-api-token")),
            self.github(&l("github-token ghp_"), "ghp_"),
            self.github(&l("github-token gho_"), "gho_"),
            self.github(&l("github-token ghu_"), "ghu_"),
            self.github(&l("github-token ghs_"), "ghs_"),
            self.github(&l("github-token ghr_"), "ghr_"),
            self.github_pat(&l("github-fine-grained-token")),
            self.glpat(&l("gitlab-personal-access-token")),
            self.slack_bot(&l("slack-bot-token")),
            self.slack_user(&l("slack-user-token xoxp-"), "xoxp-"),
            self.slack_user(&l("slack-user-token xoxe-"), "xoxe-"),
            self.azure_devops(&l("azure-devops-personal-access-token")),
            self.hubspot(&l("hubspot-private-app-token")),
            self.jwt(&l("json-web-token")),
            self.private_key(&l("private-key")),
        ]
    }
}

// ------------------------------------------------------------------------ leak detection

/// Every needle and every window of one, mapped to the secret it belongs to.
struct Needles {
    secrets: Vec<Secret>,
    windows: HashMap<Vec<u8>, usize>,
    whole: Vec<(String, usize)>,
}

impl Needles {
    fn new(secrets: &[Secret]) -> Needles {
        let mut windows = HashMap::new();
        let mut whole = Vec::new();
        for (i, s) in secrets.iter().enumerate() {
            for n in s.needles() {
                assert!(
                    n.len() >= WINDOW,
                    "{}: needle shorter than a window",
                    s.label
                );
                for w in n.as_bytes().windows(WINDOW) {
                    windows.entry(w.to_vec()).or_insert(i);
                }
                whole.push((n, i));
            }
        }
        Needles {
            secrets: secrets.to_vec(),
            windows,
            whole,
        }
    }

    /// The secrets that `text` reveals, with the offending excerpt.
    fn leaks(&self, text: &str) -> Vec<(usize, String)> {
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (n, i) in &self.whole {
            if let Some(at) = text.find(n.as_str()) {
                if seen.insert(*i) {
                    found.push((*i, context(text, at, n.len())));
                }
            }
        }
        let bytes = text.as_bytes();
        if bytes.len() >= WINDOW {
            for at in 0..=bytes.len() - WINDOW {
                if let Some(i) = self.windows.get(&bytes[at..at + WINDOW]) {
                    if seen.insert(*i) {
                        found.push((*i, context(text, at, WINDOW)));
                    }
                }
            }
        }
        found
    }
}

/// The line around a match, for the failure message.
fn context(text: &str, at: usize, len: usize) -> String {
    let b = text.as_bytes();
    let start = b[..at]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |p| p + 1);
    let end = b[at + len..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(b.len(), |p| at + len + p);
    String::from_utf8_lossy(&b[start..end]).into_owned()
}

/// The text without terminal escape sequences (CSI `ESC [ ... final` and OSC `ESC ] ... BEL`
/// or `ESC \`), so that colour codes cannot split a secret past the search.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A leak that a known product bug causes: the secret's label contains `secret`, the output's
/// label contains `output`; `test` is the ignored test that reproduces it.
struct KnownLeak {
    secret: &'static str,
    output: &'static str,
    test: &'static str,
}

/// Known product bugs (reproduced by the ignored tests named here). Remove an entry when its
/// bug is fixed.
const KNOWN_LEAKS: &[KnownLeak] = &[];

/// Every output of a matrix of runs, by label.
struct Outputs {
    items: Vec<(String, String)>,
}

impl Outputs {
    fn new() -> Outputs {
        Outputs { items: Vec::new() }
    }

    fn add(&mut self, label: impl Into<String>, text: impl Into<String>) {
        self.items.push((label.into(), text.into()));
    }

    fn run(&mut self, label: &str, run: &Run) {
        self.add(format!("{label} [stdout]"), run.stdout.clone());
        self.add(format!("{label} [stderr]"), run.stderr.clone());
    }

    /// Every leak as `output: secret: excerpt`, split into (known, unknown).
    fn leaks(&self, needles: &Needles) -> (Vec<String>, Vec<String>) {
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for (label, text) in &self.items {
            let mut found = needles.leaks(text);
            let plain = strip_ansi(text);
            if plain != *text {
                for l in needles.leaks(&plain) {
                    if !found.iter().any(|(i, _)| *i == l.0) {
                        found.push(l);
                    }
                }
            }
            for (i, excerpt) in found {
                let secret = &needles.secrets[i].label;
                let line = format!("{label}: {secret}: {excerpt}");
                let is_known = KNOWN_LEAKS
                    .iter()
                    .any(|k| secret.contains(k.secret) && label.contains(k.output));
                if is_known {
                    known.push(line);
                } else {
                    unknown.push(line);
                }
            }
        }
        (known, unknown)
    }
}

// ------------------------------------------------------------------------------ fixtures

/// A diagnostic the `json` run must hold.
#[derive(Debug)]
struct Expect {
    path: &'static str,
    rule: &'static str,
    /// The byte offset where the planted text starts.
    offset: usize,
    /// Whether the diagnostic starts exactly there (else: on the same line).
    exact: bool,
    label: String,
}

/// A file being written, with the diagnostics its planted values must raise.
struct Doc {
    path: &'static str,
    text: String,
    expect: Vec<Expect>,
}

impl Doc {
    fn new(path: &'static str) -> Doc {
        Doc {
            path,
            text: String::new(),
            expect: Vec::new(),
        }
    }

    fn push(&mut self, s: &str) -> &mut Doc {
        self.text.push_str(s);
        self
    }

    /// The next text pushed must raise `rule` (exactly at its start, or on its line).
    fn mark(&mut self, rule: &'static str, exact: bool, label: &str) -> &mut Doc {
        self.expect.push(Expect {
            path: self.path,
            rule,
            offset: self.text.len(),
            exact,
            label: label.to_string(),
        });
        self
    }

    /// A YAML comment line per line of the secret, at `indent`.
    fn comment(&mut self, indent: &str, s: &Secret) {
        self.push(indent).push("# pasted: ");
        self.mark("leaked-secret", true, &s.label);
        for (i, line) in s.lines().enumerate() {
            if i > 0 {
                self.push(indent).push("# ");
            }
            self.push(line).push("\n");
        }
    }

    fn line_of(&self, offset: usize) -> u64 {
        1 + self.text[..offset].matches('\n').count() as u64
    }
}

/// The fixture repository: a YAML and a JSON integration and the inventory of their accounts.
struct Fixture {
    scratch: Scratch,
    docs: Vec<Doc>,
    secrets: Vec<Secret>,
}

const ACCOUNTS: [(&str, &str); 6] = [
    ("getint-jira", "jira-cloud"),
    ("getint-github", "github"),
    ("getint-gitlab", "gitlab"),
    ("getint-ado", "azure-devops"),
    ("getint-servicenow", "servicenow"),
    ("getint-hubspot", "hubspot"),
];

/// A YAML connection whose `secret` is a planted literal.
fn yaml_connection(doc: &mut Doc, id: &str, system: &str, url: &str, kind: &str, s: &Secret) {
    doc.push(&format!(
        "  {id}:\n    system: {system}\n    url: {url}\n    account: getint-{}\n    credential:\n      type: {kind}\n      secret: ",
        account_of(system)
    ));
    doc.mark("plaintext-secret", false, &s.label);
    if s.text.contains(['!', ':', '#']) {
        doc.push(&format!("\"{}\"\n", s.text));
    } else {
        doc.push(&format!("{}\n", s.text));
    }
    doc.push("      expires: 2027-06-30\n      rotation: { interval_days: 90, last_rotated: 2026-11-01 }\n");
}

fn account_of(system: &str) -> &'static str {
    match system {
        "jira-cloud" => "jira",
        "github" => "github",
        "gitlab" => "gitlab",
        "azure-devops" => "ado",
        "servicenow" => "servicenow",
        _ => "hubspot",
    }
}

fn yaml_integration(kit: &mut Kit) -> Doc {
    let mut d = Doc::new("integrations/secrets.yaml");
    d.push("# Credentials pasted into comments (fake values, generated by tests/secrets.rs):\n");
    for s in kit.every_format("yaml comment") {
        d.comment("", &s);
    }
    d.push("apiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: secrets-yaml\n  owner: team-platform\n  environment: prod\n  description: |\n    Mirrors everything. Pasted by mistake:\n");
    for s in kit.every_format("yaml description") {
        d.push("    ");
        d.mark("leaked-secret", true, &s.label);
        for (i, line) in s.lines().enumerate() {
            if i > 0 {
                d.push("    ");
            }
            d.push(line).push("\n");
        }
    }
    d.push("connections:\n");

    // Jira: a password in the URL's userinfo and an Atlassian token in `secret`.
    let userinfo = kit.password("yaml url userinfo password", "Hunter2-Hunter2");
    let atlassian = kit.atlassian("yaml secret atlassian-api-token");
    d.push("  jira:\n    system: jira-cloud\n    url: ");
    d.mark("insecure-url", false, &userinfo.label);
    d.push(&format!(
        "https://svc:{}@acme.atlassian.net\n",
        userinfo.text
    ));
    d.push("    account: getint-jira\n    credential:\n      type: api-token\n      secret: ");
    d.mark("plaintext-secret", false, &atlassian.label);
    d.push(&format!("{}\n", atlassian.text));
    d.push("      expires: 2027-06-30\n      rotation: { interval_days: 90, last_rotated: 2026-11-01 }\n");
    d.push("    # the old one was kept here too:\n");
    let old = kit.github("yaml connection comment github-token", "ghp_");
    d.comment("    ", &old);

    // GitHub: an app's private key in clear.
    let key = kit.private_key("yaml private_key private-key");
    d.push("  github:\n    system: github\n    url: https://github.com/acme/web\n    account: getint-github\n    credential:\n      type: app-installation\n      private_key: ");
    d.mark("plaintext-secret", false, &key.label);
    d.push("|\n");
    for line in key.lines() {
        d.push("        ").push(line).push("\n");
    }

    // GitLab: a token in the URL path (over http) and another in `secret`.
    let in_path = kit.glpat("yaml url path gitlab-personal-access-token");
    d.push("  gitlab:\n    system: gitlab\n    url: ");
    d.mark("insecure-url", false, &in_path.label);
    d.push("http://gitlab.acme.example/api/v4/");
    d.mark("leaked-secret", true, &in_path.label);
    d.push(&format!("{}/issues\n", in_path.text));
    d.push("    account: getint-gitlab\n    credential:\n      type: personal-access-token\n      secret: ");
    let gl = kit.glpat("yaml secret gitlab-personal-access-token");
    d.mark("plaintext-secret", false, &gl.label);
    d.push(&format!("{}\n", gl.text));
    d.push("      scopes: [api]\n      expires: 2027-06-30\n      rotation: { interval_days: 90, last_rotated: 2026-11-01 }\n");

    let ado = kit.azure_devops("yaml secret azure-devops-personal-access-token");
    yaml_connection(
        &mut d,
        "ado",
        "azure-devops",
        "https://dev.azure.com/acme",
        "personal-access-token",
        &ado,
    );
    let password = kit.password("yaml secret password", "Sup3r-Secret-Pa55word!");
    yaml_connection(
        &mut d,
        "servicenow",
        "servicenow",
        "https://acme.service-now.com",
        "password",
        &password,
    );
    let hubspot = kit.hubspot("yaml secret hubspot-private-app-token");
    yaml_connection(
        &mut d,
        "hubspot",
        "hubspot",
        "https://api.hubapi.com",
        "private-app-token",
        &hubspot,
    );
    d.push("flows:\n  - { from: jira, to: github, sync: [create, update] }\n  - { from: gitlab, to: jira, sync: [comments] }\n  - { from: servicenow, to: ado, sync: [create] }\n  - { from: hubspot, to: jira, sync: [create] }\n");
    d
}

/// A JSON string holding `s` (PEM line breaks escaped); marks it.
fn json_secret(d: &mut Doc, rule: &'static str, exact: bool, s: &Secret) {
    d.push("\"");
    d.mark(rule, exact, &s.label);
    d.push(&s.text.replace('\n', "\\n")).push("\"");
}

fn json_integration(kit: &mut Kit) -> Doc {
    let mut d = Doc::new("integrations/secrets.json");
    d.push("{\n  \"apiVersion\": \"bridgelint/v1\",\n  \"kind\": \"Integration\",\n  \"metadata\": {\n    \"name\": \"secrets-json\",\n    \"owner\": \"team-platform\",\n    \"environment\": \"prod\",\n    \"description\": \"Mirrors everything. Pasted by mistake:");
    for s in kit.every_format("json description") {
        d.push(" ");
        d.mark("leaked-secret", true, &s.label);
        d.push(&s.text.replace('\n', "\\n"));
    }
    d.push("\"\n  },\n  \"connections\": {\n");

    let conn = |d: &mut Doc, id: &str, system: &str, url: &str, kind: &str| {
        d.push(&format!(
            "    \"{id}\": {{\n      \"system\": \"{system}\",\n      \"url\": \"{url}\",\n      \"account\": \"getint-{}\",\n      \"credential\": {{\n        \"type\": \"{kind}\",\n        \"expires\": \"2027-06-30\",\n        \"rotation\": {{ \"interval_days\": 90, \"last_rotated\": \"2026-11-01\" }},\n",
            account_of(system)
        ));
    };
    // Jira: a password in the userinfo, another in `secret`.
    let userinfo = kit.password("json url userinfo password", "Hunter3-Hunter3");
    d.push("    \"jira\": {\n      \"system\": \"jira-cloud\",\n      \"url\": ");
    d.push("\"");
    d.mark("insecure-url", false, &userinfo.label);
    d.push(&format!(
        "https://bot:{}@acme.atlassian.net\",\n",
        userinfo.text
    ));
    d.push("      \"account\": \"getint-jira\",\n      \"credential\": {\n        \"type\": \"api-token\",\n        \"expires\": \"2027-06-30\",\n        \"rotation\": { \"interval_days\": 90, \"last_rotated\": \"2026-11-01\" },\n        \"secret\": ");
    let pw = kit.password("json secret password", "Correct-Horse-Battery-9");
    json_secret(&mut d, "plaintext-secret", false, &pw);
    d.push("\n      }\n    },\n");

    // GitHub: a classic token in `secret`.
    conn(
        &mut d,
        "github",
        "github",
        "https://github.com/acme/web",
        "personal-access-token",
    );
    d.push("        \"scopes\": [\"repo\"],\n        \"secret\": ");
    let ghs = kit.github("json secret github-token ghs_", "ghs_");
    json_secret(&mut d, "plaintext-secret", false, &ghs);
    d.push("\n      }\n    },\n");

    // GitLab: a GitHub user token in the URL path, a fine-grained token in `secret`.
    let in_path = kit.github("json url path github-token ghu_", "ghu_");
    d.push("    \"gitlab\": {\n      \"system\": \"gitlab\",\n      \"url\": \"");
    d.mark("insecure-url", false, &in_path.label);
    d.push("http://gitlab.acme.example/");
    d.mark("leaked-secret", true, &in_path.label);
    d.push(&in_path.text).push("/api\",\n");
    d.push("      \"account\": \"getint-gitlab\",\n      \"credential\": {\n        \"type\": \"personal-access-token\",\n        \"scopes\": [\"api\"],\n        \"expires\": \"2027-06-30\",\n        \"rotation\": { \"interval_days\": 90, \"last_rotated\": \"2026-11-01\" },\n        \"secret\": ");
    let fine = kit.github_pat("json secret github-fine-grained-token");
    json_secret(&mut d, "plaintext-secret", false, &fine);
    d.push("\n      }\n    },\n");

    // Azure DevOps: a Slack user token in `secret` (wrong system, still a secret).
    conn(
        &mut d,
        "ado",
        "azure-devops",
        "https://dev.azure.com/acme",
        "personal-access-token",
    );
    d.push("        \"secret\": ");
    let xoxp = kit.slack_user("json secret slack-user-token xoxp-", "xoxp-");
    json_secret(&mut d, "plaintext-secret", false, &xoxp);
    d.push("\n      }\n    },\n");

    // ServiceNow: OAuth client credentials whose secret is a JWT.
    conn(
        &mut d,
        "servicenow",
        "servicenow",
        "https://acme.service-now.com",
        "oauth-client-credentials",
    );
    d.push("        \"client_id\": \"getint-sync\",\n        \"secret\": ");
    let jwt = kit.jwt("json secret json-web-token");
    json_secret(&mut d, "plaintext-secret", false, &jwt);
    d.push("\n      }\n    },\n");

    // HubSpot: a Slack bot token in `secret` and an app key in `private_key`.
    conn(
        &mut d,
        "hubspot",
        "hubspot",
        "https://api.hubapi.com",
        "private-app-token",
    );
    d.push("        \"secret\": ");
    let xoxb = kit.slack_bot("json secret slack-bot-token");
    json_secret(&mut d, "plaintext-secret", false, &xoxb);
    d.push(",\n        \"private_key\": ");
    let key = kit.private_key("json private_key private-key");
    json_secret(&mut d, "plaintext-secret", false, &key);
    d.push("\n      }\n    }\n  },\n");
    d.push("  \"flows\": [\n    { \"from\": \"jira\", \"to\": \"github\", \"sync\": [\"create\"] },\n    { \"from\": \"gitlab\", \"to\": \"jira\", \"sync\": [\"comments\"] },\n    { \"from\": \"servicenow\", \"to\": \"ado\", \"sync\": [\"create\"] },\n    { \"from\": \"hubspot\", \"to\": \"jira\", \"sync\": [\"create\"] }\n  ]\n}\n");
    d
}

fn inventory_doc(kit: &mut Kit) -> Doc {
    let mut d = Doc::new("accounts/service-accounts.yaml");
    d.push("apiVersion: bridgelint/v1\nkind: ServiceAccounts\nmetadata:\n  owner: team-platform\naccounts:\n");
    for (id, system) in ACCOUNTS {
        d.push(&format!(
            "  {id}:\n    system: {system}\n    type: service\n    username: {id}@acme.example\n    display_name: Getint {system}\n    owner: team-platform\n    purpose: "
        ));
        match id {
            "getint-jira" => {
                let s = kit.github("yaml purpose github-token ghr_", "ghr_");
                d.push("\"Jira sync; its token was ");
                d.mark("leaked-secret", true, &s.label);
                d.push(&s.text).push(" until rotated\"\n");
            }
            // A copy of the plaintext `secret` of the servicenow connection: the inventory
            // masks copies of literal credential values.
            "getint-servicenow" => {
                d.push("\"ServiceNow sync (password Sup3r-Secret-Pa55word! for now)\"\n");
            }
            _ => {
                d.push(&format!("Mirrors {system} issues\n"));
            }
        }
        d.push("    login: api-only\n    reviewed: 2026-11-01\n    tested: 2026-11-01\n");
    }
    d
}

impl Fixture {
    fn new() -> Fixture {
        let mut kit = Kit::new();
        let docs = vec![
            yaml_integration(&mut kit),
            json_integration(&mut kit),
            inventory_doc(&mut kit),
        ];
        let scratch = Scratch::project("matrix");
        for d in &docs {
            scratch.write(d.path, &d.text);
        }
        Fixture {
            scratch,
            docs,
            secrets: kit.all,
        }
    }

    fn dir(&self) -> &Path {
        &self.scratch.dir
    }

    fn doc(&self, path: &str) -> &Doc {
        self.docs
            .iter()
            .find(|d| d.path == path)
            .expect("a fixture file")
    }
}

/// Checks that every planted value raised its diagnostic in a `json` report.
fn assert_findings_present(fixture: &Fixture, json: &str) {
    let report: Value = serde_json::from_str(json).expect("the json format is JSON");
    let diags = report["diagnostics"].as_array().expect("diagnostics");
    let mut missing = Vec::new();
    for doc in &fixture.docs {
        for e in &doc.expect {
            let line = doc.line_of(e.offset);
            let found = diags.iter().any(|d| {
                d["rule"] == e.rule
                    && d["path"] == e.path
                    && if e.exact {
                        d["start"]["offset"].as_u64() == Some(e.offset as u64)
                    } else {
                        d["start"]["line"].as_u64() == Some(line)
                    }
            });
            if !found {
                missing.push(format!("{} at {}:{line} ({})", e.rule, e.path, e.label));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "planted values raised no diagnostic:\n  {}\n\nreport:\n{json}",
        missing.join("\n  ")
    );
    // Every format `leaked-secret` knows was recognised at least once.
    for name in [
        "atlassian-api-token",
        "github-token ghp_",
        "github-token gho_",
        "github-token ghu_",
        "github-token ghs_",
        "github-token ghr_",
        "github-fine-grained-token",
        "gitlab-personal-access-token",
        "slack-bot-token",
        "slack-user-token xoxp-",
        "slack-user-token xoxe-",
        "azure-devops-personal-access-token",
        "hubspot-private-app-token",
        "json-web-token",
        "private-key",
    ] {
        assert!(
            fixture
                .docs
                .iter()
                .flat_map(|d| &d.expect)
                .any(|e| e.rule == "leaked-secret" && e.label.ends_with(name)),
            "the fixture plants no {name} where leaked-secret looks"
        );
    }
}

const FORMATS: [&str; 6] = ["compact", "json", "sarif", "github", "gitlab", "human"];
const INVENTORY_FORMATS: [&str; 5] = ["table", "markdown", "csv", "json", "html"];
const RULES: [&str; 3] = ["plaintext-secret", "leaked-secret", "insecure-url"];

/// Runs every output path over the fixture and collects what it printed.
fn every_output(fixture: &Fixture) -> Outputs {
    let dir = fixture.dir();
    let mut outs = Outputs::new();
    // check: every format (human in both colour modes), plain, --verbose and --quiet.
    let variants: Vec<(String, Vec<&str>)> = FORMATS
        .iter()
        .flat_map(|f| {
            let colours: &[&str] = if *f == "human" {
                &["always", "never"]
            } else {
                &["never"]
            };
            colours.iter().map(move |c| {
                (
                    format!("{f} --color {c}"),
                    vec!["--format", *f, "--color", *c],
                )
            })
        })
        .collect();
    for (name, args) in &variants {
        for extra in [None, Some("--verbose"), Some("--quiet")] {
            let mut a = vec!["check", "--now", NOW];
            a.extend(args);
            a.extend(extra);
            a.push(".");
            let run = bridgelint(dir, &a, None);
            assert_eq!(
                run.code, 1,
                "check {name} {extra:?} exit status:\n{}",
                run.stderr
            );
            let label = format!("check {name} {}", extra.unwrap_or(""))
                .trim()
                .to_string();
            for rule in RULES {
                assert!(
                    run.stdout.contains(rule),
                    "{label} does not name `{rule}`:\n{}",
                    run.stdout
                );
            }
            if name.starts_with("json") && extra.is_none() {
                assert_findings_present(fixture, &run.stdout);
            }
            outs.run(&label, &run);
        }
    }
    // -o FILE, every format.
    for (name, args) in &variants {
        let file = "report.out";
        let mut a = vec!["check", "--now", NOW];
        a.extend(args);
        a.extend(["-o", file, "."]);
        let run = bridgelint(dir, &a, None);
        assert_eq!(run.code, 1, "check -o {name}:\n{}", run.stderr);
        let written = fixture.scratch.read(file);
        for rule in RULES {
            assert!(written.contains(rule), "-o {name} does not name `{rule}`");
        }
        outs.run(&format!("check -o {name}"), &run);
        outs.add(format!("check -o {name} [file]"), written);
    }
    // --stdin-filename: the buffer on standard input, as each fixture file.
    for path in ["integrations/secrets.yaml", "integrations/secrets.json"] {
        let text = fixture.doc(path).text.clone();
        for (name, args) in &variants {
            let mut a = vec!["check", "--now", NOW, "--stdin-filename", path];
            a.extend(args);
            let run = bridgelint(dir, &a, Some(&text));
            assert_eq!(run.code, 1, "stdin {path} {name}:\n{}", run.stderr);
            assert!(run.stdout.contains("leaked-secret"), "stdin {path} {name}");
            outs.run(&format!("check --stdin-filename {path} {name}"), &run);
        }
    }
    // --write-baseline: the file it writes, and what it prints.
    let run = bridgelint(
        dir,
        &[
            "check",
            "--now",
            NOW,
            "--write-baseline",
            "baseline.json",
            ".",
        ],
        None,
    );
    assert_eq!(run.code, 0, "write-baseline:\n{}", run.stderr);
    let baseline = fixture.scratch.read("baseline.json");
    for rule in RULES {
        assert!(baseline.contains(rule), "the baseline records no `{rule}`");
    }
    outs.run("check --write-baseline", &run);
    outs.add("check --write-baseline [file]", baseline);
    // inventory: every format, plain and --verbose, and -o.
    for f in INVENTORY_FORMATS {
        for extra in [None, Some("--verbose")] {
            let mut a = vec!["inventory", "--now", NOW, "--format", f];
            a.extend(extra);
            a.push(".");
            let run = bridgelint(dir, &a, None);
            assert_eq!(run.code, 0, "inventory {f}:\n{}", run.stderr);
            assert!(
                run.stdout.contains("getint-servicenow") && run.stdout.contains("getint-jira"),
                "inventory {f} lists the accounts:\n{}",
                run.stdout
            );
            assert!(
                run.stdout.contains("****"),
                "inventory {f} masks the purposes that hold secrets:\n{}",
                run.stdout
            );
            outs.run(
                format!("inventory {f} {}", extra.unwrap_or("")).trim(),
                &run,
            );
        }
        let run = bridgelint(
            dir,
            &[
                "inventory",
                "--now",
                NOW,
                "--format",
                f,
                "-o",
                "inv.out",
                ".",
            ],
            None,
        );
        assert_eq!(run.code, 0, "inventory -o {f}:\n{}", run.stderr);
        outs.run(&format!("inventory -o {f}"), &run);
        outs.add(
            format!("inventory -o {f} [file]"),
            fixture.scratch.read("inv.out"),
        );
    }
    // explain: the rules that deal with secrets.
    for rule in RULES {
        let run = bridgelint(dir, &["explain", rule], None);
        assert_eq!(run.code, 0, "explain {rule}");
        outs.run(&format!("explain {rule}"), &run);
    }
    outs
}

// --------------------------------------------------------------------------------- tests

#[test]
fn no_output_prints_a_secret() {
    let fixture = Fixture::new();
    let needles = Needles::new(&fixture.secrets);
    let outs = every_output(&fixture);
    let (known, unknown) = outs.leaks(&needles);
    assert!(
        unknown.is_empty(),
        "{} leaks of secret text:\n{}",
        unknown.len(),
        unknown.join("\n")
    );
    for k in KNOWN_LEAKS {
        let hits: Vec<&String> = known.iter().filter(|l| l.contains(k.secret)).collect();
        match hits.first() {
            Some(first) => eprintln!(
                "known product bug ({}): `{}` leaks in {} outputs, e.g. {}",
                k.test,
                k.secret,
                hits.len(),
                strip_ansi(first)
            ),
            None => eprintln!(
                "note: the known leak of `{}` ({}) no longer happens: remove it from KNOWN_LEAKS",
                k.secret, k.test
            ),
        }
    }
}

/// The masks themselves: a secret is replaced, never shortened into a readable piece.
#[test]
fn the_leak_detector_finds_partial_leaks() {
    let mut kit = Kit::new();
    let s = kit.github("t github-token", "ghp_");
    let needles = Needles::new(std::slice::from_ref(&s));
    assert!(needles.leaks("nothing here; ghp_**** is masked").is_empty());
    let partial = &s.text[10..10 + WINDOW];
    assert_eq!(needles.leaks(&format!("x {partial} y")).len(), 1);
    let coloured = format!("{}\u{1b}[1m{}", &s.text[..20], &s.text[20..]);
    assert_eq!(needles.leaks(&strip_ansi(&coloured)).len(), 1);
    let key = kit.private_key("t key");
    let needles = Needles::new(std::slice::from_ref(&key));
    assert!(needles
        .leaks("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----")
        .is_empty());
    let body = key.text.lines().nth(2).expect("a body line");
    assert_eq!(needles.leaks(&body[30..50]).len(), 1);
}

// --------------------------------------------------------------- known bugs, one per test

/// A one-off project: files, a run, the outputs of every format.
fn outputs_of(files: &[(&str, &str)], extra: &[&str]) -> Vec<(String, String)> {
    let scratch = Scratch::project("bug");
    for (p, t) in files {
        scratch.write(p, t);
    }
    let mut out = Vec::new();
    for f in FORMATS {
        let mut a = vec!["check", "--now", NOW, "--format", f, "--color", "never"];
        a.extend(extra);
        a.push(".");
        let run = bridgelint(&scratch.dir, &a, None);
        out.push((format!("{f} [stdout]"), run.stdout));
        out.push((format!("{f} [stderr]"), run.stderr));
    }
    out
}

fn assert_absent(outputs: &[(String, String)], secret: &str) {
    let leaks: Vec<String> = outputs
        .iter()
        .filter_map(|(label, text)| {
            text.find(secret)
                .map(|at| format!("{label}: {}", context(text, at, secret.len())))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "`{secret}` is printed:\n{}",
        leaks.join("\n")
    );
}

const INTEGRATION_HEAD: &str = "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: { name: bug, owner: team-platform, environment: prod }\n";
const ADO_CONNECTION: &str = "  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential:\n      type: personal-access-token\n      secret: env:ADO_PAT\n";
const FLOW: &str = "flows:\n  - { from: jira, to: ado, sync: [create] }\n";

/// `url: https://svc:Hunter2-Hunter2@jira.example`: the message masks the userinfo, but the
/// human excerpt of the `insecure-url` finding prints the line as written.
#[test]
fn bug_url_userinfo_password_shown_in_human_excerpt() {
    let text = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://svc:Hunter2-Hunter2@jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:JIRA_TOKEN\n{ADO_CONNECTION}{FLOW}");
    let outputs = outputs_of(&[("i.yaml", &text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("insecure-url")));
    assert_absent(&outputs, "Hunter2-Hunter2");
}

/// The `private-key` pattern matches the `-----BEGIN ... PRIVATE KEY-----` line only, so only
/// that is redacted: wherever an excerpt shows the lines after it (a JSON string, where the
/// whole key is one line; a comment inside a flow that a `missing-permission` finding shows
/// as related), the key itself is printed.
#[test]
fn bug_private_key_body_shown_in_human_excerpt() {
    let body = "MIIEowIBAAKCAQEAq7BFUZkGc0iWnT3xJpXa9L1mJqFhQWb2cR5vY8ZpTn4sK1eD";
    let json = format!(
        "{{\"apiVersion\": \"bridgelint/v1\", \"kind\": \"Integration\", \"metadata\": {{\"name\": \"bug\", \"owner\": \"team-platform\", \"description\": \"key: -----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\"}},\n\"connections\": {{\"jira\": {{\"system\": \"jira-cloud\", \"url\": \"https://jira.example\", \"account\": \"getint-jira\", \"credential\": {{\"type\": \"api-token\", \"secret\": \"env:X\"}}}},\n\"ado\": {{\"system\": \"azure-devops\", \"url\": \"https://dev.azure.com/acme\", \"account\": \"getint-ado\", \"credential\": {{\"type\": \"api-token\", \"secret\": \"env:Y\"}}}}}},\n\"flows\": [{{\"from\": \"jira\", \"to\": \"ado\", \"sync\": [\"create\"]}}]}}\n"
    );
    let outputs = outputs_of(&[("i.json", &json)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("leaked-secret")));
    let in_json = outputs.iter().any(|(_, t)| t.contains(&body[..WINDOW]));

    let body2 = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2";
    let accounts = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n  jira-svc:\n    system: jira-cloud\n    type: service\n    username: jira-svc@acme.example\n    display_name: Jira Sync\n    owner: team-platform\n    purpose: sync\n    permissions: [BROWSE_PROJECTS]\n    login: api-only\n    reviewed: 2026-11-01\n    tested: 2026-11-01\n";
    let yaml = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: jira-svc\n    credential:\n      type: api-token\n      secret: env:X\n{ADO_CONNECTION}flows:\n  - from: ado\n    # -----BEGIN OPENSSH PRIVATE KEY-----\n    # {body2}\n    # -----END OPENSSH PRIVATE KEY-----\n    to: jira\n    sync: [create]\n");
    let outputs = outputs_of(&[("i.yaml", &yaml), ("a.yaml", accounts)], &[]);
    assert!(outputs
        .iter()
        .any(|(_, t)| t.contains("missing-permission")));
    let in_yaml = outputs.iter().any(|(_, t)| t.contains(&body2[..WINDOW]));
    assert!(
        !in_json && !in_yaml,
        "the key body is printed: from a JSON description {in_json}, from a YAML comment {in_yaml}"
    );
}

/// `expires: ghp_...` (a token pasted into the wrong field): the schema stage quotes the value
/// in its message (`\`ghp_...\` in \`expires\` ... is not a date`) before the credential scan
/// redacts it, so every format prints the whole token.
#[test]
fn bug_schema_violation_message_quotes_a_token() {
    let token = "ghp_Zr8Qm2Lk5Vx9Tb3Nw7Hc1Yd6Pf4Sg0Ja8KeM";
    let text = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n      expires: {token}\n{ADO_CONNECTION}{FLOW}");
    let outputs = outputs_of(&[("i.yaml", &text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("schema-violation")));
    assert_absent(&outputs, &token[4..4 + WINDOW]);
}

/// A YAML error on the line of a token: the file is not scanned, so nothing is redacted, and
/// the human excerpt of the `parse-error` shows the token.
#[test]
fn bug_parse_error_excerpt_shows_a_token() {
    let token = "glpat-Xq3Vn8Rt2Lm6Kp9Wz1Hd";
    let text = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    credential:\n      secret: \"{token}\" trailing: x\n");
    let outputs = outputs_of(&[("i.yaml", &text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("parse-error")));
    assert_absent(&outputs, &token[6..6 + WINDOW]);
}

/// A `secret` that breaks the schema is not recorded as a redaction (only string values of
/// credentials that were built are), so the `human` excerpt of its `schema-violation` shows
/// it: `secret: 918273645546372819`, `secret: ["..."]`, or a string `secret` under a
/// credential with a custom tag (`credential: !vault`, whose violation spans the mapping).
#[test]
fn bug_secret_that_breaks_the_schema_shown_in_human_excerpt() {
    let text = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: 918273645546372819\n  ado:\n    system: azure-devops\n    url: https://dev.azure.com/acme\n    account: getint-ado\n    credential:\n      type: personal-access-token\n      secret: [\"Sup3r-Secret-Pa55word!\"]\n  gitlab:\n    system: gitlab\n    url: https://gitlab.example\n    account: getint-gitlab\n    credential: !vault\n      type: personal-access-token\n      secret: \"Tagged-Secret-Pa55word\"\n{FLOW}");
    let outputs = outputs_of(&[("i.yaml", &text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("schema-violation")));
    let printed: Vec<&str> = [
        "918273645546372819",
        "Sup3r-Secret-Pa55word!",
        "Tagged-Secret-Pa55word",
    ]
    .into_iter()
    .filter(|s| outputs.iter().any(|(_, t)| t.contains(s)))
    .collect();
    assert!(printed.is_empty(), "printed: {printed:?}");
}

/// The literal `secret` repeated in a comment at the end of a line that has a finding: the
/// inventory masks such copies (src/commands/inventory.rs, `scrub`), the human excerpt does not.
#[test]
fn bug_copy_of_plaintext_secret_shown_in_human_excerpt() {
    let text = format!("{INTEGRATION_HEAD}connections:\n  jira:\n    system: jira-cloud\n    url: http://jira.example  # password: Sup3r-Secret-Pa55word!\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: \"Sup3r-Secret-Pa55word!\"\n{ADO_CONNECTION}{FLOW}");
    let outputs = outputs_of(&[("i.yaml", &text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("insecure-url")));
    assert_absent(&outputs, "Sup3r-Secret-Pa55word!");
}

/// A token used as a mapping key (here a connection id, which the schema accepts): messages
/// mask it, but the baseline's `route` records it as written (cli.md: "no secret text").
#[test]
fn bug_baseline_route_holds_a_token_used_as_key() {
    let key = "glpat-abcdefghij0123456789";
    let text = format!("{INTEGRATION_HEAD}connections:\n  {key}:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n{ADO_CONNECTION}flows:\n  - {{ from: {key}, to: ado, sync: [create] }}\n");
    let scratch = Scratch::project("bug-baseline");
    scratch.write("i.yaml", &text);
    let run = bridgelint(
        &scratch.dir,
        &["check", "--now", NOW, "--write-baseline", "b.json", "."],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let baseline = scratch.read("b.json");
    assert!(baseline.contains("leaked-secret"));
    assert!(
        !baseline.contains(&key[6..6 + WINDOW]),
        "the baseline holds the token:\n{baseline}"
    );
}

/// Not a leak, the opposite: a `leaked-secret` message masks its own pattern name, the masked
/// match and the key name (`**** (****) in \`****\``), because those values are located in
/// the match, which is redacted. The template means `github-token (ghp_****) in
/// \`description\``.
#[test]
fn bug_leaked_secret_message_masks_its_own_pattern_name() {
    let text = format!("apiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: bug\n  owner: team-platform\n  description: token ghp_Zr8Qm2Lk5Vx9Tb3Nw7Hc1Yd6Pf4Sg0Ja8KeM here\nconnections:\n  jira:\n    system: jira-cloud\n    url: https://jira.example\n    account: getint-jira\n    credential:\n      type: api-token\n      secret: env:X\n{ADO_CONNECTION}{FLOW}");
    let outputs = outputs_of(&[("i.yaml", &text)], &["--select", "leaked-secret"]);
    let compact = &outputs
        .iter()
        .find(|(l, _)| l == "compact [stdout]")
        .expect("compact")
        .1;
    assert!(
        compact.contains("github-token (ghp_****) in `description`"),
        "{compact}"
    );
}

/// Not a secret but the same channel: a linted file can write terminal control sequences into
/// the output. `compact` and `github` print message values as written, so a `display_name`
/// holding `ESC [2K CR` erases the line it is printed on in a terminal or a CI log and writes a
/// forged one (`human` and the inventory escape control characters; the JSON formats escape
/// them by syntax).
#[test]
fn bug_control_characters_from_files_reach_the_output() {
    let text = "apiVersion: bridgelint/v1\nkind: ServiceAccounts\naccounts:\n  svc:\n    system: jira-cloud\n    type: service\n    username: svc\n    display_name: \"x\\e[2K\\rforged line\\a\"\n";
    let outputs = outputs_of(&[("a.yaml", text)], &[]);
    assert!(outputs.iter().any(|(_, t)| t.contains("display-name")));
    let raw: Vec<&String> = outputs
        .iter()
        .filter(|(_, t)| t.contains(['\u{1b}', '\u{7}', '\r']))
        .map(|(label, _)| label)
        .collect();
    assert!(raw.is_empty(), "control characters printed in: {raw:?}");
}
