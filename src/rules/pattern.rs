//! Text patterns of rules (`patterns:`), compiled lazily.
//!
//! A Unicode `\w{82}` costs tens of milliseconds to compile, which would dominate a one-file
//! run: the built-in patterns use ASCII classes (`[A-Za-z0-9_]{82}`, a test keeps it so), and
//! each pattern carries the literal prefixes every match must start with
//! (extracted with `regex-syntax`), or else a literal every match contains (`AZDO` in the Azure
//! DevOps format); a file that contains none of them cannot match, and the regex is compiled
//! the first time a file could. Matching itself is linear time.

use std::sync::{Arc, OnceLock};

use regex::Regex;

use super::expr::compile_regex;

#[derive(Clone, Debug)]
pub struct Pattern {
    pub name: String,
    pub source: String,
    /// Searchers for the literal prefixes of every match (built once: a run asks every file);
    /// `None` when the pattern has no finite set of them.
    prefixes: Option<Vec<memchr::memmem::Finder<'static>>>,
    /// A literal every match contains, when the pattern has one.
    required: Option<memchr::memmem::Finder<'static>>,
    /// Shared by the clones of a rule set (the fuzz harness clones one per input), so that a
    /// pattern is compiled at most once per process.
    compiled: Arc<OnceLock<Regex>>,
}

impl Pattern {
    /// Checks the pattern's syntax (and, with `eager`, compiles it to check its size). A
    /// built-in pattern's literals come from the build's table, unparsed.
    pub fn new(name: &str, source: &str, eager: bool) -> Result<Pattern, String> {
        let literals = match builtin_literals(source) {
            Some(known) if !eager => known,
            _ => literals_of(source)?,
        };
        let finder = |l: &[u8]| memchr::memmem::Finder::new(l).into_owned();
        let prefixes =
            (literals.prefixes.as_ref()).map(|ls| ls.iter().map(|l| finder(l)).collect());
        let required = literals.required.as_deref().map(finder);
        let pattern = Pattern {
            name: name.to_string(),
            source: source.to_string(),
            prefixes,
            required,
            compiled: Arc::new(OnceLock::new()),
        };
        if eager {
            let re = compile_regex(source)?;
            let _ = pattern.compiled.set(re);
        }
        Ok(pattern)
    }

    /// True when the text may hold a match: one of the literal prefixes occurs and so does the
    /// required literal (each, when the pattern has it).
    pub fn may_match(&self, text: &[u8]) -> bool {
        let prefix =
            (self.prefixes.as_ref()).is_none_or(|list| list.iter().any(|f| f.find(text).is_some()));
        prefix && (self.required.as_ref()).is_none_or(|literal| literal.find(text).is_some())
    }

    /// The compiled regex (compiled on first use; validated when the rule was loaded).
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            compile_regex(&self.source).unwrap_or_else(|_| Regex::new("$^").expect("static"))
        })
    }
}

include!("literals.rs");

