//! What emitting takes and gives ([`EmitOptions`], [`Emitted`], [`Module`]), the [`Emitter`]
//! the item files extend, identifiers ([`ident`]), and Rust type expressions for IR types.

use std::time::Duration;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::*;
use crate::layout::Layout;

/// What the emitter needs besides the IR.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The client struct's name.
    pub client_name: String,
    /// The spec's file name, for the `@generated` header.
    pub spec_name: String,
    /// Extra derives for every generated struct and enum (paths such as `Hash`).
    pub extra_derives: Vec<String>,
    /// The layout the modules are formatted for (nested in `pub mod` items, or files).
    pub layout: Layout,
    /// Put each tag's operations, and the types only they use, behind a cargo feature.
    pub tag_features: bool,
    /// Feature names chosen for tags (tag, feature), instead of [`naming::feature_name`](crate::naming::feature_name).
    pub feature_names: Vec<(String, String)>,
    /// Generated for strict decoding: the client reads responses with `rt::Decoding::Strict`.
    pub strict_responses: bool,
}

/// One generated module, formatted.
#[derive(Debug, Clone)]
pub struct Module {
    /// The module's name (`types`, `client`).
    pub name: &'static str,
    /// Its source: the whole file in [`Layout::Crate`] (without the `@generated` header),
    /// the `pub mod` item in [`Layout::SingleFile`].
    pub text: String,
}

/// The generated code: what the crate root needs, and its modules.
#[derive(Debug, Clone)]
pub struct Emitted {
    /// The header comment for every file.
    pub header: String,
    /// Crate-level docs (Markdown).
    pub crate_doc: String,
    /// Lints allowed in generated code (each `path::name`).
    pub allows: Vec<&'static str>,
    /// The modules in order.
    pub modules: Vec<Module>,
    /// Time spent building tokens and formatting them, each summed over the threads that
    /// did it (for [`crate::Timings`]).
    pub cpu_time: (Duration, Duration),
    /// The cargo features the code is gated on, one per tag: (feature, tag), in the order
    /// the tags first appear (empty without gates).
    pub features: Vec<(String, String)>,
}

/// An identifier from a name the naming module made. Never panics: a name that is not
/// a valid identifier (which would be a bug) is replaced by a placeholder that compiles.
pub fn ident(name: &str) -> Ident {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let valid = !bare.is_empty()
        && bare.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_";
    if !valid {
        return Ident::new("invalid_name", Span::call_site());
    }
    if raw {
        if matches!(bare, "self" | "Self" | "super" | "crate") {
            return Ident::new(&format!("{bare}_"), Span::call_site());
        }
        Ident::new_raw(bare, Span::call_site())
    } else {
        Ident::new(bare, Span::call_site())
    }
}

pub(super) struct Emitter<'a> {
    pub(super) ir: &'a Ir,
    pub(super) opts: &'a EmitOptions,
}

impl Emitter<'_> {
    fn type_name(&self, id: TypeId) -> Ident {
        match self.ir.get(id) {
            Some(t) => ident(&t.name),
            None => Ident::new("invalid_name", Span::call_site()),
        }
    }

    pub(super) fn ty(&self, t: &TypeRef) -> TokenStream {
        match t {
            TypeRef::Bool => quote!(bool),
            TypeRef::Int(k) => {
                let k = Ident::new(k.as_str(), Span::call_site());
                quote!(#k)
            }
            TypeRef::F32 => quote!(f32),
            TypeRef::F64 => quote!(f64),
            TypeRef::String => quote!(String),
            TypeRef::Value => quote!(serde_json::Value),
            TypeRef::Vec(inner) => {
                let inner = self.ty(inner);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) if **inner == TypeRef::Value => quote!(serde_json::Map<String, serde_json::Value>),
            TypeRef::Map(inner) => {
                let inner = self.ty(inner);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Option(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            TypeRef::Named(id) => {
                let name = self.type_name(*id);
                quote!(#name)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.ty(inner);
                quote!(Box<#inner>)
            }
        }
    }

    pub(super) fn derives(&self, base: &[&str]) -> TokenStream {
        let mut all: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
        for extra in &self.opts.extra_derives {
            if !all.iter().any(|d| d == extra) {
                all.push(extra.clone());
            }
        }
        let paths = all.iter().filter_map(|d| syn::parse_str::<syn::Path>(d).ok());
        quote!(#[derive(#(#paths),*)])
    }

    /// Whether there is a `types` module: there are types, or the business codes.
    pub(super) fn has_types_module(&self) -> bool {
        !self.ir.types.is_empty() || self.ir.api_codes.is_some()
    }

    /// Follows aliases to the type they name.
    pub(super) fn resolve<'t>(&'t self, t: &'t TypeRef) -> &'t TypeRef {
        resolve_alias(&self.ir.types, t)
    }
}
