//! Formatting: items built and printed on every core (`par_map`), each printed with
//! prettyplease as it sits in its final place, modules assembled from the pieces, and a blank
//! line between items.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::error::Error;

use super::emitter::{ident, Module};

/// `f` applied to every item, on up to one thread per core (in order).
pub(super) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8).min(items.len() / 16 + 1);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    // Work is handed out in small batches, so threads finish together.
    const BATCH: usize = 8;
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(BATCH, Ordering::Relaxed);
                        if start >= items.len() {
                            break;
                        }
                        for (i, item) in items.iter().enumerate().skip(start).take(BATCH) {
                            done.push((i, f(item)));
                        }
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    parts.sort_by_key(|(i, _)| *i);
    parts.into_iter().map(|(_, r)| r).collect()
}

/// Formats one item as it prints inside `impl #in_impl { ... }` and, when `nested`, inside a
/// module: the wrappers are printed and their lines removed again, so the item's lines
/// carry the indentation and line breaks of their final place.
pub(super) fn format_nested(tokens: TokenStream, nested: bool, in_impl: Option<&Ident>) -> Result<String, Error> {
    let mut tokens = tokens;
    let mut depth = 0;
    if let Some(ty) = in_impl {
        tokens = quote!(impl #ty { #tokens });
        depth += 1;
    }
    if nested {
        tokens = quote!(mod __nest { #tokens });
        depth += 1;
    }
    let text = unparse("item", tokens)?;
    if depth == 0 {
        return Ok(text);
    }
    let lines: Vec<&str> = text.lines().collect();
    let inner = lines.get(depth..lines.len().saturating_sub(depth)).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for l in inner {
        out.push_str(l);
        out.push('\n');
    }
    Ok(out)
}

/// Splits formatted text before its last line (the closing brace of a block).
pub(super) fn split_last_line(text: &str) -> (String, String) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    match body.rfind('\n').map(|i| text.split_at(i + 1)) {
        Some((head, last)) => (head.to_owned(), last.to_owned()),
        None => (String::new(), text.to_owned()),
    }
}

/// A module's text, assembled from formatted pieces.
pub(super) struct ModuleText {
    name: &'static str,
    text: String,
    close: String,
}

impl ModuleText {
    /// Starts a module with its head (inner docs and `use`s): at the top of a file, or
    /// inside `pub mod name { ... }` when `nested`.
    pub(super) fn open(name: &'static str, head: TokenStream, nested: bool, allows: &[syn::Path]) -> Result<Self, Error> {
        if !nested {
            return Ok(ModuleText {
                name,
                text: unparse(name, head)?,
                close: String::new(),
            });
        }
        let id = ident(name);
        let text = unparse(name, quote!(#[allow(#(#allows),*)] pub mod #id { #head }))?;
        let (text, close) = split_last_line(&text);
        Ok(ModuleText { name, text, close })
    }

    pub(super) fn push(&mut self, piece: String) {
        self.text.push_str(&piece);
    }

    pub(super) fn close(mut self) -> Module {
        self.text.push_str(&self.close);
        Module {
            name: self.name,
            text: space_items(&self.text),
        }
    }
}

/// Parses generated tokens and prints them with prettyplease.
pub fn format_file(name: &str, tokens: TokenStream) -> Result<String, Error> {
    Ok(space_items(&unparse(name, tokens)?))
}

/// Parses generated tokens and prints them with prettyplease, as they are.
fn unparse(name: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: name.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// prettyplease puts items right under each other; a blank line between items (and
/// between the methods of an impl) makes generated files easier to read and diff.
fn space_items(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { continue };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let t = line.trim();
        let ends_item = t == "}"
            || t.ends_with(" {}")
            || t == "};"
            || (t.ends_with(';') && (indent == 0 || t.starts_with("rt::") || t.starts_with("pub type ") || t.starts_with("pub const "))
                && !t.starts_with("use ")
                && !t.starts_with("pub use ")
                && !t.starts_with("pub mod "));
        let ends_use_block = (t.starts_with("use ") || t.starts_with("pub use ") || t.starts_with("pub mod ")) && t.ends_with(';');
        let n = next.trim();
        let next_is_use = n.starts_with("use ") || n.starts_with("pub use ") || n.starts_with("pub mod ");
        let starts_item = n.starts_with("///") || n.starts_with("#[") || n.starts_with("pub ") || n.starts_with("impl") || n.starts_with("fn ") || n.starts_with("rt::") || n.starts_with("use ");
        if next_indent == indent && starts_item && (ends_item || (ends_use_block && !next_is_use)) {
            out.push('\n');
        }
        if t.starts_with("//!") && !n.starts_with("//!") && !n.is_empty() {
            out.push('\n');
        }
    }
    out
}