/// The literals of a built-in pattern, as `build.rs` worked them out (same code, `literals.rs`).
fn builtin_literals(source: &str) -> Option<Literals> {
    let (_, prefixes, required) = crate::data::builtin::BUILTIN_PATTERN_LITERALS
        .iter()
        .find(|(s, _, _)| *s == source)?;
    Some(Literals {
        prefixes: prefixes.map(|ls| ls.iter().map(|l| l.to_vec()).collect()),
        required: required.map(<[u8]>::to_vec),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_filter_files_that_cannot_match() {
        let p = Pattern::new("gh", r"github_pat_\w{82}", false).unwrap();
        assert!(!p.may_match(b"nothing here"));
        assert!(p.may_match(b"x github_pat_y"));
        let inner = Pattern::new("azdo", r"\b[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}\b", false).unwrap();
        assert!(!inner.may_match(b"nothing here") && inner.may_match(b"xAZDOy"));
        let folded = Pattern::new("any", r"(?i)\b[a-z]{76}azdo\b", false).unwrap();
        assert!(folded.may_match(b"nothing here"));
        let any = Pattern::new("any", r"[0-9]{76}(?:ab|cd)", false).unwrap();
        assert!(any.may_match(b"nothing here"));
        let alt = Pattern::new("slack", r"xox[pe](?:-[0-9]{10,13}){3}", false).unwrap();
        assert!(alt.may_match(b"xoxe-") && alt.may_match(b"xoxp-") && !alt.may_match(b"xo-"));
        assert!(Pattern::new("bad", r"(", false).is_err());
        // A short prefix with a longer inner literal: both must occur.
        let jwt = r"\bey[A-Za-z0-9]{17,}\.ey[A-Za-z0-9/_-]{17,}\.[A-Za-z0-9/_-]{10,}={0,2}";
        let jwt = Pattern::new("jwt", jwt, false).unwrap();
        assert!(!jwt.may_match(b"key: they survey"));
        let token = b"x: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijkl";
        assert!(jwt.may_match(token) && jwt.regex().is_match(std::str::from_utf8(token).unwrap()));
    }

    /// The build's table holds every built-in pattern, with the literals this code finds.
    #[test]
    fn the_build_worked_out_the_builtin_literals_as_a_run_would() {
        let rules = crate::rules::RuleSet::builtin().expect("built-in rules");
        let mut seen = 0;
        for p in rules.rules.iter().flat_map(|r| &r.patterns) {
            let built = builtin_literals(&p.source).expect("in the build's table");
            assert_eq!(built, literals_of(&p.source).unwrap(), "{}", p.name);
            seen += 1;
        }
        assert!(seen >= 10);
        assert_eq!(seen, crate::data::builtin::BUILTIN_PATTERN_LITERALS.len());
    }

    /// Whether a class of the pattern can match a character beyond ASCII.
    fn unicode_classes(hir: &regex_syntax::hir::Hir, out: &mut Vec<String>) {
        use regex_syntax::hir::{Class, HirKind};
        match hir.kind() {
            HirKind::Class(Class::Unicode(c)) if c.ranges().iter().any(|r| r.end() > '\x7f') => {
                out.push(hir.to_string().chars().take(24).collect());
            }
            HirKind::Class(Class::Bytes(c)) if c.ranges().iter().any(|r| r.end() > 0x7f) => {
                out.push(hir.to_string().chars().take(24).collect());
            }
            HirKind::Repetition(r) => unicode_classes(&r.sub, out),
            HirKind::Capture(c) => unicode_classes(&c.sub, out),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => {
                hs.iter().for_each(|h| unicode_classes(h, out));
            }
            _ => {}
        }
    }

    /// A Unicode class (`\w`, `[^x]`) repeated makes a pattern cost tens of milliseconds to
    /// compile, paid by every run whose files hold the pattern's prefix: the credential formats
    /// are ASCII, so their classes are written in ASCII (`[A-Za-z0-9_]`, not `\w`).
    #[test]
    fn builtin_patterns_use_ascii_classes() {
        let rules = crate::rules::RuleSet::builtin().expect("built-in rules");
        let mut found = Vec::new();
        for p in rules.rules.iter().flat_map(|r| &r.patterns) {
            let hir = regex_syntax::Parser::new().parse(&p.source).expect("valid");
            let mut classes = Vec::new();
            unicode_classes(&hir, &mut classes);
            if !classes.is_empty() {
                found.push(format!("{}: {}", p.name, classes.join(", ")));
            }
        }
        assert!(
            found.is_empty(),
            "Unicode classes in built-in patterns: {found:?}"
        );
        // The check sees them: `\w` is a Unicode class, `\b` is not a class.
        let mut classes = Vec::new();
        unicode_classes(
            &regex_syntax::Parser::new().parse(r"\bx\w{3}").unwrap(),
            &mut classes,
        );
        assert_eq!(classes.len(), 1, "{classes:?}");
    }
}
