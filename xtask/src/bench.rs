//! `cargo run --release -p xtask -- bench`: how fast the generator is, how much memory it
//! takes, how much code it writes, and (with `--compare`) how that code builds next to
//! OpenAPI Generator's for the same document.
//!
//! For each document (the real Authing management document, Stripe and GitHub from
//! `../shared`), the generator runs in this process `--runs` times after one warm-up run.
//! Each run also times the bare parse of the same file into `serde_json::Value` (or
//! `serde_yaml::Value`), so the ratio of the two is measured under the same machine load.
//! Peak memory is the peak resident set (`VmHWM`) of a child process (this binary, `xtask
//! bench-child`) that runs the generator once and writes the crate.
//!
//! Our own description (`specs/genauth-v3.yaml` and its 24 module files, in this
//! repository) is the fourth document: its "read" and "parse" include finding and reading
//! every module file the root's `$ref`s name.
//!
//! `--sdk` times the crate-only debug build of the GenAuth SDK generated from that
//! description: with its default features (every module and `http`) and with one module
//! alone (`--no-default-features --features users`, or `--sdk-feature NAME`), from scratch
//! and incrementally, the way `--compare` times the Authing crates.
//!
//! `--compare` adds, for the Authing document: OpenAPI Generator (`-g rust`, from PyPI's
//! `openapi-generator-cli`, installed into a venv under the output directory; it needs
//! `python3` and `java`) run `--tool-runs` times, its line count, and the crate-only debug
//! build of both outputs: dependencies are built first, then `src/lib.rs` is touched and
//! `cargo build` timed, `--build-runs` times. It also times the example build script
//! (`examples/build-script`) on the GenAuth spec and checks that a no-op `cargo build` does
//! not run it again.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use genauth_codegen::{Builder, RuntimeDependency, Timings};

/// The pinned OpenAPI Generator release the comparison installs.
const OPENAPI_GENERATOR: &str = "openapi-generator-cli==7.26.0";

struct Options {
    shared: PathBuf,
    out: PathBuf,
    runs: usize,
    only: Option<Vec<String>>,
    compare: bool,
    tool_runs: usize,
    build_runs: usize,
    sdk: bool,
    sdk_feature: String,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        shared: crate::repo_root().join("../shared"),
        out: crate::repo_root().join("target/bench"),
        runs: 10,
        only: None,
        compare: false,
        tool_runs: 3,
        build_runs: 3,
        sdk: false,
        sdk_feature: "users".to_owned(),
    };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned();
        let number = |v: Option<String>, flag: &str| -> Result<usize, String> {
            v.and_then(|v| v.parse().ok()).filter(|n| *n > 0).ok_or_else(|| format!("{flag} needs a positive number"))
        };
        match args[i].as_str() {
            "--shared" => o.shared = PathBuf::from(value.ok_or("--shared needs a directory")?),
            "--out" => o.out = PathBuf::from(value.ok_or("--out needs a directory")?),
            "--runs" => o.runs = number(value, "--runs")?,
            "--tool-runs" => o.tool_runs = number(value, "--tool-runs")?,
            "--build-runs" => o.build_runs = number(value, "--build-runs")?,
            "--sdk-feature" => o.sdk_feature = value.ok_or("--sdk-feature needs a feature name")?,
            "--only" => o.only = Some(value.ok_or("--only needs names")?.split(',').map(str::to_owned).collect()),
            "--compare" | "--sdk" => {
                if args[i] == "--compare" {
                    o.compare = true;
                } else {
                    o.sdk = true;
                }
                i += 1;
                continue;
            }
            other => return Err(format!("unknown argument {other}")),
        }
        i += 2;
    }
    Ok(o)
}

/// The benchmarked documents from `../shared`: (name, path under it).
const DOCUMENTS: &[(&str, &str)] = &[
    ("authing-management", "specs-real/authing-management-openapi.json"),
    ("stripe", "corpus/stripe.yaml"),
    ("github", "corpus/github.json"),
];

/// Our own description, in this repository (path from the repository root).
const OURS: (&str, &str) = ("genauth-v3", "specs/genauth-v3.yaml");

