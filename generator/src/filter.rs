//! Keeping part of an API: operations chosen by tag or by name, and only the types they use.
//!
//! An IR → IR pass that runs after lowering, so names are those of the whole document:
//! filtering never renames a type, a method or a params struct, and code written against
//! the full SDK compiles against a filtered one for the parts that are kept.
//!
//! When any selector is given, the result keeps exactly the types reachable from the kept
//! operations (path and query/header parameters, request bodies, responses, and everything
//! those types contain). Component schemas no kept operation uses are dropped too: a user
//! who asks for one tag gets a lean file. With no selector the IR is returned unchanged,
//! unreferenced component schemas included.

use std::path::Path;

use crate::error::Error;
use crate::ir::{Ir, Operation};
use crate::naming;

/// Which operations to keep. An operation is named by its `operationId` or by its Rust
/// method name (`UsersManagementController_getUser` or `get_user`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep operations with any of these tags (with `include_operations`: either matches).
    pub include_tags: Vec<String>,
    /// Keep these operations.
    pub include_operations: Vec<String>,
    /// Drop operations with any of these tags, even when included otherwise.
    pub exclude_tags: Vec<String>,
    /// Drop these operations, even when included otherwise.
    pub exclude_operations: Vec<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.include_tags.is_empty()
            && self.include_operations.is_empty()
            && self.exclude_tags.is_empty()
            && self.exclude_operations.is_empty()
    }

    fn keeps(&self, op: &Operation) -> bool {
        let has_tag = |tags: &[String]| op.tags.iter().any(|t| tags.contains(t));
        let named = |names: &[String]| names.iter().any(|n| op_is_named(op, n));
        let included = (self.include_tags.is_empty() && self.include_operations.is_empty())
            || has_tag(&self.include_tags)
            || named(&self.include_operations);
        included && !has_tag(&self.exclude_tags) && !named(&self.exclude_operations)
    }

    /// Every selector must name something in the document: a typo should fail loudly, not
    /// quietly produce an empty client.
    fn check_selectors(&self, ir: &Ir, file: &Path) -> Result<(), Error> {
        for tag in self.include_tags.iter().chain(&self.exclude_tags) {
            if !ir.operations.iter().any(|op| op.tags.contains(tag)) {
                let mut known: Vec<&str> = Vec::new();
                for t in ir.operations.iter().flat_map(|op| &op.tags) {
                    if !known.contains(&t.as_str()) {
                        known.push(t);
                    }
                }
                let known = if known.is_empty() {
                    "no operation has a tag".to_owned()
                } else {
                    format!("the tags in use are: {}", known.join(", "))
                };
                return Err(Error::Filter {
                    file: file.to_owned(),
                    message: format!("no operation has the tag `{tag}`; {known}"),
                });
            }
        }
        for name in self.include_operations.iter().chain(&self.exclude_operations) {
            if !ir.operations.iter().any(|op| op_is_named(op, name)) {
                let example = match ir.operations.first() {
                    Some(op) => match &op.operation_id {
                        Some(id) => format!(" (for example `{id}` or `{}`)", naming::unraw(&op.ident)),
                        None => format!(" (for example `{}`)", naming::unraw(&op.ident)),
                    },
                    None => String::new(),
                };
                return Err(Error::Filter {
                    file: file.to_owned(),
                    message: format!(
                        "no operation has the operationId or method name `{name}`; \
                         name an operation by its operationId or its generated method name{example}"
                    ),
                });
            }
        }
        Ok(())
    }
}

fn op_is_named(op: &Operation, name: &str) -> bool {
    op.operation_id.as_deref() == Some(name) || naming::unraw(&op.ident) == name
}

