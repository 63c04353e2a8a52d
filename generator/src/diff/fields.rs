//! Rules for struct fields and `Default` impls: added (breaking in request types, minor in
//! response-only ones), removed, renamed, retyped, required or nullable changed.

use crate::ir::*;

use super::change::{ChangeKind, Severity};
use super::spelling::{field_type, option_depth, render};
use super::walk::{pair, Differ};

impl Differ<'_> {
    pub(super) fn struct_def(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        let (old, new) = (self.old, self.new);
        let response_only = self.roles.get(name).is_some_and(|r| r.response_only());
        if o.default && !n.default {
            self.push(
                Severity::Breaking,
                ChangeKind::DefaultImplRemoved,
                name,
                None,
                None,
                "no longer implements `Default`",
            );
        } else if !o.default && n.default {
            self.push(Severity::Minor, ChangeKind::DefaultImplAdded, name, None, None, "now implements `Default`");
        }
        let (pairs, removed, added) =
            pair(&o.fields, &n.fields, |f: &Field| f.wire.clone(), |f: &Field| f.ident.clone());
        for i in removed {
            let Some(f) = o.fields.get(i) else { continue };
            self.push(
                Severity::Breaking,
                ChangeKind::FieldRemoved,
                format!("{name}.{}", f.ident),
                Some(field_type(old, f)),
                None,
                format!("field removed (was `{}`)", field_type(old, f)),
            );
        }
        for j in added {
            let Some(f) = n.fields.get(j) else { continue };
            let t = field_type(new, f);
            let req = if option_depth(f) > 0 { "optional" } else { "required" };
            let (severity, message) = if response_only {
                let extra = if f.required && !f.nullable { "; responses without it now fail to decode" } else { "" };
                (
                    Severity::Minor,
                    format!("new {req} field of type `{t}` in a response-only type (additive for code that reads it; hand-built values must name it){extra}"),
                )
            } else {
                let hint = if n.default && (option_depth(f) > 0) { "; `..Default::default()` still compiles" } else { "" };
                (
                    Severity::Breaking,
                    format!("new {req} field of type `{t}`: struct literals of this request type must name it{hint}"),
                )
            };
            self.push(severity, ChangeKind::FieldAdded, format!("{name}.{}", f.ident), None, Some(t), message);
        }
        for (i, j) in pairs {
            let (Some(of), Some(nf)) = (o.fields.get(i), n.fields.get(j)) else {
                continue;
            };
            self.field(name, of, nf);
        }
    }

    fn field(&mut self, name: &str, o: &Field, n: &Field) {
        let (old, new) = (self.old, self.new);
        let item = format!("{name}.{}", n.ident);
        let (ot, nt) = (field_type(old, o), field_type(new, n));
        if o.ident != n.ident {
            self.push(
                Severity::Breaking,
                ChangeKind::FieldRenamed,
                &item,
                Some(o.ident.clone()),
                Some(n.ident.clone()),
                format!("field renamed from `{}` (wire name `{}`)", o.ident, n.wire),
            );
        }
        if o.wire != n.wire {
            self.push(
                Severity::Minor,
                ChangeKind::FieldWireNameChanged,
                &item,
                Some(o.wire.clone()),
                Some(n.wire.clone()),
                format!("JSON property `{}` → `{}`; the Rust field is unchanged", o.wire, n.wire),
            );
        }
        if render(old, &o.ty) != render(new, &n.ty) {
            self.push(
                Severity::Breaking,
                ChangeKind::FieldTypeChanged,
                &item,
                Some(ot.clone()),
                Some(nt.clone()),
                format!("type `{ot}` → `{nt}`"),
            );
        }
        let option_changed = option_depth(o) != option_depth(n);
        if o.required != n.required {
            let what = if n.required { "now required" } else { "now optional" };
            let (severity, message) = if option_changed {
                (Severity::Breaking, format!("{what}: `{ot}` → `{nt}`"))
            } else if n.required {
                (
                    Severity::Minor,
                    format!("{what}; the Rust type stays `{nt}` (nullable), but `None` is now sent as `null` instead of being left out"),
                )
            } else {
                (
                    Severity::Minor,
                    format!("{what}; the Rust type stays `{nt}` (nullable), but `None` is now left out instead of sent as `null`"),
                )
            };
            self.push(severity, ChangeKind::FieldRequiredChanged, &item, Some(ot.clone()), Some(nt.clone()), message);
        }
        if o.nullable != n.nullable {
            let what = if n.nullable { "now nullable" } else { "no longer nullable" };
            let (severity, message) = if option_changed {
                (Severity::Breaking, format!("{what}: `{ot}` → `{nt}`"))
            } else {
                (
                    Severity::Minor,
                    format!("{what}; the Rust type stays `{nt}`, but what `None` means on the wire changed"),
                )
            };
            self.push(severity, ChangeKind::FieldNullableChanged, &item, Some(ot.clone()), Some(nt.clone()), message);
        }
        if o.deprecated != n.deprecated {
            self.deprecated(&item, o.deprecated, n.deprecated);
        }
        self.doc(&item, o.doc.as_deref(), n.doc.as_deref());
    }
}
