//! One cargo feature per tag: which items each feature gates, the generated `Cargo.toml`,
//! the feature names (chosen or derived), and the single-file layout's default of no gates.

use std::process::Command;

use genauth_codegen::{Builder, Error, Layout};

const SPEC: &str = r##"
openapi: 3.0.3
info: { title: Features, version: "1" }
paths:
  /users:
    get:
      operationId: listUsers
      tags: [users]
      parameters:
        - { name: page, in: query, schema: { type: integer } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/UserPage" } } } }
  /token:
    post:
      operationId: getToken
      tags: [auth]
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/TokenRequest" } } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Shared" } } } }
  /roles:
    get:
      operationId: listRoles
      tags: ["管理角色/API 列表"]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Role" } } } }
  /health:
    get:
      operationId: health
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Health" } } } }
components:
  schemas:
    UserPage:
      type: object
      properties:
        items: { type: array, items: { $ref: "#/components/schemas/Shared" } }
        sort: { type: string, enum: [asc, desc] }
    TokenRequest:
      type: object
      properties: { secret: { type: string } }
    Shared:
      type: object
      properties: { id: { type: string } }
    Role:
      type: object
      properties: { name: { type: string } }
    Health:
      type: object
      properties: { status: { $ref: "#/components/schemas/Status" } }
    Status:
      type: string
      enum: [up, down]
    Unused:
      type: object
      properties: { x: { type: string } }
"##;

fn builder() -> Builder {
    Builder::new().spec_source("features.yaml", SPEC)
}

/// The attribute lines right above the item that starts with `head` (docs skipped).
fn attrs_of<'a>(text: &'a str, head: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| l.trim_start().starts_with(head)) else {
        panic!("no `{head}` in:\n{text}")
    };
    lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
        .filter(|l| l.starts_with("#[cfg"))
        .collect()
}

/// The attribute lines above the `rt::string_enum!` call that defines enum `name`.
fn enum_attrs<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| l.trim_start().starts_with(&format!("pub enum {name} "))) else {
        panic!("no enum `{name}` in:\n{text}")
    };
    let Some(call) = lines[..at].iter().rposition(|l| l.trim_start().starts_with("rt::string_enum! {")) else {
        panic!("enum `{name}` is not defined by `rt::string_enum!`:\n{text}")
    };
    lines[..call]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("#["))
        .filter(|l| l.starts_with("#[cfg"))
        .collect()
}

