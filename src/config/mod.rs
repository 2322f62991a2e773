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

/// The settings of a config tree, without the top-level keys that break the schema (their
/// errors are reported already): each key is read on its own, and those that read are kept.
fn usable_keys(tree: &Node) -> Result<ConfigFile, serde_json::Error> {
    let serde_json::Value::Object(all) = tree.to_json() else {
        return Ok(ConfigFile::default());
    };
    let invalid = |key: &str| tree.get(key).is_some_and(Node::is_invalid);
    let mut kept = serde_json::Map::new();
    for (key, value) in all {
        let one = serde_json::Value::Object([(key.clone(), value.clone())].into_iter().collect());
        if !invalid(&key) && serde_json::from_value::<ConfigFile>(one).is_ok() {
            kept.insert(key, value);
        }
    }
    serde_json::from_value(serde_json::Value::Object(kept))
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

    /// Loads a config file. Err when it cannot be read or parsed; otherwise the config and
    /// every schema error of the file: the keys that break the schema are left out, so that
    /// the caller can go on and report the other mistakes of the same run.
    pub fn load(path: &Path) -> Result<(Config, Vec<DataError>), Vec<DataError>> {
        let display = path.display().to_string();
        let text = data::read_data_file(path, "config file").map_err(|e| vec![e])?;
        let (tree, mut errors) = data::load_lenient(&display, &text, SchemaKind::Config)?;
        let file = match usable_keys(&tree) {
            Ok(file) => file,
            Err(e) => {
                errors.push(error_at(
                    &display,
                    &text,
                    tree.span.start,
                    format!("invalid config: {e}"),
                ));
                ConfigFile::default()
            }
        };
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let config = Config {
            path: Some(path.to_path_buf()),
            dir,
            file,
            tree: Some(tree.into_owned()),
            text,
        };
        Ok((config, errors))
    }

    fn display(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    /// Whether the schema refused the value at a route of the config file (its error is
    /// reported already).
    pub fn refused(&self, steps: &[Step]) -> bool {
        self.tree
            .as_ref()
            .and_then(|t| locate(t, steps))
            .is_some_and(|l| l.node.is_invalid())
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
