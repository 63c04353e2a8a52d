//! Whether every JSON response is GenAuth's `{statusCode, message, ...}` envelope, so the
//! client checks `statusCode`.

use crate::ir::*;

/// GenAuth wraps every response in `{statusCode, message, ...}`; detect it so the client
/// checks `statusCode`.
pub(super) fn detect_envelope(types: &[TypeDef], operations: &[Operation]) -> bool {
    let mut any = false;
    for op in operations {
        let Some(TypeRef::Named(id)) = &op.response else {
            if op.response.is_some() {
                return false;
            }
            continue;
        };
        let mut t = types.get(id.0);
        let mut hops = 0;
        while let Some(TypeDef { kind: TypeKind::Alias(TypeRef::Named(next)), .. }) = t {
            t = types.get(next.0);
            hops += 1;
            if hops > types.len() {
                return false;
            }
        }
        match t.map(|t| &t.kind) {
            Some(TypeKind::Struct(s))
                if s.fields.iter().any(|f| f.wire == "statusCode") && s.fields.iter().any(|f| f.wire == "message") =>
            {
                any = true
            }
            _ => return false,
        }
    }
    any
}
