//! The parser: operators by precedence (`if`, `or`, `and`, `not`, comparisons, `??`, `+`/`-`,
//! field access), type checking each as it is built. Terms are in `terms.rs`, calls in
//! `call.rs`.

use super::lex::Tok;
use super::{BinOp, Expr, ExprError, Scope, MAX_TREE_DEPTH, T};

pub(super) struct Parser<'a> {
    toks: Vec<(Tok<'a>, usize)>,
    pos: usize,
    pub(super) scope: &'a Scope<'a>,
    /// Environment: (name, type); slot 0 is `self`.
    pub(super) env: Vec<(String, T)>,
    /// How many environment slots the expression needs: the most variables in scope at once.
    pub(super) max_slot: usize,
    depth: usize,
}

/// Deepest nesting of an expression (parentheses, lists, calls): the parser recurses, and a
/// rule from a pull request must not be able to overflow the stack.
const MAX_DEPTH: usize = 64;

impl<'a> Parser<'a> {
    pub(super) fn new(
        toks: Vec<(Tok<'a>, usize)>,
        scope: &'a Scope<'a>,
        env: Vec<(String, T)>,
    ) -> Parser<'a> {
        let max_slot = env.len();
        Parser {
            toks,
            pos: 0,
            scope,
            env,
            max_slot,
            depth: 0,
        }
    }

