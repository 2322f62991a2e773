//! Writes a realistic corpus of bridgelint files for benchmarks and tests.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- OUT N [--seed S] [--defects PERCENT]
//! ```
//!
//! N integrations spread over teams of about 20 integrations, each team with a ServiceAccounts
//! inventory whose accounts are shared by two or three of its integrations; a tenth of the
//! integrations are JSON; about PERCENT % of them (default 10) carry one realistic defect
//! (plaintext secret, http URL, missing or overdue rotation, personal account, admin
//! permission, expired token, unknown account, missing permission). Deterministic: the same
//! arguments give the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// (system id, url, credential type, the permission that grants each capability, an admin
/// grant): permission-layer names of the access model, version 2.
struct System {
    id: &'static str,
    url: &'static str,
    credential: &'static str,
    /// The permission that grants each capability (`read` first), in the system's own names.
    grants: fn(&str) -> &'static str,
    admin: &'static str,
}

fn jira(cap: &str) -> &'static str {
    match cap {
        "read" => "BROWSE_PROJECTS",
        "create" => "CREATE_ISSUES",
        "update" => "EDIT_ISSUES",
        "comments" => "ADD_COMMENTS",
        "status" => "TRANSITION_ISSUES",
        _ => "CREATE_ATTACHMENTS",
    }
}

const SYSTEMS: [System; 5] = [
    System {
        id: "jira-cloud",
        url: "https://{org}.atlassian.net",
        credential: "api-token",
        grants: jira,
        admin: "ADMINISTER",
    },
    System {
        id: "azure-devops",
        url: "https://dev.azure.com/{org}",
        credential: "personal-access-token",
        grants: |_| "Contributors",
        admin: "Project Collection Administrators",
    },
    System {
        id: "servicenow",
        url: "https://{org}.service-now.com",
        credential: "oauth-client-credentials",
        grants: |_| "itil",
        admin: "admin",
    },
    System {
        id: "gitlab",
        url: "https://gitlab.{org}.example",
        credential: "personal-access-token",
        grants: |_| "Reporter",
        admin: "Owner",
    },
    System {
        id: "github",
        url: "https://github.com/{org}",
        credential: "personal-access-token",
        grants: |_| "write",
        admin: "admin",
    },
];

