//! `bridgelint lsp`: the language server (editing.md, "Language server"). This file owns the
//! server loop: reading messages, the protocol's states (before `initialize`, running, after
//! `shutdown`), dispatching requests and notifications to the files that own them, catching a
//! handler's panic, and writing replies and notifications. Synchronous: one message at a time
//! on the main thread, no async runtime.
//!
//! The other files: `transport.rs` (framing, replies to malformed messages), `documents.rs`
//! (open documents, position encodings, URIs), `diagnostics.rs` (project runs and published
//! diagnostics), `actions.rs` (code actions), `navigation.rs` (definition, references, document
//! symbols), `hover.rs`, `complete.rs` (completion), `index.rs` (the documents' trees read for
//! navigation, hover and completion).

mod actions;
mod complete;
mod diagnostics;
mod documents;
mod hover;
mod index;
mod navigation;
mod transport;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, InitializeResult, LogMessageParams, MessageType,
    OneOf, Registration, RegistrationParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde_json::Value;

use crate::cli::LspArgs;
use diagnostics::Scope;
use documents::{uri_to_path, Document, Encoding};
use transport::Incoming;

/// The kind of the fix-all source action.
pub const FIX_ALL: &str = "source.fixAll.bridgelint";

/// What a handler answers: a result, or a JSON-RPC error.
type Answer = Result<Value, (ErrorCode, String)>;

/// The server's state.
pub struct Server {
    pub enc: Encoding,
    pub folders: Vec<PathBuf>,
    /// Open documents by URI, as the client spelled it.
    pub docs: BTreeMap<String, Document>,
    /// The current findings of each open document.
    pub findings: BTreeMap<String, Vec<crate::report::Diagnostic>>,
    /// What the last run of each scope knew.
    pub runs: BTreeMap<Scope, diagnostics::Project>,
    /// Each scope's project, kept between changes.
    scopes: BTreeMap<Scope, diagnostics::ScopeState>,
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
    pub document_changes: bool,
    /// The built-in rules and catalog, loaded once (`Server::builtins`).
    builtins: std::sync::OnceLock<diagnostics::Builtins>,
    /// The client takes `LocationLink`s for a definition (else plain locations).
    pub link_support: bool,
    /// The client registers file watchers when asked (`client/registerCapability`).
    pub watch_files: bool,
    now: Option<i32>,
    pub verbose: bool,
    initialized: bool,
    shut_down: bool,
    outbox: Vec<Message>,
}

/// Runs the server until `exit` (or the end of input); the exit status.
pub fn command(args: &LspArgs) -> u8 {
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut server = Server::new(args);
    loop {
        let status = match transport::read(&mut input) {
            Ok(None) | Err(_) => Some(if server.shut_down { 0 } else { 1 }),
            Ok(Some(Incoming::Unparsable(e))) => {
                let msg = format!("parse error: {e}");
                let _ = transport::write_raw_error(&mut out, Value::Null, -32700, &msg);
                None
            }
            Ok(Some(Incoming::Invalid(id, e))) => {
                let msg = format!("invalid request: {e}");
                let _ = transport::write_raw_error(&mut out, id, -32600, &msg);
                None
            }
            Ok(Some(Incoming::Message(m))) => server.handle(m),
        };
        for m in std::mem::take(&mut server.outbox) {
            if transport::write(&mut out, &m).is_err() {
                return 1;
            }
        }
        let _ = out.flush();
        if let Some(status) = status {
            return status;
        }
    }
}

impl Server {
    fn new(args: &LspArgs) -> Server {
        Server {
            enc: Encoding::Utf16,
            folders: Vec::new(),
            docs: BTreeMap::new(),
            findings: BTreeMap::new(),
            runs: BTreeMap::new(),
            scopes: BTreeMap::new(),
            published: BTreeMap::new(),
            document_changes: false,
            watch_files: false,
            link_support: false,
            builtins: std::sync::OnceLock::new(),
            now: args.now,
            verbose: args.verbose,
            initialized: false,
            shut_down: false,
            outbox: Vec::new(),
        }
    }

