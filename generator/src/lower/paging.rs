//! Which operations page, and how: the request carries a page number and a page size
//! (query parameters, or members of the JSON body such as `options.pagination.page`),
//! and the response carries `totalCount` and `list` (at its root or in its `data`).
//! Such an operation gets a companion method that streams the items of every page.
//!
//! Detection is by shape, with these names. The operation extension
//! `x-genauth-pagination` overrides it:
//!
//! - `false`: the operation does not page (no stream method);
//! - `true`: it pages with the default names (an error when its shapes do not fit);
//! - an object naming the members: `{page: pageNo, limit: pageSize, total: data.total,
//!   list: data.rows}` (each optional; defaults `page`, `limit`, `totalCount`, `list`).
//!   A request name is a query parameter, or a dotted path into the JSON body; a plain
//!   name is also looked for in the body at its root and under `options.pagination`.
//!   A response name is a dotted path from the body's root; a plain name is also looked
//!   for under `data`.
//!
//! The page number and size must be numbers (`integer` or `number`), in the query or in
//! the body (both in the same place); `totalCount` a number (or a string, which some
//! servers send) and `list` an array. The response members on the
//! way (`data`) must be required and not nullable; `list` may be optional.

use serde_json::Value;

use crate::error::{pointer_push, Error};
use crate::ir::*;
use crate::naming::{self, Namespace};

use super::context::Lowerer;

/// The extension's name.
const EXTENSION: &str = "x-genauth-pagination";

/// The member names to look for.
struct Names<'v> {
    page: &'v str,
    limit: &'v str,
    total: &'v str,
    list: &'v str,
}

impl Default for Names<'_> {
    fn default() -> Self {
        Names {
            page: "page",
            limit: "limit",
            total: "totalCount",
            list: "list",
        }
    }
}

impl Lowerer<'_> {
    /// Fills in [`Operation::pagination`] for every operation that pages.
    pub(super) fn detect_pagination(&self, types: &[TypeDef], operations: &mut [Operation]) -> Result<(), Error> {
        let mut methods = Namespace::with_reserved(&["new", "client", "from_client", "with_envelope", "with_options", "raw", "with_mode"]);
        for op in operations.iter() {
            methods.claim(op.ident.clone());
        }
        for op in operations.iter_mut() {
            let pointer = pointer_push(&op.pointer, EXTENSION);
            let (names, explicit) = match self.operation_extension(op, EXTENSION) {
                None => (Names::default(), false),
                Some(Value::Bool(false)) => continue,
                Some(Value::Bool(true)) => (Names::default(), true),
                Some(Value::Object(map)) => {
                    let mut names = Names::default();
                    for (key, value) in map {
                        let slot = match key.as_str() {
                            "page" => &mut names.page,
                            "limit" => &mut names.limit,
                            "total" => &mut names.total,
                            "list" => &mut names.list,
                            other => {
                                return Err(Error::invalid(
                                    self.file,
                                    &pointer_push(&pointer, other),
                                    "unknown key; expected `page`, `limit`, `total` or `list`",
                                ))
                            }
                        };
                        match value.as_str() {
                            Some(s) if !s.trim().is_empty() => *slot = s.trim(),
                            _ => return Err(Error::invalid(self.file, &pointer_push(&pointer, key), "expected a member name")),
                        }
                    }
                    (names, true)
                }
                Some(_) => {
                    return Err(Error::invalid(
                        self.file,
                        &pointer,
                        "expected `true`, `false` or an object naming `page`, `limit`, `total` and `list`",
                    ))
                }
            };
            match paging_of(types, op, &names) {
                Ok((page, limit, total, list, item)) => {
                    let stream_ident = methods.claim(format!("{}_stream", naming::unraw(&op.ident)));
                    op.pagination = Some(Pagination {
                        stream_ident,
                        page,
                        limit,
                        total,
                        list,
                        item,
                    });
                }
                Err(reason) if explicit => {
                    return Err(Error::invalid(self.file, &pointer, format!("the operation does not page as described: {reason}")))
                }
                Err(_) => {}
            }
        }
        Ok(())
    }

    /// An extension of the operation object behind `op`.
    pub(super) fn operation_extension(&self, op: &Operation, name: &str) -> Option<&Value> {
        let item = match self.doc.api.paths.paths.get(&op.path)? {
            openapiv3::ReferenceOr::Item(item) => item,
            openapiv3::ReferenceOr::Reference { .. } => return None,
        };
        let (_, operation) = item.iter().find(|(method, _)| *method == op.method)?;
        operation.extensions.get(name)
    }
}

type Found = (PageParamAt, PageParamAt, Vec<String>, Vec<String>, TypeRef);

