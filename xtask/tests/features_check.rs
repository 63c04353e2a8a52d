//! The per-feature check can fail: a type error behind one tag's feature fails that tag's
//! row only, an unused import behind another fails its row as a warning, and a check
//! under which cargo compiles nothing fails every row; the crate untouched passes. Run on
//! the generator's output for `specs/fixtures/ref-descriptions.yaml` (two tags, `widgets`
//! and `gadgets`), so it needs no `../shared`.

use std::path::{Path, PathBuf};
use std::process::Command;

use genauth_codegen::{Builder, RuntimeDependency};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("the repository exists")
}

/// Generates the fixture's crate under `target/features-tests/<name>`, appends `extra`
/// to its `src/lib.rs`, and runs `xtask features --crate` on it with `args`. Returns the
/// exit code and the table's rows (`feature`, whole row).
fn run(name: &str, extra: &str, args: &[&str]) -> (Option<i32>, Vec<(String, String)>, String) {
    let dir = repo().join("target/features-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    Builder::new()
        .spec(repo().join("specs/fixtures/ref-descriptions.yaml"))
        // A name of its own: cargo names a path crate's artifacts after its name and its
        // path within its workspace, the same for every one of these crates, and the
        // tests run at the same time.
        .crate_name(format!("features-check-{name}"))
        .runtime_dependency(RuntimeDependency::Path(repo().join("runtime")))
        .generate()
        .expect("the fixture generates")
        .write_crate(&dir)
        .expect("the crate is written");
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock copied");
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(&lib, format!("{text}{extra}")).expect("lib.rs written");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("features")
        .arg("--crate")
        .arg(&dir)
        .arg("--target-dir")
        .arg(repo().join("target/corpus/target"))
        .args(args)
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let rows = stdout
        .lines()
        .filter(|l| l.starts_with(&format!("| {name} | ")))
        .map(|l| (l.split(" | ").nth(1).unwrap_or_default().to_owned(), l.to_owned()))
        .collect();
    (output.status.code(), rows, format!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)))
}

fn row<'a>(rows: &'a [(String, String)], feature: &str) -> &'a str {
    rows.iter().find(|(f, _)| f == feature).map(|(_, r)| r.as_str()).unwrap_or_else(|| panic!("no {feature} row in {rows:?}"))
}

#[test]
fn every_tag_alone_passes_untouched() {
    let (code, rows, output) = run("clean", "", &[]);
    assert_eq!(code, Some(0), "{output}");
    assert_eq!(rows.len(), 2, "{output}");
    assert!(row(&rows, "gadgets").contains("| lib, gadgets | ok | 0 |"), "{output}");
    assert!(row(&rows, "widgets").ends_with("| ok |"), "{output}");
}

#[test]
fn a_broken_gate_fails_the_row_of_its_feature_only() {
    let extra = "\n#[cfg(feature = \"gadgets\")]\nconst _: u8 = \"not a number\";\n\
                 #[cfg(feature = \"widgets\")]\nuse std::collections::HashMap;\n";
    let (code, rows, output) = run("broken", extra, &[]);
    assert_eq!(code, Some(1), "{output}");
    let gadgets = row(&rows, "gadgets");
    assert!(gadgets.contains("| gadgets: 1 error(s) |") && gadgets.ends_with("| FAILED |"), "{output}");
    // A warning fails a row too.
    let widgets = row(&rows, "widgets");
    assert!(widgets.contains("| 1 |") && widgets.ends_with("| FAILED |"), "{output}");
    assert!(output.contains("unused import: `std::collections::HashMap`"), "{output}");
    // `--only` checks just the feature named.
    let (code, rows, output) = run("broken-only", extra, &["--only", "gadgets"]);
    assert_eq!((code, rows.len()), (Some(1), 1), "{output}");
}

#[test]
fn a_check_that_compiles_nothing_fails_every_row() {
    let (code, rows, output) = run("no-op", "", &["--inject-no-op"]);
    assert_eq!(code, Some(1), "{output}");
    for feature in ["gadgets", "widgets"] {
        assert!(row(&rows, feature).contains(&format!("| nothing, {feature} | {feature}: not compiled |")), "{output}");
    }
}
