//! The map as inline SVG for the `html` page: the shapes `layout.rs` placed, every text
//! escaped, styled by the page's stylesheet (classes only: the page's Content-Security-Policy
//! allows no inline style attribute).

use std::fmt::Write as _;

use super::graph::Graph;
use super::html::html_escape;
use super::layout::{layout, NODE_H};

/// The most flows the page draws: a map of more is no longer read, and the lanes' packing
/// grows with the square of the flows. `--format dot` draws any number.
pub const MAX_FLOWS: usize = 200;

pub(super) fn render(g: &Graph) -> String {
    if g.edges.is_empty() && g.nodes.is_empty() {
        return "<p class=\"empty\">No connection on this sheet: nothing to draw.</p>\n".into();
    }
    if g.edges.len() > MAX_FLOWS {
        return format!(
            "<p class=\"empty\">{} flows between {} systems: too many to draw here (at most {MAX_FLOWS}). <code>bridgelint inventory --format dot</code> gives the map for Graphviz.</p>\n",
            g.edges.len(),
            g.nodes.len()
        );
    }
    let l = layout(g);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg id=\"map-svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"map-title\">\n<title id=\"map-title\">Systems and the flows between them</title>",
        w = l.width,
        h = l.height
    );
    for (e, a) in g.edges.iter().zip(&l.arcs) {
        let top = l.nodes[e.from.node].y;
        let mut class = String::from("flow");
        if e.prod {
            class.push_str(" prod");
        }
        if e.from.error || e.to.error {
            class.push_str(" error");
        }
        let title = match &e.integration {
            Some(i) => format!("{}: {}", i, e.capabilities_text()),
            None => e.capabilities_text(),
        };
        let _ = writeln!(
            out,
            "<g class=\"{class}\"><title>{}</title><path d=\"M{} {top} V{} H{} V{}\"/><polygon points=\"{},{} {},{} {},{top}\"/>",
            html_escape(&title),
            a.from_x,
            a.lane_y,
            a.to_x,
            top - 8,
            a.to_x - 5,
            top - 9,
            a.to_x + 5,
            top - 9,
            a.to_x,
        );
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{}\" class=\"caps\">{}</text><text x=\"{x}\" y=\"{}\" class=\"accounts\">{}</text></g>",
            a.lane_y - 20,
            html_escape(&e.capabilities_text()),
            a.lane_y - 6,
            html_escape(&e.accounts_text()),
            x = a.label_x
        );
    }
    for (name, r) in g.nodes.iter().zip(&l.nodes) {
        let _ = writeln!(
            out,
            "<g class=\"system\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{NODE_H}\" rx=\"6\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            r.x,
            r.y,
            r.w,
            r.x + r.w / 2,
            r.y + NODE_H / 2 + 5,
            html_escape(name)
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::graph::tests::sample;

    #[test]
    fn the_map_escapes_its_texts_and_marks_prod_and_errors() {
        let text = render(&sample());
        assert!(text.starts_with("<svg id=\"map-svg\""));
        assert!(text.contains(">jira &quot;cloud&quot;</text>"));
        assert!(text.contains("<g class=\"flow prod error\">"));
        assert!(text.contains("<g class=\"flow error\">"));
        assert!(text.contains(">gl → ⚠ jira|acc</text>"));
        assert!(
            !text.contains("style="),
            "the page's policy allows no style attribute"
        );
        assert_eq!(text.matches("<g class=\"system\">").count(), 2);
    }

    #[test]
    fn a_map_too_big_to_read_is_not_drawn() {
        let mut g = sample();
        let edge = g.edges[0].clone();
        g.edges = vec![edge; MAX_FLOWS + 1];
        let text = render(&g);
        assert!(text.starts_with("<p class=\"empty\">201 flows between 2 systems: too many"));
    }
}
