//! `sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! One run whose driver describes every rule of the run (not only those with results), so a
//! viewer can show a rule's help even for a result it learns of later. Results point at the
//! path relative to the context root under `%SRCROOT%`; regions are 1-based with an
//! exclusive end, columns in code points (`columnKind: unicodeCodePoints`). Unlike every other
//! format, findings silenced by an in-source comment are kept, with a `suppressions` entry.
//! Deterministic: no timestamps, no absolute paths other than those `rel` already holds.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Diagnostic, Report, RuleMeta};
use crate::finding::Severity;
use crate::source::Pos;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/bridgelint/bridgelint";
const SRCROOT: &str = "%SRCROOT%";
const FULL_NAME: &str = concat!("bridgelint ", env!("CARGO_PKG_VERSION"));
/// The rules' categories whose findings are security findings (the others, `structure` and
/// `suppressions`, are about the files themselves).
const SECURITY_CATEGORIES: [&str; 3] = ["accounts", "permissions", "credentials"];
/// The key of our fingerprint in `partialFingerprints`; bump the version if its recipe changes.
const FINGERPRINT_KEY: &str = "bridgelintFingerprint/v1";

#[derive(Serialize)]
struct Log<'a, R: Serialize> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a, R>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a, R: Serialize> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    /// The results, serialised one by one as they are written ([`super::Streamed`]).
    results: R,
    column_kind: &'static str,
}

/// Which analysis a run is. Outside Azure Pipelines, `bridgelint/`: a category with no run id
/// (the trailing slash), the same for every run, which GitHub uses to tell analyses apart.
/// Inside Azure Pipelines (`TF_BUILD`), what Azure DevOps Advanced Security requires: the id
/// `azuredevops/pipeline/build/<org>/<project>/<definition>/<phase>/<branch>/<build>` and the
/// build definition and phase in `properties`, from the agent's predefined variables.
#[derive(Serialize, Debug, PartialEq)]
struct AutomationDetails {
    id: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<&'static str, String>,
}

/// The Azure Pipelines variables the agent exports, and the `properties` keys they fill.
const AZURE_PROPERTIES: [(&str, &str); 4] = [
    (
        "SYSTEM_DEFINITIONID",
        "azuredevops/pipeline/build/buildDefinitionId",
    ),
    (
        "BUILD_DEFINITIONNAME",
        "azuredevops/pipeline/build/buildDefinitionName",
    ),
    ("SYSTEM_PHASEID", "azuredevops/pipeline/build/phaseId"),
    ("SYSTEM_PHASENAME", "azuredevops/pipeline/build/phaseName"),
];

fn automation_details(env: impl Fn(&str) -> Option<String>) -> AutomationDetails {
    let plain = AutomationDetails {
        id: "bridgelint/".to_string(),
        properties: BTreeMap::new(),
    };
    if !env("TF_BUILD").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return plain;
    }
    let get = |k: &str| env(k).filter(|v| !v.is_empty());
    let mut properties = BTreeMap::new();
    for (var, key) in AZURE_PROPERTIES {
        match get(var) {
            Some(v) => properties.insert(key, v),
            None => return plain,
        };
    }
    let org = get("SYSTEM_COLLECTIONURI").map(|u| organisation(&u));
    let parts = [
        org,
        get("SYSTEM_TEAMPROJECT"),
        get("SYSTEM_DEFINITIONID"),
        get("SYSTEM_PHASEID"),
        get("BUILD_SOURCEBRANCH"),
        get("BUILD_BUILDID"),
    ];
    let parts: Vec<String> = parts.into_iter().map(Option::unwrap_or_default).collect();
    AutomationDetails {
        id: format!("azuredevops/pipeline/build/{}", parts.join("/")),
        properties,
    }
}

/// The organisation of a collection URI: `https://dev.azure.com/ORG/` or
/// `https://ORG.visualstudio.com/`.
fn organisation(uri: &str) -> String {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r);
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    let host = segments.next().unwrap_or_default();
    match segments.next() {
        Some(org) => org.to_string(),
        None => host.split('.').next().unwrap_or_default().to_string(),
    }
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    help: Help<'a>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

