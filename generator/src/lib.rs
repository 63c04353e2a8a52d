//! `genauth-codegen`: generates a typed Rust SDK from an OpenAPI description.
//!
//! The pipeline is `read (YAML/JSON) → normalize → openapiv3 → IR → tokens → prettyplease →
//! files`. One [`Builder`] serves the CLI and build scripts alike:
//!
//! ```no_run
//! let generated = genauth_codegen::Builder::new()
//!     .spec("specs/genauth-v3.yaml")
//!     .generate()?;
//! generated.write_crate("generated")?;
//! # Ok::<(), genauth_codegen::Error>(())
//! ```
//!
//! In a build script, [`Builder::write_to_out_dir`] writes one file for `include!` and tells
//! cargo when to run the script again:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     if let Err(e) = generate() {
//!         eprintln!("error: {e}"); // the same message as the CLI's, no backtrace
//!         std::process::exit(1);
//!     }
//! }
//!
//! fn generate() -> Result<(), genauth_codegen::Error> {
//!     genauth_codegen::Builder::new()
//!         .spec("specs/genauth-v3.yaml")
//!         .include_tag("users")
//!         .write_to_out_dir()?;
//!     Ok(())
//! }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable, clippy::todo, clippy::unimplemented, clippy::string_slice))]

pub mod diff;
pub mod emit;
pub mod error;
mod files;
mod filter;
pub mod ir;
mod layout;
pub mod load;
mod locate;
mod lower;
pub mod naming;
mod normalize;
mod output;
mod parse;
mod resolve;
mod timings;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Error, Location, Warning};
pub use layout::{Layout, SINGLE_FILE_NAME};
pub use output::{CheckReport, RuntimeDependency, WriteReport};
pub use timings::Timings;

/// Where the OpenAPI document comes from.
#[derive(Debug, Clone)]
enum Spec {
    Path(PathBuf),
    Source { name: PathBuf, text: String },
    /// A document and the files its `$ref`s name, as committed at a git revision.
    Git { rev: String, path: PathBuf, dir: Option<PathBuf> },
}

