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

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
mod lower;
pub mod naming;
mod normalize;
mod output;
mod resolve;

use std::path::{Path, PathBuf};

pub use error::{Error, Location, Warning};
pub use output::{CheckReport, RuntimeDependency, WriteReport};

/// How generated code is laid out in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A library crate: `src/lib.rs` plus one file per module (the default).
    #[default]
    Crate,
    /// One file holding every module inline, for `include!` from a build script.
    SingleFile,
}

/// Where the OpenAPI document comes from.
#[derive(Debug, Clone)]
enum Spec {
    Path(PathBuf),
    Source { name: PathBuf, text: String },
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
    layout: Layout,
    runtime: Option<RuntimeDependency>,
    strict_responses: bool,
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
            layout: Layout::Crate,
            runtime: None,
            strict_responses: false,
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

    /// How the output is split into files.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
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

    /// Loads the spec and lowers it to the generator's IR without emitting code, for tools
    /// that inspect the API (such as [`diff::compare`]). Returns the warnings raised on the
    /// way; `deny_warnings` does not apply.
    pub fn ir(&self) -> Result<(ir::Ir, Vec<Warning>), Error> {
        let (ir, warnings, _) = self.load_and_lower()?;
        Ok((ir, warnings))
    }

    /// Load, normalize and lower; returns the IR, all warnings, and the spec's name.
    fn load_and_lower(&self) -> Result<(ir::Ir, Vec<Warning>, String), Error> {
        let (doc, spec_name) = match &self.spec {
            None => return Err(Error::NoSpec),
            Some(Spec::Path(p)) => (load::load_path(p)?, display_name(p)),
            Some(Spec::Source { name, text }) => (load::load_str(name, text)?, display_name(name)),
        };
        let mut warnings = doc.warnings.clone();
        let options = lower::LowerOptions {
            strict_responses: self.strict_responses,
        };
        let (ir, lower_warnings) = lower::lower(&doc, options)?;
        warnings.extend(lower_warnings);
        Ok((ir, warnings, spec_name))
    }

    /// Runs the generator in memory.
    pub fn generate(&self) -> Result<Generated, Error> {
        let (ir, warnings, spec_name) = self.load_and_lower()?;
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
        };
        let emitted = emit::emit(&ir, &opts)?;
        let files = output::lay_out(&emitted, self.layout)?;
        Ok(Generated {
            files,
            layout: self.layout,
            warnings,
            operations: ir.operations.len(),
            types: ir.types.len(),
            spec_name,
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            description: ir.title.clone(),
            runtime: self.runtime.clone(),
        })
    }
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
    layout: Layout,
    warnings: Vec<Warning>,
    operations: usize,
    types: usize,
    spec_name: String,
    crate_name: String,
    crate_version: String,
    description: String,
    runtime: Option<RuntimeDependency>,
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

    /// How many client methods were generated.
    pub fn operation_count(&self) -> usize {
        self.operations
    }

    /// How many named types were generated.
    pub fn type_count(&self) -> usize {
        self.types
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

    /// Writes the source files (no `Cargo.toml`) to `dir`, only where bytes changed.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<WriteReport, Error> {
        output::write_tree(dir.as_ref(), &self.files)
    }
}
