//! Strict JSON (RFC 8259) parser into the same spanned tree as YAML.
//!
//! Comments, trailing commas, single quotes, `NaN`, `Infinity` and leading zeros are errors, as
//! format.md requires. Iterative (an explicit stack), so 200,000 nested brackets are a clean
//! error at the depth limit, never a stack overflow. Duplicate keys are recorded, not fatal.

use std::borrow::Cow;

use super::mapping::MapBuilder;
use super::pos::{Pos, Span};
use super::tree::{Document, Entry, Node, ParseError, ParsedFile, Problem, Value};
use super::Limits;

pub fn parse<'t>(text: &'t str, limits: &Limits) -> Result<ParsedFile<'t>, ParseError> {
    let mut p = JsonParser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        column_cache: std::cell::Cell::new((0, 0)),
        problems: Vec::new(),
        dropped: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        p.i = 3;
        p.line_start = 3;
    }
    let root = p.document(limits)?;
    Ok(ParsedFile {
        documents: vec![Document {
            root,
            problems: p.problems,
            dropped: p.dropped,
            decoded_tags: Vec::new(),
        }],
        comments: Vec::new(),
    })
}

enum Frame<'t> {
    Array {
        start: Pos,
        items: Vec<Node<'t>>,
    },
    Object {
        start: Pos,
        map: MapBuilder<'t>,
        key: Option<(Cow<'t, str>, Span)>,
    },
}

struct JsonParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
    /// (byte offset, code points from the line start to it).
    column_cache: std::cell::Cell<(usize, usize)>,
    problems: Vec<Problem>,
    /// Later occurrences of duplicate keys ([`Document::dropped`]).
    dropped: Vec<Entry<'a>>,
}