/// Configures and runs the generator. Used by the CLI and by build scripts.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: Option<Spec>,
    client_name: String,
    crate_name: String,
    crate_version: String,
    extra_derives: Vec<String>,
    deny_warnings: bool,
    layout: Option<Layout>,
    runtime: Option<RuntimeDependency>,
    strict_responses: bool,
    filter: filter::Filter,
    tag_features: Option<bool>,
    feature_names: Vec<(String, String)>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder with the defaults: client `ManagementClient`, crate `genauth-sdk` 0.1.0,
    /// crate layout.
    pub fn new() -> Self {
        Builder {
            spec: None,
            client_name: "ManagementClient".to_owned(),
            crate_name: "genauth-sdk".to_owned(),
            crate_version: "0.1.0".to_owned(),
            extra_derives: Vec::new(),
            deny_warnings: false,
            layout: None,
            runtime: None,
            strict_responses: false,
            filter: filter::Filter::default(),
            tag_features: None,
            feature_names: Vec::new(),
        }
    }

    /// The OpenAPI document to read (YAML or JSON, told apart by extension or content).
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = Some(Spec::Path(path.into()));
        self
    }

    /// An OpenAPI document given as text; `name` is used in messages and the header.
    pub fn spec_source(mut self, name: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.spec = Some(Spec::Source {
            name: name.into(),
            text: text.into(),
        });
        self
    }

    /// The OpenAPI document as committed at the git revision `rev` (`HEAD~1`, a tag, a
    /// commit): `path` and every file its `$ref`s name are read with `git show` in the
    /// repository of `dir` (the current directory when `None`), all from that revision.
    /// `path` is relative to the repository root, or to `dir` when it starts with `./`.
    /// For comparing a description with an earlier one (`genauth-codegen diff`).
    pub fn spec_at_revision(mut self, rev: impl Into<String>, path: impl Into<PathBuf>, dir: Option<PathBuf>) -> Self {
        self.spec = Some(Spec::Git {
            rev: rev.into(),
            path: path.into(),
            dir,
        });
        self
    }

    /// The name of the generated client struct (default `ManagementClient`).
    pub fn client_name(mut self, name: impl Into<String>) -> Self {
        self.client_name = name.into();
        self
    }

    /// The package name written to the generated `Cargo.toml` (default `genauth-sdk`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// The package version written to the generated `Cargo.toml` (default `0.1.0`).
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = version.into();
        self
    }

    /// Adds a derive (a path such as `Hash` or `schemars::JsonSchema`) to every generated
    /// struct and enum.
    pub fn extra_derive(mut self, path: impl Into<String>) -> Self {
        self.extra_derives.push(path.into());
        self
    }

    /// Treats warnings as errors.
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// How the output is split into files. Unset, [`Builder::generate`] lays out a crate and
    /// [`Builder::write_to_out_dir`] / [`Builder::write_to`] one file.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = Some(layout);
        self
    }

    /// Keeps the operations tagged `tag` (repeatable). With any include or exclude
    /// selector, only the types the kept operations use are generated; unused component
    /// schemas are left out. Names do not change: they are those of the whole document.
    pub fn include_tag(mut self, tag: impl Into<String>) -> Self {
        self.filter.include_tags.push(tag.into());
        self
    }

    /// Keeps the operation with this `operationId` or generated method name (repeatable;
    /// adds to [`Builder::include_tag`]).
    pub fn include_operation(mut self, name: impl Into<String>) -> Self {
        self.filter.include_operations.push(name.into());
        self
    }

    /// Leaves out the operations tagged `tag`, even when otherwise included.
    pub fn exclude_tag(mut self, tag: impl Into<String>) -> Self {
        self.filter.exclude_tags.push(tag.into());
        self
    }

    /// Leaves out the operation with this `operationId` or method name, even when
    /// otherwise included.
    pub fn exclude_operation(mut self, name: impl Into<String>) -> Self {
        self.filter.exclude_operations.push(name.into());
        self
    }

    /// How the generated `Cargo.toml` depends on `genauth-runtime`. By default it points
    /// at the runtime next to this generator's sources when they exist, else at the
    /// crates.io version.
    pub fn runtime_dependency(mut self, dep: RuntimeDependency) -> Self {
        self.runtime = Some(dep);
        self
    }

    /// Decode responses exactly as the spec says. By default, types used in responses
    /// forgive servers that stray from their spec: a required field that is missing or
    /// `null` takes its default, and a number sent as a string (`"1669881887852"`) is
    /// read as the number. Request types are always exact.
    pub fn strict_responses(mut self, strict: bool) -> Self {
        self.strict_responses = strict;
        self
    }

    /// Whether each tag's operations, and the types only they use, compile only with a cargo
    /// feature of the generated crate named after the tag (all on by default), so an SDK
    /// user builds only the part they call. Unset, this is on in the crate layout and off in
    /// the single-file layout, where the crate that includes the file would have to declare
    /// the features itself (a build script can use [`Builder::include_tag`] instead).
    pub fn tag_features(mut self, on: bool) -> Self {
        self.tag_features = Some(on);
        self
    }

    /// The cargo feature name for `tag` (repeatable). By default it is the tag in
    /// `snake_case` ASCII ([`naming::feature_name`]).
    pub fn tag_feature(mut self, tag: impl Into<String>, feature: impl Into<String>) -> Self {
        self.feature_names.push((tag.into(), feature.into()));
        self
    }

    /// Loads the spec and lowers it to the generator's IR (with the operation filters
    /// applied) without emitting code, for tools that inspect the API (such as
    /// [`diff::compare`]). Returns the warnings raised on the way; `deny_warnings` does
    /// not apply.
    pub fn ir(&self) -> Result<(ir::Ir, Vec<Warning>), Error> {
        on_big_stack(|| {
            let loaded = self.load_and_lower(&mut Timings::default())?;
            Ok((loaded.ir, loaded.warnings))
        })
    }

    /// Runs the generator in memory (crate layout unless [`Builder::layout`] says otherwise).
    pub fn generate(&self) -> Result<Generated, Error> {
        self.generate_as(self.layout.unwrap_or(Layout::Crate), &mut Timings::default())
    }

    /// [`Builder::generate`], also saying how long each phase took.
    pub fn generate_with_timings(&self) -> Result<(Generated, Timings), Error> {
        let mut timings = Timings::default();
        let generated = self.generate_as(self.layout.unwrap_or(Layout::Crate), &mut timings)?;
        Ok((generated, timings))
    }

    /// For build scripts: generates one file (unless [`Builder::layout`] says otherwise),
    /// writes it to `$OUT_DIR` if its bytes changed, prints `cargo:rerun-if-changed=` for
    /// every file read and `cargo:warning=` for every warning. Include the result with
    /// `include!(concat!(env!("OUT_DIR"), "/genauth_sdk.rs"));`.
    ///
    /// Nothing is printed or written when an error is returned.
    pub fn write_to_out_dir(&self) -> Result<Generated, Error> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?;
        let generated = self.write_to(PathBuf::from(out_dir))?;
        for line in generated.cargo_directives() {
            println!("{line}");
        }
        Ok(generated)
    }

    /// Generates one file (unless [`Builder::layout`] says otherwise) and writes it to
    /// `dir` if its bytes changed. Prints nothing.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<Generated, Error> {
        let generated = self.generate_as(self.layout.unwrap_or(Layout::SingleFile), &mut Timings::default())?;
        generated.write_to(dir)?;
        Ok(generated)
    }

    /// Load, normalize, lower and filter.
    fn load_and_lower(&self, timings: &mut Timings) -> Result<Loaded, Error> {
        let (doc, spec_name, in_memory) = match &self.spec {
            None => return Err(Error::NoSpec),
            Some(Spec::Path(p)) => (load::load_path_timed(p, timings)?, display_name(p), false),
            Some(Spec::Source { name, text }) => (load::load_str_timed(name, text, timings)?, display_name(name), true),
            Some(Spec::Git { rev, path, dir }) => {
                let files = files::Files::Git { rev: rev.clone(), dir: dir.clone() };
                let label = PathBuf::from(format!("{rev}:{}", path.display()));
                let bytes = files.read(path).map_err(|message| Error::Io {
                    path: label.clone(),
                    action: "cannot read the OpenAPI document from git",
                    source: std::io::Error::other(message),
                })?;
                let text = load::utf8_text(&label, bytes)?;
                (load::load_str_from(path, &text, &files, timings)?, display_name(path), true)
            }
        };
        let start = Instant::now();
        // The files read: the spec (unless it was given as text), then every file an
        // external `$ref` named.
        // (None for a document read from git: nothing on disk to watch.)
        let sources: Vec<PathBuf> = if matches!(self.spec, Some(Spec::Git { .. })) {
            Vec::new()
        } else {
            doc.sources.iter().skip(usize::from(in_memory)).cloned().collect()
        };
        let mut warnings = doc.warnings.clone();
        let options = lower::LowerOptions {
            strict_responses: self.strict_responses,
        };
        let (ir, lower_warnings) = lower::lower(&doc, options)?;
        warnings.extend(lower_warnings);
        // Each problem once, in the order found.
        let mut seen = std::collections::BTreeSet::new();
        warnings.retain(|w| seen.insert((w.code, w.pointer.clone(), w.message.clone())));
        let ir = filter::apply(ir, &self.filter, &doc.file)?;
        // Freeing the document (its JSON value and typed model) takes real time: count it.
        drop(doc);
        timings.lower = start.elapsed();
        Ok(Loaded {
            ir,
            warnings,
            spec_name,
            sources,
        })
    }

    fn generate_as(&self, layout: Layout, timings: &mut Timings) -> Result<Generated, Error> {
        on_big_stack(|| self.generate_here(layout, timings))
    }

    fn generate_here(&self, layout: Layout, timings: &mut Timings) -> Result<Generated, Error> {
        let Loaded {
            ir,
            warnings,
            spec_name,
            sources,
        } = self.load_and_lower(timings)?;
        if self.deny_warnings {
            if let Some(first) = warnings.first() {
                return Err(Error::DeniedWarnings {
                    count: warnings.len(),
                    first: Box::new(first.clone()),
                });
            }
        }
        let opts = emit::EmitOptions {
            client_name: self.client_name.clone(),
            spec_name: spec_name.clone(),
            extra_derives: self.extra_derives.clone(),
            layout,
            tag_features: self.tag_features.unwrap_or(layout == Layout::Crate),
            feature_names: self.feature_names.clone(),
            strict_responses: self.strict_responses,
        };
        let start = Instant::now();
        let emitted = emit::emit(&ir, &opts)?;
        // Tokens are built and formatted item by item, in parallel: the wall time is split
        // between the two phases in proportion to the time the threads spent on each.
        let wall = start.elapsed();
        let (tokens, format) = emitted.cpu_time;
        let busy = (tokens + format).as_secs_f64();
        timings.emit = if busy > 0.0 { wall.mul_f64(tokens.as_secs_f64() / busy) } else { Duration::ZERO };
        timings.format = wall.saturating_sub(timings.emit);
        let start = Instant::now();
        let files = output::lay_out(&emitted, layout)?;
        let generated = Generated {
            files,
            sources,
            layout,
            warnings,
            operations: ir.operations.len(),
            types: ir.types.len(),
            spec_name,
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            description: ir.title.clone(),
            runtime: self.runtime.clone(),
            features: emitted.features,
        };
        drop(ir);
        timings.format += start.elapsed();
        Ok(generated)
    }
}

