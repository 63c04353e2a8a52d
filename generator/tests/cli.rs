//! The command line: defaults, exit codes, messages, and a standalone crate that builds.

mod common;

fn scratch(name: &str) -> std::path::PathBuf {
    common::scratch("cli", name)
}
use common::{bin, repo};

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn check_with_defaults_passes_on_the_committed_sdk() {
    let out = bin().arg("check").current_dir(repo()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("up to date"));
}

#[test]
fn check_reports_stale_files_with_exit_code_1() {
    let dir = scratch("stale");
    let spec = repo().join("specs/fixtures/enums.yaml");
    let out = bin().args(["generate", "-q", "--spec"]).arg(&spec).arg("--out").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let check = |dir: &Path| bin().args(["check", "--spec"]).arg(&spec).arg("--out").arg(dir).output().unwrap();
    assert_eq!(check(&dir).status.code(), Some(0));

    std::fs::write(dir.join("src/types.rs"), "// edited\n").unwrap();
    std::fs::remove_file(dir.join("src/client.rs")).unwrap();
    let out = check(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("differs: src/types.rs"), "{stderr}");
    assert!(stderr.contains("missing: src/client.rs"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_with_file_and_position() {
    let dir = scratch("bad");
    let spec = dir.join("broken.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo:\n  title: x\n  version: [\n").unwrap();
    let out = bin().args(["generate", "--spec"]).arg(&spec).arg("--out").arg(dir.join("out")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("broken.yaml:5:1: syntax error"), "{stderr}");
    assert!(!dir.join("out").exists(), "nothing may be written on error");

    let missing = bin().args(["generate", "--spec", "/nonexistent/spec.yaml", "--out"]).arg(dir.join("out")).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/spec.yaml: cannot read"));

    let swagger = dir.join("swagger.json");
    std::fs::write(&swagger, r#"{"swagger": "2.0", "info": {}, "paths": {}}"#).unwrap();
    let out = bin().args(["check", "--spec"]).arg(&swagger).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Swagger 2.0"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generate_writes_a_standalone_crate_that_builds_outside_the_workspace() {
    let dir = scratch("standalone").join("my-sdk");
    let out = bin()
        .args(["generate", "--spec"])
        .arg(repo().join("specs/genauth-v3.yaml"))
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[workspace]"), "a crate outside any workspace is its own:\n{manifest}");

    // Build it with its own target directory under this workspace's, so dependencies
    // compiled once are reused on the next run.
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("standalone-check")).unwrap_or(target);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["check", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .unwrap();
    assert!(status.success(), "the generated crate did not build");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}
