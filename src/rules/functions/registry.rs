//! How a built-in function is declared: its signatures as the type checker reads them, and the
//! `functions!` macro that turns the one table of `functions/mod.rs` into the `Func` enum, the
//! `FUNCTIONS` table (names, signatures, documentation) and the evaluator's dispatch.

use super::{Func, FUNCTIONS};
use crate::rules::expr::T;

/// What an argument must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    Str,
    Date,
    List,
    /// A list of strings.
    StrList,
    StrOrList,
    /// Anything: the function sorts it out when it runs.
    Any,
    /// A string literal, compiled once, when the rule is loaded, as a regex.
    Regex,
    /// A field (`key(rotation)`): the call reads where the field is, not its value.
    Field,
    /// `x => condition`, `x` ranging over the items of the first argument (a list).
    Cond,
    /// `x => expression`, `x` ranging over the items of the first argument (a list).
    Lambda,
}

impl Arg {
    pub fn is_lambda(self) -> bool {
        matches!(self, Arg::Cond | Arg::Lambda)
    }

    /// Whether a value argument of type `t` fits (null and values of unknown type always do),
    /// and the words an error uses for what fits. The other kinds are checked on the argument's
    /// expression, not its type.
    pub(crate) fn fits(self, t: &T) -> (bool, &'static str) {
        let (fits, what) = match self {
            Arg::Str => (*t == T::Str, "a string"),
            Arg::Date => (*t == T::Date, "a date"),
            Arg::List => (matches!(t, T::List(_)), "a list"),
            Arg::StrList => (*t == T::List(Box::new(T::Str)), "a list of strings"),
            Arg::StrOrList => (matches!(t, T::Str | T::List(_)), "a list or string"),
            Arg::Any | Arg::Regex | Arg::Field | Arg::Cond | Arg::Lambda => (true, "a value"),
        };
        (fits || matches!(t, T::Any | T::Null), what)
    }
}

/// The type of a call's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Bool,
    Int,
    Str,
    /// Only a location (`key`).
    Loc,
    /// An item of the first argument (a list).
    Item,
    /// The type of the first argument.
    First,
    /// A list of what the lambda (the second argument) gives.
    Mapped,
}

/// One form of a function: what each argument must be, and the result.
#[derive(Debug)]
pub struct Sig {
    pub args: &'static [Arg],
    pub ret: Ret,
}

pub const fn sig(args: &'static [Arg], ret: Ret) -> Sig {
    Sig { args, ret }
}

/// A built-in function as the type checker and the documentation see it.
#[derive(Debug)]
pub struct Def {
    pub name: &'static str,
    pub func: Func,
    /// `signature: what it gives`; docs/model.md lists these lines.
    pub doc: &'static str,
    /// Its forms; a call takes the one with lambdas where the call has them (`count`).
    pub sigs: &'static [Sig],
}

impl Def {
    /// The form a call takes, given which of its arguments are lambdas.
    pub(crate) fn form(&self, is_lambda: impl Fn(usize) -> bool) -> &'static Sig {
        let fits = |s: &&Sig| (0..s.args.len()).all(|i| s.args[i].is_lambda() == is_lambda(i));
        self.sigs.iter().find(fits).unwrap_or(&self.sigs[0])
    }

    /// Whether some form takes a lambda as argument `i` (0-based).
    pub(crate) fn lambda_at(&self, i: usize) -> bool {
        self.sigs
            .iter()
            .any(|s| s.args.get(i).is_some_and(|a| a.is_lambda()))
    }

    /// Whether some form takes a lambda (`any`, `count`): rules.md's quantifiers row shows it.
    pub fn is_quantifier(&self) -> bool {
        self.sigs
            .iter()
            .any(|s| s.args.iter().any(|a| a.is_lambda()))
    }

    /// Whether some form takes no lambda (`len`, `count`): rules.md's functions row lists it.
    pub fn is_plain(&self) -> bool {
        self.sigs
            .iter()
            .any(|s| !s.args.iter().any(|a| a.is_lambda()))
    }
}

/// The function of that name.
pub fn lookup(name: &str) -> Option<&'static Def> {
    FUNCTIONS.iter().find(|d| d.name == name)
}

/// Every function's documentation line, in table order (docs/model.md, "Functions").
pub fn function_docs() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|d| d.doc)
}

/// The functions row of docs/rules.md's Expressions table: every function with a form that
/// takes no lambda (the quantifiers have a row of their own).
pub fn function_list() -> String {
    let names: Vec<&str> = FUNCTIONS
        .iter()
        .filter(|d| d.is_plain())
        .map(|d| d.name)
        .collect();
    format!("`{}`", names.join(" "))
}

/// Declares every built-in function from one entry each:
///
/// ```text
/// Variant {
///     name: "name",
///     doc: "name(arguments): what it gives",
///     sigs: [sig(&[Arg::..., ...], Ret::...), ...],
///     eval: values |cx, v| ...,          // v: the arguments' values; an invalid one
///                                        // makes the call invalid before this runs
///     eval: lazy |cx, args, env| ...,    // the argument expressions, evaluated as it likes
/// }
/// ```
///
/// It generates `Func`, `FUNCTIONS` and `Ctx::call`, a `match` with each entry's code in its
/// arm: dispatch stays static, as when the functions were written out in the evaluator.
macro_rules! functions {
    ($(
        $variant:ident {
            name: $name:literal,
            doc: $doc:literal,
            sigs: [$($sig:expr),+ $(,)?],
            eval: $mode:ident |$($param:ident),+| $body:expr $(,)?
        }
    )*) => {
        /// A built-in function; its entry in [`FUNCTIONS`] has its name, forms and documentation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Func {
            $($variant),*
        }

        /// Every built-in function, in the order the documentation lists them.
        pub static FUNCTIONS: &[Def] = &[
            $(Def { name: $name, func: Func::$variant, doc: $doc, sigs: &[$($sig),+] }),*
        ];

        impl<'m> Ctx<'m> {
            /// Evaluates a call of `f` with its argument expressions.
            #[inline]
            pub(crate) fn call(
                &self,
                f: Func,
                args: &'m [Expr],
                env: &mut Vec<Val<'m>>,
            ) -> Val<'m> {
                match f {
                    $(Func::$variant => eval_arm!(self, args, env; $mode |$($param),+| $body),)*
                }
            }
        }
    };
}

/// One arm of `Ctx::call`: binds the entry's names and runs its code.
macro_rules! eval_arm {
    ($cx:expr, $args:ident, $env:ident; values |$c:ident, $v:ident| $body:expr) => {
        $cx.with_values($args, $env, |$v| {
            #[allow(unused_variables)]
            let $c = $cx;
            $body
        })
    };
    ($cx:expr, $args:ident, $env:ident; lazy |$c:ident, $a:ident, $e:ident| $body:expr) => {{
        let ($c, $a, $e) = ($cx, $args, $env);
        $body
    }};
}

pub(super) use {eval_arm, functions};
