//! The state of one lowering run: [`Lowerer`] (the document, the draft types found so far,
//! the shared inline enums, the warnings), the options, and [`Ctx`], the naming context an
//! inline schema gets its name from.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use openapiv3 as oa;
use serde_json::Value;

use crate::error::Warning;
use crate::ir::*;
use crate::load::Document;
use crate::naming;

/// How deep `$ref` chains and `allOf` merges may go before we call it a cycle.
pub(super) const MAX_REF_DEPTH: usize = 64;

/// Choices that change the IR.
#[derive(Debug, Clone, Copy, Default)]
pub struct LowerOptions {
    /// Decode responses exactly as the spec says (no forgiveness for missing required
    /// fields, `null`s or numbers sent as strings).
    pub strict_responses: bool,
}

/// Where a type came from, which decides its name.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// `#/components/schemas/<name>`.
    Component(String),
    /// An inline schema, named from its context.
    Inline,
    /// An inline string enum, possibly shared by several properties of the same name.
    Enum {
        prop: Option<String>,
        parent: String,
        uses: usize,
        /// The `title` of the first occurrence that has one: the type's name, when given.
        title: Option<String>,
    },
}

#[derive(Debug)]
pub(super) struct Draft {
    pub(super) candidate: String,
    pub(super) origin: Origin,
    pub(super) pointer: String,
    pub(super) doc: Option<String>,
    pub(super) kind: Option<TypeKind>,
    pub(super) examples: Vec<Value>,
}

/// Inline enums with the same property name (or `title`) and the same set of values are one
/// type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct EnumKey {
    pub(super) prop: String,
    pub(super) values: Vec<String>,
}

/// The naming context of a schema: the name an inline type here would get, and the
/// property (or parameter) it belongs to.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub(super) name: String,
    pub(super) prop: Option<String>,
    pub(super) parent: String,
}

impl Ctx {
    pub(super) fn root(name: String) -> Self {
        Ctx {
            parent: name.clone(),
            name,
            prop: None,
        }
    }

    pub(super) fn property(parent: &str, prop: &str) -> Self {
        Ctx {
            name: format!("{parent}{}", naming::pascal(prop)),
            prop: Some(prop.to_owned()),
            parent: parent.to_owned(),
        }
    }

    pub(super) fn suffixed(&self, suffix: &str) -> Self {
        Ctx {
            name: format!("{}{suffix}", self.name),
            prop: self.prop.clone(),
            parent: self.parent.clone(),
        }
    }
}

pub(super) struct Lowerer<'a> {
    pub(super) doc: &'a Document,
    pub(super) options: LowerOptions,
    pub(super) file: &'a Path,
    pub(super) drafts: Vec<Draft>,
    pub(super) components: IndexMap<&'a str, TypeId>,
    pub(super) enums: BTreeMap<EnumKey, TypeId>,
    pub(super) warnings: Vec<Warning>,
    /// Inline object schemas being lowered, innermost last: an `allOf` that copies the
    /// properties of a component holding it reaches the same schema again, which is then
    /// the same (recursive) type instead of a new one each time, forever.
    pub(super) inline_active: Vec<(*const oa::Schema, TypeId)>,
    /// How deep `type_of` is nested (a guard: past [`MAX_TYPE_DEPTH`] it is an error).
    pub(super) type_depth: usize,
}

/// Deeper than this, lowering a schema stops with an error instead of recursing on.
pub(super) const MAX_TYPE_DEPTH: usize = 1024;

impl<'a> Lowerer<'a> {
    pub(super) fn new(doc: &'a Document, options: LowerOptions) -> Self {
        Lowerer {
            doc,
            options,
            file: &doc.file,
            drafts: Vec::new(),
            components: IndexMap::new(),
            enums: BTreeMap::new(),
            warnings: Vec::new(),
            inline_active: Vec::new(),
            type_depth: 0,
        }
    }

    pub(super) fn warn(&mut self, code: &'static str, pointer: &str, message: String, hint: &'static str) {
        self.warnings.push(Warning {
            code,
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            message,
            hint,
        });
    }

    pub(super) fn new_draft(&mut self, candidate: String, origin: Origin, pointer: &str, doc: Option<String>) -> TypeId {
        let id = TypeId(self.drafts.len());
        self.drafts.push(Draft {
            candidate,
            origin,
            pointer: pointer.to_owned(),
            doc,
            kind: None,
            examples: Vec::new(),
        });
        id
    }

    pub(super) fn set_kind(&mut self, id: TypeId, kind: TypeKind) {
        if let Some(d) = self.drafts.get_mut(id.0) {
            d.kind = Some(kind);
        }
    }

    pub(super) fn schemas(&self) -> Option<&'a IndexMap<String, oa::ReferenceOr<oa::Schema>>> {
        self.doc.api.components.as_ref().map(|c| &c.schemas)
    }
}
