//! The evaluation engine: runs every check of every enabled rule over its collection and turns
//! the entities that satisfy the condition into findings. One generic loop; no rule has code of
//! its own.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::eval::{Ctx, OptVal, Src, Val, V};
use super::{Check, Collection, Part, Rule, RuleSet};
use crate::finding::{Finding, Related};
use crate::model::fields::{fields_of, key_field, Kind, KIND_COUNT};
use crate::model::{Loc, Model};

/// What the engine needs to know of the configuration.
pub trait RuleSettings: Sync {
    /// Whether a rule runs at all (it may still be off for some paths).
    fn runs(&self, rule: usize) -> bool;
    /// The rule's options for entities of a file.
    fn options(&self, rule: usize, file: u32) -> &[OptVal];
}

/// Which checks one pass of the engine evaluates, over which entities.
#[derive(Clone, Copy, Debug)]
pub enum Phase<'r> {
    /// Every check, over every entity.
    All,
    /// The file-local checks ([`Check::file_local`]), over the records of the files just
    /// merged: record ranges by kind.
    FileLocal(&'r [Range<u32>; KIND_COUNT]),
    /// The other checks, over every entity (the file-local ones ran as the files were merged).
    CrossFile,
}

/// Entities of one check evaluated as one job.
const ENTITIES_PER_JOB: usize = 1024;

pub struct Engine<'a> {
    pub model: &'a Model,
    pub rules: &'a RuleSet,
    pub settings: &'a dyn RuleSettings,
    pub today: i32,
    pub schemes: &'a [String],
}

