"""Makes every User Management call of the official GenAuth Python SDK (genauth 5.1.0)
against a loopback server, in a fixed order, with the same arguments as the Rust side of
tests/tests/wire_compat.rs. Prints the call labels, in order, as a JSON array.

Usage: python python_sdk_calls.py <base url> <access key id> <access key secret>
"""

import json
import sys

from genauth import ManagementClient

url, ak, sk = sys.argv[1], sys.argv[2], sys.argv[3]
c = ManagementClient(access_key_id=ak, access_key_secret=sk, host=url)

IDENTITY = {
    "extIdpId": "62f20932716fbcc10d966ee5",
    "provider": "lark",
    "type": "open_id",
    "userIdInIdp": "ou_8bae746eac07cd2564654140d2a9ac61",
    "userInfoInIdp": {"name": "Alice"},
    "originConnIds": ["conn1"],
}

CALLS = [
    ("list_users", lambda: c.list_users(
        keywords="张三",
        advanced_filter=[{"field": "lastLogin", "operator": "BETWEEN", "value": [1700000000000, 1700600000000]}],
        options={
            "pagination": {"page": 2, "limit": 20},
            "sort": [{"field": "createdAt", "order": "desc"}],
            "fuzzySearchOn": ["email", "phone"],
            "withCustomData": True,
        },
    )),
    ("list_users_legacy", lambda: c.list_users_legacy(
        page=2, limit=20, status="Activated", updated_at_start=1700000000, with_custom_data=True, with_identities=False)),
    ("get_user", lambda: c.get_user(user_id="alice@example.com", user_id_type="email", with_post=True)),
    ("get_user_minimal", lambda: c.get_user(user_id="u1")),
    ("get_user_batch", lambda: c.get_user_batch(
        user_ids=["u1", "u2", "u3"], user_id_type="external_id", flat_custom_data=True)),
    ("create_user", lambda: c.create_user(
        status="Activated", email="alice@example.com", phone="13800000000", phone_country_code="+86",
        username="alice", gender="F", email_verified=True, birthdate="2000-01-01", password="p@ssw0rd",
        tenant_ids=["t1"], otp={"secret": "JBSWY3DPEHPK3PXP"}, custom_data={"school": "北大", "age": 20},
        identities=[IDENTITY],
        options={"keepPassword": True, "departmentIdType": "open_department_id",
                 "sendNotification": {"sendEmailNotification": True, "appId": "app1"}},
    )),
    ("create_users_batch", lambda: c.create_users_batch(
        list=[{"email": "a@example.com", "password": "x"}, {"phone": "13900000000", "name": "Bob"}],
        options={"resetPasswordOnFirstLogin": True, "passwordEncryptType": "rsa"},
    )),
    ("update_user", lambda: c.update_user(
        user_id="u1", nickname="Ally", status="Suspended", phone_verified=False, custom_data={"level": 3},
        options={"userIdType": "username", "sendPasswordResetedNotification": {"sendDefaultEmailNotification": True}},
    )),
    ("update_user_batch", lambda: c.update_user_batch(
        list=[{"userId": "u1", "name": "A"}, {"userId": "u2", "gender": "M"}],
        options={"autoGeneratePassword": True},
    )),
    ("delete_users_batch", lambda: c.delete_users_batch(user_ids=["u1", "u2"], options={"userIdType": "phone"})),
    ("get_user_identities", lambda: c.get_user_identities(user_id="u1", user_id_type="identity")),
    ("get_user_roles", lambda: c.get_user_roles(user_id="u1", namespace="default")),
    ("get_user_principal_authentication_info", lambda: c.get_user_principal_authentication_info(user_id="u1")),
    ("reset_user_principal_authentication_info", lambda: c.reset_user_principal_authentication_info(
        user_id="13800000000", options={"userIdType": "phone"})),
    ("get_user_groups", lambda: c.get_user_groups(user_id="u1", user_id_type="sync_relation")),
    ("get_user_mfa_info", lambda: c.get_user_mfa_info(user_id="u1")),
    ("list_archived_users", lambda: c.list_archived_users(page=3, limit=50, start_at=1700000000)),
    ("kick_users", lambda: c.kick_users(app_ids=["app1", "app2"], user_id="u1", options={"userIdType": "user_id"})),
    ("is_user_exists", lambda: c.is_user_exists(email="alice@example.com", external_id="ext-1")),
    ("get_user_accessible_apps", lambda: c.get_user_accessible_apps(user_id="u1")),
    ("get_user_authorized_apps", lambda: c.get_user_authorized_apps(user_id="u1", user_id_type="custom_field")),
    ("has_any_role", lambda: c.has_any_role(
        roles=[{"code": "admin"}, {"namespace": "ns1", "code": "editor"}], user_id="u1")),
    ("get_user_login_history", lambda: c.get_user_login_history(
        user_id="u1", app_id="app1", client_ip="127.0.0.1", start=1700000000000, end=1700600000000, page=1, limit=5)),
    ("get_user_loggedin_apps", lambda: c.get_user_loggedin_apps(user_id="u1")),
    ("get_user_loggedin_identities", lambda: c.get_user_loggedin_identities(user_id="u1", user_id_type="email")),
    ("resign_user", lambda: c.resign_user(user_id="u1", user_id_type="external_id")),
    ("resign_user_batch", lambda: c.resign_user_batch(user_ids=["u1", "u2"])),
    ("get_user_authorized_resources", lambda: c.get_user_authorized_resources(
        user_id="u1", namespace="default", resource_type="API")),
    ("check_session_status", lambda: c.check_session_status(app_id="app1", user_id="u1")),
    ("import_otp", lambda: c.import_otp(list=[{"userId": "u1", "otp": {"secret": "JBSWY3DPEHPK3PXP", "recoveryCode": "r-1"}}])),
]

done = []
for label, call in CALLS:
    call()
    done.append(label)
print(json.dumps(done))
