//! From `openapiv3` to the IR: every schema becomes a [`TypeRef`], every operation an
//! [`Operation`]. Names are chosen at the end, in one pass, so that shared inline enums
//! and collisions are resolved with the whole document in view.

mod bodies;
mod context;
mod cycles;
mod defaults;
mod enums;
mod envelope;
mod finish;
mod objects;
mod operations;
mod schemas;
mod shape;
mod unions;

use crate::error::{Error, Warning};
use crate::ir::*;
use crate::load::Document;

pub use context::LowerOptions;
use context::Lowerer;

/// Lowers a loaded document into the IR.
pub fn lower(doc: &Document, options: LowerOptions) -> Result<(Ir, Vec<Warning>), Error> {
    let mut l = Lowerer::new(doc, options);
    l.lower_components()?;
    let operations = l.lower_operations()?;
    l.finish(operations)
}
