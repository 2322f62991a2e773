//! Fixes: each finding's planned fix ([`crate::finding::FixPlan`], said by locations) turned
//! into text edits with its file's text, by the format-preserving operations of
//! [`crate::edit`]. A plan that cannot be carried out safely on the text (an alias, a
//! structure the edit does not know) gives no fix. Texts come from the model when it kept
//! them, from the buffers, else from disk, and only when they still hash to what was checked.

use std::collections::HashMap;
use std::sync::Arc;

use super::discover::FileEntry;
use super::load::Buffers;
use crate::edit::{self, Edit};
use crate::finding::{Applicability, Finding, FixPlan, TextEdit};
use crate::model::Model;
use crate::rules::pattern::Pattern;
use crate::source::Syntax;

/// A fix with its edits, sorted.
#[derive(Clone, Debug)]
pub struct ResolvedFix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<TextEdit>,
}

/// Each finding's fix, when it has one that applies to its file's text.
pub(super) fn resolve(
    findings: &[Finding],
    model: &Model,
    files: &[FileEntry],
    buffers: Buffers,
    patterns: &[&Pattern],
) -> Vec<Option<ResolvedFix>> {
    let mut texts = Texts {
        model,
        files,
        buffers,
        cache: HashMap::new(),
    };
    // Each structural edit parses its file three times (the text, the node, the result): a
    // file with thousands of fixable findings would take quadratic time. Per file, structural
    // edits stop after about PARSE_BUDGET bytes parsed; the findings beyond get no fix this run
    // (`--fix` mends them in later rounds). Comment edits need no parse and have no budget.
    let mut spent: HashMap<u32, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let planned = f.fix.as_ref()?;
            let file = planned.plan.file();
            let (text, syntax) = texts.get(file)?;
            if needs_parse(&planned.plan) {
                let used = spent.entry(file).or_insert(0);
                if *used > PARSE_BUDGET {
                    return None;
                }
                *used += 3 * text.len() + 1;
            }
            let edits = edits_of(&planned.plan, &text, syntax)?;
            // A fix whose message or new text would show a secret (a URL with a token in its
            // path, say) is not offered: every output shows fixes, and none may show a secret.
            let redactions = &model.files[file as usize].redactions;
            let shows = |s: &str| holds_secret(s, &text, redactions, patterns);
            if shows(&planned.message) || edits.iter().any(|e| shows(&e.content)) {
                return None;
            }
            Some(ResolvedFix {
                applicability: planned.applicability,
                message: planned.message.clone(),
                edits,
            })
        })
        .collect()
}

/// Whether `s` holds a secret: a credential pattern matches in it, or it holds one of the
/// file's secret ranges (six characters or more).
pub fn holds_secret(
    s: &str,
    text: &str,
    redactions: &[std::ops::Range<u32>],
    patterns: &[&Pattern],
) -> bool {
    if s.is_empty() {
        return false;
    }
    if super::redact::mask_message(s, patterns.iter().copied()) != s {
        return true;
    }
    redactions.iter().any(|r| {
        text.get(r.start as usize..r.end as usize)
            .map(str::trim)
            .is_some_and(|secret| secret.chars().count() >= 6 && s.contains(secret))
    })
}

/// Bytes that structural edits may parse per file and run (see `resolve`).
const PARSE_BUDGET: usize = 8 << 20;

fn needs_parse(plan: &FixPlan) -> bool {
    !matches!(
        plan,
        FixPlan::RemoveComment { .. } | FixPlan::RewriteComment { .. } | FixPlan::Edits { .. }
    )
}

