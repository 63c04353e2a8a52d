//! From `openapiv3` to the IR: every schema becomes a [`TypeRef`], every operation an
//! [`Operation`]. Names are chosen at the end, in one pass, so that shared inline enums
//! and collisions are resolved with the whole document in view.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use indexmap::IndexMap;
use openapiv3 as oa;
use serde_json::Value;

use crate::error::{pointer_push, Error, Warning};
use crate::ir::*;
use crate::load::Document;
use crate::naming::{self, Namespace};

/// How deep `$ref` chains and `allOf` merges may go before we call it a cycle.
const MAX_REF_DEPTH: usize = 64;

/// Lowers a loaded document into the IR.
pub fn lower(doc: &Document) -> Result<(Ir, Vec<Warning>), Error> {
    let mut l = Lowerer::new(doc);
    l.lower_components()?;
    let operations = l.lower_operations()?;
    l.finish(operations)
}

/// Where a type came from, which decides its name.
#[derive(Debug, Clone)]
enum Origin {
    /// `#/components/schemas/<name>`.
    Component(String),
    /// An inline schema, named from its context.
    Inline,
    /// An inline string enum, possibly shared by several properties of the same name.
    Enum {
        prop: Option<String>,
        parent: String,
        uses: usize,
    },
}

#[derive(Debug)]
struct Draft {
    candidate: String,
    origin: Origin,
    pointer: String,
    doc: Option<String>,
    kind: Option<TypeKind>,
    examples: Vec<Value>,
}

/// Inline enums with the same property name and the same set of values are one type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct EnumKey {
    prop: String,
    values: Vec<String>,
}

/// The naming context of a schema: the name an inline type here would get, and the
/// property (or parameter) it belongs to.
#[derive(Debug, Clone)]
struct Ctx {
    name: String,
    prop: Option<String>,
    parent: String,
}

impl Ctx {
    fn root(name: String) -> Self {
        Ctx {
            parent: name.clone(),
            name,
            prop: None,
        }
    }

    fn property(parent: &str, prop: &str) -> Self {
        Ctx {
            name: format!("{parent}{}", naming::pascal(prop)),
            prop: Some(prop.to_owned()),
            parent: parent.to_owned(),
        }
    }

    fn suffixed(&self, suffix: &str) -> Self {
        Ctx {
            name: format!("{}{suffix}", self.name),
            prop: self.prop.clone(),
            parent: self.parent.clone(),
        }
    }
}

/// The parts of an object schema, gathered across `allOf`.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: Vec<(&'a str, &'a oa::ReferenceOr<Box<oa::Schema>>, String)>,
    required: BTreeSet<&'a str>,
    additional: Option<&'a oa::AdditionalProperties>,
}

/// What a schema is, looked at once so the rest need not care how `openapiv3` split it.
enum Shape<'a> {
    Object,
    Array(Option<&'a oa::ReferenceOr<Box<oa::Schema>>>),
    String(Vec<String>),
    Integer(Option<String>),
    Number(Option<String>),
    Boolean,
    AllOf(&'a [oa::ReferenceOr<oa::Schema>]),
    OneOf(&'a [oa::ReferenceOr<oa::Schema>]),
    Any,
}

fn format_str<T: std::fmt::Debug>(f: &oa::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        oa::VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_ascii_lowercase()),
        oa::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.to_ascii_lowercase()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn shape(schema: &oa::Schema) -> Shape<'_> {
    match &schema.schema_kind {
        oa::SchemaKind::Type(t) => match t {
            oa::Type::String(s) => Shape::String(s.enumeration.iter().flatten().cloned().collect()),
            oa::Type::Integer(i) => Shape::Integer(format_str(&i.format)),
            oa::Type::Number(n) => Shape::Number(format_str(&n.format)),
            oa::Type::Boolean(_) => Shape::Boolean,
            oa::Type::Object(_) => Shape::Object,
            oa::Type::Array(a) => Shape::Array(a.items.as_ref()),
        },
        oa::SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        oa::SchemaKind::OneOf { one_of } => Shape::OneOf(one_of),
        oa::SchemaKind::AnyOf { any_of } => Shape::OneOf(any_of),
        oa::SchemaKind::Not { .. } => Shape::Any,
        oa::SchemaKind::Any(any) => {
            let typ = any.typ.as_deref();
            if !any.all_of.is_empty() {
                Shape::AllOf(&any.all_of)
            } else if !any.one_of.is_empty() {
                Shape::OneOf(&any.one_of)
            } else if !any.any_of.is_empty() {
                Shape::OneOf(&any.any_of)
            } else if typ == Some("object") || !any.properties.is_empty() || any.additional_properties.is_some() {
                Shape::Object
            } else if typ == Some("array") || any.items.is_some() {
                Shape::Array(any.items.as_ref())
            } else if typ == Some("string")
                || (typ.is_none() && !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string() || v.is_null()))
            {
                Shape::String(any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            } else if typ == Some("integer") {
                Shape::Integer(any.format.clone())
            } else if typ == Some("number") {
                Shape::Number(any.format.clone())
            } else if typ == Some("boolean") {
                Shape::Boolean
            } else {
                Shape::Any
            }
        }
    }
}

/// Whether a schema says nothing about the value's shape (only docs, examples, ...).
fn is_unconstrained(schema: &oa::Schema) -> bool {
    match &schema.schema_kind {
        oa::SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}

/// An object schema's `properties`, `required` and `additionalProperties`.
type ObjectFields<'a> = (
    &'a IndexMap<String, oa::ReferenceOr<Box<oa::Schema>>>,
    &'a [String],
    Option<&'a oa::AdditionalProperties>,
);

fn object_fields(schema: &oa::Schema) -> Option<ObjectFields<'_>> {
    match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::Object(o)) => Some((&o.properties, &o.required, o.additional_properties.as_ref())),
        oa::SchemaKind::Any(any) => Some((&any.properties, &any.required, any.additional_properties.as_ref())),
        _ => None,
    }
}

