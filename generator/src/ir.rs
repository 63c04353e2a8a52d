//! The generator's own model of an API, between the OpenAPI document and Rust tokens.
//!
//! Everything here is ordered (vectors in document order) and every name is final: a
//! valid, unique Rust identifier made by [`crate::naming`]. The emitter reads only this.

use serde_json::Value;

/// Index of a type in [`Ir::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A whole API.
#[derive(Debug, Clone)]
pub struct Ir {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// Server URLs in document order.
    pub servers: Vec<String>,
    /// Whether every JSON response is GenAuth's `{statusCode, message, ...}` envelope.
    pub status_code_envelope: bool,
    /// Named types, in the order they are emitted.
    pub types: Vec<TypeDef>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
}

impl Ir {
    /// The type behind an id.
    pub fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.0)
    }
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where the schema is (JSON pointer), for messages and docs.
    pub pointer: String,
    /// Documentation (Markdown from the document).
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Examples found on the schema, for tests.
    pub examples: Vec<Value>,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(StructDef),
    /// A string enum that keeps unknown values.
    Enum(EnumDef),
    /// Another name for a type (`pub type Name = Target;`).
    Alias(TypeRef),
    /// One of several schemas (`oneOf`/`anyOf`).
    Union(UnionDef),
}

/// A Rust enum for `oneOf`/`anyOf`.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// The property that names the variant (`discriminator.propertyName`, or a property
    /// that every member pins to one value); `None` for an untagged union.
    pub tag: Option<String>,
    /// Variants, in the order serde tries them (untagged) or document order (tagged).
    pub variants: Vec<UnionVariant>,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust name.
    pub ident: String,
    /// The payload type.
    pub ty: TypeRef,
    /// For tagged unions, the tag value that selects this variant.
    pub tag_value: Option<String>,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// Properties not listed (typed `additionalProperties`), kept in a flattened map:
    /// the field's name and the values' type.
    pub additional: Option<(String, TypeRef)>,
    /// Whether `Default` can be derived.
    pub default: bool,
    /// Whether responses use this type: then decoding forgives servers that stray from
    /// the spec (a required field missing or `null`, a number sent as a string).
    pub lenient: bool,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust identifier (possibly raw, e.g. `r#type`).
    pub ident: String,
    /// The property name on the wire.
    pub wire: String,
    /// Documentation.
    pub doc: Option<String>,
    /// The value's type (without the `Option` that optionality adds).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Variants in document order.
    pub variants: Vec<Variant>,
    /// The variant the spec names as default.
    pub default: Option<usize>,
    /// The name of the catch-all variant for values the spec does not list.
    pub unknown: String,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust name.
    pub ident: String,
    /// The value on the wire.
    pub wire: String,
}

/// A reference to a type, as used in a field, parameter, body or response.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `bool`
    Bool,
    /// A signed or unsigned integer of the given width.
    Int(IntKind),
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `String`
    String,
    /// Any JSON value.
    Value,
    /// `Vec<T>`
    Vec(Box<TypeRef>),
    /// A map from string keys.
    Map(Box<TypeRef>),
    /// `Option<T>` inside a container (nullable items or values).
    Option(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
    /// `Box<T>`, where a cycle needs indirection.
    Boxed(Box<TypeRef>),
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum IntKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

/// One API operation: a client method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method name.
    pub ident: String,
    /// `operationId` as written, if any.
    pub operation_id: Option<String>,
    /// The HTTP method (lower case, as in the document).
    pub method: String,
    /// The path template (`/users/{id}`).
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Path parameters, in path order: method arguments.
    pub path_params: Vec<Param>,
    /// Query and header parameters, gathered in a params struct.
    pub params: Option<ParamsDef>,
    /// The request body.
    pub body: Option<Body>,
    /// The success response body type; `None` when there is none.
    pub response: Option<TypeRef>,
    /// The success response's body is not JSON: the method returns the raw response.
    pub raw_response: bool,
    /// When 2xx statuses carry different bodies: the name of the enum the method
    /// returns, and each status (`"200"`, `"2XX"`) with its body.
    pub responses_by_status: Option<(String, Vec<(String, StatusBody)>)>,
    /// Where the operation is (JSON pointer).
    pub pointer: String,
}

/// The body of one success status.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusBody {
    /// No body.
    Empty,
    /// JSON of this type.
    Json(TypeRef),
    /// Something else (bytes, text): handed over as the raw response.
    Raw,
}

/// Query and header parameters of one operation.
#[derive(Debug, Clone)]
pub struct ParamsDef {
    /// The Rust name of the params struct.
    pub name: String,
    /// Parameters in document order.
    pub fields: Vec<Param>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In the query string as `name[key]=value` pairs (`style: deepObject`).
    DeepQuery,
    /// In a header.
    Header,
    /// A field of an `application/x-www-form-urlencoded` body.
    Form,
    /// A part of a `multipart/form-data` body.
    Multipart,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust identifier.
    pub ident: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamIn,
    /// Its type.
    pub ty: TypeRef,
    /// `required: true`.
    pub required: bool,
    /// The spec's default, already checked against the type.
    pub default: Option<Value>,
    /// Documentation.
    pub doc: Option<String>,
    /// Examples.
    pub example: Option<Value>,
    /// Whether a multipart field is a file (`format: binary`).
    pub file: bool,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// How the body is encoded, and its type.
    pub kind: BodyKind,
    /// The media type (`application/json`).
    pub media_type: String,
    /// `required: true`.
    pub required: bool,
}

/// How a request body is encoded.
#[derive(Debug, Clone)]
pub enum BodyKind {
    /// JSON of the given type.
    Json(TypeRef),
    /// A form (`application/x-www-form-urlencoded` or `multipart/form-data`): its fields
    /// are gathered in a struct like query parameters are.
    Form(ParamsDef),
    /// Raw bytes (`application/octet-stream` and other binary types).
    Bytes,
    /// Text (`text/plain` and other text types).
    Text,
}
