//! Rules for the fields of `...Params` structs and the arguments of their `new`.

use crate::ir::*;

use super::change::{ChangeKind, Severity};
use super::spelling::{param_type, render};
use super::walk::{pair, Differ};

impl Differ<'_> {
    pub(super) fn params(&mut self, o: &ParamsDef, n: &ParamsDef) {
        let (old, new) = (self.old, self.new);
        let name = &n.name;
        let (pairs, removed, added) =
            pair(&o.fields, &n.fields, |p: &Param| p.wire.clone(), |p: &Param| p.ident.clone());
        for i in removed {
            let Some(p) = o.fields.get(i) else { continue };
            let t = param_type(old, p);
            self.push(
                Severity::Breaking,
                ChangeKind::ParamRemoved,
                format!("{}.{}", o.name, p.ident),
                Some(t),
                None,
                format!("parameter `{}` removed", p.wire),
            );
        }
        for j in added {
            let Some(p) = n.fields.get(j) else { continue };
            let t = param_type(new, p);
            // Params structs are `#[non_exhaustive]`: users build them with `new` and set
            // fields, so only a new argument of `new` breaks them.
            let (severity, message) = if p.required {
                (
                    Severity::Breaking,
                    format!("new required parameter `{}`: `{name}::new` takes it as an argument", p.wire),
                )
            } else {
                (
                    Severity::Minor,
                    format!(
                        "new optional parameter `{}`: `{name}::new` is unchanged (the struct is `#[non_exhaustive]`)",
                        p.wire
                    ),
                )
            };
            self.push(
                severity,
                ChangeKind::ParamAdded,
                format!("{name}.{}", p.ident),
                None,
                Some(t),
                message,
            );
        }
        for (i, j) in pairs {
            let (Some(op), Some(np)) = (o.fields.get(i), n.fields.get(j)) else {
                continue;
            };
            let item = format!("{name}.{}", np.ident);
            if op.ident != np.ident {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParamRenamed,
                    &item,
                    Some(op.ident.clone()),
                    Some(np.ident.clone()),
                    format!("field renamed from `{}`", op.ident),
                );
            }
            if op.wire != np.wire {
                self.push(
                    Severity::Minor,
                    ChangeKind::ParamWireNameChanged,
                    &item,
                    Some(op.wire.clone()),
                    Some(np.wire.clone()),
                    format!("sent as `{}` (was `{}`); the Rust field is unchanged", np.wire, op.wire),
                );
            }
            let (ot, nt) = (render(old, &op.ty), render(new, &np.ty));
            if ot != nt {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParamTypeChanged,
                    &item,
                    Some(param_type(old, op)),
                    Some(param_type(new, np)),
                    format!("type `{}` → `{}`", param_type(old, op), param_type(new, np)),
                );
            }
            if op.required != np.required {
                let message = if np.required {
                    format!(
                        "now required: `{}` → `{}`, and `{name}::new` takes it",
                        param_type(old, op),
                        param_type(new, np)
                    )
                } else {
                    format!(
                        "now optional: `{}` → `{}`, and `{name}::new` no longer takes it",
                        param_type(old, op),
                        param_type(new, np)
                    )
                };
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParamRequiredChanged,
                    &item,
                    Some(param_type(old, op)),
                    Some(param_type(new, np)),
                    message,
                );
            }
            if op.default != np.default {
                let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
                let (od, nd) = (show(&op.default), show(&np.default));
                let text = |d: &Option<String>| d.clone().unwrap_or_else(|| "unset".to_owned());
                if np.required {
                    self.push(
                        Severity::Patch,
                        ChangeKind::ParamDefaultChanged,
                        &item,
                        od.clone(),
                        nd.clone(),
                        format!("documented default {} → {} (required, so `new` is unaffected)", text(&od), text(&nd)),
                    );
                } else {
                    self.push(
                        Severity::Minor,
                        ChangeKind::ParamDefaultChanged,
                        &item,
                        od.clone(),
                        nd.clone(),
                        format!("`{name}::new` now starts it at {} (was {})", text(&nd), text(&od)),
                    );
                }
            }
            if op.location != np.location {
                let loc = |l: ParamIn| match l {
                    ParamIn::Path => "path",
                    ParamIn::Query => "query",
                    ParamIn::DeepQuery => "query as `key[field]=value` (deepObject)",
                    ParamIn::JoinedQuery => "query as one comma-separated value (explode: false)",
                    ParamIn::Header => "header",
                    ParamIn::Form => "form",
                    ParamIn::Multipart => "multipart form",
                };
                self.push(
                    Severity::Minor,
                    ChangeKind::ParamLocationChanged,
                    &item,
                    Some(loc(op.location).to_owned()),
                    Some(loc(np.location).to_owned()),
                    format!("sent in the {} (was the {})", loc(np.location), loc(op.location)),
                );
            }
            self.doc(&item, op.doc.as_deref(), np.doc.as_deref());
        }
        // `new`'s argument order, when the set of required parameters is the same.
        let ctor = |ir: &Ir, p: &ParamsDef| -> Vec<(String, String)> {
            p.fields.iter().filter(|f| f.required).map(|f| (f.wire.clone(), render(ir, &f.ty))).collect()
        };
        let (oc, nc) = (ctor(old, o), ctor(new, n));
        let sorted = |v: &[(String, String)]| -> Vec<(String, String)> {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        if oc != nc && sorted(&oc) == sorted(&nc) {
            let show = |v: &[(String, String)]| -> String {
                let parts: Vec<&str> = v.iter().map(|(w, _)| w.as_str()).collect();
                format!("({})", parts.join(", "))
            };
            self.push(
                Severity::Breaking,
                ChangeKind::ParamsConstructorChanged,
                format!("{name}::new"),
                Some(show(&oc)),
                Some(show(&nc)),
                format!("arguments reordered {} → {}", show(&oc), show(&nc)),
            );
        }
    }
}
