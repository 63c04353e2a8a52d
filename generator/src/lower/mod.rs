//! From `openapiv3` to the IR: every schema becomes a [`TypeRef`], every operation an
//! [`Operation`]. Names are chosen at the end, in one pass, so that shared inline enums
//! and collisions are resolved with the whole document in view.
//!
//! One `Lowerer` (`context`) carries the state; its methods are spread over the files below,
//! one concern each. A run goes:
//!
//! 1. `schemas`: each component schema gets a draft type and then its kind, recursing
//!    through `type_of` into `objects` (structs, `allOf`, maps), `enums` and `unions`.
//!    `shape` tells them what a schema is.
//! 2. `operations`: one [`Operation`] per path and method, with its parameters; `bodies`
//!    lowers its request body and success responses.
//! 3. `finish`: names every type, then runs the passes that need the whole IR: alias cycles
//!    and boxing (`cycles`), union variants (`unions`), `Default` and lenient decoding
//!    (`defaults`), the status-code envelope (`envelope`), which operations page
//!    (`paging`), the documented business codes (`codes`); inline types nothing uses are
//!    dropped.

mod bodies;
mod codes;
mod context;
mod cycles;
mod defaults;
mod enums;
mod envelope;
mod finish;
mod objects;
mod operations;
mod paging;
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
