//! `features`: every tag feature of a generated crate, alone, compiles warning-free.
//!
//! A generated crate gates each method, parameter struct and type on the features of the
//! tags that use it (`#[cfg(feature = "users")]`, `#[cfg(any(feature = "users", feature =
//! "roles"))]` for a type two tags share). A gate that names too few tags breaks the build
//! of a tag alone; one that names too many leaves an unused import or type behind. The
//! default build (every tag) and the build without features (`corpus`) see neither.
//!
//! For each crate, the tag features are read from `cargo metadata` (every feature but
//! `default` and `http`, which the generator defines itself), and each is checked alone:
//! `cargo check --lib --no-default-features --features <tag>` (`--clippy`: `cargo
//! clippy`), its JSON messages read the way the corpus run reads them. A row passes only
//! when cargo reports an artifact for the crate's lib and no error and no warning.
//!
//! The crates: the committed SDK in `generated/` and three corpus documents with many
//! tags (generated under `target/corpus/`, as the corpus run does), unless `--crate DIR`
//! (repeatable) or `--doc NAME,...` names others. `--only FEATURE,...` checks those
//! features only. All crates share one target directory (`target/corpus/target`, the
//! corpus run's), so dependencies are compiled once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use super::{cargo_check, corpus_builder, documents, judge, repo_root, CheckRun, Features};

/// Corpus documents checked by default: many tags, and tags that share types.
/// box (73 tags, 848 types), authing-management-openapi (38 tags; the document GenAuth's
/// own description follows) and workos (46 tags, OpenAPI 3.1).
const DEFAULT_DOCS: &[&str] = &["box", "authing-management-openapi", "workos"];

/// One crate to check.
struct Crate {
    /// What the table calls it.
    name: String,
    /// Its directory (canonical).
    dir: PathBuf,
}

/// One feature build.
struct Row {
    krate: String,
    feature: String,
    compiled: String,
    check: String,
    warnings: String,
    seconds: f64,
    ok: bool,
}

