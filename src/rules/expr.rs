//! The rule expression language: parsing and type checking.
//!
//! Expressions read like sentences over the model's fields:
//! `type == "personal"`, `reviewed == null or days_since(reviewed) > options.max_age_days`,
//! `any(uses, c => c.credential.type != "api-token")`. The language has no loops but the
//! quantifiers over finite model lists, no recursion, no user functions and no I/O; regexes are
//! literals compiled once with a size limit (linear time). Evaluation is therefore bounded by
//! the size of the model. Field names are checked against the model's field tables when a rule
//! is loaded, with a "did you mean" for typos.

use std::fmt;

use regex::Regex;

use crate::model::fields::{field_index, fields_of, Kind, Ty};

/// A static type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum T {
    Bool,
    Int,
    Str,
    Date,
    Null,
    Entity(Kind),
    List(Box<T>),
    /// The result of `key(...)`: only a location.
    Loc,
    Any,
}

impl T {
    pub fn from_field(ty: Ty) -> T {
        match ty {
            Ty::Bool => T::Bool,
            Ty::Int => T::Int,
            Ty::Str => T::Str,
            Ty::Date => T::Date,
            Ty::Ref(k) => T::Entity(k),
            Ty::ListStr => T::List(Box::new(T::Str)),
            Ty::ListRef(k) => T::List(Box::new(T::Entity(k))),
        }
    }

    fn name(&self) -> String {
        match self {
            T::Bool => "bool".into(),
            T::Int => "integer".into(),
            T::Str => "string".into(),
            T::Date => "date".into(),
            T::Null => "null".into(),
            T::Entity(k) => k.name().into(),
            T::List(e) => format!("list of {}", e.name()),
            T::Loc => "location".into(),
            T::Any => "value".into(),
        }
    }

    fn compatible(&self, other: &T) -> bool {
        self == other || matches!(self, T::Any | T::Null) || matches!(other, T::Any | T::Null)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Add,
    Sub,
    In,
    NotIn,
    Coalesce,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Len,
    Lower,
    Upper,
    Matches,
    Contains,
    StartsWith,
    EndsWith,
    ContainsAny,
    Count,
    Before,
    After,
    Any,
    All,
    Filter,
    Map,
    First,
    Max,
    Min,
    Join,
    DaysSince,
    DaysBetween,
    IsSecretReference,
    Redact,
    UrlScheme,
    UrlHasUserinfo,
    RedactUrl,
    Key,
    Exists,
}

const FUNCS: &[(&str, Func, &str)] = &[
    ("len", Func::Len, "len(list or string): number of items or characters"),
    ("lower", Func::Lower, "lower(string)"),
    ("upper", Func::Upper, "upper(string)"),
    ("matches", Func::Matches, "matches(string, \"regex\"): the regex (a literal, Rust `regex` syntax) matches somewhere"),
    ("contains", Func::Contains, "contains(string, part) or contains(list, item)"),
    ("starts_with", Func::StartsWith, "starts_with(string, prefix)"),
    ("ends_with", Func::EndsWith, "ends_with(string, suffix)"),
    ("contains_any", Func::ContainsAny, "contains_any(string, list of parts): some part is a substring"),
    ("count", Func::Count, "count(string, part): occurrences; count(list, x => condition): items that satisfy it"),
    ("before", Func::Before, "before(string, separator): the text before the first separator, or null"),
    ("after", Func::After, "after(string, separator): the text after the first separator, or null"),
    ("any", Func::Any, "any(list, x => condition)"),
    ("all", Func::All, "all(list, x => condition)"),
    ("filter", Func::Filter, "filter(list, x => condition)"),
    ("map", Func::Map, "map(list, x => expression)"),
    ("first", Func::First, "first(list): the first item, or null"),
    ("max", Func::Max, "max(list): the largest item, nulls left out"),
    ("min", Func::Min, "min(list): the smallest item, nulls left out"),
    ("join", Func::Join, "join(list, separator)"),
    ("days_since", Func::DaysSince, "days_since(date): today minus the date, in days"),
    ("days_between", Func::DaysBetween, "days_between(a, b): b minus a, in days"),
    ("is_secret_reference", Func::IsSecretReference, "is_secret_reference(string): env:NAME, ${NAME}, vault:PATH, ... (format.md; config `secret_reference_schemes`)"),
    ("redact", Func::Redact, "redact(string): a masked form safe to print"),
    ("url_scheme", Func::UrlScheme, "url_scheme(url): the scheme before `://`, or \"\""),
    ("url_has_userinfo", Func::UrlHasUserinfo, "url_has_userinfo(url): the authority holds `user@` or `user:pass@`"),
    ("redact_url", Func::RedactUrl, "redact_url(url): the URL with its userinfo masked"),
    ("key", Func::Key, "key(field): the location of the key a field sits under"),
    ("exists", Func::Exists, "exists(x): x is present (not null)"),
];

pub fn function_docs() -> impl Iterator<Item = &'static str> {
    FUNCS.iter().map(|(_, _, d)| *d)
}