/// The stack the generator runs on. Reading, lowering and printing recurse as deep as the
/// document nests (the parsers stop at 128 levels, references may add some); this is
/// far more than the deepest accepted document needs, reserved (not used) up front.
const STACK_SIZE: usize = 64 * 1024 * 1024;

/// Runs `f` on a thread of its own with [`STACK_SIZE`] of stack, so the caller's stack
/// (a test harness thread has 2 MiB) does not decide which documents overflow it.
fn on_big_stack<T: Send>(f: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("genauth-codegen".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, f)
            .map_err(|source| Error::Io {
                path: PathBuf::from("<thread>"),
                action: "cannot start the generator's thread",
                source,
            })?;
        handle.join().unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Err(Error::Panic { message })
        })
    })
}

/// What loading and lowering produce.
struct Loaded {
    ir: ir::Ir,
    warnings: Vec<Warning>,
    spec_name: String,
    sources: Vec<PathBuf>,
}

/// The file name of a spec path, which is all the output mentions of it (so output does
/// not depend on where the repository is checked out).
fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "openapi".to_owned())
}

/// The result of [`Builder::generate`]: formatted sources, in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    files: Vec<(PathBuf, String)>,
    sources: Vec<PathBuf>,
    layout: Layout,
    warnings: Vec<Warning>,
    operations: usize,
    types: usize,
    spec_name: String,
    crate_name: String,
    crate_version: String,
    description: String,
    runtime: Option<RuntimeDependency>,
    features: Vec<(String, String)>,
}

