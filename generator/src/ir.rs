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
    /// The business codes the API documents (`x-genauth-api-codes`), when it does.
    pub api_codes: Option<ApiCodes>,
}

/// The root extension `x-genauth-api-codes`: the envelope's `statusCode` and `apiCode`
/// values an API documents, with what each says about retrying.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiCodes {
    /// The table's `description`.
    pub doc: Option<String>,
    /// `statusCodes`, in document order.
    pub status_codes: Vec<CodeDef>,
    /// `apiCodes`, in document order.
    pub api_codes: Vec<CodeDef>,
}

/// One documented code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeDef {
    /// The number on the wire.
    pub code: i64,
    /// The name as written in the table.
    pub name: String,
    /// The Rust name: an enum variant (`apiCodes`) or a constant (`statusCodes`).
    pub ident: String,
    /// What the table says about retrying.
    pub retry: CodeRetry,
    /// The table's description.
    pub doc: Option<String>,
}

/// The `retry` column of the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRetry {
    /// Trying again gives the same answer.
    Never,
    /// A passing condition: wait, then send again.
    Backoff,
    /// Send again with a fresh signature.
    Resign,
    /// The documentation does not say (treated as `Never`).
    Unknown,
}

/// How an operation pages (`page`/`limit` in, `{totalCount, list}` out).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The name of the companion method that streams the items.
    pub stream_ident: String,
    /// Where the page number goes.
    pub page: PageParamAt,
    /// Where the page size goes.
    pub limit: PageParamAt,
    /// The Rust field names from the response body to `totalCount`.
    pub total: Vec<String>,
    /// The Rust field names from the response body to the list of items.
    pub list: Vec<String>,
    /// The type of one item.
    pub item: TypeRef,
}

/// Where a paging parameter goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageParamAt {
    /// The query parameter of this (wire) name.
    Query(String),
    /// The member of the JSON body at this path of (wire) property names.
    Body(Vec<String>),
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
    /// Whether sending the request twice has the effect of sending it once, so that the
    /// client may retry it after a failure that could have reached the server.
    pub idempotent: bool,
    /// How the operation pages, when it does: it gets a companion stream method.
    pub pagination: Option<Pagination>,
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
    /// In the query string with `explode: false` (`style: form`): a list as one
    /// `name=a,b`, an object as one `name=k1,v1,k2,v2`.
    JoinedQuery,
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

/// Follows aliases (and boxes) to the type they stand for.
pub fn resolve_alias<'t>(types: &'t [TypeDef], t: &'t TypeRef) -> &'t TypeRef {
    let mut current = t;
    // A chain longer than the number of types is a cycle (reported at lowering).
    for _ in 0..=types.len() {
        match current {
            TypeRef::Named(id) => match types.get(id.0).map(|d| &d.kind) {
                Some(TypeKind::Alias(next)) => current = next,
                _ => return current,
            },
            TypeRef::Boxed(inner) => current = inner,
            _ => return current,
        }
    }
    current
}

impl IntKind {
    /// The Rust type's name (`i64`, `u32`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
    }
}

impl TypeRef {
    /// The Rust spelling of the type as the generated crate writes it (named types by
    /// their name in `ir`).
    pub fn rust(&self, ir: &Ir) -> String {
        match self {
            TypeRef::Bool => "bool".to_owned(),
            TypeRef::Int(k) => k.as_str().to_owned(),
            TypeRef::F32 => "f32".to_owned(),
            TypeRef::F64 => "f64".to_owned(),
            TypeRef::String => "String".to_owned(),
            TypeRef::Value => "serde_json::Value".to_owned(),
            TypeRef::Vec(i) => format!("Vec<{}>", i.rust(ir)),
            TypeRef::Map(i) if **i == TypeRef::Value => "serde_json::Map<String, serde_json::Value>".to_owned(),
            TypeRef::Map(i) => format!("std::collections::BTreeMap<String, {}>", i.rust(ir)),
            TypeRef::Option(i) => format!("Option<{}>", i.rust(ir)),
            TypeRef::Named(id) => ir.get(*id).map(|t| t.name.clone()).unwrap_or_else(|| "?".to_owned()),
            TypeRef::Boxed(i) => format!("Box<{}>", i.rust(ir)),
        }
    }

