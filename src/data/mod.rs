//! Loading our own data files (config, rule files, catalog files): one YAML document, validated
//! against its schema, every problem located. A bad data file stops the run with status 2.

pub mod builtin;
mod files;

pub use files::{read_data_file, read_dir_files, MAX_DATA_FILE_SIZE};

use std::fmt;

use crate::schema::{self, SchemaKind};
use crate::source::tree::ProblemKind;
use crate::source::{self, Limits, LineIndex, Node, Pos, Syntax};

/// A located problem in a data file (config, rule, catalog).
#[derive(Clone, Debug)]
pub struct DataError {
    pub path: String,
    pub pos: Pos,
    pub message: String,
    /// The offending line, for the message.
    pub line_text: String,
}

impl DataError {
    /// A problem with a whole file or folder (it cannot be read, it clashes with another): at
    /// its start, with no line to show.
    pub fn unlocated(path: impl Into<String>, message: impl Into<String>) -> DataError {
        DataError {
            path: path.into(),
            pos: Pos::new(1, 1, 0),
            message: message.into(),
            line_text: String::new(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.pos.line, self.pos.column, self.message
        )?;
        if !self.line_text.is_empty() {
            write!(f, "\n    | {}", self.line_text)?;
        }
        Ok(())
    }
}

pub fn error_at(path: &str, text: &str, pos: Pos, message: impl Into<String>) -> DataError {
    error_in(path, &LineIndex::new(text), pos, message)
}

/// [`error_at`] with the text's line index built once: a file with many errors (a config of
/// thousands of unknown keys) costs linear time, not a pass over the text per error.
pub fn error_in(path: &str, idx: &LineIndex, pos: Pos, message: impl Into<String>) -> DataError {
    DataError {
        path: path.to_string(),
        pos,
        message: message.into(),
        line_text: idx.line_text(pos.line as usize).to_string(),
    }
}

/// Parses and validates a data file; returns its tree.
pub fn load<'t>(path: &str, text: &'t str, kind: SchemaKind) -> Result<Node<'t>, Vec<DataError>> {
    load_with(path, text, syntax_of(path), kind, true)
}

/// Parses a data file embedded in the binary. Its schema validation is skipped (compiling the
/// rule and system schemas dominated a one-file run); a test validates every embedded file.
/// The built-in rules and systems are read from their JSON form when the build made one
/// (`build.rs`); tests check that it gives the same tree, so no error can arise from it (if
/// one did, its position would be in the JSON form).
pub fn load_embedded<'t>(
    path: &str,
    text: &'t str,
    kind: SchemaKind,
) -> Result<Node<'t>, Vec<DataError>> {
    match crate::data::builtin::json_form(path) {
        Some(json) => load_with(path, json, Syntax::Json, kind, false),
        None => load_with(path, text, syntax_of(path), kind, false),
    }
}

fn syntax_of(path: &str) -> Syntax {
    Syntax::of_path(path).unwrap_or(Syntax::Yaml)
}

fn load_with<'t>(
    path: &str,
    text: &'t str,
    syntax: Syntax,
    kind: SchemaKind,
    validate: bool,
) -> Result<Node<'t>, Vec<DataError>> {
    let (root, errors) = load_parts(path, text, syntax, kind, validate)?;
    if errors.is_empty() {
        Ok(root)
    } else {
        Err(errors)
    }
}

/// Parses and validates a data file that must parse but may break its schema: the tree (its
/// offending nodes flagged invalid) with every schema error, so that a caller can go on and
/// find the other mistakes of the file in the same run (the config). Err when it does not
/// parse or is not one document.
pub fn load_lenient<'t>(
    path: &str,
    text: &'t str,
    kind: SchemaKind,
) -> Result<(Node<'t>, Vec<DataError>), Vec<DataError>> {
    load_parts(path, text, syntax_of(path), kind, true)
}

fn load_parts<'t>(
    path: &str,
    text: &'t str,
    syntax: Syntax,
    kind: SchemaKind,
    validate: bool,
) -> Result<(Node<'t>, Vec<DataError>), Vec<DataError>> {
    let parsed = source::parse(text, syntax, &Limits::default(), false)
        .map_err(|e| vec![error_at(path, text, e.pos, e.message)])?;
    let mut docs = parsed.documents;
    if docs.is_empty() && kind == SchemaKind::Config {
        // An empty (or comments-only) config is a config with no settings.
        return Ok((
            Node::new(source::Value::Null, Default::default()),
            Vec::new(),
        ));
    }
    if docs.len() != 1 {
        return Err(vec![error_at(
            path,
            text,
            Pos::new(1, 1, 0),
            format!("expected one YAML document, found {}", docs.len()),
        )]);
    }
    let mut doc = docs.remove(0);
    let idx = LineIndex::new(text);
    let mut errors: Vec<DataError> = doc
        .problems
        .iter()
        .map(|p| {
            let message = match p.kind {
                ProblemKind::DuplicateKey => p.message.clone(),
                ProblemKind::Schema => p.message.clone(),
            };
            error_in(path, &idx, p.span.start, message)
        })
        .collect();
    if matches!(doc.root.value, source::Value::Null) && kind == SchemaKind::Config {
        // An empty config file is a valid config with no settings.
        return Ok((doc.root, errors));
    }
    if validate {
        for e in schema::validate(kind, &mut doc.root, text, &[]) {
            errors.push(error_in(path, &idx, e.span.start, e.message));
        }
    }
    errors.sort_by_key(|e| (e.pos.offset, e.message.clone()));
    Ok((doc.root, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embedded_rule_is_read_from_its_json_form() {
        let path = "rules/stale-review.yaml";
        let (_, yaml) = crate::data::builtin::files(path)
            .next()
            .expect("the rule is embedded");
        let json = crate::data::builtin::json_form(path).expect("the build made its JSON form");
        let tree = load_embedded(path, yaml, SchemaKind::Rule).expect("it loads");
        // The tree's spans are the JSON text's: the root object ends where that text ends.
        assert_eq!(tree.span.end.offset as usize, json.trim_end().len());
        assert_ne!(json.trim_end().len(), yaml.trim_end().len());
        // A file without a JSON form is read as it is.
        let own = load_embedded("custom.yaml", "name: x\n", SchemaKind::Rule).expect("YAML");
        assert_eq!(own.span.end.offset, 7);
    }
}
