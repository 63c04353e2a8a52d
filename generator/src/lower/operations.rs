//! Operations: a method name per operation (qualified or numbered when taken), parameters
//! from the path item and the operation (path, query, deep-object query, header), undeclared
//! path template variables, and `$ref`s through `components`.

use indexmap::IndexMap;
use openapiv3 as oa;
use serde_json::Value;

use crate::error::{pointer_push, Error};
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::{Ctx, Lowerer, MAX_REF_DEPTH};
use super::shape::RefOrSchema;

/// The operation extension that says whether an operation may be sent twice.
const IDEMPOTENT: &str = "x-genauth-idempotent";

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut ops = Vec::new();
        let mut names = Namespace::with_reserved(&["new", "client", "from_client", "with_envelope", "with_options", "raw", "with_mode"]);
        let paths = &self.doc.api.paths.paths;
        for (path, item) in paths {
            let item_pointer = pointer_push("#/paths", path);
            let item = match item {
                oa::ReferenceOr::Item(item) => item,
                oa::ReferenceOr::Reference { reference } => {
                    self.warn(
                        "W004",
                        &item_pointer,
                        format!("path item `$ref: {reference}` is not followed; its operations are left out"),
                        "write the operations under the path directly",
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = pointer_push(&item_pointer, method);
                let base = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => naming::method_name(id),
                    _ => naming::method_name_from_path(method, path),
                };
                // A name taken by an earlier operation: prefer the controller's name as a
                // qualifier (`TerminalManagementController_deleteDevice` →
                // `terminal_management_delete_device`), else a number.
                let ident = if names.contains(&base) {
                    match op.operation_id.as_deref().and_then(|id| id.split_once("Controller_")) {
                        Some((controller, _)) if !controller.is_empty() => {
                            names.claim(naming::field_ident(&format!("{controller} {}", naming::unraw(&base))))
                        }
                        _ => names.claim(base.clone()),
                    }
                } else {
                    names.claim(base.clone())
                };
                if ident != base {
                    self.warn(
                        "W005",
                        &pointer,
                        format!(
                            "method name `{}` is already taken by an earlier operation; this one is `{}`",
                            naming::unraw(&base),
                            naming::unraw(&ident)
                        ),
                        "give the operations distinct operationIds",
                    );
                }
                ops.push(self.lower_operation(ident, method, path, item, op, &pointer)?);
            }
        }
        Ok(ops)
    }

    fn resolve_parameter(&self, p: &'a oa::ReferenceOr<oa::Parameter>, pointer: &str) -> Result<&'a oa::Parameter, Error> {
        let components = self.doc.api.components.as_ref().map(|c| &c.parameters);
        self.follow(p, components, "parameters", "parameter", pointer)
    }

    /// Follows `$ref`s through `components/<section>` to the object they name.
    pub(super) fn follow<T>(
        &self,
        start: &'a oa::ReferenceOr<T>,
        section: Option<&'a IndexMap<String, oa::ReferenceOr<T>>>,
        key: &str,
        what: &str,
        pointer: &str,
    ) -> Result<&'a T, Error> {
        let prefix = format!("#/components/{key}/");
        let mut current = start;
        for _ in 0..MAX_REF_DEPTH {
            match current {
                oa::ReferenceOr::Item(item) => return Ok(item),
                oa::ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(prefix.as_str()).map(crate::error::pointer_unescape);
                    match name.as_deref().and_then(|n| section?.get(n)) {
                        Some(next) => current = next,
                        None => {
                            return Err(Error::invalid(
                                self.file,
                                &pointer_push(pointer, "$ref"),
                                format!("`{reference}` does not exist; expected a {what} under #/components/{key}"),
                            ))
                        }
                    }
                }
            }
        }
        Err(Error::invalid(self.file, pointer, format!("{what} references form a cycle")))
    }

    fn lower_operation(
        &mut self,
        ident: String,
        method: &str,
        path: &str,
        item: &'a oa::PathItem,
        op: &'a oa::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let op_name = naming::pascal(&ident);
        // Path-level parameters first, then the operation's own, which override by (name, in).
        let mut params: Vec<(&'a oa::Parameter, String)> = Vec::new();
        for (i, p) in item.parameters.iter().enumerate() {
            let ppointer = pointer_push(&pointer_push(pointer.rsplit_once('/').map_or(pointer, |(a, _)| a), "parameters"), &i.to_string());
            params.push((self.resolve_parameter(p, &ppointer)?, ppointer));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ppointer = pointer_push(&pointer_push(pointer, "parameters"), &i.to_string());
            let p = self.resolve_parameter(p, &ppointer)?;
            let key = (p.parameter_data_ref().name.as_str(), std::mem::discriminant(p));
            params.retain(|(q, _)| (q.parameter_data_ref().name.as_str(), std::mem::discriminant(*q)) != key);
            params.push((p, ppointer));
        }

        let mut args = Namespace::with_reserved(&["params", "body", "self"]);
        let mut fields_ns = Namespace::new();
        let mut path_params = Vec::new();
        let mut fields = Vec::new();
        for (p, ppointer) in params {
            let location = match p {
                oa::Parameter::Path { .. } => ParamIn::Path,
                oa::Parameter::Query { style: oa::QueryStyle::DeepObject, .. } => ParamIn::DeepQuery,
                oa::Parameter::Query { style: oa::QueryStyle::Form, parameter_data, .. } if parameter_data.explode == Some(false) => ParamIn::JoinedQuery,
                oa::Parameter::Query { .. } => ParamIn::Query,
                oa::Parameter::Header { .. } => ParamIn::Header,
                oa::Parameter::Cookie { .. } => {
                    self.warn(
                        "W006",
                        &ppointer,
                        format!("cookie parameter `{}` is not supported; it is left out", p.parameter_data_ref().name),
                        "send the cookie through a custom transport",
                    );
                    continue;
                }
            };
            let data = p.parameter_data_ref();
            self.check_parameter_keywords(&ppointer);
            let ctx = Ctx::property(&op_name, &data.name);
            let (ty, default) = match &data.format {
                oa::ParameterSchemaOrContent::Schema(s) => {
                    let spointer = pointer_push(&ppointer, "schema");
                    let ty = self.type_of_ref(RefOrSchema::from(s), &ctx, &spointer)?;
                    let default = match s {
                        oa::ReferenceOr::Item(s) => s.schema_data.default.clone(),
                        _ => None,
                    };
                    (ty, default)
                }
                oa::ParameterSchemaOrContent::Content(content) => {
                    let schema = content.values().next().and_then(|m| m.schema.as_ref());
                    match schema {
                        Some(s) => (self.type_of_ref(RefOrSchema::from(s), &ctx, &pointer_push(&ppointer, "content"))?, None),
                        None => (TypeRef::String, None),
                    }
                }
            };
            let default = match default {
                Some(d) if self.default_fits(&ty, &d) => Some(d),
                Some(d) => {
                    self.warn(
                        "W007",
                        &pointer_push(&pointer_push(&ppointer, "schema"), "default"),
                        format!("default {d} does not match the parameter's type; it is ignored"),
                        "make `default` a value of the parameter's type",
                    );
                    None
                }
                None => None,
            };
            let required = data.required || location == ParamIn::Path;
            let param = Param {
                ident: String::new(),
                wire: data.name.clone(),
                location,
                ty,
                required,
                default,
                doc: data.description.clone(),
                example: data.example.clone(),
                file: false,
            };
            if location == ParamIn::Path && !path.contains(&format!("{{{}}}", data.name)) {
                // An argument the URL never uses would be an unused variable.
                self.warn(
                    "W013",
                    &ppointer,
                    format!("path parameter `{}` does not appear in the path `{path}`; it is left out", data.name),
                    "add `{name}` to the path, or remove the parameter",
                );
                continue;
            }
            if location == ParamIn::Path {
                path_params.push(Param {
                    ident: args.claim(naming::field_ident(&data.name)),
                    ..param
                });
            } else {
                fields.push(Param {
                    ident: fields_ns.claim(naming::field_ident(&data.name)),
                    ..param
                });
            }
        }
        // Template variables nobody declared: a required string argument each (sent
        // literally, `{id}` would never be a valid URL).
        for name in path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name) {
            if path_params.iter().any(|p: &Param| p.wire == name) {
                continue;
            }
            self.warn(
                "W014",
                pointer,
                format!("`{{{name}}}` in the path `{path}` is not declared as a parameter; it is taken as a required string"),
                "declare it under `parameters` with `in: path`",
            );
            path_params.push(Param {
                ident: args.claim(naming::field_ident(name)),
                wire: name.to_owned(),
                location: ParamIn::Path,
                ty: TypeRef::String,
                required: true,
                default: None,
                doc: None,
                example: None,
                file: false,
            });
        }
        // Path parameters in the order they appear in the template.
        path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));

        let params = if fields.is_empty() {
            None
        } else {
            Some(ParamsDef {
                name: format!("{op_name}Params"),
                fields,
            })
        };

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let bpointer = pointer_push(pointer, "requestBody");
                let rb = self.resolve_request_body(rb, &bpointer)?;
                self.lower_body(rb, &op_name, &bpointer)?
            }
        };

        let (response, raw_response, responses_by_status) = self.lower_responses(op, &op_name, pointer)?;
        let idempotent = self.idempotent(&ident, method, op, pointer)?;

        Ok(Operation {
            ident,
            operation_id: op.operation_id.clone(),
            method: method.to_owned(),
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            path_params,
            params,
            body,
            response,
            raw_response,
            responses_by_status,
            pointer: pointer.to_owned(),
            idempotent,
            pagination: None,
        })
    }

    /// Whether the operation may be sent twice: `x-genauth-idempotent: true|false` when
    /// given; else `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT` and `DELETE` are (as HTTP says),
    /// and so is a `POST` whose method name says it only reads (`get_`, `list_`, `check_`,
    /// `is_`, `has_`, `find_`: reads sent as `POST`).
    fn idempotent(&mut self, ident: &str, method: &str, op: &oa::Operation, pointer: &str) -> Result<bool, Error> {
        const READS: &[&str] = &["get_", "list_", "check_", "is_", "has_", "find_"];
        let by_http = matches!(method, "get" | "head" | "options" | "trace" | "put" | "delete");
        let by_name = method == "post" && READS.iter().any(|p| naming::unraw(ident).starts_with(p));
        let epointer = pointer_push(pointer, IDEMPOTENT);
        match op.extensions.get(IDEMPOTENT) {
            None => Ok(by_http || by_name),
            Some(Value::Bool(false)) if matches!(method, "get" | "head" | "options") => {
                self.warn(
                    "W023",
                    &epointer,
                    format!("`{IDEMPOTENT}: false` on a {} request has no effect: the client treats every {0} request as idempotent", method.to_ascii_uppercase()),
                    "use a method that is not safe by definition (POST, PATCH) for an operation with effects",
                );
                Ok(true)
            }
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(Error::invalid(self.file, &epointer, "expected `true` or `false`")),
        }
    }

    /// Schema keywords written on the parameter itself (beside `schema`, as some server
    /// generators do) have no effect; say so.
    fn check_parameter_keywords(&mut self, pointer: &str) {
        const SCHEMA_KEYWORDS: &[&str] = &[
            "type", "format", "enum", "default", "items", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "nullable",
        ];
        let Some(Value::Object(p)) = self.doc.raw.pointer(pointer.trim_start_matches('#')) else { return };
        if !p.contains_key("schema") {
            return;
        }
        let misplaced: Vec<&str> = SCHEMA_KEYWORDS.iter().copied().filter(|k| p.contains_key(*k)).collect();
        if !misplaced.is_empty() {
            self.warn(
                "W020",
                pointer,
                format!("`{}` beside `schema` on a parameter has no effect; it is ignored", misplaced.join("`, `")),
                "move the keyword into the parameter's `schema`",
            );
        }
    }
}