fn paging_of(types: &[TypeDef], op: &Operation, names: &Names<'_>) -> Result<Found, String> {
    if op.raw_response || op.responses_by_status.is_some() {
        return Err("its response is not one JSON body".to_owned());
    }
    let response = op.response.as_ref().ok_or("it has no response body")?;
    let page = request_param(types, op, names.page)?;
    let limit = request_param(types, op, names.limit)?;
    if matches!(page, PageParamAt::Query(_)) != matches!(limit, PageParamAt::Query(_)) {
        return Err("the page number and the page size are not both in the query or both in the body".to_owned());
    }
    let (total, total_ty, _) = response_member(types, response, names.total)?;
    // Some specs type counts as `number`, some servers send them as text; the runtime
    // reads whole numbers either way.
    if !is_number(resolve_alias(types, total_ty)) && !matches!(resolve_alias(types, total_ty), TypeRef::String) {
        return Err(format!("`{}` is not a number", names.total));
    }
    let (list, list_ty, list_options) = response_member(types, response, names.list)?;
    if list_options > 1 {
        return Err(format!("`{}` is both optional and nullable", names.list));
    }
    let TypeRef::Vec(item) = resolve_alias(types, list_ty) else {
        return Err(format!("`{}` is not an array", names.list));
    };
    Ok((page, limit, total, list, (**item).clone()))
}

/// Where the request carries `name`: a query parameter of that name, or a member of the
/// JSON body (a dotted path; a plain name at the root or under `options.pagination`).
fn request_param(types: &[TypeDef], op: &Operation, name: &str) -> Result<PageParamAt, String> {
    let query = op
        .params
        .iter()
        .flat_map(|p| &p.fields)
        .find(|p| p.location == ParamIn::Query && p.wire == name);
    if let Some(p) = query {
        return match resolve_alias(types, &p.ty) {
            t if is_number(t) => Ok(PageParamAt::Query(name.to_owned())),
            _ => Err(format!("the query parameter `{name}` is not a number")),
        };
    }
    let Some(Body {
        kind: BodyKind::Json(body), ..
    }) = &op.body
    else {
        return Err(format!("no query parameter `{name}` and no JSON body"));
    };
    let candidates: Vec<Vec<&str>> = if name.contains('.') {
        vec![name.split('.').collect()]
    } else {
        vec![vec![name], vec!["options", "pagination", name]]
    };
    for path in candidates {
        if body_member(types, body, &path).is_some_and(|t| is_number(resolve_alias(types, t))) {
            return Ok(PageParamAt::Body(path.into_iter().map(str::to_owned).collect()));
        }
    }
    Err(format!("no numeric query parameter or body member `{name}`"))
}

/// An integer, or a `number` (specs often type counts and page numbers so).
fn is_number(t: &TypeRef) -> bool {
    matches!(t, TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64)
}

/// The type of the body member at `path` (wire names), whatever the optionality on the way.
fn body_member<'t>(types: &'t [TypeDef], body: &'t TypeRef, path: &[&str]) -> Option<&'t TypeRef> {
    let mut current = body;
    for key in path {
        let TypeRef::Named(id) = resolve_alias(types, current) else { return None };
        let TypeKind::Struct(s) = &types.get(id.0)?.kind else { return None };
        current = &s.fields.iter().find(|f| f.wire == *key)?.ty;
    }
    Some(current)
}

/// The Rust field names to the response member `name` (a dotted path; a plain name at the
/// root or under `data`), its type, and how many `Option`s the last field adds. The
/// fields on the way must be plain (required, not nullable).
fn response_member<'t>(types: &'t [TypeDef], response: &'t TypeRef, name: &str) -> Result<(Vec<String>, &'t TypeRef, usize), String> {
    let candidates: Vec<Vec<&str>> = if name.contains('.') {
        vec![name.split('.').collect()]
    } else {
        vec![vec![name], vec!["data", name]]
    };
    let mut reason = format!("the response has no member `{name}`");
    'paths: for path in candidates {
        let mut current = response;
        let mut idents = Vec::new();
        let mut options = 0;
        for (i, key) in path.iter().enumerate() {
            let TypeRef::Named(id) = resolve_alias(types, current) else { continue 'paths };
            let Some(TypeKind::Struct(s)) = types.get(id.0).map(|t| &t.kind) else { continue 'paths };
            let Some(field) = s.fields.iter().find(|f| f.wire == *key) else { continue 'paths };
            options = usize::from(!field.required) + usize::from(field.nullable);
            if i + 1 < path.len() && options > 0 {
                let on_the_way = path.get(..=i).unwrap_or_default().join(".");
                reason = format!("`{on_the_way}` on the way to `{name}` is optional or nullable");
                continue 'paths;
            }
            idents.push(field.ident.clone());
            current = &field.ty;
        }
        return Ok((idents, current, options));
    }
    Err(reason)
}
