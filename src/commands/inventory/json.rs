//! The `json` format: `version`, `today` and the rows, each with every column's key (`null` for
//! an empty cell), written by hand for a stable layout.

use std::fmt::Write as _;

use super::{Row, COLUMNS};
use crate::model::date;

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub(super) fn render(rows: &[Row], today: i32) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n  \"version\": 1,\n  \"today\": {},\n  \"rows\": [",
        json_string(&date::format(today))
    );
    for (i, r) in rows.iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        for (j, ((_, key), cell)) in COLUMNS.iter().zip(r.cells()).enumerate() {
            let value = cell.as_deref().map_or_else(|| "null".into(), json_string);
            let _ = write!(
                out,
                "{}\n      \"{key}\": {value}",
                if j == 0 { "" } else { "," }
            );
        }
        out.push_str("\n    }");
    }
    out.push_str(if rows.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inventory::tests::{d, row};
    use crate::commands::inventory::Status;

    #[test]
    fn every_key_of_every_row() {
        let text = render(&[row("acc", None, Status::Ok)], d("2026-11-27"));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["today"], "2026-11-27");
        let row = v["rows"][0].as_object().unwrap();
        let keys: Vec<&str> = row.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = COLUMNS.iter().map(|(_, k)| *k).collect();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(row["account"], "acc");
        assert_eq!(row["system"], serde_json::Value::Null);
        assert_eq!(row["status"], "ok");
    }

    #[test]
    fn no_rows_is_an_empty_list() {
        assert_eq!(
            render(&[], d("2026-11-27")),
            "{\n  \"version\": 1,\n  \"today\": \"2026-11-27\",\n  \"rows\": []\n}\n"
        );
    }
}