/// One document's measurements.
struct DocResult {
    name: String,
    doc_bytes: u64,
    /// How many files the document is made of (1 unless it is split).
    doc_files: usize,
    yaml: bool,
    /// Per phase, every run (read, parse, resolve, deserialize, lower, emit, format, write).
    phases: Vec<[Duration; 8]>,
    totals: Vec<Duration>,
    bare: Vec<Duration>,
    peak_rss: Option<u64>,
    child_wall: Option<Duration>,
    files: usize,
    lines: usize,
    bytes: usize,
    operations: usize,
    types: usize,
}

const PHASES: [&str; 8] = ["read", "parse", "resolve + normalize", "typed model", "IR", "emit tokens", "format", "write"];

pub fn bench(args: &[String]) -> Result<bool, String> {
    let o = parse_args(args)?;
    if !o.shared.is_dir() {
        return Err(format!("{} does not exist; the documents live in ../shared beside the repository", o.shared.display()));
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build; run `cargo run --release -p xtask -- bench` for meaningful numbers");
    }
    std::fs::create_dir_all(&o.out).map_err(|e| format!("{}: {e}", o.out.display()))?;
    let out = o.out.canonicalize().map_err(|e| format!("{}: {e}", o.out.display()))?;
    let mut docs: Vec<(&str, PathBuf)> = DOCUMENTS.iter().map(|(n, p)| (*n, o.shared.join(p))).collect();
    docs.push((OURS.0, crate::repo_root().join(OURS.1)));
    if let Some(only) = &o.only {
        docs.retain(|(n, _)| only.iter().any(|x| x == n));
        if docs.len() != only.len() {
            return Err(format!("unknown document in --only {only:?}; known: authing-management, stripe, github, genauth-v3"));
        }
    }
    let mut results = Vec::new();
    for (name, path) in &docs {
        eprintln!("== {name}: {} runs", o.runs);
        results.push(bench_document(name, path, &out, o.runs)?);
    }
    print_generation_table(&results);

    let mut ok = true;
    let mut comparison = None;
    if o.compare {
        let authing = o.shared.join(DOCUMENTS[0].1);
        comparison = Some(compare(&authing, &out, &o)?);
    }
    if let Some(c) = &comparison {
        print_comparison(c, results.iter().find(|r| r.name == "authing-management"));
    }
    if o.sdk {
        let sdk = sdk_builds(&out, &o)?;
        print_sdk_builds(&sdk, results.iter().find(|r| r.name == OURS.0));
    }
    println!();
    println!("Targets");
    for r in &results {
        let total = median(&r.totals);
        let ratio = total.as_secs_f64() / median(&r.bare).as_secs_f64();
        ok &= target(&format!("{}: total ≤ 10× bare parse", r.name), ratio <= 10.0, format!("{ratio:.1}×"));
        if let Some(peak) = r.peak_rss {
            let x = peak as f64 / r.doc_bytes as f64;
            ok &= target(&format!("{}: peak memory ≤ 20× document size", r.name), x <= 20.0, format!("{x:.1}× ({} MB)", mb(peak)));
        }
        if r.name == "authing-management" {
            ok &= target("authing-management: end to end ≤ 0.3 s", total.as_secs_f64() <= 0.3, format!("{:.0} ms", ms(total)));
        }
    }
    if let (Some(c), Some(a)) = (&comparison, results.iter().find(|r| r.name == "authing-management")) {
        let speedup = median(&c.tool_times).as_secs_f64() / median(&a.totals).as_secs_f64();
        ok &= target("authing-management: ≥ 20× faster than OpenAPI Generator", speedup >= 20.0, format!("{speedup:.0}×"));
        let share = a.lines as f64 / c.tool_lines as f64;
        ok &= target("authing-management: ≤ 40% of OpenAPI Generator's lines", share <= 0.4, format!("{:.0}%", share * 100.0));
        if let (Some(ours), Some(theirs)) = (c.ours_build, c.tool_build) {
            for (what, o, t) in [
                ("from scratch", ours.crate_only, theirs.crate_only),
                ("incremental after touch", ours.incremental, theirs.incremental),
            ] {
                let share = o.as_secs_f64() / t.as_secs_f64();
                ok &= target(
                    &format!("authing-management: crate-only debug build ({what}) ≤ half of OpenAPI Generator's"),
                    share <= 0.5,
                    format!("{:.1} s vs {:.1} s ({:.0}%)", o.as_secs_f64(), t.as_secs_f64(), share * 100.0),
                );
            }
        }
        if let Some(b) = &c.build_script {
            ok &= target(
                "build.rs: the GenAuth spec's build script runs in < 0.5 s",
                b.script.as_secs_f64() < 0.5,
                format!("{:.0} ms", ms(b.script)),
            );
            ok &= target("build.rs: a no-op rebuild does not run the build script", !b.noop_reran, format!("{:.2} s", b.noop.as_secs_f64()));
        }
    }
    Ok(ok)
}

