//! YAML loader: granit-parser events → the spanned tree.
//!
//! Owns what the event parser leaves to us: YAML 1.2 core-schema typing of plain scalars, tags,
//! aliases (with an expansion budget against alias bombs, and no recursive alias), merge keys
//! (`<<`, explicit keys win, no duplicate-key for them), duplicate-key detection (every later
//! occurrence is recorded and dropped), the nesting-depth limit, and exact spans: collection ends
//! at their last character, block scalars from their `|`/`>` indicator.

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, Span as GSpan, StructureStyle, Tag};

use super::pos::{relative_pos, Pos, Span};
use super::tree::{
    Comment, Document, Entry, Node, ParseError, ParsedFile, Problem, ProblemKind, Value, INVALID,
    VIA_ALIAS,
};
use super::Limits;

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
        expanded: 0,
        doc_start: Pos::default(),
        prev_doc_end: 0,
        root: None,
        last_end: Pos::default(),
    };
    for item in Parser::new_from_str_with_options(text, options) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            match e.kind() {
                granit_parser::ErrorKind::RecursionLimitExceeded => ParseError {
                    message: too_deep_message(limits),
                    pos: builder.flow_too_deep_at().unwrap_or(builder.marker_pos(m)),
                },
                granit_parser::ErrorKind::TabInPlainScalar => ParseError {
                    message: describe_scan_error(&e.kind().to_string()),
                    pos: builder.next_indentation_tab(builder.marker_pos(m)),
                },
                granit_parser::ErrorKind::TabInBlockIndentation => ParseError {
                    message: describe_scan_error(&e.kind().to_string()),
                    pos: builder.indentation_tab_at(builder.marker_pos(m)),
                },
                kind => ParseError {
                    message: describe_scan_error(&kind.to_string()),
                    pos: builder.marker_pos(m),
                },
            }
        })?;
        let end = builder.marker_pos(&span.end);
        builder.event(event, span)?;
        builder.last_end = end;
    }
    Ok(builder.file)
}

fn too_deep_message(limits: &Limits) -> String {
    format!(
        "nesting deeper than {} levels; bridgelint stops reading this file",
        limits.max_depth
    )
}

fn describe_scan_error(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        "invalid YAML".to_string()
    } else {
        format!("invalid YAML: {raw}")
    }
}

struct Anchored<'t> {
    node: Node<'t>,
    count: usize,
    height: usize,
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
        entries: Vec<Entry<'t>>,
        key: Option<PendingKey<'t>>,
        merges: Vec<Node<'t>>,
        index: Option<HashMap<Cow<'t, str>, usize>>,
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

struct BadTag {
    text: String,
    start: Pos,
}

struct Builder<'t, 'l> {
    text: &'t str,
    limits: &'l Limits,
    stack: Vec<Frame<'t>>,
    anchors: Vec<Option<Anchored<'t>>>,
    file: ParsedFile<'t>,
    problems: Vec<Problem>,
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

    /// The first tab of the indentation of the line holding `at`: the scanner reports a tab
    /// used as indentation after it, where it noticed.
    fn indentation_tab_at(&self, at: Pos) -> Pos {
        let bytes = self.text.as_bytes();
        let end = (at.offset as usize).min(bytes.len());
        let line_start = bytes[..end]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let indentation = bytes[line_start..]
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .map_or(bytes.len(), |n| line_start + n);
        match bytes[line_start..indentation]
            .iter()
            .position(|&b| b == b'\t')
        {
            Some(i) => Pos::new(at.line, i as u32 + 1, (line_start + i) as u32),
            None => at,
        }
    }

    /// The first tab used as indentation (only blanks before it on its line) at or after
    /// `at`: a plain scalar that would continue on a tab-indented line is reported at its
    /// start, not at the tab.
    fn next_indentation_tab(&self, at: Pos) -> Pos {
        let bytes = self.text.as_bytes();
        let mut line_blank = false;
        for (i, &b) in bytes.iter().enumerate().skip(at.offset as usize) {
            match b {
                b'\n' | b'\r' => line_blank = true,
                b'\t' if line_blank => return relative_pos(self.text, at, i),
                b' ' => {}
                _ => line_blank = false,
            }
        }
        at
    }

