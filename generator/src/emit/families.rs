//! Families: structs that differ only in the type of one field become one generic struct and
//! a type alias per member.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::*;
use crate::naming;

use super::docs::{doc_attrs, opt_doc};
use super::emitter::{ident, Emitter};

/// Structs that differ only in the type of one field (GenAuth's envelopes differ only in
/// `data`): one generic struct, and a type alias per member, instead of a struct each.
#[derive(Debug, Clone)]
pub(super) struct Family {
    /// The generic struct's name.
    name: String,
    /// The position of the field whose type varies.
    field: usize,
    /// Every member's varying field is a `Vec`: the generic field is `Vec<T>`.
    vec: bool,
    /// The members, by type index, in order.
    pub(super) members: Vec<usize>,
    /// Their names.
    names: Vec<String>,
}

impl Family {
    fn index_of(&self, t: &TypeDef) -> usize {
        self.names
            .iter()
            .position(|n| *n == t.name)
            .and_then(|i| self.members.get(i).copied())
            .unwrap_or(usize::MAX)
    }
}

/// Families need this many members to be worth a generic struct.
const MIN_FAMILY: usize = 4;

/// FNV-1a, for deterministic signatures.
fn fnv(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(seed ^ 0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Finds the families among the structs of `ir`; returns them and, per type, the index of
/// its family.
pub(super) fn families(ir: &Ir) -> (Vec<Family>, Vec<Option<usize>>) {
    // Per struct: each field's signature with and without its type and docs, combined into
    // prefix and suffix hashes so the key "all fields but the one at `p`" costs O(1).
    let mut groups: BTreeMap<(usize, u64), Vec<usize>> = BTreeMap::new();
    for (i, t) in ir.types.iter().enumerate() {
        let TypeKind::Struct(s) = &t.kind else { continue };
        if !s.default || s.additional.is_some() || s.fields.len() < 2 {
            continue;
        }
        let full: Vec<u64> = s
            .fields
            .iter()
            .map(|f| {
                let sig = format!(
                    "{}|{}|{}|{}|{}|{}|{}",
                    f.ident,
                    f.wire,
                    f.required,
                    f.nullable,
                    f.deprecated,
                    f.ty.rust(ir),
                    f.doc.as_deref().unwrap_or("")
                );
                fnv(sig.as_bytes(), 1)
            })
            .collect();
        let bare: Vec<u64> = s
            .fields
            .iter()
            .map(|f| fnv(format!("{}|{}|{}|{}|{}", f.ident, f.wire, f.required, f.nullable, f.deprecated).as_bytes(), 2))
            .collect();
        let n = full.len();
        // prefix[k]: fields before k; suffix[k]: fields from k on.
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(u64::from(s.lenient));
        for f in &full {
            let last = prefix.last().copied().unwrap_or(0);
            prefix.push(fnv(&last.to_le_bytes(), *f));
        }
        let mut suffix = vec![0u64];
        for f in full.iter().rev() {
            let last = suffix.last().copied().unwrap_or(0);
            suffix.push(fnv(&last.to_le_bytes(), *f));
        }
        suffix.reverse();
        for (p, b) in bare.iter().enumerate() {
            let (Some(before), Some(after)) = (prefix.get(p), suffix.get(p + 1)) else { continue };
            let key = fnv(&[before.to_le_bytes(), after.to_le_bytes(), b.to_le_bytes()].concat(), n as u64);
            groups.entry((p, key)).or_default().push(i);
        }
    }
    let mut candidates: Vec<(usize, Vec<usize>)> = groups
        .into_iter()
        .filter(|(_, members)| members.len() >= MIN_FAMILY)
        .map(|((p, _), members)| (p, members))
        .collect();
    // Largest first; ties by first member, so the choice is deterministic.
    candidates.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1.first().cmp(&b.1.first())));
    let mut of: Vec<Option<usize>> = vec![None; ir.types.len()];
    let mut out: Vec<Family> = Vec::new();
    let taken: BTreeSet<&str> = ir.types.iter().map(|t| t.name.as_str()).collect();
    let mut new_names: BTreeSet<String> = BTreeSet::new();
    for (field, members) in candidates {
        let members: Vec<usize> = members.into_iter().filter(|m| of.get(*m).is_some_and(Option::is_none)).collect();
        // Hash collisions aside, members agree on everything but the varying field's type;
        // check that for real against the first member.
        let structs: Vec<(&TypeDef, &StructDef)> = members
            .iter()
            .filter_map(|m| match ir.types.get(*m) {
                Some(t @ TypeDef { kind: TypeKind::Struct(s), .. }) => Some((t, s)),
                _ => None,
            })
            .collect();
        let Some((_, first)) = structs.first() else { continue };
        let same = |a: &Field, b: &Field, varying: bool| {
            a.ident == b.ident
                && a.wire == b.wire
                && a.required == b.required
                && a.nullable == b.nullable
                && a.deprecated == b.deprecated
                && (varying || (a.ty == b.ty && a.doc == b.doc))
        };
        let members: Vec<(usize, &TypeDef, &StructDef)> = members
            .iter()
            .zip(structs.iter())
            .filter(|(_, (_, s))| {
                s.lenient == first.lenient
                    && s.fields.len() == first.fields.len()
                    && s.fields.iter().zip(&first.fields).enumerate().all(|(k, (a, b))| same(a, b, k == field))
            })
            .map(|(m, (t, s))| (*m, *t, *s))
            .collect();
        let types: BTreeSet<String> = members
            .iter()
            .filter_map(|(_, _, s)| s.fields.get(field).map(|f| f.ty.rust(ir)))
            .collect();
        if members.len() < MIN_FAMILY || types.len() < 2 {
            continue;
        }
        let vec = members.iter().all(|(_, _, s)| matches!(s.fields.get(field).map(|f| &f.ty), Some(TypeRef::Vec(_))));
        let names: Vec<String> = members.iter().map(|(_, t, _)| t.name.clone()).collect();
        // Member names are type names already; what they share may still be one the
        // generated code uses unqualified (`JobResult`, `TaskResult` → `Result`).
        let base = naming::unreserved_type_name(
            common_word_suffix(&names).unwrap_or_else(|| format!("{}Shape", names.first().map(String::as_str).unwrap_or("Generic"))),
        );
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(name.as_str()) || new_names.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        new_names.insert(name.clone());
        let index = out.len();
        for (m, _, _) in &members {
            if let Some(slot) = of.get_mut(*m) {
                *slot = Some(index);
            }
        }
        out.push(Family {
            name,
            field,
            vec,
            members: members.iter().map(|(m, _, _)| *m).collect(),
            names,
        });
    }
    (out, of)
}

