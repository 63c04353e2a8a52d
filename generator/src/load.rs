//! Reading a document: bytes → `serde_json::Value` → version check and normalization →
//! `openapiv3::OpenAPI`. Syntax errors carry `line:column`, everything later a JSON pointer.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{pointer_push, Error, Location, Warning};
use crate::files::Files;
use crate::timings::Timings;
use crate::{normalize, resolve};

pub use crate::parse::{parse_text, utf8_text};

/// A loaded document.
#[derive(Debug)]
pub struct Document {
    /// The file, as named in messages.
    pub file: PathBuf,
    /// The document after normalization, for resolving references by pointer.
    pub raw: Value,
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// Problems tolerated while loading.
    pub warnings: Vec<Warning>,
    /// Every file read: the document itself, then the files its `$ref`s named.
    pub sources: Vec<PathBuf>,
}

/// Reads and loads `path`.
pub fn load_path(path: &Path) -> Result<Document, Error> {
    load_path_timed(path, &mut Timings::default())
}

pub(crate) fn load_path_timed(path: &Path, timings: &mut Timings) -> Result<Document, Error> {
    let start = Instant::now();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        action: "cannot read the OpenAPI document",
        source,
    })?;
    let text = utf8_text(path, bytes)?;
    timings.read = start.elapsed();
    load_str_timed(path, &text, timings)
}

/// Loads a document from text; `file` is used for format detection and messages.
pub fn load_str(file: &Path, text: &str) -> Result<Document, Error> {
    load_str_timed(file, text, &mut Timings::default())
}

pub(crate) fn load_str_timed(file: &Path, text: &str, timings: &mut Timings) -> Result<Document, Error> {
    load_str_from(file, text, &Files::Disk, timings)
}

/// Loads a document from text, reading the files its `$ref`s name from `files`.
pub(crate) fn load_str_from(file: &Path, text: &str, files: &Files, timings: &mut Timings) -> Result<Document, Error> {
    let start = Instant::now();
    let value = parse_text(file, text)?;
    timings.parse = start.elapsed();
    load_value_timed(file, value, files, timings)
}

/// Loads an already parsed document.
pub fn load_value(file: &Path, value: Value) -> Result<Document, Error> {
    load_value_timed(file, value, &Files::Disk, &mut Timings::default())
}

fn load_value_timed(file: &Path, mut value: Value, files: &Files, timings: &mut Timings) -> Result<Document, Error> {
    let start = Instant::now();
    let mut warnings = Vec::new();
    let version = check_version(file, &value)?;
    let mut sources = vec![file.to_owned()];
    sources.extend(resolve::resolve(file, &mut value, files, &mut warnings)?);
    normalize::normalize(file, &version, &mut value, &mut warnings)?;
    timings.resolve = start.elapsed();
    let start = Instant::now();
    // Tracking the path costs time on every node; it is only needed to report an error,
    // so the document is read a second time, with the tracking, only when the first fails.
    let api = match openapiv3::OpenAPI::deserialize(&value) {
        Ok(api) => Ok(api),
        Err(_) => serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value),
    };
    let api = api.map_err(|e| {
        // Only now, on the error path: find the innermost failing object (openapiv3's
        // untagged and flattened types lose the path of `e`).
        let (pointer, message) = crate::locate::locate(&value)
            .unwrap_or_else(|| (path_to_pointer(e.path()), format!("not a valid OpenAPI 3.0 object here: {}", e.inner())));
        Error::Invalid {
            file: file.to_owned(),
            location: Location::Pointer(pointer),
            message,
        }
    })?;
    timings.deserialize = start.elapsed();
    Ok(Document {
        file: file.to_owned(),
        raw: value,
        api,
        warnings,
        sources,
    })
}

/// The `openapi` version, after checking it is one we read.
fn check_version(file: &Path, value: &Value) -> Result<String, Error> {
    let Some(obj) = value.as_object() else {
        return Err(Error::invalid(
            file,
            "#",
            format!(
                "expected an OpenAPI document (a mapping with `openapi`, `info` and `paths`), found {}",
                kind_of(value)
            ),
        ));
    };
    if let Some(swagger) = obj.get("swagger") {
        return Err(Error::invalid(
            file,
            "#/swagger",
            format!(
                "this is a Swagger {} document; genauth-codegen reads OpenAPI 3.0 and 3.1. \
                 Convert it first (for example with swagger2openapi)",
                swagger.as_str().map(str::to_owned).unwrap_or_else(|| swagger.to_string())
            ),
        ));
    }
    match obj.get("openapi") {
        None => Err(Error::invalid(
            file,
            "#",
            "missing the `openapi` field; expected e.g. `openapi: 3.0.3`",
        )),
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" || v.starts_with("3.1.") || v == "3.1" => {
            Ok(v.clone())
        }
        Some(Value::String(v)) => Err(Error::invalid(
            file,
            "#/openapi",
            format!("unsupported OpenAPI version `{v}`; expected 3.0.x or 3.1.x"),
        )),
        Some(other) => Err(Error::invalid(
            file,
            "#/openapi",
            format!(
                "expected the version as a string such as \"3.0.3\", found {} {other}",
                kind_of(other)
            ),
        )),
    }
}

/// A short name of a JSON value's kind, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a mapping",
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { variant } => pointer = pointer_push(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}