fn int_kind(format: Option<&str>) -> IntKind {
    match format {
        Some("int8") => IntKind::I8,
        Some("int16") => IntKind::I16,
        Some("int32") => IntKind::I32,
        Some("uint8") => IntKind::U8,
        Some("uint16") => IntKind::U16,
        Some("uint32") => IntKind::U32,
        Some("uint64") | Some("uint") => IntKind::U64,
        _ => IntKind::I64,
    }
}

struct Lowerer<'a> {
    doc: &'a Document,
    file: &'a Path,
    drafts: Vec<Draft>,
    components: IndexMap<&'a str, TypeId>,
    enums: BTreeMap<EnumKey, TypeId>,
    warnings: Vec<Warning>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Document) -> Self {
        Lowerer {
            doc,
            file: &doc.file,
            drafts: Vec::new(),
            components: IndexMap::new(),
            enums: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    fn warn(&mut self, code: &'static str, pointer: &str, message: String, hint: &'static str) {
        self.warnings.push(Warning {
            code,
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            message,
            hint,
        });
    }

    fn new_draft(&mut self, candidate: String, origin: Origin, pointer: &str, doc: Option<String>) -> TypeId {
        let id = TypeId(self.drafts.len());
        self.drafts.push(Draft {
            candidate,
            origin,
            pointer: pointer.to_owned(),
            doc,
            kind: None,
            examples: Vec::new(),
        });
        id
    }

    fn set_kind(&mut self, id: TypeId, kind: TypeKind) {
        if let Some(d) = self.drafts.get_mut(id.0) {
            d.kind = Some(kind);
        }
    }

    fn schemas(&self) -> Option<&'a IndexMap<String, oa::ReferenceOr<oa::Schema>>> {
        self.doc.api.components.as_ref().map(|c| &c.schemas)
    }

    // ----- components -------------------------------------------------------------

    fn lower_components(&mut self) -> Result<(), Error> {
        let Some(schemas) = self.schemas() else { return Ok(()) };
        for name in schemas.keys() {
            let pointer = pointer_push("#/components/schemas", name);
            let id = self.new_draft(naming::type_name(name), Origin::Component(name.clone()), &pointer, None);
            self.components.insert(name.as_str(), id);
        }
        for (name, schema) in schemas {
            let Some(&id) = self.components.get(name.as_str()) else { continue };
            let pointer = pointer_push("#/components/schemas", name);
            let candidate = naming::type_name(name);
            let kind = match schema {
                oa::ReferenceOr::Reference { reference } => {
                    let target = self.resolve_schema_ref(reference, &pointer)?;
                    TypeKind::Alias(target)
                }
                oa::ReferenceOr::Item(schema) => {
                    if let Some(d) = self.drafts.get_mut(id.0) {
                        d.doc = schema.schema_data.description.clone().or_else(|| schema.schema_data.title.clone());
                        d.examples.extend(schema.schema_data.example.clone());
                    }
                    self.named_kind(schema, &Ctx::root(candidate), &pointer)?
                }
            };
            self.set_kind(id, kind);
        }
        Ok(())
    }

    /// The kind of a type that has a name of its own (a component or an inline object).
    fn named_kind(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeKind, Error> {
        match shape(schema) {
            Shape::Object | Shape::AllOf(_) => {
                if let Some(kind) = self.struct_kind(schema, ctx, pointer)? {
                    return Ok(kind);
                }
                Ok(TypeKind::Alias(self.type_of(schema, ctx, pointer)?))
            }
            Shape::String(values) if !values.is_empty() => {
                Ok(self.enum_def(&values, schema.schema_data.default.as_ref(), pointer))
            }
            _ => Ok(TypeKind::Alias(self.type_of(schema, ctx, pointer)?)),
        }
    }

    /// A struct for an object schema (or an `allOf` of objects); `None` when the schema
    /// is better seen as another type (a map, or a single-member `allOf` wrapper).
    fn struct_kind(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<Option<TypeKind>, Error> {
        if let Shape::AllOf(members) = shape(schema) {
            if self.single_member(members).is_some() && object_fields(schema).is_none_or(|(p, _, _)| p.is_empty()) {
                return Ok(None);
            }
        }
        let mut parts = ObjectParts::default();
        if !self.gather_object(schema, pointer, &mut parts, 0)? {
            return Ok(None);
        }
        if parts.properties.is_empty() && parts.additional.is_some() {
            return Ok(None);
        }
        let mut fields = Vec::with_capacity(parts.properties.len());
        let mut idents = Namespace::new();
        let mut seen = BTreeSet::new();
        for (wire, prop, prop_pointer) in parts.properties {
            if !seen.insert(wire) {
                continue;
            }
            let pctx = Ctx::property(&ctx.name, wire);
            let ty = self.type_of_ref(prop_box_as_ref(prop), &pctx, &prop_pointer)?;
            let (doc, nullable, deprecated) = match prop {
                oa::ReferenceOr::Item(s) => (
                    field_doc(s),
                    s.schema_data.nullable,
                    s.schema_data.deprecated,
                ),
                oa::ReferenceOr::Reference { .. } => (None, false, false),
            };
            fields.push(Field {
                ident: idents.claim(naming::field_ident(wire)),
                wire: wire.to_owned(),
                doc,
                ty,
                required: parts.required.contains(wire),
                nullable,
                deprecated,
            });
        }
        Ok(Some(TypeKind::Struct(StructDef { fields, default: false })))
    }

    /// The one member of an `allOf` that carries a type, when the others only add docs.
    fn single_member(&self, members: &'a [oa::ReferenceOr<oa::Schema>]) -> Option<&'a oa::ReferenceOr<oa::Schema>> {
        let mut typed = members.iter().filter(|m| match m {
            oa::ReferenceOr::Reference { .. } => true,
            oa::ReferenceOr::Item(s) => !is_unconstrained(s),
        });
        let first = typed.next()?;
        if typed.next().is_some() {
            None
        } else {
            Some(first)
        }
    }

    /// Collects properties of `schema` and everything it `allOf`s. Returns false when a
    /// member is not an object.
    fn gather_object(&mut self, schema: &'a oa::Schema, pointer: &str, parts: &mut ObjectParts<'a>, depth: usize) -> Result<bool, Error> {
        if depth > MAX_REF_DEPTH {
            return Err(Error::invalid(self.file, pointer, "`allOf` nests or refers back to itself too deeply; expected a finite chain of object schemas"));
        }
        let members: &'a [oa::ReferenceOr<oa::Schema>] = match &schema.schema_kind {
            oa::SchemaKind::AllOf { all_of } => all_of,
            oa::SchemaKind::Any(any) => &any.all_of,
            _ => &[],
        };
        for (i, member) in members.iter().enumerate() {
            let mpointer = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            let (target, tpointer) = match member {
                oa::ReferenceOr::Reference { reference } => self.component_schema(reference, &mpointer)?,
                oa::ReferenceOr::Item(s) => (s, mpointer),
            };
            if is_unconstrained(target) {
                continue;
            }
            if !self.gather_object(target, &tpointer, parts, depth + 1)? {
                return Ok(false);
            }
        }
        match shape(schema) {
            Shape::Object | Shape::AllOf(_) => {}
            _ => return Ok(false),
        }
        if let Some((props, required, additional)) = object_fields(schema) {
            for (name, prop) in props {
                let p = pointer_push(&pointer_push(pointer, "properties"), name);
                parts.properties.push((name.as_str(), prop, p));
            }
            parts.required.extend(required.iter().map(String::as_str));
            if additional.is_some() {
                parts.additional = additional;
            }
        }
        Ok(true)
    }

    /// Follows a `$ref` to a component schema (through chains of references).
    fn component_schema(&mut self, reference: &str, pointer: &str) -> Result<(&'a oa::Schema, String), Error> {
        let mut reference = reference.to_owned();
        for _ in 0..MAX_REF_DEPTH {
            let name = self.component_name(&reference, pointer)?;
            let schema = self.schemas().and_then(|s| s.get(name.as_str()));
            match schema {
                Some(oa::ReferenceOr::Item(s)) => return Ok((s, pointer_push("#/components/schemas", &name))),
                Some(oa::ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => return Err(self.dangling(&reference, pointer)),
            }
        }
        Err(Error::invalid(self.file, pointer, format!("`$ref: {reference}` is part of a reference cycle with no schema in it; expected the chain to end at a schema")))
    }

    fn component_name(&self, reference: &str, pointer: &str) -> Result<String, Error> {
        match reference.strip_prefix("#/components/schemas/") {
            Some(rest) if !rest.contains('/') => Ok(crate::error::pointer_unescape(rest)),
            _ => Err(Error::invalid(
                self.file,
                pointer,
                format!("unsupported `$ref: {reference}`; expected a reference to `#/components/schemas/<name>`"),
            )),
        }
    }

    fn dangling(&self, reference: &str, pointer: &str) -> Error {
        Error::invalid(
            self.file,
            &pointer_push(pointer, "$ref"),
            format!("`{reference}` does not exist in this document; expected the name of a schema under #/components/schemas"),
        )
    }

    fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let name = self.component_name(reference, pointer)?;
        match self.components.get(name.as_str()) {
            Some(&id) => Ok(TypeRef::Named(id)),
            None => Err(self.dangling(reference, pointer)),
        }
    }

    // ----- schemas in use -----------------------------------------------------------

    fn type_of_ref(&mut self, schema: RefOrSchema<'a>, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
        match schema {
            RefOrSchema::Ref(reference) => self.resolve_schema_ref(reference, pointer),
            RefOrSchema::Item(schema) => self.type_of(schema, ctx, pointer),
        }
    }

    /// The type of a schema used in place (a property, parameter, body, item ...).
    fn type_of(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
        Ok(match shape(schema) {
            Shape::Boolean => TypeRef::Bool,
            Shape::Integer(format) => TypeRef::Int(int_kind(format.as_deref())),
            Shape::Number(format) => match format.as_deref() {
                Some("float") => TypeRef::F32,
                Some("int32") | Some("int64") | Some("integer") => TypeRef::Int(int_kind(format.as_deref())),
                _ => TypeRef::F64,
            },
            Shape::String(values) if values.is_empty() => TypeRef::String,
            Shape::String(values) => self.inline_enum(&values, schema, ctx, pointer),
            Shape::Array(items) => {
                let item_ctx = ctx.suffixed("Item");
                let ipointer = pointer_push(pointer, "items");
                let inner = match items {
                    Some(items) => {
                        let nullable = matches!(items, oa::ReferenceOr::Item(s) if s.schema_data.nullable);
                        let t = self.type_of_ref(prop_box_as_ref(items), &item_ctx, &ipointer)?;
                        if nullable {
                            TypeRef::Option(Box::new(t))
                        } else {
                            t
                        }
                    }
                    None => TypeRef::Value,
                };
                TypeRef::Vec(Box::new(inner))
            }
            Shape::Object => {
                let Some((props, _, additional)) = object_fields(schema) else {
                    return Ok(TypeRef::Map(Box::new(TypeRef::Value)));
                };
                if props.is_empty() {
                    match additional {
                        Some(oa::AdditionalProperties::Schema(s)) => {
                            let vctx = ctx.suffixed("Value");
                            let vpointer = pointer_push(pointer, "additionalProperties");
                            let inner = match s.as_ref() {
                                oa::ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, &vpointer)?,
                                oa::ReferenceOr::Item(s) => self.type_of(s, &vctx, &vpointer)?,
                            };
                            TypeRef::Map(Box::new(inner))
                        }
                        _ => TypeRef::Map(Box::new(TypeRef::Value)),
                    }
                } else {
                    self.inline_struct(schema, ctx, pointer)?
                }
            }
            Shape::AllOf(members) => {
                if let Some(member) = self.single_member(members) {
                    let own_props = object_fields(schema).is_some_and(|(p, _, _)| !p.is_empty());
                    if !own_props {
                        let idx = members.iter().position(|m| std::ptr::eq(m, member)).unwrap_or(0);
                        let mpointer = pointer_push(&pointer_push(pointer, "allOf"), &idx.to_string());
                        return match member {
                            oa::ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, &mpointer),
                            oa::ReferenceOr::Item(s) => self.type_of(s, ctx, &mpointer),
                        };
                    }
                }
                self.inline_struct(schema, ctx, pointer)?
            }
            Shape::OneOf(members) => {
                self.warn(
                    "W002",
                    pointer,
                    format!(
                        "`oneOf`/`anyOf` with {} members is not turned into a Rust enum yet; the value is kept as `serde_json::Value`",
                        members.len()
                    ),
                    "use a single schema, or read the value with serde_json",
                );
                TypeRef::Value
            }
            Shape::Any => TypeRef::Value,
        })
    }

    fn inline_struct(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
        let id = self.new_draft(ctx.name.clone(), Origin::Inline, pointer, schema.schema_data.title.clone());
        if let Some(d) = self.drafts.get_mut(id.0) {
            d.examples.extend(schema.schema_data.example.clone());
        }
        let kind = match self.struct_kind(schema, ctx, pointer)? {
            Some(kind) => kind,
            None => TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Value))),
        };
        self.set_kind(id, kind);
        Ok(TypeRef::Named(id))
    }

    fn enum_def(&mut self, values: &[String], default: Option<&Value>, pointer: &str) -> TypeKind {
        let mut names = Namespace::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let mut variants = Vec::with_capacity(values.len());
        for v in values {
            if !seen.insert(v.as_str()) {
                continue;
            }
            let mut ident = naming::variant_name(v);
            if ident == "Unknown" {
                ident.push_str("Value");
            }
            variants.push(Variant {
                ident: names.claim(ident),
                wire: v.clone(),
            });
        }
        let default = self.enum_default(&variants, default, pointer);
        TypeKind::Enum(EnumDef {
            variants,
            default,
            unknown: "Unknown".to_owned(),
        })
    }

    fn enum_default(&mut self, variants: &[Variant], default: Option<&Value>, pointer: &str) -> Option<usize> {
        let default = default?;
        let found = default.as_str().and_then(|d| variants.iter().position(|v| v.wire == d));
        if found.is_none() {
            self.warn(
                "W003",
                &pointer_push(pointer, "default"),
                format!("default {default} is not one of the enum's values; it is ignored"),
                "make `default` one of the values listed in `enum`",
            );
        }
        found
    }

    fn inline_enum(&mut self, values: &[String], schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> TypeRef {
        let default = schema.schema_data.default.as_ref();
        let key = ctx.prop.as_ref().map(|prop| {
            let mut sorted: Vec<String> = values.to_vec();
            sorted.sort();
            sorted.dedup();
            EnumKey {
                prop: prop.clone(),
                values: sorted,
            }
        });
        if let Some(id) = key.as_ref().and_then(|k| self.enums.get(k)).copied() {
            let mut merged_default = None;
            if let Some(d) = self.drafts.get_mut(id.0) {
                if let Origin::Enum { uses, .. } = &mut d.origin {
                    *uses += 1;
                }
                if d.doc.is_none() {
                    d.doc = schema.schema_data.description.clone();
                }
                if let Some(TypeKind::Enum(e)) = &d.kind {
                    if e.default.is_none() {
                        merged_default = Some(e.variants.clone());
                    }
                }
            }
            if let (Some(variants), Some(_)) = (merged_default, default) {
                let idx = self.enum_default(&variants, default, pointer);
                if let Some(TypeKind::Enum(e)) = self.drafts.get_mut(id.0).and_then(|d| d.kind.as_mut()) {
                    e.default = idx;
                }
            }
            return TypeRef::Named(id);
        }
        let id = self.new_draft(
            ctx.name.clone(),
            Origin::Enum {
                prop: ctx.prop.clone(),
                parent: ctx.parent.clone(),
                uses: 1,
            },
            pointer,
            schema.schema_data.description.clone(),
        );
        let kind = self.enum_def(values, default, pointer);
        self.set_kind(id, kind);
        if let Some(k) = key {
            self.enums.insert(k, id);
        }
        TypeRef::Named(id)
    }

    // ----- operations ----------------------------------------------------------------

    fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut ops = Vec::new();
        let mut names = Namespace::with_reserved(&["new", "client", "from_client", "with_envelope"]);
        let paths = &self.doc.api.paths.paths;
        for (path, item) in paths {
            let item_pointer = pointer_push("#/paths", path);
            let item = match item {
                oa::ReferenceOr::Item(item) => item,
                oa::ReferenceOr::Reference { reference } => {
                    self.warn(
                        "W004",
                        &item_pointer,
                        format!("path item `$ref: {reference}` is not followed; its operations are left out"),
                        "write the operations under the path directly",
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = pointer_push(&item_pointer, method);
                let base = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => naming::method_name(id),
                    _ => naming::method_name_from_path(method, path),
                };
                let ident = names.claim(base.clone());
                if ident != base {
                    self.warn(
                        "W005",
                        &pointer,
                        format!(
                            "method name `{}` is already taken by an earlier operation; this one is `{}`",
                            naming::unraw(&base),
                            naming::unraw(&ident)
                        ),
                        "give the operations distinct operationIds",
                    );
                }
                ops.push(self.lower_operation(ident, method, path, item, op, &pointer)?);
            }
        }
        Ok(ops)
    }

    fn resolve_parameter(&self, p: &'a oa::ReferenceOr<oa::Parameter>, pointer: &str) -> Result<&'a oa::Parameter, Error> {
        let mut current = p;
        for _ in 0..MAX_REF_DEPTH {
            match current {
                oa::ReferenceOr::Item(p) => return Ok(p),
                oa::ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/parameters/").map(crate::error::pointer_unescape);
                    let found = name.as_deref().and_then(|n| self.doc.api.components.as_ref()?.parameters.get(n));
                    match found {
                        Some(next) => current = next,
                        None => {
                            return Err(Error::invalid(
                                self.file,
                                &pointer_push(pointer, "$ref"),
                                format!("`{reference}` does not exist; expected a parameter under #/components/parameters"),
                            ))
                        }
                    }
                }
            }
        }
        Err(Error::invalid(self.file, pointer, "parameter references form a cycle"))
    }

    fn lower_operation(
        &mut self,
        ident: String,
        method: &str,
        path: &str,
        item: &'a oa::PathItem,
        op: &'a oa::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let op_name = naming::pascal(&ident);
        // Path-level parameters first, then the operation's own, which override by (name, in).
        let mut params: Vec<(&'a oa::Parameter, String)> = Vec::new();
        for (i, p) in item.parameters.iter().enumerate() {
            let ppointer = pointer_push(&pointer_push(pointer.rsplit_once('/').map_or(pointer, |(a, _)| a), "parameters"), &i.to_string());
            params.push((self.resolve_parameter(p, &ppointer)?, ppointer));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ppointer = pointer_push(&pointer_push(pointer, "parameters"), &i.to_string());
            let p = self.resolve_parameter(p, &ppointer)?;
            let key = (p.parameter_data_ref().name.as_str(), std::mem::discriminant(p));
            params.retain(|(q, _)| (q.parameter_data_ref().name.as_str(), std::mem::discriminant(*q)) != key);
            params.push((p, ppointer));
        }

        let mut args = Namespace::with_reserved(&["params", "body", "self"]);
        let mut fields_ns = Namespace::new();
        let mut path_params = Vec::new();
        let mut fields = Vec::new();
        for (p, ppointer) in params {
            let location = match p {
                oa::Parameter::Path { .. } => ParamIn::Path,
                oa::Parameter::Query { .. } => ParamIn::Query,
                oa::Parameter::Header { .. } => ParamIn::Header,
                oa::Parameter::Cookie { .. } => {
                    self.warn(
                        "W006",
                        &ppointer,
                        format!("cookie parameter `{}` is not supported; it is left out", p.parameter_data_ref().name),
                        "send the cookie through a custom transport",
                    );
                    continue;
                }
            };
            let data = p.parameter_data_ref();
            let ctx = Ctx::property(&op_name, &data.name);
            let (ty, default) = match &data.format {
                oa::ParameterSchemaOrContent::Schema(s) => {
                    let spointer = pointer_push(&ppointer, "schema");
                    let ty = self.type_of_ref(RefOrSchema::from(s), &ctx, &spointer)?;
                    let default = match s {
                        oa::ReferenceOr::Item(s) => s.schema_data.default.clone(),
                        _ => None,
                    };
                    (ty, default)
                }
                oa::ParameterSchemaOrContent::Content(content) => {
                    let schema = content.values().next().and_then(|m| m.schema.as_ref());
                    match schema {
                        Some(s) => (self.type_of_ref(RefOrSchema::from(s), &ctx, &pointer_push(&ppointer, "content"))?, None),
                        None => (TypeRef::String, None),
                    }
                }
            };
            let default = match default {
                Some(d) if self.default_fits(&ty, &d) => Some(d),
                Some(d) => {
                    self.warn(
                        "W007",
                        &pointer_push(&pointer_push(&ppointer, "schema"), "default"),
                        format!("default {d} does not match the parameter's type; it is ignored"),
                        "make `default` a value of the parameter's type",
                    );
                    None
                }
                None => None,
            };
            let required = data.required || location == ParamIn::Path;
            let param = Param {
                ident: String::new(),
                wire: data.name.clone(),
                location,
                ty,
                required,
                default,
                doc: data.description.clone(),
                example: data.example.clone(),
            };
            if location == ParamIn::Path {
                path_params.push(Param {
                    ident: args.claim(naming::field_ident(&data.name)),
                    ..param
                });
            } else {
                fields.push(Param {
                    ident: fields_ns.claim(naming::field_ident(&data.name)),
                    ..param
                });
            }
        }
        // Path parameters in the order they appear in the template.
        path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));

        let params = if fields.is_empty() {
            None
        } else {
            Some(ParamsDef {
                name: format!("{op_name}Params"),
                fields,
            })
        };

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let bpointer = pointer_push(pointer, "requestBody");
                let rb = self.resolve_request_body(rb, &bpointer)?;
                self.lower_body(rb, &op_name, &bpointer)?
            }
        };

        let response = self.lower_response(op, &op_name, pointer)?;

        Ok(Operation {
            ident,
            operation_id: op.operation_id.clone(),
            method: method.to_owned(),
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            path_params,
            params,
            body,
            response,
            pointer: pointer.to_owned(),
        })
    }

    fn resolve_request_body(&self, rb: &'a oa::ReferenceOr<oa::RequestBody>, pointer: &str) -> Result<&'a oa::RequestBody, Error> {
        let mut current = rb;
        for _ in 0..MAX_REF_DEPTH {
            match current {
                oa::ReferenceOr::Item(b) => return Ok(b),
                oa::ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/requestBodies/").map(crate::error::pointer_unescape);
                    match name.as_deref().and_then(|n| self.doc.api.components.as_ref()?.request_bodies.get(n)) {
                        Some(next) => current = next,
                        None => {
                            return Err(Error::invalid(
                                self.file,
                                &pointer_push(pointer, "$ref"),
                                format!("`{reference}` does not exist; expected a request body under #/components/requestBodies"),
                            ))
                        }
                    }
                }
            }
        }
        Err(Error::invalid(self.file, pointer, "request body references form a cycle"))
    }

    fn resolve_response(&self, r: &'a oa::ReferenceOr<oa::Response>, pointer: &str) -> Result<&'a oa::Response, Error> {
        let mut current = r;
        for _ in 0..MAX_REF_DEPTH {
            match current {
                oa::ReferenceOr::Item(b) => return Ok(b),
                oa::ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/responses/").map(crate::error::pointer_unescape);
                    match name.as_deref().and_then(|n| self.doc.api.components.as_ref()?.responses.get(n)) {
                        Some(next) => current = next,
                        None => {
                            return Err(Error::invalid(
                                self.file,
                                &pointer_push(pointer, "$ref"),
                                format!("`{reference}` does not exist; expected a response under #/components/responses"),
                            ))
                        }
                    }
                }
            }
        }
        Err(Error::invalid(self.file, pointer, "response references form a cycle"))
    }

    fn lower_body(&mut self, rb: &'a oa::RequestBody, op_name: &str, pointer: &str) -> Result<Option<Body>, Error> {
        let Some((media_type, media)) = pick_json(&rb.content) else {
            if let Some((media_type, _)) = rb.content.first() {
                self.warn(
                    "W008",
                    &pointer_push(pointer, "content"),
                    format!("request body media type `{media_type}` is not supported yet; the operation takes no body"),
                    "offer an application/json body",
                );
            }
            return Ok(None);
        };
        let mpointer = pointer_push(&pointer_push(pointer, "content"), media_type);
        let ty = match &media.schema {
            Some(s) => self.type_of_ref(RefOrSchema::from(s), &Ctx::root(format!("{op_name}Body")), &pointer_push(&mpointer, "schema"))?,
            None => TypeRef::Value,
        };
        Ok(Some(Body {
            ty,
            media_type: media_type.to_owned(),
            required: rb.required,
        }))
    }

    fn lower_response(&mut self, op: &'a oa::Operation, op_name: &str, pointer: &str) -> Result<Option<TypeRef>, Error> {
        let rpointer = pointer_push(pointer, "responses");
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            oa::StatusCode::Code(c) => (200..300).contains(c),
            oa::StatusCode::Range(r) => *r == 2,
        });
        let Some((code, response)) = success else { return Ok(None) };
        let cpointer = pointer_push(&rpointer, &code.to_string());
        let response = self.resolve_response(response, &cpointer)?;
        let Some((media_type, media)) = pick_json(&response.content) else { return Ok(None) };
        let mpointer = pointer_push(&pointer_push(&cpointer, "content"), media_type);
        match &media.schema {
            Some(s) => Ok(Some(self.type_of_ref(RefOrSchema::from(s), &Ctx::root(format!("{op_name}Response")), &pointer_push(&mpointer, "schema"))?)),
            None => Ok(Some(TypeRef::Value)),
        }
    }

    /// Whether a spec default can be written as a value of `ty`.
    fn default_fits(&self, ty: &TypeRef, value: &Value) -> bool {
        match (ty, value) {
            (TypeRef::Bool, Value::Bool(_)) => true,
            (TypeRef::Int(_), Value::Number(n)) => n.is_i64() || n.is_u64(),
            (TypeRef::F32 | TypeRef::F64, Value::Number(_)) => true,
            (TypeRef::String, Value::String(_)) => true,
            (TypeRef::Vec(inner), Value::Array(items)) => items.iter().all(|i| self.default_fits(inner, i)),
            (TypeRef::Named(id), Value::String(s)) => match self.drafts.get(id.0).and_then(|d| d.kind.as_ref()) {
                Some(TypeKind::Enum(e)) => e.variants.iter().any(|v| &v.wire == s),
                _ => false,
            },
            _ => false,
        }
    }

    // ----- the end: names, defaults, boxes -----------------------------------------------

    fn finish(mut self, mut operations: Vec<Operation>) -> Result<(Ir, Vec<Warning>), Error> {
        // Names: components first, in document order, then inline types in discovery order.
        let mut per_prop: BTreeMap<String, usize> = BTreeMap::new();
        for d in &self.drafts {
            if let Origin::Enum { prop: Some(p), .. } = &d.origin {
                *per_prop.entry(p.clone()).or_default() += 1;
            }
        }
        let mut types_ns = Namespace::new();
        let mut names = Vec::with_capacity(self.drafts.len());
        for d in &self.drafts {
            let candidate = match &d.origin {
                Origin::Component(name) => naming::type_name(name),
                Origin::Inline => naming::type_name(&d.candidate),
                Origin::Enum { prop: Some(prop), uses, parent } => {
                    if *uses > 1 && per_prop.get(prop).copied() == Some(1) {
                        naming::type_name(prop)
                    } else {
                        naming::type_name(&format!("{parent}{}", naming::pascal(prop)))
                    }
                }
                Origin::Enum { prop: None, .. } => naming::type_name(&d.candidate),
            };
            names.push(candidate);
        }
        // Components keep their plain names ahead of inline types.
        let mut finals = vec![String::new(); names.len()];
        for (i, d) in self.drafts.iter().enumerate() {
            if matches!(d.origin, Origin::Component(_)) {
                if let (Some(slot), Some(n)) = (finals.get_mut(i), names.get(i)) {
                    *slot = types_ns.claim(n.clone());
                }
            }
        }
        for (i, d) in self.drafts.iter().enumerate() {
            if !matches!(d.origin, Origin::Component(_)) {
                if let (Some(slot), Some(n)) = (finals.get_mut(i), names.get(i)) {
                    *slot = types_ns.claim(n.clone());
                }
            }
        }
        // Params structs share the type namespace.
        for op in &mut operations {
            if let Some(p) = &mut op.params {
                p.name = types_ns.claim(naming::type_name(&p.name));
            }
        }

        let mut types: Vec<TypeDef> = Vec::with_capacity(self.drafts.len());
        for (d, name) in self.drafts.drain(..).zip(finals) {
            types.push(TypeDef {
                name,
                pointer: d.pointer,
                doc: d.doc,
                kind: d.kind.unwrap_or(TypeKind::Alias(TypeRef::Value)),
                examples: d.examples,
            });
        }
        check_alias_cycles(&types, self.file)?;
        box_cycles(&mut types);
        compute_defaults(&mut types);

        let status_code_envelope = detect_envelope(&types, &operations);
        let api = &self.doc.api;
        let ir = Ir {
            title: api.info.title.clone(),
            description: api.info.description.clone(),
            version: api.info.version.clone(),
            servers: api.servers.iter().map(|s| s.url.clone()).collect(),
            status_code_envelope,
            types,
            operations,
        };
        Ok((ir, self.warnings))
    }
}