/// A name for what `names` share: the run of whole words ending at least half of them
/// (`RespDto` in `UserSingleRespDto`, `IsSuccessRespDto`, ...), longer runs preferred
/// (words × names that end with it, ties to the longer, then alphabetical).
fn common_word_suffix(names: &[String]) -> Option<String> {
    let mut suffixes: BTreeSet<&str> = BTreeSet::new();
    for n in names {
        for (i, c) in n.char_indices() {
            if i > 0 && c.is_ascii_uppercase() {
                suffixes.insert(n.split_at(i).1);
            }
        }
    }
    let words = |s: &str| s.chars().filter(char::is_ascii_uppercase).count();
    suffixes
        .into_iter()
        .map(|s| (s, names.iter().filter(|n| n.ends_with(s) && n.len() > s.len()).count()))
        .filter(|(_, count)| count * 2 >= names.len())
        .max_by(|(a, ca), (b, cb)| (ca * words(a), a.len(), std::cmp::Reverse(*a)).cmp(&(cb * words(b), b.len(), std::cmp::Reverse(*b))))
        .map(|(s, _)| s.to_owned())
}

impl Emitter<'_> {
    /// A member of a family: a type alias of the generic struct (which comes first when
    /// this is the family's first member).
    pub(super) fn family_member(&self, family: &Family, t: &TypeDef, s: &StructDef, cfg: &TokenStream, first_cfg: &TokenStream) -> TokenStream {
        let name = ident(&t.name);
        let generic = ident(&family.name);
        let doc = opt_doc(t.doc.as_deref());
        let arg = match s.fields.get(family.field).map(|f| &f.ty) {
            Some(TypeRef::Vec(inner)) if family.vec => self.ty(inner),
            Some(other) => self.ty(other),
            None => quote!(serde_json::Value),
        };
        let alias = quote! {
            #doc
            #cfg
            pub type #name = #generic<#arg>;
        };
        if family.members.first() != Some(&family.index_of(t)) {
            return alias;
        }
        let member_names: Vec<&str> = family.names.iter().take(3).map(String::as_str).collect();
        let varying = s.fields.get(family.field).map(|f| f.wire.as_str()).unwrap_or_default();
        let gdoc = doc_attrs(&format!(
            "The shape {} types share: they differ only in `{varying}` (the parameter `T`). \
             Each is defined as this struct with its own `T`, e.g. `{}`.",
            family.members.len(),
            member_names.join("`, `")
        ));
        let def = self.struct_def_generic(&generic, quote!(#gdoc #first_cfg), first_cfg, s, Some((family.field, family.vec)));
        quote!(#def #alias)
    }
}