const SYNC: [&str; 5] = ["create", "update", "comments", "status", "attachments"];
const SYNC_BACK: [&str; 2] = ["update", "comments"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Defect {
    None,
    PlaintextSecret,
    HttpUrl,
    MissingRotation,
    OverdueRotation,
    PersonalAccount,
    AdminPermission,
    ExpiredToken,
    UnknownAccount,
}

const DEFECTS: [Defect; 8] = [
    Defect::PlaintextSecret,
    Defect::HttpUrl,
    Defect::MissingRotation,
    Defect::OverdueRotation,
    Defect::PersonalAccount,
    Defect::AdminPermission,
    Defect::ExpiredToken,
    Defect::UnknownAccount,
];

struct Account {
    id: String,
    system: usize,
    personal: bool,
    admin: bool,
    /// Capabilities its connections need (from the flows).
    needs: Vec<&'static str>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: gen_corpus OUT N [--seed S] [--defects PERCENT]");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[0]);
    let n: usize = args[1].parse().expect("N is a number");
    let mut seed = 42u64;
    let mut defects = 10u64;
    let mut i = 2;
    while i + 1 < args.len() {
        match args[i].as_str() {
            "--seed" => seed = args[i + 1].parse().expect("seed"),
            "--defects" => defects = args[i + 1].parse().expect("percent"),
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    let written = generate(&out, n, seed, defects);
    eprintln!(
        "wrote {n} integrations in {written} files under {}",
        out.display()
    );
}

fn generate(out: &Path, n: usize, seed: u64, defect_percent: u64) -> usize {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    std::fs::create_dir_all(out).expect("creates OUT");
    std::fs::write(
        out.join(".bridgelint.yaml"),
        "# Generated corpus: today is fixed so that results are stable.\nrules: {}\n",
    )
    .expect("writes");
    let team_size = 20;
    let teams = n.div_ceil(team_size);
    let mut files = 1;
    let mut made = 0;
    for t in 0..teams {
        let team = format!("team-{t:04}");
        let dir = out.join("teams").join(&team);
        std::fs::create_dir_all(dir.join("integrations")).expect("creates");
        let count = team_size.min(n - made);
        // Accounts: one per system per three integrations.
        let mut accounts: Vec<Account> = Vec::new();
        let mut docs = Vec::new();
        for k in 0..count {
            let index = made + k;
            let a = rng.below(SYSTEMS.len() as u64) as usize;
            let mut b = rng.below(SYSTEMS.len() as u64 - 1) as usize;
            if b >= a {
                b += 1;
            }
            let defect = if rng.chance(defect_percent) {
                *rng.pick(&DEFECTS)
            } else {
                Defect::None
            };
            let account_for = |sys: usize, rng: &mut Rng, accounts: &mut Vec<Account>| -> String {
                let reuse: Vec<usize> = (0..accounts.len())
                    .filter(|i| accounts[*i].system == sys)
                    .collect();
                if !reuse.is_empty() && rng.chance(60) {
                    return accounts[*rng.pick(&reuse)].id.clone();
                }
                let id = format!("getint-{}-{}-{}", SYSTEMS[sys].id, team, accounts.len());
                accounts.push(Account {
                    id: id.clone(),
                    system: sys,
                    personal: false,
                    admin: false,
                    needs: Vec::new(),
                });
                id
            };
            let acc_a = account_for(a, &mut rng, &mut accounts);
            let acc_b = account_for(b, &mut rng, &mut accounts);
            if defect == Defect::PersonalAccount {
                if let Some(acc) = accounts.iter_mut().find(|x| x.id == acc_a) {
                    acc.personal = true;
                }
            }
            if defect == Defect::AdminPermission {
                if let Some(acc) = accounts.iter_mut().find(|x| x.id == acc_b) {
                    acc.admin = true;
                }
            }
            let json = index % 10 == 9;
            let name = format!("{}-{}-{}-{}", SYSTEMS[a].id, SYSTEMS[b].id, team, k);
            // GitHub has no API for issue attachments (`unsupported-capability`).
            let sync_ab: Vec<&'static str> = SYNC
                .iter()
                .copied()
                .filter(|_| rng.chance(70))
                .filter(|c| !(SYSTEMS[b].id == "github" && *c == "attachments"))
                .collect();
            let sync_ab = if sync_ab.is_empty() {
                vec!["create"]
            } else {
                sync_ab
            };
            // Flows: a → b with `sync_ab`, b → a with SYNC_BACK; each account gets what it needs.
            let mut caps_a = vec!["read"];
            caps_a.extend(SYNC_BACK);
            let mut caps_b = vec!["read"];
            caps_b.extend(sync_ab.iter().copied());
            for (id, caps) in [(&acc_a, &caps_a), (&acc_b, &caps_b)] {
                if let Some(acc) = accounts.iter_mut().find(|x| &x.id == id) {
                    for c in caps {
                        if !acc.needs.contains(c) {
                            acc.needs.push(c);
                        }
                    }
                }
            }
            let text = integration(
                &mut rng,
                &name,
                &team,
                (a, &acc_a),
                (b, &acc_b),
                &sync_ab,
                defect,
                json,
            );
            docs.push((name, text, json));
        }
        for (name, text, json) in docs {
            let ext = if json { "json" } else { "yaml" };
            std::fs::write(dir.join("integrations").join(format!("{name}.{ext}")), text)
                .expect("writes");
            files += 1;
        }
        std::fs::write(dir.join("accounts.yaml"), inventory(&team, &accounts)).expect("writes");
        files += 1;
        made += count;
    }
    files
}

fn inventory(team: &str, accounts: &[Account]) -> String {
    let mut s = format!(
        "# yaml-language-server: $schema=../../schemas/service-accounts.schema.json\n\
         apiVersion: bridgelint/v1\nkind: ServiceAccounts\nmetadata:\n  owner: {team}\n  description: Integration accounts of {team}\naccounts:\n"
    );
    for a in accounts {
        let sys = &SYSTEMS[a.system];
        let mut perms: Vec<&str> = Vec::new();
        for c in &a.needs {
            let p = (sys.grants)(c);
            if !perms.contains(&p) {
                perms.push(p);
            }
        }
        // A write scope that also grants reading makes the read-only one unnecessary.
        for (read, write) in [("read_api", "api"), ("issues:read", "issues:write")] {
            if perms.contains(&write) {
                perms.retain(|p| *p != read);
            }
        }
        if a.admin {
            perms.push(sys.admin);
        }
        let (ty, user, display) = if a.personal {
            (
                "personal",
                format!("jane.doe@{team}.example"),
                "Jane Doe".to_string(),
            )
        } else {
            (
                "service",
                format!("{}@{team}.example", a.id),
                format!("Getint Sync ({})", sys.id),
            )
        };
        let _ = write!(
            s,
            "  {id}:\n    system: {sys}\n    type: {ty}\n    username: {user}\n    display_name: {display}\n    owner: {team}\n    purpose: Synchronises work items for {team}\n    permissions: [{perms}]\n    reviewed: 2026-11-01\n    tested: 2026-11-10\n",
            id = a.id,
            sys = sys.id,
            perms = perms.join(", "),
        );
    }
    s
}

#[allow(clippy::too_many_arguments)]
fn integration(
    rng: &mut Rng,
    name: &str,
    team: &str,
    a: (usize, &str),
    b: (usize, &str),
    sync_ab: &[&str],
    defect: Defect,
    json: bool,
) -> String {
    let sync_ba: Vec<&str> = SYNC_BACK.to_vec();
    let conn = |which: usize, (sys, account): (usize, &str), rng: &mut Rng| -> Conn {
        let s = &SYSTEMS[sys];
        let first = which == 0;
        let url = s.url.replace("{org}", team);
        let url = if first && defect == Defect::HttpUrl {
            url.replace("https://", "http://")
        } else {
            url
        };
        let account = if first && defect == Defect::UnknownAccount {
            format!("{account}-typo")
        } else {
            account.to_string()
        };
        let secret = if first && defect == Defect::PlaintextSecret {
            format!("hunter-{}", rng.below(1_000_000))
        } else {
            format!("vault:kv/{team}/{}#token", s.id)
        };
        let rotation = match (first, defect) {
            (true, Defect::MissingRotation) => None,
            (true, Defect::OverdueRotation) => Some((90, "2026-01-10")),
            _ => Some((90, "2026-11-01")),
        };
        let expires = if first && defect == Defect::OverdueRotation {
            // A token past its rotation but within the platform's lifetime cap.
            "2026-12-31"
        } else if first && defect == Defect::ExpiredToken {
            "2026-10-31"
        } else {
            "2027-06-30"
        };
        Conn {
            id: if first { "source" } else { "target" },
            system: s.id,
            url,
            account,
            credential: s.credential,
            secret,
            expires: if s.credential == "oauth-client-credentials" {
                None
            } else {
                Some(expires)
            },
            rotation,
        }
    };
    let ca = conn(0, a, rng);
    let cb = conn(1, b, rng);
    let environment = "prod";
    if json {
        let c = |c: &Conn| {
            let mut cred = format!(
                "\"type\": \"{}\", \"secret\": \"{}\"",
                c.credential, c.secret
            );
            if let Some(e) = c.expires {
                let _ = write!(cred, ", \"expires\": \"{e}\"");
            }
            if let Some((d, last)) = c.rotation {
                let _ = write!(
                    cred,
                    ", \"rotation\": {{\"interval_days\": {d}, \"last_rotated\": \"{last}\"}}"
                );
            }
            format!(
                "    \"{}\": {{\n      \"system\": \"{}\",\n      \"url\": \"{}\",\n      \"account\": \"{}\",\n      \"credential\": {{{cred}}}\n    }}",
                c.id, c.system, c.url, c.account
            )
        };
        let list = |v: &[&str]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "{{\n  \"apiVersion\": \"bridgelint/v1\",\n  \"kind\": \"Integration\",\n  \"metadata\": {{\"name\": \"{name}\", \"owner\": \"{team}\", \"environment\": \"{environment}\", \"description\": \"Synchronises {} and {} for {team}\"}},\n  \"connections\": {{\n{},\n{}\n  }},\n  \"flows\": [\n    {{\"from\": \"source\", \"to\": \"target\", \"sync\": [{}]}},\n    {{\"from\": \"target\", \"to\": \"source\", \"sync\": [{}]}}\n  ]\n}}\n",
            ca.system,
            cb.system,
            c(&ca),
            c(&cb),
            list(sync_ab),
            list(&sync_ba)
        )
    } else {
        let c = |c: &Conn| {
            let mut s = format!(
                "  {}:\n    system: {}\n    url: {}\n    account: {}\n    credential:\n      type: {}\n      secret: {}\n",
                c.id, c.system, c.url, c.account, c.credential, yaml_str(&c.secret)
            );
            if let Some(e) = c.expires {
                let _ = writeln!(s, "      expires: {e}");
            }
            if let Some((d, last)) = c.rotation {
                let _ = writeln!(
                    s,
                    "      rotation: {{ interval_days: {d}, last_rotated: {last} }}"
                );
            }
            s
        };
        format!(
            "apiVersion: bridgelint/v1\nkind: Integration\nmetadata:\n  name: {name}\n  owner: {team}\n  environment: {environment}\nconnections:\n{}{}flows:\n  - from: source\n    to: target\n    sync: [{}]\n  - from: target\n    to: source\n    sync: [{}]\n",
            c(&ca),
            c(&cb),
            sync_ab.join(", "),
            sync_ba.join(", ")
        )
    }
}

fn yaml_str(s: &str) -> String {
    if s.starts_with("vault:") {
        s.to_string()
    } else {
        format!("\"{s}\"")
    }
}

struct Conn {
    id: &'static str,
    system: &'static str,
    url: String,
    account: String,
    credential: &'static str,
    secret: String,
    expires: Option<&'static str>,
    rotation: Option<(u32, &'static str)>,
}
