//! "Did you mean": the closest known name to a mistyped one. A leaf, used by every place that
//! names what it expected (schema errors, config keys, rule and field names, commands).

/// The closest candidate by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len().max(word.len()))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The closest candidate within `max` edits (Damerau-Levenshtein), ties broken by name.
pub fn closest_within<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Option<&'a str> {
    candidates
        .filter(|c| c.len().abs_diff(word.len()) <= max)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}
