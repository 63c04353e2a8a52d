//! Unions as serde enums, tagged (`#[serde(tag)]`) or untagged.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::*;

use super::emitter::{ident, Emitter};

impl Emitter<'_> {
    pub(super) fn union_def(&self, name: &Ident, doc: TokenStream, u: &UnionDef) -> TokenStream {
        let mode = match &u.tag {
            Some(tag) => quote!(#[serde(tag = #tag)]),
            None => quote!(#[serde(untagged)]),
        };
        let variants = u.variants.iter().map(|v| {
            let vname = ident(&v.ident);
            let ty = self.ty(&v.ty);
            let rename = match &v.tag_value {
                Some(value) if *value != v.ident => quote!(#[serde(rename = #value)]),
                _ => TokenStream::new(),
            };
            quote! {
                #rename
                #vname(#ty),
            }
        });
        let derives = self.derives(&["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"]);
        quote! {
            #doc
            #derives
            #mode
            pub enum #name {
                #(#variants)*
            }
        }
    }
}
