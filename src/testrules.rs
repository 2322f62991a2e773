//! `bridgelint test-rules`: runs annotated rule fixtures.

pub fn command(_args: crate::cli::TestRulesArgs) -> u8 {
    eprintln!("error: test-rules is not implemented yet");
    2
}