/// A compiled expression.
#[derive(Clone, Debug)]
pub enum Expr {
    Bool(bool),
    Int(i64),
    Str(String),
    Null,
    Today,
    List(Vec<Expr>),
    /// A variable of the environment (0 is the entity being checked).
    Var(usize),
    Field {
        of: Box<Expr>,
        kind: Kind,
        index: usize,
    },
    Option(usize),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
    /// `x => body` as the argument of a quantifier; binds environment slot `slot`.
    Lambda {
        slot: usize,
        body: Box<Expr>,
    },
    Regex(Box<Regex>),
}

impl Expr {
    /// Calls `read` with every field the expression reads, as (kind, field index).
    pub fn visit_fields(&self, read: &mut impl FnMut(Kind, usize)) {
        match self {
            Expr::Field { of, kind, index } => {
                read(*kind, *index);
                of.visit_fields(read);
            }
            Expr::List(items) | Expr::Call(_, items) => {
                items.iter().for_each(|e| e.visit_fields(read));
            }
            Expr::Not(e) | Expr::Neg(e) | Expr::Lambda { body: e, .. } => e.visit_fields(read),
            Expr::Bin(_, a, b) => {
                a.visit_fields(read);
                b.visit_fields(read);
            }
            Expr::If(a, b, c) => {
                a.visit_fields(read);
                b.visit_fields(read);
                c.visit_fields(read);
            }
            Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Str(_)
            | Expr::Null
            | Expr::Today
            | Expr::Var(_)
            | Expr::Option(_)
            | Expr::Regex(_) => {}
        }
    }
}

/// An error in a rule expression, with the offset of the offending token.
#[derive(Clone, Debug)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Str(String),
    Op(&'static str),
    End,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    const OPS: [&str; 18] = [
        "==", "!=", "<=", ">=", "=>", "??", "<", ">", "+", "-", "(", ")", "[", "]", ",", ".", "!",
        "*",
    ];
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(src[start..i].to_string()), start));
        } else if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n = src[start..i].parse::<i64>().map_err(|_| ExprError {
                offset: start,
                message: "number too large".into(),
            })?;
            out.push((Tok::Int(n), start));
        } else if c == b'"' || c == b'\'' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = src[i..].chars().next() else {
                    return Err(ExprError {
                        offset: start,
                        message: "unterminated string".into(),
                    });
                };
                i += ch.len_utf8();
                if ch as u32 == c as u32 {
                    break;
                }
                if ch == '\\' {
                    let Some(next) = src[i..].chars().next() else {
                        continue;
                    };
                    i += next.len_utf8();
                    match next {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        '\\' | '"' | '\'' => s.push(next),
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                } else {
                    s.push(ch);
                }
            }
            out.push((Tok::Str(s), start));
        } else if let Some(op) = OPS.iter().find(|op| src[i..].starts_with(**op)) {
            if *op == "!" || *op == "*" {
                return Err(ExprError {
                    offset: start,
                    message: format!("unexpected `{op}` (use `not` for negation)"),
                });
            }
            i += op.len();
            out.push((Tok::Op(op), start));
        } else {
            let ch = src[i..].chars().next().unwrap_or('?');
            return Err(ExprError {
                offset: start,
                message: format!("unexpected character `{ch}`"),
            });
        }
    }
    out.push((Tok::End, src.len()));
    Ok(out)
}

