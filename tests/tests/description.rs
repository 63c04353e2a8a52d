//! Our description of the GenAuth API (`specs/genauth-v3.yaml` and its module files) is
//! complete and its examples are valid: every operation, parameter and schema says what
//! it is, every request body and response has an example, and every example (schema,
//! property, parameter) satisfies its schema. The Rust round trip of the same examples
//! is in roundtrip.rs; this checks what a round trip cannot (required members, enum
//! values, `null` only where allowed).

use genauth_tests::repo_root;
use serde_json::{Map, Value};

/// The description with every `$ref` resolved into `components/schemas`, as the
/// generator reads it.
fn description() -> Value {
    genauth_codegen::load::load_path(&repo_root().join("specs/genauth-v3.yaml"))
        .unwrap_or_else(|e| panic!("{e}"))
        .raw
}

fn schema<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(reference.strip_prefix('#')?)
}

/// The OpenAPI 3.0 subset our description uses: `$ref`, `allOf`, `oneOf`/`anyOf`, `type`,
/// `enum`, `nullable`, `properties`, `required`, `items`, `additionalProperties`.
fn validate(root: &Value, s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        match schema(root, r) {
            Some(target) => validate(root, target, v, at, errors),
            None => errors.push(format!("{at}: `$ref: {r}` points at nothing")),
        }
        return;
    }
    if v.is_null() {
        let typed = s.get("type").is_some() || s.get("allOf").is_some() || s.get("oneOf").is_some();
        if typed && s.get("nullable") != Some(&Value::Bool(true)) {
            errors.push(format!("{at}: null, but the schema is not nullable"));
        }
        return;
    }
    for member in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        validate(root, member, v, at, errors);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = s.get(key).and_then(Value::as_array) {
            let fits = members.iter().any(|m| {
                let mut e = Vec::new();
                validate(root, m, v, at, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: {v} fits no member of `{key}`"));
            }
        }
    }
    let ty = s.get("type").and_then(Value::as_str);
    let fits = match ty {
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        Some("array") => v.is_array(),
        Some("object") => v.is_object(),
        _ => true,
    };
    if !fits {
        errors.push(format!("{at}: {v} is not of type {}", ty.unwrap_or("?")));
        return;
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        if !values.contains(v) {
            errors.push(format!("{at}: {v} is not one of the enum's values"));
        }
    }
    if let Some(object) = v.as_object() {
        let empty = Map::new();
        let properties = s.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        for name in s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{at}: the required member `{name}` is missing"));
            }
        }
        for (name, member) in object {
            let here = format!("{at}.{name}");
            match (properties.get(name), s.get("additionalProperties")) {
                (Some(p), _) => validate(root, p, member, &here, errors),
                (None, Some(Value::Object(extra))) => validate(root, &Value::Object(extra.clone()), member, &here, errors),
                (None, Some(Value::Bool(true))) => {}
                (None, _) if properties.is_empty() => {}
                (None, _) => errors.push(format!("{here}: not a property of the schema")),
            }
        }
    }
    if let (Some(items), Some(list)) = (s.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            validate(root, items, item, &format!("{at}[{i}]"), errors);
        }
    }
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty())
}

fn operations(root: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in root["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            out.push((format!("{} {path}", method.to_ascii_uppercase()), op));
        }
    }
    out
}

#[test]
fn every_example_satisfies_its_schema() {
    let root = description();
    let mut errors = Vec::new();
    let mut checked = 0;
    for (name, s) in root["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = s.get("example") {
            validate(&root, s, example, &format!("{name} example"), &mut errors);
            checked += 1;
        }
        for (prop, p) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
            if let Some(example) = p.get("example") {
                validate(&root, p, example, &format!("{name}.{prop} example"), &mut errors);
                checked += 1;
            }
        }
    }
    for (label, op) in operations(&root) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            if let Some(example) = p.get("example") {
                validate(&root, &p["schema"], example, &format!("{label} parameter {} example", p["name"]), &mut errors);
                checked += 1;
            }
        }
    }
    eprintln!("{checked} examples checked against their schemas");
    assert!(checked > 2000, "only {checked} examples found");
    assert!(errors.is_empty(), "{} invalid example(s):\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_operation_parameter_and_schema_is_described() {
    let root = description();
    let mut missing = Vec::new();
    let ops = operations(&root);
    assert_eq!(ops.len(), 372);
    for (label, op) in &ops {
        for key in ["summary", "description"] {
            if text(op.get(key)).is_none() {
                missing.push(format!("{label}: no {key}"));
            }
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            if text(p.get("description")).is_none() {
                missing.push(format!("{label}: parameter {} has no description", p["name"]));
            }
            if p.get("example").is_none() {
                missing.push(format!("{label}: parameter {} has no example", p["name"]));
            }
        }
        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            if text(response.get("description")).is_none() {
                missing.push(format!("{label}: response {status} has no description"));
            }
        }
    }
    for (name, s) in root["components"]["schemas"].as_object().unwrap() {
        if text(s.get("description")).is_none() {
            missing.push(format!("schema {name}: no description"));
        }
    }
    assert!(missing.is_empty(), "{} gap(s):\n{}", missing.len(), missing.join("\n"));
}

/// The text is ours and in English: no placeholder left from the scaffold, no Chinese
/// outside example values (translations in i18n examples are data).
#[test]
fn the_text_is_finished_english() {
    fn walk(v: &Value, at: &str, in_example: bool, found: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    walk(v, &format!("{at}/{k}"), in_example || k == "example", found);
                }
            }
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{at}/{i}"), in_example, found)),
            Value::String(s) => {
                if s.contains("TODO") {
                    found.push(format!("{at}: placeholder left: {s}"));
                }
                let cjk = s.chars().any(|c| ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ac00}'..='\u{d7af}').contains(&c));
                if cjk && !in_example {
                    found.push(format!("{at}: not English: {s}"));
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&description(), "#", false, &mut found);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
