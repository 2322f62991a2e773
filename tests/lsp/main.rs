//! `bridgelint lsp` driven through the protocol as an editor drives it: the real binary over
//! standard input and output (`client.rs`), initialize and position encodings, protocol errors
//! and exit status (`protocol.rs`), diagnostics (`diagnostics.rs`), code actions
//! (`actions.rs`), navigation, hover and completion (`navigation.rs`); and our input schemas in
//! another server, yaml-language-server (`yaml_language_server.rs`).

#[path = "../support/mod.rs"]
mod support;

mod actions;
mod client;
mod diagnostics;
mod incremental;
mod navigation;
mod neovim;
mod protocol;
mod yaml_language_server;

use client::Client;
use serde_json::{json, Value};
use support::{Scratch, CLEAN_ACCOUNTS, CLEAN_INTEGRATION, NOW};
