//! `bridgelint init`: writes a commented `.bridgelint.yaml`.

pub fn command(_args: crate::cli::InitArgs) -> u8 {
    eprintln!("error: init is not implemented yet");
    2
}
