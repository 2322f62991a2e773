//! Where the map's shapes go: a small deterministic layout, in whole pixels.
//!
//! The systems stand in one row: the one with the most flows in the middle, then the others
//! by number of flows (ties by name), placed alternately to its left and right. Each flow is
//! an orthogonal arc above the row: up from its source, along a lane, down into its target,
//! its label above its lane, centred between the two systems. Flows spanning fewer systems
//! take the lanes nearest the row; two flows share a lane only when their lines and labels
//! are apart, so no two labels ever overlap. At each system, the flows to systems on its left
//! leave or enter on its left half, the others on its right half, outer arcs nearer its
//! middle, so that nested arcs do not cross.

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
/// Space kept between two labels or lines on one lane.
const LANE_GAP: i32 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    fn centre(&self) -> i32 {
        self.x + self.w / 2
    }
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

fn int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX / 64)
}

/// The widest label line of each edge, estimated.
fn label_width(g: &Graph, e: usize) -> i32 {
    let e = &g.edges[e];
    LABEL_CHAR * chars(&e.capabilities_text()).max(chars(&e.accounts_text()))
}

/// Each node's place in the row: the busiest in the middle, the others alternately left and
/// right of it, busiest first (ties by name, which is the nodes' order).
fn places(g: &Graph) -> Vec<usize> {
    let mut degree = vec![0usize; g.nodes.len()];
    for e in &g.edges {
        degree[e.from.node] += 1;
        degree[e.to.node] += 1;
    }
    let mut by_degree: Vec<usize> = (0..g.nodes.len()).collect();
    by_degree.sort_by_key(|&i| (std::cmp::Reverse(degree[i]), i));
    let mut row = std::collections::VecDeque::new();
    for (k, i) in by_degree.into_iter().enumerate() {
        if k % 2 == 1 {
            row.push_front(i);
        } else {
            row.push_back(i);
        }
    }
    let mut place = vec![0; g.nodes.len()];
    for (p, i) in row.into_iter().enumerate() {
        place[i] = p;
    }
    place
}

/// Node boxes, left to right by place; their widths leave room for their ports.
fn boxes(g: &Graph, place: &[usize], top: i32) -> Vec<Rect> {
    let mut ends = vec![0; g.nodes.len()];
    for e in &g.edges {
        ends[e.from.node] += 1;
        ends[e.to.node] += 1;
    }
    let mut order: Vec<usize> = (0..g.nodes.len()).collect();
    order.sort_by_key(|&i| place[i]);
    let mut nodes = vec![
        Rect {
            x: 0,
            y: top,
            w: 0,
            h: NODE_H
        };
        g.nodes.len()
    ];
    let mut x = MARGIN;
    for i in order {
        let w = (NODE_CHAR * chars(&g.nodes[i]) + 24)
            .max(PORT_GAP * (int(ends[i]) + 2))
            .max(64);
        nodes[i] = Rect {
            x,
            y: top,
            w,
            h: NODE_H,
        };
        x += w + NODE_GAP;
    }
    nodes
}

/// An edge's place on a lane: its line (between the two systems' centres, or across its
/// system for a loop) and its label, as (from, to) in x.
#[derive(Clone, Copy)]
struct Extent {
    line: (i32, i32),
    label: (i32, i32),
}

impl Extent {
    /// Two edges can share a lane: their lines do not overlap (at a shared system one ends
    /// left of its centre, the other starts right of it), and each label keeps clear of the
    /// other's label and line.
    fn apart(&self, other: &Extent) -> bool {
        let clear = |a: (i32, i32), b: (i32, i32), gap: i32| a.1 + gap <= b.0 || b.1 + gap <= a.0;
        clear(self.line, other.line, 0)
            && clear(self.label, other.label, LANE_GAP)
            && clear(self.label, other.line, LANE_GAP)
            && clear(self.line, other.label, LANE_GAP)
    }
}

/// The lane of each edge (0 nearest the row) and the number of lanes: shorter spans first,
/// each on the lowest lane where it is apart from every edge already there.
fn lanes(g: &Graph, nodes: &[Rect], place: &[usize]) -> (Vec<usize>, usize) {
    let extent = |e: usize| {
        let (a, b) = (nodes[g.edges[e].from.node], nodes[g.edges[e].to.node]);
        let line = if a == b {
            (a.x, a.x + a.w)
        } else {
            (a.centre().min(b.centre()), a.centre().max(b.centre()))
        };
        let half = label_width(g, e) / 2;
        let mid = (a.centre() + b.centre()) / 2;
        Extent {
            line,
            label: (mid - half, mid + half),
        }
    };
    let span = |e: usize| place[g.edges[e].from.node].abs_diff(place[g.edges[e].to.node]);
    let mut order: Vec<usize> = (0..g.edges.len()).collect();
    order.sort_by_key(|&e| (span(e), e));
    let mut taken: Vec<Vec<Extent>> = Vec::new();
    let mut lane = vec![0; g.edges.len()];
    for e in order {
        let x = extent(e);
        let free = taken
            .iter()
            .position(|used| used.iter().all(|u| u.apart(&x)));
        let k = free.unwrap_or_else(|| {
            taken.push(Vec::new());
            taken.len() - 1
        });
        taken[k].push(x);
        lane[e] = k;
    }
    (lane, taken.len())
}

