//! `bridgelint inventory`: the review sheet of every account.

pub fn command(_args: crate::cli::InventoryArgs) -> u8 {
    eprintln!("error: inventory is not implemented yet");
    2
}
