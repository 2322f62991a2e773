//! Rule documentation, generated from the rule files themselves: `bridgelint explain`, the
//! SARIF `help` and the reference pages under docs/ all read the same text.

use crate::rules::eval::OptVal;
use crate::rules::{Rule, RuleSet};

/// An option's value as JSON (`rules --format json`, the rules reference).
pub fn opt_json(v: &OptVal) -> serde_json::Value {
    match v {
        OptVal::Int(i) => (*i).into(),
        OptVal::Bool(b) => (*b).into(),
        OptVal::Str(s) => s.clone().into(),
        OptVal::List(l) => l.clone().into(),
    }
}

/// The rule's summary with the values its options have in this run: a summary names an
/// option's value as `` `NAME` (DEFAULT) ``, which becomes `` `NAME` (VALUE) `` with `value(i)`
/// of the rule's `i`-th option, or just `` `NAME` `` when `value(i)` is `None` (the run has
/// several values, e.g. by `per_path`).
pub fn summary_with<'v>(rule: &Rule, value: impl Fn(usize) -> Option<&'v OptVal>) -> String {
    let mut summary = rule.summary.trim().to_string();
    for (i, o) in rule.options.iter().enumerate() {
        let named = format!("`{}` ({})", o.name, opt_json(&o.default));
        if !summary.contains(&named) {
            continue;
        }
        let now = match value(i) {
            Some(v) => format!("`{}` ({})", o.name, opt_json(v)),
            None => format!("`{}`", o.name),
        };
        summary = summary.replace(&named, &now);
    }
    summary
}

/// The full explanation of a rule (also SARIF's `help`).
pub fn explain(rule: &Rule) -> String {
    document(rule, rule.summary.trim(), &PLAIN)
}

/// [`explain`] with another summary: one naming the option values of a run
/// ([`summary_with`]), for SARIF's `help.text`.
pub fn explain_with(rule: &Rule, summary: &str) -> String {
    document(rule, summary, &PLAIN)
}

/// The rule's documentation as Markdown (SARIF's `help.markdown`, which code-scanning views
/// render): the same content as [`explain`], with the examples as YAML code blocks and the
/// options and sources as lists.
pub fn explain_markdown(rule: &Rule, summary: &str) -> String {
    document(rule, summary, &MARKDOWN)
}

/// How [`document`] writes each part: plain text for the terminal, or Markdown.
struct Style {
    title: fn(&str) -> String,
    heading: fn(&str) -> String,
    options_note: &'static str,
    option: fn(&str, &str, &str, &str) -> String,
    example: fn(&str) -> String,
    source: fn(&str) -> String,
}

const PLAIN: Style = Style {
    title: |name| name.to_string(),
    heading: |h| format!("\n{h}:\n"),
    options_note: "",
    option: |name, default, range, doc| format!("  {name} (default: {default}{range}): {doc}\n"),
    example: |text| format!("\n{}", indent(text)),
    source: |s| format!("  - {s}\n"),
};

const MARKDOWN: Style = Style {
    title: |name| format!("**{name}**"),
    heading: |h| format!("\n#### {h}\n\n"),
    options_note: "Set in `.bridgelint.yaml` under `rules:`.\n\n",
    option: |name, default, range, doc| {
        format!("- `{name}` (default: `{default}`{range}): {doc}\n")
    },
    example: |text| {
        let fence = fence_for(text);
        format!("{fence}yaml\n{}\n{fence}\n", text.trim_end())
    },
    source: |s| format!("- {s}\n"),
};

fn document(rule: &Rule, summary: &str, style: &Style) -> String {
    document_with_fix(rule, &fix_line(rule), summary, style)
}

/// The writers of a rule's [`explain_with`] and [`explain_markdown`], for a report that may
/// never show them (only SARIF and the language server's hover do; writing both for every rule
/// was 7 % of the instructions of a one-file run): each owns what it needs, a copy of the
/// rule's documentation without its checks and patterns, and the fix line read from them now.
pub fn deferred(rule: &Rule, summary: &str) -> [impl Fn() -> String + Send + Sync + 'static; 2] {
    let doc = std::sync::Arc::new((
        Rule {
            name: rule.name.clone(),
            severity: rule.severity,
            category: rule.category.clone(),
            summary: rule.summary.clone(),
            explanation: rule.explanation.clone(),
            examples: rule.examples.clone(),
            sources: rule.sources.clone(),
            options: rule.options.clone(),
            intrinsic: rule.intrinsic,
            patterns: Vec::new(),
            checks: Vec::new(),
            origin: rule.origin.clone(),
            builtin: rule.builtin,
        },
        fix_line(rule),
        summary.to_string(),
    ));
    [&PLAIN, &MARKDOWN].map(|style| {
        let doc = doc.clone();
        move || document_with_fix(&doc.0, &doc.1, &doc.2, style)
    })
}

