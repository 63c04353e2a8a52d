//! Emitted modules to files: `src/lib.rs` and one file per module for a crate, or one
//! `genauth_sdk.rs` for `include!`.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{format_file, ident, inner_doc_attrs, Emitted};
use crate::error::Error;
use crate::layout::Layout;

/// Splits emitted modules into files for `layout` (the modules were formatted for it).
pub fn lay_out(emitted: &Emitted, layout: Layout) -> Result<Vec<(PathBuf, String)>, Error> {
    let allows: Vec<syn::Path> = emitted
        .allows
        .iter()
        .filter_map(|a| syn::parse_str::<syn::Path>(a).ok())
        .collect();
    let mod_names: Vec<_> = emitted.modules.iter().map(|m| ident(m.name)).collect();
    // `pub use client::*; pub use types::*;` for the modules there are.
    let reexports: Vec<_> = ["client", "types"]
        .into_iter()
        .filter(|name| emitted.modules.iter().any(|m| m.name == *name))
        .map(ident)
        .collect();
    // With tag features off, a module can be left without public items.
    let reexport_allow = if emitted.features.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[allow(unused_imports)])
    };
    match layout {
        Layout::Crate => {
            let crate_doc = inner_doc_attrs(&emitted.crate_doc);
            let lib = quote! {
                #crate_doc
                #![allow(#(#allows),*)]

                /// The runtime this SDK is built on (transport, errors, request types).
                pub use genauth_runtime as rt;

                #(pub mod #mod_names;)*

                #(#reexport_allow pub use #reexports::*;)*
            };
            let mut files = vec![(
                PathBuf::from("src/lib.rs"),
                format!("{}{}", emitted.header, format_file("lib.rs", lib)?),
            )];
            for m in &emitted.modules {
                files.push((PathBuf::from(format!("src/{}.rs", m.name)), format!("{}{}", emitted.header, m.text)));
            }
            Ok(files)
        }
        Layout::SingleFile => {
            let top = format_file(
                crate::layout::SINGLE_FILE_NAME,
                quote! {
                    /// The runtime this SDK is built on (transport, errors, request types).
                    pub use genauth_runtime as rt;
                },
            )?;
            let bottom = format_file(crate::layout::SINGLE_FILE_NAME, quote!(#(#reexport_allow pub use #reexports::*;)*))?;
            let mut text = format!("{}{top}", emitted.header);
            for m in &emitted.modules {
                text.push('\n');
                text.push_str(&m.text);
            }
            text.push('\n');
            text.push_str(&bottom);
            Ok(vec![(PathBuf::from(crate::layout::SINGLE_FILE_NAME), text)])
        }
    }
}