    /// Handles one message; `Some(status)` when the server must end.
    fn handle(&mut self, m: Message) -> Option<u8> {
        match m {
            Message::Request(r) => {
                let id = r.id.clone();
                let answer = self.request(r);
                self.outbox.push(Message::Response(match answer {
                    Ok(v) => Response::new_ok(id, v),
                    Err((code, msg)) => Response::new_err(id, code as i32, msg),
                }));
                None
            }
            Message::Notification(n) if n.method == "exit" => {
                Some(if self.shut_down { 0 } else { 1 })
            }
            Message::Notification(n) => {
                if self.initialized && !self.shut_down {
                    self.notification(n);
                }
                None
            }
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, r: Request) -> Answer {
        if r.method == "initialize" {
            if self.initialized {
                return Err((ErrorCode::InvalidRequest, "already initialized".into()));
            }
            return self.initialize(r.params);
        }
        if !self.initialized {
            let msg = "the server is not initialized".to_string();
            return Err((ErrorCode::ServerNotInitialized, msg));
        }
        if self.shut_down {
            let msg = "the server is shutting down".to_string();
            return Err((ErrorCode::InvalidRequest, msg));
        }
        if r.method == "shutdown" {
            self.shut_down = true;
            return Ok(Value::Null);
        }
        let method = r.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(r))) {
            Ok(answer) => answer,
            Err(panic) => {
                let msg = format!("internal error in {method}: {}", panic_text(&panic));
                self.log(MessageType::ERROR, &msg);
                Err((ErrorCode::InternalError, msg))
            }
        }
    }

    fn dispatch(&mut self, r: Request) -> Answer {
        let p = r.params;
        match r.method.as_str() {
            "textDocument/codeAction" => parse(p).map(|p| self.code_actions(p)),
            "textDocument/definition" => parse(p).map(|p| self.definition(p)),
            "textDocument/references" => parse(p).map(|p| self.references(p)),
            "textDocument/documentSymbol" => parse(p).map(|p| self.symbols(p)),
            "textDocument/hover" => parse(p).map(|p| self.hover(p)),
            "textDocument/completion" => parse(p).map(|p| self.completion(p)),
            "bridgelint/panic" if std::env::var_os("BRIDGELINT_LSP_TEST_PANIC").is_some() => {
                panic!("a panic asked for by a test")
            }
            other => Err((ErrorCode::MethodNotFound, format!("unknown method {other}"))),
        }
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let changed = match n.method.as_str() {
                "textDocument/didOpen" => parse(n.params).map(|p| self.did_open(p)).is_ok(),
                "textDocument/didChange" => parse(n.params).map(|p| self.did_change(p)).is_ok(),
                "textDocument/didClose" => parse(n.params).map(|p| self.did_close(p)).is_ok(),
                "initialized" => {
                    self.register_watchers();
                    false
                }
                "workspace/didChangeWatchedFiles" => parse(n.params)
                    .map(|p| self.watched_files_changed(p))
                    .is_ok(),
                "textDocument/didSave" => parse(n.params).map(|p| self.did_save(p)).is_ok(),
                _ => false,
            };
            if changed {
                self.refresh();
            }
        }));
        if let Err(panic) = result {
            let msg = format!("internal error in {method}: {}", panic_text(&panic));
            self.log(MessageType::ERROR, &msg);
        }
    }

    fn initialize(&mut self, params: Value) -> Answer {
        let params: InitializeParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let offered = params.capabilities.general.as_ref();
        self.enc = Encoding::negotiate(offered.and_then(|g| g.position_encodings.as_deref()));
        self.document_changes = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        self.watch_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.link_support = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.definition.as_ref())
            .and_then(|d| d.link_support)
            .unwrap_or(false);
        self.folders = folders(&params);
        self.initialized = true;
        let result = InitializeResult {
            capabilities: capabilities(self.enc),
            server_info: Some(ServerInfo {
                name: "bridgelint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        Ok(serde_json::to_value(result).expect("serializable"))
    }

    fn did_open(&mut self, p: lsp_types::DidOpenTextDocumentParams) {
        let doc = p.text_document;
        let Some(path) = uri_to_path(&doc.uri) else {
            return;
        };
        let key = doc.uri.as_str().to_string();
        let document = Document {
            uri: doc.uri,
            path,
            version: doc.version,
            text: doc.text,
        };
        let path = document.path.clone();
        self.docs.insert(key, document);
        self.document_opened(&path);
    }

    fn did_change(&mut self, p: lsp_types::DidChangeTextDocumentParams) {
        let enc = self.enc;
        if let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) {
            doc.version = p.text_document.version;
            for change in p.content_changes {
                doc.apply(change, enc);
            }
        }
    }

    fn did_save(&mut self, p: lsp_types::DidSaveTextDocumentParams) {
        if let Some(path) = uri_to_path(&p.text_document.uri) {
            self.files_changed(&[(path, lsp_types::FileChangeType::CHANGED)]);
        }
    }

    fn watched_files_changed(&mut self, p: lsp_types::DidChangeWatchedFilesParams) {
        let changes: Vec<(PathBuf, lsp_types::FileChangeType)> = p
            .changes
            .into_iter()
            .filter_map(|c| Some((uri_to_path(&c.uri)?, c.typ)))
            .collect();
        self.files_changed(&changes);
    }

    fn did_close(&mut self, p: lsp_types::DidCloseTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        self.docs.remove(&key);
        self.findings.remove(&key);
        self.published.remove(&key);
        self.publish(p.text_document.uri, Vec::new(), None);
    }

    /// Asks the client to report changes of the files a run reads: YAML and JSON files (the
    /// config, documents, custom rules and catalogs are all such files).
    fn register_watchers(&mut self) {
        if !self.watch_files {
            return;
        }
        let watchers: Vec<FileSystemWatcher> = ["**/*.{yaml,yml,json}", "**/.bridgelint.yaml"]
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*g).to_string()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "bridgelint-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(serde_json::to_value(options).expect("serializable")),
            }],
        };
        let params = serde_json::to_value(params).expect("serializable");
        let id = lsp_server::RequestId::from("bridgelint-register-watchers".to_string());
        self.outbox.push(Message::Request(Request::new(
            id,
            "client/registerCapability".into(),
            params,
        )));
    }

    /// A notification to the client.
    pub fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        let params = serde_json::to_value(params).expect("serializable");
        self.outbox.push(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    /// Logs with `window/logMessage` (and to standard error under `--verbose`).
    pub fn log(&mut self, typ: MessageType, message: &str) {
        if self.verbose {
            stderrln!("bridgelint lsp: {message}");
        }
        let params = LogMessageParams {
            typ,
            message: message.to_string(),
        };
        self.notify("window/logMessage", params);
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

/// The workspace folders, else the root URI.
#[allow(deprecated)]
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match &params.workspace_folders {
        Some(f) if !f.is_empty() => f.iter().filter_map(|f| uri_to_path(&f.uri)).collect(),
        _ => params.root_uri.iter().filter_map(uri_to_path).collect(),
    };
    out.sort();
    out.dedup();
    out
}

fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(FIX_ALL.to_string()),
            ]),
            ..CodeActionOptions::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions::default()),
        ..ServerCapabilities::default()
    }
}