/// Removes a comment without parsing: its whole line when it is alone on it, else the comment
/// and the spaces before it.
fn remove_comment(text: &str, start: usize, end: usize) -> Option<Vec<Edit>> {
    let before = text.get(..start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let after = text.get(end..)?;
    let line_end = end + after.find('\n').map_or(after.len(), |i| i + 1);
    let alone = before[line_start..].trim().is_empty() && text[end..line_end].trim().is_empty();
    if alone {
        return Some(vec![Edit::delete(line_start..line_end)]);
    }
    let spaces = before.len() - before.trim_end_matches([' ', '\t']).len();
    Some(vec![Edit::delete(start - spaces..end)])
}

/// Each finding's fix without edits, for outputs that show only which findings are fixable:
/// no text is read. A fix whose message would show a secret is left out, as in [`resolve`].
pub(super) fn marks(findings: &[Finding], patterns: &[&Pattern]) -> Vec<Option<ResolvedFix>> {
    findings
        .iter()
        .map(|f| {
            let planned = f.fix.as_ref()?;
            if holds_secret(&planned.message, "", &[], patterns) {
                return None;
            }
            Some(ResolvedFix {
                applicability: planned.applicability,
                message: planned.message.clone(),
                edits: Vec::new(),
            })
        })
        .collect()
}

/// The text edits of one plan.
fn edits_of(plan: &FixPlan, text: &str, syntax: Syntax) -> Option<Vec<TextEdit>> {
    let range = |l: &crate::model::Loc| l.start as usize..l.end as usize;
    let edits: Vec<Edit> = match plan {
        FixPlan::RemoveItem { item } => edit::remove_item(text, syntax, range(item))?,
        FixPlan::AppendItems { list, items } => {
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            edit::append_items(text, syntax, range(list), &items)?
        }
        FixPlan::ReplaceItem { item, with } => {
            let with: Vec<&str> = with.iter().map(String::as_str).collect();
            edit::replace_item(text, syntax, range(item), &with)?
        }
        FixPlan::ReplaceValue { value, with } => {
            edit::replace_scalar(text, syntax, range(value), with)?
        }
        FixPlan::RenameKey { key, to } => edit::rename_key(text, syntax, range(key), to)?,
        FixPlan::RemoveComment { comment } => {
            remove_comment(text, comment.start as usize, comment.end as usize)?
        }
        FixPlan::RewriteComment { comment, body } => {
            let old = text.get(range(comment))?;
            let at = old.find("bridgelint:")?;
            vec![Edit {
                start: comment.start as usize + at,
                end: comment.end as usize,
                content: body.clone(),
            }]
        }
        FixPlan::Edits { edits, .. } => return Some(edits.clone()),
    };
    let mut out: Vec<TextEdit> = edits
        .into_iter()
        .map(|e| TextEdit {
            start: e.start as u32,
            end: e.end as u32,
            content: e.content,
        })
        .collect();
    out.sort();
    (!out.is_empty()).then_some(out)
}

/// The texts of the files that have fixes, read once each.
struct Texts<'a> {
    model: &'a Model,
    files: &'a [FileEntry],
    buffers: Buffers<'a>,
    cache: HashMap<u32, Option<(Arc<str>, Syntax)>>,
}

impl Texts<'_> {
    fn get(&mut self, file: u32) -> Option<(Arc<str>, Syntax)> {
        if let Some(t) = self.cache.get(&file) {
            return t.clone();
        }
        let t = self.read(file);
        self.cache.insert(file, t.clone());
        t
    }

    fn read(&self, file: u32) -> Option<(Arc<str>, Syntax)> {
        let info = self.model.files.get(file as usize)?;
        let entry = self.files.get(file as usize)?;
        let syntax = Syntax::of_path(&entry.abs.to_string_lossy()).unwrap_or(Syntax::Yaml);
        if let Some(t) = &info.text {
            return Some((t.clone(), syntax));
        }
        let text: String = match self.buffers.get(&entry.abs) {
            Some(bytes) => String::from_utf8(bytes.to_vec()).ok()?,
            None => std::fs::read_to_string(&entry.abs).ok()?,
        };
        // Edits computed on a text the run did not check would land in the wrong places.
        if info.digest.is_some() && Some(crate::source::digest(&text)) != info.digest {
            return None;
        }
        Some((Arc::from(text), syntax))
    }
}
