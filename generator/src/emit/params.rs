//! The parameter and form structs of each operation (`new` with the required parameters,
//! optional ones at the spec's defaults) and how each field goes into the query, headers or
//! form.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::*;

use super::docs::{opt_doc, sanitize_line};
use super::emitter::{ident, Emitter};

impl Emitter<'_> {
    /// Whether values of `t` have a plain text form for queries, headers and forms.
    pub(super) fn is_plain(&self, t: &TypeRef) -> bool {
        match self.resolve(t) {
            TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 | TypeRef::String | TypeRef::Value => true,
            TypeRef::Vec(inner) => matches!(
                self.resolve(inner),
                TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 | TypeRef::String
            ) || matches!(self.resolve(inner), TypeRef::Named(id) if matches!(self.ir.get(*id).map(|d| &d.kind), Some(TypeKind::Enum(_)))),
            TypeRef::Named(id) => matches!(self.ir.get(*id).map(|d| &d.kind), Some(TypeKind::Enum(_))),
            _ => false,
        }
    }

    /// The parameter, form and status types of one operation.
    pub(super) fn operation_items(&self, op: &Operation, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let params = op.params.as_ref().map(|p| self.params_struct(op, p, client, cfg));
        let form = match &op.body {
            Some(Body { kind: BodyKind::Form(p), .. }) => Some(self.params_struct(op, p, client, cfg)),
            _ => None,
        };
        let statuses = self.status_enum(op, client, cfg);
        quote!(#params #form #statuses)
    }

    pub(super) fn param_pushes(&self, params: &ParamsDef) -> (TokenStream, TokenStream) {
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for f in &params.fields {
            match f.location {
                ParamIn::Header => headers.push(self.push_stmt(quote!(headers), quote!(params), f)),
                _ => query.push(self.push_stmt(quote!(query), quote!(params), f)),
            }
        }
        let query = if query.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                let mut query = rt::Query::new();
                #(#query)*
            }
        };
        let headers = if headers.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                let mut headers = rt::Query::new();
                #(#headers)*
            }
        };
        (query, headers)
    }

    /// One statement adding field `f` of `source` (`params` or `body`) to `var`.
    pub(super) fn push_stmt(&self, var: TokenStream, source: TokenStream, f: &Param) -> TokenStream {
        let fname = ident(&f.ident);
        let wire = &f.wire;
        // Query values without a plain text form (unions, objects), and lists that are not
        // exploded, go through `push_form`, which follows `style: form` (and `explode`).
        let query = matches!(f.location, ParamIn::Query | ParamIn::JoinedQuery);
        let joined_list = f.location == ParamIn::JoinedQuery && matches!(self.resolve(&f.ty), TypeRef::Vec(_));
        let (method, extra) = if f.file {
            match self.resolve(&f.ty) {
                TypeRef::Vec(_) => (quote!(files), TokenStream::new()),
                _ => (quote!(file), TokenStream::new()),
            }
        } else if f.location == ParamIn::DeepQuery {
            (quote!(push_deep), TokenStream::new())
        } else if query && (joined_list || !self.is_plain(&f.ty)) {
            let explode = f.location == ParamIn::Query;
            (quote!(push_form), quote!(, #explode))
        } else if self.is_plain(&f.ty) {
            (quote!(push), TokenStream::new())
        } else {
            (quote!(push_json), TokenStream::new())
        };
        let fallible = !f.file && (f.location == ParamIn::DeepQuery || joined_list || !self.is_plain(&f.ty));
        let question = if fallible { quote!(?) } else { TokenStream::new() };
        if f.required {
            quote!(#var.#method(#wire, &#source.#fname #extra)#question;)
        } else if !fallible && !f.file {
            quote!(#var.push_opt(#wire, #source.#fname.as_ref());)
        } else {
            quote! {
                if let Some(value) = &#source.#fname {
                    #var.#method(#wire, value #extra)#question;
                }
            }
        }
    }

    fn params_struct(&self, op: &Operation, p: &ParamsDef, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let name = ident(&p.name);
        let method = ident(&op.ident);
        let what = if p.fields.iter().all(|f| matches!(f.location, ParamIn::Form | ParamIn::Multipart)) {
            "The form body"
        } else {
            "Parameters"
        };
        let doc = format!(
            " {what} of [`{client}::{method}`]: build it with `new`, then set the optional fields."
        );
        let fields = p.fields.iter().map(|f| {
            let fname = ident(&f.ident);
            let inner = self.field_ty(f);
            let ty = if f.required { inner } else { quote!(Option<#inner>) };
            let mut text = f.doc.clone().unwrap_or_default();
            if let Some(d) = &f.default {
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&format!("Defaults to `{}`.", sanitize_line(&d.to_string()).replace('`', "'")));
            }
            let fdoc = opt_doc(Some(&text));
            quote! {
                #fdoc
                pub #fname: #ty,
            }
        });
        let required: Vec<&Param> = p.fields.iter().filter(|f| f.required).collect();
        let ctor_args = required.iter().map(|f| {
            let fname = ident(&f.ident);
            if *self.resolve(&f.ty) == TypeRef::String && !f.file {
                quote!(#fname: impl Into<String>)
            } else {
                let t = self.field_ty(f);
                quote!(#fname: #t)
            }
        });
        let inits = p.fields.iter().map(|f| {
            let fname = ident(&f.ident);
            if f.required {
                if *self.resolve(&f.ty) == TypeRef::String && !f.file {
                    quote!(#fname: #fname.into(),)
                } else {
                    quote!(#fname,)
                }
            } else {
                match f.default.as_ref().and_then(|d| self.default_expr(&f.ty, d)) {
                    Some(expr) => quote!(#fname: Some(#expr),),
                    None => quote!(#fname: None,),
                }
            }
        });
        let default_impl = if required.is_empty() {
            quote! {
                #cfg
                impl Default for #name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        let derives = self.derives(&["Debug", "Clone", "PartialEq"]);
        quote! {
            #[doc = #doc]
            #cfg
            #derives
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }

            #cfg
            impl #name {
                /// The required parameters; optional ones start at the API's defaults (or unset).
                pub fn new(#(#ctor_args),*) -> Self {
                    Self {
                        #(#inits)*
                    }
                }
            }

            #default_impl
        }
    }

    /// A parameter's Rust type: files are `rt::FilePart`s.
    fn field_ty(&self, f: &Param) -> TokenStream {
        if f.file {
            match self.resolve(&f.ty) {
                TypeRef::Vec(_) => quote!(Vec<rt::FilePart>),
                _ => quote!(rt::FilePart),
            }
        } else {
            self.ty(&f.ty)
        }
    }

    /// A Rust expression for a spec default (already checked to fit the type).
    fn default_expr(&self, ty: &TypeRef, value: &Value) -> Option<TokenStream> {
        Some(match (ty, value) {
            (TypeRef::Bool, Value::Bool(b)) => quote!(#b),
            (TypeRef::Int(_), Value::Number(n)) => {
                let lit = if let Some(i) = n.as_i64() {
                    Literal::i64_unsuffixed(i)
                } else {
                    Literal::u64_unsuffixed(n.as_u64()?)
                };
                quote!(#lit)
            }
            (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => {
                let f = n.as_f64()?;
                if !f.is_finite() {
                    return None;
                }
                let lit = Literal::f64_unsuffixed(f);
                quote!(#lit)
            }
            (TypeRef::String, Value::String(s)) => quote!(#s.to_owned()),
            (TypeRef::Vec(inner), Value::Array(items)) => {
                let items: Option<Vec<TokenStream>> = items.iter().map(|i| self.default_expr(inner, i)).collect();
                let items = items?;
                quote!(vec![#(#items),*])
            }
            (TypeRef::Named(id), Value::String(s)) => {
                let t = self.ir.get(*id)?;
                let TypeKind::Enum(e) = &t.kind else { return None };
                let v = e.variants.iter().find(|v| &v.wire == s)?;
                let tname = ident(&t.name);
                let vname = ident(&v.ident);
                quote!(#tname::#vname)
            }
            _ => return None,
        })
    }
}
