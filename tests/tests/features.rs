//! Behaviour of the generated code for the constructs real specs use: unions, null versus
//! absent, maps, OpenAPI 3.1 forms, external references, awkward names, and operations
//! with every kind of parameter, body and response. The types come from
//! `tests/output/`, the generator's compiled output for `specs/fixtures/`.

use std::sync::Arc;

use genauth_fixture_output as fx;
use genauth_runtime::{Body, Decoding, FilePart, MemoryTransport, Method, Part, Response};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

fn round_trip<T: DeserializeOwned + Serialize + std::fmt::Debug>(v: Value) -> T {
    let typed: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
    assert_eq!(serde_json::to_value(&typed).unwrap(), v, "changed in the round trip: {typed:?}");
    typed
}

#[test]
fn discriminated_unions_are_internally_tagged_without_repeating_the_tag() {
    use fx::unions::*;
    let cat: Pet = round_trip(json!({"petType": "cat", "lives": 9}));
    assert_eq!(cat, Pet::Cat(CatVariant { lives: 9 }));
    let dog: Pet = round_trip(json!({"petType": "dog", "bark": "woof"}));
    assert!(matches!(dog, Pet::Dog(DogVariant { ref bark }) if bark == "woof"));
    // Without a mapping the tag values are the schema names.
    let by_name: PetByName = round_trip(json!({"petType": "Cat", "lives": 1}));
    assert!(matches!(by_name, PetByName::Cat(_)));
    assert!(serde_json::from_value::<Pet>(json!({"petType": "cow"})).is_err());
    // Members that pin a property to one value are tagged by it.
    let shape: Shape = round_trip(json!({"shape": "square", "side": 2.5}));
    assert_eq!(shape, Shape::Square(Square { side: 2.5 }));
    // Cat is also used untagged, so it keeps its own `petType` field.
    let plain = Cat { pet_type: "cat".into(), lives: 3 };
    assert_eq!(serde_json::to_value(&plain).unwrap(), json!({"petType": "cat", "lives": 3}));
}

#[test]
fn untagged_unions_keep_every_variant_reachable() {
    use fx::unions::*;
    assert!(matches!(round_trip::<Scalar>(json!(5)), Scalar::Integer(5)));
    assert!(matches!(round_trip::<Scalar>(json!(5.5)), Scalar::Number(n) if n == 5.5));
    assert!(matches!(round_trip::<Scalar>(json!("x")), Scalar::String(s) if s == "x"));
    assert!(matches!(round_trip::<Scalar>(json!(true)), Scalar::Boolean(true)));
    assert!(matches!(round_trip::<Scalar>(json!(["a"])), Scalar::StringList(_)));
    assert!(matches!(round_trip::<Scalar>(json!({"petType": "c", "lives": 1})), Scalar::Cat(_)));
    assert!(matches!(round_trip::<Scalar>(json!({"other": 1})), Scalar::Map(_)));
    // A recursive union: the cycle is broken by one Box.
    let node: Node = round_trip(json!({"left": {"left": "leaf"}}));
    let Node::Branch(Branch { left }) = node else { panic!("expected a branch") };
    assert!(matches!(*left, Node::Branch(_)));
}

#[test]
fn optional_nullable_and_both_stay_distinguishable() {
    use fx::nullability::*;
    let absent: Record = round_trip(json!({"id": "1", "count": 2, "name": "n", "nickname": null}));
    assert_eq!(absent.memo, None);
    assert_eq!(absent.nickname, None);
    let null: Record = round_trip(json!({"id": "1", "count": 2, "name": "n", "nickname": "k", "memo": null}));
    assert_eq!(null.memo, Some(None));
    assert_eq!(null.nickname.as_deref(), Some("k"));
    let value: Record = round_trip(json!({"id": "1", "count": 2, "name": "n", "nickname": null, "memo": "m"}));
    assert_eq!(value.memo, Some(Some("m".to_owned())));
    // Request types: `Option<Option<_>>` serializes `Some(None)` as null to clear a value.
    let input = Input { count: 1, clear: Some(None) };
    assert_eq!(serde_json::to_value(&input).unwrap(), json!({"count": 1, "clear": null}));
}

