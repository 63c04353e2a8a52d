//! Brings a parsed document into the shape `openapiv3` reads (OpenAPI 3.0), on the
//! `serde_json::Value` before typing it:
//!
//! - OpenAPI 3.1 / JSON Schema 2020-12 forms: `type: [T, "null"]`, `{type: "null"}`
//!   members of unions, `const`, numeric `exclusiveMinimum`/`exclusiveMaximum`, schema
//!   `examples` arrays, boolean schemas, documents with only `webhooks`;
//! - keywords beside `$ref` (meaningful in 3.1, common in real 3.0 documents too): the
//!   reference is wrapped in a single-member `allOf` so descriptions and `nullable` survive.
//!
//! Every rewrite is local to one schema, so a 3.0 document that already has the 3.0 forms
//! passes through unchanged.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{pointer_push, Error, Warning};

/// Extension key marking a schema that only admits `null` (3.1 `type: "null"`); unions
/// drop such members and become nullable instead.
pub const NULL_MARK: &str = "x-genauth-null";

/// Deeper than this, the document is refused rather than walked (no stack overflow).
pub const MAX_DEPTH: usize = 256;

/// Normalizes `value` in place. `version` is the document's `openapi` field.
pub fn normalize(file: &Path, version: &str, value: &mut Value, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let Some(root) = value.as_object_mut() else { return Ok(()) };
    if version.starts_with("3.1") {
        // 3.1 documents may have only webhooks or components; 3.0 tooling wants `paths`.
        root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        if root.contains_key("webhooks") {
            warnings.push(Warning {
                code: "W010",
                file: file.to_owned(),
                pointer: "#/webhooks".to_owned(),
                message: "webhooks are requests the API sends to you, so they get no client methods; their component schemas are still generated".to_owned(),
                hint: "describe webhook payloads under components/schemas to get types for them",
            });
        }
        // The typed model reads 3.0; the rewrites below make the 3.1 document fit it.
        root.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));
    }
    let mut n = Normalizer { file, warnings };
    n.document(value)
}

