//! Arbitrary bytes through load → IR → emit. The first byte picks JSON or YAML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((name, text)) = genauth_codegen_fuzz::split_bytes(data) {
        genauth_codegen_fuzz::check(name, text);
    }
});
