//! Where the map's shapes go: a small deterministic layout, in whole pixels.
//!
//! The systems stand in one row, in name order. Each flow is an orthogonal arc above them: up
//! from its source, along a lane of its own, down into its target. Lanes are stacked, the flows
//! spanning fewer systems nearest the row, so no two labels ever overlap (each sits on its own
//! lane) and nested arcs do not cross. Where a flow leaves or enters a system, its port, is
//! chosen so that an outer arc never crosses an inner one at the same system: ports of flows
//! to the left come first, outer ones further right; then flows to the right, outer ones
//! further left; then flows from a system to itself.

use super::graph::Graph;

/// Text widths are estimated, not measured: this much per character, at the map's sizes.
pub const NODE_CHAR: i32 = 9;
pub const LABEL_CHAR: i32 = 7;
pub const NODE_H: i32 = 36;
/// A lane's height: room for the two label lines above its line.
pub const LANE_H: i32 = 40;
const NODE_GAP: i32 = 48;
const PORT_GAP: i32 = 14;
const MARGIN: i32 = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

/// One flow's arc: from its source's port up to `lane_y`, across to its target's port, down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arc {
    pub from_x: i32,
    pub to_x: i32,
    pub lane_y: i32,
    /// The centre of its label.
    pub label_x: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub nodes: Vec<Rect>,
    pub arcs: Vec<Arc>,
}

fn chars(s: &str) -> i32 {
    i32::try_from(s.chars().count()).unwrap_or(i32::MAX / 64)
}

/// The widest label line of each edge, estimated.
fn label_width(g: &Graph, e: usize) -> i32 {
    let e = &g.edges[e];
    LABEL_CHAR * chars(&e.capabilities_text()).max(chars(&e.accounts_text()))
}

pub fn layout(g: &Graph) -> Layout {
    let n = g.nodes.len();
    // The ports of each node: (edge, whether this is its source end), in port order.
    let mut ports: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
    // Lanes: shorter spans nearer the row; ties in edge order.
    let mut order: Vec<usize> = (0..g.edges.len()).collect();
    let span = |e: usize| g.edges[e].from.node.abs_diff(g.edges[e].to.node);
    order.sort_by_key(|&e| (span(e), e));
    let mut lane = vec![0usize; g.edges.len()];
    for (k, &e) in order.iter().enumerate() {
        lane[e] = k;
    }
    for (i, node_ports) in ports.iter_mut().enumerate() {
        let mut ends: Vec<(usize, bool)> = Vec::new();
        for (e, edge) in g.edges.iter().enumerate() {
            if edge.from.node == i {
                ends.push((e, true));
            }
            if edge.to.node == i {
                ends.push((e, false));
            }
        }
        // Flows to the left (0), to the right (1), to itself (2).
        let side = |&(e, source): &(usize, bool)| {
            let other = if source {
                g.edges[e].to.node
            } else {
                g.edges[e].from.node
            };
            match other.cmp(&i) {
                std::cmp::Ordering::Less => (0, lane[e] as i64, e, !source),
                std::cmp::Ordering::Greater => (1, -(lane[e] as i64), e, !source),
                std::cmp::Ordering::Equal => (2, lane[e] as i64, e, !source),
            }
        };
        ends.sort_by_key(side);
        *node_ports = ends;
    }
    let top = MARGIN + LANE_H * i32::try_from(g.edges.len()).unwrap_or(0) + 16;
    let mut x = MARGIN;
    let mut nodes = Vec::with_capacity(n);
    for (i, name) in g.nodes.iter().enumerate() {
        let for_ports = PORT_GAP * (i32::try_from(ports[i].len()).unwrap_or(0) + 1);
        let w = (NODE_CHAR * chars(name) + 24).max(for_ports).max(64);
        nodes.push(Rect {
            x,
            y: top,
            w,
            h: NODE_H,
        });
        x += w + NODE_GAP;
    }
    let mut port_x = vec![(0, 0); g.edges.len()];
    for (i, node_ports) in ports.iter().enumerate() {
        let r = nodes[i];
        let count = i32::try_from(node_ports.len()).unwrap_or(1);
        for (k, &(e, source)) in node_ports.iter().enumerate() {
            let at = r.x + r.w * (i32::try_from(k).unwrap_or(0) + 1) / (count + 1);
            if source {
                port_x[e].0 = at;
            } else {
                port_x[e].1 = at;
            }
        }
    }
    let mut arcs = Vec::with_capacity(g.edges.len());
    let mut right = x - NODE_GAP + MARGIN;
    let mut shift = 0;
    for (e, &(from_x, to_x)) in port_x.iter().enumerate() {
        let half = label_width(g, e) / 2 + 4;
        let label_x = (from_x + to_x) / 2;
        shift = shift.max(half - label_x + 4);
        right = right.max(label_x + half + MARGIN);
        arcs.push(Arc {
            from_x,
            to_x,
            lane_y: top - 16 - LANE_H * i32::try_from(lane[e]).unwrap_or(0),
            label_x,
        });
    }
    // A label wider than the space left of its arc moves everything right.
    let shift = shift.max(0);
    for r in &mut nodes {
        r.x += shift;
    }
    for a in &mut arcs {
        a.from_x += shift;
        a.to_x += shift;
        a.label_x += shift;
    }
    Layout {
        width: right.max(MARGIN * 2) + shift,
        height: top + NODE_H + MARGIN,
        nodes,
        arcs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::graph::tests::sample;

    #[test]
    fn nodes_stand_in_a_row_and_each_flow_has_its_own_lane_above_them() {
        let g = sample();
        let l = layout(&g);
        assert_eq!(l.nodes.len(), 2);
        assert!(l.nodes[0].x + l.nodes[0].w < l.nodes[1].x);
        assert_eq!(l.nodes[0].y, l.nodes[1].y);
        let lanes: Vec<i32> = l.arcs.iter().map(|a| a.lane_y).collect();
        assert_ne!(lanes[0], lanes[1]);
        assert!(lanes.iter().all(|&y| y < l.nodes[0].y && y > 0));
        for a in &l.arcs {
            assert!(a.label_x - label_width(&g, 0) / 2 >= 0, "{a:?}");
            assert!(a.from_x < l.width && a.to_x < l.width);
        }
        assert_eq!(layout(&g), l, "deterministic");
    }

    #[test]
    fn an_outer_arc_leaves_a_system_outside_the_inner_one() {
        let mut g = sample();
        g.nodes.push("zendesk".into());
        // 0 → 1 (inner) and 0 → 2 (outer): the outer one leaves system 0 further left.
        g.edges[1].from.node = 0;
        g.edges[1].to.node = 2;
        let l = layout(&g);
        assert!(l.arcs[1].lane_y < l.arcs[0].lane_y, "outer lane higher");
        assert!(l.arcs[1].from_x < l.arcs[0].from_x, "{:?}", l.arcs);
    }
}
