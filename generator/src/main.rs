//! The `genauth-codegen` command line: flags map onto [`genauth_codegen::Builder`].
//!
//! Exit codes: 0 success, 1 `check` found stale output, 2 bad input or I/O error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use genauth_codegen::{Builder, Error, Generated};

#[derive(Parser)]
#[command(name = "genauth-codegen", version, about = "Generate a typed Rust SDK from an OpenAPI description")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the SDK crate (Cargo.toml + src/) to the output directory.
    Generate(Common),
    /// Exit 1 if the SDK crate in the output directory is not what `generate` would write.
    Check(Common),
}

#[derive(Args)]
struct Common {
    /// The OpenAPI document (YAML or JSON) [default: specs/genauth-v3.yaml]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate directory to write or check [default: generated]
    #[arg(long)]
    out: Option<PathBuf>,
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
            .deny_warnings(self.deny_warnings);
        for d in &self.derives {
            b = b.extra_derive(d);
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
            let report = generated.write_crate(&out)?;
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
            let report = generated.check_crate(&out)?;
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