impl<'t> JsonParser<'t> {
    /// Columns are counted incrementally so that a 10 MB single line stays linear.
    fn pos(&self) -> Pos {
        let mut cache = self.column_cache.get();
        if cache.0 < self.line_start || cache.0 > self.i {
            cache = (self.line_start, 0);
        }
        let chars = cache.1 + self.text[cache.0..self.i].chars().count();
        self.column_cache.set((self.i, chars));
        Pos::new(self.line, chars as u32 + 1, self.i as u32)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            message: format!("invalid JSON: {}", message.into()),
            pos: self.pos(),
        })
    }

    fn skip_ws(&mut self) {
        while let Some(&c) = self.bytes.get(self.i) {
            match c {
                b' ' | b'\t' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b'\r' => {
                    self.i += 1;
                    if self.bytes.get(self.i) == Some(&b'\n') {
                        self.i += 1;
                    }
                    self.line += 1;
                    self.line_start = self.i;
                }
                _ => break,
            }
        }
    }

    fn unexpected<T>(&self, expected: &str) -> Result<T, ParseError> {
        match self.text[self.i..].chars().next() {
            None => self.err(format!("unexpected end of file, expected {expected}")),
            Some('/') => self.err("comments are not allowed in JSON"),
            Some('\'') => self.err("strings must use double quotes in JSON"),
            Some(c) => self.err(format!(
                "unexpected `{}`, expected {expected}",
                c.escape_debug()
            )),
        }
    }

    fn document(&mut self, limits: &Limits) -> Result<Node<'t>, ParseError> {
        let mut stack: Vec<Frame<'t>> = Vec::new();
        self.skip_ws();
        let root;
        'outer: loop {
            // Parse one value (or open a container).
            self.skip_ws();
            let Some(mut node) = self.value(&mut stack, limits)? else {
                continue;
            };
            // Attach the value and close as many containers as end here.
            loop {
                let Some(frame) = stack.last_mut() else {
                    root = node;
                    break 'outer;
                };
                self.attach(frame, node);
                match self.after_item(&mut stack)? {
                    Some(closed) => node = closed,
                    None => continue 'outer,
                }
            }
        }
        self.skip_ws();
        if self.i < self.bytes.len() {
            return self.unexpected("the end of the file");
        }
        Ok(root)
    }

    /// One value: a scalar or an empty container, or `None` when a container opened (its items
    /// come next).
    #[inline]
    fn value(
        &mut self,
        stack: &mut Vec<Frame<'t>>,
        limits: &Limits,
    ) -> Result<Option<Node<'t>>, ParseError> {
        let start = self.pos();
        let node = match self.bytes.get(self.i) {
            Some(b'{') | Some(b'[') => return self.open(stack, start, limits),
            Some(b'"') => {
                let s = self.string()?;
                Node::new(Value::Str(s), Span::new(start, self.pos()))
            }
            Some(b't') => self.literal("true", Value::Bool(true), start)?,
            Some(b'f') => self.literal("false", Value::Bool(false), start)?,
            Some(b'n') => self.literal("null", Value::Null, start)?,
            Some(b'-' | b'0'..=b'9') => self.number(start)?,
            Some(b'N') | Some(b'I') => {
                return self.err("`NaN` and `Infinity` are not JSON numbers")
            }
            _ => return self.unexpected("a value"),
        };
        Ok(Some(node))
    }

    /// Opens the object or array at `start` (within the depth limit); an empty one is complete
    /// at once, otherwise `None` (and an object has read its first key).
    #[inline]
    fn open(
        &mut self,
        stack: &mut Vec<Frame<'t>>,
        start: Pos,
        limits: &Limits,
    ) -> Result<Option<Node<'t>>, ParseError> {
        if stack.len() >= limits.max_depth {
            return Err(ParseError {
                message: format!(
                    "nesting deeper than {} levels; bridgelint stops reading this file",
                    limits.max_depth
                ),
                pos: start,
            });
        }
        let open_object = self.bytes[self.i] == b'{';
        self.i += 1;
        self.skip_ws();
        if open_object {
            stack.push(Frame::Object {
                start,
                map: MapBuilder::default(),
                key: None,
            });
            if self.bytes.get(self.i) == Some(&b'}') {
                self.i += 1;
                let Some(Frame::Object { map, .. }) = stack.pop() else {
                    unreachable!()
                };
                return Ok(Some(Node::new(
                    Value::Map(map.entries),
                    Span::new(start, self.pos()),
                )));
            }
            self.key(stack)?;
        } else {
            stack.push(Frame::Array {
                start,
                items: Vec::new(),
            });
            if self.bytes.get(self.i) == Some(&b']') {
                self.i += 1;
                stack.pop();
                return Ok(Some(Node::new(
                    Value::Seq(Vec::new()),
                    Span::new(start, self.pos()),
                )));
            }
        }
        Ok(None)
    }

    /// Puts a value into its container: an array's next item, or the value of the pending key
    /// (a duplicate key is recorded and its value dropped).
    #[inline]
    fn attach(&mut self, frame: &mut Frame<'t>, node: Node<'t>) {
        match frame {
            Frame::Array { items, .. } => items.push(node),
            Frame::Object { map, key, .. } => {
                let (k, key_span) = key.take().expect("value follows a key");
                map.insert(k, key_span, node, &mut self.problems, &mut self.dropped);
            }
        }
    }

    /// After an item of the top container: `,` and the next item (`None`; an object has read
    /// the next key), or the container's end, which completes it.
    #[inline]
    fn after_item(&mut self, stack: &mut Vec<Frame<'t>>) -> Result<Option<Node<'t>>, ParseError> {
        self.skip_ws();
        let is_object = matches!(stack.last(), Some(Frame::Object { .. }));
        match (self.bytes.get(self.i), is_object) {
            (Some(b','), _) => {
                self.i += 1;
                self.skip_ws();
                if matches!(self.bytes.get(self.i), Some(b']' | b'}')) {
                    return self.err("trailing commas are not allowed in JSON");
                }
                if is_object {
                    self.key(stack)?;
                }
                Ok(None)
            }
            (Some(b']'), false) | (Some(b'}'), true) => {
                self.i += 1;
                let end = self.pos();
                Ok(Some(match stack.pop().expect("frame") {
                    Frame::Array { start, items } => {
                        Node::new(Value::Seq(items), Span::new(start, end))
                    }
                    Frame::Object { start, map, .. } => {
                        Node::new(Value::Map(map.entries), Span::new(start, end))
                    }
                }))
            }
            _ => self.unexpected(if is_object {
                "`,` or `}`"
            } else {
                "`,` or `]`"
            }),
        }
    }

    /// Reads `"key" :` into the top object frame.
    fn key(&mut self, stack: &mut [Frame<'t>]) -> Result<(), ParseError> {
        self.skip_ws();
        if self.bytes.get(self.i) != Some(&b'"') {
            return self.unexpected("a string key");
        }
        let start = self.pos();
        let k = self.string()?;
        let span = Span::new(start, self.pos());
        self.skip_ws();
        if self.bytes.get(self.i) != Some(&b':') {
            return self.unexpected("`:`");
        }
        self.i += 1;
        if let Some(Frame::Object { key, .. }) = stack.last_mut() {
            *key = Some((k, span));
        }
        Ok(())
    }

    fn literal(
        &mut self,
        word: &str,
        value: Value<'t>,
        start: Pos,
    ) -> Result<Node<'t>, ParseError> {
        if self.text[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(Node::new(value, Span::new(start, self.pos())))
        } else {
            self.unexpected("a value")
        }
    }

    fn number(&mut self, start: Pos) -> Result<Node<'t>, ParseError> {
        let b = self.bytes;
        let s = self.i;
        if b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match b.get(self.i) {
            Some(b'0') => {
                self.i += 1;
                if matches!(b.get(self.i), Some(b'0'..=b'9')) {
                    return self.err("numbers cannot have leading zeros");
                }
            }
            Some(b'1'..=b'9') => {
                while matches!(b.get(self.i), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            Some(b'I') => return self.err("`-Infinity` is not a JSON number"),
            _ => return self.unexpected("a digit"),
        }
        let mut float = false;
        if b.get(self.i) == Some(&b'.') {
            float = true;
            self.i += 1;
            if !matches!(b.get(self.i), Some(b'0'..=b'9')) {
                return self.unexpected("a digit after `.`");
            }
            while matches!(b.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(b.get(self.i), Some(b'e' | b'E')) {
            float = true;
            self.i += 1;
            if matches!(b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(b.get(self.i), Some(b'0'..=b'9')) {
                return self.unexpected("a digit in the exponent");
            }
            while matches!(b.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        let text = &self.text[s..self.i];
        let value = if !float {
            match text.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Float(text.parse::<f64>().unwrap_or(f64::MAX)),
            }
        } else {
            Value::Float(text.parse::<f64>().unwrap_or(f64::MAX))
        };
        Ok(Node::new(value, Span::new(start, self.pos())))
    }

    /// A string: borrowed from the text when it holds no escape.
    fn string(&mut self) -> Result<Cow<'t, str>, ParseError> {
        debug_assert_eq!(self.bytes[self.i], b'"');
        self.i += 1;
        let run = self.i;
        while let Some(&c) = self.bytes.get(self.i) {
            if c == b'"' {
                let text: &'t str = self.text;
                let s = &text[run..self.i];
                self.i += 1;
                return Ok(Cow::Borrowed(s));
            }
            if c == b'\\' || c < 0x20 {
                break;
            }
            self.i += 1;
        }
        self.i = run;
        self.escaped_string()
    }

    /// The rest of a string that holds an escape (or a control character, an error), read
    /// again from its first character into an owned string.
    fn escaped_string(&mut self) -> Result<Cow<'t, str>, ParseError> {
        let mut out = String::new();
        loop {
            let run = self.i;
            while let Some(&c) = self.bytes.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.text[run..self.i]);
            match self.bytes.get(self.i) {
                None => return self.err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return self.err("control characters must be escaped in strings"),
            }
        }
    }

    /// The character an escape stands for, read from after its backslash.
    fn escape(&mut self) -> Result<char, ParseError> {
        let c = match self.bytes.get(self.i) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.i += 1;
                let code = self.unicode_escape()?;
                return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            _ => return self.err("invalid escape in string"),
        };
        self.i += 1;
        Ok(c)
    }

    /// The code point of a `\u` escape (after the `u`), a surrogate pair as one.
    fn unicode_escape(&mut self) -> Result<u32, ParseError> {
        let hi = self.hex4()?;
        if (0xDC00..0xE000).contains(&hi) {
            return self.err("lone surrogate in \\u escape");
        }
        if !(0xD800..0xDC00).contains(&hi) {
            return Ok(hi);
        }
        if !self.text[self.i..].starts_with("\\u") {
            return self.err("lone surrogate in \\u escape");
        }
        self.i += 2;
        let lo = self.hex4()?;
        if !(0xDC00..0xE000).contains(&lo) {
            return self.err("invalid surrogate pair in \\u escape");
        }
        Ok(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let h = self.text.get(self.i..self.i + 4).unwrap_or("");
        if h.len() != 4 || !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return self.err("invalid \\u escape");
        }
        self.i += 4;
        Ok(u32::from_str_radix(h, 16).expect("hex digits"))
    }
}
