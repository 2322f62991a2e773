//! The static types of expressions, as the type checker sees them.

use crate::model::fields::{Kind, Ty};

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

    /// The type's name in messages: "string", "list of accounts".
    pub fn name(&self) -> String {
        match self {
            T::Bool => "bool".into(),
            T::Int => "integer".into(),
            T::Str => "string".into(),
            T::Date => "date".into(),
            T::Null => "null".into(),
            T::Entity(k) => k.name().into(),
            T::List(e) => format!("list of {}", e.plural()),
            T::Loc => "location".into(),
            T::Any => "value".into(),
        }
    }

    fn plural(&self) -> String {
        match self {
            T::List(e) => format!("lists of {}", e.plural()),
            T::Entity(Kind::Match) => "matches".into(),
            _ => format!("{}s", self.name()),
        }
    }

    /// The name with its article, as messages use it: "an integer", "a list of strings", "null".
    pub fn with_article(&self) -> String {
        let name = self.name();
        match self {
            T::Null => name,
            _ if name.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {name}"),
            _ => format!("a {name}"),
        }
    }

    pub(super) fn compatible(&self, other: &T) -> bool {
        self == other || matches!(self, T::Any | T::Null) || matches!(other, T::Any | T::Null)
    }
}