fn target(what: &str, met: bool, value: String) -> bool {
    println!("- [{}] {what}: {value}", if met { "x" } else { " " });
    met
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}

fn median(xs: &[Duration]) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

fn builder(spec: &Path, name: &str) -> Builder {
    Builder::new()
        .spec(spec)
        .crate_name(format!("bench-{name}"))
        .runtime_dependency(RuntimeDependency::Path(crate::repo_root().join("runtime")))
}

/// The files a document is made of: the file itself and, for a description split into
/// a root and module files (`specs/genauth-v3.yaml` and `specs/genauth-v3/`), every
/// YAML or JSON file in the folder named like the root.
fn document_files(path: &Path) -> Vec<PathBuf> {
    let mut files = vec![path.to_owned()];
    let folder = path.with_extension("");
    if let Ok(entries) = std::fs::read_dir(&folder) {
        let mut modules: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
            .collect();
        modules.sort();
        files.extend(modules);
    }
    files
}

/// The bare parse the generator's total is compared with: read every file of the document
/// and parse it into a generic value (freeing the values is not timed).
fn bare_parse(files: &[PathBuf]) -> Result<Duration, String> {
    let mut elapsed = Duration::ZERO;
    for path in files {
        let start = Instant::now();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if path.extension().is_some_and(|e| e == "json") {
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            elapsed += start.elapsed();
            drop(v);
        } else {
            let v: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            elapsed += start.elapsed();
            drop(v);
        }
    }
    Ok(elapsed)
}

fn bench_document(name: &str, path: &Path, out: &Path, runs: usize) -> Result<DocResult, String> {
    let files = document_files(path);
    let mut doc_bytes = 0;
    for f in &files {
        doc_bytes += std::fs::metadata(f).map_err(|e| format!("{}: {e}", f.display()))?.len();
    }
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let dir = out.join("gen").join(name);
    let builder = builder(path, name);
    let mut r = DocResult {
        name: name.to_owned(),
        doc_bytes,
        doc_files: files.len(),
        yaml,
        phases: Vec::new(),
        totals: Vec::new(),
        bare: Vec::new(),
        peak_rss: None,
        child_wall: None,
        files: 0,
        lines: 0,
        bytes: 0,
        operations: 0,
        types: 0,
    };
    // One warm-up run (page cache, allocator), then bare parse and generation alternate so
    // both see the same machine load.
    for i in 0..=runs {
        let bare = bare_parse(&files)?;
        let _ = std::fs::remove_dir_all(&dir);
        let start = Instant::now();
        let (generated, t) = builder.generate_with_timings().map_err(|e| e.to_string())?;
        let write_start = Instant::now();
        generated.write_crate(&dir).map_err(|e| e.to_string())?;
        let write = write_start.elapsed();
        let total = start.elapsed();
        if i == 0 {
            let sources = generated.files();
            r.files = sources.len();
            r.lines = sources.iter().map(|(_, s)| s.lines().count()).sum();
            r.bytes = sources.iter().map(|(_, s)| s.len()).sum();
            r.operations = generated.operation_count();
            r.types = generated.type_count();
            continue;
        }
        let Timings {
            read,
            parse,
            resolve,
            deserialize,
            lower,
            emit,
            format,
        } = t;
        r.phases.push([read, parse, resolve, deserialize, lower, emit, format, write]);
        r.totals.push(total);
        r.bare.push(bare);
    }
    // Peak memory, in a fresh process per run.
    let mut peaks = Vec::new();
    let mut walls = Vec::new();
    for _ in 0..3 {
        let child_dir = out.join("gen").join(format!("{name}-child"));
        let _ = std::fs::remove_dir_all(&child_dir);
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let start = Instant::now();
        let output = Command::new(exe)
            .arg("bench-child")
            .arg(path)
            .arg(&child_dir)
            .arg(name)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| e.to_string())?;
        walls.push(start.elapsed());
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(format!("bench-child failed for {name}: {stdout}"));
        }
        if let Some(kb) = stdout.lines().find_map(|l| l.strip_prefix("VmHWM_KB ")).and_then(|v| v.trim().parse::<u64>().ok()) {
            peaks.push(kb * 1024);
        }
    }
    peaks.sort();
    r.peak_rss = peaks.get(peaks.len() / 2).copied();
    r.child_wall = Some(median(&walls));
    Ok(r)
}

