//! Code actions: each finding's fix as a `quickfix` (preferred when safe), "suppress RULE on
//! this line" for YAML documents, and `source.fixAll.bridgelint`, the rounds of the document's
//! safe fixes (as `check --fix`), returned as one edit of the document.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, WorkspaceEdit,
};
use serde_json::Value;

use super::diagnostics::{to_lsp, Scope};
use super::documents::{range, Document, Encoding};
use super::Server;
use crate::commands::add_suppression::{line_edit, line_starts, NOT_SUPPRESSIBLE};
use crate::commands::fix;
use crate::finding::Applicability;
use crate::report::Diagnostic;
use crate::source::{Limits, Syntax};

impl Server {
    pub fn code_actions(&mut self, p: CodeActionParams) -> Value {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.docs.get(&key) else {
            return Value::Array(Vec::new());
        };
        let wants = |kind: &str| match &p.context.only {
            None => true,
            Some(only) => only
                .iter()
                .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str()))),
        };
        let mut out: Vec<CodeActionOrCommand> = Vec::new();
        let findings = self.findings.get(&key).cloned().unwrap_or_default();
        let cwd = self.cwd_of(doc);
        for d in &findings {
            let r = range(
                &doc.text,
                d.start.offset as usize,
                d.end.offset as usize,
                self.enc,
            );
            if !overlaps(r, p.range) {
                continue;
            }
            let diag = to_lsp(d, &doc.text, self.enc, &cwd, &|p| self.text_of(p));
            if wants("quickfix") {
                out.extend(self.fix_action(doc, d, &diag));
                out.extend(self.suppress_action(doc, d, &diag));
            }
        }
        if wants(super::FIX_ALL) {
            let doc = doc.clone();
            out.extend(self.fix_all(&doc));
        }
        serde_json::to_value(out).expect("serializable")
    }

    fn fix_action(
        &self,
        doc: &Document,
        d: &Diagnostic,
        diag: &lsp_types::Diagnostic,
    ) -> Option<CodeActionOrCommand> {
        let f = d.fix.as_ref()?;
        let edits = fix::edits_of(d)
            .into_iter()
            .map(|e| text_edit(&doc.text, e.start, e.end, e.content, self.enc))
            .collect();
        Some(CodeActionOrCommand::CodeAction(CodeAction {
            title: f.message.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            edit: Some(self.workspace_edit(doc, edits)),
            is_preferred: Some(f.applicability == Applicability::Safe),
            ..CodeAction::default()
        }))
    }

    fn suppress_action(
        &self,
        doc: &Document,
        d: &Diagnostic,
        diag: &lsp_types::Diagnostic,
    ) -> Option<CodeActionOrCommand> {
        if !doc.is_yaml() || NOT_SUPPRESSIBLE.contains(&d.rule.as_str()) {
            return None;
        }
        let parsed =
            crate::source::parse(&doc.text, Syntax::Yaml, &Limits::default(), true).ok()?;
        let starts = line_starts(&doc.text);
        let names = [d.rule.as_str()];
        let (s, e, content) = line_edit(
            &doc.text,
            &parsed.comments,
            &starts,
            d.start.line,
            &names,
            "<why>",
            Default::default(),
        )?;
        let edit = text_edit(&doc.text, s, e, content, self.enc);
        Some(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Suppress {} on this line", d.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            edit: Some(self.workspace_edit(doc, vec![edit])),
            is_preferred: Some(false),
            ..CodeAction::default()
        }))
    }

    /// The safe fixes of the document, in rounds (at most `fix::MAX_ROUNDS`), as one edit.
    fn fix_all(&mut self, doc: &Document) -> Option<CodeActionOrCommand> {
        let scope = Scope::of(&self.folders, &doc.path);
        let mut text = doc.text.clone();
        for _ in 0..fix::MAX_ROUNDS {
            let run = self.run_scope(&scope, Some((&doc.path, &text))).ok()?;
            let findings = run.by_path.get(&doc.path).cloned().unwrap_or_default();
            let mut chosen: Vec<Vec<crate::edit::Edit>> = Vec::new();
            for d in &findings {
                let safe = d
                    .fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe);
                let edits = fix::edits_of(d);
                if safe && !chosen.iter().any(|c| fix::conflict(c, &edits)) {
                    chosen.push(edits);
                }
            }
            if chosen.is_empty() {
                break;
            }
            let next = crate::edit::apply(&text, &chosen.concat());
            if !fix::parses(&doc.path, &next) {
                break;
            }
            text = next;
        }
        if text == doc.text {
            return None;
        }
        let edit = text_edit(&doc.text, 0, doc.text.len(), text, self.enc);
        Some(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Fix all safe bridgelint findings".to_string(),
            kind: Some(CodeActionKind::from(super::FIX_ALL.to_string())),
            edit: Some(self.workspace_edit(doc, vec![edit])),
            ..CodeAction::default()
        }))
    }

    /// The edits of one document: `documentChanges` with its version when the client takes
    /// them, else `changes`.
    fn workspace_edit(&self, doc: &Document, edits: Vec<TextEdit>) -> WorkspaceEdit {
        if self.document_changes {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: doc.uri.clone(),
                        version: Some(doc.version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }
        }
    }

    /// The current folder of the run a document belongs to.
    pub fn cwd_of(&self, doc: &Document) -> std::path::PathBuf {
        let scope = Scope::of(&self.folders, &doc.path);
        match self.runs.get(&scope) {
            Some(p) => p.cwd.clone(),
            None => doc
                .path
                .parent()
                .map(|p| p.to_path_buf())
                .unwrap_or_default(),
        }
    }
}

fn text_edit(text: &str, s: usize, e: usize, content: String, enc: Encoding) -> TextEdit {
    TextEdit {
        range: range(text, s, e, enc),
        new_text: content,
    }
}

/// Whether two ranges meet (touching counts: a cursor at a finding's end is on it).
fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: lsp_types::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}