    /// Where a flow collection first goes deeper than the limit, after the last event.
    ///
    /// The scanner holds flow tokens back while it looks ahead for a `:` that would make them
    /// a key, so its own nesting limit fires somewhere past the bracket that crossed ours:
    /// walk the brackets from the last event received to find that bracket.
    fn flow_too_deep_at(&self) -> Option<Pos> {
        let bytes = self.text.as_bytes();
        let mut depth = self.stack.len();
        let mut i = self.last_end.offset as usize;
        let mut after_indicator = true;
        while i < bytes.len() {
            match bytes[i] {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.limits.max_depth {
                        return Some(relative_pos(self.text, self.last_end, i));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'"' if after_indicator => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'\'' if after_indicator => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                }
                b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => {}
            }
            if i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                after_indicator = matches!(bytes[i], b'[' | b'{' | b',' | b':');
            }
            i += 1;
        }
        None
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
                });
                self.prev_doc_end = span.end.offset;
            }
            Event::Comment(text, _) => {
                self.file.comments.push(Comment {
                    span,
                    text: text.into(),
                });
            }
            Event::Alias(id) => {
                let depth = self.stack.len();
                let Some(Some(anchored)) = self.anchors.get(id) else {
                    return Err(ParseError {
                        message: "invalid YAML: an alias refers to the node that contains it \
                                  (recursive alias)"
                            .into(),
                        pos: span.start,
                    });
                };
                self.expanded += anchored.count;
                if self.expanded > self.limits.alias_budget {
                    return Err(ParseError {
                        message: format!(
                            "aliases expand to more than {} nodes (alias bomb?); bridgelint \
                             stops reading this file",
                            self.limits.alias_budget
                        ),
                        pos: span.start,
                    });
                }
                // Depth counts collections, as for written-out text (a scalar adds none).
                if depth + anchored.height - 1 > self.limits.max_depth {
                    return Err(self.too_deep(span.start));
                }
                let mut node = anchored.node.clone();
                node.set_flag_deep(VIA_ALIAS);
                self.finish_node(node, span.end)?;
            }
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
                    entries: Vec::new(),
                    key: None,
                    merges: Vec::new(),
                    index: None,
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
                mut entries,
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

    fn too_deep(&self, pos: Pos) -> ParseError {
        ParseError {
            message: too_deep_message(self.limits),
            pos,
        }
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
            // An indentless sequence (`key:\n- a`) starts at the parser's first item token:
            // move back to its `-`.
            let bytes = self.text.as_bytes();
            let mut i = start.offset as usize;
            if bytes.get(i) != Some(&b'-') {
                while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
                    i -= 1;
                }
                if i > 0 && bytes[i - 1] == b'-' {
                    start = relative_pos(self.text, start, i - 1);
                }
            }
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

    /// Returns the tag when it is outside the core schema (or does not fit the node).
    fn check_tag(
        &self,
        tag: Option<&Tag>,
        gspan: &GSpan,
        kind: Option<&Kind<'t>>,
    ) -> Option<BadTag> {
        let tag = tag?;
        let text = gspan
            .tag_span()
            .and_then(|s| s.slice(self.text))
            .map(str::to_string)
            .unwrap_or_else(|| tag.to_string());
        let start = gspan
            .tag_start
            .map(|m| self.marker_pos(&m))
            .unwrap_or_else(|| self.marker_pos(&gspan.start));
        let core = tag.handle() == "tag:yaml.org,2002:";
        let fits = match (core, tag.suffix(), kind) {
            (false, "", _) if tag.handle() == "!" => true,
            (true, "map", Some(Kind::Map { .. })) => true,
            (true, "seq", Some(Kind::Seq(_))) => true,
            (true, "str" | "int" | "float" | "bool" | "null", None) => true,
            _ => false,
        };
        (!fits).then_some(BadTag { text, start })
    }

    fn bad_tag(&mut self, node: &mut Node<'t>, tag: BadTag) {
        node.flags |= INVALID;
        self.problems.push(Problem {
            kind: ProblemKind::Schema,
            span: Span::new(tag.start, node.span.end),
            message: format!(
                "tag `{}` is not supported: bridgelint reads plain YAML 1.2 core-schema values",
                tag.text
            ),
        });
    }

    fn scalar(
        &mut self,
        raw: Cow<'t, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mut span: Span,
        gspan: &GSpan,
    ) -> Result<(), ParseError> {
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            span = self.block_scalar_span(span);
        }
        // A mapping key keeps its text; a value gets its core-schema type.
        let in_key_position = matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map { key: None, .. },
                ..
            })
        );
        let bad = self.check_tag(tag, gspan, None);
        if in_key_position && bad.is_none() {
            let merge = style == ScalarStyle::Plain && raw == "<<" && tag.is_none();
            let frame = self.stack.last_mut().expect("key position");
            frame.last_end = span.end;
            if let Kind::Map { key, .. } = &mut frame.kind {
                *key = Some(PendingKey::Key {
                    text: raw,
                    span,
                    merge,
                });
            }
            return Ok(());
        }
        let value = match (style, tag) {
            (ScalarStyle::Plain, None) => resolve_plain(raw),
            (_, Some(t)) if bad.is_none() && t.handle() == "tag:yaml.org,2002:" => {
                match resolve_tagged(raw.clone(), t.suffix()) {
                    Some(v) => v,
                    None => {
                        self.problems.push(Problem {
                            kind: ProblemKind::Schema,
                            span,
                            message: format!("`{raw}` is not a valid `!!{}` value", t.suffix()),
                        });
                        let mut node = Node::new(Value::Str(raw), span);
                        node.flags |= INVALID;
                        return self.finish_scalar(node, anchor);
                    }
                }
            }
            _ => Value::Str(raw),
        };
        let mut node = Node::new(value, span);
        if let Some(bad) = bad {
            self.bad_tag(&mut node, bad);
        }
        self.finish_scalar(node, anchor)
    }

    fn finish_scalar(&mut self, node: Node<'t>, anchor: usize) -> Result<(), ParseError> {
        if anchor != 0 {
            self.store_anchor(anchor, &node);
        }
        let end = node.span.end;
        self.finish_node(node, end)
    }

    fn store_anchor(&mut self, id: usize, node: &Node<'t>) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchored {
            count: node.count(),
            height: node.height(),
            node: node.clone(),
        });
    }

    /// Block scalars start at their `|` or `>` indicator and end after their last content line.
    fn block_scalar_span(&self, span: Span) -> Span {
        let bytes = self.text.as_bytes();
        let from = self
            .stack
            .last()
            .map(|f| f.last_end.offset)
            .unwrap_or(self.prev_doc_end) as usize;
        let content = span.start.offset as usize;
        let mut i = from.min(content);
        let mut indicator = None;
        while i < content {
            match bytes[i] {
                b'|' | b'>' => {
                    indicator = Some(i);
                    break;
                }
                b'#' => {
                    while i < content && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        let start = indicator
            .map(|i| relative_pos(self.text, span.start, i))
            .unwrap_or(span.start);
        // The parser ends the scalar at the next token: drop trailing blank lines and less
        // indented comment lines.
        let end_limit = (span.end.offset as usize).min(bytes.len());
        let body = &self.text[content.min(end_limit)..end_limit];
        let content_indent = body
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .unwrap_or(0);
        let mut end = content.min(end_limit);
        let mut offset = content.min(end_limit);
        for line in body.split_inclusive(['\n', '\r']) {
            let trimmed = line.trim_end_matches(['\n', '\r']);
            let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
            let blank = trimmed.trim().is_empty();
            let outdented_comment =
                trimmed.trim_start().starts_with('#') && indent < content_indent;
            if !blank && !outdented_comment {
                end = offset + trimmed.trim_end().len();
            }
            offset += line.len();
        }
        if indicator.is_some() && end <= content {
            // Empty block scalar: it ends after its header.
            let header_end = self.text[start.offset as usize..content]
                .find(['\n', '\r'])
                .map(|n| start.offset as usize + n)
                .unwrap_or(content);
            let header = self.text[start.offset as usize..header_end]
                .split('#')
                .next()
                .unwrap_or("")
                .trim_end();
            end = start.offset as usize + header.len();
        }
        Span::new(start, relative_pos(self.text, span.start, end))
    }

    fn apply_merges(&mut self, entries: &mut Vec<Entry<'t>>, merges: Vec<Node<'t>>) {
        for merge in merges {
            let sources: Vec<Node> = match merge.value {
                Value::Map(_) => vec![merge],
                Value::Seq(items) if items.iter().all(|n| n.as_map().is_some()) => items,
                _ => {
                    self.problems.push(Problem {
                        kind: ProblemKind::Schema,
                        span: merge.span,
                        message: "a merge key `<<` needs a mapping or a list of mappings".into(),
                    });
                    continue;
                }
            };
            for source in sources {
                let Value::Map(src) = source.value else {
                    continue;
                };
                for mut e in src {
                    if !entries.iter().any(|x| x.key == e.key) {
                        e.value.set_flag_deep(VIA_ALIAS);
                        entries.push(e);
                    }
                }
            }
        }
    }

    fn finish_node(&mut self, node: Node<'t>, site_end: Pos) -> Result<(), ParseError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.last_end = site_end;
        match &mut frame.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map {
                entries,
                key,
                merges,
                index,
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
                            self.problems.push(duplicate(&text, span, None));
                        } else {
                            *merge_seen = true;
                            merges.push(node);
                        }
                        return Ok(());
                    }
                    let first = match index {
                        Some(map) => map.get(&text).copied(),
                        None => entries.iter().position(|e| e.key == text),
                    };
                    if let Some(first) = first {
                        let first_span = entries[first].key_span;
                        self.problems.push(duplicate(&text, span, Some(first_span)));
                        return Ok(());
                    }
                    if index.is_none() && entries.len() >= 16 {
                        *index = Some(
                            entries
                                .iter()
                                .enumerate()
                                .map(|(i, e)| (e.key.clone(), i))
                                .collect(),
                        );
                    }
                    if let Some(map) = index {
                        map.insert(text.clone(), entries.len());
                    }
                    entries.push(Entry {
                        key: text,
                        key_span: span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }
}

fn duplicate(key: &str, span: Span, first: Option<Span>) -> Problem {
    let message = match first {
        Some(f) => format!(
            "duplicate key `{key}` (first defined on line {}); only the first is read",
            f.start.line
        ),
        None => format!("duplicate key `{key}`; only the first is read"),
    };
    Problem {
        kind: ProblemKind::DuplicateKey,
        span,
        message,
    }
}

/// YAML 1.2 core schema for plain scalars.
pub fn resolve_plain(raw: Cow<'_, str>) -> Value<'_> {
    let s: &str = &raw;
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let b = s.as_bytes();
    let first = b[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Value::Str(raw);
    }
    if let Some(v) = resolve_int(s) {
        return v;
    }
    if is_core_float(s) {
        if let Ok(f) = s.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(raw)
}

fn resolve_int(s: &str) -> Option<Value<'static>> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x") {
        (h, 16)
    } else if let Some(o) = s.strip_prefix("0o") {
        (o, 8)
    } else {
        let body = s.strip_prefix(['-', '+']).unwrap_or(s);
        if body.is_empty() || !body.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        return Some(match s.parse::<i64>() {
            Ok(i) => Value::Int(i),
            // Beyond 64 bits: keep the magnitude so range checks still speak.
            Err(_) => Value::Float(s.parse::<f64>().unwrap_or(f64::MAX)),
        });
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i64::from_str_radix(digits, radix) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(f64::MAX),
    })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

fn resolve_tagged<'t>(raw: Cow<'t, str>, suffix: &str) -> Option<Value<'t>> {
    match suffix {
        "str" => Some(Value::Str(raw)),
        "null" => matches!(&*raw, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null),
        "bool" => match resolve_plain(raw) {
            v @ Value::Bool(_) => Some(v),
            _ => None,
        },
        "int" => resolve_int(&raw),
        "float" => match resolve_plain(raw) {
            Value::Int(i) => Some(Value::Float(i as f64)),
            v @ Value::Float(_) => Some(v),
            _ => None,
        },
        _ => None,
    }
}
