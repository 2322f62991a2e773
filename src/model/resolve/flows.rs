//! What the flows ask of their connections: each connection's flows, and the capabilities
//! they need of it.

use super::groups::Groups;
use crate::catalog::capability_index;
use crate::model::fields::{flow as F, Kind};
use crate::model::{MVal, Model};

/// What [`flow_needs`] reads off the flows.
pub(super) struct FlowNeeds {
    /// Each connection's flows.
    pub flows_of: Groups,
    /// Each connection's needed capabilities, a bit per [`crate::catalog::CAPABILITIES`] entry.
    pub cap_bits: Vec<u16>,
    /// (connection, capability, flow) triples, sorted: each need's flows, in flow order.
    pub needed: Vec<(u32, u8, u32)>,
}

/// Flows per connection, and the capabilities they need: (connection, capability, flow)
/// triples, sorted, give each need its flows in flow order. Reads only.
pub(super) fn flow_needs(model: &Model) -> FlowNeeds {
    let n_conn = model.len(Kind::Connection);
    let flows_of = Groups::new(n_conn, || {
        model.records(Kind::Flow).flat_map(|rec| {
            let from = rec.reference(F::FROM_CONNECTION);
            let to = rec.reference(F::TO_CONNECTION).filter(|&t| Some(t) != from);
            [from, to].into_iter().flatten().map(move |c| (c, rec.idx))
        })
    });
    let mut cap_bits: Vec<u16> = vec![0; n_conn];
    let mut needed: Vec<(u32, u8, u32)> = Vec::new();
    for rec in model.records(Kind::Flow) {
        let f = rec.idx;
        let from = rec.reference(F::FROM_CONNECTION);
        let to = rec.reference(F::TO_CONNECTION);
        let Some(sync) = rec.list(F::SYNC) else {
            continue;
        };
        if let Some(c) = from {
            cap_bits[c as usize] |= 1;
            needed.push((c, 0, f));
        }
        if let Some(c) = to {
            for item in sync {
                let MVal::Str(id) = item.val() else { continue };
                let text = model.str_of(id);
                if let Some(cap) = capability_index(text) {
                    cap_bits[c as usize] |= 1 << cap;
                    needed.push((c, cap as u8, f));
                }
            }
        }
    }
    needed.sort_by_key(|&(c, cap, f)| (c, cap, f));
    needed.dedup();
    FlowNeeds {
        flows_of,
        cap_bits,
        needed,
    }
}
