//! Unit tests of the manifest's paths and of atomic tree writing (including a failure at
//! every step).

use std::path::{Path, PathBuf};

use super::manifest::{glob_match, MARKER};
use super::paths::relative_path;
use super::tree::{swap_place, write_files, write_tree, FAIL_AFTER};

#[test]
fn relative_paths() {
    assert_eq!(relative_path(Path::new("/a/b/generated"), Path::new("/a/b/runtime")), PathBuf::from("../runtime"));
    assert_eq!(relative_path(Path::new("/tmp/x/y"), Path::new("/a/runtime")), PathBuf::from("../../../a/runtime"));
}

/// A fresh scratch directory with an output directory path (not yet created) in it.
fn scratch(name: &str) -> (PathBuf, PathBuf) {
    let base = std::env::temp_dir().join(format!("genauth-output-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let out = base.join("sdk");
    (base, out)
}

fn generated(text: &str) -> String {
    format!("// {MARKER} from t.yaml.\n{text}\n")
}

fn files(list: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    list.iter().map(|(p, t)| (PathBuf::from(p), generated(t))).collect()
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_owned(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Names in `base` other than the output directory (leftover staging trees).
fn leftovers(base: &Path) -> Vec<String> {
    std::fs::read_dir(base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "sdk")
        .collect()
}

fn old_tree(out: &Path) {
    write_tree(out, &files(&[("Cargo.toml", "old manifest"), ("src/lib.rs", "old lib"), ("src/types.rs", "same types"), ("src/gone.rs", "stale")])).unwrap();
    // Files the generator did not write: kept across rewrites.
    std::fs::write(out.join("README.md"), "mine").unwrap();
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/it.rs"), "fn main() {}").unwrap();
    std::fs::write(out.join("src/handwritten.rs"), "// no marker").unwrap();
}

fn new_files() -> Vec<(PathBuf, String)> {
    files(&[("Cargo.toml", "new manifest"), ("src/lib.rs", "new lib"), ("src/types.rs", "same types"), ("src/client.rs", "new client")])
}

#[test]
fn a_tree_is_swapped_in_whole_keeping_unchanged_and_foreign_files() {
    let (base, out) = scratch("swap");
    old_tree(&out);
    let before = |p: &str| std::fs::metadata(out.join(p)).unwrap();
    let (types_before, readme_before) = (before("src/types.rs"), before("README.md"));
    std::thread::sleep(std::time::Duration::from_millis(20));

    let report = write_tree(&out, &new_files()).unwrap();
    assert_eq!(report.written, vec![PathBuf::from("Cargo.toml"), PathBuf::from("src/lib.rs"), PathBuf::from("src/client.rs")]);
    assert_eq!(report.unchanged, vec![PathBuf::from("src/types.rs")]);
    assert_eq!(report.removed, vec![PathBuf::from("src/gone.rs")]);

    let names: Vec<PathBuf> = snapshot(&out).into_iter().map(|(p, _)| p).collect();
    let expected: Vec<PathBuf> = ["Cargo.toml", "README.md", "src/client.rs", "src/handwritten.rs", "src/lib.rs", "src/types.rs", "tests/it.rs"]
        .iter()
        .map(PathBuf::from)
        .collect();
    assert_eq!(names, expected);
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap(), generated("new lib"));
    assert_eq!(std::fs::read_to_string(out.join("tests/it.rs")).unwrap(), "fn main() {}");
    // Unchanged bytes keep their modification time (build scripts' users rely on it).
    assert_eq!(before("src/types.rs").modified().unwrap(), types_before.modified().unwrap());
    assert_eq!(before("README.md").modified().unwrap(), readme_before.modified().unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(before("src/types.rs").ino(), types_before.ino(), "the same file, not a copy");
    }
    assert!(leftovers(&base).is_empty(), "left behind: {:?}", leftovers(&base));
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn nothing_is_touched_when_nothing_changes() {
    let (base, out) = scratch("same");
    write_tree(&out, &new_files()).unwrap();
    let lib = std::fs::metadata(out.join("src/lib.rs")).unwrap();
    let dir = std::fs::metadata(&out).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = write_tree(&out, &new_files()).unwrap();
    assert!(report.written.is_empty() && report.removed.is_empty(), "{report:?}");
    assert_eq!(std::fs::metadata(out.join("src/lib.rs")).unwrap().modified().unwrap(), lib.modified().unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&out).unwrap().ino(), dir.ino(), "the directory was not swapped");
    }
    #[cfg(not(unix))]
    let _ = dir;
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_failure_at_any_step_leaves_the_previous_tree_intact() {
    let (base, out) = scratch("fail");
    old_tree(&out);
    let before = snapshot(&out);
    let mut failed = 0;
    for step in 0.. {
        FAIL_AFTER.with(|f| f.set(Some(step)));
        let result = write_tree(&out, &new_files());
        FAIL_AFTER.with(|f| f.set(None));
        match result {
            Err(e) => {
                assert!(e.to_string().contains("injected failure"), "{e}");
                assert_eq!(snapshot(&out), before, "after a failure at step {step}");
                assert!(leftovers(&base).is_empty(), "after a failure at step {step}: {:?}", leftovers(&base));
                failed += 1;
            }
            Ok(_) => break,
        }
    }
    // One failure point per file, one before the swap, one between the renames.
    assert_eq!(failed, new_files().len() + 2);
    assert_eq!(std::fs::read_to_string(out.join("src/client.rs")).unwrap(), generated("new client"));
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn what_a_killed_run_left_is_cleaned_up_and_the_previous_tree_restored() {
    let (base, out) = scratch("killed");
    old_tree(&out);
    let before = snapshot(&out);
    // A run killed between the two renames: the old tree aside, a staged tree beside.
    std::fs::rename(&out, base.join(".sdk.genauth-old-999999")).unwrap();
    std::fs::create_dir_all(base.join(".sdk.genauth-tmp-999999/src")).unwrap();
    std::fs::write(base.join(".sdk.genauth-tmp-999999/src/lib.rs"), "half").unwrap();
    // Checking sees nothing yet; the next write restores, then writes.
    let place = swap_place(&out).unwrap().unwrap();
    place.recover().unwrap();
    assert_eq!(snapshot(&out), before);
    assert!(leftovers(&base).is_empty(), "{:?}", leftovers(&base));
    std::fs::rename(&out, base.join(".sdk.genauth-old-999999")).unwrap();
    write_tree(&out, &new_files()).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("README.md")).unwrap(), "mine", "foreign files survive the recovery");
    assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap(), generated("new lib"));
    assert!(leftovers(&base).is_empty());
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn paths_that_leave_the_output_directory_are_refused() {
    let (base, out) = scratch("escape");
    for bad in ["../evil.rs", "/tmp/evil.rs", "src/../../evil.rs", "./x.rs", ""] {
        let files = vec![(PathBuf::from(bad), "x".to_owned())];
        let e = write_tree(&out, &files).unwrap_err().to_string();
        assert!(e.contains("refusing to write outside the output directory"), "{bad}: {e}");
        let e = write_files(&out, &files).unwrap_err().to_string();
        assert!(e.contains("refusing to write outside the output directory"), "{bad}: {e}");
    }
    assert!(!out.exists() && !base.join("evil.rs").exists());
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn member_globs() {
    assert!(glob_match("generated", "generated"));
    assert!(glob_match("examples/*", "examples/build-script"));
    assert!(!glob_match("examples/*", "examples/a/b"));
    assert!(glob_match("crates/gen-*", "crates/gen-sdk"));
    assert!(!glob_match("crates/gen-*", "crates/other"));
}