    /// Calls `f` with every named type this reference mentions, at any depth.
    pub fn for_each_named(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) => f(*id),
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Boxed(i) => i.for_each_named(f),
            _ => {}
        }
    }

    /// Calls `f` on every named type id in this reference, to rewrite it.
    pub fn for_each_named_mut(&mut self, f: &mut impl FnMut(&mut TypeId)) {
        match self {
            TypeRef::Named(id) => f(id),
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Boxed(i) => i.for_each_named_mut(f),
            _ => {}
        }
    }
}

impl TypeKind {
    /// Every type reference this type holds (fields, extra properties, alias target,
    /// union variants).
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.iter().map(|(_, t)| t)).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// Every type reference this type holds, to rewrite them.
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(s.additional.iter_mut().map(|(_, t)| t))
                .collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

/// Which side of a call a type reference of an operation is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Path, query and header parameters and request bodies.
    Request,
    /// Response bodies.
    Response,
}

impl Operation {
    /// Every type reference the operation uses, with the side it is on.
    pub fn refs(&self) -> Vec<(Side, &TypeRef)> {
        let mut out: Vec<(Side, &TypeRef)> = Vec::new();
        let params = self.params.iter().flat_map(|p| p.fields.iter());
        out.extend(self.path_params.iter().chain(params).map(|p| (Side::Request, &p.ty)));
        match self.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(t)) => out.push((Side::Request, t)),
            Some(BodyKind::Form(p)) => out.extend(p.fields.iter().map(|f| (Side::Request, &f.ty))),
            _ => {}
        }
        out.extend(self.response.iter().map(|t| (Side::Response, t)));
        for (_, body) in self.responses_by_status.iter().flat_map(|(_, b)| b) {
            if let StatusBody::Json(t) = body {
                out.push((Side::Response, t));
            }
        }
        out.extend(self.pagination.iter().map(|p| (Side::Response, &p.item)));
        out
    }

    /// Every type reference the operation uses, to rewrite them.
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut out: Vec<&mut TypeRef> = Vec::new();
        let params = self.params.iter_mut().flat_map(|p| p.fields.iter_mut());
        out.extend(self.path_params.iter_mut().chain(params).map(|p| &mut p.ty));
        match self.body.as_mut().map(|b| &mut b.kind) {
            Some(BodyKind::Json(t)) => out.push(t),
            Some(BodyKind::Form(p)) => out.extend(p.fields.iter_mut().map(|f| &mut f.ty)),
            _ => {}
        }
        out.extend(self.response.iter_mut());
        for (_, body) in self.responses_by_status.iter_mut().flat_map(|(_, b)| b.iter_mut()) {
            if let StatusBody::Json(t) = body {
                out.push(t);
            }
        }
        out.extend(self.pagination.iter_mut().map(|p| &mut p.item));
        out
    }
}

impl Ir {
    /// Keeps only the types marked in `keep` (indexed by type id), renumbering the ids
    /// everywhere. References to dropped types must not remain.
    pub fn retain_types(&mut self, keep: &[bool]) {
        let mut new_id: Vec<Option<TypeId>> = Vec::with_capacity(keep.len());
        let mut next = 0;
        for k in keep {
            if *k {
                new_id.push(Some(TypeId(next)));
                next += 1;
            } else {
                new_id.push(None);
            }
        }
        let mut remap = |id: &mut TypeId| {
            if let Some(Some(n)) = new_id.get(id.0) {
                *id = *n;
            }
        };
        let types = std::mem::take(&mut self.types);
        self.types = types
            .into_iter()
            .zip(keep.iter().copied().chain(std::iter::repeat(false)))
            .filter(|(_, k)| *k)
            .map(|(mut t, _)| {
                for r in t.kind.refs_mut() {
                    r.for_each_named_mut(&mut remap);
                }
                t
            })
            .collect();
        for op in &mut self.operations {
            for r in op.refs_mut() {
                r.for_each_named_mut(&mut remap);
            }
        }
    }

    /// Marks every type reachable from `roots`, following what each type holds.
    pub fn reachable(&self, roots: impl IntoIterator<Item = TypeId>) -> Vec<bool> {
        let mut seen = vec![false; self.types.len()];
        let mut stack: Vec<TypeId> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            match seen.get_mut(id.0) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            if let Some(t) = self.types.get(id.0) {
                for r in t.kind.refs() {
                    r.for_each_named(&mut |n| stack.push(n));
                }
            }
        }
        seen
    }
}