/// Applies `filter` to `ir`. `file` names the document in messages.
pub fn apply(mut ir: Ir, filter: &Filter, file: &Path) -> Result<Ir, Error> {
    if filter.is_empty() {
        return Ok(ir);
    }
    filter.check_selectors(&ir, file)?;
    ir.operations.retain(|op| filter.keeps(op));

    // Keep every type reachable from the kept operations, renumbered in the old order.
    let mut roots = Vec::new();
    for op in &ir.operations {
        for (_, t) in op.refs() {
            t.for_each_named(&mut |id| roots.push(id));
        }
    }
    let keep = ir.reachable(roots);
    ir.retain_types(&keep);
    // Boxes, `Default` derives and the envelope were decided for the whole document. A kept
    // type keeps everything it contains, so its cycles and defaults are unchanged; the
    // envelope is a property of the API, and a kept method behaves as in the full SDK.
    Ok(ir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::*;

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            ident: name.to_owned(),
            wire: name.to_owned(),
            doc: None,
            ty,
            required: true,
            nullable: false,
            deprecated: false,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            pointer: format!("#/components/schemas/{name}"),
            doc: None,
            kind: TypeKind::Struct(StructDef { fields, additional: None, default: false, lenient: false }),
            examples: Vec::new(),
        }
    }

    fn op(ident: &str, tag: &str, response: Option<TypeRef>) -> Operation {
        Operation {
            ident: ident.to_owned(),
            operation_id: Some(format!("Ctl_{ident}")),
            method: "get".to_owned(),
            path: format!("/{ident}"),
            summary: None,
            description: None,
            tags: vec![tag.to_owned()],
            deprecated: false,
            path_params: Vec::new(),
            params: None,
            body: None,
            response,
            raw_response: false,
            responses_by_status: None,
            pointer: String::new(),
            idempotent: true,
            pagination: None,
        }
    }

    /// Types: 0 A { b: Vec<B> }, 1 B { a: Option<Box<A>> }, 2 C, 3 Unused { c: C }.
    /// Operations: get_a (tag x) → A, get_c (tag y) → Map<C>.
    fn sample() -> Ir {
        Ir {
            title: "t".to_owned(),
            description: None,
            version: "1".to_owned(),
            servers: Vec::new(),
            status_code_envelope: false,
            types: vec![
                strukt("A", vec![field("b", TypeRef::Vec(Box::new(TypeRef::Named(TypeId(1)))))]),
                strukt(
                    "B",
                    vec![field("a", TypeRef::Option(Box::new(TypeRef::Boxed(Box::new(TypeRef::Named(TypeId(0)))))))],
                ),
                strukt("C", Vec::new()),
                strukt("Unused", vec![field("c", TypeRef::Named(TypeId(2)))]),
            ],
            operations: vec![
                op("get_a", "x", Some(TypeRef::Named(TypeId(0)))),
                op("get_c", "y", Some(TypeRef::Map(Box::new(TypeRef::Named(TypeId(2)))))),
            ],
            api_codes: None,
        }
    }

    fn names(ir: &Ir) -> (Vec<&str>, Vec<&str>) {
        (
            ir.operations.iter().map(|o| o.ident.as_str()).collect(),
            ir.types.iter().map(|t| t.name.as_str()).collect(),
        )
    }

    #[test]
    fn no_selector_keeps_everything() {
        let ir = apply(sample(), &Filter::default(), Path::new("s.yaml")).unwrap();
        assert_eq!(names(&ir), (vec!["get_a", "get_c"], vec!["A", "B", "C", "Unused"]));
    }

    #[test]
    fn tag_keeps_reachable_types_and_remaps_ids() {
        let f = Filter {
            include_tags: vec!["y".to_owned()],
            ..Filter::default()
        };
        let ir = apply(sample(), &f, Path::new("s.yaml")).unwrap();
        assert_eq!(names(&ir), (vec!["get_c"], vec!["C"]));
        assert_eq!(ir.operations[0].response, Some(TypeRef::Map(Box::new(TypeRef::Named(TypeId(0))))));
    }

    #[test]
    fn cycles_survive_and_point_at_the_new_ids() {
        let f = Filter {
            include_operations: vec!["Ctl_get_a".to_owned()],
            ..Filter::default()
        };
        let ir = apply(sample(), &f, Path::new("s.yaml")).unwrap();
        assert_eq!(names(&ir), (vec!["get_a"], vec!["A", "B"]));
        let TypeKind::Struct(b) = &ir.types[1].kind else { panic!("B is a struct") };
        assert_eq!(
            b.fields[0].ty,
            TypeRef::Option(Box::new(TypeRef::Boxed(Box::new(TypeRef::Named(TypeId(0))))))
        );
    }

    #[test]
    fn exclude_wins_over_include_and_names_match_method_or_id() {
        let f = Filter {
            include_tags: vec!["x".to_owned(), "y".to_owned()],
            exclude_operations: vec!["get_a".to_owned()],
            ..Filter::default()
        };
        let ir = apply(sample(), &f, Path::new("s.yaml")).unwrap();
        assert_eq!(names(&ir), (vec!["get_c"], vec!["C"]));

        let f = Filter {
            exclude_tags: vec!["y".to_owned()],
            ..Filter::default()
        };
        let ir = apply(sample(), &f, Path::new("s.yaml")).unwrap();
        assert_eq!(names(&ir), (vec!["get_a"], vec!["A", "B"]));
    }

    #[test]
    fn unknown_selectors_are_errors_that_say_what_exists() {
        let f = Filter {
            include_tags: vec!["z".to_owned()],
            ..Filter::default()
        };
        let e = apply(sample(), &f, Path::new("s.yaml")).unwrap_err().to_string();
        assert_eq!(e, "s.yaml: no operation has the tag `z`; the tags in use are: x, y");

        let f = Filter {
            exclude_operations: vec!["getA".to_owned()],
            ..Filter::default()
        };
        let e = apply(sample(), &f, Path::new("s.yaml")).unwrap_err().to_string();
        assert!(e.starts_with("s.yaml: no operation has the operationId or method name `getA`"), "{e}");
        assert!(e.contains("`Ctl_get_a` or `get_a`"), "{e}");
    }
}
