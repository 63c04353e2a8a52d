//! The end of a run: final type names (components first, then inline types in discovery
//! order, then parameter, form and status types), the whole-IR passes, and dropping inline
//! types nothing uses.

use std::collections::BTreeMap;

use crate::error::{Error, Warning};
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::{Lowerer, Origin};
use super::codes::{self, lower_api_codes};
use super::cycles::{box_cycles, check_alias_cycles};
use super::defaults::{compute_defaults, mark_lenient};
use super::envelope::detect_envelope;
use super::unions::finish_unions;

impl<'a> Lowerer<'a> {
    pub(super) fn finish(mut self, mut operations: Vec<Operation>) -> Result<(Ir, Vec<Warning>), Error> {
        // Names: components first, in document order, then inline types in discovery order.
        let mut per_prop: BTreeMap<String, usize> = BTreeMap::new();
        for d in &self.drafts {
            if let Origin::Enum { prop: Some(p), .. } = &d.origin {
                *per_prop.entry(p.clone()).or_default() += 1;
            }
        }
        // With a code table, `ApiCode` and `Error` are the generated code's own.
        let api_codes = lower_api_codes(self.file, self.doc.api.extensions.get(codes::EXTENSION))?;
        let mut types_ns = if api_codes.is_some() {
            Namespace::with_reserved(&["ApiCode", "Error"])
        } else {
            Namespace::new()
        };
        let mut names = Vec::with_capacity(self.drafts.len());
        for d in &self.drafts {
            let candidate = match &d.origin {
                Origin::Component(name) => naming::type_name(name),
                Origin::Inline => naming::type_name(&d.candidate),
                Origin::Enum { title: Some(title), .. } if !naming::type_name(title).is_empty() => naming::type_name(title),
                Origin::Enum { prop: Some(prop), uses, parent, .. } => {
                    if *uses > 1 && per_prop.get(prop).copied() == Some(1) {
                        naming::type_name(prop)
                    } else {
                        naming::type_name(&format!("{parent}{}", naming::pascal(prop)))
                    }
                }
                Origin::Enum { prop: None, .. } => naming::type_name(&d.candidate),
            };
            names.push(candidate);
        }
        // Components keep their plain names ahead of inline types.
        let mut finals = vec![String::new(); names.len()];
        for (i, d) in self.drafts.iter().enumerate() {
            if matches!(d.origin, Origin::Component(_)) {
                if let (Some(slot), Some(n)) = (finals.get_mut(i), names.get(i)) {
                    *slot = types_ns.claim(n.clone());
                }
            }
        }
        for (i, d) in self.drafts.iter().enumerate() {
            if !matches!(d.origin, Origin::Component(_)) {
                if let (Some(slot), Some(n)) = (finals.get_mut(i), names.get(i)) {
                    *slot = types_ns.claim(n.clone());
                }
            }
        }
        // Params structs, form structs and per-status response enums share the type namespace.
        for op in &mut operations {
            if let Some(p) = &mut op.params {
                p.name = types_ns.claim(naming::type_name(&p.name));
            }
            if let Some(Body { kind: BodyKind::Form(p), .. }) = &mut op.body {
                p.name = types_ns.claim(naming::type_name(&p.name));
            }
            if let Some((name, _)) = &mut op.responses_by_status {
                *name = types_ns.claim(naming::type_name(name));
            }
        }

        let mut types: Vec<TypeDef> = Vec::with_capacity(self.drafts.len());
        for (d, name) in self.drafts.drain(..).zip(finals) {
            types.push(TypeDef {
                name,
                pointer: d.pointer,
                doc: d.doc,
                kind: d.kind.unwrap_or(TypeKind::Alias(TypeRef::Value)),
                examples: d.examples,
            });
        }
        check_alias_cycles(&types, self.file)?;
        let mut warnings = std::mem::take(&mut self.warnings);
        finish_unions(&mut types, &operations, &mut types_ns, self.file, &mut warnings);
        box_cycles(&mut types);
        compute_defaults(&mut types);
        if !self.options.strict_responses {
            mark_lenient(&mut types, &operations);
        }
        self.warnings = warnings;
        self.detect_pagination(&types, &mut operations)?;

        let status_code_envelope = detect_envelope(&types, &operations);
        let api = &self.doc.api;
        let mut ir = Ir {
            title: api.info.title.clone(),
            description: api.info.description.clone(),
            version: api.info.version.clone(),
            servers: api.servers.iter().map(|s| s.url.clone()).collect(),
            status_code_envelope,
            types,
            operations,
            api_codes,
        };
        // Inline types nothing uses any more (enums of tag properties that unions took
        // over) are dropped; every component schema stays.
        let mut roots: Vec<TypeId> = Vec::new();
        for (i, t) in ir.types.iter().enumerate() {
            let component = t
                .pointer
                .strip_prefix("#/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'));
            if component {
                roots.push(TypeId(i));
            }
        }
        for op in &ir.operations {
            for (_, t) in op.refs() {
                t.for_each_named(&mut |id| roots.push(id));
            }
        }
        let keep = ir.reachable(roots);
        if keep.iter().any(|k| !k) {
            ir.retain_types(&keep);
        }
        Ok((ir, self.warnings))
    }
}
