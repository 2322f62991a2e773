//! Reading our own data files from disk (the config, custom rule files, catalog files) as
//! untrusted input: regular files only (a FIFO must not block the run), at most
//! [`MAX_DATA_FILE_SIZE`] bytes, and, in a folder the config names, no file that a symbolic
//! link places outside the project (SECURITY.md, "Paths in the config").

use std::path::{Path, PathBuf};

use super::DataError;

/// The largest config, rule or catalog file bridgelint reads: the default `--max-file-size`.
/// These files are read before the run's own limit is known (the config sets it, and must not
/// raise it for itself), so the limit is fixed.
pub const MAX_DATA_FILE_SIZE: u64 = crate::source::DEFAULT_MAX_FILE_SIZE;

/// Reads a data file (`what`: "config file", "rule file", "catalog file"): a regular file of
/// at most [`MAX_DATA_FILE_SIZE`] bytes, in UTF-8. Every failure is an error at the file.
pub fn read_data_file(path: &Path, what: &str) -> Result<String, DataError> {
    let display = path.display().to_string();
    let err = |m: String| DataError::unlocated(&display, m);
    let bytes = match crate::source::read::read_regular(path, MAX_DATA_FILE_SIZE) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return Err(err(format!("cannot read {what}: not a regular file"))),
        Err(e) => return Err(err(format!("cannot read {what}: {e}"))),
    };
    if bytes.len() as u64 > MAX_DATA_FILE_SIZE {
        return Err(err(format!(
            "the {what} is larger than {} MiB, the limit for config, rule and catalog files",
            MAX_DATA_FILE_SIZE >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "cannot read {what}: not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The files of a rules or catalog folder (`folder`, `what`: "rules folder", "rule file") that
/// `keep` accepts (by name), sorted, each read with
/// [`read_data_file`]. With `confine` (the project's canonical root, for a folder the config
/// names), an entry whose real path lies outside it (a symbolic link, or a link to a folder on
/// the way) is refused: the folder itself is confined to the project, and a link committed
/// inside it must not read a file elsewhere on the machine. Entries that are not files (after
/// following links) are not data files and are skipped, as before.
pub fn read_dir_files(
    dir: &Path,
    (folder, what): (&str, &str),
    keep: impl Fn(&Path) -> bool,
    confine: Option<&Path>,
) -> Result<Vec<(String, String)>, Vec<DataError>> {
    let display = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![DataError::unlocated(
            &display,
            format!("cannot read {folder}: {e}"),
        )]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && keep(p))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    for p in paths {
        let path = p.display().to_string();
        if let Some(root) = confine {
            let inside = std::fs::canonicalize(&p).is_ok_and(|real| real.starts_with(root));
            if !inside {
                errors.push(DataError::unlocated(
                    &path,
                    format!(
                        "links to a file outside the project ({}); the files of a folder the \
                         config names must stay inside it",
                        root.display()
                    ),
                ));
                continue;
            }
        }
        match read_data_file(&p, what) {
            Ok(text) => files.push((path, text)),
            Err(e) => errors.push(e),
        }
    }
    match errors.is_empty() {
        true => Ok(files),
        false => Err(errors),
    }
}
