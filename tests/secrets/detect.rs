//! Leak detection: every secret's needles and 12-character windows, searched in every output
//! (colour codes stripped too), with the leaks known product bugs cause set apart.

use std::collections::HashMap;

use super::kit::Secret;
use super::support::Run;
use super::WINDOW;

/// Every needle and every window of one, mapped to the secret it belongs to.
pub struct Needles {
    pub secrets: Vec<Secret>,
    windows: HashMap<Vec<u8>, usize>,
    whole: Vec<(String, usize)>,
}

impl Needles {
    pub fn new(secrets: &[Secret]) -> Needles {
        let mut windows = HashMap::new();
        let mut whole = Vec::new();
        for (i, s) in secrets.iter().enumerate() {
            for n in s.needles() {
                assert!(
                    n.len() >= WINDOW,
                    "{}: needle shorter than a window",
                    s.label
                );
                for w in n.as_bytes().windows(WINDOW) {
                    windows.entry(w.to_vec()).or_insert(i);
                }
                whole.push((n, i));
            }
        }
        Needles {
            secrets: secrets.to_vec(),
            windows,
            whole,
        }
    }

    /// The secrets that `text` reveals, with the offending excerpt.
    pub fn leaks(&self, text: &str) -> Vec<(usize, String)> {
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (n, i) in &self.whole {
            if let Some(at) = text.find(n.as_str()) {
                if seen.insert(*i) {
                    found.push((*i, context(text, at, n.len())));
                }
            }
        }
        let bytes = text.as_bytes();
        if bytes.len() >= WINDOW {
            for at in 0..=bytes.len() - WINDOW {
                if let Some(i) = self.windows.get(&bytes[at..at + WINDOW]) {
                    if seen.insert(*i) {
                        found.push((*i, context(text, at, WINDOW)));
                    }
                }
            }
        }
        found
    }
}

/// The line around a match, for the failure message.
pub fn context(text: &str, at: usize, len: usize) -> String {
    let b = text.as_bytes();
    let start = b[..at]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |p| p + 1);
    let end = b[at + len..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(b.len(), |p| at + len + p);
    String::from_utf8_lossy(&b[start..end]).into_owned()
}

/// The text without terminal escape sequences (CSI `ESC [ ... final` and OSC `ESC ] ... BEL`
/// or `ESC \`), so that colour codes cannot split a secret past the search.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A leak that a known product bug causes: the secret's label contains `secret`, the output's
/// label contains `output`; `test` is the ignored test that reproduces it.
pub struct KnownLeak {
    pub secret: &'static str,
    pub output: &'static str,
    pub test: &'static str,
}

/// Known product bugs (reproduced by the ignored tests named here). Remove an entry when its
/// bug is fixed.
pub const KNOWN_LEAKS: &[KnownLeak] = &[];

/// Every output of a matrix of runs, by label.
pub struct Outputs {
    items: Vec<(String, String)>,
}

impl Outputs {
    pub fn new() -> Outputs {
        Outputs { items: Vec::new() }
    }

    pub fn add(&mut self, label: impl Into<String>, text: impl Into<String>) {
        self.items.push((label.into(), text.into()));
    }

    pub fn run(&mut self, label: &str, run: &Run) {
        self.add(format!("{label} [stdout]"), run.stdout.clone());
        self.add(format!("{label} [stderr]"), run.stderr.clone());
    }

    /// Every leak as `output: secret: excerpt`, split into (known, unknown).
    pub fn leaks(&self, needles: &Needles) -> (Vec<String>, Vec<String>) {
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for (label, text) in &self.items {
            let mut found = needles.leaks(text);
            let plain = strip_ansi(text);
            if plain != *text {
                for l in needles.leaks(&plain) {
                    if !found.iter().any(|(i, _)| *i == l.0) {
                        found.push(l);
                    }
                }
            }
            for (i, excerpt) in found {
                let secret = &needles.secrets[i].label;
                let line = format!("{label}: {secret}: {excerpt}");
                let is_known = KNOWN_LEAKS
                    .iter()
                    .any(|k| secret.contains(k.secret) && label.contains(k.output));
                if is_known {
                    known.push(line);
                } else {
                    unknown.push(line);
                }
            }
        }
        (known, unknown)
    }
}
