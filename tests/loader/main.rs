//! The spanned YAML/JSON loader, driven through the library API (`bridgelint::source`).
//!
//! Every span is checked at both ends (line, column in code points, byte offset) and, where it
//! helps, against the text it covers. The contract is format.md ("Which files are checked",
//! dialect), cli.md ("Output formats": positions) and rules.md ("Precise semantics": where a
//! value starts and where "the key of the mapping" is).
//!
//! By theme: `spans.rs` (keys, scalars, collections, line ends, the BOM), `documents.rs`
//! (streams, merges, aliases, the alias budget and the depth limit), `scalars.rs` (tags, the
//! core schema, duplicate keys), `json.rs` (strict JSON), `bytes.rs` (reading bytes, comments,
//! "the key of the mapping").

use bridgelint::source::read::{classify, ReadOutcome};
use bridgelint::source::tree::{
    locate, Document, Node, ParseError, ParsedFile, ProblemKind, Step, Value, INVALID, VIA_ALIAS,
};
use bridgelint::source::{parse, Limits, LineIndex, Pos, Span, Syntax};

mod bytes;
mod documents;
mod json;
mod scalars;
mod spans;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn pos(line: u32, column: u32, offset: u32) -> Pos {
    Pos::new(line, column, offset)
}

/// (line, column, offset) of a position.
type At = (u32, u32, u32);

fn span(start: At, end: At) -> Span {
    Span::new(pos(start.0, start.1, start.2), pos(end.0, end.1, end.2))
}

fn load<'t>(text: &'t str, syntax: Syntax, limits: &Limits) -> ParsedFile<'t> {
    match parse(text, syntax, limits, true) {
        Ok(f) => {
            for d in &f.documents {
                assert_positions_consistent(text, &d.root);
            }
            f
        }
        Err(e) => panic!("expected {text:?} to parse, got {e:?}"),
    }
}

fn yaml(text: &str) -> ParsedFile<'_> {
    load(text, Syntax::Yaml, &Limits::default())
}

fn json(text: &str) -> ParsedFile<'_> {
    load(text, Syntax::Json, &Limits::default())
}

/// The only document of a stream.
fn only<'a, 't>(file: &'a ParsedFile<'t>) -> &'a Document<'t> {
    assert_eq!(file.documents.len(), 1, "expected one document");
    &file.documents[0]
}

fn yaml_err(text: &str, limits: &Limits) -> ParseError {
    match parse(text, Syntax::Yaml, limits, false) {
        Ok(f) => panic!("expected a parse error for {text:?}, got {f:?}"),
        Err(e) => e,
    }
}

fn json_err(text: &str) -> ParseError {
    match parse(text, Syntax::Json, &Limits::default(), false) {
        Ok(f) => panic!("expected a parse error for {text:?}, got {f:?}"),
        Err(e) => e,
    }
}

/// Route steps from a `/`-separated path; a number is a sequence index.
fn steps(path: &str) -> Vec<Step> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<usize>() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(s.into()),
        })
        .collect()
}

fn node<'a>(root: &'a Node<'a>, path: &str) -> &'a Node<'a> {
    locate(root, &steps(path))
        .unwrap_or_else(|| panic!("no node at {path}"))
        .node
}

fn key_span(root: &Node, path: &str) -> Span {
    locate(root, &steps(path))
        .unwrap_or_else(|| panic!("no node at {path}"))
        .key_span
        .unwrap_or_else(|| panic!("{path} does not sit under a key"))
}

/// The text a span covers.
fn covered(text: &str, s: Span) -> &str {
    &text[s.byte_range()]
}

/// Every recorded position (nodes and keys) agrees with an independent line index over the
/// same text: offsets are bytes, columns code points, the BOM uncounted.
fn assert_positions_consistent(text: &str, root: &Node) {
    let idx = LineIndex::new(text);
    let check = |p: Pos, what: &str| {
        assert_eq!(idx.pos(p.offset as usize), p, "{what} in {text:?}");
    };
    fn walk(n: &Node, f: &dyn Fn(Pos, &str)) {
        f(n.span.start, "node start");
        f(n.span.end, "node end");
        match &n.value {
            Value::Seq(items) => items.iter().for_each(|i| walk(i, f)),
            Value::Map(entries) => {
                for e in entries {
                    f(e.key_span.start, "key start");
                    f(e.key_span.end, "key end");
                    walk(&e.value, f);
                }
            }
            _ => {}
        }
    }
    walk(root, &check);
}

fn str_of<'a>(n: &'a Node<'_>) -> &'a str {
    n.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {:?}", n.value))
}
