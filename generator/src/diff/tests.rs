//! Unit tests of the comparison rules and of reading spec arguments.

use super::*;
use crate::Builder;

/// A small spec with the given `paths` and `components/schemas` bodies (YAML, indented
/// as they would be under those keys).
fn spec(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
    )
}

fn report(old: &str, new: &str) -> Report {
    let (old, _) = ir_from_text("old.yaml", old).expect("old spec loads");
    let (new, _) = ir_from_text("new.yaml", new).expect("new spec loads");
    compare(&old, &new)
}

fn find<'r>(r: &'r Report, kind: ChangeKind, item: &str) -> &'r Change {
    r.changes()
        .iter()
        .find(|c| c.kind == kind && c.item == item)
        .unwrap_or_else(|| panic!("no {kind:?} on {item} in:\n{}", r.to_text()))
}

const GET_THING: &str = "  /things/{id}:\n    get:\n      operationId: getThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: integer, default: 10}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n";
const THING: &str = "    Thing:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        note: {type: string}\n";

#[test]
fn identical_specs_have_no_changes() {
    let s = spec(GET_THING, THING);
    let r = report(&s, &s);
    assert!(r.changes().is_empty(), "{}", r.to_text());
    assert_eq!(r.bump(), Bump::None);
    assert!(r.to_text().contains("No changes"));
}

#[test]
fn a_new_operation_id_on_the_same_route_is_a_rename() {
    let old = spec(GET_THING, THING);
    let new = old.replace("operationId: getThing", "operationId: fetchThing");
    let r = report(&old, &new);
    let c = find(&r, ChangeKind::MethodRenamed, "fetch_thing");
    assert_eq!(c.severity, Severity::Breaking);
    assert_eq!(c.old.as_deref(), Some("get_thing"));
    // The params struct is named after the method, so it is renamed too.
    assert_eq!(find(&r, ChangeKind::MethodParamsChanged, "fetch_thing").severity, Severity::Breaking);
    assert!(!r.changes().iter().any(|c| c.kind == ChangeKind::MethodAdded || c.kind == ChangeKind::MethodRemoved));
}

#[test]
fn a_moved_route_with_the_same_name_keeps_the_method() {
    let old = spec(GET_THING, THING);
    let new = old.replace("/things/{id}:", "/v2/things/{id}:");
    let r = report(&old, &new);
    let c = find(&r, ChangeKind::MethodRouteChanged, "get_thing");
    assert_eq!(c.severity, Severity::Minor);
    assert_eq!(c.new.as_deref(), Some("GET /v2/things/{id}"));
    assert_eq!(r.changes().len(), 1, "{}", r.to_text());
}

#[test]
fn renaming_a_path_parameter_is_patch_level() {
    let old = spec(GET_THING, THING);
    let new = old
        .replace("/things/{id}:", "/things/{thingId}:")
        .replace("{name: id, in: path", "{name: thingId, in: path");
    let r = report(&old, &new);
    let c = find(&r, ChangeKind::MethodArgumentsChanged, "get_thing");
    assert_eq!(c.severity, Severity::Patch, "{}", r.to_text());
    assert_eq!(r.bump(), Bump::Patch);
    // Changing its type is breaking.
    let new = old.replace(
        "{name: id, in: path, required: true, schema: {type: string}}",
        "{name: id, in: path, required: true, schema: {type: integer}}",
    );
    let r = report(&old, &new);
    let c = find(&r, ChangeKind::MethodArgumentsChanged, "get_thing");
    assert_eq!(
        (c.severity, c.old.as_deref(), c.new.as_deref()),
        (Severity::Breaking, Some("(id: &str)"), Some("(id: i64)"))
    );
}