#[test]
fn responses_forgive_servers_that_stray_from_the_spec_unless_strict() {
    // Missing required fields, nulls, and numbers sent as strings, read the way a client
    // reads responses (through the generated client, and `rt::decode` directly).
    let sloppy = json!({"id": null, "count": "1669881887852", "createdAt": "12.5"});
    let body = Response::json(&sloppy);
    let lenient: fx::nullability::Record = genauth_runtime::decode(&body, Decoding::Lenient).unwrap();
    assert_eq!(lenient.id, "");
    assert_eq!(lenient.count, 1669881887852);
    assert_eq!(lenient.name, "");
    assert_eq!(lenient.nickname, None);
    assert_eq!(lenient.created_at, Some(12.5));
    // A string that is not a number is still an error, naming where it is.
    match genauth_runtime::decode::<fx::nullability::Record>(&Response::json(&json!({"count": "many"})), Decoding::Lenient) {
        Err(genauth_runtime::Error::Decode { path, .. }) => assert_eq!(path, "count"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Strict decoding takes the spec at its word, whatever the types.
    assert!(genauth_runtime::decode::<fx::nullability::Record>(&body, Decoding::Strict).is_err());
    assert!(genauth_runtime::decode::<fx::nullability_strict::Record>(&body, Decoding::Strict).is_err());
    let missing = Response::json(&json!({"id": "1", "count": 1, "nickname": null}));
    assert!(genauth_runtime::decode::<fx::nullability_strict::Record>(&missing, Decoding::Strict).is_err());
    // Lenient decoding needs no `#[serde(default)]`: the types generated in strict mode have
    // none, and still read leniently when asked to (missing fields are filled at run time).
    let filled: fx::nullability_strict::Record = genauth_runtime::decode(&missing, Decoding::Lenient).unwrap();
    assert_eq!((filled.id.as_str(), filled.name.as_str()), ("1", ""));
    let filled: fx::nullability_strict::Record = genauth_runtime::decode(&body, Decoding::Lenient).unwrap();
    assert_eq!((filled.id.as_str(), filled.count), ("", 1669881887852));
    let exact = Response::json(&json!({"id": "1", "count": 1, "name": "n", "nickname": null}));
    let exact: fx::nullability_strict::Record = genauth_runtime::decode(&exact, Decoding::Strict).unwrap();
    assert_eq!(exact.count, 1);
    // Request types have no defaults to fall back on.
    assert!(serde_json::from_value::<fx::nullability::Input>(json!({"count": "1"})).is_err());
    assert!(serde_json::from_value::<fx::nullability::Input>(json!({})).is_err());
}

#[tokio::test]
async fn the_generated_client_reads_responses_leniently_unless_generated_strict() {
    let sloppy: &'static [u8] = br#"{"id": "7", "count": "3", "name": null}"#;
    let record = fx::nullability::ManagementClient::new(recorder(200, sloppy)).get_record().await.unwrap();
    assert_eq!((record.count, record.name.as_str()), (3, ""));
    let strict = fx::nullability_strict::ManagementClient::new(recorder(200, sloppy)).get_record().await;
    assert!(matches!(strict, Err(genauth_runtime::Error::Decode { .. })), "{strict:?}");
}

#[test]
fn maps_and_free_form_objects() {
    use fx::maps::*;
    let typed: Typed = round_trip(json!({"a": 1, "b": 2}));
    assert_eq!(typed.get("b"), Some(&2));
    let free: FreeTrue = round_trip(json!({"a": [1, {"b": null}]}));
    assert_eq!(free.len(), 1);
    let extras: WithExtras = round_trip(json!({"id": "1", "additional_properties": "listed", "x": "y"}));
    assert_eq!(extras.additional_properties.as_deref(), Some("listed"));
    assert_eq!(extras.additional_properties_2.get("x").map(String::as_str), Some("y"));
    let _closed: Closed = round_trip(json!({}));
    // `additionalProperties: false` keeps no extras (and does not reject them either).
    let no_extras: NoExtras = serde_json::from_value(json!({"id": "1", "zzz": 1})).unwrap();
    assert_eq!(serde_json::to_value(&no_extras).unwrap(), json!({"id": "1"}));
}

#[test]
fn openapi_3_1_forms_load_and_decode() {
    use fx::openapi_3_1::*;
    let thing: Thing = round_trip(json!({
        "id": 1, "kind": "thing", "label": null, "note": null,
        "parent": {"id": 2, "kind": "thing", "label": "p"}, "ratio": 0.5, "anything": [1, "x"]
    }));
    assert_eq!(thing.kind, ThingKind::Thing);
    assert_eq!(thing.note, Some(None));
    assert_eq!(thing.parent.as_ref().map(|p| p.id), Some(2));
    // A webhooks-only document still yields its component types.
    let ping: fx::webhooks_only::Ping = round_trip(json!({"at": "2026-11-29T00:00:00Z"}));
    assert!(ping.at.is_some());
}

#[test]
fn external_references_across_files_with_a_cycle() {
    use fx::external_refs::*;
    let owner: Owner = round_trip(json!({
        "pets": [{"name": "rex", "error": {"code": 1, "detail": {"text": "t", "owner": {"pets": []}}}}],
        "favourite": {"name": "rex"}
    }));
    let pets = owner.pets.unwrap_or_default();
    assert_eq!(pets[0].name, "rex");
    let err: Error = pets[0].error.clone().unwrap();
    assert_eq!(err.code, 1);
}

#[test]
fn awkward_names_map_to_valid_unique_names_and_keep_the_wire_value() {
    use fx::names::*;
    let pod: IoK8sApiCoreV1Pod = round_trip(json!({"apiVersion": "v1", "$ref": "r", "+1": 1, "-1": -1, "type": "t", "名前": "n"}));
    assert_eq!(pod.r#ref.as_deref(), Some("r"));
    assert_eq!(pod.r#type.as_deref(), Some("t"));
    let _user: SimpleUser = round_trip(json!({"login": "octocat"}));
    let _other: SimpleUser2 = round_trip(json!({"any": "thing"}));
    let _two_fa: N2faConfig = round_trip(json!({"enabled": true}));
    for wire in ["", "1st", "with space", "+1", "-1", "ASC", "asc", "a.b", "ünï"] {
        let v: UdcMlaut = serde_json::from_value(json!(wire)).unwrap();
        assert!(!matches!(v, UdcMlaut::Unknown(_)), "{wire:?} should be a known variant");
        assert_eq!(v.as_str(), wire);
    }
    assert_ne!(UdcMlaut::from("ASC"), UdcMlaut::from("asc"));
    assert_ne!(UdcMlaut::from("+1"), UdcMlaut::from("-1"));
}

fn recorder(status: u16, body: &'static [u8]) -> Arc<MemoryTransport> {
    Arc::new(MemoryTransport::new(move |_| Response {
        status,
        headers: vec![],
        body: body.to_vec(),
    }))
}

#[tokio::test]
async fn operations_send_every_kind_of_parameter_and_body() {
    use fx::operations::*;
    // deepObject query, array query, header; a 202 picks its own variant.
    let t = recorder(202, br#"{"ticket": "t-1"}"#);
    let client = ManagementClient::new(t.clone());
    let mut params = SearchItemsParams::new("req-1");
    params.filter = Some(SearchItemsFilter { color: Some("red".into()), size: Some(3) });
    params.ids = Some(vec![1, 2]);
    let out = client.search_items(&params).await.unwrap();
    assert!(matches!(out, SearchItemsResponse::Status202(ref r) if r.ticket.as_deref() == Some("t-1")));
    let req = &t.requests()[0];
    let pairs: Vec<(&str, &str)> = req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(pairs, [("filter[color]", "red"), ("filter[size]", "3"), ("ids", "1"), ("ids", "2")]);
    assert_eq!(req.headers, vec![("X-Request-Id".to_owned(), "req-1".to_owned())]);
    // 200 and 204 too.
    let ok = ManagementClient::new(recorder(200, br#"["a"]"#)).search_items(&params).await.unwrap();
    assert_eq!(ok, SearchItemsResponse::Status200(vec!["a".into()]));
    let none = ManagementClient::new(recorder(204, b"")).search_items(&params).await.unwrap();
    assert_eq!(none, SearchItemsResponse::Status204);

    // A URL-encoded form; the operation had no operationId.
    let t = recorder(201, b"");
    let mut form = PostItemsForm::new("n");
    form.tags = Some(vec!["x".into(), "y".into()]);
    form.meta = Some(PostItemsFormMeta { a: Some("b".into()) });
    ManagementClient::new(t.clone()).post_items(&form).await.unwrap();
    let sent = t.requests()[0].body.clone();
    let expected: Vec<(String, String)> = [("name", "n"), ("tags", "x"), ("tags", "y"), ("meta", r#"{"a":"b"}"#)]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(sent, Some(Body::Form(expected)));

    // Multipart with files; the `default` response is the success type.
    let t = recorder(200, br#"{"url": "https://x/p.png"}"#);
    let mut upload = UploadPhotoForm::new(FilePart::new("p.png", b"png".to_vec()));
    upload.caption = Some("hi".into());
    let photo = ManagementClient::new(t.clone()).upload_photo(7, &upload).await.unwrap();
    assert_eq!(photo.url.as_deref(), Some("https://x/p.png"));
    let req = &t.requests()[0];
    assert_eq!((req.method, req.path.as_str()), (Method::Put, "/items/7/photo"));
    let Some(Body::Multipart(m)) = &req.body else { panic!("expected multipart") };
    assert!(matches!(&m.parts[0], Part::File { name, file } if name == "file" && file.bytes == b"png"));
    assert!(matches!(&m.parts[1], Part::Text { name, value } if name == "caption" && value == "hi"));

    // Raw bytes in, raw response out; text bodies.
    let t = recorder(200, b"\x00\x01");
    let raw = ManagementClient::new(t.clone()).put_raw(9, vec![1u8, 2]).await.unwrap();
    assert_eq!(raw.body, b"\x00\x01");
    assert!(matches!(&t.requests()[0].body, Some(Body::Bytes { content_type, bytes }) if content_type == "application/octet-stream" && bytes == &[1, 2]));
    let t = recorder(204, b"");
    ManagementClient::new(t.clone()).add_note("hello").await.unwrap();
    assert!(matches!(&t.requests()[0].body, Some(Body::Text { text, .. }) if text == "hello"));

    // Duplicate operation names are kept apart, not dropped.
    let t = recorder(204, b"");
    let c = ManagementClient::new(t.clone());
    c.get_row().await.unwrap();
    c.b_get_row().await.unwrap();
    let paths: Vec<String> = t.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/dup-a", "/dup-b"]);
}

#[test]
fn formats_map_to_the_right_widths() {
    use fx::operations::Formats;
    let f = Formats {
        i32: Some(i32::MIN),
        i64: Some(i64::MAX),
        u8: Some(u8::MAX),
        u32: Some(u32::MAX),
        u64: Some(u64::MAX),
        f32: Some(1.5f32),
        f64: Some(2.25f64),
        when: Some("2026-11-29T00:00:00Z".into()),
        id: Some("0b9b7c1e-7d1f-4b8e-9a57-3a1c2d4e5f60".into()),
    };
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["u64"], json!(u64::MAX));
    let back: Formats = serde_json::from_value(v).unwrap();
    assert_eq!(back, f);
}

#[tokio::test]
async fn generic_families_decode_members_whose_type_has_no_default() {
    use fx::default_less_types::*;
    // `Page<T>` with `data: Vec<T>` has a default for any `T`; `Id` (a union) has none.
    let t = recorder(200, br#"{"data": [7, "x-1"], "hasMore": true}"#);
    let ids: IdPage = ManagementClient::new(t).list_ids().await.unwrap();
    assert_eq!(ids.data, [Id::Integer(7), Id::String("x-1".into())]);
    assert!(ids.has_more);
    // Leniently: a missing list and flag are filled, whatever the item type.
    let empty: EntryPage = ManagementClient::new(recorder(200, b"{}")).list_entries().await.unwrap();
    assert_eq!(empty, Page::default());
    let summary = ManagementClient::new(recorder(200, br#"{"entries": {"data": [{"id": 3, "label": "l"}]}, "total": "1"}"#))
        .summarize_entries()
        .await
        .unwrap();
    assert_eq!(summary.entries.data, [Entry { id: Id::Integer(3), label: Some("l".into()) }]);
    assert_eq!(summary.total, 1);
    // `Outcome<T>` with `usage: Option<T>`, where `T` is a union.
    let a = ManagementClient::new(recorder(200, br#"{"usage": {"cpu": 0.5}, "status": "done"}"#)).run_job_a().await.unwrap();
    assert_eq!(a.usage, Some(JobAOutcomeUsage::Usage(Usage { cpu: Some(0.5) })));
    let b = ManagementClient::new(recorder(200, br#"{"usage": 12}"#)).run_job_b().await.unwrap();
    assert_eq!((b.usage, b.status), (Some(JobBOutcomeUsage::Integer(12)), None));
    // A family named after what its members share, `Result`, does not shadow the prelude.
    let r: fx::family_prelude_name::JobAResult = fx::family_prelude_name::ManagementClient::new(recorder(200, br#"{"usage": "high"}"#))
        .run_job_a()
        .await
        .unwrap();
    assert_eq!(r.usage, Some(fx::family_prelude_name::JobAResultUsage::String("high".into())));
}

#[test]
fn generic_request_types_read_an_optional_nullable_field_three_ways() {
    use fx::generic_nullable_field::*;
    let absent: CountSetting = round_trip(json!({"key": "k"}));
    assert_eq!(absent.value, None);
    let null: CountSetting = round_trip(json!({"key": "k", "value": null}));
    assert_eq!(null.value, Some(None));
    let set: TextSetting = round_trip(json!({"key": "k", "value": "v"}));
    assert_eq!(set.value, Some(Some("v".to_owned())));
    assert_eq!(Setting::<bool>::default(), Setting { key: String::new(), value: None });
}

#[test]
fn lists_in_untagged_unions_are_tried_before_structs() {
    use fx::unions::*;
    // Serde's derived `Pair` would take `[1, 2]` as `lo` and `hi`.
    assert_eq!(round_trip::<Bounds>(json!([1.0, 2.0])), Bounds::NumberList(vec![1.0, 2.0]));
    assert_eq!(round_trip::<Bounds>(json!({"lo": 1.0, "hi": 2.0})), Bounds::Pair(Pair { lo: 1.0, hi: 2.0 }));
    assert_eq!(round_trip::<Bounds>(json!([])), Bounds::NumberList(vec![]));
}

#[tokio::test]
async fn path_parameters_of_alias_and_union_types_are_written_as_servers_expect() {
    // `Coordinate = i64`, `Switch = bool`, `Ratio = f64`: by value, as their text.
    let t = recorder(200, br#""x""#);
    let c = fx::integer_alias_path::ManagementClient::new(t.clone());
    assert_eq!(c.get_square(2, 3).await.unwrap(), "x");
    let t2 = recorder(204, b"");
    fx::integer_alias_path::ManagementClient::new(t2.clone()).get_flag(true, 0.25).await.unwrap();
    assert_eq!(t.requests()[0].path, "/board/2/3");
    assert_eq!(t2.requests()[0].path, "/flags/true/0.25");

    // A union: the member's own text, without JSON quotes, one path segment.
    use fx::union_params::*;
    let t = recorder(200, br#"{"id": "9d6c/1"}"#);
    let c = ManagementClient::new(t.clone());
    let point = c.get_point(&PointId::String("9d6c/1".into()), &GetPointParams::new("usr_1")).await.unwrap();
    assert_eq!(point.id, Some(PointId::String("9d6c/1".into())));
    c.get_point(&PointId::Integer(42), &GetPointParams::new("usr_1")).await.unwrap();
    let paths: Vec<String> = t.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/points/9d6c%2F1", "/points/42"]);
}

#[tokio::test]
async fn query_parameters_follow_the_form_style_for_unions_objects_and_lists() {
    use fx::union_params::*;
    let t = recorder(200, b"{}");
    let c = ManagementClient::new(t.clone());
    let mut params = GetPointParams::new("usr_1");
    params.near = Some(PointId::Integer(5));
    // An object explodes into its properties (`style: form`, `explode: true` by default)...
    params.window = Some(Window { from: Some(1), to: Some(2) });
    // ...or, with `explode: false`, is one comma-separated value, as is a list.
    params.frame = Some(Window { from: Some(3), to: None });
    params.ids = Some(vec![7, 8]);
    params.also = Some(vec![PointId::Integer(1), PointId::String("b".into())]);
    c.get_point(&PointId::Integer(1), &params).await.unwrap();
    let mut strings = GetPointParams::new("usr_2");
    strings.near = Some(PointId::String("p-9".into()));
    c.get_point(&PointId::Integer(1), &strings).await.unwrap();
    let queries: Vec<Vec<(String, String)>> = t.requests().into_iter().map(|r| r.query).collect();
    let expected = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    assert_eq!(
        queries[0],
        expected(&[
            ("owner", "usr_1"),
            ("near", "5"),
            ("from", "1"),
            ("to", "2"),
            ("frame", "from,3"),
            ("ids", "7,8"),
            ("also", "1"),
            ("also", "b"),
        ])
    );
    assert_eq!(queries[1], expected(&[("owner", "usr_2"), ("near", "p-9")]));
}
