//! Our spanned tree as a `jsonschema` representation, so that documents are validated in
//! place: no `serde_json::Value` is built for the (common) valid document.
//!
//! Numbers follow format.md's YAML 1.2 dialect: only integers written as integers are integers
//! (`90.0` is a number, not an integer), unlike JSON Schema's "a number with a zero fraction".

use std::borrow::Cow;

use jsonschema::json::{Array, Json, JsonNumber, Node as JsonNode, NodeIdentity, Object};
use jsonschema::types::JsonType;

use crate::source::tree::{Entry, Node, Value};

/// The representation marker.
pub struct Tree;

/// A node of the tree, or a bare string (a property name being validated).
#[derive(Clone, Copy)]
pub enum TreeRef<'a> {
    Node(&'a Node<'a>),
    Name(&'a str),
}

/// A number of the tree.
#[derive(Clone, Copy)]
pub enum TreeNumber {
    Int(i64),
    Float(f64),
}

impl JsonNumber for TreeNumber {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            TreeNumber::Int(i) => u64::try_from(i).ok(),
            TreeNumber::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            TreeNumber::Int(i) => Some(i),
            TreeNumber::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        Some(match *self {
            TreeNumber::Int(i) => i as f64,
            TreeNumber::Float(f) => f,
        })
    }

    fn as_str(&self) -> Cow<'_, str> {
        match *self {
            TreeNumber::Int(i) => Cow::Owned(i.to_string()),
            TreeNumber::Float(f) => Cow::Owned(format!("{f:?}")),
        }
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(match *self {
            TreeNumber::Int(i) => serde_json::Number::from(i),
            TreeNumber::Float(f) => {
                serde_json::Number::from_f64(f).unwrap_or_else(|| serde_json::Number::from(0))
            }
        })
    }

    fn is_integer(&self) -> bool {
        matches!(self, TreeNumber::Int(_))
    }

    fn is_written_as_integer(&self) -> bool {
        matches!(self, TreeNumber::Int(_))
    }
}

impl Json for Tree {
    type Node<'a> = TreeRef<'a>;
    type PreparedKey = String;
    type StringBuffer = ();
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(TreeRef<'_>) -> T) -> T {
        f(TreeRef::Name(string))
    }
}

impl<'a> JsonNode<'a, Tree> for TreeRef<'a> {
    type Object = &'a [Entry<'a>];
    type Array = &'a [Node<'a>];
    type Number = TreeNumber;

    fn as_object(&self) -> Option<&'a [Entry<'a>]> {
        match self {
            TreeRef::Node(Node {
                value: Value::Map(m),
                ..
            }) => Some(m),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node<'a>]> {
        match self {
            TreeRef::Node(Node {
                value: Value::Seq(s),
                ..
            }) => Some(s),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self {
            TreeRef::Node(Node {
                value: Value::Str(s),
                ..
            }) => Some(Cow::Borrowed(s)),
            TreeRef::Name(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<TreeNumber> {
        match self {
            TreeRef::Node(n) => match n.value {
                Value::Int(i) => Some(TreeNumber::Int(i)),
                Value::Float(f) => Some(TreeNumber::Float(f)),
                _ => None,
            },
            TreeRef::Name(_) => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self {
            TreeRef::Node(Node {
                value: Value::Bool(b),
                ..
            }) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(
            self,
            TreeRef::Node(Node {
                value: Value::Null,
                ..
            })
        )
    }

    fn json_type(&self) -> JsonType {
        match self {
            TreeRef::Name(_) => JsonType::String,
            TreeRef::Node(n) => match n.value {
                Value::Null => JsonType::Null,
                Value::Bool(_) => JsonType::Boolean,
                Value::Int(_) | Value::Float(_) => JsonType::Number,
                Value::Str(_) => JsonType::String,
                Value::Seq(_) => JsonType::Array,
                Value::Map(_) => JsonType::Object,
            },
        }
    }

    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        Cow::Owned(match self {
            TreeRef::Node(n) => n.to_json(),
            TreeRef::Name(s) => serde_json::Value::String((*s).to_string()),
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            TreeRef::Node(n) => Some(NodeIdentity::new(std::ptr::from_ref::<Node<'a>>(n) as usize)),
            TreeRef::Name(s) => Some(NodeIdentity::tagged(s.as_ptr() as usize, 1)),
        }
    }
}

pub struct Members<'a>(std::slice::Iter<'a, Entry<'a>>);

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, TreeRef<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next()
            .map(|e| (e.key.as_ref(), TreeRef::Node(&e.value)))
    }
}

impl<'a> Object<'a, Tree> for &'a [Entry<'a>] {
    type Node = TreeRef<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        <[Entry]>::len(self)
    }

    fn get(&self, key: &String) -> Option<TreeRef<'a>> {
        self.iter()
            .find(|e| *e.key == **key)
            .map(|e| TreeRef::Node(&e.value))
    }

    fn members(&self) -> Members<'a> {
        Members(self.iter())
    }
}

impl<'a> Array<'a, Tree> for &'a [Node<'a>] {
    type Node = TreeRef<'a>;
    type ElementsIter =
        std::iter::Map<std::slice::Iter<'a, Node<'a>>, fn(&'a Node<'a>) -> TreeRef<'a>>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> Self::ElementsIter {
        self.iter()
            .map(TreeRef::Node as fn(&'a Node<'a>) -> TreeRef<'a>)
    }
}
