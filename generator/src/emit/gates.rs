//! Cargo features per tag: which feature compiles each operation and each type, and the
//! `#[cfg(...)]` attributes (as tokens and as text) that say so.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::*;
use crate::naming;

use super::emitter::EmitOptions;

/// Which cargo feature compiles each operation and each type: one feature per tag. An
/// operation needs any of its tags' features (untagged ones are always compiled); a type
/// needs any feature of the operations that use it, unless something always compiled uses
/// it (or nothing does).
#[derive(Debug, Default)]
pub(super) struct Gates {
    /// Feature names, in the order their tags first appear.
    pub(super) features: Vec<String>,
    /// The tag of each feature.
    pub(super) tags: Vec<String>,
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
    pub(super) fn new(ir: &Ir, opts: &EmitOptions) -> Result<Gates, String> {
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

    pub(super) fn type_cfg(&self, i: usize) -> TokenStream {
        self.cfg(self.types.get(i))
    }

    /// The `#[cfg(...)]` for something every one of `types` needs: always compiled when
    /// one of them is, else behind any of their features.
    pub(super) fn any_cfg(&self, types: &[usize]) -> TokenStream {
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
    pub(super) fn type_cfg_text(&self, i: usize) -> String {
        let names: Vec<String> = self.names(self.types.get(i)).iter().map(|n| format!("feature = {n:?}")).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => format!("#[cfg({one})]"),
            many => format!("#[cfg(any({}))]", many.join(", ")),
        }
    }

    pub(super) fn operation_cfg(&self, i: usize) -> TokenStream {
        self.cfg(self.operations.get(i))
    }
}
