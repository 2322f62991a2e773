//! Navigation: definition (a connection's `account` id → the inventory account; a flow's
//! `from`/`to` → the connection key), references (an inventory account key → every connection
//! that uses it), document symbols (integration → connections, flows; inventory → accounts).

use std::path::PathBuf;

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, GotoDefinitionParams, Location, LocationLink,
    ReferenceParams, SymbolKind, TextDocumentPositionParams,
};
use serde_json::Value;

use super::documents::{offset, range, Document};
use super::index::{self, At, Entry};
use super::Server;
use crate::source::{Node, Span};

impl Server {
    /// The open document and what lies at a position in it, with the document's roots.
    pub fn at(
        &self,
        p: &TextDocumentPositionParams,
    ) -> Option<(&Document, Vec<Node<'static>>, At)> {
        let doc = self.docs.get(p.text_document.uri.as_str())?;
        let off = offset(&doc.text, p.position, self.enc) as u32;
        let roots = index::documents(&doc.text, &doc.path);
        let at = roots.iter().find_map(|r| index::at(r, off))?;
        Some((doc, roots, at))
    }

    /// The files of the run a document belongs to (the document itself at least).
    pub fn project_files(&self, doc: &Document) -> Vec<PathBuf> {
        let scope = super::diagnostics::Scope::of(&self.folders, &doc.path);
        let mut files = self
            .runs
            .get(&scope)
            .map(|r| r.files.clone())
            .unwrap_or_default();
        if !files.contains(&doc.path) {
            files.push(doc.path.clone());
        }
        files
    }

    /// Every entry of `section` in documents of `kind` across the project of `doc`.
    pub fn project_entries(&self, doc: &Document, kind: &str, section: &str) -> Vec<Entry> {
        let mut out = Vec::new();
        for path in self.project_files(doc) {
            let Some((_, text)) = self.text_of(&path) else {
                continue;
            };
            let roots = index::documents(&text, &path);
            out.extend(index::entries(&roots, &path, kind, section));
        }
        out
    }

    /// The protocol range of a span of a file.
    pub fn file_range(
        &self,
        path: &std::path::Path,
        span: Span,
    ) -> Option<(lsp_types::Uri, lsp_types::Range)> {
        let (uri, text) = self.text_of(path)?;
        let r = range(
            &text,
            span.start.offset as usize,
            span.end.offset as usize,
            self.enc,
        );
        Some((uri, r))
    }

    pub fn definition(&mut self, p: GotoDefinitionParams) -> Value {
        let Some((doc, roots, at)) = self.at(&p.text_document_position_params) else {
            return Value::Null;
        };
        let name = match (&at.text, at.on_key) {
            (Some(t), false) => t.clone(),
            _ => return Value::Null,
        };
        let keys = at.keys();
        let target = match keys.as_slice() {
            ["connections", _, "account"] => self
                .project_entries(doc, "ServiceAccounts", "accounts")
                .into_iter()
                .find(|e| e.name == name),
            ["flows", "#", "from" | "to"] => {
                index::entries(&roots, &doc.path, "Integration", "connections")
                    .into_iter()
                    .find(|e| e.name == name)
            }
            _ => None,
        };
        let Some(target) = target else {
            return Value::Null;
        };
        let origin = range(
            &doc.text,
            at.span.start.offset as usize,
            at.span.end.offset as usize,
            self.enc,
        );
        let (Some((uri, whole)), Some((_, key))) = (
            self.file_range(&target.path, target.span),
            self.file_range(&target.path, target.key_span),
        ) else {
            return Value::Null;
        };
        if !self.link_support {
            let location = Location { uri, range: key };
            return serde_json::to_value(vec![location]).expect("serializable");
        }
        let link = LocationLink {
            origin_selection_range: Some(origin),
            target_uri: uri,
            target_range: whole,
            target_selection_range: key,
        };
        serde_json::to_value(vec![link]).expect("serializable")
    }

    pub fn references(&mut self, p: ReferenceParams) -> Value {
        let Some((doc, _, at)) = self.at(&p.text_document_position) else {
            return Value::Null;
        };
        let keys = at.keys();
        let (["accounts", id], true) = (keys.as_slice(), at.on_key) else {
            return Value::Array(Vec::new());
        };
        let id = id.to_string();
        let mut out: Vec<Location> = Vec::new();
        if p.context.include_declaration {
            if let Some((uri, r)) = self.file_range(&doc.path, at.span) {
                out.push(Location { uri, range: r });
            }
        }
        for c in self.project_entries(doc, "Integration", "connections") {
            let Some(account) = c.value.get("account") else {
                continue;
            };
            if account.as_str() == Some(id.as_str()) {
                if let Some((uri, r)) = self.file_range(&c.path, account.span) {
                    out.push(Location { uri, range: r });
                }
            }
        }
        serde_json::to_value(out).expect("serializable")
    }

    pub fn symbols(&mut self, p: DocumentSymbolParams) -> Value {
        let Some(doc) = self.docs.get(p.text_document.uri.as_str()) else {
            return Value::Null;
        };
        let roots = index::documents(&doc.text, &doc.path);
        let r = |s: Span| {
            range(
                &doc.text,
                s.start.offset as usize,
                s.end.offset as usize,
                self.enc,
            )
        };
        let mut out = Vec::new();
        for root in &roots {
            let kind = index::kind(root).unwrap_or_default();
            let children: Vec<DocumentSymbol> = match kind {
                "Integration" => {
                    let mut c = section(root, "connections", "connection", SymbolKind::OBJECT, &r);
                    c.extend(flows(root, &r));
                    c
                }
                "ServiceAccounts" => section(root, "accounts", "account", SymbolKind::OBJECT, &r),
                _ => Vec::new(),
            };
            let name = root
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Node::as_str)
                .unwrap_or(kind);
            out.push(symbol(
                name.to_string(),
                Some(kind.to_string()),
                SymbolKind::MODULE,
                root.span,
                root.span,
                &r,
                children,
            ));
        }
        serde_json::to_value(out).expect("serializable")
    }
}

fn section(
    root: &Node<'_>,
    key: &str,
    detail: &str,
    kind: SymbolKind,
    r: &dyn Fn(Span) -> lsp_types::Range,
) -> Vec<DocumentSymbol> {
    root.get(key)
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let whole = Span::new(e.key_span.start, e.value.span.end);
            symbol(
                e.key.to_string(),
                Some(detail.to_string()),
                kind,
                whole,
                e.key_span,
                r,
                Vec::new(),
            )
        })
        .collect()
}

fn flows(root: &Node<'_>, r: &dyn Fn(Span) -> lsp_types::Range) -> Vec<DocumentSymbol> {
    root.get("flows")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let end = |k: &str| f.get(k).and_then(Node::as_str).unwrap_or("?").to_string();
            let name = format!("{} → {}", end("from"), end("to"));
            symbol(
                name,
                Some("flow".to_string()),
                SymbolKind::EVENT,
                f.span,
                f.span,
                r,
                Vec::new(),
            )
        })
        .collect()
}

#[allow(deprecated)]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    whole: Span,
    selection: Span,
    r: &dyn Fn(Span) -> lsp_types::Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: r(whole),
        selection_range: r(selection),
        children: (!children.is_empty()).then_some(children),
    }
}
