//! The corpus check can fail: a generated crate with a type error, and a check under
//! which cargo compiles nothing, each make `xtask corpus` fail with the row marked
//! `FAILED`; the same document untouched passes. Run on the petstore document (small);
//! skipped with a notice when `../shared` is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `xtask corpus --only oai-petstore` with `extra` arguments, its crate under
/// `target/corpus-tests/<name>`, sharing the corpus run's target directory. Returns
/// the exit code, the table's petstore row, and stderr; `None` when `../shared` is absent.
fn petstore(name: &str, extra: &[&str]) -> Option<(Option<i32>, String, String)> {
    if !repo().join("../shared/corpus").is_dir() {
        eprintln!("note: ../shared/corpus is not present next to the repository; skipping this test");
        return None;
    }
    let out = repo().join("target/corpus-tests").join(name);
    let _ = std::fs::remove_dir_all(&out);
    // Relative to the test's working directory (the xtask package), as a user might type it.
    let target = Path::new("..").join("target/corpus/target");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .args(["--only", "oai-petstore", "--out"])
        .arg(&out)
        .arg("--target-dir")
        .arg(&target)
        .args(extra)
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let row = stdout
        .lines()
        .find(|l| l.starts_with("| oai-petstore |"))
        .unwrap_or_else(|| panic!("no petstore row in:\n{stdout}"))
        .to_owned();
    Some((output.status.code(), row, String::from_utf8_lossy(&output.stderr).into_owned()))
}

#[test]
fn the_untouched_document_passes() {
    let Some((code, row, stderr)) = petstore("clean", &[]) else { return };
    assert_eq!(code, Some(0), "{row}\n{stderr}");
    assert!(row.contains("| lib, default & none | ok | 0 / 0 |"), "{row}");
    assert!(row.ends_with("| ok |"), "{row}");
    // The relative target directory was not taken relative to the generated crate (cargo
    // runs there): nothing but the crate was written beside it.
    let out = repo().join("target/corpus-tests/clean");
    let entries: Vec<String> = std::fs::read_dir(&out)
        .expect("the output directory exists")
        .map(|e| e.expect("readable entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["oai-petstore"], "in {}", out.display());
}

#[test]
fn a_type_error_in_the_generated_crate_fails_the_row() {
    let Some((code, row, stderr)) = petstore("type-error", &["--inject-type-error"]) else { return };
    assert_eq!(code, Some(1), "{row}\n{stderr}");
    // The one injected error, in each feature set.
    assert!(row.contains("| default: 1 error(s), none: 1 error(s) |"), "{row}");
    assert!(row.ends_with("| FAILED |"), "{row}");
    assert!(stderr.contains("expected `u8`, found `&str`"), "{stderr}");
}

#[test]
fn a_check_that_compiles_nothing_fails_the_row() {
    // `--examples` on a crate without examples: cargo succeeds, having compiled nothing.
    let Some((code, row, stderr)) = petstore("no-op", &["--inject-no-op"]) else { return };
    assert_eq!(code, Some(1), "{row}\n{stderr}");
    assert!(row.contains("| nothing, default & none | default: not compiled, none: not compiled |"), "{row}");
    assert!(row.ends_with("| FAILED |"), "{row}");
}
