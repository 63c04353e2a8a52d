//! The documented business codes (`x-genauth-api-codes`): the `ApiCode` enum with its
//! `rt::ApiCodeSet` implementation, the `Error` alias every method returns, and the
//! `api_status` constants for the envelope's `statusCode`.
//!
//! `statusCode` values stay numbers (the runtime's `Error::Api { status_code: i64 }`):
//! the client's retry rules for them are the runtime's own, and constants work in match
//! patterns at no cost, where an enum would need a second type parameter on `rt::Error`
//! or an extension trait for a handful of values.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::*;

use super::docs::{doc_attrs, sanitize_line};
use super::emitter::{ident, Emitter};

impl Emitter<'_> {
    /// The items for the code table (nothing without one).
    pub(super) fn api_codes(&self) -> TokenStream {
        let Some(codes) = &self.ir.api_codes else { return TokenStream::new() };
        let title = sanitize_line(self.ir.title.trim());
        let mut text = format!("A business code (`apiCode`) that {title} documents: what a failed call's envelope says went wrong.\n\n");
        if let Some(d) = codes.doc.as_deref().filter(|d| !d.trim().is_empty()) {
            text.push_str(d.trim());
            text.push_str("\n\n");
        }
        let example = match codes.api_codes.first() {
            Some(c) => format!(" (`{} ({})`)", sanitize_line(&c.name), c.code),
            None => String::new(),
        };
        text.push_str(&format!(
            "`Error::Api` carries it as `api_code: Option<ApiCode>`; a code this SDK does not list \
             arrives as `Unknown(code)`. `Display` names the code{example}. The codes marked for \
             retrying steer the client's retries (see `rt::ApiCodeSet::retry`)."
        ));
        let enum_doc = doc_attrs(&text);

        let variants = codes.api_codes.iter().map(|c| {
            let v = ident(&c.ident);
            let note = match c.retry {
                CodeRetry::Never => "",
                CodeRetry::Backoff => " Temporary: an idempotent call is retried after a wait.",
                CodeRetry::Resign => " The client signs the call again and resends it.",
                CodeRetry::Unknown => " Whether retrying helps is not documented; not retried.",
            };
            let desc = c.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()).unwrap_or(&c.name);
            let doc = doc_attrs(&format!("`{}`: {desc}{note}", c.code));
            quote!(#doc #v,)
        });
        let from_code = codes.api_codes.iter().map(|c| {
            let v = ident(&c.ident);
            let n = Literal::i64_unsuffixed(c.code);
            quote!(#n => Self::#v,)
        });
        let parts = codes.api_codes.iter().map(|c| {
            let v = ident(&c.ident);
            let n = Literal::i64_unsuffixed(c.code);
            let name = sanitize_line(&c.name);
            quote!(Self::#v => (#n, #name),)
        });
        let hint_arm = |retry: CodeRetry, hint: TokenStream| {
            let vs: Vec<_> = codes.api_codes.iter().filter(|c| c.retry == retry).map(|c| ident(&c.ident)).collect();
            if vs.is_empty() {
                TokenStream::new()
            } else {
                quote!(#(Self::#vs)|* => #hint,)
            }
        };
        let resign = hint_arm(CodeRetry::Resign, quote!(rt::RetryHint::Resign));
        let backoff = hint_arm(CodeRetry::Backoff, quote!(rt::RetryHint::Transient));
        let never = if codes.api_codes.iter().any(|c| matches!(c.retry, CodeRetry::Never | CodeRetry::Unknown)) {
            quote!(_ => rt::RetryHint::Never,)
        } else {
            TokenStream::new()
        };

        let status = if codes.status_codes.is_empty() {
            TokenStream::new()
        } else {
            let consts = codes.status_codes.iter().map(|c| {
                let name = ident(&c.ident);
                let n = Literal::i64_unsuffixed(c.code);
                let doc = match c.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                    Some(desc) => doc_attrs(&format!("`{}`: {desc}", sanitize_line(&c.name))),
                    None => doc_attrs(&format!("`{}`", sanitize_line(&c.name))),
                };
                quote!(#doc pub const #name: i64 = #n;)
            });
            quote! {
                /// The envelope `statusCode` values the API documents, for matching
                /// `Error::Api { status_code: api_status::NOT_FOUND, .. }`.
                ///
                /// The client retries by `statusCode` on its own rules: 429 whatever the
                /// method; 500 and 502–599 only for idempotent calls; never the others.
                pub mod api_status {
                    #(#consts)*
                }
            }
        };

        quote! {
            #enum_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum ApiCode {
                #(#variants)*
                /// A code this SDK does not know, kept as the number the server sent.
                Unknown(i64),
            }

            impl ApiCode {
                /// The code's number and name.
                fn parts(&self) -> (i64, &'static str) {
                    match self {
                        #(#parts)*
                        Self::Unknown(code) => (*code, "Unknown"),
                    }
                }
            }

            impl rt::ApiCodeSet for ApiCode {
                fn from_code(code: i64) -> Self {
                    match code {
                        #(#from_code)*
                        other => Self::Unknown(other),
                    }
                }

                fn code(&self) -> i64 {
                    self.parts().0
                }

                fn name(&self) -> Option<&'static str> {
                    (!matches!(self, Self::Unknown(_))).then_some(self.parts().1)
                }

                fn retry(&self) -> rt::RetryHint {
                    match self {
                        #resign
                        #backoff
                        Self::Unknown(code) => rt::RetryHint::for_api_code(*code),
                        #never
                    }
                }
            }

            impl rt::TypedApiCode for ApiCode {}

            impl std::fmt::Display for ApiCode {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let (code, name) = self.parts();
                    write!(f, "{name} ({code})")
                }
            }

            /// What the methods of this SDK return when a call fails: `rt::Error` with the
            /// `apiCode` read as an [`ApiCode`].
            pub type Error = rt::Error<ApiCode>;

            #status
        }
    }
}
