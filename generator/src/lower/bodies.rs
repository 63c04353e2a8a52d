//! Request bodies and success responses: the preferred media type (JSON, forms, multipart,
//! text, bytes), form fields and files, and per-status response types when 2xx bodies differ.

use std::collections::BTreeSet;

use openapiv3 as oa;

use crate::error::{pointer_push, Error};
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::{Ctx, Lowerer};
use super::objects::ObjectParts;
use super::shape::{field_doc, format_str, prop_box_as_ref, shape, RefOrSchema, Shape};

impl<'a> Lowerer<'a> {
    pub(super) fn resolve_request_body(&self, rb: &'a oa::ReferenceOr<oa::RequestBody>, pointer: &str) -> Result<&'a oa::RequestBody, Error> {
        let components = self.doc.api.components.as_ref().map(|c| &c.request_bodies);
        self.follow(rb, components, "requestBodies", "request body", pointer)
    }

    fn resolve_response(&self, r: &'a oa::ReferenceOr<oa::Response>, pointer: &str) -> Result<&'a oa::Response, Error> {
        let components = self.doc.api.components.as_ref().map(|c| &c.responses);
        self.follow(r, components, "responses", "response", pointer)
    }

    pub(super) fn lower_body(&mut self, rb: &'a oa::RequestBody, op_name: &str, pointer: &str) -> Result<Option<Body>, Error> {
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
    pub(super) fn lower_responses(
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