pub(crate) fn features(args: &[String]) -> Result<bool, String> {
    let mut shared = repo_root().join("../shared");
    let mut out = repo_root().join("target/corpus");
    let mut target: Option<PathBuf> = None;
    let mut crates: Vec<PathBuf> = Vec::new();
    let mut docs: Option<Vec<String>> = None;
    let mut only: Option<Vec<String>> = None;
    let mut subcommand = "check";
    let mut no_op = false;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        match flag {
            "--clippy" => {
                subcommand = "clippy";
                i += 1;
                continue;
            }
            // Hidden, for the test that shows a check that compiles nothing fails.
            "--inject-no-op" => {
                no_op = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let value = args.get(i + 1).cloned().ok_or_else(|| format!("{flag} needs a value"))?;
        let list = || value.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>();
        match flag {
            "--crate" => crates.push(PathBuf::from(&value)),
            "--doc" => docs.get_or_insert_with(Vec::new).extend(list()),
            "--only" => only = Some(list()),
            "--shared" => shared = PathBuf::from(&value),
            "--out" => out = PathBuf::from(&value),
            "--target-dir" => target = Some(PathBuf::from(&value)),
            other => return Err(format!("unknown argument {other}")),
        }
        i += 2;
    }
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let absolute = |p: PathBuf| if p.is_relative() { cwd.join(p) } else { p };
    let target = absolute(target.unwrap_or_else(|| out.join("target")));

    let mut list: Vec<Crate> = Vec::new();
    let defaults = crates.is_empty() && docs.is_none();
    if defaults {
        crates.push(repo_root().join("generated"));
    }
    for dir in crates {
        let dir = absolute(dir);
        let dir = dir.canonicalize().map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        list.push(Crate { name, dir });
    }
    let docs = docs.unwrap_or_else(|| if defaults { DEFAULT_DOCS.iter().map(|d| (*d).to_owned()).collect() } else { Vec::new() });
    if !docs.is_empty() {
        if shared.is_dir() {
            list.extend(generate_docs(&shared, &absolute(out), &docs)?);
        } else {
            eprintln!("note: {} does not exist (the corpus lives in ../shared beside the repository); corpus documents skipped", shared.display());
        }
    }

    let start = Instant::now();
    let mut rows = Vec::new();
    let mut asked_for_found = only.is_none();
    for krate in &list {
        let mut tags = tag_features(&krate.dir)?;
        if let Some(only) = &only {
            tags.retain(|t| only.contains(t));
            asked_for_found |= !tags.is_empty();
        }
        eprintln!("== {} ({} feature(s))", krate.name, tags.len());
        for tag in tags {
            let filter: &[&str] = if no_op { &["--examples"] } else { &["--lib"] };
            let started = Instant::now();
            let run: CheckRun = cargo_check(subcommand, &krate.dir, &target, &Features::Only(tag.clone()), filter);
            let seconds = started.elapsed().as_secs_f64();
            let judged = judge(std::slice::from_ref(&run));
            if !judged.ok {
                for m in run.messages.iter().take(5) {
                    eprintln!("  [{tag}] {m}");
                }
            }
            eprintln!("   {tag}: {} ({seconds:.1} s)", if judged.ok { "ok" } else { "FAILED" });
            rows.push(Row {
                krate: krate.name.clone(),
                feature: tag,
                compiled: judged.compiled,
                check: judged.check,
                warnings: judged.warnings,
                seconds,
                ok: judged.ok,
            });
        }
    }
    if !asked_for_found {
        return Err(format!("no crate has a feature named in --only {only:?}"));
    }
    println!("| crate | feature | compiled | {subcommand} | warnings | time | result |");
    println!("|---|---|---|---|---:|---:|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.1} s | {} |",
            r.krate,
            r.feature,
            r.compiled,
            r.check,
            r.warnings,
            r.seconds,
            if r.ok { "ok" } else { "FAILED" }
        );
    }
    let failed: Vec<String> = rows.iter().filter(|r| !r.ok).map(|r| format!("{}/{}", r.krate, r.feature)).collect();
    println!();
    println!(
        "{} of {} feature builds in {} crate(s) passed in {:.0} s{}",
        rows.len() - failed.len(),
        rows.len(),
        list.len(),
        start.elapsed().as_secs_f64(),
        if failed.is_empty() { String::new() } else { format!("; failed: {}", failed.join(", ")) }
    );
    Ok(failed.is_empty())
}

/// Generates the named corpus documents' crates under `out`, with the workspace's lock file.
fn generate_docs(shared: &Path, out: &Path, names: &[String]) -> Result<Vec<Crate>, String> {
    let shared = shared.canonicalize().map_err(|e| format!("{}: {e}", shared.display()))?;
    let all = documents(&shared)?;
    let runtime = repo_root().join("runtime");
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = out.canonicalize().map_err(|e| format!("{}: {e}", out.display()))?;
    let mut crates = Vec::new();
    for name in names {
        let doc = all.iter().find(|d| &d.name == name).ok_or_else(|| format!("unknown document {name}"))?;
        let dir = out.join(&doc.name);
        let generated = corpus_builder(doc, &runtime).generate().map_err(|e| format!("{name}: {e}"))?;
        generated.write_crate(&dir).map_err(|e| format!("{name}: {e}"))?;
        std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("{name}: cannot copy Cargo.lock: {e}"))?;
        crates.push(Crate { name: name.clone(), dir });
    }
    Ok(crates)
}

/// The crate's tag features: every feature but `default` and `http`, as `cargo metadata`
/// reads its manifest.
fn tag_features(dir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata in {}: {}", dir.display(), String::from_utf8_lossy(&output.stderr).trim()));
    }
    let meta: Value = serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let manifest = dir.join("Cargo.toml");
    let package = meta["packages"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["manifest_path"].as_str().is_some_and(|m| Path::new(m) == manifest)))
        .ok_or_else(|| format!("cargo metadata lists no package at {}", manifest.display()))?;
    let features = package["features"].as_object().ok_or("cargo metadata: no features")?;
    // In the manifest's order would be nicer, but cargo sorts them; sorted is stable too.
    Ok(features.keys().filter(|f| *f != "default" && *f != "http").cloned().collect())
}