#[test]
fn parameter_changes() {
    let old = spec(GET_THING, THING);
    let r = report(&old, &old.replace("default: 10", "default: 20"));
    let c = find(&r, ChangeKind::ParamDefaultChanged, "GetThingParams.limit");
    assert_eq!((c.severity, c.old.as_deref(), c.new.as_deref()), (Severity::Minor, Some("10"), Some("20")));

    let r = report(&old, &old.replace("{name: limit, in: query,", "{name: limit, in: query, required: true,"));
    let c = find(&r, ChangeKind::ParamRequiredChanged, "GetThingParams.limit");
    assert_eq!(
        (c.severity, c.old.as_deref(), c.new.as_deref()),
        (Severity::Breaking, Some("Option<i64>"), Some("i64"))
    );

    let r = report(&old, &old.replace("{name: limit, in: query,", "{name: limit, in: header,"));
    assert_eq!(find(&r, ChangeKind::ParamLocationChanged, "GetThingParams.limit").severity, Severity::Minor);

    // The same place written another way changes what the server receives.
    let r = report(&old, &old.replace("{name: limit, in: query,", "{name: limit, in: query, explode: false,"));
    let c = find(&r, ChangeKind::ParamLocationChanged, "GetThingParams.limit");
    assert_eq!(c.new.as_deref(), Some("query as one comma-separated value (explode: false)"));

    let r = report(
        &old,
        &old.replace(
            "{name: limit, in: query, schema: {type: integer, default: 10}}",
            "{name: limit, in: query, schema: {type: string}}",
        ),
    );
    let c = find(&r, ChangeKind::ParamTypeChanged, "GetThingParams.limit");
    assert_eq!(
        (c.severity, c.old.as_deref(), c.new.as_deref()),
        (Severity::Breaking, Some("Option<i64>"), Some("Option<String>"))
    );

    let removed = old.replace("        - {name: limit, in: query, schema: {type: integer, default: 10}}\n", "");
    let r = report(&old, &removed);
    assert_eq!(find(&r, ChangeKind::MethodParamsChanged, "get_thing").old.as_deref(), Some("&GetThingParams"));
    let r = report(&removed, &old);
    assert_eq!(find(&r, ChangeKind::MethodParamsChanged, "get_thing").severity, Severity::Breaking);
}

#[test]
fn nullable_and_required_change_the_rust_type_only_through_option() {
    let nullable = THING.replace("note: {type: string}", "note: {type: string, nullable: true}");
    let old = spec(GET_THING, THING);
    // An optional field gains nullable: absent and null now differ, `Option<Option<_>>`.
    let r = report(&old, &spec(GET_THING, &nullable));
    let c = find(&r, ChangeKind::FieldNullableChanged, "Thing.note");
    assert_eq!(
        (c.severity, c.old.as_deref(), c.new.as_deref()),
        (Severity::Breaking, Some("Option<String>"), Some("Option<Option<String>>"))
    );
    assert_eq!(r.bump(), Bump::Major);
    let generate = |text: &str| Builder::new().spec_source("t.yaml", text).generate().expect("generates").files().to_vec();
    assert_ne!(generate(&old), generate(&spec(GET_THING, &nullable)), "the generated type changes");
    // Optional-and-nullable becomes required-and-nullable: one `Option` less.
    let required = nullable.replace("required: [id]", "required: [id, note]");
    let r = report(&spec(GET_THING, &nullable), &spec(GET_THING, &required));
    assert_eq!(find(&r, ChangeKind::FieldRequiredChanged, "Thing.note").severity, Severity::Breaking);
    // Optional becomes required-and-nullable: still `Option<String>`, but `None` is now
    // sent as `null` instead of left out.
    let r = report(&old, &spec(GET_THING, &required));
    assert_eq!(find(&r, ChangeKind::FieldRequiredChanged, "Thing.note").severity, Severity::Minor);
    assert_eq!(find(&r, ChangeKind::FieldNullableChanged, "Thing.note").severity, Severity::Minor);
    // A plain optional field becomes required: `Option<String>` → `String`.
    let r = report(&old, &spec(GET_THING, &THING.replace("required: [id]", "required: [id, note]")));
    let c = find(&r, ChangeKind::FieldRequiredChanged, "Thing.note");
    assert_eq!(
        (c.severity, c.old.as_deref(), c.new.as_deref()),
        (Severity::Breaking, Some("Option<String>"), Some("String"))
    );
}

#[test]
fn a_field_added_to_a_type_used_in_requests_and_responses_is_breaking() {
    let post = "  /things:\n    post:\n      operationId: putThing\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        '204': {description: ok}\n";
    let paths = format!("{GET_THING}{post}");
    let more = format!("{THING}        extra: {{type: boolean}}\n");
    let r = report(&spec(&paths, THING), &spec(&paths, &more));
    assert_eq!(find(&r, ChangeKind::FieldAdded, "Thing.extra").severity, Severity::Breaking);
    // Response-only: minor.
    let r = report(&spec(GET_THING, THING), &spec(GET_THING, &more));
    assert_eq!(find(&r, ChangeKind::FieldAdded, "Thing.extra").severity, Severity::Minor);
    // Used by nothing: users can only have built it themselves, so breaking.
    let r = report(&spec("  {}", THING), &spec("  {}", &more));
    assert_eq!(find(&r, ChangeKind::FieldAdded, "Thing.extra").severity, Severity::Breaking);
}

