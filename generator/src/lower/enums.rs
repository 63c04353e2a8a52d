//! String enums: variants named from the values (the name `Unknown` stays free for values
//! this SDK does not know), the spec's default, and inline enums shared by properties of the
//! same name and values. An inline enum's `title` (on any of its occurrences) names the type.

use std::collections::BTreeSet;

use openapiv3 as oa;
use serde_json::Value;

use crate::error::pointer_push;
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::{Ctx, EnumKey, Lowerer, Origin};

impl<'a> Lowerer<'a> {
    pub(super) fn enum_def(&mut self, values: &[String], default: Option<&Value>, pointer: &str) -> TypeKind {
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

    pub(super) fn inline_enum(&mut self, values: &[String], schema: &'a oa::Schema, ctx: &Ctx, pointer: &str) -> TypeRef {
        let default = schema.schema_data.default.as_ref();
        // Occurrences are one type when they share a property name, or a `title`, and the
        // values; a titled type is found under both keys.
        let mut sorted: Vec<String> = values.to_vec();
        sorted.sort();
        sorted.dedup();
        let key_of = |name: &String| EnumKey {
            prop: name.clone(),
            values: sorted.clone(),
        };
        let title_key = schema.schema_data.title.as_ref().map(key_of);
        let prop_key = ctx.prop.as_ref().map(key_of);
        let found = [&title_key, &prop_key]
            .into_iter()
            .flatten()
            .find_map(|k| self.enums.get(k).copied());
        if let (Some(id), Some(k)) = (found, &title_key) {
            self.enums.entry(k.clone()).or_insert(id);
        }
        if let Some(id) = found {
            let mut merged_default = None;
            if let Some(d) = self.drafts.get_mut(id.0) {
                if let Origin::Enum { uses, title, .. } = &mut d.origin {
                    *uses += 1;
                    if title.is_none() {
                        title.clone_from(&schema.schema_data.title);
                    }
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
                title: schema.schema_data.title.clone(),
            },
            pointer,
            schema.schema_data.description.clone(),
        );
        let kind = self.enum_def(values, default, pointer);
        self.set_kind(id, kind);
        for k in [title_key, prop_key].into_iter().flatten() {
            self.enums.entry(k).or_insert(id);
        }
        TypeRef::Named(id)
    }
}
