//! YAML loader: granit-parser events → the spanned tree.
//!
//! Owns what the event parser leaves to us: YAML 1.2 core-schema typing of plain scalars, tags,
//! aliases (with an expansion budget against alias bombs, and no recursive alias), merge keys
//! (`<<`, explicit keys win, no duplicate-key for them), duplicate-key detection (every later
//! occurrence is recorded and dropped), the nesting-depth limit, and exact spans: collection ends
//! at their last character, block scalars from their `|`/`>` indicator.
//!
//! This module runs the parser and builds the tree from its events (documents, collections,
//! keys); `scalar.rs` types scalars, `tag.rs` checks tags, `alias.rs` expands aliases,
//! `merge.rs` applies merge keys, `spans.rs` corrects the events' spans and `errors.rs` places
//! scan errors.

mod alias;
mod errors;
mod merge;
mod scalar;
mod spans;
mod tag;

use std::borrow::Cow;

use granit_parser::{Event, Parser, Span as GSpan, StructureStyle, Tag};

use super::mapping::{duplicate_key, MapBuilder};
use super::pos::{Pos, Span};
use super::tree::{
    Comment, Document, Entry, Node, ParseError, ParsedFile, Problem, ProblemKind, Value,
};
use super::Limits;
use alias::Anchored;
use tag::BadTag;

pub use scalar::resolve_plain;

/// Levels the scanner may go beyond the depth limit before its own limit stops it.
const SCANNER_MARGIN: usize = 8;

/// Parses a YAML stream. `want_comments` asks for the comments (suppressions need them).
pub fn parse<'t>(
    text: &'t str,
    limits: &Limits,
    want_comments: bool,
) -> Result<ParsedFile<'t>, ParseError> {
    let mut options = granit_parser::Options::default();
    options.set_emit_comments(want_comments);
    // The scanner's own limits are a backstop only: they count flow and block levels apart and
    // run a few tokens ahead, so at the exact limit they would fire one bracket late. A margin
    // lets the tree builder's count (all levels, in order) always decide first.
    options.flow_nesting_limit = limits.max_depth + SCANNER_MARGIN;
    options.block_nesting_limit = limits.max_depth + SCANNER_MARGIN;
    // Comments between a collection and its first entry are buffered by the parser; a hostile
    // file can hold many of them, so allow a generous number rather than fail on real files.
    options.max_buffered_comment_events = 100_000;
    // An alias to no anchor comes as an event, so that the error can name it.
    options.emit_unresolved_aliases = true;
    let mut builder = Builder {
        text,
        limits,
        stack: Vec::new(),
        anchors: Vec::new(),
        file: ParsedFile::default(),
        problems: Vec::new(),
        dropped: Vec::new(),
        decoded_tags: Vec::new(),
        expanded: 0,
        doc_start: Pos::default(),
        prev_doc_end: 0,
        root: None,
        last_end: Pos::default(),
    };
    for item in Parser::new_from_str_with_options(text, options) {
        let (event, span) = item.map_err(|e| builder.scan_error(&e))?;
        let end = builder.marker_pos(&span.end);
        builder.event(event, span)?;
        builder.last_end = end;
    }
    Ok(builder.file)
}

enum PendingKey<'t> {
    Key {
        text: Cow<'t, str>,
        span: Span,
        merge: bool,
    },
    Complex,
}

enum Kind<'t> {
    Seq(Vec<Node<'t>>),
    Map {
        map: MapBuilder<'t>,
        key: Option<PendingKey<'t>>,
        merges: Vec<Node<'t>>,
        merge_seen: bool,
    },
}

struct Frame<'t> {
    kind: Kind<'t>,
    start: Pos,
    flow: bool,
    anchor: usize,
    tag: Option<BadTag>,
    /// End of the last child at its site (an alias ends at `*name`, not at the anchored text).
    last_end: Pos,
}

struct Builder<'t, 'l> {
    text: &'t str,
    limits: &'l Limits,
    stack: Vec<Frame<'t>>,
    anchors: Vec<Option<Anchored<'t>>>,
    file: ParsedFile<'t>,
    problems: Vec<Problem>,
    /// Later occurrences of duplicate keys ([`Document::dropped`]).
    dropped: Vec<Entry<'t>>,
    /// Tags whose meaning differs from their spelling ([`Document::decoded_tags`]).
    decoded_tags: Vec<(Span, String)>,
    expanded: usize,
    doc_start: Pos,
    /// Where the previous document ended (where a root block scalar's search starts).
    prev_doc_end: u32,
    root: Option<Node<'t>>,
    /// Where the last event received ended.
    last_end: Pos,
}