/// A reference or an inline schema, whichever container `openapiv3` used.
#[derive(Clone, Copy)]
enum RefOrSchema<'a> {
    Ref(&'a str),
    Item(&'a oa::Schema),
}

impl<'a> From<&'a oa::ReferenceOr<oa::Schema>> for RefOrSchema<'a> {
    fn from(r: &'a oa::ReferenceOr<oa::Schema>) -> Self {
        match r {
            oa::ReferenceOr::Reference { reference } => RefOrSchema::Ref(reference),
            oa::ReferenceOr::Item(s) => RefOrSchema::Item(s),
        }
    }
}

fn prop_box_as_ref(r: &oa::ReferenceOr<Box<oa::Schema>>) -> RefOrSchema<'_> {
    match r {
        oa::ReferenceOr::Reference { reference } => RefOrSchema::Ref(reference),
        oa::ReferenceOr::Item(s) => RefOrSchema::Item(s),
    }
}

fn field_doc(s: &oa::Schema) -> Option<String> {
    s.schema_data.description.clone().or_else(|| s.schema_data.title.clone())
}

/// The JSON media type of a content map, if it has one.
fn pick_json(content: &IndexMap<String, oa::MediaType>) -> Option<(&str, &oa::MediaType)> {
    content
        .iter()
        .find(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == "application/json" || k.starts_with("application/json;")
        })
        .or_else(|| content.iter().find(|(k, _)| k.to_ascii_lowercase().contains("json")))
        .map(|(k, v)| (k.as_str(), v))
}