/// `xtask bench-child SPEC DIR NAME`: generate and write once, then print this process's
/// peak resident set.
pub fn child(args: &[String]) -> Result<(), String> {
    let [spec, dir, name] = args else { return Err("usage: xtask bench-child SPEC DIR NAME".into()) };
    let generated = builder(Path::new(spec), name).generate().map_err(|e| e.to_string())?;
    generated.write_crate(dir).map_err(|e| e.to_string())?;
    drop(generated);
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .ok_or("no VmHWM in /proc/self/status")?;
    println!("VmHWM_KB {hwm}");
    Ok(())
}

fn print_generation_table(results: &[DocResult]) {
    println!();
    println!("Generation (release build, in-process; medians; milliseconds unless noted)");
    println!();
    let mut header = String::from("| document | size |");
    let mut rule = String::from("|---|---:|");
    for p in PHASES {
        header.push_str(&format!(" {p} |"));
        rule.push_str("---:|");
    }
    header.push_str(" total | bare parse | total / bare | peak RSS | peak / size | operations | types | lines | bytes |");
    rule.push_str("---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!("{header}");
    println!("{rule}");
    for r in results {
        let split = if r.doc_files > 1 { format!(", {} files", r.doc_files) } else { String::new() };
        let mut row = format!("| {} | {} MB {}{split} |", r.name, mb(r.doc_bytes), if r.yaml { "YAML" } else { "JSON" });
        for i in 0..PHASES.len() {
            let xs: Vec<Duration> = r.phases.iter().map(|p| p[i]).collect();
            row.push_str(&format!(" {:.1} |", ms(median(&xs))));
        }
        let total = median(&r.totals);
        let bare = median(&r.bare);
        let peak = r.peak_rss.map(|p| format!("{} MB", mb(p))).unwrap_or_else(|| "-".into());
        let peak_ratio = r.peak_rss.map(|p| format!("{:.1}×", p as f64 / r.doc_bytes as f64)).unwrap_or_else(|| "-".into());
        row.push_str(&format!(
            " **{:.0}** | {:.1} | {:.1}× | {peak} | {peak_ratio} | {} | {} | {} | {} |",
            ms(total),
            ms(bare),
            total.as_secs_f64() / bare.as_secs_f64(),
            r.operations,
            r.types,
            r.lines,
            r.bytes
        ));
        println!("{row}");
    }
    for r in results {
        if let Some(w) = r.child_wall {
            println!("- {}: as a fresh process (start, generate, write, exit): {:.0} ms", r.name, ms(w));
        }
    }
}

// ----- the comparison ------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Build {
    /// Building the crate's dependencies (once; cold unless the target directory had them).
    deps: Duration,
    /// Median of compiling only the crate from scratch (`CARGO_INCREMENTAL=0`, after
    /// `touch src/lib.rs`): what a crate depending on the SDK pays.
    crate_only: Duration,
    /// Median of an incremental rebuild of the crate after `touch src/lib.rs`.
    incremental: Duration,
}

struct BuildScript {
    /// Median time of one run of the compiled build script (debug build, as cargo runs it).
    script: Duration,
    /// Wall time of `cargo build` with nothing changed.
    noop: Duration,
    /// Whether that no-op build ran the build script.
    noop_reran: bool,
}

