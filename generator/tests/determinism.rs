//! The same input gives byte-identical output: run after run in one process, on several
//! threads at once (each thread would seed a `HashMap` differently), and in separate
//! processes of the CLI started from different directories. Nothing in the output names
//! the machine: no absolute path, no time, no version of the toolchain.

mod common;
use common::{repo, tree};

use std::path::{Path, PathBuf};
use std::process::Command;

use genauth_codegen::{Builder, Layout};

/// The GenAuth spec and every top-level fixture spec.
fn specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(repo().join("specs/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs.insert(0, repo().join("specs/genauth-v3.yaml"));
    assert!(specs.len() > 10);
    specs
}

fn output(spec: &Path, layout: Layout) -> Vec<(PathBuf, String)> {
    let generated = Builder::new().spec(spec).layout(layout).generate().unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut files = generated.files().to_vec();
    files.extend(generated.crate_files("out").unwrap());
    files
}

#[test]
fn runs_in_one_process_and_on_parallel_threads_give_the_same_bytes() {
    for spec in specs() {
        for layout in [Layout::Crate, Layout::SingleFile] {
            let first = output(&spec, layout);
            assert!(first.iter().all(|(_, text)| !text.is_empty()));
            assert_eq!(output(&spec, layout), first, "{} changed between runs", spec.display());
            let parallel: Vec<_> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..3).map(|_| s.spawn(|| output(&spec, layout))).collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for other in parallel {
                assert_eq!(other, first, "{} differs on another thread", spec.display());
            }
            let root = repo().display().to_string();
            for (path, text) in &first {
                assert!(!text.contains(&root), "{} in {} names the machine's path {root}", path.display(), spec.display());
            }
        }
    }
}

#[test]
fn separate_processes_from_different_directories_write_the_same_bytes() {
    let base = std::env::temp_dir().join(format!("genauth-determinism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(base.join("elsewhere")).unwrap();
    let hostile = repo().join("specs/fixtures/hostile-names.yaml");
    let genauth = repo().join("specs/genauth-v3.yaml");
    for (spec, layout) in [(&genauth, "crate"), (&genauth, "single-file"), (&hostile, "crate")] {
        let mut trees = Vec::new();
        for (i, cwd) in [repo(), base.join("elsewhere"), std::env::temp_dir()].iter().enumerate() {
            let out = base.join(format!("out-{layout}-{i}"));
            let status = Command::new(env!("CARGO_BIN_EXE_genauth-codegen"))
                .current_dir(cwd)
                .args(["generate", "--quiet", "--layout", layout, "--spec"])
                .arg(spec)
                .arg("--out")
                .arg(&out)
                .env("RUST_MIN_STACK", format!("{}", 4 << (20 + i)))
                .status()
                .unwrap();
            assert!(status.success());
            trees.push(tree(&out));
        }
        assert!(!trees[0].is_empty());
        assert!(trees.iter().all(|t| *t == trees[0]), "{} ({layout}) differs between processes", spec.display());
        // The same bytes as the library gives in this process.
        let in_process = output(spec, if layout == "crate" { Layout::Crate } else { Layout::SingleFile });
        for (path, bytes) in &trees[0] {
            if path != Path::new("Cargo.toml") {
                let mine = in_process.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{} only from the CLI", path.display()));
                assert_eq!(mine.1.as_bytes(), bytes.as_slice(), "{}", path.display());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}
