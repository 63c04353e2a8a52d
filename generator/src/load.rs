//! Reading a document: bytes → `serde_json::Value` → version check and normalization →
//! `openapiv3::OpenAPI`. Syntax errors carry `line:column`, everything later a JSON pointer.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{pointer_push, Error, Location, Warning};
use crate::{normalize, resolve, Timings};

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
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        action: "cannot read the OpenAPI document",
        source,
    })?;
    timings.read = start.elapsed();
    load_str_timed(path, &text, timings)
}

fn looks_like_json(file: &Path, text: &str) -> bool {
    match file.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// Parses text into a JSON value, with `line:column` on failure.
pub fn parse_text(file: &Path, text: &str) -> Result<Value, Error> {
    if looks_like_json(file, text) {
        serde_json::from_str(text).map_err(|e| Error::Syntax {
            file: file.to_owned(),
            location: Location::LineColumn {
                line: e.line(),
                column: e.column(),
            },
            message: strip_position(&e.to_string()),
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| Error::Syntax {
            file: file.to_owned(),
            location: match e.location() {
                Some(loc) => Location::LineColumn {
                    line: loc.line(),
                    column: loc.column(),
                },
                None => Location::Document,
            },
            message: strip_position(&e.to_string()),
        })
    }
}

/// Parser messages end with " at line X column Y"; the location is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message[..pos].to_owned(),
        None => message.to_owned(),
    }
}

/// Loads a document from text; `file` is used for format detection and messages.
pub fn load_str(file: &Path, text: &str) -> Result<Document, Error> {
    load_str_timed(file, text, &mut Timings::default())
}

pub(crate) fn load_str_timed(file: &Path, text: &str, timings: &mut Timings) -> Result<Document, Error> {
    let start = Instant::now();
    let value = parse_text(file, text)?;
    timings.parse = start.elapsed();
    load_value_timed(file, value, timings)
}

/// Loads an already parsed document.
pub fn load_value(file: &Path, value: Value) -> Result<Document, Error> {
    load_value_timed(file, value, &mut Timings::default())
}

fn load_value_timed(file: &Path, mut value: Value, timings: &mut Timings) -> Result<Document, Error> {
    let start = Instant::now();
    let mut warnings = Vec::new();
    let version = check_version(file, &value)?;
    let mut sources = vec![file.to_owned()];
    sources.extend(resolve::resolve(file, &mut value, &mut warnings)?);
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
        let pointer = path_to_pointer(e.path());
        Error::Invalid {
            file: file.to_owned(),
            location: Location::Pointer(pointer),
            message: format!("not a valid OpenAPI 3.0 object here: {}", e.inner()),
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
