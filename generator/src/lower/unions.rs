//! `oneOf`/`anyOf`: tagged by a `discriminator` or by a property every member pins to one
//! value, else untagged. After naming (`finish_unions`), untagged variants are ordered so each
//! stays reachable and tagged variants lose the tag field (copied when shared).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3 as oa;

use crate::error::{pointer_push, Error, Warning};
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::{Ctx, Lowerer};
use super::objects::ObjectParts;
use super::shape::{is_null_only, shape, Shape};

impl<'a> Lowerer<'a> {
    /// `oneOf`/`anyOf`: a Rust enum, or just the member's type when only one is left
    /// after `null` members are dropped (the field becomes nullable instead).
    pub(super) fn union(&mut self, schema: &'a oa::Schema, members: &'a [oa::ReferenceOr<oa::Schema>], ctx: &Ctx, pointer: &str) -> Result<Lowered, Error> {
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
}

/// What a union lowers to.
pub(super) enum Lowered {
    Type(TypeRef),
    Union(UnionDef),
}

/// How an untagged union's variant competes with the others: serde tries variants in
/// order and takes the first that fits, so specific shapes go first and catch-alls last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// Lists first: only a JSON array fits them, while serde's derived struct
    /// `Deserialize` also takes an array (the struct's fields in order), so a struct tried
    /// first could take a list meant for the list variant.
    Array,
    /// A struct with required fields (more required fields first).
    Struct(std::cmp::Reverse<usize>),
    Union,
    Bool,
    Int,
    Float,
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
pub(super) fn finish_unions(types: &mut Vec<TypeDef>, operations: &[Operation], names: &mut Namespace, file: &Path, warnings: &mut Vec<Warning>) {
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
