//! The build.rs front end, driven through cargo on scratch copies of
//! `examples/build-script`: what it writes equals what the CLI writes for the same options,
//! cargo reruns it only when the spec changes, and a broken spec fails the build with the
//! generator's message (no panic).
//!
//! Each test copies the example (and the spec) into a fresh temporary directory, points its
//! dependencies back at this repository's `generator/` and `runtime/`, and builds it offline
//! with a target directory kept under this workspace's target directory
//! (`CARGO_TARGET_TMPDIR`), so the dependencies compile once and later runs take seconds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use serde_json::Value;

const PACKAGE: &str = "genauth-example-build-script";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in the repository")
        .to_owned()
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_genauth-codegen"))
}

/// A copy of the example crate in `<root>/examples/build-script`, with the spec at
/// `<root>/specs/genauth-v3.yaml` (and its module files in `<root>/specs/genauth-v3/`) so
/// the example's relative spec path still holds.
struct Scratch {
    root: PathBuf,
    package: PathBuf,
    spec: PathBuf,
    /// The copy's package name: one per test, because cargo keys a root package's build
    /// directory on its name and its path inside its workspace (the same for every copy),
    /// and tests that share a target directory must not share an `OUT_DIR`.
    name: String,
}

impl Scratch {
    /// Copies the example. `build_rs` and `lib_rs` replace the example's files when given.
    fn new(name: &str, build_rs: Option<String>, lib_rs: Option<&str>) -> Scratch {
        let root = std::env::temp_dir().join(format!("genauth-build-script-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let example = repo().join("examples/build-script");
        let package = root.join("examples/build-script");
        std::fs::create_dir_all(package.join("src")).unwrap();
        std::fs::create_dir_all(root.join("specs")).unwrap();
        let spec = root.join("specs/genauth-v3.yaml");
        std::fs::copy(repo().join("specs/genauth-v3.yaml"), &spec).unwrap();
        // The module files the root document joins by `$ref`.
        let modules = root.join("specs/genauth-v3");
        std::fs::create_dir_all(&modules).unwrap();
        for entry in std::fs::read_dir(repo().join("specs/genauth-v3")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, modules.join(path.file_name().unwrap())).unwrap();
        }

        let manifest = std::fs::read_to_string(example.join("Cargo.toml")).unwrap();
        for rel in ["\"../../runtime\"", "\"../../generator\""] {
            assert!(manifest.contains(rel), "the example's Cargo.toml no longer has `path = {rel}`");
        }
        let path_of = |dir: &str| serde_json::to_string(&repo().join(dir).to_string_lossy()).unwrap();
        let package_line = format!("name = \"{PACKAGE}\"");
        assert!(manifest.contains(&package_line), "the example's Cargo.toml no longer has `{package_line}`");
        let package_name = format!("{PACKAGE}-{name}");
        let manifest = manifest
            .replacen(&package_line, &format!("name = \"{package_name}\""), 1)
            .replace("\"../../runtime\"", &path_of("runtime"))
            .replace("\"../../generator\"", &path_of("generator"));
        std::fs::write(package.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).unwrap();
        // The workspace's lock file, so the copy builds offline with the same versions.
        std::fs::copy(repo().join("Cargo.lock"), package.join("Cargo.lock")).unwrap();
        let build_rs = build_rs.unwrap_or_else(|| std::fs::read_to_string(example.join("build.rs")).unwrap());
        std::fs::write(package.join("build.rs"), build_rs).unwrap();
        match lib_rs {
            Some(text) => std::fs::write(package.join("src/lib.rs"), text).unwrap(),
            None => {
                std::fs::copy(example.join("src/lib.rs"), package.join("src/lib.rs")).unwrap();
            }
        }
        Scratch {
            root,
            package,
            spec,
            name: package_name,
        }
    }

    /// `cargo build --message-format=json` on the copy.
    fn build(&self) -> Build {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script-scratch");
        let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--offline", "--message-format=json", "--target-dir"])
            .arg(&target)
            .current_dir(&self.package)
            .env("CARGO_TERM_COLOR", "never")
            // No debug info: a smaller, quicker scratch target; nothing here needs it.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        Build {
            output,
            package: self.name.clone(),
        }
    }

