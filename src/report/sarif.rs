//! `sarif` output (to be written).

use super::Report;

pub fn render(report: &Report) -> String {
    super::json::render(report)
}
