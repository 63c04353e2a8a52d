//! From the IR to formatted Rust source: tokens with `quote`, parsed into a `syn::File`,
//! printed with `prettyplease`. The emitter reads only the IR.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::error::Error;
use crate::ir::*;
use crate::naming;
use crate::Layout;

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
    /// Feature names chosen for tags (tag, feature), instead of [`naming::feature_name`].
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

/// Lints that generated code allows on purpose: documentation comes from the spec's
/// Markdown, and the API's shape (not us) decides argument counts and variant sizes.
const ALLOWS: &[&str] = &[
    "clippy::too_many_arguments",
    "clippy::large_enum_variant",
    "clippy::enum_variant_names",
    "clippy::doc_lazy_continuation",
    "clippy::doc_overindented_list_items",
    "clippy::empty_docs",
    "clippy::tabs_in_doc_comments",
    "rustdoc::bare_urls",
    "rustdoc::broken_intra_doc_links",
    "rustdoc::invalid_html_tags",
    "rustdoc::invalid_rust_codeblocks",
];

/// Which cargo feature compiles each operation and each type: one feature per tag. An
/// operation needs any of its tags' features (untagged ones are always compiled); a type
/// needs any feature of the operations that use it, unless something always compiled uses
/// it (or nothing does).
#[derive(Debug, Default)]
struct Gates {
    /// Feature names, in the order their tags first appear.
    features: Vec<String>,
    /// The tag of each feature.
    tags: Vec<String>,
    /// Per operation, indices into `features` (empty: always compiled).
    operations: Vec<Vec<usize>>,
    /// Per type, indices into `features` (empty: always compiled).
    types: Vec<Vec<usize>>,
}

/// Whether a name can be a cargo feature.
fn valid_feature(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name != "default"
        && name != "http"
}

impl Gates {
    fn new(ir: &Ir, opts: &EmitOptions) -> Result<Gates, String> {
        if !opts.tag_features {
            return Ok(Gates::default());
        }
        for (tag, feature) in &opts.feature_names {
            if !valid_feature(feature) {
                return Err(format!(
                    "`{feature}` (chosen for tag `{tag}`) cannot be a cargo feature name: use ASCII letters, digits, `_` and `-`, not `default` or `http`"
                ));
            }
            if !ir.operations.iter().any(|op| op.tags.contains(tag)) {
                return Err(format!("a feature name is given for tag `{tag}`, but no operation has that tag"));
            }
        }
        let mut tags: Vec<&str> = Vec::new();
        let mut features: Vec<String> = Vec::new();
        for tag in ir.operations.iter().flat_map(|op| op.tags.iter()) {
            if tags.contains(&tag.as_str()) {
                continue;
            }
            let chosen = opts.feature_names.iter().find(|(t, _)| t == tag).map(|(_, f)| f.clone());
            let base = chosen.unwrap_or_else(|| naming::feature_name(tag));
            let mut name = base.clone();
            let mut n = 2;
            while features.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            tags.push(tag);
            features.push(name);
        }
        let operations: Vec<Vec<usize>> = ir
            .operations
            .iter()
            .map(|op| {
                let mut f: Vec<usize> = op.tags.iter().filter_map(|t| tags.iter().position(|x| x == t)).collect();
                f.sort_unstable();
                f.dedup();
                f
            })
            .collect();
        let roots = |keep: &dyn Fn(usize) -> bool| {
            let mut ids = Vec::new();
            for (i, op) in ir.operations.iter().enumerate() {
                if keep(i) {
                    for (_, r) in op.refs() {
                        r.for_each_named(&mut |id| ids.push(id));
                    }
                }
            }
            ids
        };
        let per_feature: Vec<Vec<bool>> = (0..features.len())
            .map(|f| ir.reachable(roots(&|i| operations.get(i).is_some_and(|o| o.contains(&f)))))
            .collect();
        let used = ir.reachable(roots(&|_| true));
        // Types an always-compiled operation uses, types no operation uses, and what they hold.
        let mut always_roots = roots(&|i| operations.get(i).is_some_and(|o| o.is_empty()));
        always_roots.extend(used.iter().enumerate().filter(|(_, u)| !**u).map(|(i, _)| TypeId(i)));
        let always = ir.reachable(always_roots);
        let types = (0..ir.types.len())
            .map(|t| {
                if always.get(t).copied().unwrap_or(true) {
                    Vec::new()
                } else {
                    (0..features.len())
                        .filter(|f| per_feature.get(*f).and_then(|p| p.get(t)).copied().unwrap_or(false))
                        .collect()
                }
            })
            .collect();
        Ok(Gates {
            features,
            tags: tags.into_iter().map(str::to_owned).collect(),
            operations,
            types,
        })
    }

    /// The feature names behind `features` (indices into `self.features`).
    fn names(&self, features: Option<&Vec<usize>>) -> Vec<&str> {
        features
            .into_iter()
            .flatten()
            .filter_map(|f| self.features.get(*f).map(String::as_str))
            .collect()
    }