/// `type A = B; type B = A;` can never be written; report it.
fn check_alias_cycles(types: &[TypeDef], file: &Path) -> Result<(), Error> {
    for (start, t) in types.iter().enumerate() {
        let mut current = t;
        let mut steps = 0;
        while let TypeKind::Alias(TypeRef::Named(next)) = &current.kind {
            if next.0 == start || steps > types.len() {
                return Err(Error::invalid(
                    file,
                    &t.pointer,
                    "this schema is part of a `$ref` cycle with no object in it, so it has no values; expected the chain to end at a schema with a type",
                ));
            }
            match types.get(next.0) {
                Some(n) => current = n,
                None => break,
            }
            steps += 1;
        }
    }
    Ok(())
}

/// The named types a type reference holds directly (not behind `Vec`, a map or a `Box`).
fn direct_refs(t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Option(inner) => direct_refs(inner, out),
        _ => {}
    }
}

/// Breaks every cycle of by-value containment with a `Box`, on the edge that closes it
/// (a depth-first search in type order, so the choice is deterministic).
fn box_cycles(types: &mut [TypeDef]) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let n = types.len();
    let mut mark = vec![Mark::New; n];
    // Edges to box: (type index, field index).
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if mark.get(root) != Some(&Mark::New) {
            continue;
        }
        // Iterative DFS: (node, next field index to look at).
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(m) = mark.get_mut(root) {
            *m = Mark::Active;
        }
        while let Some(&mut (node, ref mut next_field)) = stack.last_mut() {
            let edges = edges_of(types.get(node));
            if let Some(&(field, target)) = edges.get(*next_field) {
                *next_field += 1;
                match mark.get(target.0).copied() {
                    Some(Mark::Active) => to_box.push((node, field)),
                    Some(Mark::New) => {
                        if let Some(m) = mark.get_mut(target.0) {
                            *m = Mark::Active;
                        }
                        stack.push((target.0, 0));
                    }
                    _ => {}
                }
            } else {
                if let Some(m) = mark.get_mut(node) {
                    *m = Mark::Done;
                }
                stack.pop();
            }
        }
    }
    for (t, f) in to_box {
        if let Some(TypeKind::Struct(s)) = types.get_mut(t).map(|t| &mut t.kind) {
            if let Some(field) = s.fields.get_mut(f) {
                let inner = std::mem::replace(&mut field.ty, TypeRef::Value);
                field.ty = TypeRef::Boxed(Box::new(inner));
            }
        }
    }
}

