//! The fuzz targets' property, run for a bounded number of cases on stable Rust so CI
//! catches regressions without `cargo fuzz`: documents built from random bytes (the
//! `structured` target's builder), the fixture specs with random bytes changed (close to
//! the `bytes` target), and every input in `fuzz/regressions/` (each crashed once).
//!
//! The property (`fuzz/src/lib.rs`, shared with the fuzz targets): the generator returns
//! `Ok` or `Err` and never panics; every `Ok` output is non-empty Rust that `syn` parses,
//! and the same input gives the same bytes twice.

mod common;
use common::{repo};

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_support;

use std::path::PathBuf;

use arbitrary::Unstructured;
use proptest::prelude::*;

/// The fixture specs' texts, small ones only (mutating a big one mostly makes noise).
fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(repo().join("specs/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() > 10, "the fixture specs are missing");
    out
}

fn structured(bytes: &[u8]) -> bool {
    let mut u = Unstructured::new(bytes);
    let Ok(doc) = fuzz_support::document(&mut u) else { return false };
    let Ok((name, text)) = fuzz_support::render(&mut u, &doc) else { return false };
    fuzz_support::check(name, &text)
}

proptest! {
    // Few cases: this is a regression net for CI (a few seconds), not the fuzzing itself.
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_give_ok_or_err_and_ok_output_parses(bytes in proptest::collection::vec(any::<u8>(), 0..6000)) {
        structured(&bytes);
    }

    #[test]
    fn fixtures_with_bytes_changed_give_ok_or_err(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let fixtures = fixtures();
        let (name, text) = &fixtures[which.index(fixtures.len())];
        let mut bytes = text.clone().into_bytes();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => drop(bytes.remove(i)),
            }
        }
        if let Ok(text) = String::from_utf8(bytes) {
            fuzz_support::check(name, &text);
        }
    }
}

#[test]
fn most_generated_documents_are_accepted() {
    // The property test means little if the builder only made rejected documents.
    let mut accepted = 0;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..60 {
        let bytes: Vec<u8> = (0..4000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed.to_le_bytes()[0]
            })
            .collect();
        let ok = structured(&bytes);
        if !ok && std::env::var_os("SHOW_REJECTED").is_some() {
            let mut u = Unstructured::new(&bytes);
            if let Ok(doc) = fuzz_support::document(&mut u) {
                let text = serde_yaml::to_string(&doc).unwrap();
                eprintln!("REJECTED: {}", genauth_codegen::Builder::new().spec_source("x.yaml", text).generate().err().map(|e| e.to_string()).unwrap_or_default());
            }
        }
        accepted += usize::from(ok);
    }
    eprintln!("{accepted} of 60 generated documents were accepted");
    assert!(accepted >= 20, "only {accepted} of 60 generated documents were accepted");
}

#[test]
fn every_input_that_ever_crashed_the_fuzzers_is_handled() {
    let mut count = 0;
    for target in ["bytes", "structured"] {
        let dir = repo().join("fuzz/regressions").join(target);
        // No directory: that target never crashed.
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            eprintln!("replaying {}", file.display());
            match target {
                "bytes" => {
                    if let Some((name, text)) = fuzz_support::split_bytes(&data) {
                        fuzz_support::check(name, text);
                    }
                }
                _ => drop(structured(&data)),
            }
            count += 1;
        }
    }
    eprintln!("{count} regression input(s) replayed");
    assert!(count >= 1, "the regression corpus is missing");
}

/// Prints the document a `structured` fuzz input stands for:
/// `FUZZ_INPUT=fuzz/artifacts/structured/crash-... cargo test -p genauth-codegen --test fuzz_props -- --ignored --nocapture render`.
#[test]
#[ignore = "a tool for reading fuzzer findings"]
fn render_a_structured_input() {
    let Some(path) = std::env::var_os("FUZZ_INPUT") else { return };
    let bytes = std::fs::read(path).unwrap();
    let mut u = Unstructured::new(&bytes);
    let doc = fuzz_support::document(&mut u).unwrap();
    let (name, text) = fuzz_support::render(&mut u, &doc).unwrap();
    println!("{name}\n{text}");
}
