//! What the server sends, read by our types. For every operation that our description
//! shares with the real Authing document (`../shared/specs-real`, skipped with a notice when
//! `../shared` is absent), the Authing document's response example (put together from the
//! examples on its properties, following its own `$ref`s) is decoded into our generated
//! response type. Strict decoding (`Decoding::Strict`: nothing repaired; a missing field of
//! a response struct with `Default` still reads as its default, see the README's "Servers
//! stray from their specs") must take it, or the lenient decoding the client uses
//! by default must, and then the operation is listed in `LENIENT` with what it repairs;
//! an example nothing reads is listed in `UNREADABLE` with the reason our description
//! does not follow it. A listed operation that decodes better than its entry says fails
//! too, so the lists cannot go stale.

use std::collections::{BTreeMap, BTreeSet};

use genauth_sdk::rt::Decoding;
use genauth_tests::repo_root;
use serde_json::{Map, Value};

mod support;

use support::{round_trip_named, round_trip_named_as};

/// Operations whose Authing example decodes only leniently, and what the client repairs.
const LENIENT: &[(&str, &str)] = &[
    ("GET /api/v3/check-data-policy-exists", "`isValid` sent as the string \" false\""),
    ("GET /api/v3/check-data-resource-exists", "`isValid` sent as the string \"false\""),
    ("POST /api/v3/check-permission-namespace-exists", "`isValid` sent as the string \" false\""),
    ("GET /api/v3/get-role", "`disableTime` (milliseconds) sent as a numeric string"),
    ("POST /api/v3/create-role", "`disableTime` (milliseconds) sent as a numeric string"),
    ("GET /api/v3/list-role-assignments", "`enableTime` and `endTime` sent as numeric strings"),
    ("POST /api/v3/get-external-user-resource-struct", "`actions` sent as one string where a list is declared"),
];

/// Operations whose Authing example our types do not read, and why our description keeps
/// its shape. In each, GenAuth's SDK (`../shared/genauth`) and the Authing document's own
/// schema agree on the declared type, and only the example differs.
const UNREADABLE: &[(&str, &str)] = &[
    ("GET /api/v3/get-application", "`initLoginUri` is a one-element list in the example; every schema declares a string"),
    ("GET /api/v3/list-applications", "`initLoginUri` is a one-element list in the example; every schema declares a string"),
    ("POST /api/v3/create-application", "`initLoginUri` is a one-element list in the example; every schema declares a string"),
    ("GET /api/v3/get-current-package-info", "`goodsPackage` is placeholder text (\"package info\") where an object is declared"),
    ("GET /api/v3/get-user-mfa-info", "the four `...Status` fields are `true` in the example; every schema declares a string"),
    ("GET /api/v3/list-data-policy-targets", "`targetType` is `0`, none of the documented string values"),
    ("POST /api/v3/check-role-params", "`message` inside `data` is text in the example; every schema declares a boolean"),
    ("POST /api/v3/create-admin-role", "`message` inside `data` is text in the example; every schema declares a boolean"),
    ("POST /api/v3/pub-event", "`errMsg` is text in the example; every schema declares a boolean"),
    ("POST /api/v3/pub-userEvent", "`errMsg` is text in the example; every schema declares a boolean"),
];

fn authing() -> Option<Value> {
    let path = repo_root().join("../shared/specs-real/authing-management-openapi.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent (the real documents live in ../shared beside the repository)", path.display());
        return None;
    };
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// An example of `schema` from the examples in `doc`: a schema's own `example`, else its
/// `allOf` members merged, an array of one example item, or an object of its properties'
/// examples (`None` when a required property has none). `seen` stops `$ref` cycles.
fn compose(doc: &Value, schema: &Value, seen: &mut Vec<String>) -> Option<Value> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if seen.iter().any(|s| s == r) || seen.len() > 12 {
            return None;
        }
        let target = doc.pointer(r.strip_prefix('#')?)?;
        seen.push(r.to_owned());
        let v = compose(doc, target, seen);
        seen.pop();
        return v;
    }
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged: Option<Value> = None;
        for m in members {
            match (compose(doc, m, seen), merged.as_mut()) {
                (Some(Value::Object(more)), Some(Value::Object(so_far))) => so_far.extend(more),
                (Some(v), _) => merged = Some(v),
                (None, _) => {}
            }
        }
        return merged;
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return Some(Value::Array(vec![compose(doc, schema.get("items")?, seen)?]));
    }
    let properties = schema.get("properties").and_then(Value::as_object)?;
    let required: BTreeSet<&str> = schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut object = Map::new();
    for (name, p) in properties {
        match compose(doc, p, seen) {
            Some(v) => {
                object.insert(name.clone(), v);
            }
            None if required.contains(name.as_str()) => return None,
            None => {}
        }
    }
    Some(Value::Object(object))
}

fn json_200(op: &Value) -> Option<&Value> {
    op.pointer("/responses/200/content/application~1json/schema")
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Outcome {
    Strict,
    Lenient,
    Unreadable,
}

#[test]
fn authing_response_examples_decode_into_our_types() {
    let Some(authing) = authing() else { return };
    let ours = genauth_codegen::load::load_path(&repo_root().join("specs/genauth-v3.yaml")).unwrap_or_else(|e| panic!("{e}")).raw;
    let mut outcomes: BTreeMap<String, (Outcome, String)> = BTreeMap::new();
    let (mut shared, mut composed) = (0, 0);
    for (path, item) in ours["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(theirs) = authing.pointer(&format!("/paths/{}/{method}", path.replace('/', "~1"))) else { continue };
            shared += 1;
            let (Some(their_schema), Some(our_schema)) = (json_200(theirs), json_200(op)) else { continue };
            let Some(example) = compose(&authing, their_schema, &mut Vec::new()) else { continue };
            let name = our_schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")).unwrap_or_else(|| {
                panic!("{method} {path}: the response is not a named schema")
            });
            composed += 1;
            let key = format!("{} {path}", method.to_uppercase());
            let strict = round_trip_named(name, &example).unwrap_or_else(|| panic!("{key}: {name} is not a generated type"));
            let outcome = match strict {
                Ok(_) => (Outcome::Strict, String::new()),
                Err(strict_error) => match round_trip_named_as(name, &example, Decoding::Lenient).unwrap() {
                    Ok(_) => (Outcome::Lenient, strict_error),
                    Err(e) => (Outcome::Unreadable, e),
                },
            };
            outcomes.insert(key, outcome);
        }
    }
    let listed = |list: &[(&str, &str)], key: &str| list.iter().any(|(k, _)| *k == key);
    let mut problems = Vec::new();
    for (key, (outcome, error)) in &outcomes {
        let expected = if listed(UNREADABLE, key) {
            Outcome::Unreadable
        } else if listed(LENIENT, key) {
            Outcome::Lenient
        } else {
            Outcome::Strict
        };
        if *outcome != expected {
            problems.push(format!("{key}: {outcome:?}, listed as {expected:?}: {error}"));
        }
    }
    for (key, _) in LENIENT.iter().chain(UNREADABLE) {
        if !outcomes.contains_key(*key) {
            problems.push(format!("{key}: listed, but no example of it was decoded"));
        }
    }
    let count = |o: Outcome| outcomes.values().filter(|(x, _)| *x == o).count();
    eprintln!(
        "{shared} operations shared with the Authing document, {composed} with a complete response example: \
         {} decode strictly, {} leniently, {} not at all (each listed with its reason)",
        count(Outcome::Strict),
        count(Outcome::Lenient),
        count(Outcome::Unreadable)
    );
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert!(composed >= 200, "only {composed} examples could be put together");
}
