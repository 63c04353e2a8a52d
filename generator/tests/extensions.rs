//! The generator's extensions as the IR carries them, on `specs/fixtures/production.yaml`
//! (one case per operation) and on the GenAuth description: the code table
//! (`x-genauth-api-codes`), retry safety (`x-genauth-idempotent` and the default rule) and
//! paging (`x-genauth-pagination` and detection by shape).

use std::path::PathBuf;

use genauth_codegen::ir::{CodeRetry, Ir, Operation, PageParamAt};
use genauth_codegen::Builder;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn ir(spec: &str) -> Ir {
    let (ir, warnings) = Builder::new().spec(repo().join(spec)).ir().unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    ir
}

fn op<'a>(ir: &'a Ir, name: &str) -> &'a Operation {
    ir.operations.iter().find(|o| o.ident == name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_code_table_is_read_in_order_with_its_retry_column() {
    let ir = ir("specs/fixtures/production.yaml");
    let codes = ir.api_codes.as_ref().unwrap();
    let api: Vec<(i64, &str, CodeRetry)> = codes.api_codes.iter().map(|c| (c.code, c.ident.as_str(), c.retry)).collect();
    assert_eq!(
        api,
        [
            (1306, "SignatureReplayed", CodeRetry::Resign),
            (1002, "TooFast", CodeRetry::Backoff),
            (2004, "ItemNotFound", CodeRetry::Never),
            (9, "Unknown2", CodeRetry::Unknown),
        ]
    );
    let status: Vec<(i64, &str)> = codes.status_codes.iter().map(|c| (c.code, c.ident.as_str())).collect();
    assert_eq!(status, [(404, "NOT_FOUND"), (429, "RATE_LIMITED")]);
    // With a code table `Error` is the SDK's own: the schema of that name steps aside.
    assert!(ir.types.iter().any(|t| t.name == "Error2"));
    assert!(!ir.types.iter().any(|t| t.name == "Error"));

    // Without one, nothing changes.
    let plain = self::ir("specs/fixtures/maps.yaml");
    assert!(plain.api_codes.is_none());
}

#[test]
fn idempotency_follows_http_the_method_name_and_the_extension() {
    let ir = ir("specs/fixtures/production.yaml");
    let idempotent = |name: &str| op(&ir, name).idempotent;
    assert!(idempotent("list_items"), "GET");
    assert!(idempotent("list_items_by_body"), "a POST named list_");
    assert!(idempotent("search_items"), "a POST marked true");
    assert!(idempotent("replace_item"), "PUT");
    assert!(!idempotent("delete_item"), "a DELETE marked false");
    assert!(!idempotent("create_item"), "a POST");
    assert!(!idempotent("check_item"), "a POST named check_ but marked false");
}

#[test]
fn paging_is_detected_by_shape_and_by_the_extension() {
    let ir = ir("specs/fixtures/production.yaml");
    let paging = |name: &str| op(&ir, name).pagination.clone();

    let query = paging("list_items").unwrap();
    assert_eq!(query.stream_ident, "list_items_stream");
    assert_eq!((query.page, query.limit), (PageParamAt::Query("page".into()), PageParamAt::Query("limit".into())));
    assert_eq!((query.total, query.list), (vec!["data".to_owned(), "total_count".to_owned()], vec!["data".to_owned(), "list".to_owned()]));

    let body = paging("list_items_by_body").unwrap();
    let path = |p: &str| PageParamAt::Body(p.split('.').map(str::to_owned).collect());
    assert_eq!((body.page, body.limit), (path("options.pagination.page"), path("options.pagination.limit")));

    let named = paging("search_items").unwrap();
    assert_eq!((named.page, named.limit), (path("pageNo"), path("pageSize")));
    assert_eq!((named.total, named.list), (vec!["data".to_owned(), "total".to_owned()], vec!["data".to_owned(), "rows".to_owned()]));

    assert!(paging("list_audit").is_none(), "turned off by the extension");
    for name in ["replace_item", "delete_item", "create_item", "check_item", "export_item"] {
        assert!(paging(name).is_none(), "{name}");
    }
}

#[test]
fn the_genauth_description_pages_where_it_should() {
    let ir = ir("specs/genauth-v3.yaml");
    let paged: Vec<&str> = ir.operations.iter().filter(|o| o.pagination.is_some()).map(|o| o.ident.as_str()).collect();
    assert_eq!(paged.len(), 48, "{paged:?}");
    for name in ["list_users", "list_groups", "list_roles", "get_user_login_history", "list_role_assignments", "get_orders"] {
        assert!(paged.contains(&name), "{name} pages: {paged:?}");
    }
    // list_role_assignments keeps its items in `data.data` (the extension says so).
    let assignments = op(&ir, "list_role_assignments").pagination.as_ref().unwrap();
    assert_eq!(assignments.list, ["data", "data"]);
    // A page of things without a `totalCount` is not paged; neither is an offset scheme.
    for name in ["list_namespace_roles", "list_dnef", "get_user_groups"] {
        assert!(!paged.contains(&name), "{name}");
    }
    // Reads sent as POST may be retried; writes may not.
    assert!(op(&ir, "list_users").idempotent && op(&ir, "get_user_batch").idempotent);
    assert!(!op(&ir, "create_user").idempotent && !op(&ir, "kick_users").idempotent);
    let codes = ir.api_codes.as_ref().unwrap();
    assert!(codes.api_codes.iter().any(|c| c.code == 1306 && c.retry == CodeRetry::Resign));
    assert_eq!(codes.status_codes.len(), 18);
}