/// `(field index, target)` for each by-value reference of a type; aliases count as one edge.
fn edges_of(t: Option<&TypeDef>) -> Vec<(usize, TypeId)> {
    let mut out = Vec::new();
    match t.map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => {
            for (i, f) in s.fields.iter().enumerate() {
                let mut refs = Vec::new();
                direct_refs(&f.ty, &mut refs);
                out.extend(refs.into_iter().map(|r| (i, r)));
            }
        }
        Some(TypeKind::Alias(a)) => {
            let mut refs = Vec::new();
            direct_refs(a, &mut refs);
            out.extend(refs.into_iter().map(|r| (usize::MAX, r)));
        }
        _ => {}
    }
    out
}

/// Marks structs whose every required field has a default, to the fixpoint.
fn compute_defaults(types: &mut [TypeDef]) {
    let mut can: Vec<bool> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Enum(e) => e.default.is_some(),
            _ => true,
        })
        .collect();
    loop {
        let mut changed = false;
        for (i, t) in types.iter().enumerate() {
            if can.get(i) != Some(&true) {
                continue;
            }
            let ok = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| !f.required || f.nullable || type_has_default(&f.ty, &can)),
                TypeKind::Alias(a) => type_has_default(a, &can),
                TypeKind::Enum(e) => e.default.is_some(),
            };
            if !ok {
                if let Some(c) = can.get_mut(i) {
                    *c = false;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (t, c) in types.iter_mut().zip(can) {
        if let TypeKind::Struct(s) = &mut t.kind {
            s.default = c;
        }
    }
}

/// Whether a type reference implements `Default` given which named types do.
pub(crate) fn type_has_default(t: &TypeRef, can: &[bool]) -> bool {
    match t {
        TypeRef::Named(id) => can.get(id.0).copied().unwrap_or(false),
        TypeRef::Boxed(inner) => type_has_default(inner, can),
        _ => true,
    }
}

/// GenAuth wraps every response in `{statusCode, message, ...}`; detect it so the client
/// checks `statusCode`.
fn detect_envelope(types: &[TypeDef], operations: &[Operation]) -> bool {
    let mut any = false;
    for op in operations {
        let Some(TypeRef::Named(id)) = &op.response else {
            if op.response.is_some() {
                return false;
            }
            continue;
        };
        let mut t = types.get(id.0);
        let mut hops = 0;
        while let Some(TypeDef { kind: TypeKind::Alias(TypeRef::Named(next)), .. }) = t {
            t = types.get(next.0);
            hops += 1;
            if hops > types.len() {
                return false;
            }
        }
        match t.map(|t| &t.kind) {
            Some(TypeKind::Struct(s))
                if s.fields.iter().any(|f| f.wire == "statusCode") && s.fields.iter().any(|f| f.wire == "message") =>
            {
                any = true
            }
            _ => return false,
        }
    }
    any
}
