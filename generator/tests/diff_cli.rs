//! `genauth-codegen diff` and `generate --report`: exit codes, formats, and specs read
//! from git (in temporary repositories the tests make).

mod common;

fn scratch(name: &str) -> std::path::PathBuf {
    common::scratch("diff-cli", name)
}
use common::{bin, repo};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pair(name: &str) -> (PathBuf, PathBuf) {
    let dir = repo().join("specs/fixtures/diff");
    (dir.join(format!("{name}.old.yaml")), dir.join(format!("{name}.new.yaml")))
}

fn diff(old: impl AsRef<std::ffi::OsStr>, new: impl AsRef<std::ffi::OsStr>, extra: &[&str]) -> Output {
    bin().arg("diff").arg("--old").arg(old).arg("--new").arg(new).args(extra).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs git in `dir` with a fixed identity, failing the test on error.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.test", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn git_repo(name: &str) -> PathBuf {
    let dir = scratch(name);
    git(&dir, &["init", "-q"]);
    dir
}

#[test]
fn exit_codes_follow_fail_on() {
    let (old, new) = pair("method-removed");
    let out = diff(&old, &new, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("delete_user: method removed (DELETE /users/{id})"), "{stdout}");
    assert!(stdout.contains("Implied version bump: major"), "{stdout}");

    let out = diff(&old, &new, &["--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Breaking changes (1)"), "the report is printed before failing");

    // Additive only: passes `--fail-on breaking`, fails `--fail-on minor`.
    let (old, new) = pair("enum-value-added");
    assert_eq!(diff(&old, &new, &["--fail-on", "breaking"]).status.code(), Some(0));
    assert_eq!(diff(&old, &new, &["--fail-on", "minor"]).status.code(), Some(1));
    // Docs only: patch.
    let (old, new) = pair("doc-only");
    assert_eq!(diff(&old, &new, &["--fail-on", "minor"]).status.code(), Some(0));
    assert_eq!(diff(&old, &new, &["--fail-on", "patch"]).status.code(), Some(1));
    // Nothing changed: never fails.
    assert_eq!(diff(&old, &old, &["--fail-on", "patch"]).status.code(), Some(0));
}

