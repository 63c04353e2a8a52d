//! Snapshots of the generated source: the GenAuth spec (the committed crate's files) and
//! every fixture spec (one file each). The fixture outputs are also committed under
//! `tests/output/src/`, where they compile as part of the workspace; this test checks
//! those copies are current. Regenerate them with `GENAUTH_UPDATE_FIXTURES=1 cargo test
//! -p genauth-tests --test snapshots`, then review with `cargo insta review`.

use genauth_codegen::{Builder, Layout};
use genauth_tests::{fixture_specs, repo_root};

fn single_file(spec: &std::path::Path, strict: bool) -> String {
    let generated = Builder::new()
        .spec(spec)
        .layout(Layout::SingleFile)
        .strict_responses(strict)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.files().len(), 1);
    generated.files()[0].1.clone()
}

#[test]
fn genauth_spec_snapshot() {
    let generated = Builder::new()
        .spec(repo_root().join("specs/genauth-v3.yaml"))
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings().is_empty(), "{:?}", generated.warnings());
    for (path, text) in generated.files() {
        let name = format!("genauth_v3__{}", path.to_string_lossy().replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn fixture_snapshots_and_compiled_copies() {
    let out_dir = repo_root().join("tests/output/src");
    let update = std::env::var_os("GENAUTH_UPDATE_FIXTURES").is_some();
    // Every fixture with the default options, plus one generated in strict mode.
    let mut fixtures: Vec<(String, std::path::PathBuf, bool)> = fixture_specs().into_iter().map(|(n, p)| (n, p, false)).collect();
    assert!(fixtures.len() >= 14, "expected the fixture specs, found {fixtures:?}");
    fixtures.push(("nullability_strict".to_owned(), repo_root().join("specs/fixtures/nullability.yaml"), true));
    let mut stale = Vec::new();
    for (name, spec, strict) in &fixtures {
        let text = single_file(spec, *strict);
        insta::assert_snapshot!(format!("fixture__{name}"), text);
        let copy = out_dir.join(format!("{name}.rs"));
        if update {
            std::fs::write(&copy, &text).unwrap();
        } else if std::fs::read_to_string(&copy).ok().as_deref() != Some(text.as_str()) {
            stale.push(copy.display().to_string());
        }
    }
    // The compiled crate's lib.rs lists exactly the fixture modules.
    let mut lib = String::from(
        "//! The generator's output for each fixture spec in `specs/fixtures/`, compiled as part\n\
         //! of the workspace. Written by `GENAUTH_UPDATE_FIXTURES=1 cargo test -p genauth-tests\n\
         //! --test snapshots`; checked by that test.\n\n",
    );
    for (name, _, _) in &fixtures {
        lib.push_str(&format!("pub mod {name};\n"));
    }
    let lib_path = out_dir.join("lib.rs");
    if update {
        std::fs::write(&lib_path, &lib).unwrap();
    } else if std::fs::read_to_string(&lib_path).ok().as_deref() != Some(lib.as_str()) {
        stale.push(lib_path.display().to_string());
    }
    assert!(
        stale.is_empty(),
        "stale compiled fixture output (rerun with GENAUTH_UPDATE_FIXTURES=1): {stale:?}"
    );
}
