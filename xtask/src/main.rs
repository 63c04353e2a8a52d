//! Project chores, run with `cargo run -p xtask -- <command>`.
//!
//! `corpus`: for every OpenAPI document in `../shared/specs-real` and `../shared/corpus`,
//! generate a crate, check it, round-trip the documents' schema examples through the
//! generated types, and print a table.
//!
//! ```text
//! cargo run -p xtask -- corpus                       # every document
//! cargo run -p xtask -- corpus --only stripe,github  # some of them
//! cargo run -p xtask -- corpus --shared DIR --out DIR --target-dir DIR
//! ```
//!
//! Each crate is checked twice, `cargo check --lib --message-format=json` with its default
//! features (every tag and `http`, plus `--example roundtrip` where there is a harness) and
//! with `--no-default-features`, all in one target directory, with the workspace's
//! `Cargo.lock`. A run counts only when cargo reports a `compiler-artifact` for the crate's
//! lib (and the example): a check that compiled nothing fails.
//!
//! It exits non-zero when any document fails to generate, fails to compile, compiles with
//! warnings, or has an example that does not survive the round trip. Two hidden flags break
//! things on purpose, for the tests that show the check can fail: `--inject-type-error`
//! (appends a line that does not type-check to each generated lib) and `--inject-no-op`
//! (checks with a target filter that matches nothing).
//!
//! `features`: each tag feature of a generated crate alone (`--no-default-features
//! --features <tag>`) compiles warning-free: the committed SDK in `generated/` and three
//! corpus documents with many tags; see `features.rs`.
//!
//! ```text
//! cargo run -p xtask -- features                        # generated/ and the three documents
//! cargo run -p xtask -- features --crate generated      # one crate
//! cargo run -p xtask -- features --doc box --only files,folders
//! ```
//!
//! `bench`: the generator's speed, memory and output size on the largest documents, and
//! (`--compare`) OpenAPI Generator's on the Authing document; see `bench.rs`.
//!
//! ```text
//! cargo run --release -p xtask -- bench              # generation table
//! cargo run --release -p xtask -- bench --compare    # plus OpenAPI Generator, build times
//! cargo run --release -p xtask -- bench --sdk        # plus the GenAuth SDK's build times
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use genauth_codegen::ir::{Ir, TypeKind, TypeRef};
use genauth_codegen::{Builder, RuntimeDependency};
use serde_json::Value;