struct Comparison {
    tool_version: String,
    tool_times: Vec<Duration>,
    tool_peak: Option<u64>,
    tool_lines: usize,
    tool_files: usize,
    tool_bytes: usize,
    ours_build: Option<Build>,
    tool_build: Option<Build>,
    ours_feature_build: Option<(String, Build)>,
    build_script: Option<BuildScript>,
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn compare(authing: &Path, out: &Path, o: &Options) -> Result<Comparison, String> {
    let cli = install_openapi_generator(out)?;
    let version = Command::new(&cli)
        .arg("version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    eprintln!("== OpenAPI Generator {version}: {} runs on {}", o.tool_runs, authing.display());
    let tool_dir = out.join("openapi-generator/out");
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..o.tool_runs {
        let _ = std::fs::remove_dir_all(&tool_dir);
        let mut cmd = Command::new(&cli);
        cmd.args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
            .arg(authing)
            .arg("-o")
            .arg(&tool_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (status, wall, peak) = run_measured(cmd)?;
        if !status {
            return Err("OpenAPI Generator failed; run it by hand to see why".into());
        }
        times.push(wall);
        peaks.push(peak);
    }
    peaks.sort();
    let (tool_files, tool_lines, tool_bytes) = count_rust(&tool_dir);

    // Builds: both crates share one target directory, so common dependencies build once.
    let target = out.join("build-target");
    let ours_dir = out.join("sdk-authing");
    let generated = builder(authing, "authing-management").crate_name("bench-sdk-authing").generate().map_err(|e| e.to_string())?;
    generated.write_crate(&ours_dir).map_err(|e| e.to_string())?;
    // OpenAPI Generator writes no `[workspace]`: make it a workspace of its own.
    let manifest = tool_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    eprintln!("== crate-only debug builds, {} runs each", o.build_runs);
    let ours_build = measure_build(&ours_dir, &target, &[], o.build_runs).map_err(|e| eprintln!("  ours: {e}")).ok();
    let tool_build = measure_build(&tool_dir, &target, &[], o.build_runs).map_err(|e| eprintln!("  OpenAPI Generator: {e}")).ok();
    let feature = first_feature(&ours_dir);
    let ours_feature_build = feature.and_then(|f| {
        let args = ["--no-default-features".to_owned(), "--features".to_owned(), f.clone()];
        measure_build(&ours_dir, &target, &args, o.build_runs).map_err(|e| eprintln!("  ours, feature {f}: {e}")).ok().map(|b| (f, b))
    });
    let build_script = measure_build_script().map_err(|e| eprintln!("  build script: {e}")).ok();
    Ok(Comparison {
        tool_version: version,
        tool_times: times,
        tool_peak: peaks.get(peaks.len() / 2).copied().flatten(),
        tool_lines,
        tool_files,
        tool_bytes,
        ours_build,
        tool_build,
        ours_feature_build,
        build_script,
    })
}

// ----- the GenAuth SDK's own build ------------------------------------------------------

struct SdkBuilds {
    feature: String,
    lines: usize,
    all: Build,
    one: Build,
}

/// Generates the GenAuth SDK from our description into `out/sdk-genauth` (a crate of its
/// own, outside the workspace) and times its crate-only builds: default features, then one
/// module alone.
fn sdk_builds(out: &Path, o: &Options) -> Result<SdkBuilds, String> {
    let spec = crate::repo_root().join(OURS.1);
    let dir = out.join("sdk-genauth");
    let generated = builder(&spec, OURS.0).crate_name("bench-sdk-genauth").generate().map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    generated.write_crate(&dir).map_err(|e| e.to_string())?;
    let lines = generated.files().iter().map(|(_, s)| s.lines().count()).sum();
    if !tag_features(&dir).contains(&o.sdk_feature) {
        return Err(format!("the GenAuth SDK has no feature `{}` (see its Cargo.toml in {})", o.sdk_feature, dir.display()));
    }
    let target = out.join("build-target");
    eprintln!("== GenAuth SDK: crate-only debug builds, {} runs each", o.build_runs);
    let all = measure_build(&dir, &target, &[], o.build_runs)?;
    let args = ["--no-default-features".to_owned(), "--features".to_owned(), o.sdk_feature.clone()];
    let one = measure_build(&dir, &target, &args, o.build_runs)?;
    Ok(SdkBuilds {
        feature: o.sdk_feature.clone(),
        lines,
        all,
        one,
    })
}

fn print_sdk_builds(s: &SdkBuilds, gen: Option<&DocResult>) {
    println!();
    println!("GenAuth SDK from specs/genauth-v3.yaml ({} lines of Rust; debug builds, medians)", s.lines);
    println!();
    if let Some(r) = gen {
        println!(
            "Generation of the split description: {:.0} ms in-process (median), {:.0} ms as a process",
            ms(median(&r.totals)),
            r.child_wall.map(ms).unwrap_or(0.0)
        );
        println!();
    }
    println!("| features | crate-only, from scratch (`CARGO_INCREMENTAL=0`) | incremental after `touch src/lib.rs` | first build, dependencies included |");
    println!("|---|---:|---:|---:|");
    for (what, b) in [("default (every module, `http`)".to_owned(), s.all), (format!("`--no-default-features --features {}`", s.feature), s.one)] {
        println!(
            "| {what} | {:.1} s | {:.1} s | {:.1} s |",
            b.crate_only.as_secs_f64(),
            b.incremental.as_secs_f64(),
            b.deps.as_secs_f64()
        );
    }
}

/// The venv's `openapi-generator-cli`, installed from PyPI when missing.
fn install_openapi_generator(out: &Path) -> Result<PathBuf, String> {
    let venv = out.join("openapi-generator/venv");
    let cli = venv.join("bin/openapi-generator-cli");
    if cli.is_file() {
        return Ok(cli);
    }
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("OpenAPI Generator needs `java` (17 or newer) on PATH".into());
    }
    eprintln!("== installing {OPENAPI_GENERATOR} into {}", venv.display());
    let ok = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", OPENAPI_GENERATOR])
            .status()
            .is_ok_and(|s| s.success());
    if !ok || !cli.is_file() {
        return Err(format!("could not install {OPENAPI_GENERATOR} (needs python3 with venv and PyPI)"));
    }
    Ok(cli)
}

/// Runs `cmd` to completion; returns (success, wall time, peak resident set of the process
/// and its descendants, in bytes).
fn run_measured(mut cmd: Command) -> Result<(bool, Duration, Option<u64>), String> {
    let start = Instant::now();
    let child = cmd.spawn().map_err(|e| e.to_string())?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data that `wait4` fills in; `status` likewise. The
    // child is reaped here, so `child` is never waited on again (dropping it does not wait).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    drop(child);
    if rc != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports `ru_maxrss` in kilobytes; it covers the process and the descendants it
    // waited for (the JVM under the Python launcher).
    Ok((ok, wall, Some(usage.ru_maxrss as u64 * 1024)))
}

/// (files, lines, bytes) of the `.rs` files under `dir`.
fn count_rust(dir: &Path) -> (usize, usize, usize) {
    let mut stack = vec![dir.to_owned()];
    let (mut files, mut lines, mut bytes) = (0, 0, 0);
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    files += 1;
                    lines += text.lines().count();
                    bytes += text.len();
                }
            }
        }
    }
    (files, lines, bytes)
}

