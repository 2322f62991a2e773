// The literals a credential pattern's matches must hold, for the prefilter of `pattern.rs`.
// Included by `build.rs` (which works them out once for the built-in patterns, so that a run
// does not parse them: 1 M instructions of every run's set-up) and by `src/rules/pattern.rs`
// (custom patterns, and the test that holds the build's table to this code).

/// What every match of a pattern holds: one of a few literal prefixes, and one literal
/// somewhere; each `None` when the pattern has none (both `None`: no prefilter). The second
/// matters with a short prefix: a JSON Web Token starts with `ey`, which most YAML files hold
/// (`key`, `survey`), but also holds `.ey`, which few do.
#[derive(Debug, PartialEq)]
pub struct Literals {
    pub prefixes: Option<Vec<Vec<u8>>>,
    pub required: Option<Vec<u8>>,
}

/// Parses a pattern (`regex` syntax) and works out its [`Literals`].
pub fn literals_of(source: &str) -> Result<Literals, String> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .map_err(|e| format!("invalid regex: {e}"))?;
    let mut seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    if seq.len().is_none_or(|n| n > 64) {
        // Too many alternatives to search one by one: shorten them to common prefixes.
        seq.optimize_for_prefix_by_preference();
    }
    let prefixes = seq.literals().and_then(|lits| {
        // An empty prefix would let every file through: no prefilter then.
        (!lits.is_empty() && lits.iter().all(|l| l.as_bytes().len() >= 2) && lits.len() <= 64)
            .then(|| lits.iter().map(|l| l.as_bytes().to_vec()).collect())
    });
    let required = required_literal(&hir).map(<[u8]>::to_vec);
    Ok(Literals { prefixes, required })
}

/// The longest literal (three bytes at least) among the parts of a pattern that is a sequence:
/// every match holds it. Case-insensitive text is a class, not a literal, so it gives none.
fn required_literal(hir: &regex_syntax::hir::Hir) -> Option<&[u8]> {
    use regex_syntax::hir::HirKind;
    let mut hir = hir;
    while let HirKind::Capture(c) = hir.kind() {
        hir = &c.sub;
    }
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    parts
        .iter()
        .filter_map(|p| match p.kind() {
            HirKind::Literal(l) => Some(&*l.0),
            _ => None,
        })
        .max_by_key(|l| l.len())
        .filter(|l| l.len() >= 3)
}
