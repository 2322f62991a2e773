//! Values that hold or point to secrets: what counts as a secret reference (format.md,
//! "Conventions"), the masked form of a secret, and the userinfo part of a URL. A leaf: the
//! model, redaction, the expression language and the reports all use it, and it uses nothing.

/// The built-in secret reference schemes (format.md).
pub const DEFAULT_SCHEMES: [&str; 8] = [
    "env",
    "vault",
    "file",
    "aws-secretsmanager",
    "gcp-secretmanager",
    "azure-keyvault",
    "k8s",
    "op",
];

fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn no_ws(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_whitespace)
}

/// Whether a string is a secret reference (format.md, "Conventions").
pub fn is_secret_reference(s: &str, schemes: &[String]) -> bool {
    let allowed = |scheme: &str| schemes.iter().any(|x| x == scheme);
    if let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let name = inner.strip_prefix("env:").unwrap_or(inner);
        return allowed("env") && is_env_name(name);
    }
    if let Some(rest) = s.strip_prefix("op://") {
        let parts: Vec<&str> = rest.split('/').collect();
        return allowed("op") && parts.len() == 3 && parts.iter().all(|p| no_ws(p));
    }
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    if !allowed(scheme) {
        return false;
    }
    match scheme {
        "env" => is_env_name(rest),
        "vault" => {
            let (path, key) = match rest.split_once('#') {
                Some((p, k)) => (p, Some(k)),
                None => (rest, None),
            };
            no_ws(path) && key.is_none_or(no_ws)
        }
        "k8s" => {
            let Some((ns_name, key)) = rest.split_once('#') else {
                return false;
            };
            let Some((ns, name)) = ns_name.split_once('/') else {
                return false;
            };
            no_ws(ns) && no_ws(name) && no_ws(key) && !name.contains('/')
        }
        "op" => false,
        // file, the cloud secret managers, and any scheme the config adds.
        _ => no_ws(rest),
    }
}

/// Prefixes that name a credential format without revealing it.
const SAFE_PREFIXES: [&str; 16] = [
    "ATATT3",
    "github_pat_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxe-",
    "pat-na1-",
    "pat-eu1-",
    "-----BEGIN",
    "eyJ",
    "ey",
];

/// A masked form of a secret: a format prefix at most, never the secret.
pub fn mask(s: &str) -> String {
    match SAFE_PREFIXES
        .iter()
        .find(|p| s.starts_with(**p) && s.len() > p.len() + 8)
    {
        Some(p) => format!("{p}****"),
        None => "****".into(),
    }
}

/// The scheme of a URL (text before `://`), or "".
pub fn url_scheme(url: &str) -> &str {
    match url.split_once("://") {
        Some((scheme, _))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            scheme
        }
        _ => "",
    }
}

/// The userinfo of a URL's authority, if any.
pub fn url_userinfo(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    Some((start, start + at))
}

/// A URL with its userinfo masked.
pub fn redact_url(url: &str) -> String {
    match url_userinfo(url) {
        Some((s, e)) => format!("{}****{}", &url[..s], &url[e..]),
        None => url.to_string(),
    }
}

/// A URL as it should be: `https` for `http`, and its userinfo dropped (the userinfo may
/// hold a password: the result never does).
pub fn secure_url(url: &str) -> String {
    let without = match url_userinfo(url) {
        // The `@` ends the userinfo.
        Some((s, e)) => format!("{}{}", &url[..s], &url[e + 1..]),
        None => url.to_string(),
    };
    match without.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http://") => {
            format!("https://{}", &without[7..])
        }
        _ => without,
    }
}

/// Whether a byte range touches a secret range (`ranges` sorted and merged).
pub fn overlaps(ranges: &[std::ops::Range<u32>], start: u32, end: u32) -> bool {
    let end = end.max(start + 1);
    let i = ranges.partition_point(|r| r.end <= start);
    ranges.get(i).is_some_and(|r| r.start < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemes() -> Vec<String> {
        DEFAULT_SCHEMES.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn secret_references_follow_format_md() {
        let s = schemes();
        for ok in [
            "env:JIRA_TOKEN",
            "${JIRA_TOKEN}",
            "${env:JIRA_TOKEN}",
            "vault:kv/a/b",
            "vault:kv/a#pat",
            "file:/run/secrets/x",
            "aws-secretsmanager:arn:aws:x",
            "gcp-secretmanager:projects/p/secrets/s",
            "azure-keyvault:kv/secret",
            "k8s:ns/name#key",
            "op://vault/item/field",
        ] {
            assert!(is_secret_reference(ok, &s), "{ok}");
        }
        for bad in [
            "hunter2",
            "env:1BAD",
            "env:",
            "ENV:X",
            "vault:",
            "vault:a b",
            "k8s:ns/name",
            "op://vault/item",
            "${A B}",
            "sops:x",
        ] {
            assert!(!is_secret_reference(bad, &s), "{bad}");
        }
        assert!(!is_secret_reference("vault:x", &["env".to_string()]));
    }

    #[test]
    fn masks_hide_the_secret() {
        assert_eq!(mask("hunter2"), "****");
        assert_eq!(mask("ghp_0123456789abcdefghij0123456789abcdef"), "ghp_****");
        assert_eq!(redact_url("https://bob:pw@host/x"), "https://****@host/x");
        assert_eq!(url_scheme("HTTP://x"), "HTTP");
        assert_eq!(url_scheme("acme.atlassian.net"), "");
        assert!(url_userinfo("https://host/a@b").is_none());
    }
}
