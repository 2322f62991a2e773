//! Completion: `system` values from the catalog, `account` ids from the inventory,
//! `credential.type` values the connection's system supports, grant names of the entity's
//! system in `permissions` (permission layer) and `scopes` (scope layer), capability names in
//! `sync`, connection ids in `from`/`to`. The key is read from the line being typed (a value,
//! a flow sequence, or a block sequence item under its key), the entity from the last
//! connection or account that starts before the cursor.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionParams};
use serde_json::Value;

use super::documents::offset;
use super::index;
use super::Server;
use crate::catalog::{Layer, CAPABILITIES};
use crate::source::Node;

impl Server {
    pub fn completion(&mut self, p: CompletionParams) -> Value {
        let pos = p.text_document_position;
        let Some(doc) = self.docs.get(pos.text_document.uri.as_str()) else {
            return Value::Null;
        };
        let off = offset(&doc.text, pos.position, self.enc);
        let Some(key) = key_at(&doc.text, off) else {
            return Value::Array(Vec::new());
        };
        let scope = super::diagnostics::Scope::of(&self.folders, &doc.path);
        let Some(project) = self.runs.get(&scope) else {
            return Value::Array(Vec::new());
        };
        let catalog = &project.catalog;
        let roots = index::documents(&doc.text, &doc.path);
        let system = roots.iter().find_map(|r| entity_system(r, off as u32));
        let item = |label: &str, detail: &str, kind| CompletionItem {
            label: label.to_string(),
            detail: (!detail.is_empty()).then(|| detail.to_string()),
            kind: Some(kind),
            ..CompletionItem::default()
        };
        let grants = |layer: Layer| -> Vec<CompletionItem> {
            let Some((_, sys)) = system.as_deref().and_then(|s| catalog.get(s)) else {
                return Vec::new();
            };
            sys.grants
                .iter()
                .filter(|g| g.layer == layer)
                .map(|g| item(&g.name, g.tier.name(), CompletionItemKind::CONSTANT))
                .collect()
        };
        let items: Vec<CompletionItem> = match key.as_str() {
            "system" => catalog
                .systems
                .iter()
                .map(|s| item(&s.head.id, &s.head.name, CompletionItemKind::MODULE))
                .collect(),
            "account" => self
                .project_entries(doc, "ServiceAccounts", "accounts")
                .iter()
                .map(|e| {
                    let sys = e.value.get("system").and_then(Node::as_str).unwrap_or("");
                    item(&e.name, sys, CompletionItemKind::REFERENCE)
                })
                .collect(),
            "type" => match system.as_deref().and_then(|s| catalog.get(s)) {
                Some((_, sys)) => sys
                    .credential_types
                    .keys()
                    .map(|t| item(t, "credential type", CompletionItemKind::ENUM_MEMBER))
                    .collect(),
                None => Vec::new(),
            },
            "permissions" => grants(Layer::Permission),
            "scopes" => grants(Layer::Scope),
            "sync" => CAPABILITIES
                .iter()
                .map(|c| item(c, "capability", CompletionItemKind::ENUM_MEMBER))
                .collect(),
            "from" | "to" => roots
                .iter()
                .flat_map(|r| {
                    index::entries(
                        std::slice::from_ref(r),
                        &doc.path,
                        "Integration",
                        "connections",
                    )
                })
                .map(|e| item(&e.name, "connection", CompletionItemKind::REFERENCE))
                .collect(),
            _ => Vec::new(),
        };
        serde_json::to_value(items).expect("serializable")
    }
}

/// The key whose value is being typed at `off`: `key: |`, `key: [a, |`, or a block item
/// `- |` under `key:`.
fn key_at(text: &str, off: usize) -> Option<String> {
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..off];
    let trimmed = before.trim_start();
    let item = trimmed.strip_prefix("- ").or(trimmed.strip_prefix('-'));
    if let Some(rest) = item {
        if !rest.contains(':') {
            let indent = before.len() - trimmed.len();
            return key_above(&text[..line_start], indent);
        }
    }
    let body = item.unwrap_or(trimmed).trim_start_matches(['{', ' ']);
    // In a flow mapping, the last `key:` before the cursor.
    let colon = body
        .rfind(": ")
        .or_else(|| body.ends_with(':').then(|| body.len() - 1))?;
    let head = &body[..colon];
    let key = head.rsplit([',', '{', ' ']).next()?.trim();
    let value = &body[colon + 1..];
    (!key.is_empty() && !value.contains(']')).then(|| key.to_string())
}

/// The key of the block sequence whose item starts at `indent`: the nearest line above, less
/// indented (or as indented: `key:` then `- item` at the same column), that ends with `key:`.
fn key_above(text: &str, indent: usize) -> Option<String> {
    for line in text.lines().rev() {
        let t = line.trim_start();
        if t.is_empty()
            || t.starts_with('#')
            || t.starts_with('-') && line.len() - t.len() == indent
        {
            continue;
        }
        if line.len() - t.len() > indent {
            continue;
        }
        let t = t.trim_end();
        return t
            .strip_suffix(':')
            .map(|k| k.trim_start_matches("- ").trim().to_string());
    }
    None
}

/// The system of the connection or inventory account that starts last before `off`.
fn entity_system(root: &Node<'_>, off: u32) -> Option<String> {
    ["connections", "accounts"]
        .iter()
        .filter_map(|section| root.get(section).and_then(Node::as_map))
        .flatten()
        .filter(|e| e.key_span.start.offset <= off)
        .max_by_key(|e| e.key_span.start.offset)
        .and_then(|e| e.value.get("system")?.as_str().map(str::to_string))
}
