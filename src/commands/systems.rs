//! `bridgelint systems [ID]`: the catalog, the product's knowledge, for users to read and
//! question: every system in one line each, or one system's capabilities (alternatives per
//! layer), grants (layer, tier, implies, narrower), credential types (scoped, expiry,
//! lifetime, deprecation) and sources, as text or JSON.

use serde_json::{json, Map, Value};

use super::{load_rules, print_out};
use crate::catalog::{
    Capability, Catalog, CredentialType, Grant, Layer, Provenance, Scoped, System, CAPABILITIES,
};
use crate::cli::{RulesFormat, SystemsArgs};
use crate::suggest::closest;

pub fn command(args: &SystemsArgs) -> u8 {
    let catalog = match load_rules(&[], &args.catalog_dirs) {
        Ok((_, catalog)) => catalog,
        Err(code) => return code,
    };
    let json = args.format == RulesFormat::Json;
    let Some(id) = args.id.as_deref() else {
        let out = if json {
            pretty(&Value::Array(
                catalog.systems.iter().map(|s| summary_json(s)).collect(),
            ))
        } else {
            list_text(&catalog)
        };
        return print_out(&out).err().unwrap_or(0);
    };
    match catalog.get(id) {
        Some((_, system)) => {
            let out = if json {
                pretty(&system_json(system))
            } else {
                system_text(system)
            };
            print_out(&out).err().unwrap_or(0)
        }
        None => {
            let hint = closest(id, catalog.systems.iter().map(|s| s.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            stderrln!("error: unknown system `{id}`{hint}; `bridgelint systems` lists them");
            2
        }
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn capability_count(s: &System) -> usize {
    s.capabilities.iter().flatten().count()
}

/// One line per system: id, name, credential types, how many capabilities it maps.
fn list_text(catalog: &Catalog) -> String {
    let width = catalog
        .systems
        .iter()
        .map(|s| s.id.len())
        .max()
        .unwrap_or(0);
    let name_width = catalog
        .systems
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for s in &catalog.systems {
        let types: Vec<&str> = s.credential_types.keys().map(String::as_str).collect();
        out.push_str(&format!(
            "{:<width$}  {:<name_width$}  {:>2} capabilities  {}\n",
            s.id,
            s.name,
            capability_count(s),
            types.join(", ")
        ));
    }
    out.push_str(
        "\n`bridgelint systems ID` shows what one system's grants are and each capability needs.\n",
    );
    out
}

fn summary_json(s: &System) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "credential_types": s.credential_types.keys().collect::<Vec<_>>(),
        "capabilities": capability_count(s),
        "origin": s.origin,
    })
}

/// `A + B or C` for one layer's alternatives.
fn alternatives(s: &System, alts: &[Vec<u32>]) -> String {
    alts.iter()
        .map(|a| s.describe(a))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn provenance_text(p: &Provenance) -> String {
    let mut t = match (&p.source, p.documented) {
        (Some(src), true) => format!("[documented: {src}]"),
        (Some(src), false) => format!("[not documented: {src}]"),
        (None, _) => "[no source]".to_string(),
    };
    if let Some(n) = &p.note {
        t.push(' ');
        t.push_str(n.trim());
    }
    t
}

fn system_text(s: &System) -> String {
    let mut out = format!("{} — {}\nfrom: {}\n", s.id, s.name, s.origin);
    out.push_str("\nCapabilities (any alternative suffices; `+` joins grants needed together):\n");
    let width = CAPABILITIES.iter().map(|c| c.len()).max().unwrap_or(0);
    for (i, name) in CAPABILITIES.iter().enumerate() {
        let Some(c) = s.capability(i) else { continue };
        out.push_str(&capability_text(s, name, c, width));
    }
    for layer in Layer::ALL {
        out.push_str(&format!("\nGrants, {} layer:\n", layer.name()));
        let gw = s.grants.iter().map(|g| g.name.len()).max().unwrap_or(0);
        for g in s.grants.iter().filter(|g| g.layer == layer) {
            out.push_str(&grant_text(s, g, gw));
        }
    }
    out.push_str("\nCredential types:\n");
    for (name, t) in &s.credential_types {
        out.push_str(&format!("  {name}: {}\n", credential_text(t)));
    }
    let alt = match s.password_alternative {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    out.push_str(&format!("\nToken alternative to passwords: {alt}\n"));
    if !s.sources.is_empty() {
        out.push_str("\nSources:\n");
        for (k, v) in &s.sources {
            out.push_str(&format!("  {k}: {v}\n"));
        }
    }
    out
}

fn capability_text(s: &System, name: &str, c: &Capability, width: usize) -> String {
    let pad = " ".repeat(width + 4);
    if let Some(reason) = &c.unsupported {
        return format!("  {name:<width$}  unsupported: {reason}\n");
    }
    let mut lines = Vec::new();
    for layer in Layer::ALL {
        if let Some(alts) = c.layer(layer) {
            lines.push(format!(
                "{:<12}{}",
                format!("{}:", layer.name()),
                alternatives(s, alts)
            ));
        }
    }
    if !c.also_needs.is_empty() {
        let also: Vec<&str> = c.also_needs.iter().map(|&i| CAPABILITIES[i]).collect();
        lines.push(format!("also needs: {}", also.join(", ")));
    }
    lines.push(provenance_text(&c.provenance));
    let mut out = format!("  {name:<width$}  {}\n", lines[0]);
    for l in &lines[1..] {
        out.push_str(&format!("{pad}{l}\n"));
    }
    out
}

fn grant_text(s: &System, g: &Grant, width: usize) -> String {
    let mut facts = vec![g.tier.name().to_string()];
    if !g.implies.is_empty() {
        facts.push(format!("implies {}", g.implies.join(", ")));
    }
    if !g.narrower.is_empty() {
        facts.push(format!(
            "narrower: {}",
            s.describe(&g.narrower).replace(" + ", ", ")
        ));
    }
    let mut out = format!("  {:<width$}  {}", g.name, facts.join("; "));
    if let Some(d) = &g.description {
        out.push_str(&format!(" — {d}"));
    }
    out.push_str(&format!(" {}\n", provenance_text(&g.provenance)));
    if let Some(a) = &g.advice {
        out.push_str(&format!("  {:<width$}  advice: {a}\n", ""));
    }
    out
}

fn scoped_text(t: &CredentialType) -> String {
    match &t.scoped {
        Scoped::Always => "scoped".into(),
        Scoped::Never => "not scoped (acts with every permission of its account)".into(),
        Scoped::ForAccountTypes(types) => {
            format!("scoped only on accounts of type {}", types.join(", "))
        }
    }
}

fn credential_text(t: &CredentialType) -> String {
    let mut parts = vec![scoped_text(t)];
    parts.push(
        if t.can_expire {
            "can expire"
        } else {
            "cannot expire"
        }
        .into(),
    );
    if let Some(l) = &t.lifetime {
        let kind = if l.platform {
            "platform cap"
        } else {
            "default policy, administrators can change it"
        };
        parts.push(format!("at most {} days ({kind})", l.max_days));
    }
    if let Some(d) = &t.deprecated {
        let mut p = match &d.since {
            Some(since) => format!("deprecated since {since}"),
            None => "deprecated".into(),
        };
        if let Some(r) = &d.removed {
            p.push_str(&format!(", removed {r}"));
        }
        parts.push(p);
    }
    format!("{} {}", parts.join("; "), provenance_text(&t.provenance))
}

fn provenance_json(p: &Provenance) -> Value {
    json!({ "source": p.source, "documented": p.documented, "note": p.note })
}

fn system_json(s: &System) -> Value {
    let names = |set: &[u32]| -> Vec<&str> {
        set.iter()
            .map(|&g| s.grants[g as usize].name.as_str())
            .collect()
    };
    let mut caps = Map::new();
    for (i, name) in CAPABILITIES.iter().enumerate() {
        let Some(c) = s.capability(i) else { continue };
        let mut v = Map::new();
        for layer in Layer::ALL {
            if let Some(alts) = c.layer(layer) {
                let alts: Vec<Vec<&str>> = alts.iter().map(|a| names(a)).collect();
                v.insert(layer.name().into(), json!(alts));
            }
        }
        let also: Vec<&str> = c.also_needs.iter().map(|&i| CAPABILITIES[i]).collect();
        v.insert("also_needs".into(), json!(also));
        v.insert("unsupported".into(), json!(c.unsupported));
        v.insert("provenance".into(), provenance_json(&c.provenance));
        caps.insert((*name).into(), Value::Object(v));
    }
    let grants: Vec<Value> = s
        .grants
        .iter()
        .map(|g| {
            json!({
                "name": g.name, "layer": g.layer.name(), "tier": g.tier.name(),
                "implies": g.implies, "implied": names(&g.closure), "narrower": names(&g.narrower),
                "advice": g.advice, "description": g.description, "provenance": provenance_json(&g.provenance),
            })
        })
        .collect();
    let mut types = Map::new();
    for (name, t) in &s.credential_types {
        let scoped = match &t.scoped {
            Scoped::Always => json!(true),
            Scoped::Never => json!(false),
            Scoped::ForAccountTypes(types) => json!({ "account_types": types }),
        };
        let v = json!({
            "scoped": scoped, "can_expire": t.can_expire,
            "lifetime": t.lifetime.as_ref().map(|l| json!({"max_days": l.max_days, "kind": if l.platform {"platform"} else {"default_policy"}, "provenance": provenance_json(&l.provenance)})),
            "deprecated": t.deprecated.as_ref().map(|d| json!({"since": d.since, "removed": d.removed, "provenance": provenance_json(&d.provenance)})),
            "provenance": provenance_json(&t.provenance),
        });
        types.insert(name.clone(), v);
    }
    json!({
        "id": s.id, "name": s.name, "origin": s.origin, "url_hints": s.url_hints,
        "password_alternative": s.password_alternative,
        "capabilities": caps, "grants": grants, "credential_types": types, "sources": s.sources,
    })
}
