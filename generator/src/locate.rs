//! Finds where a document that does not deserialize into `openapiv3` goes wrong.
//!
//! `openapiv3` reads many objects through untagged enums and flattened fields, which
//! buffer their input and so lose the path `serde_path_to_error` tracks: a wrong type deep
//! in an operation would be reported at `#/paths`. When (and only when) the whole
//! document fails, this module deserializes it again piece by piece from the raw value,
//! top-down, following the failing pieces only: the innermost object that fails on its
//! own is the place to report. Within it, the field is found from serde's path, or by
//! leaving out one field at a time. A valid document never comes here.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::pointer_push;

/// The kinds of OpenAPI object the search knows, each read as its `openapiv3` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    Info,
    Server,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Header,
    MediaType,
    Encoding,
    Schema,
    Components,
    SecurityScheme,
    Tag,
    ExternalDocs,
    Example,
    Link,
    Callback,
}

impl Kind {
    /// The name the OpenAPI specification gives the object.
    fn name(self) -> &'static str {
        match self {
            Kind::Document => "the OpenAPI Object",
            Kind::Info => "an Info Object",
            Kind::Server => "a Server Object",
            Kind::Paths => "the Paths Object",
            Kind::PathItem => "a Path Item Object",
            Kind::Operation => "an Operation Object",
            Kind::Parameter => "a Parameter Object",
            Kind::RequestBody => "a Request Body Object",
            Kind::Responses => "a Responses Object",
            Kind::Response => "a Response Object",
            Kind::Header => "a Header Object",
            Kind::MediaType => "a Media Type Object",
            Kind::Encoding => "an Encoding Object",
            Kind::Schema => "a Schema Object",
            Kind::Components => "the Components Object",
            Kind::SecurityScheme => "a Security Scheme Object",
            Kind::Tag => "a Tag Object",
            Kind::ExternalDocs => "an External Documentation Object",
            Kind::Example => "an Example Object",
            Kind::Link => "a Link Object",
            Kind::Callback => "a Callback Object",
        }
    }

    /// Whether a `{"$ref": "..."}` may stand in for the object.
    fn may_be_reference(self) -> bool {
        matches!(
            self,
            Kind::PathItem
                | Kind::Parameter
                | Kind::RequestBody
                | Kind::Response
                | Kind::Header
                | Kind::Schema
                | Kind::SecurityScheme
                | Kind::Example
                | Kind::Link
                | Kind::Callback
        )
    }
}

/// A failure: where, and serde's message.
struct Failure {
    pointer: String,
    message: String,
    kind: Kind,
    /// Whether `pointer` is the object itself rather than one of its fields.
    at_object: bool,
}

type Attempt = Result<(), serde_path_to_error::Error<serde_json::Error>>;

fn attempt_as<T: DeserializeOwned>(v: &Value) -> Attempt {
    serde_path_to_error::deserialize::<_, T>(v).map(drop)
}

