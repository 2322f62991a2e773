//! From a catalog file to a [`System`]: version 1 files upgraded to version 2, extending
//! files merged into the file they extend, then every name resolved, implications closed
//! (a cycle is an error naming its grants) and every reference checked against the layers.

use std::collections::BTreeMap;

use super::file::{GrantFact, OneOrAll, ScopedFact, SystemFile};
use super::{
    capability_index, Alternatives, Capability, CredentialType, Deprecation, Grant, Layer,
    Lifetime, Provenance, Scoped, System, Tier, CAPABILITIES,
};

/// A problem in a catalog file, at a path of keys.
pub(super) struct BuildError {
    pub at: Vec<String>,
    pub message: String,
}

fn error(at: &[&str], message: String) -> BuildError {
    BuildError {
        at: at.iter().map(|s| s.to_string()).collect(),
        message,
    }
}

/// A file of version 1 read as version 2: `permissions` become grants (the layer of the
/// built-in grant of that name, else `permission`; `admin: true` is tier `admin`), a flat
/// `any_of` becomes alternatives in the layer of their grants, `lifetime_cap_days` a platform
/// lifetime.
pub(super) fn upgrade(mut file: SystemFile, builtin: Option<&System>, origin: &str) -> SystemFile {
    file.origin = origin.to_string();
    let layer_of = |name: &str, grants: &BTreeMap<String, GrantFact>| -> String {
        grants
            .get(name)
            .map(|g| g.layer.clone())
            .or_else(|| {
                builtin
                    .and_then(|s| s.grant(name).map(|g| s.grants[g as usize].layer))
                    .map(|l| l.name().to_string())
            })
            .unwrap_or_else(|| "permission".into())
    };
    for (name, p) in std::mem::take(&mut file.permissions) {
        let layer = layer_of(&name, &file.grants);
        let Provenance {
            source,
            documented,
            note,
        } = p.provenance();
        file.grants.entry(name).or_insert(GrantFact {
            layer,
            tier: p.admin.then(|| "admin".into()),
            implies: vec![],
            narrower: vec![],
            advice: None,
            description: p.description,
            source,
            documented,
            note,
        });
    }
    for fact in file.capabilities.values_mut() {
        for alt in std::mem::take(&mut fact.any_of) {
            let set = match alt {
                OneOrAll::One(n) => vec![n],
                OneOrAll::All(ns) => ns,
            };
            let layer = layer_of(&set[0], &file.grants);
            let list = if layer == "scope" {
                &mut fact.scope
            } else {
                &mut fact.permission
            };
            list.get_or_insert_with(Vec::new).push(set);
        }
    }
    for t in file.credential_types.values_mut() {
        if let Some(days) = t.lifetime_cap_days.take() {
            t.can_expire.get_or_insert(true);
            let Provenance {
                source,
                documented,
                note,
            } = t.provenance();
            t.lifetime.get_or_insert(super::file::LifetimeFact {
                max_days: days,
                kind: "platform".into(),
                source,
                documented,
                note,
            });
        }
    }
    file
}

