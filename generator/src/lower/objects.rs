//! Object schemas: properties gathered across `allOf`, one struct field each (with the
//! property's docs and a check of its default), `additionalProperties` as a flattened map, and
//! inline objects (recursive ones reuse the type being built).

use std::collections::BTreeSet;

use openapiv3 as oa;

use crate::error::{pointer_push, Error};
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::{Ctx, Lowerer, MAX_REF_DEPTH, Origin};
use super::shape::{field_doc, is_unconstrained, object_fields, prop_box_as_ref, shape, Shape};

/// The parts of an object schema, gathered across `allOf`.
#[derive(Default)]
pub(super) struct ObjectParts<'a> {
    pub(super) properties: Vec<(&'a str, &'a oa::ReferenceOr<Box<oa::Schema>>, String)>,
    pub(super) required: BTreeSet<&'a str>,
    additional: Option<&'a oa::AdditionalProperties>,
}

impl<'a> Lowerer<'a> {
    /// A struct for an object schema (or an `allOf` of objects); `None` when the schema
    /// is better seen as another type (a map, or a single-member `allOf` wrapper).
    pub(super) fn struct_kind(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<Option<TypeKind>, Error> {
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
    pub(super) fn single_member(&self, members: &'a [oa::ReferenceOr<oa::Schema>]) -> Option<&'a oa::ReferenceOr<oa::Schema>> {
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
    pub(super) fn gather_object(&mut self, schema: &'a oa::Schema, pointer: &str, parts: &mut ObjectParts<'a>, depth: usize) -> Result<bool, Error> {
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

    pub(super) fn inline_struct(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
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
}
