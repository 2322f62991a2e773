//! `.bridgelint.yaml`: discovery, validation, and the per-rule settings it produces together
//! with the command line (command line over `per_path` over `rules` over built-in defaults).
//!
//! This module finds and loads the file; `settings.rs` resolves the effective settings.

mod settings;

pub use settings::{CliRules, Settings};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::data::{self, error_at, DataError};
use crate::schema::SchemaKind;
use crate::source::tree::{locate, Node, Step};
use crate::source::Pos;

pub const CONFIG_NAMES: [&str; 2] = [".bridgelint.yaml", ".bridgelint.yml"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub fail_on: Option<String>,
    #[serde(default)]
    pub fail_on_empty: bool,
    #[serde(default)]
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub jobs: Option<usize>,
    #[serde(default)]
    pub rules: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub per_path: Vec<PerPathFile>,
    #[serde(default)]
    pub custom_rules: Vec<String>,
    #[serde(default)]
    pub catalogs: Vec<String>,
    #[serde(default)]
    pub secret_reference_schemes: Option<Vec<String>>,
    #[serde(default)]
    pub max_file_size: Option<u64>,
    #[serde(default)]
    pub baseline: Option<String>,
    #[serde(default, rename = "$schema")]
    pub schema: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPathFile {
    pub paths: Vec<String>,
    pub rules: BTreeMap<String, serde_json::Value>,
}

/// A loaded config file.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file, when there is one.
    pub path: Option<PathBuf>,
    /// The folder globs and relative paths are resolved against.
    pub dir: PathBuf,
    pub file: ConfigFile,
    tree: Option<Node<'static>>,
    text: String,
}

/// Finds the config file in a folder (both names present is an error).
pub fn config_in(dir: &Path) -> Result<Option<PathBuf>, DataError> {
    let found: Vec<PathBuf> = CONFIG_NAMES
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => Err(DataError::unlocated(
            dir.join(CONFIG_NAMES[0]).display().to_string(),
            "both .bridgelint.yaml and .bridgelint.yml are present; keep one",
        )),
    }
}

impl Config {
    pub fn empty(dir: PathBuf) -> Config {
        Config {
            dir,
            ..Config::default()
        }
    }

    pub fn load(path: &Path) -> Result<Config, Vec<DataError>> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![DataError::unlocated(
                &display,
                format!("cannot read config file: {e}"),
            )]
        })?;
        let tree = data::load(&display, &text, SchemaKind::Config)?;
        let file: ConfigFile = if matches!(tree.value, crate::source::Value::Null) {
            ConfigFile::default()
        } else {
            serde_json::from_value(tree.to_json()).map_err(|e| {
                vec![error_at(
                    &display,
                    &text,
                    tree.span.start,
                    format!("invalid config: {e}"),
                )]
            })?
        };
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Config {
            path: Some(path.to_path_buf()),
            dir,
            file,
            tree: Some(tree.into_owned()),
            text,
        })
    }

    fn display(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    /// A located error at a route of the config file.
    pub fn error(&self, steps: &[Step], message: impl Into<String>) -> DataError {
        let pos = self
            .tree
            .as_ref()
            .and_then(|t| locate(t, steps).map(|l| l.key_span.unwrap_or(l.node.span).start))
            .unwrap_or(Pos::new(1, 1, 0));
        error_at(&self.display(), &self.text, pos, message)
    }
}