    fn cfg(&self, features: Option<&Vec<usize>>) -> TokenStream {
        match self.names(features).as_slice() {
            [] => TokenStream::new(),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }

    fn type_cfg(&self, i: usize) -> TokenStream {
        self.cfg(self.types.get(i))
    }

    /// The `#[cfg(...)]` for something every one of `types` needs: always compiled when
    /// one of them is, else behind any of their features.
    fn any_cfg(&self, types: &[usize]) -> TokenStream {
        let mut all: Vec<usize> = Vec::new();
        for t in types {
            match self.types.get(*t) {
                Some(f) if !f.is_empty() => all.extend(f.iter().copied()),
                _ => return TokenStream::new(),
            }
        }
        all.sort_unstable();
        all.dedup();
        self.cfg(Some(&all))
    }

    /// The `#[cfg(...)]` line for a type, as text (empty when it is always compiled).
    fn type_cfg_text(&self, i: usize) -> String {
        let names: Vec<String> = self.names(self.types.get(i)).iter().map(|n| format!("feature = {n:?}")).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => format!("#[cfg({one})]"),
            many => format!("#[cfg(any({}))]", many.join(", ")),
        }
    }

    fn operation_cfg(&self, i: usize) -> TokenStream {
        self.cfg(self.operations.get(i))
    }
}

/// Emits every module for `ir`.
pub fn emit(ir: &Ir, opts: &EmitOptions) -> Result<Emitted, Error> {
    let e = Emitter { ir, opts };
    let gates = Gates::new(ir, opts).map_err(|message| Error::Filter {
        file: opts.spec_name.clone().into(),
        message,
    })?;
    let header = format!(
        "// @generated by genauth-codegen from {}. Do not edit by hand; regenerate instead.\n",
        sanitize_line(&opts.spec_name)
    );
    let mut crate_doc = String::new();
    crate_doc.push_str(&format!("Typed client for {}", ir.title.trim()));
    if !ir.version.trim().is_empty() {
        crate_doc.push_str(&format!(" (API version {})", ir.version.trim()));
    }
    crate_doc.push_str(".\n");
    if let Some(d) = &ir.description {
        if !d.trim().is_empty() {
            crate_doc.push('\n');
            crate_doc.push_str(d.trim());
            crate_doc.push('\n');
        }
    }
    crate_doc.push_str(&format!(
        "\nGenerated by genauth-codegen from `{}`: {} operations, {} types.\n",
        sanitize_line(&opts.spec_name),
        ir.operations.len(),
        ir.types.len()
    ));
    // Each item is turned into tokens and formatted on its own, on as many threads as
    // there are cores: formatting dominates the run time, and only one item's tokens and
    // syntax tree per thread are alive at a time, which keeps memory small.
    let nested = opts.layout == Layout::SingleFile;
    let (families, family_of) = families(ir);
    let mut jobs: Vec<Job> = Vec::new();
    // No `types` module when there are no types (an operation filter can leave none): its
    // glob re-export would be an unused import.
    jobs.extend((0..ir.types.len()).map(Job::Type));
    jobs.push(Job::ClientTop);
    jobs.extend((0..ir.operations.len()).map(Job::Method));
    jobs.extend((0..ir.operations.len()).map(Job::OperationItems));
    let client_name = naming::type_name(&opts.client_name);
    let results = par_map(&jobs, |job| {
        // Token streams are not `Sync`: every thread makes its own.
        let client = ident(&client_name);
        let start = Instant::now();
        let (tokens, in_impl) = match *job {
            // String enums are one `rt::string_enum!` call each, laid out here: prettyplease
            // would print a macro's body on as few lines as it can.
            Job::Type(i) => match ir.types.get(i) {
                Some(t @ TypeDef { kind: TypeKind::Enum(en), .. }) => {
                    let text = e.enum_text(t, en, &gates.type_cfg_text(i), if nested { 4 } else { 0 });
                    return (Ok(text), start.elapsed(), Duration::ZERO);
                }
                Some(t @ TypeDef { kind: TypeKind::Struct(st), .. }) if family_of.get(i).copied().flatten().is_some() => {
                    let family = family_of.get(i).copied().flatten().and_then(|f| families.get(f));
                    match family {
                        Some(f) => {
                            let first_cfg = gates.any_cfg(&f.members);
                            (e.family_member(f, t, st, &gates.type_cfg(i), &first_cfg), false)
                        }
                        None => (e.type_def(t, &gates.type_cfg(i)), false),
                    }
                }
                Some(t) => (e.type_def(t, &gates.type_cfg(i)), false),
                None => (TokenStream::new(), false),
            },
            Job::ClientTop => (e.client_top(&client), false),
            Job::Method(i) => match ir.operations.get(i) {
                Some(op) => (e.method(op, &client, &gates.operation_cfg(i)), true),
                None => (TokenStream::new(), true),
            },
            Job::OperationItems(i) => match ir.operations.get(i) {
                Some(op) => (e.operation_items(op, &client, &gates.operation_cfg(i)), false),
                None => (TokenStream::new(), false),
            },
        };
        let tokens_time = start.elapsed();
        let start = Instant::now();
        let text = if tokens.is_empty() {
            Ok(String::new())
        } else {
            format_nested(tokens, nested, in_impl.then_some(&client))
        };
        (text, tokens_time, start.elapsed())
    });
    let mut cpu_time = (Duration::ZERO, Duration::ZERO);
    let mut texts = Vec::with_capacity(results.len());
    for (text, t, f) in results {
        cpu_time.0 += t;
        cpu_time.1 += f;
        texts.push(text?);
    }
    let start = Instant::now();
    let mut texts = texts.into_iter();
    let allows: Vec<syn::Path> = ALLOWS.iter().filter_map(|a| syn::parse_str::<syn::Path>(a).ok()).collect();
    let mut modules = Vec::with_capacity(2);
    if !ir.types.is_empty() {
        let mut m = ModuleText::open("types", e.types_head(!gates.features.is_empty()), nested, &allows)?;
        for _ in &ir.types {
            m.push(texts.next().unwrap_or_default());
        }
        modules.push(m.close());
    }
    let client = ident(&client_name);
    let mut m = ModuleText::open("client", e.client_head(), nested, &allows)?;
    m.push(texts.next().unwrap_or_default());
    // The client's `impl` block: its constructors, then one method per operation.
    let (open, close) = split_last_line(&format_nested(e.client_impl_open(&client), nested, None)?);
    m.push(open);
    for _ in &ir.operations {
        m.push(texts.next().unwrap_or_default());
    }
    m.push(close);
    for text in texts {
        m.push(text);
    }
    modules.push(m.close());
    cpu_time.1 += start.elapsed();
    Ok(Emitted {
        header,
        crate_doc,
        allows: ALLOWS.to_vec(),
        modules,
        cpu_time,
        features: gates.features.into_iter().zip(gates.tags).collect(),
    })
}