impl<'t> Builder<'t, '_> {
    fn marker_pos(&self, m: &granit_parser::Marker) -> Pos {
        let offset = m.byte_offset().unwrap_or(0);
        Pos::new(m.line() as u32, m.col() as u32 + 1, offset as u32)
    }

    fn span(&self, s: &GSpan) -> Span {
        Span::new(self.marker_pos(&s.start), self.marker_pos(&s.end))
    }

    fn event(&mut self, event: Event<'t>, gspan: GSpan) -> Result<(), ParseError> {
        let span = self.span(&gspan);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Anchor(..) => {}
            Event::DocumentStart(..) => {
                self.anchors.clear();
                self.doc_start = span.end;
            }
            Event::DocumentEnd => {
                // An empty document holds a null.
                let root = self
                    .root
                    .take()
                    .unwrap_or_else(|| Node::new(Value::Null, Span::point(self.doc_start)));
                self.file.documents.push(Document {
                    root,
                    problems: std::mem::take(&mut self.problems),
                    dropped: std::mem::take(&mut self.dropped),
                    decoded_tags: std::mem::take(&mut self.decoded_tags),
                });
                self.prev_doc_end = span.end.offset;
            }
            Event::Comment(text, _) => {
                self.file.comments.push(Comment {
                    span,
                    text: text.into(),
                });
            }
            Event::Alias(id) => self.alias(id, span)?,
            Event::UnresolvedAlias(name) => {
                return Err(ParseError {
                    message: format!("invalid YAML: unknown anchor `{name}`"),
                    pos: span.start,
                });
            }
            Event::Scalar(raw, style, anchor, tag) => {
                self.scalar(raw, style, anchor, tag.as_deref(), span, &gspan)?;
            }
            Event::SequenceStart(style, anchor, tag) => {
                self.open(
                    Kind::Seq(Vec::new()),
                    style,
                    anchor,
                    tag.as_deref(),
                    span,
                    &gspan,
                )?;
            }
            Event::MappingStart(style, anchor, tag) => {
                let kind = Kind::Map {
                    map: MapBuilder::default(),
                    key: None,
                    merges: Vec::new(),
                    merge_seen: false,
                };
                self.open(kind, style, anchor, tag.as_deref(), span, &gspan)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), ParseError> {
        let frame = self.stack.pop().expect("balanced events");
        // A flow collection ends after its closing bracket; a block one at its last child.
        let end = if frame.flow {
            span.end
        } else {
            frame.last_end.max(frame.start)
        };
        let value = match frame.kind {
            Kind::Seq(items) => Value::Seq(items),
            Kind::Map {
                map: MapBuilder { mut entries, .. },
                merges,
                ..
            } => {
                self.apply_merges(&mut entries, merges);
                Value::Map(entries)
            }
        };
        let mut node = Node::new(value, Span::new(frame.start, end));
        if let Some(tag) = frame.tag {
            self.bad_tag(&mut node, tag);
        }
        if frame.anchor != 0 {
            self.store_anchor(frame.anchor, &node);
        }
        self.finish_node(node, end)
    }

    fn open(
        &mut self,
        kind: Kind<'t>,
        style: StructureStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
        gspan: &GSpan,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.too_deep(span.start));
        }
        let tag = self.check_tag(tag, gspan, Some(&kind));
        let mut start = span.start;
        if style == StructureStyle::Block && matches!(kind, Kind::Seq(_)) {
            start = self.block_sequence_start(start);
        }
        self.stack.push(Frame {
            kind,
            start,
            flow: style == StructureStyle::Flow,
            anchor,
            tag,
            last_end: span.start,
        });
        Ok(())
    }

    /// Puts a finished node into the collection being built (or makes it the document's
    /// root): a sequence item, a mapping's value for the pending key, or a key of its own when
    /// it stands where a key goes (a complex key, which is a problem).
    #[inline]
    fn finish_node(&mut self, node: Node<'t>, site_end: Pos) -> Result<(), ParseError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.last_end = site_end;
        match &mut frame.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map {
                map,
                key,
                merges,
                merge_seen,
            } => match key.take() {
                None => {
                    // A collection in key position.
                    self.problems.push(Problem {
                        kind: ProblemKind::Schema,
                        span: node.span,
                        message: "a mapping key must be a plain scalar, not a collection".into(),
                    });
                    *key = Some(PendingKey::Complex);
                }
                Some(PendingKey::Complex) => {}
                Some(PendingKey::Key { text, span, merge }) => {
                    if merge {
                        if *merge_seen {
                            self.problems.push(duplicate_key(&text, span, None));
                            self.dropped.push(Entry {
                                key: text,
                                key_span: span,
                                value: node,
                            });
                        } else {
                            *merge_seen = true;
                            merges.push(node);
                        }
                        return Ok(());
                    }
                    map.insert(text, span, node, &mut self.problems, &mut self.dropped);
                }
            },
        }
        Ok(())
    }
}
