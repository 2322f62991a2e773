//! The corpus: a large project of a dozen team folders, each with its inventory (YAML, or
//! JSON for every fourth team) and thirty integrations (every fifth in JSON, some in an
//! archive subfolder), with defects of every kind planted by the integration's number.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::support::Scratch;

const TEAMS: usize = 12;
const PER_TEAM: usize = 30;

/// (system, short name, credential type, URL, the permissions its account is granted)
const SYSTEMS: [(&str, &str, &str, &str, &[&str]); 5] = [
    (
        "jira-cloud",
        "jira",
        "api-token",
        "https://acme-{t}.atlassian.net",
        &["BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES"],
    ),
    (
        "azure-devops",
        "ado",
        "personal-access-token",
        "https://dev.azure.com/acme-{t}",
        &["vso.work_write"],
    ),
    (
        "servicenow",
        "snow",
        "oauth-client-credentials",
        "https://acme{t}.service-now.com",
        &["itil"],
    ),
    (
        "gitlab",
        "gitlab",
        "personal-access-token",
        "https://gitlab.acme-{t}.example",
        &["api"],
    ),
    (
        "github",
        "github",
        "personal-access-token",
        "https://github.com/acme-{t}",
        &["issues:write"],
    ),
];

/// A deterministic token-like string of `n` alphanumerics for integration `seed`.
fn token(seed: usize, n: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            ALNUM[(x.wrapping_mul(0x2545_f491_4f6c_dd1d) % ALNUM.len() as u64) as usize] as char
        })
        .collect()
}

/// One account of a team's inventory.
struct Account {
    id: String,
    system: &'static str,
    kind: &'static str,
    user: String,
    perms: Vec<&'static str>,
    reviewed: &'static str,
    tested: bool,
    undocumented: bool,
}

/// The accounts of team `t`: one per system, and one nobody uses.
fn account_entries(t: usize) -> Vec<Account> {
    let mut entries = Vec::new();
    for (k, (system, short, _, _, perms)) in SYSTEMS.iter().enumerate() {
        let n = t * SYSTEMS.len() + k;
        let personal = n % 9 == 4;
        let mut perms: Vec<&str> = perms.to_vec();
        if n % 8 == 3 {
            perms.push(match *short {
                "jira" => "ADMINISTER",
                "snow" => "admin",
                "gitlab" => "sudo",
                "github" => "admin:org",
                _ => "app_token",
            });
        }
        if n % 6 == 1 && *short == "jira" {
            perms.push("ADD_COMMENTS");
        }
        let reviewed = if n % 7 == 2 {
            "2025-01-15"
        } else {
            "2026-10-01"
        };
        entries.push(Account {
            id: format!("t{t:02}-{short}"),
            system,
            kind: if personal { "personal" } else { "service" },
            user: if personal {
                format!("jane.doe{t}@acme.example")
            } else {
                format!("t{t:02}-{short}@sync.acme.example")
            },
            perms,
            reviewed,
            tested: n % 10 != 5,
            undocumented: n % 11 == 7,
        });
    }
    // An account nobody uses.
    entries.push(Account {
        id: format!("t{t:02}-retired"),
        system: "zendesk",
        kind: "service",
        user: format!("t{t:02}-zendesk@sync.acme.example"),
        perms: vec!["admin"],
        reviewed: "2026-01-01",
        tested: true,
        undocumented: false,
    });
    entries
}

/// The ServiceAccounts inventory of team `t` (JSON for every fourth team): its path and text.
pub fn accounts(t: usize) -> (String, String) {
    let entries = account_entries(t);
    if t % 4 == 3 {
        (
            format!("teams/team-{t:02}/accounts.json"),
            accounts_json(t, &entries),
        )
    } else {
        (
            format!("teams/team-{t:02}/accounts.yaml"),
            accounts_yaml(t, &entries),
        )
    }
}

fn accounts_json(t: usize, entries: &[Account]) -> String {
    let mut map = serde_json::Map::new();
    for a in entries {
        let mut v = json!({
            "system": a.system, "type": a.kind, "username": a.user,
            "display_name": format!("Sync {}", a.id), "owner": format!("team-{t:02}"),
            "permissions": a.perms, "login": "api-only", "reviewed": a.reviewed,
        });
        if !a.undocumented {
            v["purpose"] = json!(format!("Mirrors the work items of team {t}"));
        }
        if a.tested {
            v["tested"] = json!("2026-10-02");
        }
        map.insert(a.id.clone(), v);
    }
    let doc = json!({
        "apiVersion": "bridgelint/v1", "kind": "ServiceAccounts",
        "metadata": { "owner": format!("team-{t:02}") },
        "accounts": Value::Object(map),
    });
    serde_json::to_string_pretty(&doc).expect("serialisable") + "\n"
}