/// `tags` (GitHub filters by them; `security` files a result as a security alert) and, for a
/// security rule, the `security-severity` GitHub shows as critical/high/medium/low.
#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<&'a str>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

pub fn render(report: &Report) -> String {
    super::pretty_text(|out| write(report, out))
}

/// Writes the log as it is serialised ([`super::write`]).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // First index of each rule name (a custom rule cannot reuse a built-in name, so names are
    // unique in practice).
    let mut rule_index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in report.rules.iter().enumerate() {
        rule_index.entry(r.name.as_str()).or_insert(i);
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "bridgelint",
                    full_name: FULL_NAME,
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: report.rules.iter().map(rule).collect(),
                },
            },
            automation_details: automation_details(|k| std::env::var(k).ok()),
            // Suppressed diagnostics included: SARIF shows them with a `suppressions` entry.
            results: super::Streamed(|| {
                (report.diagnostics.iter())
                    .map(|d| result(d, rule_index.get(d.rule.as_str()).copied()))
            }),
            column_kind: "unicodeCodePoints",
        }],
    };
    super::write_pretty(&log, out)
}

fn rule(r: &RuleMeta) -> Rule<'_> {
    let security = SECURITY_CATEGORIES.contains(&r.category.as_str());
    let mut tags = Vec::new();
    if security {
        tags.push("security");
    }
    tags.push(r.category.as_str());
    Rule {
        id: &r.name,
        name: pascal_case(&r.name),
        short_description: Text { text: &r.summary },
        full_description: Text { text: &r.summary },
        // The rule's section of the reference of the release it comes with; custom rules have
        // none there.
        help_uri: r.builtin.then(|| {
            format!(
                "{INFORMATION_URI}/blob/v{}/docs/rules-reference.md#{}",
                env!("CARGO_PKG_VERSION"),
                r.name
            )
        }),
        help: Help {
            text: r.help.as_str(),
            markdown: r.help_markdown.as_str(),
        },
        default_configuration: Configuration {
            level: level(r.severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: security.then(|| security_severity(r.severity)),
        },
    }
}

/// GitHub's scale: 9.0 and above critical, 7.0 high, 4.0 medium, below 4.0 low. A rule's
/// severity in this run (the config may change it) picks high, medium or low.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// A rule's `name`, the identifier SARIF viewers show beside its id: `plaintext-secret` →
/// `PlaintextSecret`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn result(d: &Diagnostic, rule_index: Option<usize>) -> SarifResult<'_> {
    SarifResult {
        rule_id: &d.rule,
        rule_index,
        level: level(d.severity),
        message: Text { text: &d.message },
        locations: [Location {
            id: None,
            physical_location: physical(&d.repo_path, d.start, d.end),
            message: None,
        }],
        related_locations: d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| Location {
                // 1-based, unique within the result (what `[text](1)` links in messages use).
                id: Some(i + 1),
                physical_location: physical(&r.repo_path, r.start, r.end),
                message: Some(Text { text: &r.message }),
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, d.fingerprint.as_str())]),
        fixes: d
            .fix
            .iter()
            .map(|f| SarifFix {
                description: Text { text: &f.message },
                artifact_changes: [ArtifactChange {
                    artifact_location: artifact(&d.repo_path),
                    replacements: f
                        .edits
                        .iter()
                        .map(|e| Replacement {
                            // Exact: an insertion is an empty region.
                            deleted_region: Region {
                                start_line: e.start.line.max(1),
                                start_column: e.start.column.max(1),
                                end_line: e.end.line.max(1),
                                end_column: e.end.column.max(1),
                            },
                            inserted_content: Text { text: &e.content },
                        })
                        .collect(),
                }],
            })
            .collect(),
        suppressions: d
            .suppressed
            .iter()
            .map(|reason| Suppression {
                kind: "inSource",
                justification: reason,
            })
            .collect(),
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn physical(rel: &str, start: Pos, end: Pos) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(rel),
        region: region(start, end),
    }
}

