//! Writes `$OUT_DIR/sdk_table.rs` from our description's IR: a dispatch from schema name to
//! the generated type (for the example round trips) and one call per operation built from
//! a JSON value of its inputs (for the wire comparison with the official Python SDK).
//! Generated from the IR, so neither list can fall behind the description.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use genauth_codegen::ir::{BodyKind, Ir, Operation, TypeKind, TypeRef};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("specs/genauth-v3.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    let modules = root.join("specs/genauth-v3");
    println!("cargo:rerun-if-changed={}", modules.display());
    if let Ok(dir) = std::fs::read_dir(&modules) {
        for entry in dir.flatten() {
            println!("cargo:rerun-if-changed={}", entry.path().display());
        }
    }
    let (ir, _) = match genauth_codegen::Builder::new().spec(&spec).ir() {
        Ok(ir) => ir,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut out = String::new();
    schema_dispatch(&ir, &mut out);
    call_dispatch(&ir, &mut out);
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("sdk_table.rs");
    if std::fs::read_to_string(&dest).ok().as_deref() != Some(out.as_str()) {
        if let Err(e) = std::fs::write(&dest, out) {
            eprintln!("error: cannot write {}: {e}", dest.display());
            std::process::exit(1);
        }
    }
}

/// `round_trip_named(schema, value)`: every component schema that became a named type.
fn schema_dispatch(ir: &Ir, out: &mut String) {
    out.push_str(
        "/// Round-trips `value` through the generated type made from the component schema\n\
         /// `name` (decode the way the client reads a response body with `decoding`, then\n\
         /// encode); `None` for a name that is not a component.\n\
         pub fn round_trip_named_as(name: &str, value: &serde_json::Value, decoding: rt::Decoding) -> Option<Result<serde_json::Value, String>> {\n\
         \x20   match name {\n",
    );
    for t in &ir.types {
        let Some(schema) = t.pointer.strip_prefix("#/components/schemas/") else { continue };
        if schema.contains('/') || matches!(t.kind, TypeKind::Alias(TypeRef::Value)) {
            continue;
        }
        let _ = writeln!(out, "        {schema:?} => Some(round_trip::<{}>(value, decoding)),", t.name);
    }
    out.push_str("        _ => None,\n    }\n}\n\n");
}

/// `call(client, method, inputs)`: calls the method named `method` with inputs taken from
/// `inputs` (an object of wire names: path and query parameters, or the JSON body).
fn call_dispatch(ir: &Ir, out: &mut String) {
    out.push_str(
        "/// Calls the client method `method` with its inputs read from `inputs`: path and\n\
         /// query parameters by wire name, or the JSON body. `None` for an unknown method.\n\
         pub async fn call(c: &ManagementClient, method: &str, inputs: &serde_json::Value) -> Option<Result<(), String>> {\n\
         \x20   Some(match method {\n",
    );
    for op in &ir.operations {
        let _ = writeln!(out, "        {:?} => async {{\n{}        }}.await,", op.ident, call_body(ir, op));
    }
    out.push_str("        _ => return None,\n    })\n}\n");
}

fn call_body(ir: &Ir, op: &Operation) -> String {
    let mut s = String::new();
    let mut args = Vec::new();
    for (i, p) in op.path_params.iter().enumerate() {
        let ty = p.ty.rust(ir);
        let _ = writeln!(s, "            let a{i}: {ty} = arg(inputs, {:?})?;", p.wire);
        args.push(if p.ty == TypeRef::String { format!("&a{i}") } else { format!("a{i}") });
    }
    if let Some(params) = &op.params {
        let required: Vec<String> = params
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| format!("arg::<{}>(inputs, {:?})?", f.ty.rust(ir), f.wire))
            .collect();
        let optional = params.fields.iter().any(|f| !f.required);
        let binding = if optional { "let mut params" } else { "let params" };
        let _ = writeln!(s, "            {binding} = {}::new({});", params.name, required.join(", "));
        for f in params.fields.iter().filter(|f| !f.required) {
            let _ = writeln!(s, "            params.{} = opt(inputs, {:?})?;", f.ident, f.wire);
        }
        args.push("&params".to_owned());
    }
    match op.body.as_ref().map(|b| (&b.kind, b.required)) {
        Some((BodyKind::Json(t), required)) => {
            let _ = writeln!(s, "            let body: {} = whole(inputs)?;", t.rust(ir));
            args.push(if required { "&body".to_owned() } else { "Some(&body)".to_owned() });
        }
        Some(_) => {
            let _ = writeln!(s, "            return Err(\"{} has a non-JSON body; not driven by this table\".to_owned());", op.ident);
            return s;
        }
        None => {}
    }
    // What the server answers does not matter here: the request is what is compared.
    let _ = writeln!(s, "            let _ = c.{}({}).await;", op.ident, args.join(", "));
    s.push_str("            Ok(())\n");
    s
}
