//! Every Rust name the generator emits is made here.
//!
//! Names from the document are never trusted: they are split into ASCII words, cased
//! with `heck`, kept clear of keywords and of the std names the generated code relies
//! on, and made unique within their namespace in a deterministic way (first come keeps
//! the plain name, later ones get a numeric suffix).

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of every edition up to 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified, so a schema may not take them.
const RESERVED_TYPES: &[&str] = &[
    "Self", "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default",
    "Clone", "Copy", "Debug", "PartialEq", "Eq", "Hash", "PartialOrd", "Ord", "Serialize",
    "Deserialize", "Send", "Sync", "Sized", "From", "Into", "Fn", "FnMut", "FnOnce", "Drop",
    "Iterator", "ToString", "ToOwned", "AsRef", "AsMut", "Unpin", "Future", "Display", "FromStr",
];

/// Method names the generated client defines itself.
const RESERVED_METHODS: &[&str] = &["new", "client", "from_client", "with_envelope", "with_options", "raw", "with_mode"];

/// Splits a name from the document into ASCII words. Non-ASCII characters become a
/// hex word (`中` → `u4e2d`), everything else that is not alphanumeric separates words.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if ch.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", ch as u32));
        }
    }
    out
}

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `UpperCamelCase` from any text; never empty, never starts with a digit.
pub fn pascal(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    name
}