/// What a rule's expressions may refer to.
pub struct Scope<'a> {
    /// The kind of the entity being checked (`self`).
    pub subject: Kind,
    /// Declared option names and their types.
    pub options: &'a [(String, T)],
}

struct Parser<'a> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    scope: &'a Scope<'a>,
    /// Environment: (name, type); slot 0 is `self`.
    env: Vec<(String, T)>,
    max_slot: usize,
    depth: usize,
}

/// Deepest nesting of an expression (parentheses, lists, calls): the parser recurses, and a
/// rule from a pull request must not be able to overflow the stack.
const MAX_DEPTH: usize = 64;

/// Compiles an expression; returns it with its static type and the number of environment
/// slots it needs.
pub fn compile(src: &str, scope: &Scope) -> Result<(Expr, T, usize), ExprError> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        scope,
        env: vec![("self".into(), T::Entity(scope.subject))],
        max_slot: 1,
        depth: 0,
    };
    let (e, t) = p.expr()?;
    if p.peek() != &Tok::End {
        return Err(p.error("unexpected text after the expression"));
    }
    check_depth(&e)?;
    Ok((e, t, p.max_slot))
}

/// Compiles an expression in which `item` (environment slot 1) names a related entity.
pub fn compile_with_item(src: &str, scope: &Scope, item: T) -> Result<Expr, ExprError> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        scope,
        env: vec![
            ("self".into(), T::Entity(scope.subject)),
            ("item".into(), item),
        ],
        max_slot: 2,
        depth: 0,
    };
    let (e, _) = p.expr()?;
    if p.peek() != &Tok::End {
        return Err(p.error("unexpected text after the expression"));
    }
    check_depth(&e)?;
    Ok(e)
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn offset(&self) -> usize {
        self.toks[self.pos].1
    }

    fn error(&self, message: impl Into<String>) -> ExprError {
        ExprError {
            offset: self.offset(),
            message: message.into(),
        }
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == w)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ExprError> {
        if self.is_op(op) {
            self.next();
            Ok(())
        } else {
            Err(self.error(format!("expected `{op}`")))
        }
    }

    fn expr(&mut self) -> Result<(Expr, T), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "expression nested more than {MAX_DEPTH} levels deep"
            )));
        }
        let r = self.expr_inner();
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self) -> Result<(Expr, T), ExprError> {
        if self.is_word("if") {
            self.next();
            let (c, ct) = self.expr()?;
            self.want_bool(&ct, "the condition of `if`")?;
            if !self.is_word("then") {
                return Err(self.error("expected `then`"));
            }
            self.next();
            let (a, at) = self.expr()?;
            if !self.is_word("else") {
                return Err(self.error("expected `else`"));
            }
            self.next();
            let (b, bt) = self.expr()?;
            let t = if at == T::Null { bt } else { at };
            return Ok((Expr::If(Box::new(c), Box::new(a), Box::new(b)), t));
        }
        self.or()
    }

    fn want_bool(&self, t: &T, what: &str) -> Result<(), ExprError> {
        if matches!(t, T::Bool | T::Any | T::Null) {
            Ok(())
        } else {
            Err(self.error(format!(
                "{what} must be a condition (bool), not a {}",
                t.name()
            )))
        }
    }

    fn or(&mut self) -> Result<(Expr, T), ExprError> {
        let (mut l, lt) = self.and()?;
        if !self.is_word("or") {
            return Ok((l, lt));
        }
        self.want_bool(&lt, "the left side of `or`")?;
        let mut n = 0;
        while self.is_word("or") {
            n += 1;
            self.chain(n)?;
            self.next();
            let (r, rt) = self.and()?;
            self.want_bool(&rt, "the right side of `or`")?;
            l = Expr::Bin(BinOp::Or, Box::new(l), Box::new(r));
        }
        Ok((l, T::Bool))
    }

    fn and(&mut self) -> Result<(Expr, T), ExprError> {
        let (mut l, lt) = self.not()?;
        if !self.is_word("and") {
            return Ok((l, lt));
        }
        self.want_bool(&lt, "the left side of `and`")?;
        let mut n = 0;
        while self.is_word("and") {
            n += 1;
            self.chain(n)?;
            self.next();
            let (r, rt) = self.not()?;
            self.want_bool(&rt, "the right side of `and`")?;
            l = Expr::Bin(BinOp::And, Box::new(l), Box::new(r));
        }
        Ok((l, T::Bool))
    }

    /// Operator chains nest the tree one level per operand: bound them while parsing.
    fn chain(&self, n: usize) -> Result<(), ExprError> {
        if n > MAX_TREE_DEPTH {
            return Err(self.error(format!("more than {MAX_TREE_DEPTH} operands in one chain")));
        }
        Ok(())
    }

    fn not(&mut self) -> Result<(Expr, T), ExprError> {
        if self.is_word("not") {
            self.next();
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error(format!(
                    "expression nested more than {MAX_DEPTH} levels deep"
                )));
            }
            let r = self.not();
            self.depth -= 1;
            let (e, t) = r?;
            self.want_bool(&t, "the operand of `not`")?;
            return Ok((Expr::Not(Box::new(e)), T::Bool));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<(Expr, T), ExprError> {
        let (l, lt) = self.coalesce()?;
        let op = match self.peek() {
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            Tok::Ident(w) if w == "in" => BinOp::In,
            Tok::Ident(w) if w == "not" => {
                // `x not in list`
                if matches!(self.toks.get(self.pos + 1), Some((Tok::Ident(w2), _)) if w2 == "in") {
                    self.next();
                    BinOp::NotIn
                } else {
                    return Ok((l, lt));
                }
            }
            _ => return Ok((l, lt)),
        };
        let at = self.offset();
        self.next();
        let (r, rt) = self.coalesce()?;
        match op {
            BinOp::In | BinOp::NotIn => {
                let ok = match &rt {
                    T::List(e) => e.compatible(&lt),
                    T::Str => lt.compatible(&T::Str),
                    T::Any | T::Null => true,
                    _ => false,
                };
                if !ok {
                    return Err(ExprError {
                        offset: at,
                        message: format!("`in` needs a list (or string) on its right, of the left side's type; found {} in {}", lt.name(), rt.name()),
                    });
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ordered = |t: &T| matches!(t, T::Int | T::Date | T::Str | T::Any | T::Null);
                if !ordered(&lt) || !ordered(&rt) || !lt.compatible(&rt) {
                    return Err(ExprError {
                        offset: at,
                        message: format!("cannot order {} and {}", lt.name(), rt.name()),
                    });
                }
            }
            _ => {
                if !lt.compatible(&rt) {
                    return Err(ExprError {
                        offset: at,
                        message: format!("cannot compare {} with {}", lt.name(), rt.name()),
                    });
                }
            }
        }
        Ok((Expr::Bin(op, Box::new(l), Box::new(r)), T::Bool))
    }

    fn coalesce(&mut self) -> Result<(Expr, T), ExprError> {
        let (mut l, mut lt) = self.add()?;
        let mut n = 0;
        while self.is_op("??") {
            n += 1;
            self.chain(n)?;
            self.next();
            let (r, rt) = self.add()?;
            if lt == T::Null {
                lt = rt;
            }
            l = Expr::Bin(BinOp::Coalesce, Box::new(l), Box::new(r));
        }
        Ok((l, lt))
    }

    fn add(&mut self) -> Result<(Expr, T), ExprError> {
        let (mut l, mut lt) = self.postfix()?;
        let mut n = 0;
        while self.is_op("+") || self.is_op("-") {
            n += 1;
            self.chain(n)?;
            let op = if self.is_op("+") {
                BinOp::Add
            } else {
                BinOp::Sub
            };
            let at = self.offset();
            self.next();
            let (r, rt) = self.postfix()?;
            let t = match (op, &lt, &rt) {
                (_, T::Int, T::Int) => T::Int,
                (_, T::Date, T::Int) => T::Date,
                (BinOp::Add, T::Int, T::Date) => T::Date,
                (BinOp::Sub, T::Date, T::Date) => T::Int,
                (BinOp::Add, T::Str, _) | (BinOp::Add, _, T::Str) => T::Str,
                (_, T::Any, _) | (_, _, T::Any) => T::Any,
                _ => {
                    return Err(ExprError {
                        offset: at,
                        message: format!(
                            "cannot apply `{}` to {} and {}",
                            if op == BinOp::Add { "+" } else { "-" },
                            lt.name(),
                            rt.name()
                        ),
                    })
                }
            };
            l = Expr::Bin(op, Box::new(l), Box::new(r));
            lt = t;
        }
        Ok((l, lt))
    }

    fn postfix(&mut self) -> Result<(Expr, T), ExprError> {
        let (mut e, mut t) = self.primary()?;
        let mut n = 0;
        while self.is_op(".") {
            n += 1;
            self.chain(n)?;
            self.next();
            let at = self.offset();
            let Tok::Ident(name) = self.next() else {
                return Err(ExprError {
                    offset: at,
                    message: "expected a field name after `.`".into(),
                });
            };
            let T::Entity(kind) = t else {
                return Err(ExprError {
                    offset: at,
                    message: format!("`{name}`: a {} has no fields", t.name()),
                });
            };
            let (ex, ty) = self.field(e, kind, &name, at)?;
            e = ex;
            t = ty;
        }
        Ok((e, t))
    }

    fn field(&self, of: Expr, kind: Kind, name: &str, at: usize) -> Result<(Expr, T), ExprError> {
        match field_index(kind, name) {
            Some(index) => {
                let ty = T::from_field(fields_of(kind)[index].ty);
                Ok((
                    Expr::Field {
                        of: Box::new(of),
                        kind,
                        index,
                    },
                    ty,
                ))
            }
            None => {
                let names = fields_of(kind).iter().map(|f| f.name);
                let hint = crate::suggest::closest(name, names)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                Err(ExprError {
                    offset: at,
                    message: format!("a {} has no field `{name}`{hint}", kind.name()),
                })
            }
        }
    }

    fn primary(&mut self) -> Result<(Expr, T), ExprError> {
        let at = self.offset();
        match self.next() {
            Tok::Int(n) => Ok((Expr::Int(n), T::Int)),
            Tok::Str(s) => Ok((Expr::Str(s), T::Str)),
            Tok::Op("-") => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(ExprError {
                        offset: at,
                        message: format!("expression nested more than {MAX_DEPTH} levels deep"),
                    });
                }
                let r = self.postfix();
                self.depth -= 1;
                let (e, t) = r?;
                if !matches!(t, T::Int | T::Any) {
                    return Err(ExprError {
                        offset: at,
                        message: "`-` needs a number".into(),
                    });
                }
                Ok((Expr::Neg(Box::new(e)), T::Int))
            }
            Tok::Op("(") => {
                let r = self.expr()?;
                self.expect_op(")")?;
                Ok(r)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                let mut elem = T::Any;
                while !self.is_op("]") {
                    let (e, t) = self.expr()?;
                    if elem == T::Any {
                        elem = t;
                    }
                    items.push(e);
                    if !self.is_op("]") {
                        self.expect_op(",")?;
                    }
                }
                self.next();
                Ok((Expr::List(items), T::List(Box::new(elem))))
            }
            Tok::Ident(w) => self.ident(w, at),
            Tok::End => Err(ExprError {
                offset: at,
                message: "unexpected end of the expression".into(),
            }),
            Tok::Op(o) => Err(ExprError {
                offset: at,
                message: format!("unexpected `{o}`"),
            }),
        }
    }

    fn ident(&mut self, w: String, at: usize) -> Result<(Expr, T), ExprError> {
        match w.as_str() {
            "true" => return Ok((Expr::Bool(true), T::Bool)),
            "false" => return Ok((Expr::Bool(false), T::Bool)),
            "null" => return Ok((Expr::Null, T::Null)),
            "today" => return Ok((Expr::Today, T::Date)),
            "options" => {
                self.expect_op(".")?;
                let at = self.offset();
                let Tok::Ident(name) = self.next() else {
                    return Err(ExprError {
                        offset: at,
                        message: "expected an option name".into(),
                    });
                };
                return match self.scope.options.iter().position(|(n, _)| *n == name) {
                    Some(i) => Ok((Expr::Option(i), self.scope.options[i].1.clone())),
                    None => {
                        let hint = crate::suggest::closest(
                            &name,
                            self.scope.options.iter().map(|(n, _)| n.as_str()),
                        )
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                        Err(ExprError {
                            offset: at,
                            message: format!("the rule declares no option `{name}`{hint}"),
                        })
                    }
                };
            }
            _ => {}
        }
        if self.is_op("(") {
            return self.call(&w, at);
        }
        if let Some(slot) = self.env.iter().rposition(|(n, _)| *n == w) {
            return Ok((Expr::Var(slot), self.env[slot].1.clone()));
        }
        // A field of the entity being checked.
        self.field(Expr::Var(0), self.scope.subject, &w, at)
    }

    fn lambda(&mut self, elem: T) -> Result<(Expr, T), ExprError> {
        let at = self.offset();
        let Tok::Ident(name) = self.next() else {
            return Err(ExprError {
                offset: at,
                message: "expected `name => expression`".into(),
            });
        };
        self.expect_op("=>")?;
        self.env.push((name, elem));
        let slot = self.env.len() - 1;
        self.max_slot = self.max_slot.max(self.env.len());
        let r = self.expr();
        self.env.pop();
        let (body, t) = r?;
        Ok((
            Expr::Lambda {
                slot,
                body: Box::new(body),
            },
            t,
        ))
    }

    fn call(&mut self, name: &str, at: usize) -> Result<(Expr, T), ExprError> {
        let Some(&(_, func, _)) = FUNCS.iter().find(|(n, _, _)| *n == name) else {
            let hint = crate::suggest::closest(name, FUNCS.iter().map(|(n, _, _)| *n))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(ExprError {
                offset: at,
                message: format!("unknown function `{name}`{hint}"),
            });
        };
        self.expect_op("(")?;
        let mut args: Vec<(Expr, T)> = Vec::new();
        let takes_lambda = matches!(
            func,
            Func::Any | Func::All | Func::Filter | Func::Map | Func::Count
        );
        while !self.is_op(")") {
            let lambda_here = takes_lambda
                && args.len() == 1
                && matches!(self.toks.get(self.pos + 1), Some((Tok::Op("=>"), _)));
            if lambda_here {
                let elem = match &args[0].1 {
                    T::List(e) => (**e).clone(),
                    _ => T::Any,
                };
                args.push(self.lambda(elem)?);
            } else {
                args.push(self.expr()?);
            }
            if !self.is_op(")") {
                self.expect_op(",")?;
            }
        }
        self.next();
        let arity = |n: usize| -> Result<(), ExprError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(ExprError {
                    offset: at,
                    message: format!(
                        "`{name}` takes {n} argument{}",
                        if n == 1 { "" } else { "s" }
                    ),
                })
            }
        };
        let ty = |i: usize| args[i].1.clone();
        let want = |i: usize, ok: &dyn Fn(&T) -> bool, what: &str| -> Result<(), ExprError> {
            if ok(&args[i].1) || matches!(args[i].1, T::Any | T::Null) {
                Ok(())
            } else {
                Err(ExprError {
                    offset: at,
                    message: format!(
                        "argument {} of `{name}` must be {what}, not a {}",
                        i + 1,
                        args[i].1.name()
                    ),
                })
            }
        };
        let is_str = |t: &T| *t == T::Str;
        let is_list = |t: &T| matches!(t, T::List(_));
        let is_lambda = |e: &Expr| matches!(e, Expr::Lambda { .. });
        let result = match func {
            Func::Len => {
                arity(1)?;
                want(0, &|t| is_str(t) || is_list(t), "a list or string")?;
                T::Int
            }
            Func::Lower | Func::Upper | Func::Redact | Func::RedactUrl | Func::UrlScheme => {
                arity(1)?;
                want(0, &is_str, "a string")?;
                T::Str
            }
            Func::UrlHasUserinfo | Func::IsSecretReference => {
                arity(1)?;
                want(0, &is_str, "a string")?;
                T::Bool
            }
            Func::Matches => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                let Expr::Str(pattern) = &args[1].0 else {
                    return Err(ExprError {
                        offset: at,
                        message: "the regex of `matches` must be a string literal".into(),
                    });
                };
                let re = compile_regex(pattern).map_err(|m| ExprError {
                    offset: at,
                    message: m,
                })?;
                args[1] = (Expr::Regex(Box::new(re)), T::Str);
                T::Bool
            }
            Func::Contains => {
                arity(2)?;
                want(0, &|t| is_str(t) || is_list(t), "a list or string")?;
                T::Bool
            }
            Func::StartsWith | Func::EndsWith => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                want(1, &is_str, "a string")?;
                T::Bool
            }
            Func::ContainsAny => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                want(1, &|t| *t == T::List(Box::new(T::Str)), "a list of strings")?;
                T::Bool
            }
            Func::Count => {
                arity(2)?;
                if is_lambda(&args[1].0) {
                    want(0, &is_list, "a list")?;
                } else {
                    want(0, &is_str, "a string")?;
                }
                T::Int
            }
            Func::Before | Func::After => {
                arity(2)?;
                want(0, &is_str, "a string")?;
                want(1, &is_str, "a string")?;
                T::Str
            }
            Func::Any | Func::All | Func::Filter | Func::Map => {
                arity(2)?;
                want(0, &is_list, "a list")?;
                if !is_lambda(&args[1].0) {
                    return Err(ExprError {
                        offset: at,
                        message: format!("argument 2 of `{name}` must be `x => expression`"),
                    });
                }
                match func {
                    Func::Any | Func::All => {
                        if !matches!(ty(1), T::Bool | T::Any | T::Null) {
                            return Err(ExprError {
                                offset: at,
                                message: format!("the body of `{name}` must be a condition"),
                            });
                        }
                        T::Bool
                    }
                    Func::Filter => ty(0),
                    _ => T::List(Box::new(ty(1))),
                }
            }
            Func::First | Func::Max | Func::Min => {
                arity(1)?;
                want(0, &is_list, "a list")?;
                match ty(0) {
                    T::List(e) => *e,
                    _ => T::Any,
                }
            }
            Func::Join => {
                arity(2)?;
                want(0, &is_list, "a list")?;
                want(1, &is_str, "a string")?;
                T::Str
            }
            Func::DaysSince => {
                arity(1)?;
                want(0, &|t| *t == T::Date, "a date")?;
                T::Int
            }
            Func::DaysBetween => {
                arity(2)?;
                want(0, &|t| *t == T::Date, "a date")?;
                want(1, &|t| *t == T::Date, "a date")?;
                T::Int
            }
            Func::Key => {
                arity(1)?;
                if !matches!(args[0].0, Expr::Field { .. }) {
                    return Err(ExprError {
                        offset: at,
                        message: "`key` takes a field, e.g. key(rotation)".into(),
                    });
                }
                T::Loc
            }
            Func::Exists => {
                arity(1)?;
                T::Bool
            }
        };
        Ok((
            Expr::Call(func, args.into_iter().map(|(e, _)| e).collect()),
            result,
        ))
    }
}

