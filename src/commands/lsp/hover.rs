//! Hover: placeholder until written.
use super::Server;
use lsp_types::HoverParams;
use serde_json::Value;
impl Server {
    pub fn hover(&mut self, _p: HoverParams) -> Value {
        Value::Null
    }
}