/// Each edge's (source, target) port: flows to the left on a system's left half, the others
/// on its right half; outer lanes nearer the middle (an outer arc's upright then stays clear
/// of the inner arcs' lines).
fn ports(g: &Graph, nodes: &[Rect], place: &[usize], lane: &[usize]) -> Vec<(i32, i32)> {
    let mut at = vec![(0, 0); g.edges.len()];
    for (i, r) in nodes.iter().enumerate() {
        let mut left: Vec<(usize, bool)> = Vec::new();
        let mut right: Vec<(usize, bool)> = Vec::new();
        for (e, edge) in g.edges.iter().enumerate() {
            for (node, other, source) in [
                (edge.from.node, edge.to.node, true),
                (edge.to.node, edge.from.node, false),
            ] {
                if node == i {
                    if place[other] < place[i] {
                        left.push((e, source));
                    } else {
                        right.push((e, source));
                    }
                }
            }
        }
        left.sort_by_key(|&(e, s)| (lane[e], e, s));
        right.sort_by_key(|&(e, s)| (std::cmp::Reverse(lane[e]), e, !s));
        let half = r.w / 2;
        for (side, list) in [(r.x, &left), (r.x + half, &right)] {
            let n = int(list.len());
            for (k, &(e, source)) in list.iter().enumerate() {
                let x = side + half * (int(k) + 1) / (n + 1);
                if source {
                    at[e].0 = x;
                } else {
                    at[e].1 = x;
                }
            }
        }
    }
    at
}

pub fn layout(g: &Graph) -> Layout {
    let place = places(g);
    let provisional = boxes(g, &place, 0);
    let (lane, count) = lanes(g, &provisional, &place);
    let top = MARGIN + LANE_H * int(count) + 16;
    let mut nodes = boxes(g, &place, top);
    let port = ports(g, &nodes, &place, &lane);
    let mut arcs = Vec::with_capacity(g.edges.len());
    let mut right = nodes
        .iter()
        .map(|r| r.x + r.w + MARGIN)
        .max()
        .unwrap_or(MARGIN * 2);
    let mut shift = 0;
    for (e, edge) in g.edges.iter().enumerate() {
        let half = label_width(g, e) / 2 + 4;
        let label_x = (nodes[edge.from.node].centre() + nodes[edge.to.node].centre()) / 2;
        shift = shift.max(half - label_x + 4);
        right = right.max(label_x + half + MARGIN);
        arcs.push(Arc {
            from_x: port[e].0,
            to_x: port[e].1,
            lane_y: top - 16 - LANE_H * int(lane[e]),
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
        width: right + shift,
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
    fn nodes_stand_in_a_row_and_flows_between_the_same_systems_nest() {
        let g = sample();
        let l = layout(&g);
        assert_eq!(l.nodes.len(), 2);
        let (left, right) = if l.nodes[0].x < l.nodes[1].x {
            (0, 1)
        } else {
            (1, 0)
        };
        assert!(l.nodes[left].x + l.nodes[left].w < l.nodes[right].x);
        assert_eq!(l.nodes[0].y, l.nodes[1].y);
        let lanes: Vec<i32> = l.arcs.iter().map(|a| a.lane_y).collect();
        assert_ne!(lanes[0], lanes[1], "both flows span the same systems");
        assert!(lanes.iter().all(|&y| y < l.nodes[0].y && y > 0));
        for (e, a) in l.arcs.iter().enumerate() {
            assert!(a.label_x - label_width(&g, e) / 2 >= 0, "{a:?}");
            assert!(a.from_x < l.width && a.to_x < l.width);
        }
        // The outer arc (higher lane) encloses the inner one at both systems.
        let (outer, inner) = if lanes[0] < lanes[1] { (0, 1) } else { (1, 0) };
        let span = |a: &Arc| (a.from_x.min(a.to_x), a.from_x.max(a.to_x));
        let (o, i) = (span(&l.arcs[outer]), span(&l.arcs[inner]));
        assert!(o.0 < i.0 && i.1 < o.1, "outer {o:?} inner {i:?}");
        assert_eq!(layout(&g), l, "deterministic");
    }

    #[test]
    fn the_busiest_system_stands_in_the_middle_and_flows_apart_share_a_lane() {
        let mut g = sample();
        g.nodes = vec!["a".into(), "hub".into(), "z".into()];
        // a → hub and hub → z: hub has both, so it is in the middle.
        g.edges[0].from.node = 0;
        g.edges[0].to.node = 1;
        g.edges[1].from.node = 1;
        g.edges[1].to.node = 2;
        for e in &mut g.edges {
            e.capabilities = vec!["c".into()];
            e.from.account = Some("x".into());
            e.to.account = Some("y".into());
        }
        let l = layout(&g);
        let x: Vec<i32> = l.nodes.iter().map(|r| r.x).collect();
        assert!(x[1] > x[0].min(x[2]) && x[1] < x[0].max(x[2]), "{l:?}");
        assert_eq!(
            l.arcs[0].lane_y, l.arcs[1].lane_y,
            "short labels apart: {l:?}"
        );
        // Wide labels that would meet take two lanes.
        for e in &mut g.edges {
            e.capabilities = vec!["a capability with a long name".into()];
        }
        let l = layout(&g);
        assert_ne!(l.arcs[0].lane_y, l.arcs[1].lane_y, "{l:?}");
    }
}