fn attempt(kind: Kind, v: &Value) -> Attempt {
    use openapiv3 as oa;
    if kind.may_be_reference() && v.get("$ref").is_some_and(Value::is_string) {
        return Ok(());
    }
    match kind {
        Kind::Document => attempt_as::<oa::OpenAPI>(v),
        Kind::Info => attempt_as::<oa::Info>(v),
        Kind::Server => attempt_as::<oa::Server>(v),
        Kind::Paths => attempt_as::<oa::Paths>(v),
        Kind::PathItem => attempt_as::<oa::PathItem>(v),
        Kind::Operation => attempt_as::<oa::Operation>(v),
        Kind::Parameter => attempt_as::<oa::Parameter>(v),
        Kind::RequestBody => attempt_as::<oa::RequestBody>(v),
        Kind::Responses => attempt_as::<oa::Responses>(v),
        Kind::Response => attempt_as::<oa::Response>(v),
        Kind::Header => attempt_as::<oa::Header>(v),
        Kind::MediaType => attempt_as::<oa::MediaType>(v),
        Kind::Encoding => attempt_as::<oa::Encoding>(v),
        Kind::Schema => attempt_as::<oa::Schema>(v),
        Kind::Components => attempt_as::<oa::Components>(v),
        Kind::SecurityScheme => attempt_as::<oa::SecurityScheme>(v),
        Kind::Tag => attempt_as::<oa::Tag>(v),
        Kind::ExternalDocs => attempt_as::<oa::ExternalDocumentation>(v),
        Kind::Example => attempt_as::<oa::Example>(v),
        Kind::Link => attempt_as::<oa::Link>(v),
        Kind::Callback => attempt_as::<oa::Callback>(v),
    }
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The objects inside one object, with the pointer segments that lead to each.
struct Children<'a> {
    obj: &'a serde_json::Map<String, Value>,
    found: Vec<(Kind, Vec<String>, &'a Value)>,
}

impl<'a> Children<'a> {
    /// `key: child`
    fn one(&mut self, key: &str, kind: Kind) {
        if let Some(c) = self.obj.get(key) {
            self.found.push((kind, vec![key.to_owned()], c));
        }
    }

    /// `key: [child, ...]`
    fn list(&mut self, key: &str, kind: Kind) {
        if let Some(Value::Array(items)) = self.obj.get(key) {
            for (i, c) in items.iter().enumerate() {
                self.found.push((kind, vec![key.to_owned(), i.to_string()], c));
            }
        }
    }

    /// `key: {name: child, ...}`
    fn map(&mut self, key: &str, kind: Kind) {
        if let Some(Value::Object(items)) = self.obj.get(key) {
            for (name, c) in items {
                self.found.push((kind, vec![key.to_owned(), name.clone()], c));
            }
        }
    }

    /// `{name: child, ...}` for the names `keep` accepts.
    fn entries(&mut self, kind: Kind, keep: fn(&str) -> bool) {
        for (name, c) in self.obj.iter().filter(|(k, _)| keep(k)) {
            self.found.push((kind, vec![name.clone()], c));
        }
    }
}

/// The objects inside `v` (a `kind`), with the pointer segments that lead to each.
fn children(kind: Kind, v: &Value) -> Vec<(Kind, Vec<String>, &Value)> {
    let Some(obj) = v.as_object() else { return Vec::new() };
    let mut c = Children { obj, found: Vec::new() };
    match kind {
        Kind::Document => {
            c.one("info", Kind::Info);
            c.list("servers", Kind::Server);
            c.one("paths", Kind::Paths);
            c.one("components", Kind::Components);
            c.list("tags", Kind::Tag);
            c.one("externalDocs", Kind::ExternalDocs);
        }
        Kind::Paths => {
            c.entries(Kind::PathItem, |k| k.starts_with('/'))
        }
        Kind::Callback => {
            c.entries(Kind::PathItem, |_| true)
        }
        Kind::PathItem => {
            for m in METHODS {
                c.one(m, Kind::Operation);
            }
            c.list("parameters", Kind::Parameter);
            c.list("servers", Kind::Server);
        }
        Kind::Operation => {
            c.list("parameters", Kind::Parameter);
            c.one("requestBody", Kind::RequestBody);
            c.one("responses", Kind::Responses);
            c.map("callbacks", Kind::Callback);
            c.list("servers", Kind::Server);
            c.one("externalDocs", Kind::ExternalDocs);
        }
        Kind::Responses => {
            c.entries(Kind::Response, |k| !k.starts_with("x-"))
        }
        Kind::Response => {
            c.map("headers", Kind::Header);
            c.map("content", Kind::MediaType);
            c.map("links", Kind::Link);
        }
        Kind::RequestBody => c.map("content", Kind::MediaType),
        Kind::MediaType => {
            c.one("schema", Kind::Schema);
            c.map("examples", Kind::Example);
            c.map("encoding", Kind::Encoding);
        }
        Kind::Encoding => c.map("headers", Kind::Header),
        Kind::Parameter | Kind::Header => {
            c.one("schema", Kind::Schema);
            c.map("content", Kind::MediaType);
            c.map("examples", Kind::Example);
        }
        Kind::Schema => {
            c.map("properties", Kind::Schema);
            c.one("items", Kind::Schema);
            if obj.get("additionalProperties").is_some_and(Value::is_object) {
                c.one("additionalProperties", Kind::Schema);
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                c.list(key, Kind::Schema);
            }
            c.one("not", Kind::Schema);
            c.one("externalDocs", Kind::ExternalDocs);
        }
        Kind::Components => {
            c.map("schemas", Kind::Schema);
            c.map("responses", Kind::Response);
            c.map("parameters", Kind::Parameter);
            c.map("examples", Kind::Example);
            c.map("requestBodies", Kind::RequestBody);
            c.map("headers", Kind::Header);
            c.map("securitySchemes", Kind::SecurityScheme);
            c.map("links", Kind::Link);
            c.map("callbacks", Kind::Callback);
        }
        Kind::Tag => c.one("externalDocs", Kind::ExternalDocs),
        Kind::Info | Kind::Server | Kind::SecurityScheme | Kind::ExternalDocs | Kind::Example | Kind::Link => {}
    }
    c.found
}

/// Deeper than this the search stops and reports where it is.
const MAX_SEARCH_DEPTH: usize = 512;

fn search(kind: Kind, v: &Value, pointer: &str, depth: usize) -> Option<Failure> {
    let err = attempt(kind, v).err()?;
    if depth < MAX_SEARCH_DEPTH {
        for (child_kind, segments, child) in children(kind, v) {
            let child_pointer = segments.iter().fold(pointer.to_owned(), |p, s| pointer_push(&p, s));
            if let Some(f) = search(child_kind, child, &child_pointer, depth + 1) {
                return Some(f);
            }
        }
    }
    Some(refine(kind, v, pointer, err))
}

/// The failure inside one object that fails although its children do not.
fn refine(kind: Kind, v: &Value, pointer: &str, err: serde_path_to_error::Error<serde_json::Error>) -> Failure {
    let message = err.inner().to_string();
    let mut at = pointer.to_owned();
    let mut path_known = false;
    for segment in err.path().iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => at = pointer_push(&at, &index.to_string()),
            Segment::Map { key } => at = pointer_push(&at, key),
            Segment::Enum { variant } => at = pointer_push(&at, variant),
            Segment::Unknown => continue,
        }
        path_known = true;
    }
    if !path_known {
        // The field whose absence makes the object readable is the culprit.
        if let Some(obj) = v.as_object() {
            for key in obj.keys() {
                let mut without = obj.clone();
                without.remove(key);
                if attempt(kind, &Value::Object(without)).is_ok() {
                    at = pointer_push(pointer, key);
                    break;
                }
            }
        }
    }
    Failure { at_object: at == pointer, pointer: at, message, kind }
}

