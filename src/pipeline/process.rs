//! The per-file phase (run in parallel): read → parse → recognise → validate → build the model
//! fragment, scan the text for credential patterns, read suppressions. The tree and the text
//! are dropped when it returns; only the compact fragment and line table stay.

use super::scan;
use crate::catalog::Catalog;
use crate::finding::Finding;
use crate::finding::Severity;
use crate::model::build::DocBuilder;
use crate::model::{FileInfo, Loc, Store};
use crate::pipeline::redact;
use crate::pipeline::suppress::{self, Suppression};
use crate::rules::RuleSet;
use crate::schema::{self, SchemaKind};
use crate::source::read::{read_file, ReadOutcome};
use crate::source::tree::{route_at, route_string, Document, Entry, Node, ProblemKind, Step};
use crate::source::{self, Limits, Pos, Span, Syntax};

/// Rule indices the loader and the schema stage report under.
#[derive(Clone, Copy, Debug)]
pub struct Intrinsic {
    pub parse_error: usize,
    pub duplicate_key: usize,
    pub schema_violation: usize,
    pub invalid_suppression: usize,
    pub unused_suppression: usize,
    pub expired_suppression: usize,
    pub unrecognized_document: usize,
}

impl Intrinsic {
    pub fn new(rules: &RuleSet) -> Option<Intrinsic> {
        Some(Intrinsic {
            parse_error: rules.index("parse-error")?,
            duplicate_key: rules.index("duplicate-key")?,
            schema_violation: rules.index("schema-violation")?,
            invalid_suppression: rules.index("invalid-suppression")?,
            unused_suppression: rules.index("unused-suppression")?,
            expired_suppression: rules.index("expired-suppression")?,
            unrecognized_document: rules.index("unrecognized-document")?,
        })
    }
}

/// Everything the workers share.
pub struct Shared<'a> {
    pub rules: &'a RuleSet,
    /// The systems catalog (a file's connections and credentials get their catalog facts in
    /// the per-file phase).
    pub catalog: &'a Catalog,
    pub intrinsic: Intrinsic,
    pub limits: Limits,
    pub schemes: Vec<String>,
    /// (rule, pattern) of every rule pattern, in rule order.
    pub pattern_ids: Vec<(usize, usize)>,
}

impl<'a> Shared<'a> {
    /// Every pattern of every rule (redactions use them all, enabled or not).
    pub fn patterns(&self) -> impl Iterator<Item = &'a crate::rules::pattern::Pattern> + '_ {
        self.pattern_ids
            .iter()
            .map(|&(r, p)| &self.rules.rules[r].patterns[p])
    }

    pub fn new(
        rules: &'a RuleSet,
        catalog: &'a Catalog,
        intrinsic: Intrinsic,
        limits: Limits,
        schemes: Vec<String>,
    ) -> Shared<'a> {
        let ids = rules
            .rules
            .iter()
            .enumerate()
            .flat_map(|(r, rule)| (0..rule.patterns.len()).map(move |p| (r, p)))
            .collect();
        Shared {
            rules,
            catalog,
            intrinsic,
            limits,
            schemes,
            pattern_ids: ids,
        }
    }
}

/// What happened to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Held at least one of our documents (or could not be parsed and is ours).
    Checked,
    /// Not ours (no marker, or no document of ours).
    NotOurs,
    /// A named file with nothing in it (or only blanks).
    Empty,
    /// Could not be read; the reason.
    Unreadable(String),
}

#[derive(Clone)]
pub struct FileResult {
    pub info: FileInfo,
    pub store: Store,
    /// (rule, pattern, route) of each record of the store's match table.
    pub matches: Vec<(usize, usize, String)>,
    pub findings: Vec<Finding>,
    pub suppressions: Vec<Suppression>,
    pub status: Status,
    /// Documents that were not ours, in a file that was read.
    pub other_documents: usize,
}

impl FileResult {
    /// The same result under another file id (file ids are positions in a run's file list: a
    /// session reuses a file's result in runs that list other files). Every place of the result
    /// that holds a file id is rewritten here (CONTRIBUTING.md, "What a file's per-file result
    /// may hold").
    pub fn renumbered(mut self, file: u32) -> FileResult {
        self.store.set_file(file);
        for f in &mut self.findings {
            f.set_file(file);
        }
        for s in &mut self.suppressions {
            s.loc.file = file;
        }
        self
    }
}