mod bench;
mod features;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("corpus") => match corpus(&args[1..]) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Some("features") => match features::features(&args[1..]) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Some("bench") => match bench::bench(&args[1..]) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Some("bench-child") => match bench::child(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- corpus [--only NAME,...] [--shared DIR] [--out DIR] [--target-dir DIR] [--no-check]");
            eprintln!("       cargo run -p xtask -- features [--crate DIR]... [--doc NAME,...] [--only FEATURE,...] [--clippy] [--shared DIR] [--out DIR] [--target-dir DIR]");
            eprintln!("       cargo run --release -p xtask -- bench [--compare] [--sdk] [--sdk-feature NAME] [--runs N] [--tool-runs N] [--build-runs N] [--only NAME,...] [--shared DIR] [--out DIR]");
            ExitCode::from(2)
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One document of the corpus.
struct Doc {
    name: String,
    path: PathBuf,
    /// Round-trip its examples (the real Authing documents).
    examples: bool,
}

fn documents(shared: &Path) -> Result<Vec<Doc>, String> {
    let mut docs = Vec::new();
    let real = shared.join("specs-real");
    let mut real_files: Vec<PathBuf> = std::fs::read_dir(&real)
        .map_err(|e| format!("{}: {e}", real.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    real_files.sort();
    for p in real_files {
        let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        docs.push(Doc { name, path: p, examples: true });
    }
    let manifest = shared.join("corpus/MANIFEST.tsv");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if let (Some(name), Some(file)) = (cols.first(), cols.get(1)) {
            docs.push(Doc {
                name: (*name).to_owned(),
                path: shared.join("corpus").join(file),
                examples: false,
            });
        }
    }
    Ok(docs)
}

struct Row {
    name: String,
    version: String,
    operations: usize,
    types: usize,
    gen_warnings: usize,
    gen_ms: f64,
    lines: usize,
    /// What cargo compiled, as its `compiler-artifact` messages show (`lib+example, default & none`).
    compiled: String,
    check: String,
    /// rustc warnings, per feature set (`default / none`).
    rustc_warnings: String,
    /// Wall time of the `cargo check` runs.
    check_s: f64,
    /// Examples: passed, run, and left out because they contradict their own schema.
    examples: Option<(usize, usize, usize)>,
    ok: bool,
}

/// Deliberate breakage for the tests that show the check can fail (hidden flags).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inject {
    /// `--inject-type-error`: append a line that does not type-check to each generated lib.
    TypeError,
    /// `--inject-no-op`: check with the old `--examples` filter, under which cargo compiles
    /// nothing in a crate without examples.
    NoOp,
}

struct Options {
    check: bool,
    inject: Option<Inject>,
}

fn corpus(args: &[String]) -> Result<bool, String> {
    let mut shared = repo_root().join("../shared");
    let mut out = repo_root().join("target/corpus");
    let mut target: Option<PathBuf> = None;
    let mut only: Option<Vec<String>> = None;
    let mut options = Options { check: true, inject: None };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned();
        let switched = match args[i].as_str() {
            "--no-check" => {
                options.check = false;
                true
            }
            "--inject-type-error" => {
                options.inject = Some(Inject::TypeError);
                true
            }
            "--inject-no-op" => {
                options.inject = Some(Inject::NoOp);
                true
            }
            _ => false,
        };
        if switched {
            i += 1;
            continue;
        }
        match args[i].as_str() {
            "--shared" => shared = PathBuf::from(value.ok_or("--shared needs a directory")?),
            "--out" => out = PathBuf::from(value.ok_or("--out needs a directory")?),
            "--target-dir" => target = Some(PathBuf::from(value.ok_or("--target-dir needs a directory")?)),
            "--only" => only = Some(value.ok_or("--only needs names")?.split(',').map(str::to_owned).collect()),
            other => return Err(format!("unknown argument {other}")),
        }
        i += 2;
    }
    if !shared.is_dir() {
        eprintln!("note: {} does not exist (the corpus lives in ../shared beside the repository); skipped", shared.display());
        return Ok(true);
    }
    let shared = shared.canonicalize().map_err(|e| format!("{}: {e}", shared.display()))?;
    let mut docs = documents(&shared)?;
    if let Some(only) = &only {
        docs.retain(|d| only.iter().any(|o| o == &d.name));
        if docs.len() != only.len() {
            return Err(format!("unknown document in --only {only:?}"));
        }
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    // Canonical, so that cargo's manifest paths can be compared with ours component-wise.
    let out = out.canonicalize().map_err(|e| format!("{}: {e}", out.display()))?;
    // Absolute: cargo runs in each crate's directory and would read a relative one there.
    let target = match target {
        Some(t) if t.is_relative() => std::env::current_dir().map_err(|e| e.to_string())?.join(t),
        Some(t) => t,
        None => out.join("target"),
    };
    let runtime = repo_root().join("runtime");
    let start = Instant::now();
    let mut rows = Vec::new();
    for doc in &docs {
        eprintln!("== {}", doc.name);
        let row = run_one(doc, &out.join(&doc.name), &target, &runtime, &options);
        eprintln!(
            "   {}: {} ({:.0} s checking)",
            if row.ok { "ok" } else { "FAILED" },
            row.check,
            row.check_s
        );
        rows.push(row);
    }
    print_table(&rows);
    let failed: Vec<&str> = rows.iter().filter(|r| !r.ok).map(|r| r.name.as_str()).collect();
    println!();
    println!(
        "{} of {} documents passed in {:.0} s{}",
        rows.len() - failed.len(),
        rows.len(),
        start.elapsed().as_secs_f64(),
        if failed.is_empty() { String::new() } else { format!("; failed: {}", failed.join(", ")) }
    );
    Ok(failed.is_empty())
}

fn run_one(doc: &Doc, dir: &Path, target: &Path, runtime: &Path, options: &Options) -> Row {
    let mut row = Row {
        name: doc.name.clone(),
        version: openapi_version(&doc.path),
        operations: 0,
        types: 0,
        gen_warnings: 0,
        gen_ms: 0.0,
        lines: 0,
        compiled: "-".into(),
        check: "-".into(),
        rustc_warnings: "-".into(),
        check_s: 0.0,
        examples: None,
        ok: false,
    };
    let builder = corpus_builder(doc, runtime);
    let start = Instant::now();
    let generated = match builder.generate() {
        Ok(g) => g,
        Err(e) => {
            row.check = format!("generate failed: {e}");
            return row;
        }
    };
    if let Err(e) = generated.write_crate(dir) {
        row.check = format!("write failed: {e}");
        return row;
    }
    row.gen_ms = start.elapsed().as_secs_f64() * 1000.0;
    row.operations = generated.operation_count();
    row.types = generated.type_count();
    row.gen_warnings = generated.warnings().len();
    row.lines = generated.files().iter().map(|(_, s)| s.lines().count()).sum();
    for w in generated.warnings() {
        eprintln!("  {w}");
    }
    if options.inject == Some(Inject::TypeError) {
        let lib = dir.join("src/lib.rs");
        let appended = std::fs::read_to_string(&lib).and_then(|text| {
            std::fs::write(&lib, format!("{text}\n// Injected by `xtask corpus --inject-type-error`.\nconst _: u8 = \"not a number\";\n"))
        });
        if let Err(e) = appended {
            row.check = format!("inject failed: {e}");
            return row;
        }
    }
    let invalid;
    let cases = if doc.examples {
        let copied = std::fs::copy(&doc.path, dir.join(".spec.json")).map_err(|e| e.to_string());
        copied.and_then(|_| write_roundtrip_harness(&builder, dir))
    } else {
        Ok(Examples::default())
    };
    let cases = match cases {
        Ok(counts) => {
            invalid = counts.invalid;
            counts.cases
        }
        Err(e) => {
            row.check = format!("harness failed: {e}");
            return row;
        }
    };
    if !options.check {
        row.check = "not checked".into();
        row.ok = true;
        return row;
    }
    // The workspace's lock file: the same dependency versions for every document, and no
    // registry lookup (cargo drops the entries a crate does not need).
    if let Err(e) = std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")) {
        row.check = format!("cannot copy Cargo.lock: {e}");
        return row;
    }
    let check_start = Instant::now();
    let runs: Vec<CheckRun> = [Features::Default, Features::None]
        .into_iter()
        .map(|features| {
            // The round-trip harness names types of every tag: it needs the default features.
            let example = cases > 0 && features == Features::Default;
            let filter: &[&str] = match (options.inject, example) {
                (Some(Inject::NoOp), _) => &["--examples"],
                (_, true) => &["--lib", "--example", "roundtrip"],
                (_, false) => &["--lib"],
            };
            let mut run = cargo_check("check", dir, target, &features, filter);
            run.example_expected = example;
            let log = dir.join(format!("check-{}.log", features.label()));
            if let Err(e) = std::fs::write(&log, run.messages.join("\n")) {
                eprintln!("  cannot write {}: {e}", log.display());
            }
            for m in run.messages.iter().take(5) {
                eprintln!("  [{}] {m}", features.label());
            }
            run
        })
        .collect();
    row.check_s = check_start.elapsed().as_secs_f64();
    let judged = judge(&runs);
    row.compiled = judged.compiled;
    row.check = judged.check;
    row.rustc_warnings = judged.warnings;
    row.ok = judged.ok;
    if cases > 0 && row.ok {
        match run_roundtrip(dir, target) {
            Ok((passed, total)) => {
                row.examples = Some((passed, total, invalid));
                row.ok &= passed == total;
            }
            Err(e) => {
                row.check = format!("round trip failed to run: {e}");
                row.ok = false;
            }
        }
    }
    row
}

