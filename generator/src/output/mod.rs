//! Laying generated modules out in files, and writing or checking them on disk.

mod files;
mod manifest;
mod paths;
mod tree;

#[cfg(test)]
mod tests;

pub use files::lay_out;
pub use manifest::{cargo_toml, CrateInfo, RuntimeDependency};
pub use tree::{check_files, check_tree, write_files, write_tree, CheckReport, WriteReport};