/// Structs that differ only in the type of one field (GenAuth's envelopes differ only in
/// `data`): one generic struct, and a type alias per member, instead of a struct each.
#[derive(Debug, Clone)]
struct Family {
    /// The generic struct's name.
    name: String,
    /// The position of the field whose type varies.
    field: usize,
    /// Every member's varying field is a `Vec`: the generic field is `Vec<T>`.
    vec: bool,
    /// The members, by type index, in order.
    members: Vec<usize>,
    /// Their names.
    names: Vec<String>,
}

impl Family {
    fn index_of(&self, t: &TypeDef) -> usize {
        self.names
            .iter()
            .position(|n| *n == t.name)
            .and_then(|i| self.members.get(i).copied())
            .unwrap_or(usize::MAX)
    }
}

/// Families need this many members to be worth a generic struct.
const MIN_FAMILY: usize = 4;

/// FNV-1a, for deterministic signatures.
fn fnv(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(seed ^ 0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Finds the families among the structs of `ir`; returns them and, per type, the index of
/// its family.
fn families(ir: &Ir) -> (Vec<Family>, Vec<Option<usize>>) {
    // Per struct: each field's signature with and without its type and docs, combined into
    // prefix and suffix hashes so the key "all fields but the one at `p`" costs O(1).
    let mut groups: BTreeMap<(usize, u64), Vec<usize>> = BTreeMap::new();
    for (i, t) in ir.types.iter().enumerate() {
        let TypeKind::Struct(s) = &t.kind else { continue };
        if !s.default || s.additional.is_some() || s.fields.len() < 2 {
            continue;
        }
        let full: Vec<u64> = s
            .fields
            .iter()
            .map(|f| {
                let sig = format!(
                    "{}|{}|{}|{}|{}|{}|{}",
                    f.ident,
                    f.wire,
                    f.required,
                    f.nullable,
                    f.deprecated,
                    f.ty.rust(ir),
                    f.doc.as_deref().unwrap_or("")
                );
                fnv(sig.as_bytes(), 1)
            })
            .collect();
        let bare: Vec<u64> = s
            .fields
            .iter()
            .map(|f| fnv(format!("{}|{}|{}|{}|{}", f.ident, f.wire, f.required, f.nullable, f.deprecated).as_bytes(), 2))
            .collect();
        let n = full.len();
        // prefix[k]: fields before k; suffix[k]: fields from k on.
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(u64::from(s.lenient));
        for f in &full {
            let last = prefix.last().copied().unwrap_or(0);
            prefix.push(fnv(&last.to_le_bytes(), *f));
        }
        let mut suffix = vec![0u64];
        for f in full.iter().rev() {
            let last = suffix.last().copied().unwrap_or(0);
            suffix.push(fnv(&last.to_le_bytes(), *f));
        }
        suffix.reverse();
        for (p, b) in bare.iter().enumerate() {
            let (Some(before), Some(after)) = (prefix.get(p), suffix.get(p + 1)) else { continue };
            let key = fnv(&[before.to_le_bytes(), after.to_le_bytes(), b.to_le_bytes()].concat(), n as u64);
            groups.entry((p, key)).or_default().push(i);
        }
    }
    let mut candidates: Vec<(usize, Vec<usize>)> = groups
        .into_iter()
        .filter(|(_, members)| members.len() >= MIN_FAMILY)
        .map(|((p, _), members)| (p, members))
        .collect();
    // Largest first; ties by first member, so the choice is deterministic.
    candidates.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1.first().cmp(&b.1.first())));
    let mut of: Vec<Option<usize>> = vec![None; ir.types.len()];
    let mut out: Vec<Family> = Vec::new();
    let taken: BTreeSet<&str> = ir.types.iter().map(|t| t.name.as_str()).collect();
    let mut new_names: BTreeSet<String> = BTreeSet::new();
    for (field, members) in candidates {
        let members: Vec<usize> = members.into_iter().filter(|m| of.get(*m).is_some_and(Option::is_none)).collect();
        // Hash collisions aside, members agree on everything but the varying field's type;
        // check that for real against the first member.
        let structs: Vec<(&TypeDef, &StructDef)> = members
            .iter()
            .filter_map(|m| match ir.types.get(*m) {
                Some(t @ TypeDef { kind: TypeKind::Struct(s), .. }) => Some((t, s)),
                _ => None,
            })
            .collect();
        let Some((_, first)) = structs.first() else { continue };
        let same = |a: &Field, b: &Field, varying: bool| {
            a.ident == b.ident
                && a.wire == b.wire
                && a.required == b.required
                && a.nullable == b.nullable
                && a.deprecated == b.deprecated
                && (varying || (a.ty == b.ty && a.doc == b.doc))
        };
        let members: Vec<(usize, &TypeDef, &StructDef)> = members
            .iter()
            .zip(structs.iter())
            .filter(|(_, (_, s))| {
                s.lenient == first.lenient
                    && s.fields.len() == first.fields.len()
                    && s.fields.iter().zip(&first.fields).enumerate().all(|(k, (a, b))| same(a, b, k == field))
            })
            .map(|(m, (t, s))| (*m, *t, *s))
            .collect();
        let types: BTreeSet<String> = members
            .iter()
            .filter_map(|(_, _, s)| s.fields.get(field).map(|f| f.ty.rust(ir)))
            .collect();
        if members.len() < MIN_FAMILY || types.len() < 2 {
            continue;
        }
        let vec = members.iter().all(|(_, _, s)| matches!(s.fields.get(field).map(|f| &f.ty), Some(TypeRef::Vec(_))));
        let names: Vec<String> = members.iter().map(|(_, t, _)| t.name.clone()).collect();
        let base = common_word_suffix(&names).unwrap_or_else(|| format!("{}Shape", names.first().map(String::as_str).unwrap_or("Generic")));
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(name.as_str()) || new_names.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        new_names.insert(name.clone());
        let index = out.len();
        for (m, _, _) in &members {
            if let Some(slot) = of.get_mut(*m) {
                *slot = Some(index);
            }
        }
        out.push(Family {
            name,
            field,
            vec,
            members: members.iter().map(|(m, _, _)| *m).collect(),
            names,
        });
    }
    (out, of)
}

