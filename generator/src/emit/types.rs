//! The types module: its head, and structs and type aliases (serde attributes for renames,
//! optional and nullable fields, lenient decoding).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::*;
use crate::naming;

use super::docs::opt_doc;
use super::emitter::{ident, Emitter};

impl Emitter<'_> {
    /// The top of the types module: its docs and `use`s.
    pub(super) fn types_head(&self, gated: bool) -> TokenStream {
        let uses_serde = self.ir.types.iter().any(|t| matches!(t.kind, TypeKind::Struct(_) | TypeKind::Union(_)));
        let serde = if uses_serde && gated {
            // Without features, every type that uses them may be compiled out.
            quote!(#[allow(unused_imports)] use serde::{Deserialize, Serialize};)
        } else if uses_serde {
            quote!(use serde::{Deserialize, Serialize};)
        } else {
            TokenStream::new()
        };
        quote! {
            //! Request and response types.
            #[allow(unused_imports)]
            use genauth_runtime as rt;
            #serde
        }
    }

    /// A type's items; `cfg` (a `#[cfg(...)]` attribute or nothing) goes on each.
    pub(super) fn type_def(&self, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
        let name = ident(&t.name);
        let doc = opt_doc(t.doc.as_deref());
        let doc = quote!(#doc #cfg);
        match &t.kind {
            TypeKind::Struct(s) => self.struct_def(&name, doc, cfg, s),
            // Laid out as text by `enum_text`; never reaches here.
            TypeKind::Enum(_) => TokenStream::new(),
            TypeKind::Alias(target) => {
                let target = self.ty(target);
                quote! {
                    #doc
                    pub type #name = #target;
                }
            }
            TypeKind::Union(u) => self.union_def(&name, doc, u),
        }
    }

    fn struct_def(&self, name: &Ident, doc: TokenStream, cfg: &TokenStream, s: &StructDef) -> TokenStream {
        self.struct_def_generic(name, doc, cfg, s, None)
    }

    /// A struct; with `generic`, the field at that position has the type parameter `T`
    /// (`Vec<T>` when `vec`), as the shared shape of a [`Family`](super::families::Family).
    /// `doc` carries the struct's docs and `cfg`; `cfg` alone goes on a hand-written impl.
    pub(super) fn struct_def_generic(&self, name: &Ident, doc: TokenStream, cfg: &TokenStream, s: &StructDef, generic: Option<(usize, bool)>) -> TokenStream {
        // Where the varying field is `T` itself (required, not nullable, not a list), the
        // struct has a default only when `T` has one; as `Vec<T>` or `Option<T>` it has one
        // for every `T` (a union, say), and `Default` is written without that bound.
        let bare_t = generic.is_some_and(|(at, vec)| !vec && s.fields.get(at).is_some_and(|f| f.required && !f.nullable));
        // Use `rename_all = "camelCase"` when it saves more renames than it costs.
        let camel = s.fields.iter().filter(|f| naming::serde_camel(&f.ident) == f.wire).count();
        let plain = s.fields.iter().filter(|f| naming::unraw(&f.ident) == f.wire).count();
        let use_camel = camel > plain;
        // Response types read a missing field as its default (see `rt::Decoding`).
        let mut container_args: Vec<TokenStream> = Vec::new();
        let container_default = s.lenient && s.default;
        if container_default {
            container_args.push(quote!(default));
        }
        if generic.is_some() {
            // Serde infers no bound for a field read with `deserialize_with` (an optional
            // nullable `T`), and the container default of a struct with a bare `T` needs
            // `T: Default`: state the bound instead of letting serde infer it.
            let bound = if container_default && bare_t {
                "T: serde::Deserialize<'de> + Default"
            } else {
                "T: serde::Deserialize<'de>"
            };
            container_args.push(quote!(bound(deserialize = #bound)));
        }
        if use_camel {
            container_args.push(quote!(rename_all = "camelCase"));
        }
        let container = if container_args.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[serde(#(#container_args),*)])
        };
        let fields = s.fields.iter().enumerate().map(|(position, f)| {
            let fname = ident(&f.ident);
            let serde_name = if use_camel {
                naming::serde_camel(&f.ident)
            } else {
                naming::unraw(&f.ident).to_owned()
            };
            let mut args: Vec<TokenStream> = Vec::new();
            if serde_name != f.wire {
                let wire = &f.wire;
                args.push(quote!(rename = #wire));
            }
            let inner = match generic {
                Some((at, true)) if at == position => quote!(Vec<T>),
                Some((at, false)) if at == position => quote!(T),
                _ => self.ty(&f.ty),
            };
            let ty = match (f.required, f.nullable) {
                (true, false) => inner,
                (true, true) => quote!(Option<#inner>),
                (false, false) => {
                    args.push(quote!(default, skip_serializing_if = "Option::is_none"));
                    quote!(Option<#inner>)
                }
                (false, true) => {
                    args.push(quote!(default, skip_serializing_if = "Option::is_none", deserialize_with = "rt::nullable"));
                    quote!(Option<Option<#inner>>)
                }
            };
            let serde_attr = if args.is_empty() {
                TokenStream::new()
            } else {
                quote!(#[serde(#(#args),*)])
            };
            let mut doc_text = match generic {
                Some((at, _)) if at == position => {
                    "The part that differs between the types defined as this one (see their docs).".to_owned()
                }
                _ => f.doc.clone().unwrap_or_default(),
            };
            if f.deprecated {
                if !doc_text.is_empty() {
                    doc_text.push_str("\n\n");
                }
                doc_text.push_str("**Deprecated** in the API description.");
            }
            let fdoc = opt_doc(Some(&doc_text));
            quote! {
                #fdoc
                #serde_attr
                pub #fname: #ty,
            }
        });
        let additional = s.additional.as_ref().map(|(fname, t)| {
            let fname = ident(fname);
            let t = self.ty(t);
            quote! {
                /// Properties the API description does not list.
                #[serde(flatten)]
                pub #fname: std::collections::BTreeMap<String, #t>,
            }
        });
        // A derived `Default` of a generic struct demands `T: Default`; write it by hand
        // when the struct has a default whatever `T` is.
        let manual_default = s.default && generic.is_some() && !bare_t;
        let derives = if s.default && !manual_default {
            self.derives(&["Debug", "Clone", "PartialEq", "Default", "Serialize", "Deserialize"])
        } else {
            self.derives(&["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"])
        };
        let params = if generic.is_some() { quote!(<T>) } else { TokenStream::new() };
        let default_impl = if manual_default {
            let names = s.fields.iter().map(|f| f.ident.as_str()).chain(s.additional.as_ref().map(|(f, _)| f.as_str())).map(ident);
            quote! {
                #cfg
                impl<T> Default for #name<T> {
                    fn default() -> Self {
                        Self {
                            #(#names: Default::default(),)*
                        }
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        quote! {
            #doc
            #derives
            #container
            pub struct #name #params {
                #(#fields)*
                #additional
            }
            #default_impl
        }
    }
}