struct Normalizer<'a> {
    file: &'a Path,
    warnings: &'a mut Vec<Warning>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Normalizer<'_> {
    fn too_deep(&self, pointer: &str) -> Error {
        Error::invalid(
            self.file,
            pointer,
            format!("the document nests deeper than {MAX_DEPTH} levels here; expected a reasonably shallow OpenAPI document"),
        )
    }

    fn document(&mut self, doc: &mut Value) -> Result<(), Error> {
        let Some(root) = doc.as_object_mut() else { return Ok(()) };
        for key in ["paths", "webhooks"] {
            if let Some(Value::Object(items)) = root.get_mut(key) {
                for (name, item) in items.iter_mut() {
                    let p = pointer_push(&pointer_push("#", key), name);
                    self.path_item(item, &p)?;
                }
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            let base = "#/components";
            let each = |components: &mut Map<String, Value>, key: &str, f: &mut dyn FnMut(&mut Value, &str) -> Result<(), Error>| -> Result<(), Error> {
                if let Some(Value::Object(items)) = components.get_mut(key) {
                    for (name, item) in items.iter_mut() {
                        let p = pointer_push(&pointer_push(base, key), name);
                        f(item, &p)?;
                    }
                }
                Ok(())
            };
            each(components, "schemas", &mut |v, p| self.schema(v, p, 0))?;
            each(components, "parameters", &mut |v, p| self.parameter(v, p))?;
            each(components, "headers", &mut |v, p| self.parameter(v, p))?;
            each(components, "requestBodies", &mut |v, p| self.content_holder(v, p))?;
            each(components, "responses", &mut |v, p| self.response(v, p))?;
            each(components, "pathItems", &mut |v, p| self.path_item(v, p))?;
            each(components, "callbacks", &mut |v, p| self.callback(v, p))?;
        }
        Ok(())
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) -> Result<(), Error> {
        let Some(obj) = item.as_object_mut() else { return Ok(()) };
        if let Some(Value::Array(params)) = obj.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &pointer_push(&pointer_push(pointer, "parameters"), &i.to_string()))?;
            }
        }
        for m in METHODS {
            if let Some(op) = obj.get_mut(*m) {
                self.operation(op, &pointer_push(pointer, m))?;
            }
        }
        Ok(())
    }

    fn callback(&mut self, cb: &mut Value, pointer: &str) -> Result<(), Error> {
        if let Some(obj) = cb.as_object_mut() {
            for (expr, item) in obj.iter_mut() {
                self.path_item(item, &pointer_push(pointer, expr))?;
            }
        }
        Ok(())
    }

    fn operation(&mut self, op: &mut Value, pointer: &str) -> Result<(), Error> {
        let Some(obj) = op.as_object_mut() else { return Ok(()) };
        if let Some(Value::Array(params)) = obj.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &pointer_push(&pointer_push(pointer, "parameters"), &i.to_string()))?;
            }
        }
        if let Some(body) = obj.get_mut("requestBody") {
            self.content_holder(body, &pointer_push(pointer, "requestBody"))?;
        }
        if let Some(Value::Object(responses)) = obj.get_mut("responses") {
            for (code, r) in responses.iter_mut() {
                self.response(r, &pointer_push(&pointer_push(pointer, "responses"), code))?;
            }
        }
        if let Some(Value::Object(callbacks)) = obj.get_mut("callbacks") {
            for (name, cb) in callbacks.iter_mut() {
                self.callback(cb, &pointer_push(&pointer_push(pointer, "callbacks"), name))?;
            }
        }
        Ok(())
    }

    /// Parameters and headers: a `schema` or a `content` map.
    fn parameter(&mut self, p: &mut Value, pointer: &str) -> Result<(), Error> {
        if let Some(obj) = p.as_object_mut() {
            if let Some(schema) = obj.get_mut("schema") {
                self.schema(schema, &pointer_push(pointer, "schema"), 0)?;
            }
        }
        self.content_holder(p, pointer)
    }

    fn response(&mut self, r: &mut Value, pointer: &str) -> Result<(), Error> {
        if let Some(Value::Object(headers)) = r.get_mut("headers") {
            for (name, h) in headers.iter_mut() {
                self.parameter(h, &pointer_push(&pointer_push(pointer, "headers"), name))?;
            }
        }
        self.content_holder(r, pointer)
    }

    /// Anything with `content: {media type: {schema}}`.
    fn content_holder(&mut self, v: &mut Value, pointer: &str) -> Result<(), Error> {
        if let Some(Value::Object(content)) = v.get_mut("content") {
            for (mt, media) in content.iter_mut() {
                if let Some(schema) = media.get_mut("schema") {
                    let p = pointer_push(&pointer_push(&pointer_push(pointer, "content"), mt), "schema");
                    self.schema(schema, &p, 0)?;
                }
            }
        }
        Ok(())
    }

    /// One schema and, first, every schema inside it.
    fn schema(&mut self, schema: &mut Value, pointer: &str, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(pointer));
        }
        // Boolean schemas (3.1): `true` admits anything, `false` nothing.
        if let Value::Bool(b) = schema {
            *schema = if *b {
                Value::Object(Map::new())
            } else {
                let mut m = Map::new();
                m.insert("not".to_owned(), Value::Object(Map::new()));
                Value::Object(m)
            };
            return Ok(());
        }
        let Some(obj) = schema.as_object_mut() else { return Ok(()) };

        // Children first.
        for key in ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"] {
            if let Some(Value::Object(props)) = obj.get_mut(key) {
                for (name, s) in props.iter_mut() {
                    self.schema(s, &pointer_push(&pointer_push(pointer, key), name), depth + 1)?;
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
            if let Some(Value::Array(items)) = obj.get_mut(key) {
                for (i, s) in items.iter_mut().enumerate() {
                    self.schema(s, &pointer_push(&pointer_push(pointer, key), &i.to_string()), depth + 1)?;
                }
            }
        }
        for key in ["items", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"] {
            if let Some(s) = obj.get_mut(key) {
                self.schema(s, &pointer_push(pointer, key), depth + 1)?;
            }
        }
        if let Some(ap) = obj.get_mut("additionalProperties") {
            if ap.is_object() {
                self.schema(ap, &pointer_push(pointer, "additionalProperties"), depth + 1)?;
            }
        }

        // 3.1: `items` may be `false` after `prefixItems`; a tuple is an array of anything.
        if obj.get("items").is_some_and(|v| v.as_object().is_some_and(|o| o.contains_key("not") && o.len() == 1)) && obj.contains_key("prefixItems") {
            obj.remove("items");
        }

        // Keywords beside `$ref`: keep them by wrapping the reference.
        if obj.contains_key("$ref") && obj.len() > 1 {
            if let Some(reference) = obj.remove("$ref") {
                let mut only_ref = Map::new();
                only_ref.insert("$ref".to_owned(), reference);
                let mut all_of = match obj.remove("allOf") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                };
                all_of.insert(0, Value::Object(only_ref));
                obj.insert("allOf".to_owned(), Value::Array(all_of));
            }
        }

        // `type: [T, "null"]` → `type: T, nullable: true`.
        if let Some(Value::Array(types)) = obj.get("type") {
            let names: Vec<String> = types.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect();
            let nullable = names.iter().any(|t| t == "null");
            let rest: Vec<&String> = names.iter().filter(|t| *t != "null").collect();
            match rest.as_slice() {
                [] => {
                    obj.remove("type");
                    if nullable {
                        obj.insert(NULL_MARK.to_owned(), Value::Bool(true));
                    }
                }
                [one] => {
                    let one = Value::String((*one).clone());
                    obj.insert("type".to_owned(), one);
                }
                several => {
                    let list = several.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                    self.warnings.push(Warning {
                        code: "W011",
                        file: self.file.to_owned(),
                        pointer: pointer_push(pointer, "type"),
                        message: format!("a value of several types ({list}) is kept as `serde_json::Value`"),
                        hint: "use `oneOf` with one schema per type to get an enum",
                    });
                    obj.remove("type");
                }
            }
            if nullable {
                obj.insert("nullable".to_owned(), Value::Bool(true));
            }
        } else if obj.get("type").and_then(Value::as_str) == Some("null") {
            obj.remove("type");
            obj.insert("nullable".to_owned(), Value::Bool(true));
            obj.insert(NULL_MARK.to_owned(), Value::Bool(true));
        }

        // A union with a `null` member is a nullable union of the others.
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = obj.get(key) {
                if members.iter().any(|m| m.get(NULL_MARK).is_some()) {
                    obj.insert("nullable".to_owned(), Value::Bool(true));
                }
            }
        }

        // `const: x` → `enum: [x]`.
        if let Some(c) = obj.remove("const") {
            obj.entry("enum").or_insert_with(|| Value::Array(vec![c]));
        }

        // Numeric exclusive bounds (3.1) → 3.0's boolean flags.
        for (ex, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(Value::Number(n)) = obj.get(ex).cloned() {
                obj.insert(bound.to_owned(), Value::Number(n));
                obj.insert(ex.to_owned(), Value::Bool(true));
            }
        }

        // Schema `examples` (an array in 3.1) → `example`.
        if let Some(Value::Array(examples)) = obj.get("examples") {
            if let Some(first) = examples.first().cloned() {
                obj.entry("example").or_insert(first);
            }
            obj.remove("examples");
        }
        Ok(())
    }
}