    pub(super) fn peek(&self) -> &Tok<'a> {
        &self.toks[self.pos].0
    }

    /// The token after the current one.
    pub(super) fn peek_next(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.pos + 1).map(|(t, _)| t)
    }

    pub(super) fn offset(&self) -> usize {
        self.toks[self.pos].1
    }

    /// An error at the current token.
    pub(super) fn error(&self, message: impl Into<String>) -> ExprError {
        ExprError::at(self.offset(), message)
    }

    /// The current token, moved out (the parser never goes back), and a step forward; at the
    /// end, `End` again.
    pub(super) fn next(&mut self) -> Tok<'a> {
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
            std::mem::replace(&mut self.toks[self.pos - 1].0, Tok::End)
        } else {
            Tok::End
        }
    }

    pub(super) fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if *s == w)
    }

    pub(super) fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    pub(super) fn expect_op(&mut self, op: &str) -> Result<(), ExprError> {
        if self.is_op(op) {
            self.next();
            Ok(())
        } else {
            Err(self.error(format!("expected `{op}`")))
        }
    }

    /// After an item of a list or a call: a `,` (consumed), or the closing `close` (left for
    /// the caller).
    pub(super) fn separator(&mut self, close: &str) -> Result<(), ExprError> {
        if self.is_op(",") {
            self.next();
            Ok(())
        } else if self.is_op(close) {
            Ok(())
        } else {
            Err(self.error(format!("expected `,` or `{close}`")))
        }
    }

    pub(super) fn expr(&mut self) -> Result<(Expr, T), ExprError> {
        self.nested(self.offset(), Self::expr_inner)
    }

    /// Parses with `parse` one level deeper; `at` is where a too deep expression is reported.
    pub(super) fn nested(
        &mut self,
        at: usize,
        parse: fn(&mut Self) -> Result<(Expr, T), ExprError>,
    ) -> Result<(Expr, T), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::at(
                at,
                format!("expression nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let r = parse(self);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self) -> Result<(Expr, T), ExprError> {
        if self.is_word("if") {
            self.next();
            let start = self.offset();
            let (c, ct) = self.expr()?;
            want_bool(&ct, "the condition of `if`", start)?;
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

    fn or(&mut self) -> Result<(Expr, T), ExprError> {
        self.logic("or", BinOp::Or, Self::and)
    }

    fn and(&mut self) -> Result<(Expr, T), ExprError> {
        self.logic("and", BinOp::And, Self::not)
    }

    /// A chain `a or b or ...` (or `and`) of `operand`s, all of them conditions.
    fn logic(
        &mut self,
        word: &str,
        op: BinOp,
        operand: fn(&mut Self) -> Result<(Expr, T), ExprError>,
    ) -> Result<(Expr, T), ExprError> {
        let start = self.offset();
        let (mut l, lt) = operand(self)?;
        if !self.is_word(word) {
            return Ok((l, lt));
        }
        want_bool(&lt, &format!("the left side of `{word}`"), start)?;
        let mut n = 0;
        while self.is_word(word) {
            n += 1;
            self.chain(n)?;
            self.next();
            let start = self.offset();
            let (r, rt) = operand(self)?;
            want_bool(&rt, &format!("the right side of `{word}`"), start)?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
        Ok((l, T::Bool))
    }

    /// Operator chains nest the tree one level per operand: bound them while parsing (`n`
    /// operators so far: the next operand is operand `n + 1`).
    pub(super) fn chain(&self, n: usize) -> Result<(), ExprError> {
        if n >= MAX_TREE_DEPTH {
            return Err(self.error(format!("more than {MAX_TREE_DEPTH} operands in one chain")));
        }
        Ok(())
    }

    fn not(&mut self) -> Result<(Expr, T), ExprError> {
        if self.is_word("not") {
            self.next();
            let start = self.offset();
            let (e, t) = self.nested(start, Self::not)?;
            want_bool(&t, "the operand of `not`", start)?;
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
            Tok::Ident("in") => BinOp::In,
            Tok::Ident("not") => {
                // `x not in list`
                if matches!(self.peek_next(), Some(Tok::Ident("in"))) {
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
        comparable(op, &lt, &rt).map_err(|m| ExprError::at(at, m))?;
        Ok((Expr::Bin(op, Box::new(l), Box::new(r)), T::Bool))
    }

    fn coalesce(&mut self) -> Result<(Expr, T), ExprError> {
        let op = |p: &Self| p.is_op("??").then_some(BinOp::Coalesce);
        // `null ?? x` has the type of `x`.
        let ty = |_, lt: T, rt: T, _| Ok(if lt == T::Null { rt } else { lt });
        self.left_chain(Self::add, op, ty)
    }

    fn add(&mut self) -> Result<(Expr, T), ExprError> {
        let op = |p: &Self| match p.peek() {
            Tok::Op("+") => Some(BinOp::Add),
            Tok::Op("-") => Some(BinOp::Sub),
            _ => None,
        };
        self.left_chain(Self::postfix, op, sum_type)
    }

    /// A chain `a op b op c ...` of `operand`s, nested to the left: `op` says which operator
    /// comes next, if any; `ty` gives the type of each step from the types of its sides (and
    /// the operator's offset, for its error).
    fn left_chain(
        &mut self,
        operand: fn(&mut Self) -> Result<(Expr, T), ExprError>,
        op: impl Fn(&Self) -> Option<BinOp>,
        ty: impl Fn(BinOp, T, T, usize) -> Result<T, ExprError>,
    ) -> Result<(Expr, T), ExprError> {
        let (mut l, mut lt) = operand(self)?;
        let mut n = 0;
        while let Some(op) = op(self) {
            n += 1;
            self.chain(n)?;
            let at = self.offset();
            self.next();
            let (r, rt) = operand(self)?;
            lt = ty(op, lt, rt, at)?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
        Ok((l, lt))
    }

    pub(super) fn postfix(&mut self) -> Result<(Expr, T), ExprError> {
        let (mut e, mut t) = self.primary()?;
        let mut n = 0;
        while self.is_op(".") {
            n += 1;
            self.chain(n)?;
            self.next();
            let at = self.offset();
            let Tok::Ident(name) = self.next() else {
                return Err(ExprError::at(at, "expected a field name after `.`"));
            };
            let T::Entity(kind) = t else {
                return Err(ExprError::at(at, no_fields(name, &t)));
            };
            let (ex, ty) = self.field(e, kind, name, at)?;
            e = ex;
            t = ty;
        }
        Ok((e, t))
    }
}

/// Checks that a condition (`what`, starting at `at`) is one.
fn want_bool(t: &T, what: &str, at: usize) -> Result<(), ExprError> {
    if matches!(t, T::Bool | T::Any | T::Null) {
        return Ok(());
    }
    let m = format!(
        "{what} must be a condition (bool), not {}",
        t.with_article()
    );
    Err(ExprError::at(at, m))
}

/// Checks the types of the two sides of a comparison or a membership test.
fn comparable(op: BinOp, lt: &T, rt: &T) -> Result<(), String> {
    match op {
        BinOp::In | BinOp::NotIn => {
            let ok = match rt {
                T::List(e) => e.compatible(lt),
                T::Str => lt.compatible(&T::Str),
                T::Any | T::Null => true,
                _ => false,
            };
            if !ok {
                let word = if op == BinOp::In { "in" } else { "not in" };
                return Err(format!(
                    "`{word}` needs a list (or string) on its right, of the left side's type; \
                     found {} in {}",
                    lt.with_article(),
                    rt.with_article()
                ));
            }
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ordered = |t: &T| matches!(t, T::Int | T::Date | T::Str | T::Any | T::Null);
            if !ordered(lt) || !ordered(rt) || !lt.compatible(rt) {
                return Err(format!(
                    "cannot order {} and {}",
                    lt.with_article(),
                    rt.with_article()
                ));
            }
        }
        _ => {
            if !lt.compatible(rt) {
                return Err(format!(
                    "cannot compare {} with {}",
                    lt.with_article(),
                    rt.with_article()
                ));
            }
        }
    }
    Ok(())
}

/// `.name` after a value that is not an entity. A list's items may have the field: say how to
/// reach them.
fn no_fields(name: &str, t: &T) -> String {
    let hint = match t {
        T::List(_) => format!(" (to read its items' `{name}`, use `map`, `any` or `first`)"),
        _ => String::new(),
    };
    format!("`{name}`: {} has no fields{hint}", t.with_article())
}

/// The type of `a + b` or `a - b`: numbers, days added to or taken from a date, days between
/// dates, and `+` with a string.
fn sum_type(op: BinOp, lt: T, rt: T, at: usize) -> Result<T, ExprError> {
    Ok(match (op, &lt, &rt) {
        (_, T::Int, T::Int) => T::Int,
        (_, T::Date, T::Int) => T::Date,
        (BinOp::Add, T::Int, T::Date) => T::Date,
        (BinOp::Sub, T::Date, T::Date) => T::Int,
        (BinOp::Add, T::Str, _) | (BinOp::Add, _, T::Str) => T::Str,
        (_, T::Any, _) | (_, _, T::Any) => T::Any,
        _ => {
            let sign = if op == BinOp::Add { "+" } else { "-" };
            let m = format!(
                "cannot apply `{sign}` to {} and {}",
                lt.with_article(),
                rt.with_article()
            );
            return Err(ExprError::at(at, m));
        }
    })
}