#[test]
fn json_output_is_parseable_and_stable() {
    let (old, new) = pair("many-changes");
    let a = diff(&old, &new, &["--format", "json"]);
    let b = diff(&old, &new, &["--format", "json"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("JSON on stdout");
    assert_eq!(v["bump"], "major");
    assert_eq!(v["counts"]["breaking"], 2);
    let kinds: Vec<&str> = v["changes"].as_array().unwrap().iter().filter_map(|c| c["kind"].as_str()).collect();
    assert!(kinds.contains(&"enum_value_added") && kinds.contains(&"field_removed"), "{kinds:?}");
}

#[test]
fn bad_input_exits_2() {
    let (old, _) = pair("method-added");
    let out = diff(&old, "/nonexistent/new.yaml", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/new.yaml: cannot read"), "{}", text(&out.stderr));

    let dir = scratch("bad");
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "openapi: 3.0.3\ninfo:\n  title: x\n  version: [\n").unwrap();
    let out = diff(&old, &broken, &["--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("broken.yaml:5:1: syntax error"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "no report on bad input");

    assert_eq!(diff(&old, &old, &["--format", "xml"]).status.code(), Some(2));
    assert_eq!(bin().args(["diff", "--old"]).arg(&old).output().unwrap().status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A description split over files (a root and a module file it joins by `$ref`), as ours
/// is: `REV:PATH` reads every file from that revision, not the module from the working tree.
#[test]
fn rev_path_reads_every_file_of_a_split_description_from_the_revision() {
    let dir = git_repo("split");
    std::fs::create_dir_all(dir.join("specs/api")).unwrap();
    let root = "openapi: 3.0.3\ninfo: {title: Split, version: '1'}\npaths:\n  /users/{id}:\n    $ref: 'api/users.yaml#/paths/~1users~1{id}'\n";
    let module = |extra: &str| {
        format!(
            "paths:\n  /users/{{id}}:\n    get:\n      operationId: getUser\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/User'}}\ncomponents:\n  schemas:\n    User:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n{extra}"
        )
    };
    std::fs::write(dir.join("specs/api.yaml"), root).unwrap();
    std::fs::write(dir.join("specs/api/users.yaml"), module("        email: {type: string}\n")).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    // Only the module file changes; the root document stays the same.
    std::fs::write(dir.join("specs/api/users.yaml"), module("")).unwrap();
    git(&dir, &["commit", "-q", "-am", "second"]);
    // An uncommitted edit that a reader of the working tree would pick up.
    std::fs::write(dir.join("specs/api/users.yaml"), module("        nickname: {type: string}\n")).unwrap();

    let run = |old: &str, new: &str, cwd: &Path| bin().args(["diff", "--old", old, "--new", new]).current_dir(cwd).output().unwrap();
    for (old, new, cwd) in [
        ("HEAD~1:specs/api.yaml", "HEAD:specs/api.yaml", dir.clone()),
        ("HEAD~1:./api.yaml", "HEAD:./api.yaml", dir.join("specs")),
    ] {
        let out = run(old, new, &cwd);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{old} {new}: {}", text(&out.stderr));
        assert!(stdout.contains("User.email: field removed"), "{stdout}");
        assert!(!stdout.contains("nickname"), "the working tree's module file was read:\n{stdout}");
    }
    // Against the working tree, the uncommitted field shows.
    let out = run("HEAD:specs/api.yaml", "specs/api.yaml", &dir);
    assert!(text(&out.stdout).contains("User.nickname: new optional field"), "{}", text(&out.stdout));
    // A module file missing from the revision is an error naming it.
    git(&dir, &["rm", "-q", "--cached", "specs/api/users.yaml"]);
    git(&dir, &["commit", "-q", "-m", "third"]);
    let out = run("HEAD:specs/api.yaml", "specs/api.yaml", &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("cannot read the file `api/users.yaml`"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rev_path_reads_the_spec_from_git() {
    let dir = git_repo("rev");
    let (old, new) = pair("field-removed");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::copy(&old, dir.join("specs/api.yaml")).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    std::fs::copy(&new, dir.join("specs/api.yaml")).unwrap();
    git(&dir, &["commit", "-q", "-am", "second"]);

    let run = |old: &str, new: &str, cwd: &Path| {
        bin().args(["diff", "--old", old, "--new", new]).current_dir(cwd).output().unwrap()
    };
    // Committed against committed, and committed against the working tree.
    for (old, new, cwd) in [
        ("HEAD~1:specs/api.yaml", "HEAD:specs/api.yaml", dir.clone()),
        ("HEAD~1:specs/api.yaml", "specs/api.yaml", dir.clone()),
        ("HEAD~1:./api.yaml", "./api.yaml", dir.join("specs")),
    ] {
        let out = run(old, new, &cwd);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{old} {new}: {}", text(&out.stderr));
        assert!(stdout.contains(&format!("old: {old}")), "{stdout}");
        assert!(stdout.contains("User.email: field removed"), "{stdout}");
    }
    // The other way round the field is added.
    let out = run("HEAD:specs/api.yaml", "HEAD~1:specs/api.yaml", &dir);
    assert!(text(&out.stdout).contains("User.email: new optional field"), "{}", text(&out.stdout));

    // A path or revision git does not have: exit 2, with git's reason.
    let out = run("HEAD:specs/missing.yaml", "specs/api.yaml", &dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("HEAD:specs/missing.yaml: cannot read the OpenAPI document from git"), "{stderr}");
    let out = run("no-such-rev:specs/api.yaml", "specs/api.yaml", &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generate_report_compares_with_the_spec_of_the_last_output_commit() {
    let dir = git_repo("report");
    let (old, new) = pair("enum-value-removed");
    let spec = dir.join("api.yaml");
    std::fs::copy(&old, &spec).unwrap();
    let generate = || {
        bin().args(["generate", "--spec", "api.yaml", "--out", "sdk", "--report"]).current_dir(&dir).output().unwrap()
    };

    // Not committed yet: no baseline, but the crate is still generated.
    let out = generate();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no baseline"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(dir.join("sdk/src/types.rs").is_file());
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "sdk from the old spec"]);

    // The spec changes in a commit of its own, without regenerating: the baseline is still
    // the spec the committed output came from.
    std::fs::copy(&new, &spec).unwrap();
    git(&dir, &["commit", "-q", "-am", "new spec"]);
    let out = generate();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("api.yaml at "), "{stdout}");
    assert!(stdout.contains("the last commit that changed sdk"), "{stdout}");
    assert!(stdout.contains("Status::Suspended: variant removed"), "{stdout}");
    assert!(stdout.contains("Implied version bump: major"), "{stdout}");
    assert!(std::fs::read_to_string(dir.join("sdk/src/types.rs")).unwrap().contains("Active"));

    // JSON works the same; after committing the regenerated output there is nothing new.
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "regenerate"]);
    let out = bin()
        .args(["generate", "--spec", "api.yaml", "--out", "sdk", "--report=json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(v["bump"], "none", "{v}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generate_report_outside_git_says_there_is_no_baseline() {
    let dir = scratch("nogit");
    // A directory inside no repository (the temp dir), unless the machine's temp dir is
    // itself in one: then there is simply a baseline or not; the run must succeed.
    let (old, _) = pair("method-added");
    std::fs::copy(&old, dir.join("api.yaml")).unwrap();
    let out = bin()
        .args(["generate", "--spec", "api.yaml", "--out", "sdk", "--report"])
        .current_dir(&dir)
        .env("GIT_CEILING_DIRECTORIES", &dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no change report: no baseline to compare with:"), "{stderr}");
    assert!(stderr.contains("not in a git repository"), "{stderr}");
    assert!(dir.join("sdk/Cargo.toml").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