fn document_with_fix(rule: &Rule, fix: &str, summary: &str, style: &Style) -> String {
    let mut out = format!(
        "{} ({}, {})\n\n{}\n\n{}\n",
        (style.title)(&rule.name),
        rule.severity.name(),
        rule.category,
        summary,
        rule.explanation.trim()
    );
    if !rule.options.is_empty() {
        out.push_str(&if style.options_note.is_empty() {
            (style.heading)("Options (set in .bridgelint.yaml under `rules:`)")
        } else {
            (style.heading)("Options") + style.options_note
        });
        for o in &rule.options {
            let range = match o.default {
                crate::rules::eval::OptVal::Int(_) => {
                    format!(", from {} to {}", o.range.start(), o.range.end())
                }
                _ => String::new(),
            };
            let default = opt_json(&o.default).to_string();
            out.push_str(&(style.option)(
                &o.name,
                &default,
                &range,
                o.description.trim(),
            ));
        }
    }
    out.push_str(&(style.heading)("Fix"));
    out.push_str(&(style.source)(fix));
    if let Some(ex) = &rule.examples {
        for (title, text) in [("Bad", &ex.bad), ("Good", &ex.good)] {
            out.push_str(&(style.heading)(title));
            out.push_str(&(style.example)(text));
        }
    }
    if !rule.sources.is_empty() {
        out.push_str(&(style.heading)("Sources"));
        for s in &rule.sources {
            out.push_str(&(style.source)(s));
        }
    }
    out
}

/// A code fence longer than any run of backticks in `text` (at least three), so that a custom
/// rule's example cannot close its block early.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

/// The reference of the rule language: collections, entity fields, functions. Generated from
/// the model's field tables; `docs/model.md` is this text (a test keeps them equal).
pub fn model_reference() -> String {
    use crate::model::fields::{fields_of, ALL_KINDS};
    let mut out = String::from(
        "# The model rules see\n\n\
         Generated from the field tables in `src/model/fields.rs` \
         (`UPDATE_DOCS=1 cargo test --test docs` rewrites this file).\n\n\
         ## Collections (`for_each`)\n\n",
    );
    for (name, coll) in crate::rules::COLLECTIONS {
        let kind = coll.kind();
        let note = match coll {
            crate::rules::Collection::DuplicateAccounts => {
                " (later declarations of an account id only)"
            }
            crate::rules::Collection::Matches => " (matches of the rule's own `patterns`)",
            crate::rules::Collection::Table(crate::model::fields::Kind::Account) => {
                " (first declaration of each id, and inline accounts)"
            }
            _ => "",
        };
        out.push_str(&format!("- `{name}`: every {}{note}\n", kind.name()));
    }
    for kind in ALL_KINDS {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n| field | type | meaning |\n|---|---|---|\n",
            kind.name(),
            kind.doc()
        ));
        for f in fields_of(kind) {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                f.name,
                f.ty.describe(),
                f.doc.replace('|', "\\|")
            ));
        }
    }
    // Each function's documentation line, from its entry in the registry (rules/functions/).
    out.push_str("\n## Functions\n\n");
    for doc in crate::rules::functions::function_docs() {
        out.push_str(&format!(
            "- `{}`\n",
            doc.split_once(':').map_or(doc, |(sig, _)| sig)
        ));
        if let Some((_, what)) = doc.split_once(": ") {
            out.push_str(&format!("  {what}\n"));
        }
    }
    out
}

/// Every built-in rule's documentation, as `docs/rules-reference.md` holds it.
pub fn rules_reference(rules: &RuleSet) -> String {
    let mut out = String::from(
        "# Built-in rules\n\n\
         Generated from the rule files in `rules/` (`UPDATE_DOCS=1 cargo test --test docs` \
         rewrites this file); `bridgelint explain RULE` prints the same text.\n\n",
    );
    out.push_str("| rule | severity | summary |\n|---|---|---|\n");
    for r in rules.rules.iter().filter(|r| r.builtin) {
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} |\n",
            r.name,
            r.severity.name(),
            r.summary.trim().replace('|', "\\|")
        ));
    }
    for r in rules.rules.iter().filter(|r| r.builtin) {
        out.push_str(&format!("\n## {}\n\n```text\n{}```\n", r.name, explain(r)));
    }
    out
}

/// Whether the rule's findings have a fix, and of which applicability (`--fix` applies safe
/// ones, `--fix --unsafe-fixes` the others too).
pub fn fix_applicability(rule: &Rule) -> Option<crate::finding::Applicability> {
    use crate::finding::Applicability;
    // The intrinsic rules' fixes are made in Rust (`pipeline/filter.rs`, `pipeline/process.rs`).
    match rule.name.as_str() {
        "unused-suppression" => return Some(Applicability::Safe),
        "schema-violation" => return Some(Applicability::Unsafe),
        _ => {}
    }
    rule.checks
        .iter()
        .filter_map(|c| c.fix.as_ref())
        .map(|f| f.applicability)
        .min()
}

fn fix_line(rule: &Rule) -> String {
    let text = match (fix_applicability(rule), rule.name.as_str()) {
        (_, "schema-violation") => {
            "unsafe, for an unknown key with exactly one known key within two edits: \
             renames it (--fix --unsafe-fixes)"
        }
        (Some(crate::finding::Applicability::Safe), _) => "safe: --fix applies it",
        (Some(crate::finding::Applicability::Unsafe), _) => {
            "unsafe (it changes access or behaviour): --fix --unsafe-fixes applies it"
        }
        (None, _) => "none: mend it by hand",
    };
    text.to_string()
}