/// A name for what `names` share: the run of whole words ending at least half of them
/// (`RespDto` in `UserSingleRespDto`, `IsSuccessRespDto`, ...), longer runs preferred
/// (words × names that end with it, ties to the longer, then alphabetical).
fn common_word_suffix(names: &[String]) -> Option<String> {
    let mut suffixes: BTreeSet<&str> = BTreeSet::new();
    for n in names {
        for (i, c) in n.char_indices() {
            if i > 0 && c.is_ascii_uppercase() {
                suffixes.insert(n.split_at(i).1);
            }
        }
    }
    let words = |s: &str| s.chars().filter(char::is_ascii_uppercase).count();
    suffixes
        .into_iter()
        .map(|s| (s, names.iter().filter(|n| n.ends_with(s) && n.len() > s.len()).count()))
        .filter(|(_, count)| count * 2 >= names.len())
        .max_by(|(a, ca), (b, cb)| (ca * words(a), a.len(), std::cmp::Reverse(*a)).cmp(&(cb * words(b), b.len(), std::cmp::Reverse(*b))))
        .map(|(s, _)| s.to_owned())
}

/// One unit of emitting and formatting.
enum Job {
    /// A type, by index.
    Type(usize),
    /// The server constant and the client struct.
    ClientTop,
    /// An operation's method, by index.
    Method(usize),
    /// The parameter, form and status types of one operation, by index.
    OperationItems(usize),
}