/// Builds the crate at `dir` (dependencies included), then times rebuilding only the
/// crate after touching `src/lib.rs`.
fn measure_build(dir: &Path, target: &Path, args: &[String], runs: usize) -> Result<Build, String> {
    let build = |incremental: bool| -> Result<Duration, String> {
        let start = Instant::now();
        let out = cargo()
            .arg("build")
            .arg("--quiet")
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
            .env_remove("RUSTFLAGS")
            .stdout(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(format!("cargo build failed in {}:\n{}", dir.display(), err.lines().take(20).collect::<Vec<_>>().join("\n")));
        }
        Ok(start.elapsed())
    };
    eprintln!("  {} {}", dir.display(), args.join(" "));
    let deps = build(false)?;
    let mut full = Vec::new();
    for _ in 0..runs {
        touch(&dir.join("src/lib.rs"))?;
        full.push(build(false)?);
    }
    build(true)?;
    let mut incremental = Vec::new();
    for _ in 0..runs {
        touch(&dir.join("src/lib.rs"))?;
        incremental.push(build(true)?);
    }
    Ok(Build {
        deps,
        crate_only: median(&full),
        incremental: median(&incremental),
    })
}

fn touch(path: &Path) -> Result<(), String> {
    let f = std::fs::File::options().append(true).open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.set_modified(std::time::SystemTime::now()).map_err(|e| format!("{}: {e}", path.display()))
}

/// The tag features of a generated crate's `Cargo.toml` (all but `default` and `http`),
/// in the order it lists them.
fn tag_features(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { return Vec::new() };
    let Some(features) = text.split("[features]").nth(1) else { return Vec::new() };
    features
        .lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.is_empty() && k != "default" && k != "http")
        .collect()
}

/// The first tag feature of a generated crate, for a one-feature build.
fn first_feature(dir: &Path) -> Option<String> {
    tag_features(dir).into_iter().next()
}