impl Generated {
    /// The source files, relative paths (`src/lib.rs`, ... or `genauth.rs`), in order.
    pub fn files(&self) -> &[(PathBuf, String)] {
        &self.files
    }

    /// The text of one output file.
    pub fn file(&self, path: impl AsRef<Path>) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == path.as_ref())
            .map(|(_, s)| s.as_str())
    }

    /// Problems that were worked around.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The files the generator read, as given (the spec first); empty for
    /// [`Builder::spec_source`]. A build script reruns when one of them changes.
    pub fn sources(&self) -> &[PathBuf] {
        &self.sources
    }

    /// What [`Builder::write_to_out_dir`] prints for cargo: one `cargo:rerun-if-changed=`
    /// line per source file and one `cargo:warning=` line per warning. Nothing else, so cargo
    /// reruns the build script only when a source changes (or the build script itself).
    pub fn cargo_directives(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for path in &self.sources {
            match path.to_str() {
                // A path cargo could not read back from one line is not watched; cargo
                // then falls back to rerunning on any change in the package.
                Some(p) if !p.contains(['\n', '\r']) => lines.push(format!("cargo:rerun-if-changed={p}")),
                _ => lines.push(format!(
                    "cargo:warning=genauth-codegen cannot ask cargo to watch {}",
                    path.display().to_string().replace(['\n', '\r'], " ")
                )),
            }
        }
        for w in &self.warnings {
            lines.push(format!("cargo:warning={}", w.to_string().replace(['\n', '\r'], " ")));
        }
        lines
    }

    /// How many client methods were generated.
    pub fn operation_count(&self) -> usize {
        self.operations
    }

    /// How many named types were generated.
    pub fn type_count(&self) -> usize {
        self.types
    }

    /// The cargo features the code is gated on, one per tag: (feature, tag), in the order
    /// the tags first appear (empty without [`Builder::tag_features`]).
    pub fn features(&self) -> &[(String, String)] {
        &self.features
    }

    /// The layout the files follow.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Every file of a standalone crate at `dir`: the sources plus `Cargo.toml`.
    pub fn crate_files(&self, dir: impl AsRef<Path>) -> Result<Vec<(PathBuf, String)>, Error> {
        let manifest = output::cargo_toml(
            dir.as_ref(),
            &output::CrateInfo {
                name: &self.crate_name,
                version: &self.crate_version,
                description: &self.description,
                spec_name: &self.spec_name,
                runtime: self.runtime.as_ref(),
                features: &self.features,
            },
        )?;
        let mut files = vec![(PathBuf::from("Cargo.toml"), manifest)];
        files.extend(self.files.iter().cloned());
        Ok(files)
    }

    /// Writes the crate to `dir` (files whose bytes are unchanged are not touched; source
    /// files the generator no longer produces are removed).
    pub fn write_crate(&self, dir: impl AsRef<Path>) -> Result<WriteReport, Error> {
        let dir = dir.as_ref();
        let files = self.crate_files(dir)?;
        output::write_tree(dir, &files)
    }

    /// Compares the crate at `dir` with what would be written.
    pub fn check_crate(&self, dir: impl AsRef<Path>) -> Result<CheckReport, Error> {
        let dir = dir.as_ref();
        let files = self.crate_files(dir)?;
        output::check_tree(dir, &files)
    }

    /// Writes the source files (no `Cargo.toml`) to `dir`, only where bytes changed. In the
    /// crate layout, generated sources the output no longer has are removed; one file
    /// (`genauth_sdk.rs`) is written without touching anything else in `dir`.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<WriteReport, Error> {
        match self.layout {
            Layout::Crate => output::write_tree(dir.as_ref(), &self.files),
            Layout::SingleFile => output::write_files(dir.as_ref(), &self.files),
        }
    }

    /// Compares the source files under `dir` with what [`Generated::write_to`] would write.
    pub fn check_to(&self, dir: impl AsRef<Path>) -> Result<CheckReport, Error> {
        match self.layout {
            Layout::Crate => output::check_tree(dir.as_ref(), &self.files),
            Layout::SingleFile => output::check_files(dir.as_ref(), &self.files),
        }
    }
}