/// Where a file's text comes from.
pub enum Input<'t> {
    Disk(&'t std::path::Path),
    Buffer(&'t [u8]),
}

/// The per-file phase of one file: `file` is its id; `named`, whether the command line named
/// it (a named file that cannot be read is a finding, not a skipped file).
pub fn process(
    shared: &Shared,
    file: u32,
    info: FileInfo,
    input: Input,
    named: bool,
) -> FileResult {
    let mut r = FileResult {
        info,
        store: Store::default(),
        matches: Vec::new(),
        findings: Vec::new(),
        suppressions: Vec::new(),
        status: Status::NotOurs,
        other_documents: 0,
    };
    let Some(text) = read(shared, file, &input, named, &mut r) else {
        if named && r.status == Status::NotOurs {
            super::near_miss::named_not_ours(shared, file, &input, &mut r);
        }
        return r;
    };
    let buffered = matches!(input, Input::Buffer(_));
    let syntax = Syntax::of_path(&r.info.display).unwrap_or(Syntax::Yaml);
    let want_comments = memchr::memmem::find(text.as_bytes(), b"bridgelint:").is_some();
    let parsed = match source::parse(&text, syntax, &shared.limits, want_comments) {
        Ok(p) => p,
        Err(e) => {
            r.info.set_text(&text, buffered);
            r.info.redactions = redact::secret_ranges_unparsed(&text, shared.patterns());
            r.status = Status::Checked;
            let message = redact::scrub(&e.message, &text, &r.info.redactions);
            r.findings.push(parse_error(shared, file, e.pos, message));
            return r;
        }
    };
    // What must never be printed is known before any message is written.
    let ours_docs: Vec<&Document> = (parsed.documents.iter())
        .filter(|d| is_ours(&d.root))
        .collect();
    if named && ours_docs.len() < parsed.documents.len() {
        near_misses(shared, file, &parsed.documents, &text, &mut r);
    }
    if ours_docs.is_empty() {
        r.other_documents = parsed.documents.len();
        if r.status == Status::Checked {
            r.info.set_text(&text, buffered);
        }
        return r;
    }
    let roots: Vec<&Node> = ours_docs.iter().map(|d| &d.root).collect();
    let dropped: Vec<&Entry> = ours_docs.iter().flat_map(|d| d.dropped.iter()).collect();
    let tags: Vec<&(Span, String)> = ours_docs
        .iter()
        .flat_map(|d| d.decoded_tags.iter())
        .collect();
    let hits = scan::pattern_hits(shared, &text, (&roots, &dropped, &tags));
    r.info.redactions = redact::secret_ranges(&text, &roots, &dropped, &hits, &shared.schemes);
    drop((ours_docs, roots, dropped, tags));
    let mut ours = Vec::new();
    for (d, mut doc) in parsed.documents.into_iter().enumerate() {
        if !is_ours(&doc.root) {
            r.other_documents += 1;
            continue;
        }
        if document(shared, file, d, &mut doc, &text, &mut r) {
            ours.push((d, doc.root));
        }
    }
    crate::model::build::catalog_facts(&mut r.store, shared.catalog);
    r.status = Status::Checked;
    r.info.set_text(&text, buffered);
    scan::scan(shared, file, &text, &ours, &hits, &mut r);
    for f in &mut r.findings {
        f.message = redact::scrub(&f.message, &text, &r.info.redactions);
    }
    if !parsed.comments.is_empty() {
        let roots: Vec<&Node> = ours.iter().map(|(_, root)| root).collect();
        r.suppressions = suppress::parse(&parsed.comments, &text, file, shared.rules, &roots);
    }
    r
}

/// The near misses among the documents of a named file that are not ours.
fn near_misses(shared: &Shared, file: u32, docs: &[Document], text: &str, r: &mut FileResult) {
    let others: Vec<(usize, &Node)> = docs
        .iter()
        .enumerate()
        .filter(|(_, doc)| !is_ours(&doc.root))
        .map(|(d, doc)| (d, &doc.root))
        .collect();
    super::near_miss::report(shared, file, &others, text, r);
}

/// The file's text, or `None` when there is none to parse (not ours, or unreadable: then `r`
/// says so).
fn read(
    shared: &Shared,
    file: u32,
    input: &Input,
    named: bool,
    r: &mut FileResult,
) -> Option<String> {
    let outcome = match *input {
        Input::Buffer(bytes) => Ok(source::read::classify_as(
            bytes.to_vec(),
            &shared.limits,
            named,
        )),
        Input::Disk(path) => read_file(path, &shared.limits, named),
    };
    match outcome {
        Ok(ReadOutcome::Text(t)) => Some(t),
        Ok(ReadOutcome::NotOurs) => None,
        Ok(ReadOutcome::Unreadable { message, pos }) => {
            if named || !message.starts_with("cannot read this path") {
                r.status = Status::Checked;
                r.findings.push(parse_error(shared, file, pos, message));
            } else {
                r.status = Status::Unreadable(message);
            }
            None
        }
        Err(e) => {
            let message = format!("cannot read this file: {}", io_reason(&e));
            if named {
                r.status = Status::Checked;
                r.findings
                    .push(parse_error(shared, file, Pos::new(1, 1, 0), message));
            } else {
                r.status = Status::Unreadable(message);
            }
            None
        }
    }
}

/// One document of ours: recognised, its loader problems and schema violations reported, its
/// records built. False when it is not a kind we read.
fn document(
    shared: &Shared,
    file: u32,
    d: usize,
    doc: &mut Document,
    text: &str,
    r: &mut FileResult,
) -> bool {
    let Some(kind) = recognise(shared, file, d, &doc.root, &mut r.findings) else {
        return false;
    };
    for p in &doc.problems {
        let rule = match p.kind {
            ProblemKind::DuplicateKey => shared.intrinsic.duplicate_key,
            ProblemKind::Schema => shared.intrinsic.schema_violation,
        };
        let mut f = Finding::new(rule, Severity::Error, p.message.clone(), loc(file, p.span));
        let mut steps = route_at(&doc.root, p.span.start.offset);
        if p.kind == ProblemKind::DuplicateKey {
            if let Some(key) = key_text(text, p.span) {
                steps.push(Step::Key(key.into()));
            }
        }
        f.route = route(d, &steps);
        r.findings.push(f);
    }
    for e in schema::validate(kind, &mut doc.root, text, &r.info.redactions) {
        let mut f = Finding::new(
            shared.intrinsic.schema_violation,
            Severity::Error,
            e.message,
            loc(file, e.span),
        );
        f.route = route(d, &e.route);
        f.subject = f.message.clone();
        if let Some(to) = e.rename {
            f.fix = Some(crate::finding::PlannedFix {
                message: format!("rename the key to `{to}`"),
                plan: crate::finding::FixPlan::RenameKey { key: f.loc, to },
                applicability: crate::finding::Applicability::Unsafe,
            });
        }
        r.findings.push(f);
    }
    let mut builder = DocBuilder {
        store: &mut r.store,
        file,
        doc: d,
    };
    match kind {
        SchemaKind::Integration => builder.integration(&doc.root),
        _ => builder.service_accounts(&doc.root),
    }
    true
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist (a dangling symbolic link?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn parse_error(shared: &Shared, file: u32, pos: Pos, message: String) -> Finding {
    let mut f = Finding::new(
        shared.intrinsic.parse_error,
        Severity::Error,
        message,
        Loc {
            file,
            start: pos.offset,
            end: pos.offset,
            via_alias: false,
        },
    );
    f.pos = Some(pos);
    f.route = "/".into();
    f
}

pub fn loc(file: u32, span: Span) -> Loc {
    Loc {
        file,
        start: span.start.offset,
        end: span.end.offset,
        via_alias: false,
    }
}

pub(super) fn route(doc: usize, steps: &[Step]) -> String {
    if doc == 0 {
        route_string(steps)
    } else {
        format!("[{doc}]{}", route_string(steps))
    }
}

fn key_text(text: &str, span: Span) -> Option<&str> {
    let t = text.get(span.byte_range())?;
    Some(t.trim_matches(|c| c == '"' || c == '\''))
}

/// A document is ours when its top level is a mapping whose `apiVersion` is a string starting
/// with `bridgelint/`.
pub fn is_ours(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("bridgelint/"))
}

/// Checks `apiVersion` and `kind`; an unknown one is exactly one schema-violation.
fn recognise(
    shared: &Shared,
    file: u32,
    doc: usize,
    root: &Node,
    out: &mut Vec<Finding>,
) -> Option<SchemaKind> {
    let api = root.entry("apiVersion")?;
    let mut violation = |span: Span, message: String, steps: Vec<Step>| {
        let mut f = Finding::new(
            shared.intrinsic.schema_violation,
            Severity::Error,
            message,
            loc(file, span),
        );
        f.route = route(doc, &steps);
        out.push(f);
        None
    };
    if api.value.as_str() != Some("bridgelint/v1") {
        return violation(
            api.value.span,
            format!(
                "unsupported `apiVersion: {}`; this bridgelint reads `bridgelint/v1` documents",
                api.value.as_str().unwrap_or("?")
            ),
            vec![Step::Key("apiVersion".into())],
        );
    }
    let Some(kind) = root.entry("kind") else {
        return violation(
            api.key_span,
            "missing `kind`: a bridgelint/v1 document is `kind: Integration` or `kind: ServiceAccounts`".into(),
            vec![Step::Key("apiVersion".into())],
        );
    };
    match kind.value.as_str() {
        Some("Integration") => Some(SchemaKind::Integration),
        Some("ServiceAccounts") => Some(SchemaKind::ServiceAccounts),
        other => {
            let shown =
                other.map_or_else(|| kind.value.type_name().to_string(), |s| format!("`{s}`"));
            let hint = other
                .and_then(|s| {
                    crate::suggest::closest(s, ["Integration", "ServiceAccounts"].into_iter())
                })
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            violation(
                kind.value.span,
                format!("unknown kind {shown}{hint}; expected `Integration` or `ServiceAccounts`"),
                vec![Step::Key("kind".into())],
            )
        }
    }
}
