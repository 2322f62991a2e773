//! The map of the integrations: systems as nodes, flows as arrows labelled with the
//! capabilities they use (the `sync` items they write), each end's account on its arrow,
//! prod flows stronger, accounts with an error finding marked. Drawn as SVG in the `html`
//! page (`svg.rs`, laid out by `layout.rs`), and as text: `--format mermaid` and `--format dot`.
//!
//! A flow is on the map when both its connections are on the sheet (the reporting scope);
//! every text on it comes from the sheet's rows or is masked as a row's cell would be.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Reader, Row};
use crate::model::fields::{flow as F, Kind};
use crate::model::Model;
use crate::secrets::mask;

/// One end of a flow: its connection's account, and whether an error stands on that account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct End {
    pub node: usize,
    pub account: Option<String>,
    pub error: bool,
}

/// One flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: End,
    pub to: End,
    /// What the flow writes to its target (its `sync` items); it reads its source.
    pub capabilities: Vec<String>,
    pub integration: Option<String>,
    /// Its integration's `metadata.environment` is `prod` or `production`.
    pub prod: bool,
}

impl Edge {
    /// The label's first line: the capabilities, or `read` alone for a flow that writes none.
    pub fn capabilities_text(&self) -> String {
        if self.capabilities.is_empty() {
            "read".to_string()
        } else {
            self.capabilities.join(", ")
        }
    }

    /// The label's second line: `from-account → to-account`, an account with an error
    /// finding marked `⚠`.
    pub fn accounts_text(&self) -> String {
        let end = |e: &End| {
            let name = e.account.as_deref().unwrap_or("?");
            if e.error {
                format!("⚠ {name}")
            } else {
                name.to_string()
            }
        };
        format!("{} → {}", end(&self.from), end(&self.to))
    }
}

/// The map: nodes are the systems of the sheet's connections, sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<String>,
    pub edges: Vec<Edge>,
}

/// The map of the flows between the connections of `rows`, in the model's order (path, then
/// position in `flows`).
pub fn build(model: &Model, rows: &[Row], schemes: &[String]) -> Graph {
    let reader = Reader::new(model, schemes);
    let system = |r: &Row| r.connection_system.clone().unwrap_or_else(|| "?".into());
    let mut nodes: Vec<String> = rows
        .iter()
        .filter(|r| r.connection_rec.is_some())
        .map(system)
        .collect();
    nodes.sort();
    nodes.dedup();
    let mut group_error: HashMap<usize, bool> = HashMap::new();
    for r in rows {
        *group_error.entry(r.group).or_default() |= r.errors > 0;
    }
    let mut by_connection: HashMap<u32, &Row> = HashMap::new();
    for r in rows {
        if let Some(c) = r.connection_rec {
            by_connection.entry(c).or_insert(r);
        }
    }
    let end = |r: &Row| End {
        node: nodes.binary_search(&system(r)).unwrap_or(0),
        account: r.account.clone(),
        error: group_error.get(&r.group).copied().unwrap_or(false),
    };
    let mut edges = Vec::new();
    for flow in model.records(Kind::Flow) {
        let ends = (
            flow.reference(F::FROM_CONNECTION),
            flow.reference(F::TO_CONNECTION),
        );
        let (Some(from), Some(to)) = (
            ends.0.and_then(|c| by_connection.get(&c)),
            ends.1.and_then(|c| by_connection.get(&c)),
        ) else {
            continue;
        };
        let capabilities = flow
            .strs(F::SYNC)
            .unwrap_or_default()
            .into_iter()
            .map(|(s, loc, _)| {
                let redacted = loc.is_some_and(|l| {
                    model
                        .files
                        .get(l.file as usize)
                        .is_some_and(|f| f.is_redacted(&l))
                });
                if redacted {
                    mask(s)
                } else {
                    reader.scrub(s)
                }
            })
            .collect();
        let environment = from.environment.as_deref().unwrap_or("");
        edges.push(Edge {
            from: end(from),
            to: end(to),
            capabilities,
            integration: from.integration.clone(),
            prod: ["prod", "production"].contains(&environment.to_ascii_lowercase().as_str()),
        });
    }
    Graph { nodes, edges }
}

