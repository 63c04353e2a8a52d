//! The committed SDK in `generated/` is exactly what the generator writes for
//! `specs/genauth-v3.yaml` (the `check` command, as a test).

use genauth_codegen::Builder;
use genauth_tests::repo_root;

#[test]
fn generated_crate_is_up_to_date() {
    let root = repo_root();
    let generated = Builder::new()
        .spec(root.join("specs/genauth-v3.yaml"))
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let report = generated.check_crate(root.join("generated")).unwrap();
    assert!(
        report.is_up_to_date(),
        "generated/ is stale; run `cargo run -p genauth-codegen -- generate`: {report:?}"
    );
}

#[test]
fn generated_counts() {
    let generated = Builder::new()
        .spec(repo_root().join("specs/genauth-v3.yaml"))
        .generate()
        .unwrap();
    // Every operation of GenAuth's SDKs (the method names are checked in real_specs.rs).
    assert_eq!(generated.operation_count(), 372);
    let types = generated.file("src/types.rs").unwrap();
    // One shared enum for userIdType, used by every DTO and query parameter that takes it.
    assert_eq!(types.matches("pub enum UserIdType ").count(), 1);
    assert!(!types.contains("UserIdType2"));
    let uses = types.matches("Option<UserIdType>").count()
        + generated.file("src/client.rs").unwrap().matches("Option<UserIdType>").count();
    assert_eq!(uses, 36, "userIdType appears 14 times in DTOs and 22 times as a query parameter");
}
