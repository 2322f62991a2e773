//! The commands that print documentation: `schema`, `rules` and `explain` (`systems` has
//! its own module).

use std::path::PathBuf;

use super::{load_rules, print_out};
use crate::cli::RulesFormat;
use crate::rules::docs::opt_json;
use crate::rules::RuleSet;
use crate::schema::{SchemaKind, ALL_KINDS};
use crate::suggest::closest;

/// `bridgelint schema KIND`: prints one of the embedded JSON Schemas.
pub fn schema_command(name: &str) -> u8 {
    match SchemaKind::from_name(name) {
        Some(kind) => print_out(kind.source()).err().unwrap_or(0),
        None => {
            let names: Vec<&str> = ALL_KINDS.iter().map(|k| k.name()).collect();
            let hint = closest(name, names.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            stderrln!(
                "error: unknown schema `{name}`{hint}; one of: {}",
                names.join(", ")
            );
            2
        }
    }
}

/// `bridgelint rules`: one line (or JSON object) per rule.
pub fn rules_command(dirs: &[PathBuf], format: RulesFormat) -> u8 {
    match load_rules(dirs, &[]) {
        Ok((rules, _)) => print_out(&rules_list(&rules, format)).err().unwrap_or(0),
        Err(code) => code,
    }
}

/// `bridgelint explain RULE`: the rule's full documentation.
pub fn explain_command(dirs: &[PathBuf], name: &str) -> u8 {
    let rules = match load_rules(dirs, &[]) {
        Ok((rules, _)) => rules,
        Err(code) => return code,
    };
    match rules.get(name) {
        Some(rule) => print_out(&crate::rules::docs::explain(rule))
            .err()
            .unwrap_or(0),
        None => {
            let hint = rules
                .closest_name(name)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            stderrln!("error: unknown rule `{name}`{hint}; `bridgelint rules` lists them");
            2
        }
    }
}

pub fn rules_list(rules: &RuleSet, format: RulesFormat) -> String {
    match format {
        RulesFormat::Text => {
            let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for r in &rules.rules {
                out.push_str(&format!(
                    "{:<width$}  {:<7}  {}\n",
                    r.name,
                    r.severity.name(),
                    r.summary.trim(),
                    width = width
                ));
            }
            out
        }
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "severity": r.severity.name(),
                        "category": r.category,
                        "summary": r.summary.trim(),
                        "builtin": r.builtin,
                        "options": r.options.iter().map(|o| serde_json::json!({
                            "name": o.name,
                            "default": opt_json(&o.default),
                            "description": o.description,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&list).expect("serialisable");
            s.push('\n');
            s
        }
    }
}