/// Mermaid text for a label inside `"…"`: entity codes for what would end or break it.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in super::printable(s).chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out
}

/// `--format mermaid`: a `flowchart LR`, prod flows as thick arrows (`==>`), the accounts of
/// an error finding marked `⚠`. Paste it into a ```` ```mermaid ```` block of Markdown.
pub fn mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let _ = writeln!(out, "  s{i}[\"{}\"]", mermaid_text(n));
    }
    for e in &g.edges {
        let arrow = if e.prod { "==>" } else { "-->" };
        let _ = writeln!(
            out,
            "  s{} {arrow}|\"{}<br/>{}\"| s{}",
            e.from.node,
            mermaid_text(&e.capabilities_text()),
            mermaid_text(&e.accounts_text()),
            e.to.node
        );
    }
    let marked: Vec<String> = (0..g.edges.len())
        .filter(|&i| g.edges[i].from.error || g.edges[i].to.error)
        .map(|i| i.to_string())
        .collect();
    if !marked.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#b42318,color:#b42318",
            marked.join(",")
        );
    }
    out
}

/// DOT text inside `"…"`.
fn dot_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in super::printable(s).chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// `--format dot`: a Graphviz `digraph`, prod flows with `penwidth=3`, an edge whose
/// account has an error finding red.
pub fn dot(g: &Graph) -> String {
    let mut out = String::from(
        "digraph inventory {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\", fontsize=10];\n",
    );
    for n in &g.nodes {
        let _ = writeln!(out, "  \"{}\";", dot_text(n));
    }
    for e in &g.edges {
        let mut attrs = format!(
            "label=\"{}\\n{}\"",
            dot_text(&e.capabilities_text()),
            dot_text(&e.accounts_text())
        );
        if let Some(i) = &e.integration {
            let _ = write!(attrs, ", tooltip=\"{}\"", dot_text(i));
        }
        attrs.push_str(if e.prod {
            ", penwidth=3"
        } else {
            ", penwidth=1"
        });
        if e.from.error || e.to.error {
            attrs.push_str(", color=\"#b42318\", fontcolor=\"#b42318\"");
        }
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [{attrs}];",
            dot_text(&g.nodes[e.from.node]),
            dot_text(&g.nodes[e.to.node])
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> Graph {
        let end = |node, account: &str, error| End {
            node,
            account: Some(account.into()),
            error,
        };
        Graph {
            nodes: vec!["gitlab".into(), "jira \"cloud\"".into()],
            edges: vec![
                Edge {
                    from: end(0, "gl", false),
                    to: end(1, "jira|acc", true),
                    capabilities: vec!["create".into(), "comments".into()],
                    integration: Some("int".into()),
                    prod: true,
                },
                Edge {
                    from: end(1, "jira|acc", true),
                    to: end(0, "gl", false),
                    capabilities: vec![],
                    integration: None,
                    prod: false,
                },
            ],
        }
    }

    #[test]
    fn mermaid_escapes_labels_and_marks_prod_and_errors() {
        let text = mermaid(&sample());
        assert_eq!(
            text,
            "flowchart LR\n  s0[\"gitlab\"]\n  s1[\"jira #quot;cloud#quot;\"]\n  \
             s0 ==>|\"create, comments<br/>gl → ⚠ jira#124;acc\"| s1\n  \
             s1 -->|\"read<br/>⚠ jira#124;acc → gl\"| s0\n  linkStyle 0,1 stroke:#b42318,color:#b42318\n"
        );
    }

    #[test]
    fn dot_escapes_labels_and_marks_prod_and_errors() {
        let text = dot(&sample());
        assert!(text.starts_with("digraph inventory {\n  rankdir=LR;\n"));
        assert!(text.contains("  \"jira \\\"cloud\\\"\";\n"));
        assert!(text.contains(
            "  \"gitlab\" -> \"jira \\\"cloud\\\"\" [label=\"create, comments\\ngl → ⚠ jira|acc\", tooltip=\"int\", penwidth=3, color=\"#b42318\", fontcolor=\"#b42318\"];\n"
        ));
        assert!(text.ends_with("}\n"));
    }
}
