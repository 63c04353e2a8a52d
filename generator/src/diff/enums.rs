//! Rules for string enum values: added (minor), removed or renamed (breaking), default
//! changed.

use crate::ir::*;

use super::change::{ChangeKind, Severity};
use super::walk::{pair, Differ};

impl Differ<'_> {
    pub(super) fn enum_def(&mut self, name: &str, o: &EnumDef, n: &EnumDef) {
        let (pairs, removed, added) =
            pair(&o.variants, &n.variants, |v: &Variant| v.wire.clone(), |v: &Variant| v.ident.clone());
        for i in removed {
            let Some(v) = o.variants.get(i) else { continue };
            self.push(
                Severity::Breaking,
                ChangeKind::EnumValueRemoved,
                format!("{name}::{}", v.ident),
                Some(format!("{:?}", v.wire)),
                None,
                format!("variant removed; {:?} now arrives as `{name}::{}({:?})`", v.wire, n.unknown, v.wire),
            );
        }
        for j in added {
            let Some(v) = n.variants.get(j) else { continue };
            self.push(
                Severity::Minor,
                ChangeKind::EnumValueAdded,
                format!("{name}::{}", v.ident),
                None,
                Some(format!("{:?}", v.wire)),
                format!(
                    "new value {:?} (the enum is `#[non_exhaustive]`; this value used to arrive as `{}({:?})`)",
                    v.wire, o.unknown, v.wire
                ),
            );
        }
        for (i, j) in pairs {
            let (Some(ov), Some(nv)) = (o.variants.get(i), n.variants.get(j)) else {
                continue;
            };
            let item = format!("{name}::{}", nv.ident);
            if ov.ident != nv.ident {
                self.push(
                    Severity::Breaking,
                    ChangeKind::EnumVariantRenamed,
                    &item,
                    Some(ov.ident.clone()),
                    Some(nv.ident.clone()),
                    format!("variant renamed from `{}` (value {:?})", ov.ident, nv.wire),
                );
            }
            if ov.wire != nv.wire {
                self.push(
                    Severity::Minor,
                    ChangeKind::EnumValueWireChanged,
                    &item,
                    Some(format!("{:?}", ov.wire)),
                    Some(format!("{:?}", nv.wire)),
                    format!("sent and read as {:?} (was {:?})", nv.wire, ov.wire),
                );
            }
        }
        if o.unknown != n.unknown {
            self.push(
                Severity::Breaking,
                ChangeKind::EnumVariantRenamed,
                format!("{name}::{}", n.unknown),
                Some(o.unknown.clone()),
                Some(n.unknown.clone()),
                format!("the catch-all variant for unknown values is renamed from `{}`", o.unknown),
            );
        }
        let default_of =
            |e: &EnumDef| e.default.and_then(|i| e.variants.get(i)).map(|v| (v.wire.clone(), v.ident.clone()));
        match (default_of(o), default_of(n)) {
            (Some(_), None) => self.push(
                Severity::Breaking,
                ChangeKind::DefaultImplRemoved,
                name,
                None,
                None,
                "no longer implements `Default`",
            ),
            (None, Some((_, ident))) => self.push(
                Severity::Minor,
                ChangeKind::DefaultImplAdded,
                name,
                None,
                Some(ident.clone()),
                format!("now implements `Default` (`{name}::{ident}`)"),
            ),
            (Some((ow, oi)), Some((nw, ni))) if ow != nw => self.push(
                Severity::Minor,
                ChangeKind::EnumDefaultChanged,
                name,
                Some(oi.clone()),
                Some(ni.clone()),
                format!("`{name}::default()` is now `{ni}` (was `{oi}`)"),
            ),
            _ => {}
        }
    }
}
