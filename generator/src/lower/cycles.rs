//! Cycles between types: `$ref` chains of aliases that never reach a type are errors; every
//! cycle of by-value containment gets a `Box` on the edge that closes it.

use std::path::Path;

use crate::error::Error;
use crate::ir::*;

/// `type A = B; type B = A;` can never be written; report it.
pub(super) fn check_alias_cycles(types: &[TypeDef], file: &Path) -> Result<(), Error> {
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
pub(super) fn box_cycles(types: &mut [TypeDef]) {
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
