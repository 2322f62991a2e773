//! Near misses: documents of a named file that are not ours but nearly are (a typo in the
//! header turns every check off). `unrecognized-document` reports them; only files named on
//! the command line are looked at (format.md skips other documents silently), and only after
//! recognition failed, so the per-file path of every other file is unchanged.

use std::io::Read as _;

use super::process::{loc, FileResult, Input, Shared, Status};
use super::redact;
use crate::finding::{Finding, Severity};
use crate::source::tree::{Entry, Node};
use crate::source::{self, Span, Syntax};

/// Our kinds, as `kind` spells them.
const KINDS: [&str; 2] = ["Integration", "ServiceAccounts"];

/// Whether a named file's bytes can hold a near miss at all: they name bridgelint (any case)
/// or one of our kinds. Cheap, so that only such files are parsed.
pub fn worth_parsing(bytes: &[u8]) -> bool {
    let lower = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    KINDS
        .iter()
        .any(|k| memchr::memmem::find(bytes, k.as_bytes()).is_some())
        || lower(b"bridgelint")
}

/// The near miss of one document that is not ours, if it is one: where to point and what to
/// say. A document is a near miss when its top level is a mapping and
/// - a key spelt like `apiVersion` but not exactly (`apiversion`, `api_version`,
///   `ApiVersion`) holds a value naming bridgelint, or sits beside a `kind` of ours;
/// - its `apiVersion` names bridgelint without starting with `bridgelint/`
///   (`Bridgelint/v1`, `bridgelint.io/v1`, `[bridgelint/v1]`);
/// - its `kind` is one of ours and it has no `apiVersion` at all.
pub fn find(root: &Node, text: &str) -> Option<(Span, String)> {
    let entries = root.as_map()?;
    let kind_is_ours = root
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| KINDS.contains(&k));
    let names_us = |n: &Node| {
        text.get(n.span.byte_range())
            .is_some_and(|t| t.to_ascii_lowercase().contains("bridgelint"))
    };
    if let Some(api) = root.entry("apiVersion") {
        return names_us(&api.value).then(|| {
            let shown = shown(&api.value, text);
            (
                api.value.span,
                format!(
                    "`apiVersion: {shown}` is not `bridgelint/v1`, so this document is skipped \
                     and none of its checks run; write `apiVersion: bridgelint/v1`"
                ),
            )
        });
    }
    if let Some(e) = entries.iter().find(|e| is_api_version_typo(e)) {
        if names_us(&e.value) || kind_is_ours {
            return Some((
                e.key_span,
                format!(
                    "the key `{}` is not `apiVersion`, so this document is skipped and none of \
                     its checks run; write `apiVersion: bridgelint/v1`",
                    e.key
                ),
            ));
        }
        return None;
    }
    let kind = root.entry("kind").filter(|_| kind_is_ours)?;
    Some((
        kind.value.span,
        format!(
            "`kind: {}` without `apiVersion: bridgelint/v1`, so this document is skipped and \
             none of its checks run; add `apiVersion: bridgelint/v1` above it",
            kind.value.as_str().unwrap_or_default()
        ),
    ))
}

/// `apiversion`, `api_version`, `Api-Version`, ...: the letters of `apiVersion` in any case,
/// with `_` or `-` between them, but not `apiVersion` itself.
fn is_api_version_typo(e: &Entry) -> bool {
    let letters: String = e
        .key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    letters == "apiversion" && e.key != "apiVersion"
}

/// A value as the message quotes it: a string as is, anything else as written (one line,
/// shortened).
fn shown(node: &Node, text: &str) -> String {
    let raw = match node.as_str() {
        Some(s) => s.to_string(),
        None => text.get(node.span.byte_range()).unwrap_or("?").to_string(),
    };
    let line = raw.lines().next().unwrap_or_default();
    match line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// Reports the near misses among `docs` (the documents of a named file that are not ours)
/// as `unrecognized-document` findings, one per document. The file's redactions are set
/// first when it had none (it was not ours), so that no excerpt or message shows a secret.
pub(super) fn report(
    shared: &Shared,
    file: u32,
    docs: &[(usize, &Node)],
    text: &str,
    r: &mut FileResult,
) {
    let found: Vec<(usize, Span, String)> = docs
        .iter()
        .filter_map(|&(d, root)| find(root, text).map(|(span, m)| (d, span, m)))
        .collect();
    if found.is_empty() {
        return;
    }
    if r.status != Status::Checked {
        let roots: Vec<&Node> = docs.iter().map(|&(_, root)| root).collect();
        // Secrets by meaning, as in our own documents: decoded scalars and keys too.
        let hits = super::scan::pattern_hits(shared, text, (&roots, &[], &[]));
        r.info.redactions = redact::secret_ranges(text, &roots, &[], &hits, &shared.schemes);
        r.status = Status::Checked;
    }
    for (d, span, message) in found {
        let message = redact::scrub(&message, text, &r.info.redactions);
        let mut f = Finding::new(
            shared.intrinsic.unrecognized_document,
            Severity::Error,
            message,
            loc(file, span),
        );
        f.route = if d == 0 {
            "/".into()
        } else {
            format!("[{d}]/")
        };
        r.findings.push(f);
    }
}

/// A named file without the `bridgelint/` marker (which `read` did not keep): an empty file
/// is skipped with that reason; one that may hold a near miss is read again and parsed.
pub(super) fn named_not_ours(shared: &Shared, file: u32, input: &Input, r: &mut FileResult) {
    let bytes = match *input {
        Input::Buffer(b) => b.to_vec(),
        Input::Disk(path) => {
            let limit = shared.limits.max_file_size;
            let mut bytes = Vec::new();
            let read =
                std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes));
            if read.is_err() || bytes.len() as u64 > limit {
                return;
            }
            bytes
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        r.status = Status::Empty;
        return;
    }
    if !worth_parsing(&bytes) {
        return;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return;
    };
    let syntax = Syntax::of_path(&r.info.display).unwrap_or(Syntax::Yaml);
    let Ok(parsed) = source::parse(&text, syntax, &shared.limits, false) else {
        return;
    };
    let docs: Vec<(usize, &Node)> = parsed
        .documents
        .iter()
        .enumerate()
        .map(|(d, doc)| (d, &doc.root))
        .collect();
    report(shared, file, &docs, &text, r);
    if r.status == Status::Checked {
        r.info.set_text(&text, matches!(input, Input::Buffer(_)));
    }
}
