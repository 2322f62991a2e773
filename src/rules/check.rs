//! Compiling one check of a rule file: its collection, its expressions (`where`, `at`,
//! `related`, `one_per`, `subject`) against the collection's fields and the rule's options, and
//! its message templates. Every problem is a located error; a check with any is left out.

use super::expr::{compile, compile_item, Expr, Scope, T};
use super::load::{CheckFile, FixFile, OneOrMany, RuleText};
use super::template::compile_template;
use super::{pattern, Check, Collection, FixAction, FixSpec, Part, COLLECTIONS};
use crate::data::DataError;
use crate::source::tree::Step;
use crate::source::Pos;

/// Compiles the check at `steps` of a rule file; `None` when it has an error (in `errors`).
pub(super) fn compile_check(
    rule: &RuleText,
    steps: &[Step],
    c: &CheckFile,
    options: &[(String, T)],
    patterns: &[pattern::Pattern],
    errors: &mut Vec<DataError>,
) -> Option<Check> {
    let fields = CheckFields { rule, steps };
    let collection = collection(c, &fields, patterns, errors)?;
    let scope = Scope {
        subject: collection.kind(),
        options,
    };
    let mut cx = Compiler {
        rule,
        scope: &scope,
        slots: 1,
        item: None,
        errors,
    };
    let each = match &c.each {
        None => None,
        Some(src) => Some(cx.each(src, fields.pos("each", None), c.related.is_some())?),
    };
    let condition = cx.expr(&c.condition, fields.pos("where", None), "`where`", true);
    let at_srcs: Vec<(&str, Pos)> = match &c.at {
        None => vec![],
        Some(OneOrMany::One(s)) => vec![(s, fields.pos("at", None))],
        Some(OneOrMany::Many(v)) => v
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), fields.pos("at", Some(i))))
            .collect(),
    };
    let at: Vec<Expr> = at_srcs
        .iter()
        .filter_map(|(s, p)| cx.expr(s, *p, "`at`", false))
        .collect();
    let related = c
        .related
        .as_ref()
        .and_then(|s| cx.expr(s, fields.pos("related", None), "`related`", false));
    let one_per: Vec<Expr> = c
        .one_per
        .iter()
        .enumerate()
        .filter_map(|(i, s)| cx.expr(s, fields.pos("one_per", Some(i)), "`one_per`", false))
        .collect();
    let subject = c
        .subject
        .as_ref()
        .and_then(|s| cx.expr(s, fields.pos("subject", None), "`subject`", false));
    let item = cx.item.clone();
    let message = cx.template(&c.message, item, fields.pos("message", None), "`message`");
    let related_message = c.related_message.as_ref().and_then(|t| {
        let item = related_item(c, &scope);
        let pos = fields.pos("related_message", None);
        cx.template(t, Some(item), pos, "`related_message`")
    });
    let fix = match &c.fix {
        None => None,
        Some(f) => Some(cx.fix(f, &fields)?),
    };
    let (condition, message) = (condition?, message?);
    if at.len() != at_srcs.len() {
        return None;
    }
    let mut check = Check {
        collection,
        condition,
        at,
        message,
        related,
        related_message,
        one_per,
        subject,
        each,
        fix,
        slots: cx.slots + 1,
        file_local: false,
    };
    check.file_local = check.reads_one_file();
    Some(check)
}

/// The fields of one check, for located errors.
struct CheckFields<'a> {
    rule: &'a RuleText<'a>,
    steps: &'a [Step],
}

impl CheckFields<'_> {
    /// Where a field of the check (or an item of it) starts.
    fn pos(&self, field: &str, index: Option<usize>) -> Pos {
        // Every check's fields are located before compiling, in case of an error: a built-in
        // rule's unlocated tree skips building the route (a twentieth of compiling them all).
        if !self.rule.is_located() {
            return self.rule.tree.span.start;
        }
        let mut s = self.steps.to_vec();
        s.push(Step::Key(field.into()));
        if let Some(i) = index {
            s.push(Step::Index(i));
        }
        self.rule.pos(&s)
    }
}

/// The collection `for_each` names (`None`, with an error, when there is no such collection).
fn collection(
    c: &CheckFile,
    fields: &CheckFields,
    patterns: &[pattern::Pattern],
    errors: &mut Vec<DataError>,
) -> Option<Collection> {
    let names = || COLLECTIONS.iter().map(|(n, _)| *n);
    let Some(&(_, collection)) = COLLECTIONS.iter().find(|(n, _)| *n == c.for_each) else {
        let hint = crate::suggest::closest(&c.for_each, names())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        errors.push(fields.rule.error(
            fields.pos("for_each", None),
            format!(
                "unknown collection `{}`{hint}; one of: {}",
                c.for_each,
                names().collect::<Vec<_>>().join(", ")
            ),
        ));
        return None;
    };
    if collection == Collection::Matches && patterns.is_empty() {
        errors.push(fields.rule.error(
            fields.pos("for_each", None),
            "`for_each: matches` needs `patterns` in the rule",
        ));
    }
    Some(collection)
}