/// Deepest an expression may nest once compiled: evaluation recurses, and a rule from a pull
/// request must not be able to overflow the stack (long `a or b or ...` chains nest too).
const MAX_TREE_DEPTH: usize = 256;

/// Depth of a compiled expression, computed without recursion.
fn tree_depth(e: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Expr, usize)> = vec![(e, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        match e {
            Expr::List(items) | Expr::Call(_, items) => {
                stack.extend(items.iter().map(|c| (c, d + 1)));
            }
            Expr::Field { of, .. } => stack.push((of, d + 1)),
            Expr::Not(x) | Expr::Neg(x) => stack.push((x, d + 1)),
            Expr::Bin(_, a, b) => stack.extend([(&**a, d + 1), (&**b, d + 1)]),
            Expr::If(a, b, c) => stack.extend([(&**a, d + 1), (&**b, d + 1), (&**c, d + 1)]),
            Expr::Lambda { body, .. } => stack.push((body, d + 1)),
            _ => {}
        }
    }
    deepest
}

fn check_depth(e: &Expr) -> Result<(), ExprError> {
    if tree_depth(e) > MAX_TREE_DEPTH {
        return Err(ExprError {
            offset: 0,
            message: format!("expression nested more than {MAX_TREE_DEPTH} levels deep"),
        });
    }
    Ok(())
}

/// Compiles a regex with a size limit (16 MiB of compiled program: a Unicode `\w{82}` fits, a
/// hostile pattern does not); matching is linear time by construction of the `regex` crate.
pub fn compile_regex(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(16 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| format!("invalid regex: {e}"))
}