#[test]
fn a_wire_rename_that_keeps_the_rust_name_is_minor() {
    let old = spec(GET_THING, THING);
    let new = spec(GET_THING, &THING.replace("note: {type: string}", "Note: {type: string}"));
    let r = report(&old, &new);
    let c = find(&r, ChangeKind::FieldWireNameChanged, "Thing.note");
    assert_eq!((c.severity, c.old.as_deref(), c.new.as_deref()), (Severity::Minor, Some("note"), Some("Note")));
    assert!(!r.changes().iter().any(|c| c.kind == ChangeKind::FieldRemoved), "{}", r.to_text());
}

#[test]
fn enum_defaults_and_kinds() {
    let e = "    Mode:\n      type: string\n      enum: [a, b]\n";
    let with_default = "    Mode:\n      type: string\n      enum: [a, b]\n      default: a\n";
    let other_default = "    Mode:\n      type: string\n      enum: [a, b]\n      default: b\n";
    let r = report(&spec("  {}", e), &spec("  {}", with_default));
    assert_eq!(find(&r, ChangeKind::DefaultImplAdded, "Mode").severity, Severity::Minor);
    let r = report(&spec("  {}", with_default), &spec("  {}", e));
    assert_eq!(find(&r, ChangeKind::DefaultImplRemoved, "Mode").severity, Severity::Breaking);
    let r = report(&spec("  {}", with_default), &spec("  {}", other_default));
    let c = find(&r, ChangeKind::EnumDefaultChanged, "Mode");
    assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("A"), Some("B")));
    let as_struct = "    Mode:\n      type: object\n      properties:\n        a: {type: string}\n";
    let r = report(&spec("  {}", e), &spec("  {}", as_struct));
    let c = find(&r, ChangeKind::TypeKindChanged, "Mode");
    assert_eq!(
        (c.severity, c.old.as_deref(), c.new.as_deref()),
        (Severity::Breaking, Some("enum"), Some("struct"))
    );
}

#[test]
fn servers_and_envelope() {
    let old = spec(GET_THING, THING);
    let with_server = old.replace("paths:\n", "servers:\n  - url: https://a.test\npaths:\n");
    let r = report(&old, &with_server);
    assert_eq!(find(&r, ChangeKind::DefaultServerChanged, "DEFAULT_SERVER").severity, Severity::Minor);
    let r = report(&with_server, &old);
    assert_eq!(find(&r, ChangeKind::DefaultServerChanged, "DEFAULT_SERVER").severity, Severity::Breaking);
    let moved = with_server.replace("https://a.test", "https://b.test");
    let r = report(&with_server, &moved);
    assert_eq!(find(&r, ChangeKind::DefaultServerChanged, "DEFAULT_SERVER").new.as_deref(), Some("https://b.test"));
}

#[test]
fn changes_are_sorted_most_severe_first_and_json_is_stable() {
    let old = spec(GET_THING, THING);
    let new = spec(
        &GET_THING
            .replace("summary", "x")
            .replace("operationId: getThing", "operationId: getThing\n      summary: Get it"),
        &format!("{}        extra: {{type: boolean}}\n", THING.replace("required: [id]", "required: [id, note]")),
    );
    let r = report(&old, &new);
    let severities: Vec<Severity> = r.changes().iter().map(|c| c.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert_eq!(severities.first(), Some(&Severity::Breaking));
    assert_eq!(severities.last(), Some(&Severity::Patch));
    assert_eq!(r.to_json(), report(&old, &new).to_json());
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("valid JSON");
    assert_eq!(json["bump"], "major");
    assert_eq!(json["counts"]["breaking"], r.count(Severity::Breaking));
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(r.changes().len()));
}

#[test]
fn spec_arguments() {
    assert_eq!(
        SpecRef::parse("HEAD~1:specs/genauth-v3.yaml"),
        SpecRef::Git { rev: "HEAD~1".into(), path: "specs/genauth-v3.yaml".into() }
    );
    assert_eq!(SpecRef::parse("missing.yaml"), SpecRef::File("missing.yaml".into()));
    assert_eq!(SpecRef::parse("C:\\specs\\a.yaml"), SpecRef::File("C:\\specs\\a.yaml".into()));
    assert_eq!(SpecRef::parse(":a.yaml"), SpecRef::File(":a.yaml".into()));
    let e = SpecRef::parse("--output=x:y").load_ir().expect_err("options are not revisions");
    assert!(e.to_string().contains("may not start with `-`"), "{e}");
}

