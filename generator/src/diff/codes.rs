//! Rules for the documented business codes (`x-genauth-api-codes`): the error type every
//! method returns, the `ApiCode` variants and their retry hints, the `api_status`
//! constants.

use crate::ir::*;

use super::change::{ChangeKind, Severity};
use super::walk::{norm_doc, Differ};

/// How the table's `retry` column reads in a message.
fn retry_text(r: CodeRetry) -> &'static str {
    match r {
        CodeRetry::Never => "never",
        CodeRetry::Backoff => "backoff",
        CodeRetry::Resign => "resign",
        CodeRetry::Unknown => "unknown",
    }
}

impl Differ<'_> {
    pub(super) fn api_codes(&mut self) {
        let (old, new) = (self.old, self.new);
        let (o, n) = match (&old.api_codes, &new.api_codes) {
            (None, None) => return,
            (None, Some(_)) => {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ErrorTypeChanged,
                    "Error",
                    Some("rt::Error".to_owned()),
                    Some("Error".to_owned()),
                    "methods now return `Error` (`rt::Error<ApiCode>`, from the new code table) instead of `rt::Error`",
                );
                return;
            }
            (Some(_), None) => {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ErrorTypeChanged,
                    "Error",
                    Some("Error".to_owned()),
                    Some("rt::Error".to_owned()),
                    "the code table is gone: `ApiCode`, `Error` and `api_status` are removed and methods return `rt::Error`",
                );
                return;
            }
            (Some(o), Some(n)) => (o, n),
        };
        self.doc("ApiCode", o.doc.as_deref(), n.doc.as_deref());
        for oc in &o.api_codes {
            let item = format!("ApiCode::{}", oc.ident);
            match n.api_codes.iter().find(|c| c.code == oc.code) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::ApiCodeRemoved,
                    &item,
                    Some(oc.code.to_string()),
                    None,
                    format!("code {} removed (it now arrives as `Unknown({})`)", oc.code, oc.code),
                ),
                Some(nc) => {
                    let item = format!("ApiCode::{}", nc.ident);
                    if nc.ident != oc.ident {
                        self.push(
                            Severity::Breaking,
                            ChangeKind::ApiCodeRenamed,
                            &item,
                            Some(oc.ident.clone()),
                            Some(nc.ident.clone()),
                            format!("code {} renamed from `ApiCode::{}`", nc.code, oc.ident),
                        );
                    }
                    if nc.retry != oc.retry {
                        self.push(
                            Severity::Minor,
                            ChangeKind::ApiCodeRetryChanged,
                            &item,
                            Some(retry_text(oc.retry).to_owned()),
                            Some(retry_text(nc.retry).to_owned()),
                            format!(
                                "retry `{}` → `{}`: the client retries this code differently",
                                retry_text(oc.retry),
                                retry_text(nc.retry)
                            ),
                        );
                    }
                    if norm_doc(oc.doc.as_deref()) != norm_doc(nc.doc.as_deref()) {
                        self.push(Severity::Patch, ChangeKind::DocChanged, &item, None, None, "documentation changed");
                    }
                }
            }
        }
        for nc in n.api_codes.iter().filter(|nc| !o.api_codes.iter().any(|c| c.code == nc.code)) {
            self.push(
                Severity::Minor,
                ChangeKind::ApiCodeAdded,
                format!("ApiCode::{}", nc.ident),
                None,
                Some(nc.code.to_string()),
                format!(
                    "new code {} (`ApiCode` is `#[non_exhaustive]`; this code used to arrive as `Unknown({})`)",
                    nc.code, nc.code
                ),
            );
        }
        for oc in &o.status_codes {
            let item = format!("api_status::{}", oc.ident);
            match n.status_codes.iter().find(|c| c.code == oc.code) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::ConstantRemoved,
                    &item,
                    Some(oc.code.to_string()),
                    None,
                    "constant removed",
                ),
                Some(nc) if nc.ident != oc.ident => {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::ConstantRemoved,
                        &item,
                        Some(oc.code.to_string()),
                        None,
                        format!("constant renamed to `api_status::{}`", nc.ident),
                    );
                    self.push(
                        Severity::Minor,
                        ChangeKind::ConstantAdded,
                        format!("api_status::{}", nc.ident),
                        None,
                        Some(nc.code.to_string()),
                        format!("new constant (= {}, was `api_status::{}`)", nc.code, oc.ident),
                    );
                }
                Some(_) => {}
            }
        }
        for nc in n.status_codes.iter().filter(|nc| !o.status_codes.iter().any(|c| c.code == nc.code)) {
            self.push(
                Severity::Minor,
                ChangeKind::ConstantAdded,
                format!("api_status::{}", nc.ident),
                None,
                Some(nc.code.to_string()),
                format!("new constant (= {})", nc.code),
            );
        }
    }
}
