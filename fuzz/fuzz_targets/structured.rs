//! OpenAPI-shaped documents built from the fuzzer's bytes (hostile names, every schema
//! construct, some garbage), rendered as JSON or YAML, through load → IR → emit.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(doc) = genauth_codegen_fuzz::document(&mut u) else { return };
    let Ok((name, text)) = genauth_codegen_fuzz::render(&mut u, &doc) else { return };
    genauth_codegen_fuzz::check(name, &text);
});