const LIST_THINGS: &str = "  /things:\n    get:\n      operationId: listThings\n      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n        - {name: limit, in: query, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/ThingPage'}\n";
const THING_PAGE: &str = "    ThingPage:\n      type: object\n      required: [totalCount, list]\n      properties:\n        totalCount: {type: integer}\n        list: {type: array, items: {$ref: '#/components/schemas/Thing'}}\n";

#[test]
fn a_stream_that_goes_is_breaking_and_one_that_comes_is_minor() {
    let paged = spec(LIST_THINGS, &format!("{THING}{THING_PAGE}"));
    let unpaged = paged.replace("operationId: listThings\n", "operationId: listThings\n      x-genauth-pagination: false\n");
    let r = report(&paged, &unpaged);
    let c = find(&r, ChangeKind::MethodRemoved, "list_things_stream");
    assert_eq!(c.severity, Severity::Breaking);
    assert_eq!(r.changes().len(), 1, "{}", r.to_text());
    let r = report(&unpaged, &paged);
    assert_eq!(find(&r, ChangeKind::MethodAdded, "list_things_stream").severity, Severity::Minor);
    // The item type of the stream is part of its signature.
    let retyped = paged.replace("items: {$ref: '#/components/schemas/Thing'}", "items: {type: string}");
    let r = report(&paged, &retyped);
    assert_eq!(find(&r, ChangeKind::MethodResponseChanged, "list_things_stream").new.as_deref(), Some("String"));
}

#[test]
fn retry_safety_changes_are_minor() {
    let old = spec(GET_THING.replace("get:", "post:").as_str(), THING);
    let new = old.replace("operationId: getThing\n", "operationId: getThing\n      x-genauth-idempotent: false\n");
    let r = report(&old, &new);
    let c = find(&r, ChangeKind::MethodRetryChanged, "get_thing");
    assert_eq!((c.severity, c.old.as_deref(), c.new.as_deref()), (Severity::Minor, Some("true"), Some("false")));
}

#[test]
fn code_table_changes() {
    let table = |codes: &str| {
        spec(GET_THING, THING).replace(
            "paths:\n",
            &format!("x-genauth-api-codes:\n  statusCodes:\n    - {{code: 404, name: NotFound}}\n  apiCodes:\n{codes}paths:\n"),
        )
    };
    let old = table("    - {code: 1306, name: SignatureReplayed, retry: resign}\n    - {code: 2004, name: UserNotFound, retry: never}\n");
    let r = report(&spec(GET_THING, THING), &old);
    assert_eq!(find(&r, ChangeKind::ErrorTypeChanged, "Error").severity, Severity::Breaking);
    let r = report(&old, &spec(GET_THING, THING));
    assert_eq!(find(&r, ChangeKind::ErrorTypeChanged, "Error").severity, Severity::Breaking);

    let new = table("    - {code: 1306, name: SignatureReplayed, retry: never}\n    - {code: 2005, name: UserLocked}\n")
        .replace("{code: 404, name: NotFound}", "{code: 404, name: Missing}");
    let r = report(&old, &new);
    assert_eq!(find(&r, ChangeKind::ApiCodeRetryChanged, "ApiCode::SignatureReplayed").severity, Severity::Minor);
    assert_eq!(find(&r, ChangeKind::ApiCodeRemoved, "ApiCode::UserNotFound").severity, Severity::Breaking);
    assert_eq!(find(&r, ChangeKind::ApiCodeAdded, "ApiCode::UserLocked").severity, Severity::Minor);
    assert_eq!(find(&r, ChangeKind::ConstantRemoved, "api_status::NOT_FOUND").severity, Severity::Breaking);
    assert_eq!(find(&r, ChangeKind::ConstantAdded, "api_status::MISSING").severity, Severity::Minor);
    let renamed = old.replace("name: UserNotFound", "name: NoSuchUser");
    let r = report(&old, &renamed);
    assert_eq!(find(&r, ChangeKind::ApiCodeRenamed, "ApiCode::NoSuchUser").old.as_deref(), Some("UserNotFound"));
    assert_eq!(r.changes().len(), 1, "{}", r.to_text());
}
