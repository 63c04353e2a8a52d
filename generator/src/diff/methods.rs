//! Rules for methods: added, removed, renamed, moved, and changed path arguments, params
//! struct, body, return type, docs and deprecation.

use crate::ir::*;

use super::change::{ChangeKind, Severity};
use super::spelling::{arg_type, body_type, render, response_type, route, route_text};
use super::walk::{norm_doc, pair, Differ};

impl Differ<'_> {
    pub(super) fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let (pairs, removed, added) = pair(&old.operations, &new.operations, route, |op: &Operation| op.ident.clone());
        for i in removed {
            let Some(op) = old.operations.get(i) else { continue };
            self.push(
                Severity::Breaking,
                ChangeKind::MethodRemoved,
                &op.ident,
                Some(route_text(op)),
                None,
                format!("method removed ({})", route_text(op)),
            );
            self.stream(op.pagination.as_ref(), None);
        }
        for j in added {
            let Some(op) = new.operations.get(j) else { continue };
            self.push(
                Severity::Minor,
                ChangeKind::MethodAdded,
                &op.ident,
                None,
                Some(route_text(op)),
                format!("new method ({})", route_text(op)),
            );
            self.stream(None, op.pagination.as_ref());
        }
        for (i, j) in pairs {
            if let (Some(o), Some(n)) = (old.operations.get(i), new.operations.get(j)) {
                self.operation(o, n);
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let (old, new) = (self.old, self.new);
        let item = n.ident.clone();
        if o.ident != n.ident {
            self.push(
                Severity::Breaking,
                ChangeKind::MethodRenamed,
                &item,
                Some(o.ident.clone()),
                Some(n.ident.clone()),
                format!("method renamed from `{}` ({}); callers of the old name break", o.ident, route_text(n)),
            );
        }
        if route(o) != route(n) {
            self.push(
                Severity::Minor,
                ChangeKind::MethodRouteChanged,
                &item,
                Some(route_text(o)),
                Some(route_text(n)),
                format!("now sends {} (was {}); the signature is unchanged", route_text(n), route_text(o)),
            );
        }
        // Path arguments.
        let args = |ir: &Ir, op: &Operation| -> Vec<(String, String)> {
            op.path_params.iter().map(|p| (p.ident.clone(), arg_type(ir, p))).collect()
        };
        let (oa, na) = (args(old, o), args(new, n));
        let show = |a: &[(String, String)]| -> String {
            let parts: Vec<String> = a.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!("({})", parts.join(", "))
        };
        let types_of = |a: &[(String, String)]| -> Vec<String> { a.iter().map(|(_, t)| t.clone()).collect() };
        if types_of(&oa) != types_of(&na) {
            self.push(
                Severity::Breaking,
                ChangeKind::MethodArgumentsChanged,
                &item,
                Some(show(&oa)),
                Some(show(&na)),
                format!("path arguments {} → {}", show(&oa), show(&na)),
            );
        } else if oa != na {
            self.push(
                Severity::Patch,
                ChangeKind::MethodArgumentsChanged,
                &item,
                Some(show(&oa)),
                Some(show(&na)),
                format!("path arguments renamed {} → {} (callers pass them by position)", show(&oa), show(&na)),
            );
        }
        // The params struct.
        match (&o.params, &n.params) {
            (None, Some(p)) => self.push(
                Severity::Breaking,
                ChangeKind::MethodParamsChanged,
                &item,
                None,
                Some(format!("&{}", p.name)),
                format!("now takes `params: &{}`", p.name),
            ),
            (Some(p), None) => self.push(
                Severity::Breaking,
                ChangeKind::MethodParamsChanged,
                &item,
                Some(format!("&{}", p.name)),
                None,
                format!("no longer takes `params: &{}` (struct removed)", p.name),
            ),
            (Some(op), Some(np)) => {
                if op.name != np.name {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::MethodParamsChanged,
                        &item,
                        Some(op.name.clone()),
                        Some(np.name.clone()),
                        format!("params struct renamed `{}` → `{}`", op.name, np.name),
                    );
                }
                self.params(op, np);
            }
            (None, None) => {}
        }
        // The body.
        match (&o.body, &n.body) {
            (None, Some(b)) => {
                let t = body_type(new, b);
                self.push(
                    Severity::Breaking,
                    ChangeKind::MethodBodyChanged,
                    &item,
                    None,
                    Some(t.clone()),
                    format!("now takes `body: {t}`"),
                );
            }
            (Some(b), None) => {
                let t = body_type(old, b);
                self.push(
                    Severity::Breaking,
                    ChangeKind::MethodBodyChanged,
                    &item,
                    Some(t.clone()),
                    None,
                    format!("no longer takes `body: {t}`"),
                );
            }
            (Some(ob), Some(nb)) => {
                let (ot, nt) = (body_type(old, ob), body_type(new, nb));
                if ot != nt {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::MethodBodyChanged,
                        &item,
                        Some(ot.clone()),
                        Some(nt.clone()),
                        format!("body `{ot}` → `{nt}`"),
                    );
                }
            }
            (None, None) => {}
        }
        // The response.
        let error = if new.api_codes.is_some() { "Error" } else { "rt::Error" };
        let (or, nr) = (response_type(old, o), response_type(new, n));
        if or != nr {
            self.push(
                Severity::Breaking,
                ChangeKind::MethodResponseChanged,
                &item,
                Some(or.clone()),
                Some(nr.clone()),
                format!("returns `Result<{nr}, {error}>` (was `Result<{or}, {error}>`)"),
            );
        }
        self.stream(o.pagination.as_ref(), n.pagination.as_ref());
        if o.idempotent != n.idempotent {
            let message = if n.idempotent {
                "now idempotent: retried after a failure that may have reached the server (a timeout, a 5xx)"
            } else {
                "no longer idempotent: not retried after a failure that may have reached the server"
            };
            self.push(
                Severity::Minor,
                ChangeKind::MethodRetryChanged,
                &item,
                Some(o.idempotent.to_string()),
                Some(n.idempotent.to_string()),
                message,
            );
        }
        // Docs.
        if norm_doc(o.summary.as_deref()) != norm_doc(n.summary.as_deref())
            || norm_doc(o.description.as_deref()) != norm_doc(n.description.as_deref())
        {
            self.push(Severity::Patch, ChangeKind::DocChanged, &item, None, None, "documentation changed");
        }
        if o.deprecated != n.deprecated {
            self.deprecated(&item, o.deprecated, n.deprecated);
        }
    }

    /// The stream companion of a paged operation, before and after.
    fn stream(&mut self, before: Option<&Pagination>, after: Option<&Pagination>) {
        let (old, new) = (self.old, self.new);
        let item_type = |ir: &Ir, p: &Pagination| render(ir, &p.item);
        match (before, after) {
            (None, Some(p)) => self.push(
                Severity::Minor,
                ChangeKind::MethodAdded,
                &p.stream_ident,
                None,
                Some(item_type(new, p)),
                format!("new method: streams the items (`{}`) of every page", item_type(new, p)),
            ),
            (Some(p), None) => self.push(
                Severity::Breaking,
                ChangeKind::MethodRemoved,
                &p.stream_ident,
                Some(item_type(old, p)),
                None,
                "method removed (the operation no longer pages)",
            ),
            (Some(a), Some(b)) => {
                let (ta, tb) = (item_type(old, a), item_type(new, b));
                if a.stream_ident != b.stream_ident {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::MethodRenamed,
                        &b.stream_ident,
                        Some(a.stream_ident.clone()),
                        Some(b.stream_ident.clone()),
                        format!("method renamed from `{}`", a.stream_ident),
                    );
                }
                if ta != tb {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::MethodResponseChanged,
                        &b.stream_ident,
                        Some(ta.clone()),
                        Some(tb.clone()),
                        format!("streams `{tb}` (was `{ta}`)"),
                    );
                }
            }
            (None, None) => {}
        }
    }

    pub(super) fn deprecated(&mut self, item: &str, old: bool, new: bool) {
        let message = if new {
            "now marked deprecated in its docs (the generated code has no `#[deprecated]` attribute)"
        } else {
            "no longer marked deprecated in its docs"
        };
        self.push(
            Severity::Patch,
            ChangeKind::DeprecatedChanged,
            item,
            Some(old.to_string()),
            Some(new.to_string()),
            message,
        );
    }
}
