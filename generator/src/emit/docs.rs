//! Doc comments from the spec's Markdown (code fences made `text`, hidden control characters
//! dropped) and single-line text for comments and literals.

use proc_macro2::TokenStream;
use quote::quote;

/// Characters that may not appear in generated comments or literals as they are:
/// bidirectional overrides (rustc rejects them) and other invisible controls.
fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || (c.is_control() && c != '\n' && c != '\t')
}

pub(super) fn sanitize_line(s: &str) -> String {
    s.chars()
        .map(|c| if is_hidden_control(c) || c == '\n' || c == '\t' { ' ' } else { c })
        .collect()
}

/// Turns Markdown from the document into doc-comment lines that rustdoc renders as
/// text: code fences are marked `text` (so they are never compiled as doctests), deep
/// indentation (which Markdown reads as code) is removed, and hidden controls are dropped.
pub fn doc_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut in_fence: Option<String> = None;
    for raw in text.lines() {
        let line: String = raw
            .chars()
            .filter(|c| !is_hidden_control(*c))
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (&in_fence, fence) {
            (None, Some(f)) => {
                let marker: String = trimmed.chars().take_while(|c| f.starts_with(*c)).collect();
                in_fence = Some(marker.clone());
                out.push(format!("{marker}text"));
            }
            (Some(open), Some(_)) if trimmed.trim_end().chars().all(|c| open.starts_with(c)) && trimmed.trim_end().len() >= open.len() => {
                out.push(open.clone());
                in_fence = None;
            }
            (Some(_), _) => out.push(line.trim_end().to_owned()),
            (None, None) => out.push(trimmed.trim_end().to_owned()),
        }
    }
    if let Some(open) = in_fence {
        out.push(open);
    }
    // No leading/trailing blank lines, no runs of blanks.
    let mut lines: Vec<String> = Vec::with_capacity(out.len());
    for l in out {
        if l.is_empty() && lines.last().is_none_or(|p: &String| p.is_empty()) {
            continue;
        }
        lines.push(l);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// `#[doc = ...]` attributes for a block of Markdown.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// `#![doc = ...]` attributes (crate or module docs) for a block of Markdown.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    quote!(#(#attrs)*)
}

pub(super) fn opt_doc(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) if !t.trim().is_empty() => doc_attrs(t),
        _ => TokenStream::new(),
    }
}
