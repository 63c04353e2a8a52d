//! Laying generated modules out in files, and writing or checking them on disk.
//!
//! In order: `files` turns the emitted modules into files for the layout, `manifest` writes
//! a crate's `Cargo.toml`, and `tree` writes the files (or checks them) under the output
//! directory; `paths` does the path arithmetic both need.

mod files;
mod manifest;
mod paths;
mod tree;

#[cfg(test)]
mod tests;

pub use files::lay_out;
pub use manifest::{cargo_toml, CrateInfo, RuntimeDependency};
pub use tree::{check_files, check_tree, write_files, write_tree, CheckReport, WriteReport};
