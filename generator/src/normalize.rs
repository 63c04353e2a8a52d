//! Brings a parsed document into the shape `openapiv3` reads (OpenAPI 3.0).

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Warning};

/// Normalizes `value` in place. `version` is the document's `openapi` field.
pub fn normalize(
    _file: &Path,
    _version: &str,
    _value: &mut Value,
    _warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    Ok(())
}
