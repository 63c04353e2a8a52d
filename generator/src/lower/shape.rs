//! Reading a schema once: what kind of value it describes ([`Shape`]), its object parts,
//! integer formats, `null`-only members, and the `$ref`-or-schema wrapper the other files use.

use indexmap::IndexMap;
use openapiv3 as oa;

use crate::ir::*;

/// What a schema is, looked at once so the rest need not care how `openapiv3` split it.
pub(super) enum Shape<'a> {
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

pub(super) fn format_str<T: std::fmt::Debug>(f: &oa::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        oa::VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_ascii_lowercase()),
        oa::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.to_ascii_lowercase()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn shape(schema: &oa::Schema) -> Shape<'_> {
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
pub(super) fn is_unconstrained(schema: &oa::Schema) -> bool {
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

pub(super) fn object_fields(schema: &oa::Schema) -> Option<ObjectFields<'_>> {
    match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::Object(o)) => Some((&o.properties, &o.required, o.additional_properties.as_ref())),
        oa::SchemaKind::Any(any) => Some((&any.properties, &any.required, any.additional_properties.as_ref())),
        _ => None,
    }
}

pub(super) fn int_kind(format: Option<&str>) -> IntKind {
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

/// A schema that only admits `null` (3.1 `type: "null"`, marked by normalization).
pub(super) fn is_null_only(s: &oa::Schema) -> bool {
    s.schema_data.extensions.contains_key(crate::normalize::NULL_MARK)
}

/// A reference or an inline schema, whichever container `openapiv3` used.
#[derive(Clone, Copy)]
pub(super) enum RefOrSchema<'a> {
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

pub(super) fn prop_box_as_ref(r: &oa::ReferenceOr<Box<oa::Schema>>) -> RefOrSchema<'_> {
    match r {
        oa::ReferenceOr::Reference { reference } => RefOrSchema::Ref(reference),
        oa::ReferenceOr::Item(s) => RefOrSchema::Item(s),
    }
}

pub(super) fn field_doc(s: &oa::Schema) -> Option<String> {
    s.schema_data.description.clone().or_else(|| s.schema_data.title.clone())
}
