//! Defaults and leniency: whether a spec default fits a type, which structs can derive
//! `Default` (to a fixpoint), and which structs responses reach, to decode leniently.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::ir::*;

use super::context::Lowerer;

impl<'a> Lowerer<'a> {
    /// Whether a spec default can be written as a value of `ty`.
    pub(super) fn default_fits(&self, ty: &TypeRef, value: &Value) -> bool {
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
}

/// Marks the structs reachable from response bodies as lenient, except structs that are
/// members of untagged unions (their strictness is what tells the variants apart).
pub(super) fn mark_lenient(types: &mut [TypeDef], operations: &[Operation]) {
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
pub(super) fn compute_defaults(types: &mut [TypeDef]) {
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