/// The type `item` has in `related_message`: the element type of `related`.
fn related_item(c: &CheckFile, scope: &Scope) -> T {
    c.related
        .as_ref()
        .and_then(|s| compile(s, scope).ok())
        .map(|(_, t, _)| match t {
            T::List(e) => *e,
            other => other,
        })
        .unwrap_or(T::Any)
}

/// Compiles a check's expressions and templates in one scope, counting the environment slots
/// they need and reporting errors at their fields.
struct Compiler<'a> {
    rule: &'a RuleText<'a>,
    scope: &'a Scope<'a>,
    slots: usize,
    /// The type of `item` when the check has `each`.
    item: Option<T>,
    errors: &'a mut Vec<DataError>,
}

impl Compiler<'_> {
    /// Compiles an expression; `want_bool` asks for a condition.
    fn expr(&mut self, src: &str, pos: Pos, what: &str, want_bool: bool) -> Option<Expr> {
        match compile_item(src, self.scope, self.item.clone()) {
            Ok((e, t, n)) => {
                self.slots = self.slots.max(n);
                if want_bool && !matches!(t, T::Bool | T::Any | T::Null) {
                    self.errors.push(self.rule.error(
                        pos,
                        format!(
                            "{what} must be a condition (bool), not {}",
                            t.with_article()
                        ),
                    ));
                    return None;
                }
                Some(e)
            }
            Err(e) => {
                self.errors.push(self.rule.error(
                    pos,
                    format!("{what}: {} (at `{}`)", e.message, snippet(src, e.offset)),
                ));
                None
            }
        }
    }

    /// Compiles a check's `fix`: exactly one action, its expressions and its message.
    fn fix(&mut self, f: &FixFile, fields: &CheckFields) -> Option<FixSpec> {
        let at = fields.pos("fix", None);
        let given = [
            f.remove.is_some(),
            f.append.is_some(),
            f.replace.is_some(),
            f.rename.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            self.errors.push(self.rule.error(
                at,
                "`fix` names exactly one action: `remove`, `append`, `replace` or `rename`",
            ));
            return None;
        }
        let mut e = |src: &str| self.expr(src, at, "`fix`", false);
        let action = if let Some(r) = &f.remove {
            FixAction::Remove(e(r)?)
        } else if let Some(a) = &f.append {
            FixAction::Append {
                to: e(&a.to)?,
                items: e(&a.items)?,
            }
        } else if let Some(r) = &f.replace {
            FixAction::Replace {
                at: e(&r.at)?,
                with: e(&r.with)?,
            }
        } else {
            let r = f.rename.as_ref()?;
            FixAction::Rename {
                key: e(&r.key)?,
                to: e(&r.to)?,
            }
        };
        let item = self.item.clone();
        let message = self.template(&f.message, item, at, "`fix.message`")?;
        Some(FixSpec {
            action,
            applicability: f.applicability,
            message,
        })
    }

    /// Compiles `each` (a list) and brings `item`, its element, into scope for the rest.
    fn each(&mut self, src: &str, pos: Pos, has_related: bool) -> Option<Expr> {
        if has_related {
            self.errors.push(self.rule.error(
                pos,
                "`each` and `related` cannot be combined: `item` would name both",
            ));
            return None;
        }
        let e = self.expr(src, pos, "`each`", false)?;
        let Ok((_, t, _)) = compile(src, self.scope) else {
            return None;
        };
        let T::List(elem) = t else {
            self.errors.push(self.rule.error(
                pos,
                format!("`each` must be a list, not {}", t.with_article()),
            ));
            return None;
        };
        self.item = Some(*elem);
        self.slots = self.slots.max(2);
        Some(e)
    }

    /// Compiles a message template; with `item`, the name `item` is the related entity.
    fn template(&mut self, src: &str, item: Option<T>, pos: Pos, what: &str) -> Option<Vec<Part>> {
        compile_template(src, self.scope, item)
            .map_err(|m| {
                self.errors
                    .push(self.rule.error(pos, format!("{what}: {m}")))
            })
            .ok()
    }
}

/// The expression text from where compiling failed, for the message.
fn snippet(src: &str, offset: usize) -> String {
    let s: String = src.get(offset..).unwrap_or("").chars().take(24).collect();
    if s.is_empty() {
        "end".into()
    } else {
        s
    }
}