/// A region that every consumer accepts: lines and columns at least 1, the end not before the
/// start, and never empty (an empty span, e.g. a point at the end of a file, is widened to one
/// column, which GitHub needs to place it).
fn region(start: Pos, end: Pos) -> Region {
    let start_line = start.line.max(1);
    let start_column = start.column.max(1);
    let (mut end_line, mut end_column) = (end.line.max(1), end.column.max(1));
    if (end_line, end_column) <= (start_line, start_column) {
        end_line = start_line;
        end_column = start_column + 1;
    }
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

/// `rel` as a URI reference under `%SRCROOT%`; a path outside the context root (it is then
/// absolute) becomes a `file:` URI of its own.
fn artifact(rel: &str) -> ArtifactLocation {
    let is_drive = |s: &str| {
        let b = s.as_bytes();
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
    };
    if rel.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode(rel, false)),
            uri_base_id: None,
        }
    } else if is_drive(rel) {
        // `C:/x` (Windows): keep the drive's colon, as `file:///C:/x`.
        ArtifactLocation {
            uri: format!("file:///{}", encode(rel, true)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode(rel, false),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encodes every byte outside the unreserved set and `/` (UTF-8, upper-case hex). A
/// colon is encoded too, so that `a:b.yaml` does not read as a URI with scheme `a`; with
/// `keep_drive`, the colon of a leading `C:` is kept.
fn encode(path: &str, keep_drive: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_drive && i == 1 && b == b':')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_uris() {
        assert_eq!(encode("a b/ü:x%.yaml", false), "a%20b/%C3%BC%3Ax%25.yaml");
        assert_eq!(artifact("/tmp/a b.yaml").uri, "file:///tmp/a%20b.yaml");
        assert_eq!(artifact("C:/x/y.yaml").uri, "file:///C:/x/y.yaml");
        assert_eq!(artifact("x/y.yaml").uri_base_id, Some(SRCROOT));
    }

    #[test]
    fn azure_pipelines_identify_the_build() {
        let vars = |extra: &[(&str, &str)]| {
            let mut m: HashMap<String, String> = [
                ("TF_BUILD", "True"),
                ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/"),
                ("SYSTEM_TEAMPROJECT", "integrations"),
                ("SYSTEM_DEFINITIONID", "12"),
                ("BUILD_DEFINITIONNAME", "lint"),
                ("SYSTEM_PHASEID", "3a3a3a3a-0000-4000-8000-000000000001"),
                ("SYSTEM_PHASENAME", "Job"),
                ("BUILD_SOURCEBRANCH", "refs/heads/main"),
                ("BUILD_BUILDID", "345"),
            ]
            .iter()
            .chain(extra)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            m.retain(|_, v| !v.is_empty());
            move |k: &str| m.get(k).cloned()
        };
        let a = automation_details(vars(&[]));
        assert_eq!(
            a.id,
            "azuredevops/pipeline/build/acme/integrations/12/3a3a3a3a-0000-4000-8000-000000000001/refs/heads/main/345"
        );
        assert_eq!(a.properties["azuredevops/pipeline/build/phaseName"], "Job");
        assert_eq!(a.properties.len(), 4);
        // Not on an Azure agent, or an agent that exports no phase: the plain category.
        for extra in [[("TF_BUILD", "")], [("SYSTEM_PHASEID", "")]] {
            let a = automation_details(vars(&extra));
            assert_eq!((a.id.as_str(), a.properties.len()), ("bridgelint/", 0));
        }
        assert_eq!(organisation("https://acme.visualstudio.com/"), "acme");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("plaintext-secret"), "PlaintextSecret");
        assert_eq!(pascal_case("owner-is-a-team"), "OwnerIsATeam");
        assert_eq!(pascal_case("x2"), "X2");
    }

    #[test]
    fn regions_are_never_empty_or_reversed() {
        let r = region(Pos::new(3, 5, 0), Pos::new(3, 5, 0));
        assert_eq!((r.end_line, r.end_column), (3, 6));
        let r = region(Pos::new(3, 5, 0), Pos::new(2, 9, 0));
        assert_eq!((r.end_line, r.end_column), (3, 6));
        let r = region(Pos::new(0, 0, 0), Pos::new(0, 0, 0));
        assert_eq!((r.start_line, r.start_column, r.end_column), (1, 1, 2));
        let r = region(Pos::new(3, 5, 0), Pos::new(4, 1, 0));
        assert_eq!((r.end_line, r.end_column), (4, 1));
    }
}
