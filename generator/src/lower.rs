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

/// Choices that change the IR.
#[derive(Debug, Clone, Copy, Default)]
pub struct LowerOptions {
    /// Decode responses exactly as the spec says (no forgiveness for missing required
    /// fields, `null`s or numbers sent as strings).
    pub strict_responses: bool,
}

/// Lowers a loaded document into the IR.
pub fn lower(doc: &Document, options: LowerOptions) -> Result<(Ir, Vec<Warning>), Error> {
    let mut l = Lowerer::new(doc, options);
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
    options: LowerOptions,
    file: &'a Path,
    drafts: Vec<Draft>,
    components: IndexMap<&'a str, TypeId>,
    enums: BTreeMap<EnumKey, TypeId>,
    warnings: Vec<Warning>,
    /// Inline object schemas being lowered, innermost last: an `allOf` that copies the
    /// properties of a component holding it reaches the same schema again, which is then
    /// the same (recursive) type instead of a new one each time, forever.
    inline_active: Vec<(*const oa::Schema, TypeId)>,
    /// How deep `type_of` is nested (a guard: past [`MAX_TYPE_DEPTH`] it is an error).
    type_depth: usize,
}

/// Deeper than this, lowering a schema stops with an error instead of recursing on.
const MAX_TYPE_DEPTH: usize = 1024;

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Document, options: LowerOptions) -> Self {
        Lowerer {
            doc,
            options,
            file: &doc.file,
            drafts: Vec::new(),
            components: IndexMap::new(),
            enums: BTreeMap::new(),
            warnings: Vec::new(),
            inline_active: Vec::new(),
            type_depth: 0,
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
            Shape::OneOf(members) => Ok(match self.union(schema, members, ctx, pointer)? {
                Lowered::Type(t) => TypeKind::Alias(t),
                Lowered::Union(u) => TypeKind::Union(u),
            }),
            _ => Ok(TypeKind::Alias(self.type_of(schema, ctx, pointer)?)),
        }
    }

    /// `oneOf`/`anyOf`: a Rust enum, or just the member's type when only one is left
    /// after `null` members are dropped (the field becomes nullable instead).
    fn union(&mut self, schema: &'a oa::Schema, members: &'a [oa::ReferenceOr<oa::Schema>], ctx: &Ctx, pointer: &str) -> Result<Lowered, Error> {
        let key = match &schema.schema_kind {
            oa::SchemaKind::AnyOf { .. } => "anyOf",
            oa::SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
            _ => "oneOf",
        };
        // (type, reference text, object schema) per member.
        let mut found: Vec<(TypeRef, Option<&'a str>, Option<&'a oa::Schema>)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let mpointer = pointer_push(&pointer_push(pointer, key), &i.to_string());
            let (ty, reference, target) = match member {
                oa::ReferenceOr::Reference { reference } => {
                    let target = match self.component_name(reference, &mpointer) {
                        Ok(name) => self.schemas().and_then(|s| s.get(name.as_str())).and_then(|s| s.as_item()),
                        Err(_) => None,
                    };
                    if target.is_some_and(is_null_only) {
                        continue;
                    }
                    (self.resolve_schema_ref(reference, &mpointer)?, Some(reference.as_str()), target)
                }
                oa::ReferenceOr::Item(s) => {
                    if is_null_only(s) {
                        continue;
                    }
                    let name = match &s.schema_data.title {
                        Some(t) if !t.trim().is_empty() => format!("{}{}", ctx.name, naming::pascal(t)),
                        _ => format!("{}Variant{}", ctx.name, i + 1),
                    };
                    let mctx = Ctx {
                        name,
                        prop: None,
                        parent: ctx.parent.clone(),
                    };
                    (self.type_of(s, &mctx, &mpointer)?, None, Some(s))
                }
            };
            if !found.iter().any(|(t, _, _)| *t == ty) {
                found.push((ty, reference, target));
            }
        }
        match found.len() {
            0 => return Ok(Lowered::Type(TypeRef::Value)),
            1 => return Ok(Lowered::Type(found.swap_remove(0).0)),
            _ => {}
        }
        // Tagged when a discriminator (or a property every member pins to one value) says
        // which member a value is.
        let all_objects = found.iter().all(|(t, _, s)| matches!(t, TypeRef::Named(_)) && s.is_some_and(|s| matches!(shape(s), Shape::Object | Shape::AllOf(_))));
        if all_objects {
            if let Some(d) = &schema.schema_data.discriminator {
                let mut variants = Vec::with_capacity(found.len());
                for (ty, reference, _) in &found {
                    let from_mapping = reference.and_then(|r| {
                        d.mapping.iter().find(|(_, target)| {
                            let t = target.as_str();
                            t == r || r.rsplit('/').next() == Some(t)
                        })
                    });
                    let tag_value = match (from_mapping, reference) {
                        (Some((k, _)), _) => Some(k.clone()),
                        (None, Some(r)) => r.rsplit('/').next().map(crate::error::pointer_unescape),
                        (None, None) => None,
                    };
                    variants.push(UnionVariant {
                        ident: String::new(),
                        ty: ty.clone(),
                        tag_value,
                    });
                }
                if variants.iter().all(|v| v.tag_value.is_some()) {
                    return Ok(Lowered::Union(UnionDef {
                        tag: Some(d.property_name.clone()),
                        variants,
                    }));
                }
            } else if let Some((tag, values)) = self.common_const_property(&found, pointer)? {
                let variants = found
                    .iter()
                    .zip(values)
                    .map(|((ty, _, _), v)| UnionVariant {
                        ident: String::new(),
                        ty: ty.clone(),
                        tag_value: Some(v),
                    })
                    .collect();
                return Ok(Lowered::Union(UnionDef { tag: Some(tag), variants }));
            }
        }
        Ok(Lowered::Union(UnionDef {
            tag: None,
            variants: found
                .into_iter()
                .map(|(ty, _, _)| UnionVariant {
                    ident: String::new(),
                    ty,
                    tag_value: None,
                })
                .collect(),
        }))
    }

    /// A property that every member declares with exactly one (distinct) string value.
    fn common_const_property(&mut self, found: &[(TypeRef, Option<&'a str>, Option<&'a oa::Schema>)], pointer: &str) -> Result<Option<(String, Vec<String>)>, Error> {
        let mut per_member: Vec<BTreeMap<&'a str, String>> = Vec::new();
        let mut first_order: Vec<&'a str> = Vec::new();
        for (i, (_, _, schema)) in found.iter().enumerate() {
            let Some(schema) = schema else { return Ok(None) };
            let mut parts = ObjectParts::default();
            if !self.gather_object(schema, pointer, &mut parts, 0)? {
                return Ok(None);
            }
            let mut consts = BTreeMap::new();
            for (name, prop, _) in &parts.properties {
                let s = match prop {
                    oa::ReferenceOr::Item(s) => Some(s.as_ref()),
                    oa::ReferenceOr::Reference { reference } => {
                        self.component_schema(reference, pointer)?.map(|(s, _)| s)
                    }
                };
                if let Some(Shape::String(values)) = s.map(shape) {
                    if let [only] = values.as_slice() {
                        consts.insert(*name, only.clone());
                        if i == 0 {
                            first_order.push(name);
                        }
                    }
                }
            }
            per_member.push(consts);
        }
        for candidate in first_order {
            let values: Option<Vec<String>> = per_member.iter().map(|m| m.get(candidate).cloned()).collect();
            if let Some(values) = values {
                let distinct: BTreeSet<&String> = values.iter().collect();
                if distinct.len() == values.len() {
                    return Ok(Some((candidate.to_owned(), values)));
                }
            }
        }
        Ok(None)
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
        // No properties: a map (free-form unless `additionalProperties: false`).
        if parts.properties.is_empty() && !matches!(parts.additional, Some(oa::AdditionalProperties::Any(false))) {
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
            if let oa::ReferenceOr::Item(s) = prop {
                if let Some(d) = &s.schema_data.default {
                    let fits = (d.is_null() && nullable) || self.default_fits(&ty, d);
                    if !fits {
                        self.warn(
                            "W021",
                            &pointer_push(&prop_pointer, "default"),
                            format!("default {d} does not match the property's type; it is ignored"),
                            "make `default` a value of the property's type",
                        );
                    }
                }
            }
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
        // Properties not listed, when the schema types them, are kept in a flattened map.
        let additional = match parts.additional {
            Some(oa::AdditionalProperties::Schema(s)) => {
                let apointer = pointer_push(pointer, "additionalProperties");
                Some(match s.as_ref() {
                    oa::ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, &apointer)?,
                    oa::ReferenceOr::Item(s) => self.type_of(s, &ctx.suffixed("Value"), &apointer)?,
                })
            }
            Some(oa::AdditionalProperties::Any(true)) => Some(TypeRef::Value),
            _ => None,
        };
        // The flattened map's field name must not clash with a property's.
        let additional = additional.map(|t| (idents.claim("additional_properties".to_owned()), t));
        Ok(Some(TypeKind::Struct(StructDef {
            fields,
            additional,
            default: false,
            lenient: false,
        })))
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
                oa::ReferenceOr::Reference { reference } => match self.component_schema(reference, &mpointer)? {
                    Some(found) => found,
                    None => continue,
                },
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

    /// Follows a `$ref` to a component schema (through chains of references); `None`
    /// (with a warning) when it points at nothing.
    fn component_schema(&mut self, reference: &str, pointer: &str) -> Result<Option<(&'a oa::Schema, String)>, Error> {
        let mut reference = reference.to_owned();
        for _ in 0..MAX_REF_DEPTH {
            let name = self.component_name(&reference, pointer)?;
            let schema = self.schemas().and_then(|s| s.get(name.as_str()));
            match schema {
                Some(oa::ReferenceOr::Item(s)) => return Ok(Some((s, pointer_push("#/components/schemas", &name)))),
                Some(oa::ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => {
                    self.warn(
                        "W001",
                        &pointer_push(pointer, "$ref"),
                        format!("`{reference}` points at nothing; it adds no fields"),
                        "fix the reference or add the missing schema under #/components/schemas",
                    );
                    return Ok(None);
                }
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

    fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let name = self.component_name(reference, pointer)?;
        match self.components.get(name.as_str()) {
            Some(&id) => Ok(TypeRef::Named(id)),
            None => {
                self.warn(
                    "W001",
                    &pointer_push(pointer, "$ref"),
                    format!("`{reference}` points at nothing; the value is kept as `serde_json::Value`"),
                    "fix the reference or add the missing schema under #/components/schemas",
                );
                Ok(TypeRef::Value)
            }
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
        if self.type_depth >= MAX_TYPE_DEPTH {
            return Err(Error::invalid(self.file, pointer, format!("schemas nest more than {MAX_TYPE_DEPTH} levels deep here; expected a finite nesting")));
        }
        self.type_depth += 1;
        let t = self.type_of_here(schema, ctx, pointer);
        self.type_depth -= 1;
        t
    }

    fn type_of_here(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
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
            Shape::OneOf(members) => match self.union(schema, members, ctx, pointer)? {
                Lowered::Type(t) => t,
                Lowered::Union(u) => {
                    let id = self.new_draft(ctx.name.clone(), Origin::Inline, pointer, schema.schema_data.title.clone());
                    self.set_kind(id, TypeKind::Union(u));
                    TypeRef::Named(id)
                }
            },
            Shape::Any => TypeRef::Value,
        })
    }

    fn inline_struct(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
        let key: *const oa::Schema = schema;
        if let Some((_, id)) = self.inline_active.iter().find(|(active, _)| std::ptr::eq(*active, key)) {
            return Ok(TypeRef::Named(*id));
        }
        let id = self.new_draft(ctx.name.clone(), Origin::Inline, pointer, schema.schema_data.title.clone());
        if let Some(d) = self.drafts.get_mut(id.0) {
            d.examples.extend(schema.schema_data.example.clone());
        }
        self.inline_active.push((key, id));
        let kind = self.struct_kind(schema, ctx, pointer);
        self.inline_active.pop();
        let kind = match kind? {
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
                // A name taken by an earlier operation: prefer the controller's name as a
                // qualifier (`TerminalManagementController_deleteDevice` →
                // `terminal_management_delete_device`), else a number.
                let ident = if names.contains(&base) {
                    match op.operation_id.as_deref().and_then(|id| id.split_once("Controller_")) {
                        Some((controller, _)) if !controller.is_empty() => {
                            names.claim(naming::field_ident(&format!("{controller} {}", naming::unraw(&base))))
                        }
                        _ => names.claim(base.clone()),
                    }
                } else {
                    names.claim(base.clone())
                };
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
        let components = self.doc.api.components.as_ref().map(|c| &c.parameters);
        self.follow(p, components, "parameters", "parameter", pointer)
    }

    /// Follows `$ref`s through `components/<section>` to the object they name.
    fn follow<T>(
        &self,
        start: &'a oa::ReferenceOr<T>,
        section: Option<&'a IndexMap<String, oa::ReferenceOr<T>>>,
        key: &str,
        what: &str,
        pointer: &str,
    ) -> Result<&'a T, Error> {
        let prefix = format!("#/components/{key}/");
        let mut current = start;
        for _ in 0..MAX_REF_DEPTH {
            match current {
                oa::ReferenceOr::Item(item) => return Ok(item),
                oa::ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(prefix.as_str()).map(crate::error::pointer_unescape);
                    match name.as_deref().and_then(|n| section?.get(n)) {
                        Some(next) => current = next,
                        None => {
                            return Err(Error::invalid(
                                self.file,
                                &pointer_push(pointer, "$ref"),
                                format!("`{reference}` does not exist; expected a {what} under #/components/{key}"),
                            ))
                        }
                    }
                }
            }
        }
        Err(Error::invalid(self.file, pointer, format!("{what} references form a cycle")))
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
                oa::Parameter::Query { style: oa::QueryStyle::DeepObject, .. } => ParamIn::DeepQuery,
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
            self.check_parameter_keywords(&ppointer);
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
                file: false,
            };
            if location == ParamIn::Path && !path.contains(&format!("{{{}}}", data.name)) {
                // An argument the URL never uses would be an unused variable.
                self.warn(
                    "W013",
                    &ppointer,
                    format!("path parameter `{}` does not appear in the path `{path}`; it is left out", data.name),
                    "add `{name}` to the path, or remove the parameter",
                );
                continue;
            }
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
        // Template variables nobody declared: a required string argument each (sent
        // literally, `{id}` would never be a valid URL).
        for name in path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name) {
            if path_params.iter().any(|p: &Param| p.wire == name) {
                continue;
            }
            self.warn(
                "W014",
                pointer,
                format!("`{{{name}}}` in the path `{path}` is not declared as a parameter; it is taken as a required string"),
                "declare it under `parameters` with `in: path`",
            );
            path_params.push(Param {
                ident: args.claim(naming::field_ident(name)),
                wire: name.to_owned(),
                location: ParamIn::Path,
                ty: TypeRef::String,
                required: true,
                default: None,
                doc: None,
                example: None,
                file: false,
            });
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

        let (response, raw_response, responses_by_status) = self.lower_responses(op, &op_name, pointer)?;

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
            raw_response,
            responses_by_status,
            pointer: pointer.to_owned(),
        })
    }

    /// Schema keywords written on the parameter itself (beside `schema`, as some server
    /// generators do) have no effect; say so.
    fn check_parameter_keywords(&mut self, pointer: &str) {
        const SCHEMA_KEYWORDS: &[&str] = &[
            "type", "format", "enum", "default", "items", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "nullable",
        ];
        let Some(Value::Object(p)) = self.doc.raw.pointer(pointer.trim_start_matches('#')) else { return };
        if !p.contains_key("schema") {
            return;
        }
        let misplaced: Vec<&str> = SCHEMA_KEYWORDS.iter().copied().filter(|k| p.contains_key(*k)).collect();
        if !misplaced.is_empty() {
            self.warn(
                "W020",
                pointer,
                format!("`{}` beside `schema` on a parameter has no effect; it is ignored", misplaced.join("`, `")),
                "move the keyword into the parameter's `schema`",
            );
        }
    }

    fn resolve_request_body(&self, rb: &'a oa::ReferenceOr<oa::RequestBody>, pointer: &str) -> Result<&'a oa::RequestBody, Error> {
        let components = self.doc.api.components.as_ref().map(|c| &c.request_bodies);
        self.follow(rb, components, "requestBodies", "request body", pointer)
    }

    fn resolve_response(&self, r: &'a oa::ReferenceOr<oa::Response>, pointer: &str) -> Result<&'a oa::Response, Error> {
        let components = self.doc.api.components.as_ref().map(|c| &c.responses);
        self.follow(r, components, "responses", "response", pointer)
    }

    fn lower_body(&mut self, rb: &'a oa::RequestBody, op_name: &str, pointer: &str) -> Result<Option<Body>, Error> {
        // The richest media type the operation accepts: JSON, then forms, text, bytes.
        let Some((media_type, media, class)) = rb
            .content
            .iter()
            .map(|(k, v)| (k.as_str(), v, classify(k)))
            .min_by_key(|(_, _, c)| *c)
        else {
            return Ok(None);
        };
        let mpointer = pointer_push(&pointer_push(pointer, "content"), media_type);
        let spointer = pointer_push(&mpointer, "schema");
        let kind = match class {
            MediaClass::Json => BodyKind::Json(match &media.schema {
                Some(s) => self.type_of_ref(RefOrSchema::from(s), &Ctx::root(format!("{op_name}Body")), &spointer)?,
                None => TypeRef::Value,
            }),
            MediaClass::Form | MediaClass::Multipart => {
                let location = if class == MediaClass::Form { ParamIn::Form } else { ParamIn::Multipart };
                match self.form_fields(media.schema.as_ref(), op_name, location, &spointer)? {
                    // An object form with no fields: there is nothing to send.
                    Some(fields) if fields.is_empty() => return Ok(None),
                    Some(fields) => BodyKind::Form(ParamsDef {
                        name: format!("{op_name}Form"),
                        fields,
                    }),
                    None => {
                        self.warn(
                            "W008",
                            &spointer,
                            format!("the `{media_type}` body is not described as an object, so it is sent as raw bytes"),
                            "describe form bodies with an object schema",
                        );
                        BodyKind::Bytes
                    }
                }
            }
            MediaClass::Text => BodyKind::Text,
            MediaClass::Bytes => BodyKind::Bytes,
        };
        Ok(Some(Body {
            kind,
            media_type: media_type.to_owned(),
            required: rb.required,
        }))
    }

    /// The fields of a form body, one per property of its object schema.
    fn form_fields(&mut self, schema: Option<&'a oa::ReferenceOr<oa::Schema>>, op_name: &str, location: ParamIn, pointer: &str) -> Result<Option<Vec<Param>>, Error> {
        let (schema, spointer) = match schema {
            None => return Ok(None),
            Some(oa::ReferenceOr::Item(s)) => (s, pointer.to_owned()),
            Some(oa::ReferenceOr::Reference { reference }) => match self.component_schema(reference, pointer)? {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        let mut parts = ObjectParts::default();
        if !self.gather_object(schema, &spointer, &mut parts, 0)? {
            return Ok(None);
        }
        if parts.properties.is_empty() && !matches!(shape(schema), Shape::Object) {
            return Ok(None);
        }
        let mut names = Namespace::new();
        let mut fields = Vec::new();
        let mut seen = BTreeSet::new();
        for (wire, prop, ppointer) in parts.properties {
            if !seen.insert(wire) {
                continue;
            }
            let ctx = Ctx::property(&format!("{op_name}Form"), wire);
            let ty = self.type_of_ref(prop_box_as_ref(prop), &ctx, &ppointer)?;
            let (doc, file) = match prop {
                oa::ReferenceOr::Item(s) => (field_doc(s), location == ParamIn::Multipart && is_binary(s)),
                oa::ReferenceOr::Reference { .. } => (None, false),
            };
            fields.push(Param {
                ident: names.claim(naming::field_ident(wire)),
                wire: wire.to_owned(),
                location,
                ty,
                required: parts.required.contains(wire),
                default: None,
                doc,
                example: None,
                file,
            });
        }
        Ok(Some(fields))
    }

    /// The success response: its JSON type (or none), whether it is raw, and per-status
    /// bodies when 2xx statuses differ.
    #[allow(clippy::type_complexity)]
    fn lower_responses(
        &mut self,
        op: &'a oa::Operation,
        op_name: &str,
        pointer: &str,
    ) -> Result<(Option<TypeRef>, bool, Option<(String, Vec<(String, StatusBody)>)>), Error> {
        let rpointer = pointer_push(pointer, "responses");
        let mut successes: Vec<(String, &'a oa::ReferenceOr<oa::Response>)> = op
            .responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                oa::StatusCode::Code(c) => (200..300).contains(c),
                oa::StatusCode::Range(r) => *r == 2,
            })
            .map(|(code, r)| (code.to_string(), r))
            .collect();
        // Only a `default` response: that is what success looks like.
        if successes.is_empty() {
            if let Some(d) = &op.responses.default {
                successes.push(("default".to_owned(), d));
            }
        }
        let several = successes.len() > 1;
        let mut bodies: Vec<(String, StatusBody)> = Vec::with_capacity(successes.len());
        for (code, response) in successes {
            let cpointer = pointer_push(&rpointer, &code);
            let response = self.resolve_response(response, &cpointer)?;
            let body = match response.content.iter().map(|(k, v)| (k.as_str(), v, classify(k))).min_by_key(|(_, _, c)| *c) {
                None => StatusBody::Empty,
                Some((media_type, media, MediaClass::Json)) => {
                    let mpointer = pointer_push(&pointer_push(&cpointer, "content"), media_type);
                    let name = if several { format!("{op_name}Response{code}") } else { format!("{op_name}Response") };
                    StatusBody::Json(match &media.schema {
                        Some(s) => self.type_of_ref(RefOrSchema::from(s), &Ctx::root(name), &pointer_push(&mpointer, "schema"))?,
                        None => TypeRef::Value,
                    })
                }
                Some(_) => StatusBody::Raw,
            };
            bodies.push((code, body));
        }
        let first = bodies.first().map(|(_, b)| b.clone()).unwrap_or(StatusBody::Empty);
        if bodies.iter().all(|(_, b)| *b == first) {
            return Ok(match first {
                StatusBody::Empty => (None, false, None),
                StatusBody::Json(t) => (Some(t), false, None),
                StatusBody::Raw => (None, true, None),
            });
        }
        Ok((None, false, Some((format!("{op_name}Response"), bodies))))
    }

    /// Whether a spec default can be written as a value of `ty`.
    fn default_fits(&self, ty: &TypeRef, value: &Value) -> bool {
        match (ty, value) {
            (TypeRef::Bool, Value::Bool(_)) => true,
            (TypeRef::Int(_), Value::Number(n)) => n.is_i64() || n.is_u64(),
            (TypeRef::F32 | TypeRef::F64, Value::Number(_)) => true,
            (TypeRef::String, Value::String(_)) => true,
            (TypeRef::Vec(inner), Value::Array(items)) => items.iter().all(|i| self.default_fits(inner, i)),
            (TypeRef::Value, _) => true,
            (TypeRef::Map(_), Value::Object(_)) => true,
            (TypeRef::Option(inner) | TypeRef::Boxed(inner), v) => v.is_null() || self.default_fits(inner, v),
            (TypeRef::Named(id), v) => match self.drafts.get(id.0).and_then(|d| d.kind.as_ref()) {
                Some(TypeKind::Enum(e)) => v.as_str().is_some_and(|s| e.variants.iter().any(|var| var.wire == s)),
                Some(TypeKind::Struct(_)) => v.is_object(),
                Some(TypeKind::Alias(a)) => {
                    let a = a.clone();
                    self.default_fits(&a, v)
                }
                // Unions and types still being lowered (recursion): not checked.
                Some(TypeKind::Union(_)) | None => true,
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
        // Params structs, form structs and per-status response enums share the type namespace.
        for op in &mut operations {
            if let Some(p) = &mut op.params {
                p.name = types_ns.claim(naming::type_name(&p.name));
            }
            if let Some(Body { kind: BodyKind::Form(p), .. }) = &mut op.body {
                p.name = types_ns.claim(naming::type_name(&p.name));
            }
            if let Some((name, _)) = &mut op.responses_by_status {
                *name = types_ns.claim(naming::type_name(name));
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
        let mut warnings = std::mem::take(&mut self.warnings);
        finish_unions(&mut types, &operations, &mut types_ns, self.file, &mut warnings);
        box_cycles(&mut types);
        compute_defaults(&mut types);
        if !self.options.strict_responses {
            mark_lenient(&mut types, &operations);
        }
        self.warnings = warnings;

        let status_code_envelope = detect_envelope(&types, &operations);
        let api = &self.doc.api;
        let mut ir = Ir {
            title: api.info.title.clone(),
            description: api.info.description.clone(),
            version: api.info.version.clone(),
            servers: api.servers.iter().map(|s| s.url.clone()).collect(),
            status_code_envelope,
            types,
            operations,
        };
        // Inline types nothing uses any more (enums of tag properties that unions took
        // over) are dropped; every component schema stays.
        let mut roots: Vec<TypeId> = Vec::new();
        for (i, t) in ir.types.iter().enumerate() {
            let component = t
                .pointer
                .strip_prefix("#/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'));
            if component {
                roots.push(TypeId(i));
            }
        }
        for op in &ir.operations {
            for (_, t) in op.refs() {
                t.for_each_named(&mut |id| roots.push(id));
            }
        }
        let keep = ir.reachable(roots);
        if keep.iter().any(|k| !k) {
            ir.retain_types(&keep);
        }
        Ok((ir, self.warnings))
    }
}

/// What a union lowers to.
enum Lowered {
    Type(TypeRef),
    Union(UnionDef),
}

/// A schema that only admits `null` (3.1 `type: "null"`, marked by normalization).
fn is_null_only(s: &oa::Schema) -> bool {
    s.schema_data.extensions.contains_key(crate::normalize::NULL_MARK)
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

/// Kinds of media types, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaClass {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

fn classify(media_type: &str) -> MediaClass {
    let m = media_type.to_ascii_lowercase();
    let essence = m.split(';').next().unwrap_or("").trim();
    if essence == "application/json" || essence.ends_with("+json") || essence.contains("json") {
        MediaClass::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaClass::Form
    } else if essence.starts_with("multipart/") {
        MediaClass::Multipart
    } else if essence.starts_with("text/") || essence.ends_with("+xml") || essence == "application/xml" {
        MediaClass::Text
    } else {
        MediaClass::Bytes
    }
}

/// `format: binary` (a file in a multipart body).
fn is_binary(s: &oa::Schema) -> bool {
    match &s.schema_kind {
        oa::SchemaKind::Type(oa::Type::String(st)) => format_str(&st.format).as_deref() == Some("binary"),
        oa::SchemaKind::Type(oa::Type::Array(a)) => matches!(&a.items, Some(oa::ReferenceOr::Item(i)) if is_binary(i)),
        oa::SchemaKind::Any(any) => any.format.as_deref() == Some("binary") || matches!(&any.items, Some(oa::ReferenceOr::Item(i)) if is_binary(i)),
        _ => false,
    }
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
        let slot = match types.get_mut(t).map(|t| &mut t.kind) {
            Some(TypeKind::Struct(s)) => s.fields.get_mut(f).map(|field| &mut field.ty),
            Some(TypeKind::Union(u)) => u.variants.get_mut(f).map(|v| &mut v.ty),
            _ => None,
        };
        if let Some(ty) = slot {
            if !matches!(ty, TypeRef::Boxed(_)) {
                let inner = std::mem::replace(ty, TypeRef::Value);
                *ty = TypeRef::Boxed(Box::new(inner));
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
        Some(TypeKind::Union(u)) => {
            for (i, v) in u.variants.iter().enumerate() {
                let mut refs = Vec::new();
                direct_refs(&v.ty, &mut refs);
                out.extend(refs.into_iter().map(|r| (i, r)));
            }
        }
        _ => {}
    }
    out
}


/// How an untagged union's variant competes with the others: serde tries variants in
/// order and takes the first that fits, so specific shapes go first and catch-alls last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// A struct with required fields (more required fields first).
    Struct(std::cmp::Reverse<usize>),
    Union,
    Bool,
    Int,
    Float,
    Array,
    /// Anything string-shaped (string enums keep unknown values, so they take any string).
    Str,
    /// Objects that any object fits: structs without required fields, maps.
    AnyObject,
    Value,
}

fn rank(types: &[TypeDef], t: &TypeRef) -> Rank {
    match resolve_alias(types, t) {
        TypeRef::Boxed(inner) | TypeRef::Option(inner) => rank(types, inner),
        TypeRef::Bool => Rank::Bool,
        TypeRef::Int(_) => Rank::Int,
        TypeRef::F32 | TypeRef::F64 => Rank::Float,
        TypeRef::String => Rank::Str,
        TypeRef::Vec(_) => Rank::Array,
        TypeRef::Map(_) => Rank::AnyObject,
        TypeRef::Value => Rank::Value,
        TypeRef::Named(id) => match types.get(id.0).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                let required = s.fields.iter().filter(|f| f.required).count();
                if required == 0 {
                    Rank::AnyObject
                } else {
                    Rank::Struct(std::cmp::Reverse(required))
                }
            }
            Some(TypeKind::Enum(_)) => Rank::Str,
            Some(TypeKind::Union(_)) => Rank::Union,
            _ => Rank::Value,
        },
    }
}

/// A variant's base name from its type.
fn variant_base(types: &[TypeDef], t: &TypeRef) -> String {
    match t {
        TypeRef::Boxed(inner) | TypeRef::Option(inner) => variant_base(types, inner),
        TypeRef::Named(id) => types.get(id.0).map(|d| d.name.clone()).unwrap_or_else(|| "Variant".to_owned()),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::Int(_) => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Vec(inner) => format!("{}List", variant_base(types, inner)),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Value => "Value".to_owned(),
    }
}

/// Names union variants; orders untagged unions so every variant stays reachable (and
/// drops, with a warning, variants no value could ever reach); removes the tag field from
/// the structs of tagged unions (serde reads the tag itself), copying a struct first when
/// other places still need it with the field.
fn finish_unions(types: &mut Vec<TypeDef>, operations: &[Operation], names: &mut Namespace, file: &Path, warnings: &mut Vec<Warning>) {
    // Who uses each struct, other than as a variant of a tagged union with a given tag.
    let mut plain_uses: BTreeSet<usize> = BTreeSet::new();
    let mut tagged_uses: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for t in types.iter() {
        match &t.kind {
            TypeKind::Union(UnionDef { tag: Some(tag), variants }) => {
                for v in variants {
                    match &v.ty {
                        TypeRef::Named(id) => {
                            tagged_uses.entry(id.0).or_default().insert(tag.clone());
                        }
                        other => other.for_each_named(&mut |id| {
                            plain_uses.insert(id.0);
                        }),
                    }
                }
            }
            kind => {
                for r in kind.refs() {
                    r.for_each_named(&mut |id| {
                        plain_uses.insert(id.0);
                    });
                }
            }
        }
    }
    for op in operations {
        for (_, t) in op.refs() {
            t.for_each_named(&mut |id| {
                plain_uses.insert(id.0);
            });
        }
    }

    // Copies of structs without a tag field, by (struct, tag), shared by every union
    // that needs the same one.
    let mut copies: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let count = types.len();
    for ui in 0..count {
        let Some(TypeKind::Union(u)) = types.get(ui).map(|t| t.kind.clone()) else { continue };
        let union_pointer = types.get(ui).map(|t| t.pointer.clone()).unwrap_or_default();
        let mut u = u;
        // Variant names come from the member types as the spec names them.
        let mut vnames = Namespace::with_reserved(&["Unknown"]);
        for v in &mut u.variants {
            v.ident = vnames.claim(naming::variant_name(&variant_base(types, &v.ty)));
        }
        if let Some(tag) = u.tag.clone() {
            for v in &mut u.variants {
                let TypeRef::Named(id) = v.ty else { continue };
                let has_tag = matches!(types.get(id.0).map(|t| &t.kind), Some(TypeKind::Struct(s)) if s.fields.iter().any(|f| f.wire == tag));
                if !has_tag {
                    continue;
                }
                let shared = plain_uses.contains(&id.0) || tagged_uses.get(&id.0).is_some_and(|tags| tags.len() > 1);
                let target = if shared {
                    // A copy without the tag field, for the tagged unions.
                    let new_id = match copies.get(&(id.0, tag.clone())) {
                        Some(&existing) => existing,
                        None => {
                            let Some(original) = types.get(id.0).cloned() else { continue };
                            let name = names.claim(naming::type_name(&format!("{}Variant", original.name)));
                            types.push(TypeDef {
                                name,
                                doc: original.doc.clone(),
                                pointer: original.pointer.clone(),
                                kind: original.kind.clone(),
                                examples: Vec::new(),
                            });
                            let new_id = types.len() - 1;
                            copies.insert((id.0, tag.clone()), new_id);
                            new_id
                        }
                    };
                    v.ty = TypeRef::Named(TypeId(new_id));
                    new_id
                } else {
                    id.0
                };
                if let Some(TypeKind::Struct(s)) = types.get_mut(target).map(|t| &mut t.kind) {
                    s.fields.retain(|f| f.wire != tag);
                }
            }
        } else {
            // Untagged: order by rank (stable), then drop what can never be reached.
            let ranked: Vec<(Rank, UnionVariant)> = u.variants.drain(..).map(|v| (rank(types, &v.ty), v)).collect();
            let mut ranked = ranked;
            ranked.sort_by_key(|(r, _)| *r);
            let mut seen_catch_all: BTreeSet<u8> = BTreeSet::new();
            let mut kept = Vec::new();
            for (r, v) in ranked {
                let class = match r {
                    Rank::Str => Some(0u8),
                    Rank::AnyObject => Some(1),
                    Rank::Value => Some(2),
                    _ => None,
                };
                if seen_catch_all.contains(&2) || class.is_some_and(|c| !seen_catch_all.insert(c)) {
                    warnings.push(Warning {
                        code: "W012",
                        file: file.to_owned(),
                        pointer: union_pointer.clone(),
                        message: format!(
                            "union member `{}` can never be told apart from an earlier one, so it gets no variant of its own",
                            variant_base(types, &v.ty)
                        ),
                        hint: "add a `discriminator`, or make the members' shapes distinct",
                    });
                    continue;
                }
                kept.push(v);
            }
            u.variants = kept;
        }
        if let Some(t) = types.get_mut(ui) {
            t.kind = TypeKind::Union(u);
        }
    }
}

/// Marks the structs reachable from response bodies as lenient, except structs that are
/// members of untagged unions (their strictness is what tells the variants apart).
fn mark_lenient(types: &mut [TypeDef], operations: &[Operation]) {
    let mut untagged_members: BTreeSet<usize> = BTreeSet::new();
    for t in types.iter() {
        if let TypeKind::Union(u) = &t.kind {
            if u.tag.is_none() {
                for v in &u.variants {
                    if let TypeRef::Named(id) = resolve_alias(types, &v.ty) {
                        untagged_members.insert(id.0);
                    }
                }
            }
        }
    }
    let mut stack: Vec<usize> = Vec::new();
    for op in operations {
        for (side, t) in op.refs() {
            if side == Side::Response {
                t.for_each_named(&mut |id| stack.push(id.0));
            }
        }
    }
    let mut seen = vec![false; types.len()];
    while let Some(i) = stack.pop() {
        match seen.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        let Some(t) = types.get_mut(i) else { continue };
        if let TypeKind::Struct(s) = &mut t.kind {
            s.lenient = !untagged_members.contains(&i);
        }
        for r in t.kind.refs() {
            r.for_each_named(&mut |id| stack.push(id.0));
        }
    }
}

/// Marks structs whose every required field has a default, to the fixpoint.
fn compute_defaults(types: &mut [TypeDef]) {
    // Every enum has a default (the spec's, else `Unknown("")`); unions have none.
    let mut can: Vec<bool> = types.iter().map(|t| !matches!(t.kind, TypeKind::Union(_))).collect();
    loop {
        let mut changed = false;
        for (i, t) in types.iter().enumerate() {
            if can.get(i) != Some(&true) {
                continue;
            }
            let ok = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| !f.required || f.nullable || type_has_default(&f.ty, &can)),
                TypeKind::Alias(a) => type_has_default(a, &can),
                TypeKind::Enum(_) => true,
                TypeKind::Union(_) => false,
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
