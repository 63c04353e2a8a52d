//! Every `example` in `specs/genauth-v3.yaml` deserializes into its generated type and
//! serializes back to the same JSON; so does GenAuth's documented example response, and
//! a `userIdType` the SDK has never heard of.

use genauth_sdk::*;
use genauth_tests::repo_root;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Round-trips `value` through the generated type named like the schema `name`.
/// `None` when the name is not in the list (which the coverage check reports).
fn round_trip_named(name: &str, value: &Value) -> Option<Result<Value, String>> {
    macro_rules! dispatch {
        ($($t:ident),* $(,)?) => {
            match name {
                $(stringify!($t) => Some(round_trip::<$t>(value)),)*
                _ => None,
            }
        };
    }
    dispatch!(
        ListUsersRequestDto, ListUsersAdvancedFilterItemDto, ListUsersOptionsDto, PaginationDto,
        SortingDto, UserPaginatedRespDto, UserPagingDto, UserDto, IdentityDto, UserSingleRespDto,
        UserListRespDto, CreateUserReqDto, CreateUserOtpDto, CreateIdentityDto,
        CreateUserOptionsDto, SendCreateAccountNotificationDto, CreateUserBatchReqDto,
        CreateUserInfoDto, UpdateUserReqDto, UpdateUserOptionsDto,
        SendResetPasswordNotificationDto, UpdateUserBatchReqDto, UpdateUserInfoDto,
        UpdateUserBatchOptionsDto, DeleteUsersBatchDto, DeleteUsersBatchOptionsDto,
        IsSuccessRespDto, IsSuccessDto, IdentityListRespDto, RolePaginatedRespDto, RolePagingDto,
        RoleDto, PrincipalAuthenticationInfoPaginatedRespDto,
        PrincipalAuthenticationInfoPagingDto, PrincipalAuthenticationInfoDto,
        ResetUserPrincipalAuthenticationInfoDto, ResetUserPrincipalAuthenticationInfoOptionsDto,
        UserDepartmentPaginatedRespDto, UserDepartmentPagingDto, UserDepartmentRespDto,
        DepartmentI18nDto, LangObject, LangUnit, SetUserDepartmentsDto, SetUserDepartmentDto,
        SetUserDepartmentsOptionsDto, GroupPaginatedRespDto, GroupPagingDto, ResGroupDto,
        UserMfaSingleRespDto, UserMfaRespDto, ListArchivedUsersSingleRespDto,
        ArchivedUsersListPagingDto, ListArchivedUsersRespDto, KickUsersDto, KickUsersOptionsDto,
        IsUserExistsReqDto, IsUserExistsRespDto, IsUserExistsDto, AppListRespDto, AppDto,
        HasAnyRoleReqDto, HasRoleRolesDto, HasAnyRoleOptionsDto, HasAnyRoleRespDto,
        HasAnyRoleDto, UserLoginHistoryPaginatedRespDto, UserLoginHistoryPagingDto,
        UserLoginHistoryDto, UserLoggedInAppsListRespDto, UserLoggedInAppsDto,
        UserLoggedInIdentitiesRespDto, UserLoggedInIdentitiesDto, ResignUserReqDto,
        ResignUserRespDto, ResignUserDataDto, ResignUserBatchReqDto,
        AuthorizedResourcePaginatedRespDto, AuthorizedResourcePagingDto, AuthorizedResourceDto,
        PolicyCondition, CheckSessionStatusDto, CheckSessionStatusRespDto,
        CheckSessionStatusDataDto, ImportOtpReqDto, ImportOtpItemDto, ImportOtpItemDataDto,
        CommonResponseDto, GetManagementAccessTokenDto, GetManagementTokenRespDto,
        AccessTokenResDto,
    )
}

fn spec() -> Value {
    let text = std::fs::read_to_string(repo_root().join("specs/genauth-v3.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
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
                None => failures.push(format!("{name}: no generated type in this test's list")),
                Some(Err(e)) => failures.push(format!("{pointer}: does not deserialize: {e}")),
                Some(Ok(back)) if back != value => {
                    failures.push(format!("{pointer}: changed in the round trip:\n  in:  {value}\n  out: {back}"))
                }
                Some(Ok(_)) => checked += 1,
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // 91 schema examples plus the property examples placed into them.
    assert!(checked > 91, "only {checked} examples checked");
    eprintln!("{checked} examples round-tripped");
}

#[test]
fn every_schema_with_an_example_is_covered() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let with_example: Vec<&String> = schemas.iter().filter(|(_, s)| s.get("example").is_some()).map(|(n, _)| n).collect();
    assert_eq!(with_example.len(), 91);
    let missing: Vec<_> = with_example
        .into_iter()
        .filter(|n| round_trip_named(n, &Value::Null).is_none())
        .collect();
    assert!(missing.is_empty(), "add these types to the dispatch list: {missing:?}");
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