/// `f` applied to every item, on up to one thread per core (in order).
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
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
fn format_nested(tokens: TokenStream, nested: bool, in_impl: Option<&Ident>) -> Result<String, Error> {
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
fn split_last_line(text: &str) -> (String, String) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    match body.rfind('\n').map(|i| text.split_at(i + 1)) {
        Some((head, last)) => (head.to_owned(), last.to_owned()),
        None => (String::new(), text.to_owned()),
    }
}

/// A module's text, assembled from formatted pieces.
struct ModuleText {
    name: &'static str,
    text: String,
    close: String,
}

impl ModuleText {
    /// Starts a module with its head (inner docs and `use`s): at the top of a file, or
    /// inside `pub mod name { ... }` when `nested`.
    fn open(name: &'static str, head: TokenStream, nested: bool, allows: &[syn::Path]) -> Result<Self, Error> {
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

    fn push(&mut self, piece: String) {
        self.text.push_str(&piece);
    }

    fn close(mut self) -> Module {
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

/// The variant of a per-status response enum (`200` → `Status200`, `2XX` → `Status2xx`).
fn status_variant(code: &str) -> String {
    naming::type_name(&format!("status {code}"))
}

/// Characters that may not appear in generated comments or literals as they are:
/// bidirectional overrides (rustc rejects them) and other invisible controls.
fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || (c.is_control() && c != '\n' && c != '\t')
}

fn sanitize_line(s: &str) -> String {
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

fn opt_doc(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) if !t.trim().is_empty() => doc_attrs(t),
        _ => TokenStream::new(),
    }
}

struct Emitter<'a> {
    ir: &'a Ir,
    opts: &'a EmitOptions,
}