#[test]
fn each_tag_gates_its_methods_and_the_types_only_it_uses() {
    let generated = builder().generate().unwrap();
    let roles = genauth_codegen::naming::feature_name("管理角色/API 列表");
    assert!(roles.starts_with("tag_"), "{roles}");
    assert_eq!(
        generated.features(),
        [
            ("users".to_owned(), "users".to_owned()),
            ("auth".to_owned(), "auth".to_owned()),
            (roles.clone(), "管理角色/API 列表".to_owned()),
        ]
    );
    let client = generated.file("src/client.rs").unwrap();
    let types = generated.file("src/types.rs").unwrap();
    assert_eq!(attrs_of(client, "pub async fn list_users("), [r#"#[cfg(feature = "users")]"#]);
    assert_eq!(attrs_of(client, "pub struct ListUsersParams"), [r#"#[cfg(feature = "users")]"#]);
    assert_eq!(attrs_of(client, "impl ListUsersParams"), [r#"#[cfg(feature = "users")]"#]);
    assert_eq!(attrs_of(client, "pub async fn get_token("), [r#"#[cfg(feature = "auth")]"#]);
    assert_eq!(attrs_of(client, "pub async fn list_roles("), [format!("#[cfg(feature = \"{roles}\")]")]);
    // Untagged operations, and what they use, are always there.
    assert!(attrs_of(client, "pub async fn health(").is_empty());
    assert!(attrs_of(types, "pub struct Health").is_empty());
    assert!(enum_attrs(types, "Status").is_empty());
    // An enum one tag uses is gated like a struct.
    assert_eq!(enum_attrs(types, "UserPageSort"), [r#"#[cfg(feature = "users")]"#]);
    // Types one tag uses follow that tag; shared ones need any of their tags.
    assert_eq!(attrs_of(types, "pub struct UserPage"), [r#"#[cfg(feature = "users")]"#]);
    assert_eq!(attrs_of(types, "pub struct TokenRequest"), [r#"#[cfg(feature = "auth")]"#]);
    assert_eq!(attrs_of(types, "pub struct Shared"), [r#"#[cfg(any(feature = "users", feature = "auth"))]"#]);
    // A schema no operation uses is not part of any tag.
    assert!(attrs_of(types, "pub struct Unused").is_empty());

    let dir = std::env::temp_dir().join(format!("genauth-features-{}", std::process::id()));
    let manifest = generated
        .crate_files(&dir)
        .unwrap()
        .into_iter()
        .find(|(p, _)| p.to_str() == Some("Cargo.toml"))
        .map(|(_, text)| text)
        .unwrap();
    assert!(manifest.contains("default-features = false }"), "{manifest}");
    assert!(manifest.contains(&format!("default = [\"http\", \"users\", \"auth\", \"{roles}\"]\n")), "{manifest}");
    assert!(manifest.contains("http = [\"genauth-runtime/http\"]\n"), "{manifest}");
    assert!(manifest.contains(&format!("# tag \"管理角色/API 列表\"\n{roles} = []\n")), "{manifest}");
    assert!(manifest.contains("\nusers = []\nauth = []\n"), "{manifest}");
    let parsed: toml::Table = manifest.parse().unwrap();
    assert!(parsed["features"].as_table().unwrap().contains_key(&roles));
}

#[test]
fn feature_names_can_be_chosen_and_are_checked() {
    let generated = builder().tag_feature("管理角色/API 列表", "roles").generate().unwrap();
    assert_eq!(generated.features()[2].0, "roles");
    let client = generated.file("src/client.rs").unwrap();
    assert_eq!(attrs_of(client, "pub async fn list_roles("), [r#"#[cfg(feature = "roles")]"#]);

    for bad in ["", "two words", "default", "http", "-x", "ü"] {
        match builder().tag_feature("users", bad).generate() {
            Err(Error::Filter { message, .. }) => assert!(message.contains("cannot be a cargo feature name"), "{message}"),
            other => panic!("{bad:?}: expected an error, got {:?}", other.map(|g| g.features().to_vec())),
        }
    }
    match builder().tag_feature("nope", "nope").generate() {
        Err(Error::Filter { message, .. }) => assert!(message.contains("no operation has that tag"), "{message}"),
        other => panic!("expected an error, got {:?}", other.map(|g| g.features().to_vec())),
    }
}

#[test]
fn the_single_file_layout_has_no_gates_unless_asked() {
    let single = builder().layout(Layout::SingleFile).generate().unwrap();
    assert!(single.features().is_empty());
    assert!(!single.files()[0].1.contains("#[cfg("));
    let gated = builder().layout(Layout::SingleFile).tag_features(true).generate().unwrap();
    assert!(gated.files()[0].1.contains(r#"#[cfg(feature = "users")]"#));
    let crate_off = builder().tag_features(false).generate().unwrap();
    assert!(crate_off.features().is_empty());
    assert!(!crate_off.file("src/types.rs").unwrap().contains("#[cfg("));
}

#[test]
fn the_cli_names_and_switches_off_features() {
    let dir = std::env::temp_dir().join(format!("genauth-features-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("features.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let run = |out: &str, extra: &[&str]| {
        let status = Command::new(env!("CARGO_BIN_EXE_genauth-codegen"))
            .args(["generate", "--quiet", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(dir.join(out))
            .args(extra)
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::read_to_string(dir.join(out).join("Cargo.toml")).unwrap()
    };
    let named = run("named", &["--tag-feature", "管理角色/API 列表=roles", "--tag-feature", "users=people"]);
    assert!(named.contains("default = [\"http\", \"people\", \"auth\", \"roles\"]"), "{named}");
    let off = run("off", &["--no-tag-features"]);
    assert!(off.contains("default = [\"http\"]\n"), "{off}");
    assert!(!std::fs::read_to_string(dir.join("off/src/client.rs")).unwrap().contains("#[cfg("));
    let bad = Command::new(env!("CARGO_BIN_EXE_genauth-codegen"))
        .args(["generate", "--quiet", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(dir.join("bad"))
        .args(["--tag-feature", "users"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