impl Engine<'_> {
    /// Evaluates the checks of one phase, in parallel on the current rayon pool or on the
    /// calling thread (a one-file run starts no pool); findings come out in rule, check, entity
    /// order.
    pub fn run_phase(&self, phase: Phase, parallel: bool) -> Vec<Finding> {
        let checks: Vec<(usize, &Check, Vec<u32>)> = self
            .rules
            .rules
            .iter()
            .enumerate()
            .filter(|(i, r)| !r.intrinsic && self.settings.runs(*i))
            .flat_map(|(i, r)| r.checks.iter().map(move |c| (i, c)))
            .filter_map(|(i, c)| {
                let entities = match phase {
                    Phase::All => self.entities(i, c),
                    Phase::FileLocal(ranges) if c.file_local => {
                        ranges[c.collection.kind() as usize].clone().collect()
                    }
                    Phase::CrossFile if !c.file_local => self.entities(i, c),
                    Phase::FileLocal(_) | Phase::CrossFile => return None,
                };
                Some((i, c, entities))
            })
            .collect();
        // A job is a run of one check's entities, so that the largest checks spread over the
        // threads instead of ending the phase alone on one.
        let jobs: Vec<(usize, &[u32])> = checks
            .iter()
            .enumerate()
            .flat_map(|(c, (_, _, entities))| {
                entities
                    .chunks(ENTITIES_PER_JOB)
                    .map(move |chunk| (c, chunk))
            })
            .collect();
        let one = |&(c, entities): &(usize, &[u32])| {
            let (r, check, _) = &checks[c];
            self.run_check(*r, &self.rules.rules[*r], check, entities)
        };
        let per_job: Vec<Vec<(Finding, Option<String>)>> = if parallel {
            jobs.par_iter().map(one).collect()
        } else {
            jobs.iter().map(one).collect()
        };
        // `one_per`: the first finding of a group (in entity order) stands for the group and
        // gathers the related locations of the others.
        let mut out: Vec<Finding> = Vec::new();
        let mut groups: HashMap<String, usize> = HashMap::new();
        let mut current = usize::MAX;
        for (&(c, _), found) in jobs.iter().zip(per_job) {
            if c != current {
                groups.clear();
                current = c;
            }
            for (finding, key) in found {
                if let Some(key) = key {
                    if let Some(&first) = groups.get(&key) {
                        for r in finding.related {
                            if !out[first].related.contains(&r) {
                                out[first].related.push(r);
                            }
                        }
                        continue;
                    }
                    groups.insert(key, out.len());
                }
                out.push(finding);
            }
        }
        out
    }

    fn entities(&self, rule: usize, check: &Check) -> Vec<u32> {
        let m = self.model;
        match check.collection {
            Collection::Table(Kind::Account) => (0..m.first_duplicate_account as u32).collect(),
            Collection::DuplicateAccounts => {
                (m.first_duplicate_account as u32..m.len(Kind::Account) as u32).collect()
            }
            Collection::Matches => m
                .match_rules
                .iter()
                .enumerate()
                .filter(|(_, (r, _))| *r == rule)
                .map(|(i, _)| i as u32)
                .collect(),
            Collection::Table(k) => (0..m.len(k) as u32).collect(),
        }
    }

    /// The findings of one check on some of its entities, each with its `one_per` key.
    fn run_check(
        &self,
        rule_idx: usize,
        rule: &Rule,
        check: &Check,
        entities: &[u32],
    ) -> Vec<(Finding, Option<String>)> {
        let kind = check.collection.kind();
        let mut out = Vec::new();
        // One environment for the whole run: slot 0 is the entity, the others are lambdas'.
        let mut env: Vec<Val> = vec![Val::of(V::Absent); check.slots.max(2)];
        for &idx in entities {
            let record = self.model.record(kind, idx);
            let ctx = Ctx {
                model: self.model,
                today: self.today,
                options: self.settings.options(rule_idx, record.file()),
                schemes: self.schemes,
            };
            env[0] = Val {
                v: V::Ref(kind, idx),
                loc: record.loc(),
                src: None,
            };
            match &check.each {
                None => out.extend(self.finding(&ctx, rule_idx, rule, check, idx, &mut env)),
                Some(each) => {
                    let list = ctx.eval(each, &mut env);
                    for item in ctx.items(&list).unwrap_or_default() {
                        env[1] = item;
                        out.extend(self.finding(&ctx, rule_idx, rule, check, idx, &mut env));
                    }
                }
            }
        }
        out
    }

    /// The finding of one entity (and item, with `each`) when the condition holds, with its
    /// `one_per` key.
    fn finding<'m>(
        &self,
        ctx: &Ctx<'m>,
        rule_idx: usize,
        rule: &Rule,
        check: &'m Check,
        idx: u32,
        env: &mut Vec<Val<'m>>,
    ) -> Option<(Finding, Option<String>)> {
        let kind = check.collection.kind();
        let cond = ctx.eval(&check.condition, env);
        if ctx.tri(&cond) != super::eval::Tri::True {
            return None;
        }
        let (loc, src) = self.location(ctx, check, kind, idx, env);
        let loc = loc?;
        let message = render(ctx, &check.message, env);
        let mut finding = Finding::new(rule_idx, rule.severity, message, loc);
        finding.route = self.route(kind, idx, src);
        if let Some(subject) = &check.subject {
            let v = ctx.eval(subject, env);
            finding.subject = ctx.render(&v);
        }
        if let Some(spec) = &check.fix {
            finding.fix = super::fix::plan(ctx, spec, env);
        }
        let mut group = None;
        if !check.one_per.is_empty() {
            let key: Vec<String> = check
                .one_per
                .iter()
                .map(|e| {
                    let v = ctx.eval(e, env);
                    match v.v {
                        V::Ref(k, r) => format!("{}#{r}", k.name()),
                        _ => ctx.render(&v),
                    }
                })
                .collect();
            group = Some(key.join("\u{1f}"));
        }
        if let Some(related) = &check.related {
            let v = ctx.eval(related, env);
            let items = ctx.items(&v).unwrap_or_else(|| vec![v]);
            for item in items {
                let Some(rloc) = self.item_loc(&item) else {
                    continue;
                };
                let msg = match &check.related_message {
                    Some(t) => {
                        env[1] = item.clone();
                        render(ctx, t, env)
                    }
                    None => format!("related: {}", ctx.render(&item)),
                };
                finding.related.push(Related {
                    loc: rloc,
                    message: msg,
                });
            }
        }
        Some((finding, group))
    }

    /// The first `at` expression that gives a location; else the entity's key; else the entity.
    fn location<'m>(
        &self,
        ctx: &Ctx<'m>,
        check: &'m Check,
        kind: Kind,
        idx: u32,
        env: &mut Vec<Val<'m>>,
    ) -> (Option<Loc>, Option<Src>) {
        for at in &check.at {
            let v = ctx.eval(at, env);
            if v.is_null() || v.is_invalid() {
                continue;
            }
            if let Some(loc) = v.loc.or_else(|| self.item_loc(&v)) {
                return (Some(loc), v.src);
            }
        }
        let record = self.model.record(kind, idx);
        if let Some(key) = key_field(kind) {
            if let Some(loc) = record.slot_loc(key) {
                return (Some(loc), None);
            }
        }
        (record.loc(), None)
    }

    /// Where a related item is: an entity's own location, or the value's.
    fn item_loc(&self, v: &Val) -> Option<Loc> {
        match v.v {
            V::Ref(k, r) => {
                let rec = self.model.record(k, r);
                rec.loc().or(v.loc)
            }
            _ => v.loc,
        }
    }

    fn route(&self, kind: Kind, idx: u32, src: Option<Src>) -> String {
        let Some(src) = src.filter(|s| s.record != u32::MAX) else {
            return self.model.route(kind, idx);
        };
        let mut route = self.model.route(src.kind, src.record);
        // Where the value sits below its record, as the field table declares it.
        route.push_str(fields_of(src.kind)[src.field as usize].route_suffix());
        if src.item != u32::MAX {
            route.push_str(&format!("/{}", src.item));
        }
        route
    }
}

fn render<'m>(ctx: &Ctx<'m>, parts: &'m [Part], env: &mut Vec<Val<'m>>) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Text(t) => s.push_str(t),
            Part::Expr(e) => {
                let v = ctx.eval(e, env);
                s.push_str(&ctx.render(&v));
            }
        }
    }
    s
}
