//! Rules for named types: added, removed, changed kind, alias target and union variants.

use std::collections::BTreeMap;

use crate::ir::*;

use super::change::{ChangeKind, Severity};
use super::spelling::{render, union_shape};
use super::walk::Differ;

impl Differ<'_> {
    pub(super) fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let by_name = |ir: &'_ Ir| -> BTreeMap<String, usize> {
            ir.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect()
        };
        let (om, nm) = (by_name(old), by_name(new));
        for (name, &i) in &om {
            let Some(o) = old.types.get(i) else { continue };
            match nm.get(name).and_then(|&j| new.types.get(j)) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRemoved,
                    name,
                    Some(kind_name(&o.kind).to_owned()),
                    None,
                    format!("{} removed", kind_name(&o.kind)),
                ),
                Some(n) => self.type_def(o, n),
            }
        }
        for (name, &j) in &nm {
            if om.contains_key(name) {
                continue;
            }
            let Some(n) = new.types.get(j) else { continue };
            let used = match self.roles.get(name) {
                Some(r) if r.request && r.response => "used in requests and responses",
                Some(r) if r.request => "used in requests",
                Some(r) if r.response => "used in responses",
                _ => "not used by any method",
            };
            self.push(
                Severity::Minor,
                ChangeKind::TypeAdded,
                name,
                None,
                Some(kind_name(&n.kind).to_owned()),
                format!("new {} ({used})", kind_name(&n.kind)),
            );
        }
    }

    fn type_def(&mut self, o: &TypeDef, n: &TypeDef) {
        let (old, new) = (self.old, self.new);
        let name = n.name.clone();
        match (&o.kind, &n.kind) {
            (TypeKind::Struct(os), TypeKind::Struct(ns)) => self.struct_def(&name, os, ns),
            (TypeKind::Enum(oe), TypeKind::Enum(ne)) => self.enum_def(&name, oe, ne),
            (TypeKind::Alias(ot), TypeKind::Alias(nt)) => {
                let (ot, nt) = (render(old, ot), render(new, nt));
                if ot != nt {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::AliasTargetChanged,
                        &name,
                        Some(ot.clone()),
                        Some(nt.clone()),
                        format!("`type {name} = {ot}` → `{nt}`"),
                    );
                }
            }
            (TypeKind::Union(ou), TypeKind::Union(nu)) => {
                let (os, ns) = (union_shape(old, ou), union_shape(new, nu));
                if os != ns {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::UnionVariantsChanged,
                        &name,
                        Some(os.clone()),
                        Some(ns.clone()),
                        format!("enum variants changed: {os} → {ns}"),
                    );
                }
            }
            (ok, nk) => {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeKindChanged,
                    &name,
                    Some(kind_name(ok).to_owned()),
                    Some(kind_name(nk).to_owned()),
                    format!("{} → {}", kind_name(ok), kind_name(nk)),
                );
                return;
            }
        }
        self.doc(&name, o.doc.as_deref(), n.doc.as_deref());
    }
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Union(_) => "enum (one of several types)",
    }
}
