//! How generated code is laid out in files.

/// How generated code is laid out in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A library crate: `src/lib.rs` plus one file per module (the default of
    /// [`Builder::generate`](crate::Builder::generate)).
    #[default]
    Crate,
    /// One file, `genauth_sdk.rs`, holding every module inline, for `include!` (the default
    /// of [`Builder::write_to_out_dir`](crate::Builder::write_to_out_dir) and [`Builder::write_to`](crate::Builder::write_to)).
    SingleFile,
}

/// The file [`Layout::SingleFile`] writes; `include!` it from `OUT_DIR`.
pub const SINGLE_FILE_NAME: &str = "genauth_sdk.rs";