/// Makes serde's wording about `openapiv3`'s types read in OpenAPI's terms.
fn explain(message: &str) -> String {
    const REPLACEMENTS: &[(&str, &str)] = &[
        ("data did not match any variant of untagged enum AdditionalProperties", "expected `true`, `false` or a schema"),
        ("data did not match any variant of untagged enum ReferenceOr", "expected a `$ref` or an object"),
        ("data did not match any variant of untagged enum ParameterSchemaOrContent", "expected `schema` or `content`"),
        ("expected struct OpenAPI", "expected an OpenAPI Object (a mapping)"),
        ("expected struct PathItem", "expected a Path Item Object (a mapping)"),
        ("expected struct Paths", "expected a Paths Object (a mapping from paths to Path Item Objects)"),
        ("expected struct Operation", "expected an Operation Object (a mapping)"),
        ("expected struct RequestBody", "expected a Request Body Object (a mapping)"),
        ("expected struct Responses", "expected a Responses Object (a mapping from status codes to Response Objects)"),
        ("expected struct Response", "expected a Response Object (a mapping)"),
        ("expected struct MediaType", "expected a Media Type Object (a mapping)"),
        ("expected struct Schema", "expected a Schema Object (a mapping)"),
        ("expected struct Header", "expected a Header Object (a mapping)"),
        ("expected struct Components", "expected a Components Object (a mapping)"),
        ("expected struct Info", "expected an Info Object (a mapping)"),
        ("expected struct Server", "expected a Server Object (a mapping)"),
        ("expected struct Tag", "expected a Tag Object (a mapping)"),
        ("expected struct ", "expected a mapping for "),
        ("expected internally tagged enum Parameter", "expected a Parameter Object (a mapping with `name` and `in`)"),
        ("expected internally tagged enum SecurityScheme", "expected a Security Scheme Object (a mapping with `type`)"),
        ("expected a map", "expected a mapping"),
        ("expected a sequence", "expected a list"),
        ("expected usize", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
    ];
    let mut out = message.to_owned();
    for (from, to) in REPLACEMENTS {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// Where and why `doc` does not read as an OpenAPI 3.0 document: a JSON pointer and a
/// message saying what was expected there. `None` if it reads after all.
pub fn locate(doc: &Value) -> Option<(String, String)> {
    let f = search(Kind::Document, doc, "#", 0)?;
    let message = explain(&f.message);
    if f.at_object && message.contains("Object") {
        return Some((f.pointer, message));
    }
    Some((f.pointer, format!("{message} (in {})", f.kind.name())))
}
