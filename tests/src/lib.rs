//! Helpers shared by the workspace-level tests in `tests/tests/`.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// The fixture specs under `specs/fixtures/` that the foundation tests cover, by module
/// name (file stem with `-` as `_`), sorted.
pub fn fixture_specs() -> Vec<(String, PathBuf)> {
    let dir = repo_root().join("specs/fixtures");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .map(|p| {
            let stem = p.file_stem().map(|s| s.to_string_lossy().replace('-', "_")).unwrap_or_default();
            (stem, p)
        })
        .collect();
    out.sort();
    out
}

/// `../shared` beside the repository, when it is there (CI and the team's machines);
/// tests that need it print a notice and skip when it is not.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared is not present next to the repository; skipping this test");
        None
    }
}
pub mod loopback;
