//! Every `example` in our description (`specs/genauth-v3.yaml` and its module files)
//! deserializes into its generated type and serializes back to the same JSON; so does
//! GenAuth's documented example response, and a `userIdType` the SDK has never heard of.

use genauth_sdk::*;
use genauth_tests::repo_root;
use serde_json::{json, Value};

mod support;

use support::{round_trip_named, same_json};

/// Our description with every `$ref` resolved: the module files' schemas gathered under
/// `components/schemas`, as the generator sees them.
fn spec() -> Value {
    let doc = genauth_codegen::load::load_path(&repo_root().join("specs/genauth-v3.yaml")).unwrap_or_else(|e| panic!("{e}"));
    doc.raw
}

#[test]
fn every_schema_example_round_trips() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, schema) in schemas {
        // Examples on the schema itself, then each property's example placed into it.
        let Some(example) = schema.get("example") else { continue };
        let mut cases = vec![(format!("#/components/schemas/{name}/example"), example.clone())];
        if let (Some(props), Some(base)) = (schema.get("properties").and_then(Value::as_object), example.as_object()) {
            for (prop, prop_schema) in props {
                if let Some(prop_example) = prop_schema.get("example") {
                    let mut with = base.clone();
                    with.insert(prop.clone(), prop_example.clone());
                    cases.push((format!("#/components/schemas/{name}/properties/{prop}/example"), Value::Object(with)));
                }
            }
        }
        for (pointer, value) in cases {
            match round_trip_named(name, &value) {
                None => failures.push(format!("{name}: not a generated type")),
                Some(Err(e)) => failures.push(format!("{pointer}: does not deserialize: {e}")),
                Some(Ok(back)) if !same_json(&back, &value) => {
                    failures.push(format!("{pointer}: changed in the round trip:\n  in:  {value}\n  out: {back}"))
                }
                Some(Ok(_)) => checked += 1,
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    eprintln!("{checked} examples round-tripped");
    assert!(checked > 1000, "only {checked} examples checked");
}

#[test]
fn every_request_body_and_response_schema_has_an_example() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let mut roots = std::collections::BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let body = &op["requestBody"]["content"]["application/json"]["schema"]["$ref"];
            roots.extend(body.as_str());
            for response in op["responses"].as_object().into_iter().flat_map(|r| r.values()) {
                roots.extend(response["content"]["application/json"]["schema"]["$ref"].as_str());
            }
        }
    }
    let missing: Vec<&str> = roots
        .iter()
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .filter(|name| schemas.get(*name).is_none_or(|s| s.get("example").is_none()))
        .collect();
    assert!(roots.len() > 300, "only {} request and response schemas found", roots.len());
    assert!(missing.is_empty(), "request or response schemas without an example: {missing:?}");
}

#[test]
fn genauth_documented_response_decodes() {
    // From GenAuth's documentation page of reset_user_principal_authentication_info.
    let body = r#"{"statusCode":200,"message":"Success","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c","data":{"success":true}}"#;
    let typed: IsSuccessRespDto = serde_json::from_str(body).unwrap();
    assert_eq!(typed.status_code, 200);
    assert_eq!(typed.message, "Success");
    assert_eq!(typed.request_id.as_deref(), Some("934108e5-9fbf-4d24-8da1-c330328abd6c"));
    assert_eq!(typed.api_code, None);
    assert!(typed.data.success);
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(body).unwrap());
}

#[test]
fn unknown_user_id_type_survives_a_round_trip() {
    let input = json!({"userId": "u1", "options": {"userIdType": "passkey_handle"}});
    let typed: ResetUserPrincipalAuthenticationInfoDto = serde_json::from_value(input.clone()).unwrap();
    let kind = typed.options.as_ref().and_then(|o| o.user_id_type.clone());
    assert_eq!(kind, Some(UserIdType::Unknown("passkey_handle".to_owned())));
    assert_eq!(serde_json::to_value(&typed).unwrap(), input);
}

#[test]
fn user_id_type_knows_its_values_and_default() {
    let all = ["user_id", "external_id", "phone", "email", "username", "identity", "sync_relation", "custom_field"];
    for wire in all {
        let v: UserIdType = wire.parse().unwrap();
        assert!(!matches!(v, UserIdType::Unknown(_)), "{wire} should be a known variant");
        assert_eq!(v.as_str(), wire);
        assert_eq!(v.to_string(), wire);
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(wire));
    }
    assert_eq!(UserIdType::default(), UserIdType::UserId);
    assert_eq!(UserIdType::Phone.as_str(), "phone");
}

#[test]
fn optional_fields_are_left_out_and_required_ones_kept() {
    let dto = ResetUserPrincipalAuthenticationInfoDto {
        user_id: "u1".into(),
        options: None,
    };
    assert_eq!(serde_json::to_value(&dto).unwrap(), json!({"userId": "u1"}));
    // A required field missing from the input is an error for request types.
    assert!(serde_json::from_value::<ResetUserPrincipalAuthenticationInfoDto>(json!({})).is_err());
}
