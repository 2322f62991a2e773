//! The systems catalog, version 2 (`../shared/spec/access.md`): every built-in fact carries
//! its source; the systems access.md lists are covered; a catalog file with a dangling or
//! cross-layer reference or an implication cycle is refused with a located message naming
//! it; version 1 files still load; `extends: true` adds custom grants to a built-in system.

mod support;

use bridgelint::catalog::{Catalog, Provenance};
use support::{Scratch, CLEAN_ACCOUNTS, CLEAN_INTEGRATION};

/// A fact's source: a URL, or a key of the file's `sources`.
fn check_source(
    sys: &bridgelint::catalog::System,
    what: &str,
    p: &Provenance,
    bad: &mut Vec<String>,
) {
    match &p.source {
        None => bad.push(format!("{}: {what} has no `source`", sys.id)),
        Some(s) if s.starts_with("http://") || s.starts_with("https://") => {}
        Some(s) if sys.sources.contains_key(s) => {}
        Some(s) => bad.push(format!(
            "{}: {what} names source `{s}`, which `sources` does not declare",
            sys.id
        )),
    }
    if !p.documented && p.note.is_none() {
        bad.push(format!(
            "{}: {what} is not documented and says why nowhere (`note`)",
            sys.id
        ));
    }
}

#[test]
fn every_builtin_fact_has_a_source() {
    let catalog = Catalog::builtin().expect("the built-in catalog loads");
    let mut bad = Vec::new();
    for sys in &catalog.systems {
        for g in &sys.grants {
            check_source(sys, &format!("grant `{}`", g.name), &g.provenance, &mut bad);
        }
        for (i, c) in sys.capabilities.iter().enumerate() {
            if let Some(c) = c {
                let name = bridgelint::catalog::CAPABILITIES[i];
                check_source(
                    sys,
                    &format!("capability `{name}`"),
                    &c.provenance,
                    &mut bad,
                );
            }
        }
        for (name, t) in &sys.credential_types {
            check_source(
                sys,
                &format!("credential type `{name}`"),
                &t.provenance,
                &mut bad,
            );
            if let Some(l) = &t.lifetime {
                check_source(
                    sys,
                    &format!("the lifetime of `{name}`"),
                    &l.provenance,
                    &mut bad,
                );
            }
            if let Some(d) = &t.deprecated {
                check_source(
                    sys,
                    &format!("the deprecation of `{name}`"),
                    &d.provenance,
                    &mut bad,
                );
            }
        }
        if let Some(p) = &sys.password_alternative_provenance {
            check_source(sys, "`password_alternative`", p, &mut bad);
        }
    }
    assert!(
        bad.is_empty(),
        "facts without a usable source:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_system_of_the_coverage_list_is_in_the_catalog() {
    let catalog = Catalog::builtin().expect("the built-in catalog loads");
    let covered = [
        "jira-cloud",
        "jira-data-center",
        "jira-service-management",
        "azure-devops",
        "azure-devops-server",
        "servicenow",
        "github",
        "gitlab",
        "zendesk",
        "salesforce",
        "freshdesk",
        "freshservice",
        "hubspot",
        "asana",
        "monday",
        "notion",
        "clickup",
        "wrike",
        "trello",
        "airtable",
    ];
    for id in covered {
        assert!(catalog.get(id).is_some(), "access.md lists `{id}`");
    }
}

/// The normative facts of access.md, read back from the loaded catalog.
#[test]
fn the_normative_facts_hold() {
    let catalog = Catalog::builtin().expect("the built-in catalog loads");
    let sys = |id: &str| catalog.get(id).unwrap().1;
    let tier = |id: &str, g: &str| {
        let s = sys(id);
        s.grants[s.grant(g).unwrap_or_else(|| panic!("{id} has {g}")) as usize]
            .tier
            .name()
    };
    for (id, g) in [
        ("jira-cloud", "ADMINISTER"),
        ("azure-devops", "app_token"),
        ("gitlab", "sudo"),
        ("github", "admin:org"),
        ("servicenow", "impersonator"),
    ] {
        assert_eq!(tier(id, g), "admin", "{id} {g}");
    }
    for (id, g) in [
        ("jira-cloud", "DELETE_ISSUES"),
        ("servicenow", "soap_delete"),
        ("servicenow", "itil_admin"),
        ("github", "delete_repo"),
    ] {
        assert_eq!(tier(id, g), "destructive", "{id} {g}");
    }
    for (id, g) in [
        ("github", "repo"),
        ("jira-cloud", "write:jira-work"),
        ("azure-devops", "vso.work_full"),
        ("gitlab", "api"),
    ] {
        assert_eq!(tier(id, g), "broad", "{id} {g}");
    }
    assert_eq!(tier("servicenow", "itil"), "narrow");
    assert!(
        sys("jira-cloud").grant("SYSTEM_ADMIN").is_none(),
        "Jira Cloud has no SYSTEM_ADMIN"
    );
    let ado = sys("azure-devops");
    let closure = |g: &str| -> Vec<&str> {
        ado.grants[ado.grant(g).unwrap() as usize]
            .closure
            .iter()
            .map(|&i| ado.grants[i as usize].name.as_str())
            .collect()
    };
    assert!(
        closure("vso.work_full").contains(&"vso.work"),
        "implication is transitive"
    );
    let jira = sys("jira-cloud");
    let password = &jira.credential_types["password"];
    assert_eq!(
        password
            .deprecated
            .as_ref()
            .and_then(|d| d.removed.as_deref()),
        Some("2019-06-03")
    );
    assert_eq!(
        jira.lifetime_cap("api-token"),
        Some(365),
        "the Atlassian cap is a platform cap"
    );
    assert_eq!(
        sys("github").lifetime_cap("personal-access-token"),
        None,
        "GitHub's 366 days is a policy"
    );
    let gh = sys("github");
    let attachments = gh.capability(bridgelint::catalog::capability_index("attachments").unwrap());
    assert!(
        attachments.is_some_and(|c| c.unsupported.is_some()),
        "GitHub has no attachment API"
    );
    assert_eq!(sys("servicenow").password_alternative, Some(true));
}

/// A project whose catalog folder holds `file`; the clean documents beside it.
fn with_catalog(tag: &str, file: &str) -> Scratch {
    let s = Scratch::with_files(
        tag,
        &[
            ("integration.yaml", CLEAN_INTEGRATION),
            ("accounts.yaml", CLEAN_ACCOUNTS),
        ],
    );
    s.write("systems/custom.yaml", file);
    s
}

const GRANT: &str = "{ layer: permission, documented: false, note: test }";

/// A system file of id `x` with one credential type, then `rest`.
fn system(rest: &str) -> String {
    format!("id: x\nname: X\ncredential_types: {{ api-token: {{ documented: false, note: t }} }}\n{rest}")
}

#[test]
fn dangling_references_cross_layer_requirements_and_cycles_are_refused() {
    let cases = [
        (system("grants:\n  A: { layer: permission, implies: [B], documented: false, note: t }\n"), "`A` implies `B`, which is not a grant of `x`"),
        (system("grants:\n  A: { layer: permission, tier: broad, narrower: [s], documented: false, note: t }\n  s: { layer: scope, documented: false, note: t }\n"), "both must be in the same layer"),
        (system(&format!("grants:\n  A: {GRANT}\ncapabilities:\n  read: {{ scope: [[A]], documented: false, note: t }}\n")), "capability `read` requires `A` in the scope layer, but `A` is a grant of the permission layer"),
        (system("grants:\n  A: { layer: permission, implies: [B], documented: false, note: t }\n  B: { layer: permission, implies: [C], documented: false, note: t }\n  C: { layer: permission, implies: [A], documented: false, note: t }\n"), "`implies` forms a cycle: A → B → C → A"),
        ("id: nothing-here\nextends: true\ngrants:\n  A: { layer: permission, documented: false, note: t }\n".to_string(), "`extends: true` for `nothing-here`, which no loaded catalog file defines"),
        ("id: servicenow\nextends: true\nname: Mine\n".to_string(), "`name`: an extending file (`extends: true`) may only add"),
        ("id: servicenow\nextends: true\ngrants:\n  admin: { layer: permission, tier: narrow, documented: false, note: t }\n".to_string(), "`admin` is a built-in grant of `servicenow`: an extending file may only add to its `implies`"),
    ];
    for (i, (file, needle)) in cases.iter().enumerate() {
        let s = with_catalog(&format!("catalog-error-{i}"), file);
        let r = s.check().args(["--catalog", "systems"]).run();
        r.assert_usage_error(needle);
        assert!(
            r.stderr.contains("systems/custom.yaml:"),
            "located: {}",
            r.stderr
        );
    }
}

/// A version 1 file (flat `any_of`, `admin: true`, `lifetime_cap_days`) replaces a built-in
/// system and still reads: each name in the layer of the built-in grant of that name.
#[test]
fn a_version_1_catalog_still_loads() {
    let v1 = "id: jira-cloud\nname: Jira Cloud (ours)\ncredential_types:\n  api-token: { lifetime_cap_days: 90, documented: false, note: our policy }\npermissions:\n  BROWSE_PROJECTS: { description: browse, documented: false }\n  read:jira-work: { description: read scope, documented: false }\n  ADMINISTER: { description: admin, admin: true, documented: false }\ncapabilities:\n  read: { any_of: [BROWSE_PROJECTS, read:jira-work], documented: false }\n";
    let s = with_catalog("catalog-v1", v1);
    let r = s.run(&[
        "systems",
        "jira-cloud",
        "--catalog",
        "systems",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let read = &j["capabilities"]["read"];
    assert_eq!(
        read["permission"],
        serde_json::json!([["BROWSE_PROJECTS"]]),
        "{read}"
    );
    assert_eq!(
        read["scope"],
        serde_json::json!([["read:jira-work"]]),
        "{read}"
    );
    let admin = j["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "ADMINISTER")
        .unwrap();
    assert_eq!(admin["tier"], "admin");
    let api = &j["credential_types"]["api-token"]["lifetime"];
    assert_eq!(
        (api["max_days"].as_i64(), api["kind"].as_str()),
        (Some(90), Some("platform"))
    );
    // The clean documents stay clean but for the version 1 cap, which applies.
    let r = s
        .check()
        .format("compact")
        .args(["--catalog", "systems"])
        .run();
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{}{}", r.stdout, r.stderr);
    assert!(
        lines[0].contains("error[credential-lifetime-too-long]")
            && lines[0].ends_with("allows at most 90; correct `expires`"),
        "{}",
        r.stdout
    );
}

/// `extends: true` adds a custom ServiceNow role that implies `itil`: it satisfies what `itil`
/// would and is no `unknown-grant`.
#[test]
fn an_extending_file_adds_a_custom_role() {
    let integration = "apiVersion: bridgelint/v1\nkind: Integration\nmetadata: { name: sn, owner: team-it, environment: prod }\nconnections:\n  sn:\n    system: servicenow\n    url: https://acme.service-now.com\n    account: { type: service, username: getint@acme.example, display_name: Getint Sync, owner: team-it, purpose: sync, permissions: [x_acme_sync], reviewed: 2026-11-01, tested: 2026-11-02 }\n    credential: { type: oauth-password, secret: env:SN, client_id: env:SN_ID, rotation: { interval_days: 90, last_rotated: 2026-11-01 } }\n  sn2:\n    system: servicenow\n    url: https://acme.service-now.com\n    account: { type: service, username: getint2@acme.example, display_name: Getint Sync, owner: team-it, purpose: sync, permissions: [x_acme_sync], reviewed: 2026-11-01, tested: 2026-11-02 }\n    credential: { type: oauth-password, secret: env:SN2, client_id: env:SN2_ID, rotation: { interval_days: 90, last_rotated: 2026-11-01 } }\nflows:\n  - { from: sn, to: sn2, sync: [create, comments] }\n";
    let s = Scratch::with_files("catalog-extends", &[("integration.yaml", integration)]);
    let run = |s: &Scratch| {
        let r = s
            .check()
            .format("compact")
            .args([
                "--catalog",
                "systems",
                "--select",
                "missing-permission,unknown-grant",
            ])
            .run();
        r.stdout
            .lines()
            .map(|l| l.split_once(": ").map_or(l, |x| x.1).to_string())
            .collect::<Vec<_>>()
    };
    s.mkdir("systems");
    let before = run(&s);
    assert!(
        before.iter().any(|l| l.contains("unknown-grant")),
        "{before:?}"
    );
    assert!(
        before.iter().any(|l| l.contains("missing-permission")),
        "{before:?}"
    );
    s.write("systems/acme.yaml", "id: servicenow\nextends: true\ngrants:\n  x_acme_sync: { layer: permission, implies: [itil], description: Getint sync role, documented: false, note: ours }\n");
    let after = run(&s);
    assert!(after.is_empty(), "{after:?}");
}

/// The input schemas offer the built-in system ids as `examples` of every `system` value, so
/// that editors complete them (yaml-language-server, VS Code); custom catalogs may add others,
/// so they are examples, not an `enum`.
#[test]
fn the_input_schemas_offer_every_builtin_system_id() {
    let catalog = Catalog::builtin().expect("the built-in catalog loads");
    let ids: Vec<serde_json::Value> = catalog
        .systems
        .iter()
        .map(|s| serde_json::json!(s.id))
        .collect();
    for schema in ["integration", "service-accounts"] {
        let text =
            std::fs::read_to_string(support::repo().join(format!("schemas/{schema}.schema.json")))
                .unwrap();
        let mut found = 0;
        let mut stack = vec![serde_json::from_str::<serde_json::Value>(&text).unwrap()];
        while let Some(v) = stack.pop() {
            if let Some(o) = v.as_object() {
                if let Some(sys) = o.get("system").and_then(|s| s.as_object()) {
                    if sys.get("$ref").and_then(|r| r.as_str()) == Some("#/$defs/id") {
                        found += 1;
                        assert_eq!(
                            sys.get("examples").and_then(|e| e.as_array()),
                            Some(&ids),
                            "{schema}: the `system` examples are the catalog's ids (sorted)"
                        );
                    }
                }
                stack.extend(o.values().cloned());
            } else if let Some(a) = v.as_array() {
                stack.extend(a.iter().cloned());
            }
        }
        assert!(found >= 1, "{schema} has a `system` value");
    }
}