/// `base` with the grants, implications and alternatives of an extending file added.
pub(super) fn extend(
    base: &SystemFile,
    ext: SystemFile,
    origin: &str,
) -> Result<SystemFile, Vec<BuildError>> {
    let mut errors = Vec::new();
    let only = "an extending file (`extends: true`) may only add `grants`, `implies` and \
                capability alternatives";
    for (key, given) in [
        ("name", ext.name.is_some()),
        ("url_hints", !ext.url_hints.is_empty()),
        ("credential_types", !ext.credential_types.is_empty()),
        ("password_alternative", ext.password_alternative.is_some()),
        ("permissions", !ext.permissions.is_empty()),
    ] {
        if given {
            errors.push(error(&[key], format!("`{key}`: {only}")));
        }
    }
    let mut out = base.clone();
    out.origin = format!("{}, extended by {origin}", base.origin);
    out.sources.extend(ext.sources);
    for (name, g) in ext.grants {
        match out.grants.get_mut(&name) {
            None => {
                out.grants.insert(name, g);
            }
            Some(existing) => {
                let at = ["grants", name.as_str()];
                if existing.layer != g.layer {
                    errors.push(error(&at, format!("`{name}` is a {} grant of `{}`; an extending file cannot move it to layer `{}`", existing.layer, base.id, g.layer)));
                }
                if g.tier.is_some() || !g.narrower.is_empty() || g.advice.is_some() {
                    errors.push(error(&at, format!("`{name}` is a built-in grant of `{}`: an extending file may only add to its `implies`", base.id)));
                }
                for i in g.implies {
                    if !existing.implies.contains(&i) {
                        existing.implies.push(i);
                    }
                }
            }
        }
    }
    for (cap, c) in ext.capabilities {
        let at = ["capabilities", cap.as_str()];
        if !c.also_needs.is_empty() || c.unsupported || c.reason.is_some() || !c.any_of.is_empty() {
            errors.push(error(
                &at,
                format!("`{cap}`: {only} (`permission`, `scope`)"),
            ));
        }
        let target = out.capabilities.entry(cap).or_default();
        for (mine, theirs) in [
            (&mut target.permission, c.permission),
            (&mut target.scope, c.scope),
        ] {
            if let Some(alts) = theirs {
                mine.get_or_insert_with(Vec::new).extend(alts);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The system a (version 2) file describes, every reference checked.
pub(super) fn system(file: &SystemFile) -> Result<System, Vec<BuildError>> {
    let mut errors = Vec::new();
    let names: Vec<&String> = file.grants.keys().collect();
    let index = |n: &str| {
        names
            .binary_search_by(|x| x.as_str().cmp(n))
            .ok()
            .map(|i| i as u32)
    };
    let mut grants: Vec<Grant> = file
        .grants
        .iter()
        .map(|(name, g)| Grant {
            name: name.clone(),
            layer: if g.layer == "scope" {
                Layer::Scope
            } else {
                Layer::Permission
            },
            tier: match g.tier.as_deref() {
                Some("admin") => Tier::Admin,
                Some("destructive") => Tier::Destructive,
                Some("broad") => Tier::Broad,
                _ => Tier::Narrow,
            },
            implies: g.implies.clone(),
            closure: vec![],
            narrower: vec![],
            requirement_of: 0,
            advice: g.advice.clone(),
            description: g.description.clone(),
            provenance: g.provenance(),
        })
        .collect();
    // References between grants: same layer, known names.
    let mut direct: Vec<Vec<u32>> = vec![vec![]; grants.len()];
    for (gi, (name, g)) in file.grants.iter().enumerate() {
        let layer = grants[gi].layer;
        for (key, list) in [("implies", &g.implies), ("narrower", &g.narrower)] {
            for other in list {
                if key == "implies" && other == "*" {
                    continue;
                }
                let at = ["grants", name.as_str(), key];
                match index(other) {
                    None => errors.push(error(&at, format!("`{name}` {key} `{other}`, which is not a grant of `{}`", file.id))),
                    Some(o) if grants[o as usize].layer != layer => errors.push(error(&at, format!("`{name}` ({} layer) {key} `{other}`, a grant of the {} layer: both must be in the same layer", layer.name(), grants[o as usize].layer.name()))),
                    Some(o) if key == "implies" => direct[gi].push(o),
                    Some(o) => grants[gi].narrower.push(o),
                }
            }
        }
    }
    match closures(&grants, &direct) {
        Ok(c) => {
            for (g, c) in grants.iter_mut().zip(c) {
                g.closure = c;
            }
        }
        Err(cycle) => errors.push(error(
            &["grants", cycle[0].as_str(), "implies"],
            format!("`implies` forms a cycle: {}", cycle.join(" → ")),
        )),
    }
    let capabilities = capabilities(file, &grants, &index, &mut errors);
    mark_requirements(&mut grants, &capabilities);
    let credential_types = credential_types(file);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(System {
        id: file.id.clone(),
        name: file.name.clone().unwrap_or_else(|| file.id.clone()),
        url_hints: file.url_hints.clone(),
        credential_types,
        password_alternative: file.password_alternative.as_ref().map(|b| b.value),
        password_alternative_provenance: file.password_alternative.as_ref().map(|b| b.provenance()),
        grants,
        capabilities,
        sources: file.sources.clone(),
        origin: file.origin.clone(),
    })
}

/// Each grant's transitive implications (itself excluded), or the names of a cycle. `"*"`
/// stands for every other grant of the layer and takes no part in cycles: it is the top.
fn closures(grants: &[Grant], direct: &[Vec<u32>]) -> Result<Vec<Vec<u32>>, Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = grants.len();
    let mut mark = vec![Mark::New; n];
    let mut out: Vec<Vec<u32>> = vec![vec![]; n];
    // Iterative depth-first search: a catalog may chain thousands of grants.
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::Open;
        while let Some(&mut (g, ref mut next)) = stack.last_mut() {
            if let Some(&o) = direct[g].get(*next) {
                *next += 1;
                let o = o as usize;
                match mark[o] {
                    Mark::New => {
                        mark[o] = Mark::Open;
                        stack.push((o, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|(x, _)| *x == o).unwrap_or(0);
                        let mut cycle: Vec<String> = stack[from..]
                            .iter()
                            .map(|(x, _)| grants[*x].name.clone())
                            .collect();
                        cycle.push(grants[o].name.clone());
                        return Err(cycle);
                    }
                    Mark::Done => {}
                }
                continue;
            }
            stack.pop();
            mark[g] = Mark::Done;
            let mut all: Vec<u32> = Vec::new();
            for &o in &direct[g] {
                all.push(o);
                all.extend_from_slice(&out[o as usize]);
            }
            if grants[g].implies.iter().any(|i| i == "*") {
                let layer = grants[g].layer;
                all.extend((0..n as u32).filter(|&x| grants[x as usize].layer == layer));
            }
            all.sort_unstable();
            all.dedup();
            all.retain(|&x| x as usize != g);
            out[g] = all;
        }
    }
    Ok(out)
}

/// Sets each grant's `requirement_of`: the capabilities with an alternative of its layer that
/// contains it or a grant it implies.
fn mark_requirements(grants: &mut [Grant], capabilities: &[Option<Capability>]) {
    let mut direct = vec![0u16; grants.len()];
    for (ci, cap) in capabilities.iter().enumerate() {
        let Some(cap) = cap else { continue };
        for alts in cap.layers.iter().flatten() {
            for &g in alts.iter().flatten() {
                direct[g as usize] |= 1 << ci;
            }
        }
    }
    for (i, g) in grants.iter_mut().enumerate() {
        g.requirement_of = g
            .closure
            .iter()
            .fold(direct[i], |bits, &o| bits | direct[o as usize]);
    }
}

/// The capabilities, names resolved and checked against their layer.
fn capabilities(
    file: &SystemFile,
    grants: &[Grant],
    index: &dyn Fn(&str) -> Option<u32>,
    errors: &mut Vec<BuildError>,
) -> Vec<Option<Capability>> {
    let mut out: Vec<Option<Capability>> = vec![None; CAPABILITIES.len()];
    for (cap, c) in &file.capabilities {
        let Some(ci) = capability_index(cap) else {
            errors.push(error(
                &["capabilities", cap],
                format!("unknown capability `{cap}`"),
            ));
            continue;
        };
        let mut layers: [Option<Alternatives>; 2] = [None, None];
        for (layer, alts) in [(Layer::Permission, &c.permission), (Layer::Scope, &c.scope)] {
            let Some(alts) = alts else { continue };
            let at = ["capabilities", cap.as_str(), layer.name()];
            let mut resolved = Vec::with_capacity(alts.len());
            for set in alts {
                let mut ids = Vec::with_capacity(set.len());
                for name in set {
                    match index(name) {
                        None => errors.push(error(&at, format!("capability `{cap}` requires `{name}`, which is not a grant of `{}`", file.id))),
                        Some(g) if grants[g as usize].layer != layer => errors.push(error(&at, format!("capability `{cap}` requires `{name}` in the {} layer, but `{name}` is a grant of the {} layer", layer.name(), grants[g as usize].layer.name()))),
                        Some(g) => ids.push(g),
                    }
                }
                resolved.push(ids);
            }
            layers[layer as usize] = Some(resolved);
        }
        let also_needs = c
            .also_needs
            .iter()
            .filter_map(|n| capability_index(n))
            .collect();
        out[ci] = Some(Capability {
            layers,
            also_needs,
            unsupported: c.unsupported.then(|| {
                c.reason
                    .clone()
                    .unwrap_or_else(|| "the system has no API for it".into())
            }),
            provenance: c.provenance(),
        });
    }
    out
}

fn credential_types(file: &SystemFile) -> BTreeMap<String, CredentialType> {
    file.credential_types
        .iter()
        .map(|(name, t)| {
            let lifetime = t.lifetime.as_ref().map(|l| Lifetime {
                max_days: l.max_days,
                platform: l.kind == "platform",
                provenance: l.provenance(),
            });
            let scoped = match &t.scoped {
                None | Some(ScopedFact::Always(true)) => Scoped::Always,
                Some(ScopedFact::Always(false)) => Scoped::Never,
                Some(ScopedFact::ForAccountTypes { account_types }) => {
                    Scoped::ForAccountTypes(account_types.clone())
                }
            };
            let credential = CredentialType {
                scoped,
                can_expire: t.can_expire.unwrap_or(lifetime.is_some()),
                lifetime,
                deprecated: t.deprecated.as_ref().map(|d| Deprecation {
                    since: d.since.clone(),
                    removed: d.removed.clone(),
                    provenance: d.provenance(),
                }),
                provenance: t.provenance(),
            };
            (name.clone(), credential)
        })
        .collect()
}
