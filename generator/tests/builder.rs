//! The builder's build-script side, in process: the CLI maps every option onto the same
//! output, operation filters keep what was asked for and only the types it needs, the
//! files to watch are reported, and one-file output leaves the rest of its directory alone.

mod common;

fn scratch(name: &str) -> std::path::PathBuf {
    common::scratch("builder", name)
}
use common::{repo, tree};

use std::path::{Path, PathBuf};
use std::process::Command;

use genauth_codegen::{Builder, Error, Layout, SINGLE_FILE_NAME};

fn spec() -> PathBuf {
    repo().join("specs/genauth-v3.yaml")
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_genauth-codegen")).args(args).output().unwrap()
}

fn with_options(b: Builder) -> Builder {
    b.spec(spec())
        .include_tag("users")
        .include_operation("getManagementToken")
        .exclude_tag("auth")
        .include_operation("kick_users")
        .exclude_operation("importOtp")
        .exclude_operation("resign_user")
        .client_name("UserAdmin")
        .crate_name("user-admin")
        .extra_derive("Hash")
}

const OPTION_FLAGS: &[&str] = &[
    "--tag",
    "users",
    "--operation",
    "getManagementToken",
    "--exclude-tag",
    "auth",
    "--operation",
    "kick_users",
    "--exclude-operation",
    "importOtp",
    "--exclude-operation",
    "resign_user",
    "--client-name",
    "UserAdmin",
    "--crate-name",
    "user-admin",
    "--derive",
    "Hash",
];

