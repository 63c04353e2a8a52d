//! Generates the GenAuth SDK from the spec into `OUT_DIR`; `src/lib.rs` includes it.

fn main() {
    if let Err(e) = genauth_codegen::Builder::new()
        .spec("../../specs/genauth-v3.yaml")
        .write_to_out_dir()
    {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