fn accounts_yaml(t: usize, entries: &[Account]) -> String {
    let mut y = format!(
        "# Accounts of team {t}\napiVersion: bridgelint/v1\nkind: ServiceAccounts\nmetadata:\n  owner: team-{t:02}\naccounts:\n"
    );
    for a in entries {
        let (id, system, kind, user) = (&a.id, a.system, a.kind, &a.user);
        let _ = write!(
            y,
            "  {id}:\n    system: {system}\n    type: {kind}\n    username: {user}\n    display_name: Sync {id}\n    owner: team-{t:02}\n"
        );
        if !a.undocumented {
            let _ = writeln!(y, "    purpose: Mirrors the work items of team {t}");
        }
        let _ = write!(
            y,
            "    permissions: [{}]\n    login: api-only\n    reviewed: {}\n",
            a.perms.join(", "),
            a.reviewed
        );
        if a.tested {
            y.push_str("    tested: 2026-10-02\n");
        }
    }
    y
}

/// One connection of integration `n`.
struct Conn {
    id: &'static str,
    system: &'static str,
    url: String,
    account: String,
    kind: &'static str,
    secret: String,
    expires: Option<&'static str>,
    rotation: Option<(u32, &'static str)>,
}

/// Connection `which` (0 or 1) of integration `n` of team `t`, to system `k`.
fn connection(t: usize, n: usize, k: usize, which: usize) -> Conn {
    let (system, short, kind, url, _) = SYSTEMS[k];
    let mut url = url.replace("{t}", &t.to_string());
    if which == 0 && n % 11 == 4 {
        url = url.replacen("https://", "http://", 1); // insecure-url
    }
    let account = if which == 1 && n % 17 == 6 {
        format!("t{t:02}-ghost") // unknown-account
    } else {
        format!("t{t:02}-{short}")
    };
    let secret = if which == 0 && n % 7 == 3 {
        format!("pw-{n}-{}", token(n, 10)) // plaintext-secret
    } else {
        format!("env:{}_{}", short.to_uppercase(), n)
    };
    let expires = match n % 23 {
        8 => Some("2026-01-31"),  // credential-expired
        15 => None,               // missing-expiry
        16 => Some("2026-12-10"), // credential-expiring
        _ => Some("2027-06-30"),
    };
    let rotation = match n % 13 {
        5 if which == 1 => None,        // missing-rotation
        6 => Some((90, "2026-01-02")),  // rotation-overdue
        7 => Some((365, "2026-11-01")), // rotation-interval-too-long
        _ => Some((90, "2026-11-01")),
    };
    Conn {
        id: short,
        system,
        url,
        account,
        kind,
        secret,
        expires,
        rotation,
    }
}

/// Integration `n` (team `t`), before it is written out.
struct Integration {
    t: usize,
    n: usize,
    name: String,
    environment: &'static str,
    description: String,
    conns: [Conn; 2],
    sync_ab: Vec<&'static str>,
}

/// Integration `i` of team `t`: its path and text.
pub fn integration(t: usize, i: usize) -> (String, String) {
    let n = t * PER_TEAM + i;
    let a = (i + t) % SYSTEMS.len();
    let b = (a + 1 + i % (SYSTEMS.len() - 1)) % SYSTEMS.len();
    let name = if n % 29 == 9 {
        format!("int-{:04}", n - 1) // duplicate-name
    } else {
        format!("int-{n:04}")
    };
    let conns = [connection(t, n, a, 0), connection(t, n, b, 1)];
    let mut sync_ab = vec!["create", "update"];
    if n % 4 == 1 {
        sync_ab.push("comments");
    }
    if n % 6 == 5 {
        sync_ab.push("status");
    }
    let description = if n % 19 == 7 {
        format!("Sync; old token ghp_{} pasted here", token(n, 36)) // leaked-secret
    } else {
        format!("Mirrors {} into {}", conns[0].id, conns[1].id)
    };
    let sub = if i % 10 == 9 {
        "integrations/archive/2025"
    } else {
        "integrations"
    };
    let it = Integration {
        t,
        n,
        name,
        environment: ["prod", "staging", "test"][n % 3],
        description,
        conns,
        sync_ab,
    };
    if n % 5 == 0 {
        (
            format!("teams/team-{t:02}/{sub}/int-{n:04}.json"),
            integration_json(&it),
        )
    } else {
        (
            format!("teams/team-{t:02}/{sub}/int-{n:04}.yaml"),
            integration_yaml(&it),
        )
    }
}

fn integration_json(it: &Integration) -> String {
    let (t, n, conns) = (it.t, it.n, &it.conns);
    let mut cmap = serde_json::Map::new();
    for c in conns {
        let mut cred = json!({ "type": c.kind, "secret": c.secret });
        if c.kind == "oauth-client-credentials" {
            cred["client_id"] = json!(format!("client-{n}"));
        }
        if let Some(e) = c.expires {
            cred["expires"] = json!(e);
        }
        if let Some((days, last)) = c.rotation {
            cred["rotation"] = json!({ "interval_days": days, "last_rotated": last });
        }
        cmap.insert(
            c.id.to_string(),
            json!({ "system": c.system, "url": c.url, "account": c.account, "credential": cred }),
        );
    }
    let mut metadata = json!({
        "name": it.name, "owner": format!("team-{t:02}"),
        "environment": it.environment, "description": it.description,
    });
    if n % 31 == 10 {
        metadata["colour"] = json!("blue"); // schema-violation
    }
    let doc = json!({
        "apiVersion": "bridgelint/v1", "kind": "Integration", "metadata": metadata,
        "connections": Value::Object(cmap),
        "flows": [
            { "from": conns[0].id, "to": conns[1].id, "sync": it.sync_ab },
            { "from": conns[1].id, "to": conns[0].id, "sync": ["comments"] },
        ],
    });
    serde_json::to_string_pretty(&doc).expect("serialisable") + "\n"
}

fn integration_yaml(it: &Integration) -> String {
    let (t, n, conns) = (it.t, it.n, &it.conns);
    let mut y = String::new();
    let _ = write!(
        y,
        "# Integration {n} of team {t}\napiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: {}\n  owner: team-{t:02}\n",
        it.name
    );
    if n % 43 == 13 {
        let _ = writeln!(y, "  owner: team-{t:02}-again"); // duplicate-key
    }
    if n % 31 == 10 {
        y.push_str("  colour: blue\n"); // schema-violation
    }
    let _ = write!(
        y,
        "  environment: {}\n  description: \"{}\"\nconnections:\n",
        it.environment, it.description
    );
    for (which, c) in conns.iter().enumerate() {
        yaml_connection(&mut y, n, which, c);
    }
    let _ = write!(
        y,
        "flows:\n  - from: {}\n    to: {}\n    sync: [{}]\n  - {{ from: {}, to: {}, sync: [comments] }}\n",
        conns[0].id,
        conns[1].id,
        it.sync_ab.join(", "),
        conns[1].id,
        conns[0].id
    );
    if n % 41 == 12 {
        y.push_str("  - { from: [unclosed\n"); // parse-error
    }
    y
}

fn yaml_connection(y: &mut String, n: usize, which: usize, c: &Conn) {
    let _ = write!(y, "  {}:\n    system: {}\n", c.id, c.system);
    if which == 0 && n % 37 == 11 {
        // A suppression: used when the URL is insecure, unused otherwise.
        y.push_str("    # bridgelint: ignore[insecure-url] legacy endpoint, SEC-9\n");
    }
    let _ = write!(
        y,
        "    url: {}\n    account: {}\n    credential:\n      type: {}\n      secret: \"{}\"\n",
        c.url, c.account, c.kind, c.secret
    );
    if c.kind == "oauth-client-credentials" {
        let _ = writeln!(y, "      client_id: client-{n}");
    }
    if let Some(e) = c.expires {
        let _ = writeln!(y, "      expires: {e}");
    }
    if let Some((days, last)) = c.rotation {
        if n % 47 == 14 {
            // The same rotation through an alias.
            if which == 0 {
                let _ = writeln!(
                    y,
                    "      rotation: &rot {{ interval_days: {days}, last_rotated: {last} }}"
                );
            } else {
                y.push_str("      rotation: *rot\n");
            }
        } else {
            let _ = writeln!(
                y,
                "      rotation: {{ interval_days: {days}, last_rotated: {last} }}"
            );
        }
    }
}

/// Writes the corpus; returns the scratch folder and the number of files of ours.
pub fn corpus(tag: &str) -> (Scratch, usize) {
    corpus_of(tag, TEAMS)
}

/// The corpus with `teams` teams of PER_TEAM integrations each.
pub fn corpus_of(tag: &str, teams: usize) -> (Scratch, usize) {
    let s = Scratch::with_config(
        tag,
        "rules:\n  rotation-interval-too-long: { max_days: 180 }\nper_path:\n  - paths: [\"teams/team-00/**\"]\n    rules: { stale-review: off }\n",
    );
    s.write("README.md", "# Integrations\n");
    s.write(
        "ci/pipeline.yaml",
        "stages: [lint]\nlint:\n  script: bridgelint check .\n",
    );
    let mut files = 0;
    for t in 0..teams {
        let (p, text) = accounts(t);
        s.write(&p, &text);
        files += 1;
        for i in 0..PER_TEAM {
            let (p, text) = integration(t, i);
            s.write(&p, &text);
            files += 1;
        }
    }
    (s, files)
}
