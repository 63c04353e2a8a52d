//! String enums as one `rt::string_enum!` call each, laid out by hand.

use proc_macro2::Literal;

use crate::ir::*;

use super::docs::doc_lines;
use super::emitter::{ident, Emitter};

impl Emitter<'_> {
    /// A string enum as one `rt::string_enum!` call, formatted by hand at `indent`.
    pub(super) fn enum_text(&self, t: &TypeDef, e: &EnumDef, cfg: &str, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        let mut line = |depth: usize, text: &str| {
            out.push_str(&pad);
            out.push_str(&"    ".repeat(depth));
            out.push_str(text);
            out.push('\n');
        };
        if !cfg.is_empty() {
            line(0, cfg);
        }
        line(0, "rt::string_enum! {");
        for l in t.doc.as_deref().map(doc_lines).unwrap_or_default() {
            line(1, &if l.is_empty() { "///".to_owned() } else { format!("/// {l}") });
        }
        // The macro derives the comparison traits and `Debug`/`Clone` itself.
        const BUILT_IN: &[&str] = &["Debug", "Clone", "PartialEq", "Eq", "Hash", "PartialOrd", "Ord", "Default"];
        let extra: Vec<&str> = self
            .opts
            .extra_derives
            .iter()
            .map(String::as_str)
            .filter(|d| !BUILT_IN.contains(d) && syn::parse_str::<syn::Path>(d).is_ok())
            .collect();
        if !extra.is_empty() {
            line(1, &format!("#[derive({})]", extra.join(", ")));
        }
        let name = ident(&t.name);
        match e.default.and_then(|d| e.variants.get(d)) {
            Some(d) => line(1, &format!("pub enum {name} default {} {{", ident(&d.ident))),
            None => line(1, &format!("pub enum {name} {{")),
        }
        // The macro documents each variant with its wire value.
        for v in &e.variants {
            line(2, &format!("{} = {},", ident(&v.ident), Literal::string(&v.wire)));
        }
        line(1, "}");
        line(0, "}");
        out
    }
}