/// Times the example build script on the GenAuth spec, and checks a no-op rebuild skips it.
fn measure_build_script() -> Result<BuildScript, String> {
    let repo = crate::repo_root();
    let package = "genauth-example-build-script";
    eprintln!("== build script ({package})");
    let out = cargo()
        .args(["build", "-p", package, "--message-format=json"])
        .current_dir(&repo)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("cargo build -p {package} failed"));
    }
    // The compiled build script, from cargo's artifact messages.
    let script = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["reason"] == "compiler-artifact" && v["target"]["kind"][0] == "custom-build")
        .filter(|v| v["package_id"].as_str().is_some_and(|id| id.contains("build-script")))
        .find_map(|v| v["executable"].as_str().map(PathBuf::from).or_else(|| v["filenames"][0].as_str().map(PathBuf::from)))
        .ok_or("cargo did not name the build script")?;
    let manifest_dir = repo.join("examples/build-script");
    let out_dir = std::env::temp_dir().join(format!("genauth-bench-build-script-{}", std::process::id()));
    let mut times = Vec::new();
    for _ in 0..5 {
        let _ = std::fs::remove_dir_all(&out_dir);
        std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let status = Command::new(&script)
            .current_dir(&manifest_dir)
            .env("OUT_DIR", &out_dir)
            .env("CARGO_MANIFEST_DIR", &manifest_dir)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        if !status.success() {
            return Err("the build script failed".into());
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    let start = Instant::now();
    let noop = cargo()
        .args(["build", "-v", "-p", package])
        .current_dir(&repo)
        .output()
        .map_err(|e| e.to_string())?;
    let noop_time = start.elapsed();
    let stderr = String::from_utf8_lossy(&noop.stderr);
    Ok(BuildScript {
        script: median(&times),
        noop: noop_time,
        noop_reran: stderr.lines().any(|l| l.contains("Running") && l.contains("build-script-build")),
    })
}

fn print_comparison(c: &Comparison, ours: Option<&DocResult>) {
    println!();
    println!("Authing management document: genauth-codegen and OpenAPI Generator {} (`-g rust`)", c.tool_version);
    println!();
    println!("| | genauth-codegen | OpenAPI Generator |");
    println!("|---|---:|---:|");
    if let Some(r) = ours {
        println!(
            "| generate (median) | {:.0} ms in-process, {:.0} ms as a process | {:.2} s |",
            ms(median(&r.totals)),
            r.child_wall.map(ms).unwrap_or(0.0),
            median(&c.tool_times).as_secs_f64()
        );
        println!(
            "| peak memory | {} MB | {} MB |",
            r.peak_rss.map(mb).unwrap_or_else(|| "-".into()),
            c.tool_peak.map(mb).unwrap_or_else(|| "-".into())
        );
        println!("| Rust files / lines | {} / {} | {} / {} |", r.files, r.lines, c.tool_files, c.tool_lines);
        println!("| Rust bytes | {} | {} |", r.bytes, c.tool_bytes);
    }
    let b = |x: Option<Build>, f: fn(Build) -> Duration| x.map(|b| format!("{:.1} s", f(b).as_secs_f64())).unwrap_or_else(|| "-".into());
    println!(
        "| crate-only debug build, from scratch (`CARGO_INCREMENTAL=0`) | {} | {} |",
        b(c.ours_build, |b| b.crate_only),
        b(c.tool_build, |b| b.crate_only)
    );
    println!(
        "| crate-only debug build, incremental after `touch src/lib.rs` | {} | {} |",
        b(c.ours_build, |b| b.incremental),
        b(c.tool_build, |b| b.incremental)
    );
    println!("| first debug build, dependencies included | {} | {} |", b(c.ours_build, |b| b.deps), b(c.tool_build, |b| b.deps));
    if let Some((f, build)) = &c.ours_feature_build {
        println!(
            "| crate-only debug build from scratch, `--no-default-features --features {f}` | {:.1} s | |",
            build.crate_only.as_secs_f64()
        );
    }
    if let Some(s) = &c.build_script {
        println!();
        println!(
            "Build script (examples/build-script, GenAuth spec, debug build-dependencies): {:.0} ms per run; \
             no-op `cargo build`: {:.2} s, build script {}",
            ms(s.script),
            s.noop.as_secs_f64(),
            if s.noop_reran { "RAN AGAIN" } else { "not run" }
        );
    }
    println!("(the first build's time depends on what the shared target directory already held)");
}