impl Emitter<'_> {
    fn type_name(&self, id: TypeId) -> Ident {
        match self.ir.get(id) {
            Some(t) => ident(&t.name),
            None => Ident::new("invalid_name", Span::call_site()),
        }
    }

    fn ty(&self, t: &TypeRef) -> TokenStream {
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

    fn derives(&self, base: &[&str]) -> TokenStream {
        let mut all: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
        for extra in &self.opts.extra_derives {
            if !all.iter().any(|d| d == extra) {
                all.push(extra.clone());
            }
        }
        let paths = all.iter().filter_map(|d| syn::parse_str::<syn::Path>(d).ok());
        quote!(#[derive(#(#paths),*)])
    }

    // ----- types --------------------------------------------------------------------

    /// The top of the types module: its docs and `use`s.
    fn types_head(&self, gated: bool) -> TokenStream {
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

    /// Follows aliases to the type they name.
    fn resolve<'t>(&'t self, t: &'t TypeRef) -> &'t TypeRef {
        resolve_alias(&self.ir.types, t)
    }

    /// Whether values of `t` have a plain text form for queries, headers and forms.
    fn is_plain(&self, t: &TypeRef) -> bool {
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

    /// A type's items; `cfg` (a `#[cfg(...)]` attribute or nothing) goes on each.
    fn type_def(&self, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
        let name = ident(&t.name);
        let doc = opt_doc(t.doc.as_deref());
        let doc = quote!(#doc #cfg);
        match &t.kind {
            TypeKind::Struct(s) => self.struct_def(&name, doc, s),
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

    fn union_def(&self, name: &Ident, doc: TokenStream, u: &UnionDef) -> TokenStream {
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

    fn struct_def(&self, name: &Ident, doc: TokenStream, s: &StructDef) -> TokenStream {
        self.struct_def_generic(name, doc, s, None)
    }

    /// A struct; with `generic`, the field at that position has the type parameter `T`
    /// (`Vec<T>` when `vec`), as the shared shape of a [`Family`].
    fn struct_def_generic(&self, name: &Ident, doc: TokenStream, s: &StructDef, generic: Option<(usize, bool)>) -> TokenStream {
        // Use `rename_all = "camelCase"` when it saves more renames than it costs.
        let camel = s.fields.iter().filter(|f| naming::serde_camel(&f.ident) == f.wire).count();
        let plain = s.fields.iter().filter(|f| naming::unraw(&f.ident) == f.wire).count();
        let use_camel = camel > plain;
        // Response types read a missing field as its default (see `rt::Decoding`).
        let mut container_args: Vec<TokenStream> = Vec::new();
        if s.lenient && s.default {
            container_args.push(quote!(default));
            if generic.is_some() {
                // The container default needs `T: Default`, which serde does not infer.
                container_args.push(quote!(bound(deserialize = "T: serde::Deserialize<'de> + Default")));
            }
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
        let derives = if s.default {
            self.derives(&["Debug", "Clone", "PartialEq", "Default", "Serialize", "Deserialize"])
        } else {
            self.derives(&["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"])
        };
        let params = if generic.is_some() { quote!(<T>) } else { TokenStream::new() };
        quote! {
            #doc
            #derives
            #container
            pub struct #name #params {
                #(#fields)*
                #additional
            }
        }
    }

    /// A member of a family: a type alias of the generic struct (which comes first when
    /// this is the family's first member).
    fn family_member(&self, family: &Family, t: &TypeDef, s: &StructDef, cfg: &TokenStream, first_cfg: &TokenStream) -> TokenStream {
        let name = ident(&t.name);
        let generic = ident(&family.name);
        let doc = opt_doc(t.doc.as_deref());
        let arg = match s.fields.get(family.field).map(|f| &f.ty) {
            Some(TypeRef::Vec(inner)) if family.vec => self.ty(inner),
            Some(other) => self.ty(other),
            None => quote!(serde_json::Value),
        };
        let alias = quote! {
            #doc
            #cfg
            pub type #name = #generic<#arg>;
        };
        if family.members.first() != Some(&family.index_of(t)) {
            return alias;
        }
        let member_names: Vec<&str> = family.names.iter().take(3).map(String::as_str).collect();
        let varying = s.fields.get(family.field).map(|f| f.wire.as_str()).unwrap_or_default();
        let gdoc = doc_attrs(&format!(
            "The shape {} types share: they differ only in `{varying}` (the parameter `T`). \
             Each is defined as this struct with its own `T`, e.g. `{}`.",
            family.members.len(),
            member_names.join("`, `")
        ));
        let def = self.struct_def_generic(&generic, quote!(#gdoc #first_cfg), s, Some((family.field, family.vec)));
        quote!(#def #alias)
    }

    /// A string enum as one `rt::string_enum!` call, formatted by hand at `indent`.
    fn enum_text(&self, t: &TypeDef, e: &EnumDef, cfg: &str, indent: usize) -> String {
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

    // ----- client -------------------------------------------------------------------

    /// The top of the client module: its docs and `use`s.
    fn client_head(&self) -> TokenStream {
        let types_use = if self.ir.types.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[allow(unused_imports)] use super::types::*;)
        };
        quote! {
            //! The client and the parameter structs of its methods.
            use genauth_runtime as rt;
            #types_use
        }
    }

    /// The server constant and the client struct.
    fn client_top(&self, client: &Ident) -> TokenStream {
        let title = sanitize_line(self.ir.title.trim());
        let client_doc = doc_attrs(&format!(
            "Client for {title}: one async method per operation.\n\n\
             Every method describes its request and hands it to the transport the client was \
             built with (see `genauth_runtime::Transport`); the runtime checks the response and \
             decodes it into the method's return type."
        ));
        let server = match self.ir.servers.first() {
            Some(url) => {
                let url = sanitize_line(url);
                quote! {
                    /// The first server listed in the API description.
                    pub const DEFAULT_SERVER: &str = #url;
                }
            }
            None => TokenStream::new(),
        };
        quote! {
            #server

            #client_doc
            #[derive(Debug, Clone)]
            pub struct #client {
                client: rt::Client,
            }
        }
    }

    /// The client's `impl` block with its constructors (the methods are added after them).
    fn client_impl_open(&self, client: &Ident) -> TokenStream {
        let envelope = if self.ir.status_code_envelope {
            quote!(.with_envelope(rt::Envelope::StatusCode))
        } else {
            TokenStream::new()
        };
        let decoding = if self.opts.strict_responses {
            quote!(.with_decoding(rt::Decoding::Strict))
        } else {
            TokenStream::new()
        };
        let init = if envelope.is_empty() && decoding.is_empty() {
            quote!(Self { client })
        } else {
            quote!(Self { client: client #envelope #decoding })
        };
        quote! {
            impl #client {
                /// A client that sends every request through `transport`.
                pub fn new(transport: impl rt::Transport) -> Self {
                    Self::from_client(rt::Client::new(transport))
                }

                /// A client over an existing runtime client (the response checks this API needs are switched on).
                pub fn from_client(client: rt::Client) -> Self {
                    #init
                }

                /// The runtime client underneath.
                pub fn client(&self) -> &rt::Client {
                    &self.client
                }
            }
        }
    }

    /// The parameter, form and status types of one operation.
    fn operation_items(&self, op: &Operation, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let params = op.params.as_ref().map(|p| self.params_struct(op, p, client, cfg));
        let form = match &op.body {
            Some(Body { kind: BodyKind::Form(p), .. }) => Some(self.params_struct(op, p, client, cfg)),
            _ => None,
        };
        let statuses = self.status_enum(op, client, cfg);
        quote!(#params #form #statuses)
    }

    fn method_doc(&self, op: &Operation) -> TokenStream {
        let mut text = String::new();
        if let Some(s) = op.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            text.push_str(s.trim());
            text.push_str("\n\n");
        }
        if let Some(d) = op.description.as_deref().filter(|d| !d.trim().is_empty()) {
            if op.summary.as_deref().map(str::trim) != Some(d.trim()) {
                text.push_str(d.trim());
                text.push_str("\n\n");
            }
        }
        if op.deprecated {
            text.push_str("**Deprecated** in the API description.\n\n");
        }
        text.push_str(&format!(
            "`{} {}`",
            op.method.to_ascii_uppercase(),
            sanitize_line(&op.path).replace('`', "'")
        ));
        doc_attrs(&text)
    }

    fn method(&self, op: &Operation, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let name = ident(&op.ident);
        let doc = self.method_doc(op);
        let method = match op.method.as_str() {
            "get" => quote!(rt::Method::Get),
            "put" => quote!(rt::Method::Put),
            "post" => quote!(rt::Method::Post),
            "delete" => quote!(rt::Method::Delete),
            "patch" => quote!(rt::Method::Patch),
            "head" => quote!(rt::Method::Head),
            "options" => quote!(rt::Method::Options),
            _ => quote!(rt::Method::Trace),
        };

        let mut args: Vec<TokenStream> = Vec::new();
        for p in &op.path_params {
            let pname = ident(&p.ident);
            let pty = match self.resolve(&p.ty) {
                TypeRef::String => quote!(&str),
                TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 => self.ty(&p.ty),
                _ => {
                    let t = self.ty(&p.ty);
                    quote!(&#t)
                }
            };
            args.push(quote!(#pname: #pty));
        }
        if let Some(params) = &op.params {
            let pty = ident(&params.name);
            args.push(quote!(params: &#pty));
        }
        let body_stmt = match &op.body {
            Some(b) => self.body_stmt(b, &mut args),
            None => TokenStream::new(),
        };

        let path_expr = self.path_expr(op);
        let (query_stmts, header_stmts) = match &op.params {
            Some(params) => self.param_pushes(params),
            None => (TokenStream::new(), TokenStream::new()),
        };

        let (ret, send) = if let Some((enum_name, bodies)) = &op.responses_by_status {
            let enum_ident = ident(enum_name);
            let mut exact = Vec::new();
            let mut ranges = Vec::new();
            for (code, body) in bodies {
                let variant = ident(&status_variant(code));
                let value = match body {
                    StatusBody::Empty => quote!(#enum_ident::#variant),
                    StatusBody::Json(_) => quote!(#enum_ident::#variant(self.client.decode(&response)?)),
                    StatusBody::Raw => quote!(#enum_ident::#variant(response)),
                };
                if let Ok(n) = code.parse::<u16>() {
                    let lit = Literal::u16_unsuffixed(n);
                    exact.push(quote!(#lit => #value,));
                } else if let Some(first) = code.chars().next().and_then(|c| c.to_digit(10)) {
                    let lo = Literal::u16_unsuffixed((first * 100) as u16);
                    let hi = Literal::u16_unsuffixed((first * 100 + 99) as u16);
                    ranges.push(quote!(#lo..=#hi => #value,));
                }
            }
            (
                quote!(#enum_ident),
                quote! {
                    let response = self.client.send_raw(request).await?;
                    Ok(match response.status {
                        #(#exact)*
                        #(#ranges)*
                        _ => #enum_ident::Other(response),
                    })
                },
            )
        } else if op.raw_response {
            (quote!(rt::Response), quote!(self.client.send_raw(request).await))
        } else {
            match &op.response {
                Some(t) => {
                    let t = self.ty(t);
                    (t, quote!(self.client.send(request).await))
                }
                None => (
                    quote!(()),
                    quote! {
                        self.client.send_raw(request).await?;
                        Ok(())
                    },
                ),
            }
        };
        let query_attach = if query_stmts.is_empty() {
            TokenStream::new()
        } else {
            quote!(.query(query))
        };
        let headers_attach = if header_stmts.is_empty() {
            TokenStream::new()
        } else {
            quote!(.headers(headers))
        };
        let _ = client;
        quote! {
            #doc
            #cfg
            pub async fn #name(&self, #(#args),*) -> Result<#ret, rt::Error> {
                #query_stmts
                #header_stmts
                let request = rt::Request::new(#method, #path_expr)#query_attach #headers_attach;
                #body_stmt
                #send
            }
        }
    }

    /// The body argument(s) and the statements that attach the body to `request`.
    fn body_stmt(&self, b: &Body, args: &mut Vec<TokenStream>) -> TokenStream {
        let media_type = &b.media_type;
        match &b.kind {
            BodyKind::Json(t) => {
                let bty = self.ty(t);
                if b.required {
                    args.push(quote!(body: &#bty));
                    quote!(let request = request.json(body)?;)
                } else {
                    args.push(quote!(body: Option<&#bty>));
                    quote! {
                        let request = match body {
                            Some(body) => request.json(body)?,
                            None => request,
                        };
                    }
                }
            }
            BodyKind::Form(p) => {
                let fty = ident(&p.name);
                args.push(quote!(body: &#fty));
                let multipart = p.fields.iter().any(|f| f.location == ParamIn::Multipart);
                let pushes = p.fields.iter().map(|f| self.push_stmt(quote!(form), quote!(body), f));
                if multipart {
                    quote! {
                        let mut form = rt::Multipart::new();
                        #(#pushes)*
                        let request = request.multipart(form);
                    }
                } else {
                    quote! {
                        let mut form = rt::Query::new();
                        #(#pushes)*
                        let request = request.form(form);
                    }
                }
            }
            BodyKind::Bytes => {
                args.push(quote!(body: impl Into<Vec<u8>>));
                quote!(let request = request.bytes(#media_type, body);)
            }
            BodyKind::Text => {
                args.push(quote!(body: impl Into<String>));
                quote!(let request = request.text(#media_type, body);)
            }
        }
    }

    fn path_expr(&self, op: &Operation) -> TokenStream {
        if op.path_params.is_empty() {
            let path = &op.path;
            return quote!(#path);
        }
        // Split the template into literal pieces and `{name}` holes, joined with `concat`.
        let mut pieces: Vec<TokenStream> = Vec::new();
        let mut literal = String::new();
        let mut rest = op.path.as_str();
        while let Some(start) = rest.find('{') {
            let (lit, after) = rest.split_at(start);
            literal.push_str(lit);
            let Some((name, tail)) = after.strip_prefix('{').and_then(|a| a.split_once('}')) else {
                literal.push_str(after);
                rest = "";
                break;
            };
            match op.path_params.iter().find(|p| p.wire == name) {
                Some(p) => {
                    if !literal.is_empty() {
                        pieces.push(quote!(#literal));
                        literal.clear();
                    }
                    let pname = ident(&p.ident);
                    let arg = match &p.ty {
                        TypeRef::String => quote!(#pname),
                        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 => quote!(&#pname),
                        _ => quote!(#pname),
                    };
                    pieces.push(quote!(&rt::path_param(#arg)));
                }
                None => {
                    literal.push('{');
                    literal.push_str(name);
                    literal.push('}');
                }
            }
            rest = tail;
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(quote!(#literal));
        }
        quote!([#(#pieces),*].concat())
    }

    fn param_pushes(&self, params: &ParamsDef) -> (TokenStream, TokenStream) {
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
    fn push_stmt(&self, var: TokenStream, source: TokenStream, f: &Param) -> TokenStream {
        let fname = ident(&f.ident);
        let wire = &f.wire;
        let method = if f.file {
            match self.resolve(&f.ty) {
                TypeRef::Vec(_) => quote!(files),
                _ => quote!(file),
            }
        } else if f.location == ParamIn::DeepQuery {
            quote!(push_deep)
        } else if self.is_plain(&f.ty) {
            quote!(push)
        } else {
            quote!(push_json)
        };
        let fallible = !f.file && (f.location == ParamIn::DeepQuery || !self.is_plain(&f.ty));
        let question = if fallible { quote!(?) } else { TokenStream::new() };
        if f.required {
            quote!(#var.#method(#wire, &#source.#fname)#question;)
        } else if !fallible && !f.file {
            quote!(#var.push_opt(#wire, #source.#fname.as_ref());)
        } else {
            quote! {
                if let Some(value) = &#source.#fname {
                    #var.#method(#wire, value)#question;
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
            if f.ty == TypeRef::String && !f.file {
                quote!(#fname: impl Into<String>)
            } else {
                let t = self.field_ty(f);
                quote!(#fname: #t)
            }
        });
        let inits = p.fields.iter().map(|f| {
            let fname = ident(&f.ident);
            if f.required {
                if f.ty == TypeRef::String && !f.file {
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

    /// The enum a method returns when success statuses carry different bodies.
    fn status_enum(&self, op: &Operation, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let Some((name, bodies)) = &op.responses_by_status else { return TokenStream::new() };
        let name = ident(name);
        let method = ident(&op.ident);
        let doc = format!(" What [`{client}::{method}`] returns: one variant per success status in the API description.");
        let variants = bodies.iter().map(|(code, body)| {
            let variant = ident(&status_variant(code));
            let vdoc = format!(" Status `{}`.", sanitize_line(code));
            match body {
                StatusBody::Empty => quote!(#[doc = #vdoc] #variant,),
                StatusBody::Json(t) => {
                    let t = self.ty(t);
                    quote!(#[doc = #vdoc] #variant(#t),)
                }
                StatusBody::Raw => quote!(#[doc = #vdoc] #variant(rt::Response),),
            }
        });
        quote! {
            #[doc = #doc]
            #cfg
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
                /// A success status the API description does not list.
                Other(rt::Response),
            }
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
