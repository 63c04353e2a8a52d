//! The `genauth-codegen` command line: flags map onto [`genauth_codegen::Builder`].
//!
//! Exit codes: 0 success, 1 `check` found stale output, 2 bad input or I/O error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use genauth_codegen::{Builder, Error, Generated, Layout};

#[derive(Parser)]
#[command(name = "genauth-codegen", version, about = "Generate a typed Rust SDK from an OpenAPI description")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the SDK (a crate, or one file with `--layout single-file`) to the output directory.
    Generate(Common),
    /// Exit 1 if the output directory does not hold what `generate` would write.
    Check(Common),
}

#[derive(Args)]
struct Common {
    /// The OpenAPI document (YAML or JSON) [default: specs/genauth-v3.yaml]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate directory to write or check [default: generated]; with
    /// `--layout single-file`, the directory that holds `genauth_sdk.rs` (required)
    #[arg(long, required_if_eq("layout", "single-file"))]
    out: Option<PathBuf>,
    /// `crate`: Cargo.toml + src/; `single-file`: one `genauth_sdk.rs` to `include!`,
    /// the same bytes a build script writes with `Builder::write_to_out_dir`.
    #[arg(long, value_enum, default_value = "crate")]
    layout: LayoutArg,
    /// Keep only operations with this tag (repeatable); only the types they use are kept.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Keep this operation, by operationId or method name (repeatable; adds to --tag).
    #[arg(long = "operation", value_name = "NAME")]
    operations: Vec<String>,
    /// Leave out operations with this tag (repeatable).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    exclude_tags: Vec<String>,
    /// Leave out this operation, by operationId or method name (repeatable).
    #[arg(long = "exclude-operation", value_name = "NAME")]
    exclude_operations: Vec<String>,
    /// Name of the generated client struct.
    #[arg(long, default_value = "ManagementClient")]
    client_name: String,
    /// Package name in the generated Cargo.toml.
    #[arg(long, default_value = "genauth-sdk")]
    crate_name: String,
    /// Extra derive for every generated type (repeatable), e.g. `--derive Hash`.
    #[arg(long = "derive")]
    derives: Vec<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LayoutArg {
    Crate,
    SingleFile,
}

/// Defaults are relative to the current directory; when run elsewhere (e.g. from a
/// subdirectory), fall back to this repository's root.
fn default_path(rel: &str) -> PathBuf {
    let here = PathBuf::from(rel);
    if here.exists() || Path::new("specs").exists() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

impl Common {
    fn builder(&self) -> Builder {
        let mut b = Builder::new()
            .spec(self.spec.clone().unwrap_or_else(|| default_path("specs/genauth-v3.yaml")))
            .client_name(&self.client_name)
            .crate_name(&self.crate_name)
            .deny_warnings(self.deny_warnings)
            .layout(match self.layout {
                LayoutArg::Crate => Layout::Crate,
                LayoutArg::SingleFile => Layout::SingleFile,
            });
        for d in &self.derives {
            b = b.extra_derive(d);
        }
        for t in &self.tags {
            b = b.include_tag(t);
        }
        for o in &self.operations {
            b = b.include_operation(o);
        }
        for t in &self.exclude_tags {
            b = b.exclude_tag(t);
        }
        for o in &self.exclude_operations {
            b = b.exclude_operation(o);
        }
        b
    }

    fn out(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| default_path("generated"))
    }

    fn generate(&self) -> Result<Generated, Error> {
        let generated = self.builder().generate()?;
        if !self.quiet {
            for w in generated.warnings() {
                eprintln!("{w}");
            }
        }
        Ok(generated)
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Generate(c) => {
            let generated = c.generate()?;
            let out = c.out();
            let report = match generated.layout() {
                Layout::Crate => generated.write_crate(&out)?,
                Layout::SingleFile => generated.write_to(&out)?,
            };
            if !c.quiet {
                eprintln!(
                    "generated {} operations and {} types into {}: {} file(s) written, {} unchanged, {} removed",
                    generated.operation_count(),
                    generated.type_count(),
                    out.display(),
                    report.written.len(),
                    report.unchanged.len(),
                    report.removed.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(c) => {
            let generated = c.generate()?;
            let out = c.out();
            let report = match generated.layout() {
                Layout::Crate => generated.check_crate(&out)?,
                Layout::SingleFile => generated.check_to(&out)?,
            };
            if report.is_up_to_date() {
                if !c.quiet {
                    eprintln!("{} is up to date", out.display());
                }
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("{} is stale; run `genauth-codegen generate` to update it:", out.display());
            for p in &report.missing {
                eprintln!("  missing: {}", p.display());
            }
            for p in &report.changed {
                eprintln!("  differs: {}", p.display());
            }
            for p in &report.extra {
                eprintln!("  no longer generated: {}", p.display());
            }
            Ok(ExitCode::from(1))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
