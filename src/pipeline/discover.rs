//! Finding the files of a run: the context root, the project context (every file under it,
//! walked with the usual exclusions) and the named files and folders whose findings are
//! reported (cli.md, "Project context").

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::CONFIG_NAMES;
use crate::source::Syntax;

/// One file of the run.
#[derive(Clone, Debug)]
///
/// The paths are shared (`Arc`) with the model's file records and the report's sources, which
/// hold them for the whole run: one copy of each per file.
pub struct FileEntry {
    pub abs: Arc<Path>,
    /// As printed: relative to the current folder when under it, else absolute; `/`-separated.
    pub display: Arc<str>,
    /// Relative to the context root (`/`-separated); ordering and fingerprints use it.
    pub rel: Arc<str>,
    /// Findings in it are reported.
    pub reported: bool,
    /// Named on the command line (read even when excluded; unreadable is a finding).
    pub named: bool,
}

/// Something skipped while walking, for `--verbose`.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    /// Worth a note even without `--verbose` (unreadable, not a regular file).
    pub notable: bool,
    /// Found under a named folder (counted in the summary's skipped files).
    pub reported: bool,
}

#[derive(Default)]
pub struct Discovery {
    pub files: Vec<FileEntry>,
    pub skipped: Vec<Skipped>,
}

/// Lexically normalises a path (no filesystem access): drops `.`, resolves `..`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    normalize(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    })
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Path relative to `base` when under it.
pub fn relative_to(path: &Path, base: &Path) -> Option<String> {
    path.strip_prefix(base).ok().map(|r| {
        let s = slash(r);
        if s.is_empty() {
            ".".into()
        } else {
            s
        }
    })
}

pub fn display_path(abs: &Path, cwd: &Path) -> String {
    relative_to(abs, cwd).unwrap_or_else(|| slash(abs))
}

/// The context root for a run (cli.md): the nearest folder upward from `start` holding a
/// config file, else the root of the git repository holding it, else `fallback`.
pub fn context_root(start: &Path, fallback: &Path) -> PathBuf {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if CONFIG_NAMES.iter().any(|n| d.join(n).is_file()) {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    fallback.to_path_buf()
}

/// The root of the git repository holding `dir` (the nearest folder upward with `.git`), else
/// `dir` itself.
pub fn repository_root(dir: &Path) -> PathBuf {
    let mut d = Some(dir);
    while let Some(x) = d {
        if x.join(".git").exists() {
            return x.to_path_buf();
        }
        d = x.parent();
    }
    dir.to_path_buf()
}

/// Entries of a folder beyond which it is walked on several threads ([`Walker::walk`]).
const SEQUENTIAL_WALK: usize = 512;

pub struct Walker<'a> {
    pub cwd: &'a Path,
    pub root: &'a Path,
    /// Exclude globs, relative to `exclude_base`.
    pub exclude: &'a [String],
    pub exclude_base: &'a Path,
    /// Threads for the walk (`--jobs`).
    pub threads: usize,
}

fn is_candidate(p: &Path) -> bool {
    Syntax::of_path(&p.to_string_lossy()).is_some()
}

