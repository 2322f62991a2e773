//! The custom rule and catalog folders of a run: the config's (read only when its paths are
//! confined to the project, and then confined too) and the command line's, each folder once.
//! The custom rules are read apart from the built-in ones, which compile meanwhile on their
//! own thread (`prepare.rs`); the catalogs are added to the built-in catalog.

use std::path::{Path, PathBuf};

use super::discover::{self, absolute};
use super::Request;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::data::DataError;
use crate::rules::CustomRules;

/// The config's custom rules (when its paths are `confined` to the project), then the command
/// line's, read; they join the built-in rules with `RuleSet::add_custom`. Every folder is
/// tried, and what is wrong in each is returned beside them. `confined` is the context root when the
/// config's paths stay inside it (else the config's folders are not read): the files of those
/// folders must stay inside it too (a symbolic link in them is not followed out of it); the
/// command line's folders are the user's choice.
pub(super) fn read_custom_rules(
    req: &Request,
    cwd: &Path,
    config: &Config,
    confined: Option<&Path>,
) -> (CustomRules, Vec<DataError>) {
    let mut custom = CustomRules::default();
    let dirs = custom_dirs(
        cwd,
        config,
        confined,
        &config.file.custom_rules,
        &req.rules_dirs,
    );
    let errors = add_all(dirs.folders.into_iter(), |d, c| {
        custom.read_dir(d, dirs.root.as_deref().filter(|_| c))
    });
    (custom, errors)
}

/// The config's custom catalogs, then the command line's, added to `catalog` as
/// [`read_custom_rules`] reads custom rules.
pub(super) fn add_custom_catalogs(
    req: &Request,
    cwd: &Path,
    config: &Config,
    confined: Option<&Path>,
    catalog: &mut Catalog,
) -> Vec<DataError> {
    let dirs = custom_dirs(
        cwd,
        config,
        confined,
        &config.file.catalogs,
        &req.catalog_dirs,
    );
    add_all(dirs.folders.into_iter(), |d, c| {
        catalog.add_dir(d, dirs.root.as_deref().filter(|_| c))
    })
}

/// The custom folders of one kind: the config's, then the command line's.
struct CustomDirs {
    /// Each folder, with whether the config names it (then it is confined to `root`).
    folders: Vec<(PathBuf, bool)>,
    /// The project's canonical root, when the config's paths are confined to it.
    root: Option<PathBuf>,
}

fn custom_dirs(
    cwd: &Path,
    config: &Config,
    confined: Option<&Path>,
    from_config: &[String],
    from_cli: &[PathBuf],
) -> CustomDirs {
    let root =
        confined.map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| discover::normalize(r)));
    let mut folders = config_dirs(config, root.is_some(), from_config);
    folders.extend(from_cli.iter().map(|d| (absolute(cwd, d), false)));
    CustomDirs { folders, root }
}

/// Adds every folder with `add`, each once (a folder both the config and the command line
/// name: the config's, first, which confines it); returns what is wrong in each. Each folder
/// comes with whether the config names it.
fn add_all(
    dirs: impl Iterator<Item = (PathBuf, bool)>,
    mut add: impl FnMut(&Path, bool) -> Result<(), Vec<DataError>>,
) -> Vec<DataError> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for (dir, from_config) in dirs {
        if let Err(e) = add_once(&mut loaded, &dir, |d| add(d, from_config)) {
            errors.extend(e);
        }
    }
    errors
}

/// Adds a folder unless it was added already (`loaded`: the folders so far, canonical).
fn add_once<E>(
    loaded: &mut Vec<PathBuf>,
    dir: &Path,
    add: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), E> {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| discover::normalize(dir));
    if loaded.contains(&canonical) {
        return Ok(());
    }
    loaded.push(canonical);
    add(dir)
}

/// A config's folders (`custom_rules`, `catalogs`), when its paths are `confined` to the
/// project; each marked as the config's.
fn config_dirs(config: &Config, confined: bool, dirs: &[String]) -> Vec<(PathBuf, bool)> {
    match confined {
        true => dirs.iter().map(|d| (config.dir.join(d), true)).collect(),
        false => Vec::new(),
    }
}
