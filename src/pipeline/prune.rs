//! Project-context pruning for runs that name only files (a pre-commit hook, an editor): which
//! files of the context can change what is reported for the named ones.
//!
//! cli.md reports a finding when its primary or one of its related locations lies in a named
//! file. With the built-in rules, a finding relates two files only through an account id (used
//! by a connection, or declared in a ServiceAccounts document: unknown, unused, shared and
//! duplicate accounts, permissions) or an integration name (`duplicate-name`). So a context file
//! can matter only if its bytes contain one of the named files' account ids or integration
//! names. Everything else is read (its bytes) but not parsed. The decision is conservative:
//! any file that could spell such a string otherwise (an escape) or that cannot be read as text
//! is kept, and pruning is off when custom rules may relate files in other ways (a check that
//! reads other files' records: `RuleSet::relate_files_as_builtins`; `pipeline::prepare`
//! decides). A test compares every reported finding with a run over the whole project.

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use super::discover::FileEntry;
use super::load::input_for;
use super::process::{process, FileResult, Shared};
use crate::config::Settings;
use crate::model::fields::{account, connection, integration, Kind};
use crate::model::{FileInfo, MVal, Store};

/// The per-file results of the named files, parsed by the pruning pass for their strings and
/// handed on to the run (as file 0: the run renumbers each, as the language server's session
/// does), so that no named file is parsed twice.
pub(super) type NamedResults = Vec<(std::sync::Arc<std::path::Path>, FileResult)>;

/// Drops the context files that cannot matter to the named ones, and their per-file settings;
/// returns how many were dropped, and the named files' results.
pub(super) fn drop_unrelated(
    files: &mut Vec<FileEntry>,
    settings: &mut Settings,
    shared: &Shared,
    stdin: super::load::Buffers,
    pool: Option<&rayon::ThreadPool>,
) -> (usize, NamedResults) {
    let (keep, named) = context_to_keep(files, shared, stdin, pool);
    let Some(keep) = keep else {
        return (0, named);
    };
    // File ids are positions: the per-file settings follow the files.
    settings.retain_files(&keep);
    let mut k = keep.iter();
    files.retain(|_| *k.next().unwrap_or(&true));
    (keep.iter().filter(|k| !**k).count(), named)
}

/// Which files to keep: the named ones, and the context files that may change what is
/// reported for them; `None` keeps every file. The named files are parsed here for the strings
/// that relate files, as file 0 (file ids come from the final list), and their results given
/// back.
fn context_to_keep(
    files: &[FileEntry],
    shared: &Shared,
    stdin: super::load::Buffers,
    pool: Option<&rayon::ThreadPool>,
) -> (Option<Vec<bool>>, NamedResults) {
    let named: NamedResults = files
        .iter()
        .filter(|f| f.reported)
        .map(|f| {
            let info = FileInfo::new(f.display.clone(), f.rel.clone(), true);
            let result = process(shared, 0, info, input_for(stdin, f), f.named);
            (f.abs.clone(), result)
        })
        .collect();
    let Some(needles) = needles(named.iter().map(|(_, r)| &r.store)) else {
        return (None, named);
    };
    let filter = Filter::new(&needles);
    // Read as the normal path reads (size limit, regular files only). A file that is not ours
    // cannot matter; one that cannot be read here is kept, for the normal path to report.
    let keep_file = |f: &FileEntry| {
        f.reported
            || match crate::source::read::read_file(&f.abs, &shared.limits, false) {
                // read_file has checked the UTF-8 already.
                Ok(crate::source::read::ReadOutcome::Text(text)) => filter.relates(&text),
                Ok(crate::source::read::ReadOutcome::NotOurs) => false,
                Ok(crate::source::read::ReadOutcome::Unreadable { .. }) | Err(_) => true,
            }
    };
    let keep = match pool {
        Some(pool) => pool.install(|| files.par_iter().map(keep_file).collect()),
        None => files.iter().map(keep_file).collect(),
    };
    (Some(keep), named)
}

/// The strings through which another file can relate to the named files, from their stores;
/// `None` when one of them could be written differently in another file (whitespace can be
/// folded across lines, quotes and backslashes escaped), and the whole context must be read.
pub fn needles<'s>(stores: impl IntoIterator<Item = &'s Store>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in stores {
        let mut take = |kind: Kind, field: usize| {
            for i in 0..s.len(kind) as u32 {
                // An inline account is named after its integration and connection
                // (`name/jira`) once resolved; its integration's name already relates it.
                let inline = kind == Kind::Account
                    && matches!(s.slot(kind, i, account::INLINE).val(), MVal::Bool(true));
                if let (MVal::Str(id), false) = (s.slot(kind, i, field).val(), inline) {
                    out.push(s.str_of(id).to_string());
                }
            }
        };
        take(Kind::Connection, connection::ACCOUNT_REF);
        take(Kind::Account, account::ID);
        take(Kind::Integration, integration::NAME);
    }
    let spelled_otherwise = |s: &String| {
        s.is_empty()
            || s.chars()
                .any(|c| c.is_whitespace() || matches!(c, '\\' | '\'' | '"'))
    };
    if out.iter().any(spelled_otherwise) {
        return None;
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Decides, from its bytes, whether a context file may matter to the named files.
pub struct Filter {
    needles: Option<AhoCorasick>,
}

impl Filter {
    pub fn new(needles: &[String]) -> Filter {
        Filter {
            // An automaton that cannot be built (it never happens for plain strings) keeps
            // every file.
            needles: if needles.is_empty() {
                None
            } else {
                AhoCorasick::new(needles).ok()
            },
        }
    }

    pub fn may_matter(&self, bytes: &[u8]) -> bool {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.relates(text),
            // Let the normal path report what it reports for such a file.
            Err(_) => true,
        }
    }

    /// [`Filter::may_matter`] for a text already read and checked as UTF-8.
    pub fn relates(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        memchr::memchr(b'\\', bytes).is_some()
            || self.needles.as_ref().is_some_and(|ac| ac.is_match(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_without_the_named_strings_do_not_matter() {
        let f = Filter::new(&["getint-jira".to_string(), "sync-a".to_string()]);
        assert!(f.may_matter(b"connections:\n  a:\n    account: getint-jira\n"));
        assert!(f.may_matter(b"metadata: { name: sync-a }\n"));
        assert!(!f.may_matter(b"connections:\n  a:\n    account: getint-ado\n"));
        assert!(f.may_matter(b"kind: ServiceAccounts\naccounts:\n  getint-jira: {}\n"));
        assert!(!f.may_matter(b"kind: ServiceAccounts\naccounts:\n  getint-ado: {}\n"));
        // Always kept: escapes, bytes that are not text.
        assert!(f.may_matter(b"account: \"getint\\u002Djira\"\n"));
        assert!(f.may_matter(b"name: caf\xc3\n"));
        // No needles: nothing relates.
        let none = Filter::new(&[]);
        assert!(!none.may_matter(b"account: getint-jira\n"));
        assert!(none.may_matter(b"account: \"a\\tb\"\n"));
    }
}
