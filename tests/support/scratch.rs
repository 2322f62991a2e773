//! Scratch folders: unique folders under the system temp folder that write files and run the
//! binary in themselves.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Bin, Run};

/// A unique scratch folder under the system temp folder, removed when dropped.
///
/// It lives outside any git repository (the repository's own `target/` would make the whole
/// repository the context root); the constructors say what makes it its own context root.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    /// An empty folder (the context root is then the folder a run names, cli.md).
    pub fn bare(tag: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "bridgelint-t-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch folder");
        Scratch { dir }
    }

    /// A folder holding a `.git` folder: its own repository, so its own context root.
    pub fn new(tag: &str) -> Scratch {
        let s = Scratch::bare(tag);
        s.mkdir(".git");
        s
    }

    /// A repository folder (like [`Scratch::new`]) holding the inventory
    /// [`super::INVENTORY`] as `accounts.yaml`: the accounts [`super::integration`] uses.
    pub fn with_inventory(tag: &str) -> Scratch {
        let s = Scratch::new(tag);
        s.write("accounts.yaml", super::INVENTORY);
        s
    }

    /// A project folder: it holds an empty `.bridgelint.yaml` (`{}`), which makes it its own
    /// context root whatever lies above it.
    pub fn project(tag: &str) -> Scratch {
        Scratch::with_config(tag, "{}\n")
    }

    /// A project folder whose `.bridgelint.yaml` holds `config`.
    pub fn with_config(tag: &str, config: &str) -> Scratch {
        let s = Scratch::bare(tag);
        s.write(".bridgelint.yaml", config);
        s
    }

    /// A project folder (empty config) holding these files.
    pub fn with_files(tag: &str, files: &[(&str, &str)]) -> Scratch {
        let s = Scratch::project(tag);
        for (rel, text) in files {
            s.write(rel, text);
        }
        s
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Writes a file (creating its folders) and returns its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&p, bytes).expect("write a file");
        p
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(&p).expect("create folders");
        p
    }

    pub fn remove(&self, rel: &str) {
        let _ = std::fs::remove_file(self.dir.join(rel));
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// `bridgelint` in this folder, to be given arguments and run.
    pub fn bin(&self) -> Bin {
        Bin::new().current_dir(&self.dir)
    }

    /// `bridgelint check --now NOW` in this folder ([`Bin::check`]).
    pub fn check(&self) -> Bin {
        Bin::check().current_dir(&self.dir)
    }

    /// `bridgelint inventory --now NOW` in this folder ([`Bin::inventory`]).
    pub fn inventory(&self) -> Bin {
        Bin::inventory().current_dir(&self.dir)
    }

    /// Runs `bridgelint ARGS` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.bin().args(args).run()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Creates a FIFO with the system's `mkfifo`; false (after a note) when that is not possible.
pub fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            eprintln!("skipping: cannot create a FIFO with mkfifo ({other:?})");
            false
        }
    }
}
