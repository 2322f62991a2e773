//! Credential patterns in one file: every rule's matches in the text as written and in what
//! the parser decoded (they both mask secrets and become `matches` records), and where each
//! match lies (its document, route and the string value holding it). Part of the per-file
//! phase (`process.rs`).

use super::process::{route, FileResult, Shared};
use super::redact;
use crate::model::fields::{self, Kind};
use crate::model::{Head, MVal, Slot, Span32, Store};
use crate::secrets::mask;
use crate::source::tree::{route_at, Entry, Node, Step};
use crate::source::Span;

/// Every pattern's matches, once per file: in the text as written, then in the scalars and
/// keys whose decoded text differs (at their span), the dropped duplicates and the tags whose
/// meaning differs from their spelling. They both mask secrets and feed `matches`.
pub(super) fn pattern_hits(
    shared: &Shared,
    text: &str,
    (roots, dropped, tags): (&[&Node], &[&Entry], &[&(Span, String)]),
) -> Vec<Vec<std::ops::Range<usize>>> {
    let mut hits: Vec<Vec<std::ops::Range<usize>>> = shared
        .patterns()
        .map(|p| redact::matches(p, text))
        .collect();
    let patterns: Vec<_> = shared.patterns().collect();
    let decoded = redact::decoded_matches(roots, dropped, tags, &patterns, &hits);
    for (h, d) in hits.iter_mut().zip(decoded) {
        if !d.is_empty() {
            h.extend(d);
            h.sort_by_key(|r| (r.start, r.end));
        }
    }
    hits
}

/// A credential-pattern match, before it becomes a record.
struct Hit {
    start: u32,
    end: u32,
    rule: usize,
    pattern: usize,
    route: String,
    /// (key name, value, value span, credential) when the match lies in a string value.
    value: Option<(Option<String>, String, Span, Option<u32>)>,
}

/// Runs every rule's patterns over the text (values and comments alike).
pub(super) fn scan(
    shared: &Shared,
    file: u32,
    text: &str,
    docs: &[(usize, Node)],
    pattern_hits: &[Vec<std::ops::Range<usize>>],
    r: &mut FileResult,
) {
    let mut hits = Vec::new();
    for (&(rule, pattern), matches) in shared.pattern_ids.iter().zip(pattern_hits) {
        for m in matches.iter().cloned() {
            hits.push(hit(docs, &r.store, rule, pattern, m));
        }
    }
    // In position order: several patterns may have matched.
    hits.sort_by_key(|h| (h.start, h.rule, h.pattern));
    for h in hits {
        record_match(shared, file, text, h, r);
    }
}

/// Where a match lies: its document, its route, and the string value holding it, if any.
fn hit(
    docs: &[(usize, Node)],
    store: &Store,
    rule: usize,
    pattern: usize,
    m: std::ops::Range<usize>,
) -> Hit {
    let doc = docs
        .iter()
        .rev()
        .find(|(_, root)| root.span.start.offset as usize <= m.start)
        .or(docs.first());
    let doc_index = doc.map_or(0, |(d, _)| *d);
    let (steps, scalar) = match doc {
        Some((_, root)) => {
            let steps = route_at(root, m.start as u32);
            let node = crate::source::tree::locate(root, &steps).map(|l| l.node);
            let scalar = node.filter(|n| {
                n.as_str().is_some()
                    && n.span.start.offset as usize <= m.start
                    && m.end <= n.span.end.offset as usize
            });
            (steps, scalar)
        }
        None => (Vec::new(), None),
    };
    let value = scalar.map(|node| {
        let key_name = match steps.last() {
            Some(Step::Key(k)) => Some(k.to_string()),
            _ => None,
        };
        let credential = match steps.as_slice() {
            [Step::Key(a), Step::Key(conn), Step::Key(c), Step::Key(_)]
                if &**a == "connections" && &**c == "credential" =>
            {
                credential_of(store, conn, doc_index)
            }
            _ => None,
        };
        (
            key_name,
            node.as_str().unwrap_or("").to_string(),
            node.span,
            credential,
        )
    });
    Hit {
        start: m.start as u32,
        end: m.end as u32,
        rule,
        pattern,
        route: route(doc_index, &steps),
        value,
    }
}

/// A match as a record of the store's match table, and its (rule, pattern, route).
fn record_match(shared: &Shared, file: u32, text: &str, h: Hit, r: &mut FileResult) {
    use fields::matched as M;
    let span = Span32::new(h.start, h.end, false);
    let idx = r.store.push(
        Kind::Match,
        Head {
            file,
            loc: span,
            doc: 0,
        },
    );
    let pattern_name = r
        .store
        .intern(&shared.rules.rules[h.rule].patterns[h.pattern].name);
    let masked = r
        .store
        .intern(&mask(&text[h.start as usize..h.end as usize]));
    // The pattern name and the masked text are safe to print: no location, so that they are
    // not masked again as text lying in a secret.
    r.store
        .set_val(Kind::Match, idx, M::PATTERN, MVal::Str(pattern_name));
    r.store
        .set_val(Kind::Match, idx, M::TEXT, MVal::Str(masked));
    match h.value {
        Some((key_name, value, vspan, credential)) => {
            let vloc = Span32::new(vspan.start.offset, vspan.end.offset, false);
            let key = key_name.map_or(MVal::Null, |k| MVal::Str(r.store.intern(&k)));
            r.store.set_val(Kind::Match, idx, M::KEY_NAME, key);
            let value = r.store.intern(&value);
            r.store
                .set(Kind::Match, idx, M::VALUE, Slot::at(MVal::Str(value), vloc));
            r.store.set_val(
                Kind::Match,
                idx,
                M::CREDENTIAL,
                credential.map_or(MVal::Null, MVal::Ref),
            );
        }
        None => {
            for f in [M::KEY_NAME, M::VALUE, M::CREDENTIAL] {
                r.store.set_val(Kind::Match, idx, f, MVal::Null);
            }
        }
    }
    r.matches.push((h.rule, h.pattern, h.route));
}

/// The file-local credential of connection `conn` in document `doc`.
fn credential_of(store: &Store, conn: &str, doc: usize) -> Option<u32> {
    use fields::{connection as C, credential as K};
    (0..store.len(Kind::Credential) as u32).find(|&k| {
        let head = store.head(Kind::Credential, k);
        let Some(c) = (match store.slot(Kind::Credential, k, K::CONNECTION).val() {
            MVal::Ref(c) => Some(c),
            _ => None,
        }) else {
            return false;
        };
        head.doc as usize == doc
            && matches!(store.slot(Kind::Connection, c, C::ID).val(), MVal::Str(id) if store.str_of(id) == conn)
    })
}