    /// Sets the spec's modification time past the last build (on file systems that keep
    /// whole seconds, too), optionally with new text.
    fn touch_spec(&self, text: Option<&str>) {
        std::thread::sleep(Duration::from_millis(1100));
        if let Some(text) = text {
            std::fs::write(&self.spec, text).unwrap();
        }
        let file = std::fs::File::options().write(true).open(&self.spec).unwrap();
        file.set_modified(SystemTime::now()).unwrap();
    }

    /// How many times the instrumented build script ran.
    fn runs(&self) -> usize {
        std::fs::read_to_string(self.package.join("runs.log")).map(|s| s.lines().count()).unwrap_or(0)
    }

    /// The CLI's single-file output for `flags` on this copy's spec.
    fn cli_output(&self, flags: &[&str]) -> String {
        let out_dir = self.root.join("cli-out");
        let out = cli()
            .args(["generate", "-q", "--layout", "single-file", "--spec"])
            .arg(&self.spec)
            .arg("--out")
            .arg(&out_dir)
            .args(flags)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read_to_string(out_dir.join(genauth_codegen::SINGLE_FILE_NAME)).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

struct Build {
    output: Output,
    package: String,
}

impl Build {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn assert_ok(&self, step: &str) -> &Self {
        assert!(self.output.status.success(), "{step}: cargo build failed:\n{}", self.stderr());
        self
    }

    fn messages(&self) -> Vec<Value> {
        String::from_utf8_lossy(&self.output.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The copy's `OUT_DIR`, from cargo's `build-script-executed` message.
    fn out_dir(&self) -> PathBuf {
        let suffix = format!("#{}@", self.package);
        let found = self.messages().into_iter().find(|m| {
            m["reason"] == "build-script-executed" && m["package_id"].as_str().is_some_and(|id| id.contains(&suffix))
        });
        let found = found.unwrap_or_else(|| panic!("no build-script-executed message for {}:\n{}", self.package, self.stderr()));
        PathBuf::from(found["out_dir"].as_str().unwrap())
    }
}

/// The example's build script, plus one line that counts its runs in `runs.log` (a file
/// cargo is not asked to watch).
fn counting_build_rs() -> String {
    let original = std::fs::read_to_string(repo().join("examples/build-script/build.rs")).unwrap();
    assert!(original.contains("fn main() {"), "the example's build.rs has no `fn main() {{`");
    let mut text = original.replacen("fn main() {", "fn main() {\n    count_run();", 1);
    text.push_str(
        r#"
/// Added by the test: one line in `runs.log` per run.
fn count_run() {
    use std::io::Write;
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap();
    let log = std::path::Path::new(&dir).join("runs.log");
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    writeln!(file, "run").unwrap();
}
"#,
    );
    text
}

#[test]
fn example_writes_what_the_cli_writes_and_reruns_only_when_the_spec_changes() {
    let s = Scratch::new("rerun", Some(counting_build_rs()), None);

    let first = s.build();
    first.assert_ok("first build");
    assert_eq!(s.runs(), 1, "the first build runs the build script");
    let generated = first.out_dir().join(genauth_codegen::SINGLE_FILE_NAME);
    let text = std::fs::read_to_string(&generated).unwrap();
    // The example's build.rs sets no options; the CLI with none writes the same bytes.
    assert!(text == s.cli_output(&[]), "OUT_DIR/{} differs from the CLI's output", genauth_codegen::SINGLE_FILE_NAME);
    let written_at = std::fs::metadata(&generated).unwrap().modified().unwrap();

    s.build().assert_ok("second build");
    assert_eq!(s.runs(), 1, "nothing changed, yet cargo reran the build script");

    s.touch_spec(None);
    s.build().assert_ok("build after touching the spec");
    assert_eq!(s.runs(), 2, "touching the spec must rerun the build script");
    assert_eq!(
        std::fs::metadata(&generated).unwrap().modified().unwrap(),
        written_at,
        "the output's bytes did not change, so it must not be rewritten"
    );

    s.build().assert_ok("build after the rerun");
    assert_eq!(s.runs(), 2, "nothing changed since the rerun, yet cargo reran the build script");

    // A module file the root document reads through `$ref` counts as the spec too.
    std::thread::sleep(Duration::from_millis(1100));
    let module = s.root.join("specs/genauth-v3/webhooks.yaml");
    std::fs::File::options().write(true).open(&module).unwrap().set_modified(SystemTime::now()).unwrap();
    s.build().assert_ok("build after touching a module file");
    assert_eq!(s.runs(), 3, "touching a module file the spec reads must rerun the build script");

    // Something the build script does not read: no rerun.
    std::fs::write(s.root.join("specs/unrelated.yaml"), "x: 1\n").unwrap();
    s.build().assert_ok("build after an unrelated change");
    assert_eq!(s.runs(), 3, "a file the generator does not read made cargo rerun the build script");
}

#[test]
fn broken_spec_fails_the_build_with_the_generator_message() {
    let s = Scratch::new("broken", None, None);
    let good = std::fs::read_to_string(&s.spec).unwrap();

    s.touch_spec(Some("openapi: 3.0.3\ninfo:\n  title: x\n  version: [\n"));
    let build = s.build();
    let stderr = build.stderr();
    assert!(!build.output.status.success(), "a broken spec must fail the build:\n{stderr}");
    assert!(
        stderr.contains("error: ../../specs/genauth-v3.yaml:5:1: syntax error"),
        "the generator's message (file:line:column) is missing:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "the build script panicked:\n{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");

    // An error found after parsing names the JSON pointer.
    let unsupported = good.replacen("openapi: 3.0.3", "openapi: 4.0.0", 1);
    assert_ne!(unsupported, good);
    s.touch_spec(Some(&unsupported));
    let build = s.build();
    let stderr = build.stderr();
    assert!(!build.output.status.success(), "an unsupported version must fail the build:\n{stderr}");
    assert!(
        stderr.contains("error: ../../specs/genauth-v3.yaml: #/openapi: unsupported OpenAPI version `4.0.0`"),
        "the generator's message (file and JSON pointer) is missing:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "the build script panicked:\n{stderr}");

    s.touch_spec(Some(&good));
    s.build().assert_ok("build after fixing the spec");
}

#[test]
fn build_script_with_options_writes_what_the_cli_writes() {
    let build_rs = r#"
fn main() {
    if let Err(e) = genauth_codegen::Builder::new()
        .spec("../../specs/genauth-v3.yaml")
        .include_tag("users")
        .include_operation("getManagementToken")
        .exclude_operation("kick_users")
        .exclude_operation("importOtp")
        .client_name("UserAdmin")
        .write_to_out_dir()
    {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
"#;
    // The filtered SDK compiles without warnings and has what was asked for.
    let lib_rs = r#"
#![deny(warnings)]
pub mod sdk {
    include!(concat!(env!("OUT_DIR"), "/genauth_sdk.rs"));
}
pub async fn uses(client: &sdk::UserAdmin) {
    let _ = client.get_user(&sdk::GetUserParams::new("u1")).await;
    let _ = client.get_management_token(&sdk::GetManagementAccessTokenDto::default()).await;
}
"#;
    let s = Scratch::new("options", Some(build_rs.to_owned()), Some(lib_rs));
    let build = s.build();
    build.assert_ok("build with options");
    let text = std::fs::read_to_string(build.out_dir().join(genauth_codegen::SINGLE_FILE_NAME)).unwrap();
    let cli = s.cli_output(&[
        "--tag",
        "users",
        "--operation",
        "getManagementToken",
        "--exclude-operation",
        "kick_users",
        "--exclude-operation",
        "importOtp",
        "--client-name",
        "UserAdmin",
    ]);
    assert!(text == cli, "OUT_DIR/{} differs from the CLI's output", genauth_codegen::SINGLE_FILE_NAME);
    assert!(text.contains("pub struct UserAdmin"));
    assert!(!text.contains("pub async fn kick_users"));
    assert!(!text.contains("pub async fn import_otp"));
    assert!(!text.contains("pub struct KickUsersDto"), "types only excluded operations use must be left out");
}
