//! Hover: every section that applies at a position, findings first (the rule's summary and
//! explanation), then the entity's facts: an account id (its inventory row), a grant name (its
//! layer, tier, implications and description from the catalog), a `system` value (the system's
//! name and credential types). Values quoted from files pass through the rules' credential
//! patterns first, and no credential field is ever quoted. An account's hover also gives its
//! review state: `reviewed` against the `max_age_days` the run gives `stale-review` for the
//! inventory file (docs/decisions.md 84).

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use serde_json::Value;

use super::diagnostics::Project;
use super::documents::{offset, range};
use super::index;
use super::Server;
use crate::catalog::{Catalog, Layer};
use crate::model::date;
use crate::pipeline::{self, redact::mask_message};
use crate::rules::eval::OptVal;
use crate::source::Node;

/// The inventory fields a hover on an account shows.
const ACCOUNT_FIELDS: [&str; 6] = ["system", "type", "owner", "purpose", "reviewed", "tested"];

impl Server {
    pub fn hover(&mut self, p: HoverParams) -> Value {
        let pos = p.text_document_position_params;
        let Some(doc) = self.docs.get(pos.text_document.uri.as_str()) else {
            return Value::Null;
        };
        let off = offset(&doc.text, pos.position, self.enc);
        let project = self
            .runs
            .get(&super::diagnostics::Scope::of(&self.folders, &doc.path));
        let mut sections: Vec<String> = Vec::new();
        for d in self
            .findings
            .get(pos.text_document.uri.as_str())
            .into_iter()
            .flatten()
        {
            if (d.start.offset as usize..=d.end.offset as usize).contains(&off) {
                let mut s = format!("**{}** ({}): {}", d.rule, d.severity.name(), d.message);
                if let Some(meta) = project.and_then(|p| p.rules.get(&d.rule)) {
                    s.push_str(&format!("\n\n{}\n\n{}", meta.summary, meta.help_markdown));
                }
                sections.push(s);
            }
        }
        let mut span = None;
        if let (Some((doc, roots, at)), Some(project)) = (self.at(&pos), project) {
            let root = roots.iter().find(|r| index::at(r, off as u32).is_some());
            if let (Some(root), Some(text)) = (root, at.text.as_deref()) {
                let facts = self.facts(doc, root, &at.keys(), at.on_key, text, project);
                if let Some(f) = facts {
                    let masked = mask_message(&f, &project.patterns);
                    sections.push(masked);
                    span = Some(range(
                        &doc.text,
                        at.span.start.offset as usize,
                        at.span.end.offset as usize,
                        self.enc,
                    ));
                }
            }
        }
        if sections.is_empty() {
            return Value::Null;
        }
        let hover = Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: sections.join("\n\n---\n\n"),
            }),
            range: span,
        };
        serde_json::to_value(hover).expect("serializable")
    }

    /// The facts of what lies at a route, when it names an account, a grant or a system.
    fn facts(
        &self,
        doc: &super::documents::Document,
        root: &Node<'_>,
        keys: &[&str],
        on_key: bool,
        text: &str,
        project: &Project,
    ) -> Option<String> {
        let catalog = &project.catalog;
        match (keys, on_key) {
            (["connections", _, "account"], false) | (["accounts", _], true) => {
                let entry = self
                    .project_entries(doc, "ServiceAccounts", "accounts")
                    .into_iter()
                    .find(|e| e.name == text)?;
                // The kept project's settings; a file it does not list (excluded) reads them
                // from the config as `check` naming that file would.
                let option = self
                    .rule_option(&entry.path, "stale-review", "max_age_days")
                    .or_else(|| {
                        let (cwd, rule) = (&project.cwd, "stale-review");
                        pipeline::rule_option(cwd, &entry.path, rule, "max_age_days")
                            .ok()
                            .flatten()
                    });
                let max_age = match option {
                    Some(OptVal::Int(days)) => Some(days),
                    _ => None,
                };
                let today = self.now.unwrap_or_else(date::today_utc);
                let mut row = account_row(text, &entry.value);
                let reviewed = entry.value.get("reviewed").and_then(index::scalar_text);
                row.push_str(&format!(
                    "\n- review: {}",
                    review_state(reviewed.as_deref(), max_age, today)
                ));
                Some(row)
            }
            (["connections", _, "system"] | ["accounts", _, "system"], false) => {
                let (_, sys) = catalog.get(text)?;
                let types: Vec<&str> = sys.credential_types.keys().map(String::as_str).collect();
                Some(format!(
                    "**{}** (`{}`)\n\ncredential types: {}",
                    sys.name,
                    sys.id,
                    types.join(", ")
                ))
            }
            (["accounts", _, "permissions", "#"], false)
            | (["connections", _, "account", "permissions", "#"], false) => grant(
                catalog,
                &index::system_of(root, keys)?,
                text,
                Layer::Permission,
            ),
            (["connections", _, "credential", "scopes", "#"], false) => {
                grant(catalog, &index::system_of(root, keys)?, text, Layer::Scope)
            }
            _ => None,
        }
    }
}

fn account_row(id: &str, value: &Node<'_>) -> String {
    let mut s = format!("**account `{id}`**\n");
    for field in ACCOUNT_FIELDS {
        let v = value.get(field).and_then(index::scalar_text);
        s.push_str(&format!("\n- {field}: {}", v.as_deref().unwrap_or("—")));
    }
    s
}

/// The review state of an account last reviewed on `reviewed` (`YYYY-MM-DD`), `today`, when
/// `stale-review` allows `max_age` days between reviews: the rule's own test (overdue when
/// more days than that have passed since the review, or when none is recorded; a date in the
/// future is never overdue), so that the hover and the finding agree.
fn review_state(reviewed: Option<&str>, max_age: Option<i64>, today: i32) -> String {
    let Some(text) = reviewed else {
        return "none recorded (`stale-review`)".into();
    };
    let Some(day) = date::parse(text) else {
        return "`reviewed` is not a date".into();
    };
    let Some(max) = max_age.and_then(|m| i32::try_from(m).ok()) else {
        return format!("last on {text}");
    };
    let due = day.saturating_add(max);
    let ago = today - day;
    if today > due {
        format!(
            "**overdue**: was due by {} (last on {text}, {ago} days ago; at most every {max} days)",
            date::format(due)
        )
    } else {
        format!(
            "due by {} (in {} days; at most every {max} days)",
            date::format(due),
            due - today
        )
    }
}

fn grant(catalog: &Catalog, system: &str, name: &str, layer: Layer) -> Option<String> {
    let (_, sys) = catalog.get(system)?;
    let g = sys
        .grants
        .iter()
        .find(|g| g.name == name && g.layer == layer)?;
    let mut s = format!(
        "**{}** — {} of {} (`{}`), tier {}",
        g.name,
        g.layer.name(),
        sys.name,
        sys.id,
        g.tier.name()
    );
    if !g.implies.is_empty() {
        s.push_str(&format!("\n\nimplies: {}", g.implies.join(", ")));
    }
    if let Some(d) = &g.description {
        s.push_str(&format!("\n\n{d}"));
    }
    Some(s)
}