/// `snake_case` from any text; never empty, never starts with a digit.
pub fn snake(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name.push_str("empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    name
}

/// The cargo feature name for an operation tag. An ASCII tag becomes `snake_case`
/// (`User Management` → `user_management`); any other tag becomes `tag_` and eight hex
/// digits of a hash of its text (`管理用户/API 列表` → `tag_…`), short and stable while the
/// tag is (the generated `Cargo.toml` names the tag above each feature). `default` and
/// `http`, which the generated crate defines itself, get a `_tag` suffix.
pub fn feature_name(tag: &str) -> String {
    if !tag.is_ascii() {
        // FNV-1a, 32 bits: fixed by its definition, so names never change between releases.
        let hash = tag.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        return format!("tag_{hash:08x}");
    }
    let name = snake(tag);
    if name == "default" || name == "http" {
        format!("{name}_tag")
    } else {
        name
    }
}

/// The name of a constant (`RateLimited` → `RATE_LIMITED`); never empty, never starts
/// with a digit.
pub fn const_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_shouty_snake_case();
    if name.is_empty() {
        name.push_str("EMPTY");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    name
}

/// The name of a type (struct, enum, alias).
pub fn type_name(raw: &str) -> String {
    unreserved_type_name(pascal(raw))
}

/// `name` (already `UpperCamelCase`), or `{name}Type` when it is a keyword or a type the
/// generated code uses unqualified (`Result` → `ResultType`).
pub fn unreserved_type_name(name: String) -> String {
    if RESERVED_TYPES.contains(&name.as_str()) || is_keyword(&name) {
        format!("{name}Type")
    } else {
        name
    }
}

/// The name of an enum variant for a wire value. Leading signs are spelled out so
/// `+1` and `-1` stay apart.
pub fn variant_name(wire: &str) -> String {
    let spelled = if let Some(rest) = wire.strip_prefix('+') {
        format!("plus {rest}")
    } else if let Some(rest) = wire.strip_prefix('-') {
        format!("minus {rest}")
    } else {
        wire.to_owned()
    };
    let mut name = ascii_words(&spelled).to_upper_camel_case();
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// A snake_case identifier for a field, argument or method, as Rust source text:
/// keywords become raw identifiers (`r#type`), or get a `_` suffix where raw is not allowed.
pub fn field_ident(raw: &str) -> String {
    let name = snake(raw);
    escape_snake(name)
}

fn escape_snake(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name of a client method for an operation id.
///
/// Server-generated ids look like `UsersManagementController_getUser`; the official SDKs
/// use the part after `Controller_`, so we do too. Acronym runs are lower-cased like the
/// official generator does (`updateTenantQRCodeState` → `update_tenant_qr_code_state`).
pub fn method_name(operation_id: &str) -> String {
    let base = match operation_id.split_once("Controller_") {
        Some((before, after)) if !before.is_empty() => after,
        _ => operation_id,
    };
    let name = snake(base);
    if RESERVED_METHODS.contains(&name.as_str()) {
        return format!("{name}_op");
    }
    escape_snake(name)
}

/// A method name for an operation without an id, from its verb and path
/// (`GET /users/{id}/keys` → `get_users_id_keys`).
pub fn method_name_from_path(method: &str, path: &str) -> String {
    method_name(&format!("{method} {path}"))
}

/// The text serde compares against for a field under `rename_all = "camelCase"`.
pub fn serde_camel(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for ch in field.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// The name serde uses for a field without any rename rule (`r#type` → `type`).
pub fn unraw(field: &str) -> &str {
    field.strip_prefix("r#").unwrap_or(field)
}

/// A set of names already taken in one namespace.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Namespace::default()
    }

    /// A namespace in which `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace {
            used: names.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `name`, or `name2`, `name3`, ... if it is taken; returns what was claimed.
    /// Raw identifiers get their suffix inside the `r#` (`r#type` → `type_2`).
    pub fn claim(&mut self, name: String) -> String {
        let key = unraw(&name).to_owned();
        if self.used.insert(key.clone()) {
            return name;
        }
        // `self_` → `self_2`, not `self__2` (which is not snake case).
        let sep = if key.ends_with('_') {
            ""
        } else if key.contains('_') || key.chars().all(|c| !c.is_ascii_uppercase()) {
            "_"
        } else {
            ""
        };
        let mut n = 2usize;
        loop {
            let candidate = format!("{key}{sep}{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(unraw(name))
    }
}

#[cfg(test)]
mod feature_tests {
    use super::feature_name;

    #[test]
    fn feature_names() {
        assert_eq!(feature_name("users"), "users");
        assert_eq!(feature_name("User Management"), "user_management");
        assert_eq!(feature_name("http"), "http_tag");
        assert_eq!(feature_name("default"), "default_tag");
        let chinese = feature_name("管理用户/API 列表");
        assert!(chinese.starts_with("tag_") && chinese.len() == 12, "{chinese}");
        assert!(chinese[4..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(chinese, feature_name("管理用户/API 列表"), "stable");
        assert_ne!(chinese, feature_name("管理角色/API 列表"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("io.k8s.api.core.v1.Pod"), "IoK8sApiCoreV1Pod");
        assert_eq!(type_name("simple-user"), "SimpleUser");
        assert_eq!(type_name("2fa"), "N2fa");
        assert_eq!(type_name("String"), "StringType");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("用户"), "U7528U6237");
        assert_eq!(type_name("self"), "SelfType");
    }

    #[test]
    fn const_names() {
        assert_eq!(const_name("RateLimited"), "RATE_LIMITED");
        assert_eq!(const_name("Ok"), "OK");
        assert_eq!(const_name("404 page"), "N404_PAGE");
        assert_eq!(const_name(""), "EMPTY");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_ident("userIdType"), "user_id_type");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("$ref"), "r#ref");
        assert_eq!(field_ident("+1"), "n1");
        assert_eq!(field_ident("i18n"), "i18n");
        assert_eq!(field_ident("access_token"), "access_token");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("user_id"), "UserId");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("1st"), "V1st");
        assert_eq!(variant_name(" profile"), "Profile");
        assert_eq!(variant_name("azure-ad"), "AzureAd");
    }

    #[test]
    fn method_names() {
        assert_eq!(
            method_name("UsersManagementController_resetUserPrincipalAuthenticationInfo"),
            "reset_user_principal_authentication_info"
        );
        assert_eq!(method_name("updateTenantQRCodeState"), "update_tenant_qr_code_state");
        assert_eq!(method_name("repos/get-content"), "repos_get_content");
        assert_eq!(method_name("new"), "new_op");
        assert_eq!(method_name_from_path("get", "/users/{id}/keys"), "get_users_id_keys");
    }

    #[test]
    fn serde_camel_matches_serde() {
        assert_eq!(serde_camel("user_id_type"), "userIdType");
        assert_eq!(serde_camel("r#type"), "type");
        assert_eq!(serde_camel("i18n"), "i18n");
    }

    #[test]
    fn claims_are_unique_and_deterministic() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("Asc".into()), "Asc");
        assert_eq!(ns.claim("Asc".into()), "Asc2");
        assert_eq!(ns.claim("r#type".into()), "r#type");
        assert_eq!(ns.claim("type".into()), "type_2");
        assert_eq!(ns.claim("user_id".into()), "user_id");
        assert_eq!(ns.claim("user_id".into()), "user_id_2");
    }
}