/// The generator set up for one corpus document: a crate named after it, on the
/// workspace's runtime.
fn corpus_builder(doc: &Doc, runtime: &Path) -> Builder {
    Builder::new()
        .spec(&doc.path)
        .crate_name(format!("corpus-{}", doc.name.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-")))
        .runtime_dependency(RuntimeDependency::Path(runtime.to_owned()))
}

fn openapi_version(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if text.trim_start().starts_with('{') {
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        return v["openapi"].as_str().unwrap_or("?").to_owned();
    }
    text.lines()
        .find_map(|l| l.strip_prefix("openapi:"))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_owned())
        .unwrap_or_else(|| "?".into())
}

/// The feature sets a generated crate is checked with: every crate with its defaults and
/// with none (`corpus`), and each tag alone (`features`).
#[derive(Clone, PartialEq, Eq, Debug)]
enum Features {
    /// The crate's defaults: every tag and `http`.
    Default,
    /// `--no-default-features`.
    None,
    /// `--no-default-features --features <this one>`.
    Only(String),
}

impl Features {
    fn label(&self) -> String {
        match self {
            Features::Default => "default".to_owned(),
            Features::None => "none".to_owned(),
            Features::Only(f) => f.clone(),
        }
    }
}

/// What one `cargo check` of a generated crate did, read from its JSON messages.
#[derive(Debug, Default)]
struct CheckRun {
    features: Option<Features>,
    /// cargo exited successfully.
    success: bool,
    /// A `compiler-artifact` for the crate's lib (fresh or rebuilt) was reported.
    lib: bool,
    /// The same for the `roundtrip` example.
    example: bool,
    /// This run checks the example too.
    example_expected: bool,
    /// rustc errors and warnings in the crate itself.
    errors: usize,
    warnings: usize,
    /// The rendered diagnostics, and cargo's stderr when it failed without one.
    messages: Vec<String>,
}

/// `cargo check` (or another subcommand that prints the same JSON messages, such as
/// `clippy`) in `dir` with the target `filter` (`--lib`, `--example roundtrip`).
fn cargo_check(subcommand: &str, dir: &Path, target: &Path, features: &Features, filter: &[&str]) -> CheckRun {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args([subcommand, "--message-format=json", "--quiet"])
        .args(filter)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // Each crate is checked once or twice and never edited: an incremental cache
        // would only cost time and disk (3.8 GB for the whole corpus).
        .env("CARGO_INCREMENTAL", "0");
    match features {
        Features::Default => {}
        Features::None => {
            command.arg("--no-default-features");
        }
        Features::Only(f) => {
            command.args(["--no-default-features", "--features", f]);
        }
    }
    let mut run = match command.output() {
        Ok(output) => {
            let mut run = read_cargo_json(&output.stdout, &dir.join("Cargo.toml"));
            run.success = output.status.success();
            if !run.success && run.errors == 0 {
                run.messages.push(String::from_utf8_lossy(&output.stderr).lines().take(10).collect::<Vec<_>>().join("\n  "));
            }
            run
        }
        Err(e) => CheckRun { messages: vec![format!("cargo could not be started: {e}")], ..CheckRun::default() },
    };
    run.features = Some(features.clone());
    run
}

/// Reads cargo's `--message-format=json` output for the package whose manifest is `manifest`.
fn read_cargo_json(stdout: &[u8], manifest: &Path) -> CheckRun {
    let mut run = CheckRun::default();
    for line in stdout.split(|b| *b == b'\n') {
        let Ok(v) = serde_json::from_slice::<Value>(line) else { continue };
        if v["manifest_path"].as_str().is_none_or(|m| Path::new(m) != manifest) {
            continue;
        }
        match v["reason"].as_str() {
            Some("compiler-artifact") => {
                let kinds = v["target"]["kind"].as_array().cloned().unwrap_or_default();
                let kind = |k: &str| kinds.iter().any(|x| x == k);
                run.lib |= kind("lib") || kind("rlib");
                run.example |= kind("example") && v["target"]["name"] == "roundtrip";
            }
            Some("compiler-message") => {
                let message = &v["message"];
                match message["level"].as_str() {
                    Some("error") => run.errors += 1,
                    Some("warning") => run.warnings += 1,
                    _ => continue,
                }
                if let Some(r) = message["rendered"].as_str() {
                    run.messages.push(r.trim_end().to_owned());
                }
            }
            _ => {}
        }
    }
    run
}

/// A row's verdict on its checks.
struct Judged {
    compiled: String,
    check: String,
    warnings: String,
    ok: bool,
}

/// A row passes only when every run succeeded, reported an artifact for the lib (and for
/// the example when there is one: a check that compiled nothing fails) and counted no
/// error and no warning.
fn judge(runs: &[CheckRun]) -> Judged {
    let what = |r: &CheckRun| match (r.lib, r.example) {
        (true, true) => "lib+example",
        (true, false) => "lib",
        (false, true) => "example only",
        (false, false) => "nothing",
    };
    let labels = |rs: &[&CheckRun]| rs.iter().filter_map(|r| r.features.as_ref()).map(Features::label).collect::<Vec<_>>().join(" & ");
    let compiled = match runs.first() {
        Some(first) if runs.iter().all(|r| what(r) == what(first)) => format!("{}, {}", what(first), labels(&runs.iter().collect::<Vec<_>>())),
        _ => runs.iter().map(|r| format!("{}, {}", what(r), labels(&[r]))).collect::<Vec<_>>().join("; "),
    };
    let complete = |r: &CheckRun| r.lib && (r.example || !r.example_expected);
    let ok = !runs.is_empty() && runs.iter().all(|r| r.success && complete(r) && r.errors == 0 && r.warnings == 0);
    let check = if ok {
        "ok".to_owned()
    } else {
        runs.iter()
            .map(|r| {
                let label = r.features.as_ref().map_or_else(|| "?".to_owned(), Features::label);
                match (r.errors, complete(r), r.success) {
                    (0, true, true) => format!("{label}: ok"),
                    (0, false, true) => format!("{label}: not compiled"),
                    (0, _, false) => format!("{label}: cargo failed"),
                    (n, _, _) => format!("{label}: {n} error(s)"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let warnings = runs.iter().map(|r| r.warnings.to_string()).collect::<Vec<_>>().join(" / ");
    Judged { compiled, check, warnings, ok }
}


/// Whether an example conforms to its schema as the generator read it: the right JSON
/// kinds, every required property present (and not `null` unless nullable), no
/// properties the schema does not declare. Examples that do not are mistakes in the
/// document (a strict validator flags many of them), not round-trip failures.
fn fits(ir: &Ir, t: &TypeRef, v: &Value) -> bool {
    match t {
        TypeRef::Bool => v.is_boolean(),
        TypeRef::Int(_) => v.is_i64() || v.is_u64(),
        TypeRef::F32 | TypeRef::F64 => v.is_number(),
        TypeRef::String => v.is_string(),
        TypeRef::Value => true,
        TypeRef::Vec(i) => v.as_array().is_some_and(|a| a.iter().all(|x| fits(ir, i, x))),
        TypeRef::Map(i) => v.as_object().is_some_and(|m| m.values().all(|x| fits(ir, i, x))),
        TypeRef::Option(i) => v.is_null() || fits(ir, i, v),
        TypeRef::Boxed(i) => fits(ir, i, v),
        TypeRef::Named(id) => match ir.get(*id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                let Some(obj) = v.as_object() else { return false };
                let declared = obj.keys().all(|k| s.additional.is_some() || s.fields.iter().any(|f| &f.wire == k));
                declared
                    && s.fields.iter().all(|f| match obj.get(&f.wire) {
                        None => !f.required,
                        Some(Value::Null) => f.nullable,
                        Some(x) => fits(ir, &f.ty, x),
                    })
            }
            Some(TypeKind::Enum(_)) => v.is_string(),
            Some(TypeKind::Alias(a)) => fits(ir, a, v),
            Some(TypeKind::Union(u)) => u.variants.iter().any(|var| fits(ir, &var.ty, v)),
            None => false,
        },
    }
}

/// Counts of the document's examples.
#[derive(Default)]
struct Examples {
    /// Examples written into the harness.
    cases: usize,
    /// Examples whose JSON shape contradicts their own schema.
    invalid: usize,
}

/// Writes `examples/roundtrip.rs` and its cases into the generated crate: every property
/// and parameter example of the document, keyed by the Rust type it belongs to.
fn write_roundtrip_harness(builder: &Builder, dir: &Path) -> Result<Examples, String> {
    let (ir, _) = builder.ir().map_err(|e| e.to_string())?;
    let spec = builder_spec_text(dir)?;
    let doc: Value = serde_json::from_str(&spec).map_err(|e| e.to_string())?;
    let mut cases = Vec::new();
    let mut types = std::collections::BTreeSet::new();
    let mut counts = Examples::default();
    let mut add = |ty: &TypeRef, value: &Value, pointer: String, types: &mut std::collections::BTreeSet<String>| {
        if !fits(&ir, ty, value) {
            counts.invalid += 1;
            return;
        }
        let rendered = ty.rust(&ir);
        types.insert(rendered.clone());
        cases.push(serde_json::json!({"type": rendered, "pointer": pointer, "value": value}));
    };
    // Property examples, through the struct fields they became.
    for t in &ir.types {
        let TypeKind::Struct(s) = &t.kind else { continue };
        let Some(schema) = doc.pointer(t.pointer.trim_start_matches('#')) else { continue };
        for f in &s.fields {
            let Some(example) = schema.get("properties").and_then(|p| p.get(&f.wire)).and_then(|p| p.get("example")) else {
                continue;
            };
            let pointer = format!("{}/properties/{}/example", t.pointer, f.wire);
            add(&f.ty, example, pointer, &mut types);
        }
    }
    // Parameter examples, through the parameter types.
    for op in &ir.operations {
        let params = op.params.iter().flat_map(|p| p.fields.iter()).chain(op.path_params.iter());
        for p in params {
            if let Some(example) = &p.example {
                add(&p.ty, example, format!("{}/parameters/{}/example", op.pointer, p.wire), &mut types);
            }
        }
    }
    counts.cases = cases.len();
    let examples = dir.join("examples");
    std::fs::create_dir_all(&examples).map_err(|e| e.to_string())?;
    std::fs::write(examples.join("cases.json"), Value::Array(cases).to_string()).map_err(|e| e.to_string())?;
    let arms: String = types
        .iter()
        .map(|t| format!("        {t:?} => round_trip::<{t}>(value),\n"))
        .collect();
    let harness = format!(
        r#"//! Written by `cargo run -p xtask -- corpus`: round-trips every example of the document.
#![allow(unused_imports)]
use {krate}::*;

/// Decode with the generated type, encode the way the SDK sends JSON.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(v: &serde_json::Value) -> Result<serde_json::Value, String> {{
    let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    {krate}::rt::to_json(&typed).map_err(|e| e.to_string())
}}

fn dispatch(name: &str, value: &serde_json::Value) -> Result<serde_json::Value, String> {{
    match name {{
{arms}        other => Err(format!("no type {{other}}")),
    }}
}}

fn main() {{
    let cases: Vec<serde_json::Value> = serde_json::from_str(include_str!("cases.json")).unwrap();
    let mut passed = 0;
    for case in &cases {{
        let name = case["type"].as_str().unwrap_or_default();
        let value = &case["value"];
        match dispatch(name, value) {{
            Ok(back) if &back == value => passed += 1,
            Ok(back) => println!("CHANGED {{}}: in {{}} out {{}}", case["pointer"], value, back),
            Err(e) => println!("FAILED {{}}: {{}}", case["pointer"], e),
        }}
    }}
    println!("ROUNDTRIP {{passed}}/{{}}", cases.len());
}}
"#,
        krate = ir_crate_ident(dir)
    );
    std::fs::write(examples.join("roundtrip.rs"), harness).map_err(|e| e.to_string())?;
    Ok(counts)
}

/// The spec text of the document being run (kept beside the crate by `run_one`).
fn builder_spec_text(dir: &Path) -> Result<String, String> {
    std::fs::read_to_string(dir.join(".spec.json")).map_err(|e| e.to_string())
}

/// The generated crate's library name (package name with `-` as `_`).
fn ir_crate_ident(dir: &Path) -> String {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .map(|n| n.trim_matches('"').replace('-', "_"))
        .unwrap_or_else(|| "genauth_sdk".into())
}

fn run_roundtrip(dir: &Path, target: &Path) -> Result<(usize, usize), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--example", "roundtrip"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines().filter(|l| !l.starts_with("ROUNDTRIP")).take(20) {
        eprintln!("  {line}");
    }
    let summary = stdout
        .lines()
        .find_map(|l| l.strip_prefix("ROUNDTRIP "))
        .ok_or_else(|| format!("no summary; stderr: {}", String::from_utf8_lossy(&output.stderr)))?;
    let (p, t) = summary.split_once('/').ok_or("bad summary")?;
    Ok((p.parse().map_err(|_| "bad count")?, t.parse().map_err(|_| "bad count")?))
}

fn print_table(rows: &[Row]) {
    println!("| spec | OpenAPI | operations | types | generator warnings | generation | lines | compiled | cargo check | rustc warnings (default / none) | check time | examples round-tripped | result |");
    println!("|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|");
    for r in rows {
        let examples = match r.examples {
            Some((p, t, 0)) => format!("{p}/{t}"),
            Some((p, t, bad)) => format!("{p}/{t} (+{bad} invalid in the spec)"),
            None => "-".into(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.0} ms | {} | {} | {} | {} | {:.0} s | {} | {} |",
            r.name,
            r.version,
            r.operations,
            r.types,
            r.gen_warnings,
            r.gen_ms,
            r.lines,
            r.compiled,
            r.check,
            r.rustc_warnings,
            r.check_s,
            examples,
            if r.ok { "ok" } else { "FAILED" }
        );
    }
}
