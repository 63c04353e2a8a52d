//! `specs/fixtures/invalid/`: one mistake per file, each with a snapshot of the exact
//! message a user sees (`error: ...`, as the CLI prints it). Files whose mistake is only
//! a warning are generated with `--deny-warnings`; their snapshot also shows the warning
//! as printed without it. File names in messages are relative to the repository root.

use genauth_codegen::{Builder, Error};
use genauth_tests::repo_root;

#[test]
fn every_invalid_spec_fails_with_its_message() {
    let dir = repo_root().join("specs/fixtures/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 15, "expected the invalid specs, found {files:?}");
    let root = format!("{}/", repo_root().display());
    let relative = |text: String| text.replace(&root, "");
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().replace('-', "_");
        let e = match Builder::new().spec(&path).deny_warnings(true).generate() {
            Ok(_) => panic!("{} generated", path.display()),
            Err(e) => e,
        };
        assert!(!matches!(e, Error::Internal { .. } | Error::Panic { .. }), "{}: a bug, not an input error: {e}", path.display());
        let mut text = format!("error: {}\n", relative(e.to_string()));
        if matches!(e, Error::DeniedWarnings { .. }) {
            let generated = Builder::new().spec(&path).generate().unwrap_or_else(|e| panic!("{e}"));
            text.push_str("\nwithout --deny-warnings:\n");
            for w in generated.warnings() {
                text.push_str(&format!("{}\n", relative(w.to_string())));
            }
        } else {
            let message = relative(e.to_string());
            assert!(message.starts_with(&format!("specs/fixtures/invalid/{}", path.file_name().unwrap().to_string_lossy())), "{message}");
        }
        insta::assert_snapshot!(format!("invalid__{name}"), text);
    }
}
