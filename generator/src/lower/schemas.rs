//! Schemas to types: every component schema gets a draft type, and `type_of` gives the
//! [`TypeRef`] of any schema used in place (a property, item, parameter, body), following
//! `$ref`s to components and guarding against nesting without end.

use openapiv3 as oa;

use crate::error::{pointer_push, Error};
use crate::ir::*;
use crate::naming;

use super::context::{Ctx, Lowerer, MAX_REF_DEPTH, MAX_TYPE_DEPTH, Origin};
use super::shape::{int_kind, object_fields, prop_box_as_ref, shape, RefOrSchema, Shape};
use super::unions::Lowered;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_components(&mut self) -> Result<(), Error> {
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

    /// Follows a `$ref` to a component schema (through chains of references); `None`
    /// (with a warning) when it points at nothing.
    pub(super) fn component_schema(&mut self, reference: &str, pointer: &str) -> Result<Option<(&'a oa::Schema, String)>, Error> {
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

    pub(super) fn component_name(&self, reference: &str, pointer: &str) -> Result<String, Error> {
        match reference.strip_prefix("#/components/schemas/") {
            Some(rest) if !rest.contains('/') => Ok(crate::error::pointer_unescape(rest)),
            _ => Err(Error::invalid(
                self.file,
                pointer,
                format!("unsupported `$ref: {reference}`; expected a reference to `#/components/schemas/<name>`"),
            )),
        }
    }

    pub(super) fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
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

    pub(super) fn type_of_ref(&mut self, schema: RefOrSchema<'a>, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
        match schema {
            RefOrSchema::Ref(reference) => self.resolve_schema_ref(reference, pointer),
            RefOrSchema::Item(schema) => self.type_of(schema, ctx, pointer),
        }
    }

    /// The type of a schema used in place (a property, parameter, body, item ...).
    pub(super) fn type_of(&mut self, schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> Result<TypeRef, Error> {
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
}