#[test]
fn cli_and_builder_write_the_same_bytes_for_the_same_options() {
    let dir = scratch("same");
    let spec = spec();
    let spec = spec.to_str().unwrap();

    // One file: Builder::write_to (what write_to_out_dir does, minus OUT_DIR) vs the CLI.
    let generated = with_options(Builder::new()).write_to(dir.join("builder")).unwrap();
    assert_eq!(generated.layout(), Layout::SingleFile, "write_to defaults to one file");
    let mut args = vec!["generate", "-q", "--layout", "single-file", "--spec", spec, "--out"];
    let cli_dir = dir.join("cli");
    args.push(cli_dir.to_str().unwrap());
    args.extend_from_slice(OPTION_FLAGS);
    let out = cli(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let builder_files = tree(&dir.join("builder"));
    assert_eq!(builder_files.len(), 1);
    assert_eq!(builder_files[0].0, PathBuf::from(SINGLE_FILE_NAME));
    assert!(builder_files == tree(&cli_dir), "the builder and the CLI wrote different single files");

    // A crate: Builder::generate + write_crate vs the CLI's default layout.
    let generated = with_options(Builder::new()).generate().unwrap();
    assert_eq!(generated.layout(), Layout::Crate, "generate defaults to a crate");
    generated.write_crate(dir.join("builder-crate")).unwrap();
    let mut args = vec!["generate", "-q", "--spec", spec, "--out"];
    let cli_dir = dir.join("cli-crate");
    args.push(cli_dir.to_str().unwrap());
    args.extend_from_slice(OPTION_FLAGS);
    let out = cli(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let crate_files = tree(&dir.join("builder-crate"));
    assert!(crate_files.iter().any(|(p, _)| p == Path::new("src/client.rs")));
    assert!(crate_files == tree(&cli_dir), "the builder and the CLI wrote different crates");

    // The options took effect.
    let text = String::from_utf8(builder_files[0].1.clone()).unwrap();
    assert!(text.contains("pub struct UserAdmin"));
    assert!(text.contains("Hash)]"), "extra derive missing");
    assert!(text.contains("pub async fn kick_users("));
    assert!(!text.contains("pub async fn get_management_token("), "excluded by tag");
    assert!(!text.contains("pub async fn import_otp("), "excluded by operationId");
    assert!(!text.contains("pub async fn resign_user("), "excluded by method name");
    assert!(text.contains("pub async fn resign_user_batch("), "only the named operation is excluded");

    // `check` reads the same layout back.
    let mut args = vec!["check", "-q", "--layout", "single-file", "--spec", spec, "--out"];
    let builder_dir = dir.join("builder");
    args.push(builder_dir.to_str().unwrap());
    args.extend_from_slice(OPTION_FLAGS);
    let out = cli(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_tag_filter_keeps_its_operations_and_only_the_types_they_use() {
    let full = Builder::new().spec(spec()).layout(Layout::SingleFile).generate().unwrap();
    let auth = Builder::new().spec(spec()).layout(Layout::SingleFile).include_tag("auth").generate().unwrap();
    assert_eq!(auth.operation_count(), 1);
    let text = auth.file(SINGLE_FILE_NAME).unwrap();
    assert!(text.contains("pub async fn get_management_token("));
    assert!(text.contains("pub struct GetManagementAccessTokenDto"));
    // Component schemas no kept operation uses are left out, not just unused inline types.
    assert!(!text.contains("pub struct UserDto"), "UserDto is not used by the auth operations");
    assert!(!text.contains("pub enum UserIdType"));
    assert!(auth.type_count() < 10, "{} types kept for one operation", auth.type_count());
    assert!(full.type_count() > 100);

    // Names do not depend on the filter: every kept item reads as in the full output (a
    // struct there may be an alias of a generic shared by several types; the filtered
    // output has too few of them to share one).
    let full_text = full.file(SINGLE_FILE_NAME).unwrap();
    for line in text.lines().filter(|l| l.trim_start().starts_with("pub struct ") || l.trim_start().starts_with("pub async fn ")) {
        let alias = line
            .trim_start()
            .strip_prefix("pub struct ")
            .and_then(|rest| rest.split_whitespace().next())
            .map(|name| format!("pub type {name} = "));
        let found = full_text.contains(line) || alias.as_ref().is_some_and(|a| full_text.contains(a.as_str()));
        assert!(found, "`{}` is not in the unfiltered output", line.trim());
    }

    // Tags without operations, and operation names nobody has, are errors, not empty SDKs.
    let err = Builder::new().spec(spec()).include_tag("Users").generate().unwrap_err();
    assert!(matches!(err, Error::Filter { .. }));
    let message = err.to_string();
    assert!(message.contains("genauth-v3.yaml: no operation has the tag `Users`; the tags in use are: users, groups, roles, "), "{err}");
    assert!(message.ends_with(", access_keys, auth"), "{err}");
    let err = Builder::new().spec(spec()).exclude_operation("getUsers").generate().unwrap_err();
    assert!(err.to_string().contains("no operation has the operationId or method name `getUsers`"), "{err}");
}

#[test]
fn the_cli_reports_a_filter_that_matches_nothing_with_exit_code_2() {
    let dir = scratch("nomatch");
    let spec = spec();
    let out = cli(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
        "--operation",
        "no_such_operation",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("genauth-v3.yaml: no operation has the operationId or method name `no_such_operation`"), "{stderr}");
    assert!(!dir.join("out").exists(), "nothing may be written on error");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sources_and_cargo_directives_name_the_files_read_and_the_warnings() {
    let generated = Builder::new().spec(spec()).generate().unwrap();
    // The root document first, then every module file its `$ref`s read, each once.
    let modules: std::collections::BTreeSet<PathBuf> = std::fs::read_dir(repo().join("specs/genauth-v3"))
        .unwrap()
        .map(|e| e.unwrap().path().canonicalize().unwrap())
        .collect();
    let sources = generated.sources();
    assert_eq!(sources.first(), Some(&spec()));
    let read: std::collections::BTreeSet<PathBuf> = sources[1..].iter().cloned().collect();
    assert_eq!(read, modules);
    assert_eq!(sources.len(), modules.len() + 1, "a file is listed twice: {sources:?}");
    assert_eq!(generated.warnings(), []);
    let directives: Vec<String> = sources.iter().map(|s| format!("cargo:rerun-if-changed={}", s.display())).collect();
    assert_eq!(generated.cargo_directives(), directives);

    // A document given as text was read from no file; its warnings still reach cargo.
    let text = r#"
openapi: 3.0.3
info: {title: Cookies, version: "1"}
paths:
  /ping:
    get:
      operationId: ping
      parameters:
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '204': {description: no content}
"#;
    let generated = Builder::new().spec_source("cookies.yaml", text).generate().unwrap();
    assert_eq!(generated.sources(), [] as [PathBuf; 0]);
    let directives = generated.cargo_directives();
    assert_eq!(directives.len(), 1, "{directives:?}");
    assert!(directives[0].starts_with("cargo:warning=warning[W006]: cookies.yaml: "), "{directives:?}");
    assert!(!directives[0].contains('\n'));
}

#[test]
fn one_file_output_is_rewritten_only_when_it_changes_and_leaves_the_directory_alone() {
    let dir = scratch("one-file");
    // Another generated file in the same directory (say, from a second spec) stays.
    let other = "// @generated by genauth-codegen from other.yaml. Do not edit by hand; regenerate instead.\n";
    std::fs::write(dir.join("other_sdk.rs"), other).unwrap();

    let generated = Builder::new().spec(spec()).write_to(&dir).unwrap();
    let report = generated.write_to(&dir).unwrap();
    assert_eq!(report.unchanged, [PathBuf::from(SINGLE_FILE_NAME)]);
    assert!(report.written.is_empty() && report.removed.is_empty(), "{report:?}");
    assert_eq!(std::fs::read_to_string(dir.join("other_sdk.rs")).unwrap(), other);
    assert_eq!(std::fs::read_to_string(dir.join(SINGLE_FILE_NAME)).unwrap(), generated.files()[0].1);

    // Different options, different bytes: written again.
    let filtered = Builder::new().spec(spec()).include_tag("auth").layout(Layout::SingleFile).generate().unwrap();
    let report = filtered.write_to(&dir).unwrap();
    assert_eq!(report.written, [PathBuf::from(SINGLE_FILE_NAME)]);
    assert!(dir.join("other_sdk.rs").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_filter_that_keeps_no_types_emits_no_types_module() {
    let (ir, _) = Builder::new().spec(spec()).ir().unwrap();
    let tags: std::collections::BTreeSet<&String> = ir.operations.iter().flat_map(|op| &op.tags).collect();
    assert!(tags.len() > 20, "{tags:?}");
    let generated = tags
        .into_iter()
        .fold(Builder::new().spec(spec()), |b, tag| b.exclude_tag(tag))
        .layout(Layout::SingleFile)
        .generate()
        .unwrap();
    assert_eq!((generated.operation_count(), generated.type_count()), (0, 0));
    let text = generated.file(SINGLE_FILE_NAME).unwrap();
    // The description's code table still gives the `types` module its codes, and only them.
    assert!(text.contains("pub mod types"), "{text}");
    assert!(text.contains("pub enum ApiCode"), "{text}");
    assert_eq!(text.matches("pub struct ").count(), 1, "only the client: {text}");
    assert!(text.contains("pub struct ManagementClient"), "{text}");

    // Without a code table nothing is left for it: no module, since an empty one's glob
    // re-export would be an unused import (a warning).
    let source = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
                  responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
                  schema: {type: object, properties: {x: {type: string}}}\n";
    let generated = Builder::new()
        .spec_source("a.yaml", source)
        .exclude_operation("get_a")
        .layout(Layout::SingleFile)
        .generate()
        .unwrap();
    assert_eq!((generated.operation_count(), generated.type_count()), (0, 0));
    let text = generated.file(SINGLE_FILE_NAME).unwrap();
    assert!(!text.contains("pub mod types"), "{text}");
    assert!(!text.contains("pub use types::*;"), "{text}");
    assert!(text.contains("pub use client::*;"), "{text}");
    assert!(text.contains("pub struct ManagementClient"), "{text}");
}

#[test]
fn descriptions_given_by_reference_are_read_in_place_or_left_out_with_a_warning() {
    let spec = repo().join("specs/fixtures/ref-descriptions.yaml");
    let generated = Builder::new().spec(&spec).generate().unwrap_or_else(|e| panic!("{e}"));
    let file = |name: &str| &generated.files().iter().find(|(p, _)| p == Path::new(name)).unwrap().1;
    // From a YAML file by pointer, from a whole Markdown file, and from this document.
    assert!(file("src/lib.rs").contains("//! The API for **widgets**."), "{}", file("src/lib.rs"));
    let client = file("src/client.rs");
    for text in ["/// List the widgets\n", "/// Lists the widgets the caller can see.\n", "/// - Archived widgets are left out.\n"] {
        assert!(client.contains(text), "no {text:?} in\n{client}");
    }
    // A property named `description` stays a schema reference.
    assert!(file("src/types.rs").contains("pub description: Option<Text>,"));
    // The tag whose reference names a mapping: one warning, and nothing fails.
    let warnings: Vec<String> = generated.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("warning[W022]: "), "{warnings:?}");
    assert!(warnings[0].contains(": #/tags/1/description/$ref: `ref-descriptions/texts.yaml#/nested`, in place of a text, names an object"), "{warnings:?}");
    // Both files are sources a build script watches.
    let sources: Vec<String> = generated.sources().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(sources, ["ref-descriptions.yaml", "texts.yaml", "list-widgets.md"]);

    // A file that is not there: a warning naming the place, not an error.
    let text = r#"
openapi: 3.0.3
info: {title: T, version: "1", description: {$ref: "no-such-file.md"}}
tags: [{name: a, description: {$ref: "no-such-file.yaml#/a"}}]
paths: {}
"#;
    let generated = Builder::new().spec_source("t.yaml", text).generate().unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].starts_with("warning[W022]: t.yaml: #/info/description/$ref: `no-such-file.md`, in place of a text, cannot read the file"), "{warnings:?}");
    assert!(warnings[1].starts_with("warning[W022]: t.yaml: #/tags/0/description/$ref: `no-such-file.yaml#/a`"), "{warnings:?}");
}