impl Walker<'_> {
    fn exclude_set(&self) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for g in self.exclude {
            if let Ok(glob) = Glob::new(g) {
                b.add(glob);
                // `legacy/**` also excludes the folder itself, `legacy`.
                if let Some(dir) = g.strip_suffix("/**") {
                    if let Ok(glob) = Glob::new(dir) {
                        b.add(glob);
                    }
                }
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// Walks a folder; every YAML/JSON file found, with what was skipped; `finish` sorts what
    /// it found. A folder of at most [`SEQUENTIAL_WALK`] entries is walked on this thread;
    /// a larger one again on several threads (directory reads are most of its time then).
    /// Starting the walk's threads took longer than walking a project of a few dozen files
    /// (BENCHMARKS.md, "One-file runs").
    pub fn walk(&self, dir: &Path, out: &mut Discovery, reported: bool) {
        let excludes = self.exclude_set();
        let base = self.exclude_base.to_path_buf();
        let mut builder = ignore::WalkBuilder::new(dir);
        builder
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .ignore(true)
            .parents(true)
            .require_git(false)
            .follow_links(false)
            .threads(self.threads);
        if !excludes.is_empty() {
            builder.filter_entry(move |e| {
                let rel = e.path().strip_prefix(&base).map(slash).unwrap_or_default();
                rel.is_empty() || !excludes.is_match(&rel)
            });
        }
        let mut local = Discovery::default();
        let mut walked = builder.build();
        for result in walked.by_ref().take(SEQUENTIAL_WALK) {
            self.visit(dir, result, reported, &mut local);
        }
        if self.threads <= 1 || walked.next().is_none() {
            for result in walked {
                self.visit(dir, result, reported, &mut local);
            }
            out.files.append(&mut local.files);
            out.skipped.append(&mut local.skipped);
            return;
        }
        let found = std::sync::Mutex::new(Discovery::default());
        builder.build_parallel().run(|| {
            Box::new(|result| {
                let mut local = Discovery::default();
                self.visit(dir, result, reported, &mut local);
                if !(local.files.is_empty() && local.skipped.is_empty()) {
                    let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                    found.files.append(&mut local.files);
                    found.skipped.append(&mut local.skipped);
                }
                ignore::WalkState::Continue
            })
        });
        let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
        out.files.append(&mut found.files);
        out.skipped.append(&mut found.skipped);
    }

    fn visit(
        &self,
        dir: &Path,
        result: Result<ignore::DirEntry, ignore::Error>,
        reported: bool,
        out: &mut Discovery,
    ) {
        let entry = match result {
            Ok(e) => e,
            Err(err) => {
                out.skipped.push(Skipped {
                    path: slash(error_path(&err).unwrap_or(dir)),
                    reason: format!("cannot walk: {err}"),
                    notable: true,
                    reported,
                });
                return;
            }
        };
        let path = entry.path();
        let Some(ft) = entry.file_type() else {
            return;
        };
        if ft.is_dir() || !is_candidate(path) {
            return;
        }
        let display = display_path(path, self.cwd);
        if ft.is_symlink() {
            out.skipped.push(Skipped {
                path: display,
                reason: "symbolic link (not followed while walking)".into(),
                notable: false,
                reported,
            });
            return;
        }
        if !ft.is_file() {
            out.skipped.push(Skipped {
                path: display,
                reason: "not a regular file".into(),
                notable: true,
                reported,
            });
            return;
        }
        let rel: Arc<str> = relative_to(path, self.root)
            .unwrap_or_else(|| slash(path))
            .into();
        // Run from the context root (`bridgelint check .` in the project), both paths are the
        // same text: one copy.
        let display = if *display == *rel {
            rel.clone()
        } else {
            display.into()
        };
        out.files.push(FileEntry {
            abs: path.into(),
            display,
            rel,
            reported,
            named: false,
        });
    }
}

/// The path an error of the walk is about, when it says.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Sorts by context-relative path and merges duplicates (reported and named win).
pub fn finish(out: &mut Discovery) {
    // A folder walked both as context and as a named folder lists its skipped entries twice.
    // A total order: the walk runs on several threads, so arrival order means nothing.
    out.skipped.sort_by(|a, b| {
        (a.path.as_str(), !a.reported, a.reason.as_str()).cmp(&(
            b.path.as_str(),
            !b.reported,
            b.reason.as_str(),
        ))
    });
    out.skipped
        .dedup_by(|later, first| later.path == first.path);
    out.files.sort_by(|a, b| {
        a.rel
            .as_bytes()
            .cmp(b.rel.as_bytes())
            .then_with(|| a.abs.cmp(&b.abs))
    });
    let mut merged: Vec<FileEntry> = Vec::with_capacity(out.files.len());
    for f in out.files.drain(..) {
        match merged.last_mut() {
            Some(last) if last.abs == f.abs => {
                last.reported |= f.reported;
                last.named |= f.named;
            }
            _ => merged.push(f),
        }
    }
    out.files = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_from(cwd: &Path, root: &Path) -> Vec<FileEntry> {
        walk_with(cwd, root, 1).files
    }

    fn walk_with(cwd: &Path, root: &Path, threads: usize) -> Discovery {
        let walker = Walker {
            cwd,
            root,
            exclude: &[],
            exclude_base: root,
            threads,
        };
        let mut found = Discovery::default();
        walker.walk(root, &mut found, true);
        finish(&mut found);
        found
    }

    /// A folder larger than the sequential walk's budget is walked whole again on several
    /// threads: the same files and skipped entries as one thread finds, none twice.
    #[test]
    fn a_large_folder_is_walked_whole_whatever_the_threads() {
        let base = std::env::temp_dir().join(format!("bridgelint-walk-{}", std::process::id()));
        for d in 0..30 {
            let dir = base.join(format!("d{d:02}"));
            std::fs::create_dir_all(&dir).unwrap();
            for f in 0..25 {
                std::fs::write(dir.join(format!("f{f:02}.yaml")), "kind: Integration\n").unwrap();
                std::fs::write(dir.join(format!("f{f:02}.txt")), "not ours").unwrap();
            }
        }
        let few = base.join("d00");
        for (root, files) in [(&base, 30 * 25), (&few, 25)] {
            let sequential = walk_with(root, root, 1);
            let parallel = walk_with(root, root, 4);
            assert_eq!(sequential.files.len(), files);
            let rels = |d: &Discovery| {
                d.files
                    .iter()
                    .map(|f| f.rel.to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(rels(&sequential), rels(&parallel));
            let skipped =
                |d: &Discovery| d.skipped.iter().map(|s| s.path.clone()).collect::<Vec<_>>();
            assert_eq!(skipped(&sequential), skipped(&parallel));
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn display_and_context_paths_share_one_copy_when_they_are_the_same() {
        let base = std::env::temp_dir().join(format!("bridgelint-discover-{}", std::process::id()));
        let root = base.join("project");
        std::fs::create_dir_all(root.join("integrations")).unwrap();
        std::fs::write(root.join("integrations/a.yaml"), "kind: Integration\n").unwrap();

        let from_root = walk_from(&root, &root);
        assert_eq!(from_root.len(), 1);
        assert_eq!(&*from_root[0].rel, "integrations/a.yaml");
        assert_eq!(from_root[0].display, from_root[0].rel);
        assert!(Arc::ptr_eq(&from_root[0].display, &from_root[0].rel));

        let from_above = walk_from(&base, &root);
        assert_eq!(&*from_above[0].display, "project/integrations/a.yaml");
        assert_eq!(&*from_above[0].rel, "integrations/a.yaml");

        std::fs::remove_dir_all(&base).unwrap();
    }
}
