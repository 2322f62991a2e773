//! The values expressions evaluate to: read from the model (located, with where they were read
//! from), computed, or an option's; and the truth of a condition.

use std::borrow::Cow;
use std::rc::Rc;

use crate::model::fields::Kind;
use crate::model::{Loc, Slot};

/// Where a value was read from, for routes (baselines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Src {
    pub kind: Kind,
    pub record: u32,
    pub field: u16,
    /// Index in a list field, `u32::MAX` when the value is the field itself.
    pub item: u32,
}

#[derive(Clone, Debug)]
pub enum V<'m> {
    Absent,
    Null,
    Invalid,
    Bool(bool),
    Int(i64),
    Date(i32),
    Str(Cow<'m, str>),
    Ref(Kind, u32),
    /// A list stored in the model: located strings of the record's file.
    Slots(&'m [Slot], u32),
    /// Derived references (their locations are the entities').
    Refs(&'m [u32], Kind),
    /// A list option value.
    Strs(&'m [String]),
    List(Rc<Vec<Val<'m>>>),
    /// Only a location (`key(...)`).
    Loc,
}

#[derive(Clone, Debug)]
pub struct Val<'m> {
    pub v: V<'m>,
    pub loc: Option<Loc>,
    pub src: Option<Src>,
}

impl<'m> Val<'m> {
    #[inline]
    pub fn of(v: V<'m>) -> Val<'m> {
        Val {
            v,
            loc: None,
            src: None,
        }
    }

    #[inline]
    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Absent | V::Null)
    }

    #[inline]
    pub fn is_invalid(&self) -> bool {
        matches!(self.v, V::Invalid)
    }
}

/// An option value from a rule's declaration or the config.
#[derive(Clone, Debug, PartialEq)]
pub enum OptVal {
    Int(i64),
    Bool(bool),
    Str(String),
    List(Vec<String>),
}

/// Truth of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}
