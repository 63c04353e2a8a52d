//! How the emitter spells IR items in Rust (field and argument types, bodies, return types,
//! unions, routes), so changes are compared and reported as users of the crate see them.

use crate::ir::*;

/// The Rust spelling of a type, as the emitter writes it (named types by name, so two IRs
/// can be compared).
pub(super) fn render(ir: &Ir, t: &TypeRef) -> String {
    t.rust(ir)
}

/// How many `Option`s the emitter wraps a field in: none when required and not nullable,
/// one when only one of "may be absent" and "may be null" holds, two when both do
/// (`Option<Option<T>>`, so absent and `null` stay apart).
pub(super) fn option_depth(f: &Field) -> u8 {
    u8::from(!f.required) + u8::from(f.nullable)
}

pub(super) fn field_type(ir: &Ir, f: &Field) -> String {
    let inner = render(ir, &f.ty);
    match option_depth(f) {
        0 => inner,
        1 => format!("Option<{inner}>"),
        _ => format!("Option<Option<{inner}>>"),
    }
}

pub(super) fn param_type(ir: &Ir, p: &Param) -> String {
    let inner = render(ir, &p.ty);
    if p.required {
        inner
    } else {
        format!("Option<{inner}>")
    }
}

/// A path parameter as a method argument.
pub(super) fn arg_type(ir: &Ir, p: &Param) -> String {
    match &p.ty {
        TypeRef::String => "&str".to_owned(),
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 => render(ir, &p.ty),
        other => format!("&{}", render(ir, other)),
    }
}

pub(super) fn body_type(ir: &Ir, b: &Body) -> String {
    match &b.kind {
        BodyKind::Json(t) => {
            let t = render(ir, t);
            if b.required {
                format!("&{t}")
            } else {
                format!("Option<&{t}>")
            }
        }
        BodyKind::Form(p) => format!("&{}", p.name),
        BodyKind::Bytes => "impl Into<Vec<u8>>".to_owned(),
        BodyKind::Text => "impl Into<String>".to_owned(),
    }
}

/// What a method returns, as the emitter writes it.
pub(super) fn response_type(ir: &Ir, op: &Operation) -> String {
    if let Some((name, _)) = &op.responses_by_status {
        return name.clone();
    }
    if op.raw_response {
        return "rt::Response".to_owned();
    }
    op.response.as_ref().map(|t| render(ir, t)).unwrap_or_else(|| "()".to_owned())
}

/// A union's variants as the emitter writes them (name, payload, tag value).
pub(super) fn union_shape(ir: &Ir, u: &UnionDef) -> String {
    let variants: Vec<String> = u
        .variants
        .iter()
        .map(|v| match &v.tag_value {
            Some(tag) => format!("{}({}) = {tag:?}", v.ident, render(ir, &v.ty)),
            None => format!("{}({})", v.ident, render(ir, &v.ty)),
        })
        .collect();
    match &u.tag {
        Some(tag) => format!("tagged by {tag:?}: {}", variants.join(", ")),
        None => format!("untagged: {}", variants.join(", ")),
    }
}

/// The route of an operation with path parameter names left out, so renaming `{id}` to
/// `{userId}` keeps the identity.
pub(super) fn route(op: &Operation) -> (String, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push('{');
            }
            '}' => {
                in_param = false;
                path.push('}');
            }
            _ if in_param => {}
            c => path.push(c),
        }
    }
    (op.method.to_ascii_lowercase(), path)
}

pub(super) fn route_text(op: &Operation) -> String {
    format!("{} {}", op.method.to_ascii_uppercase(), op.path)
}
